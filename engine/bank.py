"""The question bank: data, validated at load, in Dutch and English."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from engine.catalogue import CatalogueError, parse_yaml, read_packaged, validate_item
from engine.text import Text
from engine.vocabulary import Dimension, Goal, Objective, Obstacle, Phase, Role

DONT_KNOW = "dont_know"
"""The option id every question offers besides its own options."""

MAX_OPTIONS = 5
"""A question's own options; with "I don't know" they fit one row of chat buttons."""


class QuestionKind(StrEnum):
    PHASE = "phase"
    ROLE = "role"
    OBSTACLES = "obstacles"
    OBJECTIVES = "objectives"
    GOALS = "goals"

    @property
    def multiple(self) -> bool:
        """Whether a respondent may pick several options."""
        return self in (QuestionKind.OBSTACLES, QuestionKind.OBJECTIVES, QuestionKind.GOALS)


_VALUES: dict[QuestionKind, type[StrEnum]] = {
    QuestionKind.ROLE: Role,
    QuestionKind.OBSTACLES: Obstacle,
    QuestionKind.OBJECTIVES: Objective,
    QuestionKind.GOALS: Goal,
}


class Option(BaseModel):
    """One answer option. Phase items carry a phase; context items carry a vocabulary value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)
    label: Text
    """A short label that fits a chat button (at most 40 characters)."""
    text: Text
    """The full statement (at most 200 characters)."""
    phase: Phase | None = None
    value: str | None = None

    @model_validator(mode="after")
    def _lengths(self) -> Option:
        for language_text, limit, name in ((self.label, 40, "label"), (self.text, 200, "text")):
            for language in ("nl", "en"):
                if len(getattr(language_text, language)) > limit:
                    raise ValueError(f"{name}.{language} is longer than {limit} characters")
        if self.id == DONT_KNOW:
            raise ValueError(f"'{DONT_KNOW}' is added to every question by the engine")
        return self


class Question(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)
    kind: QuestionKind
    dimension: Dimension | None = None
    prompt: Text
    options: tuple[Option, ...] = Field(min_length=2, max_length=MAX_OPTIONS)

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        ids = [option.id for option in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError("option ids must be unique within a question")
        if self.kind is QuestionKind.PHASE:
            self._check_phase_item()
        else:
            self._check_context_item()
        return self

    def _check_phase_item(self) -> None:
        if self.dimension is None:
            raise ValueError("a phase question needs a dimension")
        phases = [option.phase for option in self.options]
        if any(phase is None for phase in phases):
            raise ValueError("every option of a phase question needs a phase")
        if len(set(phases)) != len(phases):
            raise ValueError("a phase question's options must describe different phases")
        if any(option.value is not None for option in self.options):
            raise ValueError("a phase question's options carry a phase, not a value")

    def _check_context_item(self) -> None:
        if self.dimension is not None:
            raise ValueError(f"a {self.kind} question has no dimension")
        allowed = {member.value for member in _VALUES[self.kind]}
        for option in self.options:
            if option.phase is not None:
                raise ValueError(f"a {self.kind} question's options carry a value, not a phase")
            if option.value not in allowed:
                raise ValueError(
                    f"option '{option.id}' needs a value, one of: {', '.join(sorted(allowed))}"
                )

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)

    def accepts(self, option_ids: tuple[str, ...]) -> bool:
        """Whether this is a valid answer: known options, or "I don't know" alone."""
        if option_ids == (DONT_KNOW,):
            return True
        if not option_ids or len(set(option_ids)) != len(option_ids):
            return False
        if len(option_ids) > 1 and not self.kind.multiple:
            return False
        return all(self.option(option_id) is not None for option_id in option_ids)


class QuestionBank(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = Field(ge=1)
    questions: tuple[Question, ...]

    def __iter__(self) -> Iterator[Question]:  # type: ignore[override]
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def index(self, question_id: str) -> int:
        return next(i for i, q in enumerate(self.questions) if q.id == question_id)

    def phase_questions(self, dimension: Dimension) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.dimension is dimension)


def parse_bank(raw: str, source: str) -> QuestionBank:
    """Parse and validate a bank; a broken one raises `CatalogueError` naming file, item, field."""
    data = parse_yaml(raw, source)
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise CatalogueError(f"{source}: expected a mapping with a 'questions' list")
    questions = [
        _question(item, source, position) for position, item in enumerate(data["questions"])
    ]
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:
            raise CatalogueError(f"{source}: question '{question.id}' appears twice")
        seen.add(question.id)
    kinds = {question.kind for question in questions}
    for kind in QuestionKind:
        if kind not in kinds:
            raise CatalogueError(f"{source}: the bank has no {kind} question")
    for dimension in Dimension:
        if not any(q.dimension is dimension for q in questions):
            raise CatalogueError(f"{source}: no question covers the dimension '{dimension}'")
    return validate_item(
        QuestionBank,
        {"version": data.get("version"), "questions": questions},
        source=source,
        item="the bank",
    )


def _question(item: Any, source: str, position: int) -> Question:
    name = item.get("id") if isinstance(item, dict) else None
    label = f"question '{name}'" if name else f"question #{position + 1}"
    return validate_item(Question, item, source=source, item=label)


@cache
def default_bank() -> QuestionBank:
    """The bank that ships with the advisor."""
    return parse_bank(*read_packaged("bank.yaml"))
