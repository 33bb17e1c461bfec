"""A conversation's saved state, and the intents a turn asks the runner to carry out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from dialogs.messages import Reply
from engine.kpi import KpiEntry
from engine.sheet import AnswerSheet
from engine.vocabulary import Language

STATE_VERSION = 1


class Step(StrEnum):
    IDLE = "idle"
    SCANNING = "scanning"
    MEASURING = "measuring"
    CONFIRMING_FIGURES = "confirming_figures"
    """Every figure typed, some hardly ever true: waiting for yes (save) or no (correct)."""
    FORGETTING = "forgetting"
    """Asked to be forgotten: waiting for the explicit confirmation."""


@dataclass(frozen=True)
class DialogState:
    """Where one person is. `sheet` mirrors their own stored answers while they scan."""

    language: Language
    step: Step = Step.IDLE
    scan_id: int | None = None
    position: int = 0
    sheet: AnswerSheet = field(default_factory=AnswerSheet)
    figures: Mapping[str, int] = field(default_factory=dict)
    """While measuring, and kept as a draft when the person stops: the figures typed so far."""
    week: str = ""
    """The ISO week ("2026-W47") the figures are for, while measuring or in a draft."""
    successor: str = ""
    """While forgetting: who takes over as project manager (a respondent), if anyone."""

    def to_json(self) -> dict[str, Any]:
        return {
            "v": STATE_VERSION,
            "language": self.language.value,
            "step": self.step.value,
            "scan_id": self.scan_id,
            "position": self.position,
            "sheet": {q: list(ids) for q, ids in self.sheet.answers.items()},
            "figures": dict(self.figures),
            "week": self.week,
            "successor": self.successor,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DialogState:
        return cls(
            language=Language(data["language"]),
            step=Step(data["step"]),
            scan_id=data.get("scan_id"),
            position=int(data.get("position", 0)),
            sheet=AnswerSheet({q: tuple(ids) for q, ids in data.get("sheet", {}).items()}),
            figures={name: int(value) for name, value in data.get("figures", {}).items()},
            successor=str(data.get("successor", "")),
            week=str(data.get("week", "")),
        )

    def idle(self) -> DialogState:
        return replace(self, step=Step.IDLE)


@dataclass(frozen=True)
class RecordAnswer:
    scan_id: int
    question_id: str
    option_ids: tuple[str, ...]


@dataclass(frozen=True)
class CompleteSheet:
    scan_id: int


@dataclass(frozen=True)
class RecordFigures:
    """A week's checked figures, which the runner records through the desk before it saves the
    state that says they were saved."""

    entry: KpiEntry


@dataclass(frozen=True)
class StartAfresh:
    """The person was just forgotten, their conversation with them: the runner saves nothing
    of this turn, so no row names them again, and their next turn starts a new conversation."""


Effect = RecordAnswer | CompleteSheet
"""What a turn records in the scan, saved with the turn's state in one transaction."""
TurnEffect = Effect | RecordFigures | StartAfresh
"""Every intent a transition may hand the runner."""


@dataclass(frozen=True)
class Transition:
    state: DialogState
    replies: Reply
    effects: tuple[TurnEffect, ...] = ()
