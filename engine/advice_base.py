"""The advice knowledge base: topics for free-text questions and tips per context, as data."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from engine.catalogue import CatalogueError, parse_yaml, read_packaged, validate_item
from engine.text import Text
from engine.vocabulary import Dimension, Goal, Objective, Obstacle, Phase


class Phrases(BaseModel):
    """Example wordings per language, used to match free-text questions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    nl: tuple[str, ...] = Field(min_length=1)
    en: tuple[str, ...] = Field(min_length=1)


class Topic(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    questions: Phrases
    """How people ask about this topic (several wordings per language)."""
    keywords: Phrases
    answer: Text
    dimension: Dimension | None = None


class PhasedText(Text):
    """A tip written for organisations in a range of phases, first to last."""

    phases: tuple[Phase, Phase]

    @model_validator(mode="after")
    def _in_order(self) -> PhasedText:
        if self.phases[0] > self.phases[1]:
            raise ValueError("phases run from the first to the last, lowest first")
        return self


class PhasedTips(RootModel[tuple[PhasedText, ...]]):
    """One tip per phase: variants whose ranges cover phases 1 to 5, each phase once.

    What answers an obstacle depends on where the organisation stands: a baseline helps a
    starting organisation see its return, not one that traces every lead to a post.
    """

    model_config = ConfigDict(frozen=True)

    @model_validator(mode="after")
    def _each_phase_once(self) -> PhasedTips:
        covered = [phase for tip in self.root for phase in Phase if _within(phase, tip.phases)]
        if sorted(covered) != list(Phase):
            raise ValueError("the tips' phase ranges must cover phases 1 to 5, each once")
        return self

    def at(self, phase: Phase) -> PhasedText:
        """The tip for an organisation in `phase`."""
        return next(tip for tip in self.root if _within(phase, tip.phases))


def _within(phase: Phase, phases: tuple[Phase, Phase]) -> bool:
    return phases[0] <= phase <= phases[1]


class AdviceBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    topics: tuple[Topic, ...] = Field(min_length=1)
    obstacles: dict[Obstacle, PhasedTips]
    objectives: dict[Objective, PhasedTips]
    goals: dict[Goal, PhasedTips]
    role_gap: Text
    """Advice when management and employees see the organisation differently."""
    low_agreement: Text
    """Advice when respondents disagree strongly on a dimension."""

    @model_validator(mode="after")
    def _complete(self) -> AdviceBase:
        for name, vocabulary in (
            ("obstacles", Obstacle),
            ("objectives", Objective),
            ("goals", Goal),
        ):
            missing = set(vocabulary) - set(getattr(self, name))
            if missing:
                raise ValueError(f"{name} lacks a tip for {', '.join(sorted(missing))}")
        ids = [topic.id for topic in self.topics]
        if len(set(ids)) != len(ids):
            raise ValueError("topic ids must be unique")
        return self

    def topic(self, topic_id: str) -> Topic | None:
        return next((topic for topic in self.topics if topic.id == topic_id), None)


def parse_advice_base(raw: str, source: str) -> AdviceBase:
    data: Any = parse_yaml(raw, source)
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise CatalogueError(f"{source}: expected a mapping with a 'topics' list")
    topics = [
        validate_item(Topic, entry, source=source, item=_name(entry, i))
        for i, entry in enumerate(data["topics"])
    ]
    return validate_item(AdviceBase, {**data, "topics": topics}, source=source, item="the base")


def _name(entry: Any, position: int) -> str:
    key = entry.get("id") if isinstance(entry, dict) else None
    return f"topic '{key}'" if key else f"topic #{position + 1}"


@cache
def default_advice_base() -> AdviceBase:
    return parse_advice_base(*read_packaged("advice.yaml"))
