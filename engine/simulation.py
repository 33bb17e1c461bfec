"""Simulated respondents, for the demo, the benchmarks and the tests."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine.bank import DONT_KNOW, Question, QuestionBank, QuestionKind
from engine.sheet import AnswerSheet
from engine.vocabulary import Dimension, Phase, Role


@dataclass(frozen=True)
class Persona:
    """How a kind of respondent sees the organisation: a phase per dimension they lean to."""

    role: Role
    phases: Mapping[Dimension, int]
    unsure: float = 0.08
    """The chance of answering "I don't know" to a phase question."""
    obstacles: Sequence[str] = ()
    objectives: Sequence[str] = ()
    goals: Sequence[str] = ()


def respondent(bank: QuestionBank, persona: Persona, rng: random.Random) -> AnswerSheet:
    """One respondent: each phase answer is the persona's phase, sometimes one off."""
    answers: dict[str, tuple[str, ...]] = {}
    for question in bank:
        answers[question.id] = _answer(question, persona, rng)
    return AnswerSheet(answers)


def _answer(question: Question, persona: Persona, rng: random.Random) -> tuple[str, ...]:
    match question.kind:
        case QuestionKind.PHASE:
            assert question.dimension is not None
            if rng.random() < persona.unsure:
                return (DONT_KNOW,)
            lean = persona.phases[question.dimension] + rng.choice((-1, 0, 0, 0, 1))
            phase = Phase(min(max(lean, Phase.AD_HOC), Phase.PERFORMANCE_DRIVEN))
            return tuple(o.id for o in question.options if o.phase is phase)[:1] or (DONT_KNOW,)
        case QuestionKind.ROLE:
            return tuple(o.id for o in question.options if o.value == persona.role.value)[:1]
        case QuestionKind.OBSTACLES:
            return _some(question, persona.obstacles, rng)
        case QuestionKind.OBJECTIVES:
            return _some(question, persona.objectives, rng)
        case QuestionKind.GOALS:
            return _some(question, persona.goals, rng)


def _some(question: Question, likely: Sequence[str], rng: random.Random) -> tuple[str, ...]:
    values = list(likely) or [o.value for o in question.options if o.value]
    picked = set(rng.sample(values, k=min(len(values), rng.randint(1, 2))))
    return tuple(o.id for o in question.options if o.value in picked) or (DONT_KNOW,)


def noisy_respondent(
    bank: QuestionBank,
    phases: Mapping[Dimension, int],
    noise: float,
    rng: random.Random,
    role: Role | None = None,
) -> AnswerSheet:
    """A respondent truly at `phases` whose every answer slips one phase with chance `noise`,
    up or down alike; a slip past phase 1 or 5 stays at the end of the scale."""
    answers: dict[str, tuple[str, ...]] = {}
    for question in bank:
        if question.kind is QuestionKind.PHASE and question.dimension is not None:
            roll = rng.random()
            slip = -1 if roll < noise / 2 else 1 if roll < noise else 0
            lean = min(max(phases[question.dimension] + slip, 1), 5)
            answers[question.id] = tuple(o.id for o in question.options if o.phase == lean)[:1]
        elif question.kind is QuestionKind.ROLE and role is not None:
            answers[question.id] = tuple(o.id for o in question.options if o.value == role)[:1]
    return AnswerSheet(answers)


def crowd(
    bank: QuestionBank, personas: Sequence[tuple[Persona, int]], seed: int
) -> list[AnswerSheet]:
    """So many respondents per persona, reproducibly."""
    rng = random.Random(seed)
    return [respondent(bank, persona, rng) for persona, count in personas for _ in range(count)]
