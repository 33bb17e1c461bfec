"""The advice knowledge base: topics for free-text questions and tips per context, as data."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from engine.catalogue import CatalogueError, parse_yaml, read_packaged, validate_item
from engine.text import Text
from engine.vocabulary import Dimension, Goal, Objective, Obstacle


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


class AdviceBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    topics: tuple[Topic, ...] = Field(min_length=1)
    obstacles: dict[Obstacle, Text]
    objectives: dict[Objective, Text]
    goals: dict[Goal, Text]
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
