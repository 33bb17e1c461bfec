"""A scan question as Slack shows it: which question, its choice buttons, its checkboxes."""

from __future__ import annotations

import re
from typing import Any

from bot.slack.render import CHOICE_ACTION, SEPARATOR, SUBMIT_ACTION

_QUESTION_ID = re.compile(r"[a-z][a-z0-9_]*")
"""How a question id starts a prompt id, whatever follows it (such as the scan)."""


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The choice buttons of a one-answer question, in order."""
    return [
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button" and element["action_id"].startswith(CHOICE_ACTION)
    ]


def checkbox_state(
    message: dict[str, Any], picks: int, *, first: int = 0
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Tick `picks` boxes from the `first` on; returns the state and the submit action."""
    state: dict[str, Any] = {}
    submit: dict[str, Any] = {}
    for index, block in enumerate(message["blocks"]):
        if block["type"] != "actions":
            continue
        for element in block["elements"]:
            if element["type"] == "checkboxes":
                chosen = element["options"][first : first + picks]
                state[f"b{index}"] = {
                    element["action_id"]: {"type": "checkboxes", "selected_options": chosen}
                }
            elif element.get("action_id") == SUBMIT_ACTION:
                submit = {**element, "block_id": f"b{index}"}
    return state, submit


def ticked(state: dict[str, Any]) -> tuple[str, ...]:
    """The option ids ticked in a `checkbox_state`, in order."""
    return tuple(
        option["value"]
        for block in state.values()
        for element in block.values()
        for option in element["selected_options"]
    )


def shown_question(message: dict[str, Any]) -> str | None:
    """The id of the question the message asks; None when it asks none (a scan's end)."""
    choices = buttons(message)
    _, submit = checkbox_state(message, picks=0)
    if choices:
        prompt = str(choices[0]["value"]).partition(SEPARATOR)[0]
    elif submit:
        prompt = str(submit["value"])
    else:
        return None
    found = _QUESTION_ID.match(prompt)
    return found.group() if found else None
