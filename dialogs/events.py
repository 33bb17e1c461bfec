"""Neutral inbound events: what a person did, whatever the channel."""

from __future__ import annotations

from dataclasses import dataclass
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


Event = ConversationStarted | TextReceived | ChoiceSelected | CommandInvoked


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
