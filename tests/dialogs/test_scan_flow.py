"""The scan flow's pure transitions: which scan a button answers, and answers typed as words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from dialogs import phrases, prompts, scan_flow
from dialogs.events import ChoiceSelected
from dialogs.messages import ChoicePrompt, Heading, Paragraph, Reply
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
    assert (finished.state.step, finished.state.position) == (Step.SCANNING, len(BANK))


def test_going_back_shows_the_earlier_question_bound_to_the_same_scan() -> None:
    went = scan_flow.back(_scanning(4), BANK)
    assert prompts.read(_prompt(went.replies).prompt_id) == prompts.ScanPrompt(
        BANK.questions[3].id, RESCAN.id
    )


# Beginning, finishing, going back and pausing


def test_the_first_question_of_a_first_scan_welcomes_and_says_it_is_the_baseline() -> None:
    begun = scan_flow.begin(DialogState(language=Language.EN), BASELINE, AnswerSheet(), BANK)
    assert (begun.state.step, begun.state.scan_id, begun.state.position) == (
        Step.SCANNING,
        BASELINE.id,
        0,
    )
    assert _said(begun).startswith("Hi! I'm the social strategy advisor.")
    assert "This is the baseline" in _said(begun)
    assert prompts.read(_prompt(begun.replies).prompt_id) == prompts.ScanPrompt(
        BANK.questions[0].id, BASELINE.id
    )


def test_a_re_scan_welcomes_without_calling_itself_the_baseline() -> None:
    begun = scan_flow.begin(DialogState(language=Language.EN), RESCAN, AnswerSheet(), BANK)
    assert "Hi! I'm the social strategy advisor." in _said(begun)
    assert "baseline" not in _said(begun)


def test_resuming_continues_at_the_first_unanswered_question() -> None:
    answered = {
        q.id: (DONT_KNOW,) for q in (BANK.questions[0], BANK.questions[1], BANK.questions[3])
    }
    begun = scan_flow.begin(DialogState(language=Language.NL), RESCAN, AnswerSheet(answered), BANK)
    assert begun.state.position == 2
    assert begun.state.sheet == AnswerSheet(answered)
    assert _said(begun).startswith("Welkom terug: we gaan verder bij vraag 3.")
    assert _prompt(begun.replies).prompt_id == _prompt_id(2)


def test_beginning_a_completed_sheet_says_so_and_asks_nothing() -> None:
    everything = AnswerSheet({q.id: (DONT_KNOW,) for q in BANK})
    begun = scan_flow.begin(DialogState(language=Language.EN), RESCAN, everything, BANK)
    assert begun.state.position == len(BANK)
    assert begun.effects == ()
    assert (
        _said(begun) == "You have completed this scan. You can still change an answer with 'back'."
    )
    assert not any(isinstance(block, ChoicePrompt) for block in begun.replies)


def test_the_last_answer_records_it_then_completes_the_sheet_and_shows_the_profile() -> None:
    last = len(BANK) - 1
    question = BANK.questions[last]
    finished = scan_flow.choose(_scanning(last), _click(RESCAN, last), BANK)
    assert finished.effects == (
        RecordAnswer(RESCAN.id, question.id, (question.options[0].id,)),
        CompleteSheet(RESCAN.id),
    )
    assert (finished.state.step, finished.state.position) == (Step.SCANNING, len(BANK))
    assert finished.state.scan_id == RESCAN.id, "kept, so 'back' can still revise an answer"
    assert Heading("Done, thank you!") in finished.replies
    assert "How you see the organisation" in repr(finished.replies)
    assert not any(isinstance(block, ChoicePrompt) for block in finished.replies)


def test_a_typed_last_answer_completes_the_sheet_too() -> None:
    typed = scan_flow.typed(_scanning(len(BANK) - 1), "1", BANK)
    assert typed is not None
    assert typed.effects[-1] == CompleteSheet(RESCAN.id)
    assert typed.state.position == len(BANK)


def test_revising_an_answer_of_a_completed_sheet_records_it_and_completes_it_again() -> None:
    everything = AnswerSheet({q.id: (DONT_KNOW,) for q in BANK})
    done = scan_flow.begin(DialogState(language=Language.EN), RESCAN, everything, BANK).state
    question = BANK.questions[2]
    revised = scan_flow.choose(done, _click(RESCAN, 2, option=1), BANK)
    assert revised.effects == (
        RecordAnswer(RESCAN.id, question.id, (question.options[1].id,)),
        CompleteSheet(RESCAN.id),
    )
    assert revised.state.sheet.get(question.id) == (question.options[1].id,)


def test_an_option_the_question_does_not_have_answers_nothing_and_says_so() -> None:
    state = _scanning(2)
    question = BANK.questions[2]
    clicked = scan_flow.choose(state, ChoiceSelected(_prompt_id(2), ("no_such_option",)), BANK)
    assert (clicked.effects, clicked.state) == ((), state)
    assert "That is not one of the options" in _said(clicked)
    assert _prompt(clicked.replies).prompt_id == _prompt_id(2)
    for choices in ((), (question.options[0].id, DONT_KNOW)):
        refused = scan_flow.choose(state, ChoiceSelected(_prompt_id(2), choices), BANK)
        assert (refused.effects, refused.state) == ((), state), choices


def test_several_options_on_a_question_that_takes_one_answer_nothing() -> None:
    single = next(i for i, question in enumerate(BANK) if not question.kind.multiple)
    state = _scanning(single)
    options = tuple(option.id for option in BANK.questions[single].options[:2])
    clicked = scan_flow.choose(state, ChoiceSelected(_prompt_id(single), options), BANK)
    assert (clicked.effects, clicked.state) == ((), state)
    assert "That is not one of the options" in _said(clicked)


def test_a_question_that_is_not_in_the_bank_answers_nothing_and_says_so() -> None:
    state = _scanning(1)
    unknown = ChoiceSelected(prompts.prompt_id(RESCAN.id, "no_such_question"), (DONT_KNOW,))
    clicked = scan_flow.choose(state, unknown, BANK)
    assert (clicked.effects, clicked.state) == ((), state)
    assert "nothing was saved" in _said(clicked)


def test_going_back_from_the_first_question_says_it_is_the_first_and_changes_nothing() -> None:
    state = _scanning(0, language=Language.NL)
    went = scan_flow.back(state, BANK)
    assert (went.effects, went.state) == ((), state)
    assert _said(went) == "Dit is de eerste vraag."
    assert _prompt(went.replies).prompt_id == _prompt_id(0)


def test_going_back_keeps_the_answers_and_records_nothing() -> None:
    state = _scanning(4)
    went = scan_flow.back(state, BANK)
    assert went.state.position == 3
    assert went.state.sheet == state.sheet
    assert went.effects == ()


def test_going_back_after_the_last_answer_reopens_the_last_question() -> None:
    finished = scan_flow.choose(_scanning(len(BANK) - 1), _click(RESCAN, len(BANK) - 1), BANK)
    went = scan_flow.back(finished.state, BANK)
    assert went.state.step is Step.SCANNING
    assert _prompt(went.replies).prompt_id == _prompt_id(len(BANK) - 1)


def test_pausing_keeps_the_answers_and_where_the_person_was() -> None:
    state = _scanning(5)
    paused = scan_flow.pause(state, BANK)
    assert paused.state == replace(state, step=Step.IDLE)
    assert paused.effects == ()
    assert _said(paused) == "Paused. Your answers are saved; type 'scan' to continue."


@pytest.mark.parametrize("language", list(Language))
def test_stopping_after_the_last_answer_says_there_is_nothing_to_pause_and_back_still_works(
    language: Language,
) -> None:
    last = _scanning(len(BANK) - 1, language=language)
    finished = scan_flow.choose(last, _click(RESCAN, len(BANK) - 1), BANK).state

    stopped = scan_flow.pause(finished, BANK)

    assert stopped.state == finished
    assert _said(stopped) == phrases.SCAN_STOP_AT_END(language)
    went = scan_flow.back(stopped.state, BANK)
    assert _prompt(went.replies).prompt_id == _prompt_id(len(BANK) - 1)


def test_going_back_after_pausing_resumes_the_scan_at_the_previous_question() -> None:
    paused = scan_flow.pause(_scanning(5), BANK).state
    went = scan_flow.back(paused, BANK)
    assert (went.state.step, went.state.position) == (Step.SCANNING, 4)
    assert _prompt(went.replies).prompt_id == _prompt_id(4)


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


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (Language.EN, "You have answered every question; nothing was changed."),
        (Language.NL, "Je hebt alle vragen beantwoord; er is niets veranderd."),
    ],
)
def test_a_typed_answer_after_the_last_question_says_how_to_change_one(
    language: Language, said: str
) -> None:
    done = replace(_scanning(len(BANK) - 1, language=language), position=len(BANK))
    typed = scan_flow.typed(done, "1", BANK)
    assert typed is not None
    assert (typed.effects, typed.state) == ((), done)
    assert _said(typed).startswith(said)
    assert ("'back'" if language is Language.EN else "'terug'") in _said(typed)


def test_after_the_last_question_the_scan_is_not_repeated_beside_other_replies() -> None:
    done = replace(_scanning(len(BANK) - 1), position=len(BANK))
    assert scan_flow.shown(done, BANK) == ()
