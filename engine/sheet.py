"""One respondent's answers: what scoring consumes, without anyone's identity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class AnswerSheet:
    """Chosen option ids per question id; `("dont_know",)` where the respondent did not know."""

    answers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "answers", MappingProxyType(dict(self.answers)))

    def get(self, question_id: str) -> tuple[str, ...] | None:
        return self.answers.get(question_id)

    def with_answer(self, question_id: str, option_ids: tuple[str, ...]) -> AnswerSheet:
        return AnswerSheet({**self.answers, question_id: option_ids})
