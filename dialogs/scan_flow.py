"""Taking the scan: one question at a time, as pure transitions.

Business rules:
- A person resumes at their first unanswered question; finished sheets can still be revised.
- Every question offers "I don't know"; several options only where the question allows it.
- An answer is an effect the runner stores before the next question is shown.
- A question's buttons are bound to the scan and question they were shown for: a click from
  another scan (one that has closed, say, pressed during a re-scan) answers nothing and says so.
- A click on an older question of the same scan records that answer and shows the current one.
- A button of the older form, sent before buttons carried their scan, answers only the question
  the person is on now; on any other question it answers nothing and says so. (Such a click
  cannot tell its scan, and the current question is the one its message most likely asked.)
- While scanning, a typed number (``2``, or ``1,3`` where several fit) or words for "I don't
  know" in either language answer the current question, numbered as the options are shown;
  a number off the list says which are allowed and changes nothing.
- An unknown option, or a question not in the bank, changes nothing and says so.
- Reaching the end completes the sheet and shows the person their own profile. The person
  stays in the scan, at its end, while it is open: 'back' shows the last question again, a
  button of an earlier question changes that answer, and a typed number says that every
  question is answered and how to change one (it changes nothing). Replies beside the scan
  no longer repeat that it is complete.
"""

from __future__ import annotations

import re
from dataclasses import replace

from dialogs import phrases, prompts, views
from dialogs.events import ChoiceSelected
from dialogs.messages import Paragraph, Reply
from dialogs.records import Scan
from dialogs.state import CompleteSheet, DialogState, RecordAnswer, Step, Transition
from engine.bank import DONT_KNOW, QuestionBank
from engine.sheet import AnswerSheet

DONT_KNOW_WORDS = frozenset(
    {
        "weet ik niet",
        "ik weet het niet",
        "ik weet niet",
        "weet niet",
        "geen idee",
        "i dont know",
        "i do not know",
        "dont know",
        "do not know",
        "idk",
        "dunno",
        "no idea",
    }
)
"""Typed "I don't know", as `_words` leaves it: lower case, no punctuation, single spaces."""

_NUMBERS = re.compile(r"\d+(?:(?:\s*[,;]\s*|\s+)\d+)*", re.ASCII)
"""Numbers apart by a comma, a semicolon or spaces. The separator is required: with an optional
one, a run of digits can be split in exponentially many ways, and 40 typed digits held the
event loop for minutes."""
_LONGEST_NUMBER = 3
"""Digits; any longer number is off the list (and never reaches int()'s digit limit)."""


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
    return Transition(scanning, (*intro, *shown(scanning, bank)))


def choose(state: DialogState, event: ChoiceSelected, bank: QuestionBank) -> Transition:
    """Record an answer and move on, if the click is for this scan."""
    assert state.scan_id is not None
    language = state.language
    prompt = prompts.read(event.prompt_id)
    question = bank.get(prompt.question_id) if prompt is not None else None
    current = bank.questions[state.position] if state.position < len(bank) else None
    if prompt is None or question is None:
        return _again(state, bank, phrases.STALE_PROMPT(language))
    if prompt.scan_id is None and question is not current:
        return _again(state, bank, phrases.OLD_BUTTON(language))
    if prompt.scan_id is not None and prompt.scan_id != state.scan_id:
        return _again(state, bank, phrases.STALE_PROMPT(language))
    if not question.accepts(event.choice_ids):
        return _again(state, bank, phrases.UNKNOWN_CHOICE(language))
    sheet = state.sheet.with_answer(question.id, event.choice_ids)
    effects: list[RecordAnswer | CompleteSheet] = [
        RecordAnswer(state.scan_id, question.id, event.choice_ids)
    ]
    position = state.position + 1 if question is current else state.position
    moved = replace(state, sheet=sheet, position=position)
    if position < len(bank):
        return Transition(moved, shown(moved, bank), tuple(effects))
    effects.append(CompleteSheet(state.scan_id))
    return Transition(moved, views.finished(bank, sheet, language), tuple(effects))


def typed(state: DialogState, line: str, bank: QuestionBank) -> Transition | None:
    """A typed answer to the current question: numbers or "I don't know"; None for any other
    line (a command or a question for the knowledge base)."""
    numbers = _typed_numbers(line)
    if numbers is None:
        return None
    assert state.scan_id is not None
    if state.position >= len(bank):
        return Transition(state, (Paragraph(phrases.SCAN_ALL_ANSWERED(state.language)),))
    question = bank.questions[state.position]
    choices = (*(option.id for option in question.options), DONT_KNOW)
    picked = (
        (DONT_KNOW,)
        if not numbers
        else tuple(dict.fromkeys(choices[n - 1] for n in numbers if 1 <= n <= len(choices)))
    )
    if len(picked) < len(set(numbers)) or not question.accepts(picked):
        refusal = (
            phrases.TYPED_SEVERAL(state.language).format(
                options=len(question.options), dont_know=len(choices)
            )
            if question.kind.multiple
            else phrases.TYPED_ONE(state.language).format(last=len(choices))
        )
        return _again(state, bank, refusal)
    click = ChoiceSelected(prompts.prompt_id(state.scan_id, question.id), picked)
    return choose(state, click, bank)


def back(state: DialogState, bank: QuestionBank) -> Transition:
    if state.position == 0:
        return _again(state, bank, phrases.AT_FIRST(state.language))
    previous = replace(state, step=Step.SCANNING, position=state.position - 1)
    return Transition(previous, shown(previous, bank))


def pause(state: DialogState, bank: QuestionBank) -> Transition:
    """Leave the scan for later; at its end there is nothing left to pause, so say that and
    stay, where 'back' still changes an answer."""
    if state.position >= len(bank):
        return Transition(state, (Paragraph(phrases.SCAN_STOP_AT_END(state.language)),))
    return Transition(state.idle(), (Paragraph(phrases.SCAN_PAUSED(state.language)),))


def shown(state: DialogState, bank: QuestionBank) -> Reply:
    """The question the person is on, its buttons bound to their scan; nothing once every
    question is answered (the finished view said so)."""
    if state.position >= len(bank):
        return ()
    return views.question(bank, state.position, state.sheet, state.language, scan_id=state.scan_id)


def _again(state: DialogState, bank: QuestionBank, notice: str) -> Transition:
    return Transition(state, (Paragraph(notice), *shown(state, bank)))


def _typed_numbers(line: str) -> tuple[int, ...] | None:
    """The numbers typed (0 for one too long to be on any list); () for "I don't know"."""
    words = _words(line)
    if words in DONT_KNOW_WORDS:
        return ()
    typed = line.strip().rstrip(".!")
    if not _NUMBERS.fullmatch(typed):
        return None
    return tuple(
        int(number) if len(number) <= _LONGEST_NUMBER else 0
        for number in re.findall(r"\d+", typed, re.ASCII)
    )


def _words(line: str) -> str:
    """`line` in lower case, apostrophes dropped, other punctuation as spaces, single-spaced."""
    unquoted = re.sub(r"['’‘`´]", "", line.casefold())
    return " ".join(re.sub(r"[\W_]+", " ", unquoted).split())


def _first_unanswered(bank: QuestionBank, sheet: AnswerSheet) -> int:
    return next((i for i, q in enumerate(bank) if sheet.get(q.id) is None), len(bank))
