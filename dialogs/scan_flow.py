"""Taking the scan: one question at a time, as pure transitions.

Business rules:
- A person resumes at their first unanswered question; finished sheets can still be revised.
- Every question offers "I don't know"; several options only where the question allows it.
- An answer is an effect the runner stores before the next question is shown.
- A click on an older question of the same scan records that answer and shows the current one.
- An unknown option, or a question not in the bank, changes nothing and says so.
- Reaching the end completes the sheet and shows the person their own profile.
"""

from __future__ import annotations

from dataclasses import replace

from dialogs import phrases, views
from dialogs.events import ChoiceSelected
from dialogs.messages import Paragraph
from dialogs.records import Scan
from dialogs.state import CompleteSheet, DialogState, RecordAnswer, Step, Transition
from engine.bank import QuestionBank
from engine.sheet import AnswerSheet


def begin(state: DialogState, scan: Scan, sheet: AnswerSheet, bank: QuestionBank) -> Transition:
    """Start or resume `scan` with the person's stored answers."""
    language = state.language
    position = _first_unanswered(bank, sheet)
    scanning = replace(state, step=Step.SCANNING, scan_id=scan.id, position=position, sheet=sheet)
    if position == len(bank):
        return Transition(scanning, (Paragraph(phrases.SCAN_ALREADY_DONE(language)),))
    if position == 0:
        intro = [Paragraph(phrases.WELCOME(language))]
        if scan.is_baseline:
            intro.append(Paragraph(phrases.SCAN_STARTED_BASELINE(language)))
    else:
        intro = [Paragraph(phrases.SCAN_RESUMED(language).format(current=position + 1))]
    return Transition(scanning, (*intro, *views.question(bank, position, sheet, language)))


def choose(state: DialogState, event: ChoiceSelected, bank: QuestionBank) -> Transition:
    """Record an answer and move on."""
    assert state.scan_id is not None
    language = state.language
    question = bank.get(event.prompt_id)
    if question is None:
        return _again(state, bank, phrases.STALE_PROMPT(language))
    if not question.accepts(event.choice_ids):
        return _again(state, bank, phrases.UNKNOWN_CHOICE(language))
    sheet = state.sheet.with_answer(question.id, event.choice_ids)
    effects: list[RecordAnswer | CompleteSheet] = [
        RecordAnswer(state.scan_id, question.id, event.choice_ids)
    ]
    current = bank.questions[state.position] if state.position < len(bank) else None
    position = state.position + 1 if question is current else state.position
    moved = replace(state, sheet=sheet, position=position)
    if position < len(bank):
        return Transition(moved, views.question(bank, position, sheet, language), tuple(effects))
    effects.append(CompleteSheet(state.scan_id))
    return Transition(moved.idle(), views.finished(bank, sheet, language), tuple(effects))


def back(state: DialogState, bank: QuestionBank) -> Transition:
    if state.position == 0:
        return _again(state, bank, phrases.AT_FIRST(state.language))
    previous = replace(state, step=Step.SCANNING, position=state.position - 1)
    return Transition(
        previous, views.question(bank, previous.position, state.sheet, state.language)
    )


def pause(state: DialogState) -> Transition:
    return Transition(state.idle(), (Paragraph(phrases.SCAN_PAUSED(state.language)),))


def _again(state: DialogState, bank: QuestionBank, notice: str) -> Transition:
    shown = views.question(bank, state.position, state.sheet, state.language)
    return Transition(state, (Paragraph(notice), *shown))


def _first_unanswered(bank: QuestionBank, sheet: AnswerSheet) -> int:
    return next((i for i, q in enumerate(bank) if sheet.get(q.id) is None), len(bank))
