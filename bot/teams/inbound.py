"""Teams activities as neutral events: the mirror of `render.py`, so a card submit round-trips."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.teams import forms
from bot.teams.render import (
    ACT,
    ADVISOR,
    BACK,
    CHOICE,
    MAX_CARD_BYTES,
    MAX_ID,
    PICK_INPUT,
    PICK_SEPARATOR,
    STOP,
    SUBMIT,
)
from dialogs.events import (
    BadToken,
    ChoiceSelected,
    Command,
    CommandInvoked,
    Event,
    TextReceived,
    from_token,
)

_LEADING_MENTION = re.compile(r"^\s*(<at>[^<]*</at>\s*)+")
Said = Event | forms.Submission | None
"""What an activity says: an event for the dialogs, a form's submit, or nothing to act on."""


class UnknownAction(ValueError):
    """A card submit this app did not render, or one whose data was tampered with."""


def said(kind: str, value: Any, text: str | None) -> Said:
    """What an activity of type `kind` says, read before anything is done about it.

    Raises:
        UnknownAction: card data this app did not render or that was tampered with, or an
            invoke (the advisor's cards send Action.Submit, which arrives as a message).
    """
    if kind == "invoke":
        raise UnknownAction("an invoke: the advisor's cards send none")
    if kind != "message":
        return None
    if value is not None and not isinstance(value, Mapping):
        raise UnknownAction("a card submit's data is an object")
    if value is not None and value.get(ADVISOR) == forms.FORM:
        try:
            return forms.submitted(value)
        except forms.FormError as error:
            raise UnknownAction(str(error)) from error
    return card_event(value, text)


def card_event(value: Mapping[str, Any] | None, text: str | None) -> Event | None:
    """The event behind an incoming message activity: a card's submit, or what someone typed.

    Args:
        value: the activity's `value`, where Teams puts a pressed Action.Submit's `data` merged
            with the card's input values (a multi-select's ticked ids, comma-joined).
        text: the activity's `text`; in a channel it starts with the bot's `<at>` mention.

    Returns:
        The neutral event, or None for an activity with neither a value nor text.

    Raises:
        UnknownAction: the value is not one our cards send, or was tampered with.
    """
    if value is not None:
        return _submitted(value)
    if text is None:
        return None
    return TextReceived(_LEADING_MENTION.sub("", text).strip())


def _submitted(value: Mapping[str, Any]) -> Event:
    kind = _text(value, ADVISOR)
    if kind == CHOICE:
        return ChoiceSelected(_text(value, "prompt"), (_text(value, "choice"),))
    if kind == SUBMIT:
        prompt_id = _text(value, "prompt")
        return ChoiceSelected(prompt_id, _ticked(value.get(f"{PICK_INPUT}{prompt_id}")))
    if kind == ACT:
        try:
            return from_token(_text(value, "token"))
        except BadToken as error:
            raise UnknownAction(str(error)) from error
    if kind == BACK:
        return CommandInvoked(Command.BACK)
    if kind == STOP:
        return CommandInvoked(Command.STOP)
    raise UnknownAction(f"unknown Teams submit kind {kind[:80]!r}")


def _ticked(picked: Any) -> tuple[str, ...]:
    """The ids a multi-select sent, in order, once each; nothing ticked is sent as "" or not."""
    if picked is None or picked == "":
        return ()
    if not isinstance(picked, str) or len(picked) > MAX_CARD_BYTES:
        raise UnknownAction("a multi-select value must be comma-joined choice ids")
    ticked: list[str] = []
    for choice_id in picked.split(PICK_SEPARATOR):
        if choice_id not in ticked:
            ticked.append(_id(choice_id))
    return tuple(ticked)


def _text(value: Mapping[str, Any], key: str) -> str:
    text = value.get(key) if isinstance(value, Mapping) else None
    if not isinstance(text, str):
        raise UnknownAction(f"a Teams submit without a text {key!r}")
    return _id(text)


def _id(text: str) -> str:
    if not text or len(text) > MAX_ID:
        raise UnknownAction(f"a Teams submit value must be 1 to {MAX_ID} characters")
    return text
