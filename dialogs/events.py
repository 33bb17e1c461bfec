"""Neutral inbound events: what a person did, whatever the channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Command(StrEnum):
    SCAN = "scan"
    RESULTS = "results"
    PLAN = "plan"
    ADVICE = "advice"
    HELP = "help"
    BACK = "back"
    STOP = "stop"
    LANGUAGE = "language"
    TASKS = "tasks"
    ADOPT = "adopt"
    DONE = "done"
    SNOOZE = "snooze"
    SKIP = "skip"
    AWAY = "away"
    REASSIGN = "reassign"
    MEASURE = "measure"
    MY_DATA = "my-data"
    FORGET = "forget"
    ERASE = "erase"
    """The confirmation of 'forget me', as a button: the erasure itself."""
    PRIVACY = "privacy"
    EXPORT = "export"
    AUDIT = "audit"


@dataclass(frozen=True)
class ConversationStarted:
    pass


@dataclass(frozen=True)
class TextReceived:
    text: str


@dataclass(frozen=True)
class ChoiceSelected:
    """Options picked on a prompt; `prompt_id` says which prompt, so a stale click is safe."""

    prompt_id: str
    choice_ids: tuple[str, ...]


@dataclass(frozen=True)
class CommandInvoked:
    command: Command
    argument: str = ""


@dataclass(frozen=True)
class TaskAction:
    """A one-click action on a task from a nudge or the digest.

    `occurrence` pins "done" to the occurrence the button was sent for, so a second click, or a
    click on last week's nudge, cannot tick off a later occurrence.
    """

    command: Command
    task_id: int
    occurrence: datetime | None = None


Event = ConversationStarted | TextReceived | ChoiceSelected | CommandInvoked | TaskAction
ButtonEvent = TaskAction | CommandInvoked
"""What a button may do: act on a task, or run a command that needs no words."""

_TASK_ACTIONS = frozenset({Command.DONE, Command.SNOOZE})
_BUTTON_COMMANDS = frozenset(
    {
        Command.SCAN,
        Command.TASKS,
        Command.MEASURE,
        Command.PLAN,
        Command.RESULTS,
        Command.ADOPT,
        Command.ERASE,
    }
)


class BadToken(ValueError):
    """A button token this app did not make, or one that was tampered with."""


def to_token(event: ButtonEvent) -> str:
    """A button's event as a short string a channel can carry in the button and hand back."""
    if isinstance(event, CommandInvoked):
        return event.command.value
    occurrence = f" {event.occurrence:%Y-%m-%dT%H:%M}" if event.occurrence else ""
    return f"{event.command.value} {event.task_id}{occurrence}"


def from_token(token: str) -> ButtonEvent:
    """The event `to_token` made; raises `BadToken` for anything else."""
    words = token.split()
    try:
        command = Command(words[0]) if words else None
    except ValueError:
        command = None
    if command in _BUTTON_COMMANDS and len(words) == 1:
        return CommandInvoked(command)
    if (
        command in _TASK_ACTIONS
        and len(words) in (2, 3)
        and words[1].isascii()
        and words[1].isdigit()
    ):
        try:
            occurrence = datetime.fromisoformat(words[2]) if len(words) == 3 else None
        except ValueError:
            occurrence = None
        if len(words) == 2 or occurrence is not None:
            return TaskAction(command, int(words[1]), occurrence)
    raise BadToken(f"not a button token: {token[:80]!r}")


@dataclass(frozen=True)
class ConversationKey:
    """Who is talking where: the unit that is locked and whose state is saved."""

    channel: str
    org_id: int
    conversation: str
    user: str

    @property
    def storage_key(self) -> str:
        return f"{self.channel}:{self.conversation}:{self.user}"

    @property
    def respondent(self) -> str:
        """The respondent's identity in the organisation's scans."""
        return f"{self.channel}:{self.user}"
