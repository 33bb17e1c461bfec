"""Slack payloads back to neutral events: what the renderer sends out comes back as a choice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from bot.slack.inbound import (
    UnknownAction,
    action_event,
    message_event,
    slash_event,
)
from bot.slack.render import to_blocks
from dialogs import views
from dialogs.commands import Manage, Managing
from dialogs.events import ChoiceSelected, Command, CommandInvoked, TaskAction, TextReceived
from dialogs.messages import Actions, Button, Choice, ChoicePrompt
from engine.bank import default_bank
from engine.sheet import AnswerSheet
from engine.vocabulary import Language

LABELS = {"back_label": "Terug", "pause_label": "Pauze", "submit_label": "Klaar"}
BANK = default_bank()
SINGLE = next(i for i, q in enumerate(BANK) if not q.kind.multiple)
MULTIPLE = next(i for i, q in enumerate(BANK) if q.kind.multiple)


def rendered(prompt_reply: Any) -> list[dict[str, Any]]:
    """Blocks as Slack shows them: Slack gives every block without one a block_id."""
    blocks = to_blocks(prompt_reply, **LABELS)
    return [{**block, "block_id": block.get("block_id", f"b{n}")} for n, block in enumerate(blocks)]


def click(block: dict[str, Any], element: dict[str, Any]) -> dict[str, Any]:
    """The `actions[0]` of a block_actions payload for a button press."""
    return {
        "action_id": element["action_id"],
        "block_id": block["block_id"],
        "value": element["value"],
        "type": "button",
        "text": element["text"],
        "action_ts": "1700000000.000100",
    }


def ticked(blocks: list[dict[str, Any]], *choice_ids: str) -> dict[str, Any]:
    """`state.values` with these options ticked in the message's checkbox groups."""
    values: dict[str, Any] = {}
    for block in blocks:
        for element in block.get("elements", ()):
            if element.get("type") == "checkboxes":
                chosen = [o for o in element["options"] if o["value"] in choice_ids]
                values[block["block_id"]] = {
                    element["action_id"]: {"type": "checkboxes", "selected_options": chosen}
                }
    return values


