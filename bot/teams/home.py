"""The overview card in a Teams personal chat: what Slack's App Home shows, to come back to.

It holds the project manager's part (the running scan's participation and the plan), the
overview everyone gets (their scan, the results, what they can ask), and buttons for the common
next steps: the scan, the results, the tasks, and for the project manager the settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.teams import phrases as teams_phrases
from bot.teams.render import (
    ACT,
    ADVISOR,
    CARD_BUDGET,
    MAX_BUTTON_TITLE,
    _fit,
    _fitting,
    _groups,
    _submit,
    card_size,
    to_activity,
)
from dialogs.events import Command, CommandInvoked, to_token
from dialogs.messages import Reply
from engine.vocabulary import Language

WORDS = frozenset({"home", "overzicht", "overview"})
"""What brings the overview back in a personal chat."""
ROW = 3
"""Buttons in a row: three short titles fit side by side on a 320 px phone."""
_COMMANDS = (
    (teams_phrases.HOME_SCAN, Command.SCAN),
    (teams_phrases.HOME_RESULTS, Command.RESULTS),
    (teams_phrases.HOME_TASKS, Command.TASKS),
)


def asks_for_home(text: str) -> bool:
    """Whether a line is one of the overview's words (and nothing more)."""
    return text.strip().lower().rstrip("!.?") in WORDS


def home_activity(
    reply: Reply,
    language: Language,
    *,
    manager: bool,
    names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The overview as one card, its buttons at the end in rows of `ROW`; what would not fit
    Teams' size is cut before the buttons, never the buttons.

    Args:
        reply: the manager's part (if any) and the overview, as the dialogs say them.
        language: the buttons' language.
        manager: whether to offer the settings (only the project manager may change them).
        names: display names of the people and places the reply names, by address.
    """
    buttons = [
        _submit(label(language), {ADVISOR: ACT, "token": to_token(CommandInvoked(command))})
        for label, command in _COMMANDS
    ]
    if manager:
        # Typed for the person, as Teams' imBack does: the same word opens the card.
        typed = {"msteams": {"type": "imBack", "value": teams_phrases.SETTINGS_WORD(language)}}
        title = _fit(teams_phrases.HOME_SETTINGS(language), MAX_BUTTON_TITLE)
        buttons.append({"type": "Action.Submit", "title": title, "data": typed})
    rows = [{"type": "ActionSet", "actions": row} for row in _groups(buttons, ROW)]
    activity = to_activity(reply, names=names, language=language)
    card = activity["attachments"][0]["content"]
    room = CARD_BUDGET - card_size({**card, "body": rows})
    card["body"] = [*_fitting(card["body"], room), *rows]
    return activity
