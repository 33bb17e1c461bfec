"""Scoring: from answer sheets to each respondent's profile and the organisation's phase.

The rules, written out with a worked example, are in docs/scoring.md.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median
from typing import TypeVar

from engine.bank import DONT_KNOW, Question, QuestionBank, QuestionKind
from engine.sheet import AnswerSheet
from engine.vocabulary import Dimension, Goal, Objective, Obstacle, Phase, Role

E = TypeVar("E", Role, Obstacle, Objective, Goal)

PHASE_SPAN = Phase.PERFORMANCE_DRIVEN - Phase.AD_HOC
ROLE_GAP = 1.0
"""Management and employees seeing the organisation this many phases apart is flagged."""


# -- one respondent --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """A respondent's phase per dimension (None: only "I don't know") and their overall phase."""

    dimensions: dict[Dimension, Phase | None]
    overall: Phase | None
    role: Role | None
    obstacles: frozenset[Obstacle]
    objectives: frozenset[Objective]
    goals: frozenset[Goal]


def lower_median(values: Sequence[int]) -> int:
    """The middle value; of two middle values the lower, so half the group reaches it or more."""
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def profile(bank: QuestionBank, sheet: AnswerSheet, *, tolerance: int = 1) -> Profile:
    """Score one respondent: a dimension's phase is the lower median of their items on it."""
    dimensions: dict[Dimension, Phase | None] = {}
    for dimension in Dimension:
        phases = [
            phase
            for question in bank.phase_questions(dimension)
            if (phase := _phase_answer(question, sheet)) is not None
        ]
        dimensions[dimension] = Phase(lower_median(phases)) if phases else None
    known = {d: p for d, p in dimensions.items() if p is not None}
    roles = _values(bank, sheet, QuestionKind.ROLE, Role)
    return Profile(
        dimensions=dimensions,
        overall=gated_phase(known, tolerance=tolerance) if known else None,
        role=next(iter(roles)) if len(roles) == 1 else None,
        obstacles=_values(bank, sheet, QuestionKind.OBSTACLES, Obstacle),
        objectives=_values(bank, sheet, QuestionKind.OBJECTIVES, Objective),
        goals=_values(bank, sheet, QuestionKind.GOALS, Goal),
    )


def _phase_answer(question: Question, sheet: AnswerSheet) -> Phase | None:
    chosen = sheet.get(question.id)
    if not chosen or chosen == (DONT_KNOW,):
        return None
    option = question.option(chosen[0])
    return option.phase if option is not None else None


def _values(
    bank: QuestionBank, sheet: AnswerSheet, kind: QuestionKind, vocabulary: type[E]
) -> frozenset[E]:
    found: set[E] = set()
    for question in bank:
        if question.kind is not kind:
            continue
        for option_id in sheet.get(question.id) or ():
            option = question.option(option_id)
            if option is not None and option.value is not None:
                found.add(vocabulary(option.value))
    return frozenset(found)


# -- the gate --------------------------------------------------------------------------------------


def gated_phase(phases: dict[Dimension, Phase], *, tolerance: int = 1) -> Phase:
    """As mature as the weakest link: the highest phase P that every dimension reaches,
    except that up to `tolerance` dimensions may sit at P - 1 (never lower)."""
    reached = Phase.AD_HOC
    for phase in Phase:
        below = [value for value in phases.values() if value < phase]
        if len(below) <= tolerance and all(value >= phase - 1 for value in below):
            reached = phase
    return reached


def limiting_dimensions(phases: dict[Dimension, Phase], overall: Phase) -> tuple[Dimension, ...]:
    """The dimensions that hold the organisation below the next phase: the lowest ones below it."""
    following = overall.next()
    if following is None:
        return ()
    below = {d: v for d, v in phases.items() if v < following}
    if not below:
        return ()
    lowest = min(below.values())
    return tuple(d for d in Dimension if below.get(d) == lowest)


def progress_within(medians: dict[Dimension, float], overall: Phase) -> float:
    """How far the dimensions have come from `overall` towards the next phase, from 0 to 1."""
    if overall is Phase.PERFORMANCE_DRIVEN or not medians:
        return 1.0
    steps = [min(max(value - overall, 0.0), 1.0) for value in medians.values()]
    return sum(steps) / len(steps)


# -- agreement -------------------------------------------------------------------------------------


def consensus(phases: Iterable[int]) -> float:
    """Tastle and Wierman's ordinal consensus: 1 when all agree, 0 for two opposed camps."""
    counts = Counter(phases)
    total = sum(counts.values())
    if total == 0:
        raise ValueError("consensus needs at least one answer")
    mean = sum(phase * n for phase, n in counts.items()) / total
    value = 1.0 + sum(
        (n / total) * math.log2(1.0 - abs(phase - mean) / PHASE_SPAN) for phase, n in counts.items()
    )
    return round(max(0.0, min(1.0, value)), 6)


# -- the organisation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    phase: Phase
    """The lower median of the respondents' phases on this dimension."""
    median: float
    n: int
    dont_know: float
    """The share of respondents who answered only "I don't know" on this dimension."""
    agreement: float
    spread: dict[Phase, int]


@dataclass(frozen=True)
class RoleSegment:
    role: Role
    n: int
    medians: dict[Dimension, float]
    """The median per dimension of this role's respondents, where enough of them answered."""
    overall: Phase | None


@dataclass(frozen=True)
class RoleGap:
    dimension: Dimension | None
    """None for the overall phase."""
    management: float
    employees: float

    @property
    def size(self) -> float:
        return abs(self.management - self.employees)