def buttons(blocks: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [
        (block, element)
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button"
    ]


@pytest.mark.parametrize("language", list(Language))
def test_clicking_each_choice_button_selects_that_choice(language: Language) -> None:
    reply = views.question(BANK, SINGLE, AnswerSheet(), language)
    prompt = reply[-1]
    assert isinstance(prompt, ChoicePrompt)

    events = [
        action_event(click(block, button), None)
        for block, button in buttons(rendered(reply))
        if button["action_id"].startswith("choice:")
    ]

    assert events == [ChoiceSelected(prompt.prompt_id, (c.id,)) for c in prompt.choices]


def test_the_navigation_buttons_go_back_and_pause() -> None:
    blocks = rendered(views.question(BANK, SINGLE, AnswerSheet(), Language.NL))
    navigation = [(b, e) for b, e in buttons(blocks) if e["action_id"].startswith("nav:")]

    events = [action_event(click(block, button), None) for block, button in navigation]

    assert events == [CommandInvoked(Command.BACK), CommandInvoked(Command.STOP)]


def test_submitting_ticked_checkboxes_selects_those_choices() -> None:
    reply = views.question(BANK, MULTIPLE, AnswerSheet(), Language.EN)
    prompt = reply[-1]
    assert isinstance(prompt, ChoicePrompt)
    first, _, third, *_ = (choice.id for choice in prompt.choices)
    blocks = rendered(reply)
    submit = next((b, e) for b, e in buttons(blocks) if e["action_id"] == "submit")

    event = action_event(click(*submit), ticked(blocks, first, third))

    assert event == ChoiceSelected(prompt.prompt_id, (first, third))


def test_ticks_in_every_checkbox_group_of_a_long_prompt_are_collected_in_order() -> None:
    choices = tuple(Choice(f"c{n}", f"Choice {n}") for n in range(14))
    blocks = rendered((ChoicePrompt("long", "Which?", choices, multiple=True),))
    submit = next((b, e) for b, e in buttons(blocks) if e["action_id"] == "submit")

    event = action_event(click(*submit), ticked(blocks, "c2", "c11", "c13"))

    assert event == ChoiceSelected("long", ("c2", "c11", "c13"))


def test_submitting_nothing_ticked_is_an_empty_choice_the_dialog_refuses() -> None:
    blocks = rendered(views.question(BANK, MULTIPLE, AnswerSheet(), Language.NL))
    submit = next((b, e) for b, e in buttons(blocks) if e["action_id"] == "submit")
    prompt_id = submit[1]["value"]

    assert action_event(click(*submit), ticked(blocks)) == ChoiceSelected(prompt_id, ())
    assert action_event(click(*submit), None) == ChoiceSelected(prompt_id, ())


def test_ticking_a_checkbox_is_not_yet_an_answer() -> None:
    toggle = {
        "action_id": "pick:obstacles",
        "block_id": "b3",
        "type": "checkboxes",
        "selected_options": [{"value": "no_time"}],
    }

    assert action_event(toggle, None) is None


def test_ticks_of_another_prompt_are_not_counted() -> None:
    state = {"b1": {"pick:goals": {"type": "checkboxes", "selected_options": [{"value": "sales"}]}}}
    submit = {"action_id": "submit", "block_id": "b2", "value": "obstacles", "type": "button"}

    assert action_event(submit, state) == ChoiceSelected("obstacles", ())


@pytest.mark.parametrize(
    "action",
    [
        {"action_id": "vote", "value": "x|y", "type": "button"},
        {"action_id": "choice:", "value": "q|a", "type": "button"},
        {"action_id": "choice:one", "value": "q|a", "type": "button"},
        {"action_id": "choice:0", "value": "no separator", "type": "button"},
        {"action_id": "choice:0", "value": "|a", "type": "button"},
        {"action_id": "choice:0", "value": "q|", "type": "button"},
        {"action_id": "choice:0", "value": "q|" + "a" * 2000, "type": "button"},
        {"action_id": "choice:0", "type": "button"},
        {"action_id": "submit", "value": "", "type": "button"},
        {"action_id": "pick:", "type": "checkboxes"},
        {"value": "q|a", "type": "button"},
    ],
)
def test_unknown_or_malformed_actions_are_refused(action: dict[str, Any]) -> None:
    with pytest.raises(UnknownAction):
        action_event(action, None)


def test_a_ticked_option_with_an_overlong_value_is_refused() -> None:
    state = {"b1": {"pick:q": {"type": "checkboxes", "selected_options": [{"value": "v" * 151}]}}}

    with pytest.raises(UnknownAction):
        action_event({"action_id": "submit", "value": "q", "type": "button"}, state)


@pytest.mark.parametrize(
    ("text", "event"),
    [
        ("", CommandInvoked(Command.HELP)),
        ("  ", CommandInvoked(Command.HELP)),
        ("help", CommandInvoked(Command.HELP)),
        ("hulp", CommandInvoked(Command.HELP)),
        ("scan", CommandInvoked(Command.SCAN)),
        ("resultaten", CommandInvoked(Command.RESULTS)),
        ("advice how do we measure ROI", CommandInvoked(Command.ADVICE, "how do we measure ROI")),
        ("taal en", CommandInvoked(Command.LANGUAGE, "en")),
        ("how do we measure ROI?", TextReceived("how do we measure ROI?")),
        ("Q&amp;A &lt;sales&gt;", TextReceived("Q&A <sales>")),
        ("launch", Manage(Managing.LAUNCH, "")),
        ("Launch #marketing @team", Manage(Managing.LAUNCH, "#marketing @team")),
        ("status", Manage(Managing.STATUS, "")),
        ("close", Manage(Managing.CLOSE, "")),
        ("settings threshold 7", Manage(Managing.SETTINGS, "threshold 7")),
        ("lanceren", Manage(Managing.LAUNCH, "")),
        ("Sluiten!", Manage(Managing.CLOSE, "")),
        ("instellingen", Manage(Managing.SETTINGS, "")),
        ("meten", Manage(Managing.MEASURE, "")),
    ],
)
def test_a_slash_command_is_help_a_management_command_a_command_or_a_question(
    text: str, event: object
) -> None:
    assert slash_event(text) == event


@pytest.mark.parametrize(
    ("text", "event"),
    [
        ("2", TextReceived("2")),
        ("advies", TextReceived("advies")),
        ("<@U0ADVISOR> hoe meten we ROI?", TextReceived("hoe meten we ROI?")),
        ("Q&amp;A &lt;sales&gt;", TextReceived("Q&A <sales>")),
    ],
)
def test_a_message_is_text_for_the_dialog_without_the_bots_mention(
    text: str, event: TextReceived
) -> None:
    assert message_event(text) == event


@pytest.mark.parametrize(
    "event",
    [
        TaskAction(Command.DONE, 12, datetime(2026, 11, 23, 10, 0)),  # noqa: DTZ001 - wall clock
        TaskAction(Command.SNOOZE, 7),
        CommandInvoked(Command.TASKS),
        CommandInvoked(Command.MEASURE),
    ],
)
def test_a_one_click_action_comes_back_as_the_event_it_was_rendered_from(
    event: TaskAction | CommandInvoked,
) -> None:
    blocks = rendered((Actions((Button("Go", event, "go"),)),))
    (element,) = blocks[0]["elements"]

    assert action_event(click(blocks[0], element), None) == event


@pytest.mark.parametrize(
    "value",
    ["skip 12", "done twelve", "done 12 yesterday", "reassign 3 ann", "tasks 3", "", "done"],
)
def test_a_one_click_value_that_we_did_not_render_is_refused(value: str) -> None:
    action = {"action_id": "act:0", "block_id": "b0", "type": "button", "value": value}

    with pytest.raises(UnknownAction):
        action_event(action, None)
