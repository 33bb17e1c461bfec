"""The terminal adapter: numbered text out, numbers and words in."""

from __future__ import annotations

from bot.console.inbound import NO_SUCH_CHOICE, to_event
from bot.console.render import render
from dialogs.events import ChoiceSelected, Command, CommandInvoked, TaskAction, TextReceived
from dialogs.messages import (
    Actions,
    Bar,
    Button,
    Chart,
    Choice,
    ChoicePrompt,
    Facts,
    Heading,
    Progress,
)

PROMPT = ChoicePrompt(
    prompt_id="media_channels",
    text="Which channels?",
    choices=(Choice("a", "A", "Only a company page"), Choice("b", "B"), Choice("dont_know", "?")),
    multiple=True,
    selected=("b",),
    hint="Pick one or more",
)


def test_a_prompt_is_numbered_with_the_earlier_answer_marked() -> None:
    assert render((Progress(2, 16, "Question 2 of 16"), PROMPT)) == (
        "Question 2 of 16  [##..................]\n\n"
        "Which channels?\n"
        "   1. Only a company page\n"
        "*  2. B\n"
        "   3. ?\n"
        "(Pick one or more)\n"
    )


def test_facts_and_a_chart_line_up_as_text() -> None:
    text = render(
        (
            Heading("Result"),
            Facts((("Phase", "2"), ("Respondents", "7"))),
            Chart("Profile", (Bar("Media", 2.5, "n=7"),)),
        )
    )
    assert "== Result ==" in text
    assert "Phase        2" in text
    assert "Media  ██████████··········  2.5  n=7" in text


def test_one_click_actions_show_what_to_type_instead() -> None:
    actions = Actions(
        (
            Button("Klaar", TaskAction(Command.DONE, 3), "klaar 3"),
            Button("Alle taken", CommandInvoked(Command.TASKS), "taken"),
        )
    )

    assert render((actions,)) == "[klaar 3]  [taken]\n"


def test_numbers_answer_the_prompt_on_screen() -> None:
    assert to_event("2", PROMPT) == ChoiceSelected("media_channels", ("b",))
    assert to_event(" 1, 3 ", PROMPT) == ChoiceSelected("media_channels", ("a", "dont_know"))


def test_a_number_off_the_list_becomes_a_choice_the_dialog_refuses() -> None:
    assert to_event("7", PROMPT) == ChoiceSelected("media_channels", (NO_SUCH_CHOICE,))


def test_words_are_text_and_numbers_without_a_prompt_too() -> None:
    assert to_event("hoe meten we ROI?", PROMPT) == TextReceived("hoe meten we ROI?")
    assert to_event("2", None) == TextReceived("2")
