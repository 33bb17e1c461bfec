"""Teams activities as neutral events: the mirror of `render.py`, so a card submit round-trips."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.teams import forms, settings
from bot.teams.render import (
    ACT,
    ADVISOR,
    BACK,
    CHOICE,
    FILE,
    FILE_KINDS,
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
MAX_URL = 8000
"""Longer than the upload session URLs OneDrive gives (a few hundred characters)."""


@dataclass(frozen=True)
class Upload:
    """Where Teams asks for an accepted file: the upload session, and how to show it after."""

    url: str
    content_url: str
    unique_id: str
    file_type: str
    name: str


@dataclass(frozen=True)
class FileConsent:
    """A person's answer to a file consent card: allowed (with where to upload) or declined.

    `kind` and `name` are what the card's context named (`render.file_context`): the file is
    made again from them, never kept.
    """

    kind: str
    name: str
    upload: Upload | None
    """None: declined."""


Said = Event | forms.Submission | settings.SettingsValues | FileConsent | None
"""What an activity says: an event for the dialogs, a form's submit, an answer to a file
consent card, or nothing to act on."""


class UnknownAction(ValueError):
    """A card submit this app did not render, or one whose data was tampered with."""


def said(kind: str, value: Any, text: str | None) -> Said:
    """What an activity of type `kind` says, read before anything is done about it.

    Raises:
        UnknownAction: card data this app did not render or that was tampered with, or an
            invoke other than the answer to a file consent card (the advisor's cards send
            Action.Submit, which arrives as a message).
    """
    if kind == "invoke":
        return file_consent(value)
    if kind != "message":
        return None
    if value is not None and not isinstance(value, Mapping):
        raise UnknownAction("a card submit's data is an object")
    if value is not None and value.get(ADVISOR) == forms.FORM:
        settings_card = value.get("form") == forms.Form.SETTINGS
        try:
            return (settings.settings_submitted if settings_card else forms.submitted)(value)
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


def file_consent(value: Any) -> FileConsent:
    """The answer to a file consent card, as Teams invokes the bot with it (``fileConsent/
    invoke``): ``{action, context, uploadInfo}``, `context` being the card's own.

    Raises:
        UnknownAction: not the answer to a consent card this app sent.
    """
    if not isinstance(value, Mapping):
        raise UnknownAction("an invoke: the advisor's cards send none but file consent")
    action, context = value.get("action"), value.get("context")
    if action not in ("accept", "decline") or not isinstance(context, Mapping):
        raise UnknownAction("an invoke that is no answer to a file consent card")
    if context.get(ADVISOR) != FILE or context.get("kind") not in FILE_KINDS:
        raise UnknownAction("a file consent card this app did not send")
    kind, name = _text(context, "kind"), _text(context, "name")
    if action == "decline":
        return FileConsent(kind, name, None)
    info = value.get("uploadInfo")
    if not isinstance(info, Mapping):
        raise UnknownAction("an accepted file consent without uploadInfo")
    upload = Upload(
        url=_url(info, "uploadUrl"),
        content_url=_url(info, "contentUrl"),
        unique_id=_text(info, "uniqueId"),
        file_type=_text(info, "fileType"),
        name=_text(info, "name"),
    )
    return FileConsent(kind, name, upload)


def _url(value: Mapping[str, Any], key: str) -> str:
    url = value.get(key)
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise UnknownAction(f"a file consent's {key} is a web address")
    if len(url) > MAX_URL:
        raise UnknownAction(f"a file consent's {key} is too long")
    return url


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
