"""The scan flow's pure transitions: which scan a button answers, and answers typed as words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from dialogs import prompts, scan_flow
from dialogs.events import ChoiceSelected
from dialogs.messages import ChoicePrompt, Paragraph, Reply
from dialogs.records import Scan
from dialogs.state import CompleteSheet, DialogState, RecordAnswer, Step, Transition
from engine.bank import DONT_KNOW
from engine.sheet import AnswerSheet
from engine.vocabulary import Language
from tests.dialogs.conftest import shipped_knowledge

BANK = shipped_knowledge().bank
OPENED = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
BASELINE, RESCAN = Scan(7, 1, 1, 1, OPENED, OPENED), Scan(8, 1, 2, 1, OPENED)
MULTIPLE = next(i for i, question in enumerate(BANK) if question.kind.multiple)


def _scanning(position: int = 0, *, scan: Scan = RESCAN, language: Language = Language.EN):
    """Someone on question `position` (0-based) of `scan`, every earlier one answered."""
    answers = {q.id: (q.options[0].id,) for q in BANK.questions[:position]}
    begun = scan_flow.begin(DialogState(language=language), scan, AnswerSheet(answers), BANK)
    assert begun.state.position == position
    return begun.state


def _prompt(reply: Reply) -> ChoicePrompt:
    (prompt,) = [block for block in reply if isinstance(block, ChoicePrompt)]
    return prompt


def _said(transition: Transition) -> str:
    return " ".join(block.text for block in transition.replies if isinstance(block, Paragraph))


def _click(scan: Scan, position: int, option: int = 0) -> ChoiceSelected:
    question = BANK.questions[position]
    return ChoiceSelected(prompts.prompt_id(scan.id, question.id), (question.options[option].id,))


def test_a_question_s_buttons_name_its_scan_and_its_question_in_a_short_id() -> None:
    prompt = _prompt(scan_flow.shown(_scanning(3), BANK))
    assert prompts.read(prompt.prompt_id) == prompts.ScanPrompt(BANK.questions[3].id, RESCAN.id)
    assert "|" not in prompt.prompt_id
    assert len(prompt.prompt_id) <= 100


def test_a_click_in_the_scan_it_was_shown_for_is_recorded_and_moves_on() -> None:
    moved = scan_flow.choose(_scanning(2), _click(RESCAN, 2, option=1), BANK)
    question = BANK.questions[2]
    assert moved.effects == (RecordAnswer(RESCAN.id, question.id, (question.options[1].id,)),)
    assert moved.state.position == 3
    assert prompts.read(_prompt(moved.replies).prompt_id) == prompts.ScanPrompt(
        BANK.questions[3].id, RESCAN.id
    )


def test_a_closed_scan_s_button_pressed_during_a_re_scan_answers_nothing_and_says_so() -> None:
    state = _scanning(0)
    clicked = scan_flow.choose(state, _click(BASELINE, 5), BANK)
    assert clicked.effects == ()
    assert clicked.state == state
    assert "does not belong to your current scan" in _said(clicked)
    assert prompts.read(_prompt(clicked.replies).prompt_id) == prompts.ScanPrompt(
        BANK.questions[0].id, RESCAN.id
    )


def test_a_button_of_another_scan_answers_nothing_even_on_the_current_question() -> None:
    state = _scanning(4, language=Language.NL)
    clicked = scan_flow.choose(state, _click(BASELINE, 4), BANK)
    assert clicked.effects == ()
    assert "hoort niet bij je huidige scan" in _said(clicked)


def test_a_click_on_an_earlier_question_of_the_same_scan_is_recorded_and_the_current_shown() -> (
    None
):
    clicked = scan_flow.choose(_scanning(5), _click(RESCAN, 1, option=2), BANK)
    question = BANK.questions[1]
    assert clicked.effects == (RecordAnswer(RESCAN.id, question.id, (question.options[2].id,)),)
    assert clicked.state.position == 5
    assert clicked.state.sheet.get(question.id) == (question.options[2].id,)


def test_a_button_of_the_older_form_answers_the_question_the_person_is_on() -> None:
    question = BANK.questions[3]
    legacy = ChoiceSelected(question.id, (question.options[0].id,))
    clicked = scan_flow.choose(_scanning(3), legacy, BANK)
    assert clicked.effects == (RecordAnswer(RESCAN.id, question.id, (question.options[0].id,)),)
    assert clicked.state.position == 4


def test_a_button_of_the_older_form_for_any_other_question_answers_nothing_and_says_so() -> None:
    question = BANK.questions[1]
    legacy = ChoiceSelected(question.id, (question.options[0].id,))
    state = _scanning(3)
    clicked = scan_flow.choose(state, legacy, BANK)
    assert (clicked.effects, clicked.state) == ((), state)
    assert "older message" in _said(clicked)


@pytest.mark.parametrize(
    "prompt_id",
    ["", "@", "role@", "@8", "role@x", "role@-8", "role@8.0", "role@٨", "role@" + "9" * 5000],
)
def test_a_malformed_prompt_id_answers_nothing(prompt_id: str) -> None:
    state = _scanning(0)
    clicked = scan_flow.choose(state, ChoiceSelected(prompt_id, ("management",)), BANK)
    assert (clicked.effects, clicked.state) == ((), state)
    assert "nothing was saved" in _said(clicked)


def test_the_last_answer_completes_the_sheet_of_the_scan_it_was_shown_for() -> None:
    last = len(BANK) - 1
    finished = scan_flow.choose(
        _scanning(last), ChoiceSelected(_prompt_id(last), (DONT_KNOW,)), BANK
    )
    assert finished.effects[-1] == CompleteSheet(RESCAN.id)
    assert finished.state.step is Step.IDLE


def test_going_back_shows_the_earlier_question_bound_to_the_same_scan() -> None:
    went = scan_flow.back(_scanning(4), BANK)
    assert prompts.read(_prompt(went.replies).prompt_id) == prompts.ScanPrompt(
        BANK.questions[3].id, RESCAN.id
    )


def _prompt_id(position: int) -> str:
    return prompts.prompt_id(RESCAN.id, BANK.questions[position].id)


# Typed answers


@pytest.mark.parametrize(("line", "option"), [("2", 1), (" 1 ", 0), ("5.", 4), ("3!", 2)])
def test_a_typed_number_answers_the_current_question(line: str, option: int) -> None:
    typed = scan_flow.typed(_scanning(1), line, BANK)
    assert typed is not None
    question = BANK.questions[1]
    assert typed.effects == (RecordAnswer(RESCAN.id, question.id, (question.options[option].id,)),)
    assert typed.state.position == 2


def test_the_number_after_the_options_is_i_dont_know() -> None:
    typed = scan_flow.typed(_scanning(1), str(len(BANK.questions[1].options) + 1), BANK)
    assert typed is not None
    assert typed.effects == (RecordAnswer(RESCAN.id, BANK.questions[1].id, (DONT_KNOW,)),)


@pytest.mark.parametrize("line", ["1,3", "1, 3", "1 3", "1;3", "3,1,1"])
def test_several_typed_numbers_answer_a_question_that_takes_several(line: str) -> None:
    typed = scan_flow.typed(_scanning(MULTIPLE), line, BANK)
    assert typed is not None
    options = BANK.questions[MULTIPLE].options
    (effect,) = typed.effects
    assert isinstance(effect, RecordAnswer)
    assert set(effect.option_ids) == {options[0].id, options[2].id}


@pytest.mark.parametrize(
    "line",
    [
        "weet ik niet",
        "Weet ik niet.",
        "ik weet het niet!",
        "Geen idee",
        "I don't know",
        "i dont know",
        "I DON’T KNOW",
        "dont know",
        "Don't know?",
        "IDK",
        "no idea",
    ],
)
def test_words_for_i_dont_know_in_either_language_answer_the_current_question(line: str) -> None:
    for position in (0, MULTIPLE):
        typed = scan_flow.typed(_scanning(position), line, BANK)
        assert typed is not None, line
        question = BANK.questions[position]
        assert typed.effects == (RecordAnswer(RESCAN.id, question.id, (DONT_KNOW,)),)


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("0", "Type one number from 1 to 6"),
        ("7", "Type one number from 1 to 6"),
        ("999999999999999999999", "Type one number from 1 to 6"),
        ("9" * 5000, "Type one number from 1 to 6"),
        ("1,2", "Type one number from 1 to 6"),
    ],
)
def test_a_number_off_the_list_says_which_are_allowed_and_changes_nothing(
    line: str, said: str
) -> None:
    state = _scanning(1)
    typed = scan_flow.typed(state, line, BANK)
    assert typed is not None
    assert (typed.effects, typed.state) == ((), state)
    assert said in _said(typed)
    assert _prompt(typed.replies).prompt_id == _prompt_id(1)


def test_a_multiple_choice_question_says_its_numbers_and_that_i_dont_know_goes_alone() -> None:
    state = _scanning(MULTIPLE, language=Language.NL)
    options = len(BANK.questions[MULTIPLE].options)
    for line in (f"1,{options + 1}", f"{options + 2}", "0"):
        typed = scan_flow.typed(state, line, BANK)
        assert typed is not None
        assert typed.effects == ()
        assert (
            f"Typ een of meer nummers van 1 tot en met {options}, zoals 1,3, of alleen "
            f"{options + 1} voor 'weet ik niet'" in _said(typed)
        )


@pytest.mark.parametrize(
    "line",
    [
        "how do we measure ROI?",
        "back",
        "2 colleagues post",
        "1,,3",
        "I know",
        "weet ik",
        # Took the old pattern 12 s at 27 digits, minutes at 40 (exponential backtracking).
        "1" * 40 + " x",
    ],
)
def test_other_lines_are_no_typed_answer(line: str) -> None:
    assert scan_flow.typed(_scanning(1), line, BANK) is None


def test_a_typed_answer_after_the_last_question_says_the_scan_is_done() -> None:
    done = replace(_scanning(len(BANK) - 1), position=len(BANK))
    typed = scan_flow.typed(done, "1", BANK)
    assert typed is not None
    assert typed.effects == ()
    assert "You have completed this scan" in _said(typed)
