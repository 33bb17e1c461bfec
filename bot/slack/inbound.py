"""Slack payloads as neutral events: the mirror of `render.py`, so a button's ids round-trip."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.slack.render import (
    ACT_ACTION,
    BACK_ACTION,
    CHOICE_ACTION,
    MAX_BUTTON_VALUE,
    MAX_OPTION_VALUE,
    PICK_ACTION,
    SEPARATOR,
    STOP_ACTION,
    SUBMIT_ACTION,
)
from dialogs.commands import Manage, managing, parse
from dialogs.events import (
    BadToken,
    ChoiceSelected,
    Command,
    CommandInvoked,
    Event,
    TextReceived,
    from_token,
)

MANAGEMENT_COMMANDS = frozenset({"launch", "status", "close", "settings"})
"""The slash subcommands for the people who run the scan, as the app's manifest hints them."""

_LEADING_MENTION = re.compile(r"^\s*(<@[A-Z0-9]+(\|[^>]*)?>\s*)+")


class UnknownAction(ValueError):
    """A block action this app did not render, or one whose value was tampered with."""


def action_event(action: Mapping[str, Any], state_values: Mapping[str, Any] | None) -> Event | None:
    """The event behind one action of a `block_actions` payload; None for a checkbox toggle.

    Args:
        action: one item of the payload's `actions`.
        state_values: the payload's `state.values` (block id -> action id -> element state),
            where the ticked checkboxes are when someone presses submit.

    Raises:
        UnknownAction: the action id is not one of ours or its value is malformed.
    """
    action_id = _text(action, "action_id")
    if action_id.startswith(CHOICE_ACTION) and action_id[len(CHOICE_ACTION) :].isdigit():
        prompt_id, choice_id = _prompt_and_choice(_text(action, "value"))
        return ChoiceSelected(prompt_id, (choice_id,))
    if action_id == SUBMIT_ACTION:
        prompt_id = _value(_text(action, "value"), MAX_BUTTON_VALUE)
        return ChoiceSelected(prompt_id, _ticked(state_values, f"{PICK_ACTION}{prompt_id}"))
    if action_id.startswith(PICK_ACTION) and len(action_id) > len(PICK_ACTION):
        return None
    if action_id.startswith(ACT_ACTION) and action_id[len(ACT_ACTION) :].isdigit():
        try:
            return from_token(_value(_text(action, "value"), MAX_BUTTON_VALUE))
        except BadToken as error:
            raise UnknownAction(str(error)) from error
    if action_id == BACK_ACTION:
        return CommandInvoked(Command.BACK)
    if action_id == STOP_ACTION:
        return CommandInvoked(Command.STOP)
    raise UnknownAction(f"unknown Slack action id {action_id[:80]!r}")


def slash_event(text: str) -> Event | Manage:
    """`/advisor <text>`: help when empty, a manager's request, a command or a question."""
    text = _unescape(text).strip()
    if not text:
        return CommandInvoked(Command.HELP)
    return managing(text) or parse(text) or TextReceived(text)


def message_event(text: str) -> Event:
    """A direct message or a mention: text for the dialog, which reads commands itself."""
    return TextReceived(_unescape(_LEADING_MENTION.sub("", text)).strip())


def _prompt_and_choice(value: str) -> tuple[str, str]:
    prompt_id, separator, choice_id = _value(value, MAX_BUTTON_VALUE).partition(SEPARATOR)
    if not separator or not prompt_id or not choice_id:
        raise UnknownAction(f"a choice button's value is 'prompt|choice', not {value[:80]!r}")
    return prompt_id, choice_id


def _ticked(state_values: Mapping[str, Any] | None, action_id: str) -> tuple[str, ...]:
    """Ticked option values of every checkbox group with this action id, in order, once each."""
    ticked: list[str] = []
    for block in (state_values or {}).values():
        element = block.get(action_id) if isinstance(block, Mapping) else None
        if not isinstance(element, Mapping):
            continue
        for option in element.get("selected_options") or ():
            value = _value(_text(option, "value"), MAX_OPTION_VALUE)
            if value not in ticked:
                ticked.append(value)
    return tuple(ticked)


def _text(payload: Mapping[str, Any], key: str) -> str:
    value = payload.get(key) if isinstance(payload, Mapping) else None
    if not isinstance(value, str):
        raise UnknownAction(f"a Slack action without a text {key!r}")
    return value


def _value(value: str, limit: int) -> str:
    if not value or len(value) > limit:
        raise UnknownAction(f"a Slack action value must be 1 to {limit} characters")
    return value


def _unescape(text: str) -> str:
    # Slack escapes &, < and > in the text it sends; the dialog wants what the person typed.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