@dataclass(frozen=True)
class Change:
    dimension: Dimension
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Withheld:
    """Too few respondents to show anything: the result says how many more are needed."""

    respondents: int
    threshold: int

    @property
    def missing(self) -> int:
        return self.threshold - self.respondents


@dataclass(frozen=True)
class OrgResult:
    respondents: int
    threshold: int
    overall: Phase
    progress: float
    limiting: tuple[Dimension, ...]
    dimensions: dict[Dimension, DimensionScore]
    """Only dimensions that at least `threshold` respondents could rate."""
    unrated: tuple[Dimension, ...]
    segments: tuple[RoleSegment, ...]
    """Only roles with at least `threshold` respondents."""
    role_gaps: tuple[RoleGap, ...]
    """Where management and employees differ by a phase or more; empty if either group is small."""
    obstacles: dict[Obstacle, int]
    objectives: dict[Objective, int]
    goals: dict[Goal, int]
    changes: tuple[Change, ...] = ()
    """Per dimension, the change since the previous scan; empty for the baseline."""

    def medians(self) -> dict[Dimension, float]:
        return {d: score.median for d, score in self.dimensions.items()}


def score(
    bank: QuestionBank,
    sheets: Sequence[AnswerSheet],
    *,
    threshold: int,
    tolerance: int = 1,
    previous: OrgResult | None = None,
) -> OrgResult | Withheld:
    """Score an organisation's scan; withheld while fewer than `threshold` people answered."""
    profiles = [profile(bank, sheet, tolerance=tolerance) for sheet in sheets]
    if len(profiles) < threshold:
        return Withheld(respondents=len(profiles), threshold=threshold)

    dimensions: dict[Dimension, DimensionScore] = {}
    for dimension in Dimension:
        rated = [p.dimensions[dimension] for p in profiles if p.dimensions[dimension] is not None]
        if len(rated) >= threshold:
            dimensions[dimension] = _dimension_score(dimension, rated, len(profiles))
    phases = {d: s.phase for d, s in dimensions.items()}
    medians = {d: s.median for d, s in dimensions.items()}
    overall = gated_phase(phases, tolerance=tolerance) if phases else Phase.AD_HOC
    segments = _segments(profiles, threshold, tolerance)
    return OrgResult(
        respondents=len(profiles),
        threshold=threshold,
        overall=overall,
        progress=progress_within(medians, overall),
        limiting=limiting_dimensions(phases, overall),
        dimensions=dimensions,
        unrated=tuple(d for d in Dimension if d not in dimensions),
        segments=segments,
        role_gaps=_role_gaps(segments),
        obstacles=_tally(p.obstacles for p in profiles),
        objectives=_tally(p.objectives for p in profiles),
        goals=_tally(p.goals for p in profiles),
        changes=_changes(previous, medians),
    )


def _dimension_score(dimension: Dimension, rated: list[Phase | None], asked: int) -> DimensionScore:
    phases = [int(p) for p in rated if p is not None]
    return DimensionScore(
        dimension=dimension,
        phase=Phase(lower_median(phases)),
        median=float(median(phases)),
        n=len(phases),
        dont_know=round(1 - len(phases) / asked, 6),
        agreement=consensus(phases),
        spread={phase: phases.count(phase) for phase in Phase},
    )


def _segments(profiles: list[Profile], threshold: int, tolerance: int) -> tuple[RoleSegment, ...]:
    segments = []
    for role in Role:
        group = [p for p in profiles if p.role is role]
        if len(group) < threshold:
            continue
        medians: dict[Dimension, float] = {}
        phases: dict[Dimension, Phase] = {}
        for dimension in Dimension:
            rated = [int(v) for p in group if (v := p.dimensions[dimension]) is not None]
            if len(rated) >= threshold:
                medians[dimension] = float(median(rated))
                phases[dimension] = Phase(lower_median(rated))
        overall = gated_phase(phases, tolerance=tolerance) if phases else None
        segments.append(RoleSegment(role=role, n=len(group), medians=medians, overall=overall))
    return tuple(segments)


def _role_gaps(segments: tuple[RoleSegment, ...]) -> tuple[RoleGap, ...]:
    by_role = {segment.role: segment for segment in segments}
    management, employees = by_role.get(Role.MANAGEMENT), by_role.get(Role.EMPLOYEE)
    if management is None or employees is None:
        return ()
    gaps = [
        RoleGap(d, management.medians[d], employees.medians[d])
        for d in Dimension
        if d in management.medians and d in employees.medians
    ]
    if management.overall is not None and employees.overall is not None:
        gaps.append(RoleGap(None, float(management.overall), float(employees.overall)))
    return tuple(gap for gap in gaps if gap.size >= ROLE_GAP)


def _tally(choices: Iterable[frozenset[E]]) -> dict[E, int]:
    """How often each term was picked, most first; ties in the vocabulary's order, not in the
    order a set happens to hold them (which changes from process to process), so the advice
    that names the first few is the same wherever it is computed."""
    counts: Counter[E] = Counter()
    for chosen in choices:
        counts.update(chosen)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], _position(item[0]))))


def _position(term: E) -> int:
    return list(type(term)).index(term)


def _changes(previous: OrgResult | None, medians: dict[Dimension, float]) -> tuple[Change, ...]:
    if previous is None:
        return ()
    before = previous.medians()
    return tuple(
        Change(d, before[d], medians[d]) for d in Dimension if d in before and d in medians
    )
