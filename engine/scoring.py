"""Scoring: from answer sheets to each respondent's profile and the organisation's phase.

The rules, written out with a worked example, are in docs/scoring.md.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from typing import Generic, TypeVar

from engine.bank import DONT_KNOW, Question, QuestionBank, QuestionKind
from engine.sheet import AnswerSheet
from engine.vocabulary import Dimension, Goal, Objective, Obstacle, Phase, Role

E = TypeVar("E", Role, Obstacle, Objective, Goal)
K = TypeVar("K", bound=Hashable)

PHASE_SPAN = Phase.PERFORMANCE_DRIVEN - Phase.AD_HOC
ROLE_GAP = 1.0
"""Management and employees seeing the organisation this many phases apart is flagged."""
MINIMUM_ASSESSED = 4
"""Dimensions (of six) that need a phase before there is an overall phase."""
MAX_LIMITING = 2
"""The weakest link names at most this many dimensions: more tells the reader nothing."""
NAMED_BY = Fraction(1, 3)
"""An obstacle, objective or goal is the group's when a third of respondents name it."""


# -- the rule for a set of answers ----------------------------------------------------------------

Votes = dict[int, Fraction]
"""Phase -> weight. One respondent's answers on a dimension weigh 1 together, split evenly."""


def votes_of(answers: Sequence[int]) -> Votes:
    """One respondent's answers on a dimension as one vote, split evenly between them."""
    share = Fraction(1, len(answers))
    tally: Votes = {}
    for phase in answers:
        tally[phase] = tally.get(phase, Fraction(0)) + share
    return tally


def pooled(many: Iterable[Votes]) -> Votes:
    """The votes added up. Respondents with the same answers share one vote object (see
    `_one_person`), so each object is added once, times how often it was cast: the same exact
    sum, far fewer fractions. Every vote is held until the end, so no id is reused."""
    held: dict[int, Votes] = {}
    cast: Counter[int] = Counter()
    for votes in many:
        held[id(votes)] = votes
        cast[id(votes)] += 1
    total: Votes = {}
    for key, times in cast.items():
        for phase, weight in held[key].items():
            total[phase] = total.get(phase, Fraction(0)) + weight * times
    return total


def weighted_median(votes: Votes) -> Fraction:
    """The middle of the votes; where exactly half lies at or below a phase, halfway to the next."""
    half = sum(votes.values()) / 2
    below = Fraction(0)
    ordered = sorted(votes)
    for position, phase in enumerate(ordered):
        below += votes[phase]
        if below > half:
            return Fraction(phase)
        if below == half:
            return Fraction(phase + ordered[position + 1], 2)
    raise ValueError("a median needs at least one vote")


def weighted_mean(votes: Votes) -> Fraction:
    return sum((phase * weight for phase, weight in votes.items()), Fraction(0)) / sum(
        votes.values()
    )


def phase_of(votes: Votes, *, one_person: bool = False) -> Phase:
    """The phase a set of answers points to: the median, rounded to the nearest phase.

    A median exactly halfway between two phases goes to the side the mean is on. When the
    mean is exactly halfway too, a group gets the lower phase: its phase is never claimed on a
    perfect split (three people at 3 and three at 4 are phase 3, halfway to 4). One person's
    two answers are such a split whenever they differ by a phase, so for `one_person` it goes
    to the even phase (as round() does): over many people as many go up as down, and
    symmetric noise gives symmetric error.
    """
    middle = weighted_median(votes)
    if middle.denominator == 1:
        return Phase(int(middle))
    mean = weighted_mean(votes)
    if mean != middle:
        return Phase(math.floor(middle) if mean < middle else math.ceil(middle))
    return Phase(round(middle) if one_person else math.floor(middle))


# -- one respondent --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """A respondent's phase per dimension (None: only "I don't know") and their overall phase."""

    dimensions: dict[Dimension, Phase | None]
    overall: Phase | None
    """None while fewer than MINIMUM_ASSESSED dimensions have an answer."""
    role: Role | None
    obstacles: frozenset[Obstacle]
    objectives: frozenset[Objective]
    goals: frozenset[Goal]
    votes: dict[Dimension, Votes] = field(default_factory=dict, repr=False)
    """Their answers per rated dimension, as one vote, for the organisation's median. Shared
    by everyone who answered alike, so read, never changed."""


def profile(bank: QuestionBank, sheet: AnswerSheet, *, tolerance: int = 1) -> Profile:
    """Score one respondent: a dimension's phase is `phase_of` their answers on its questions."""
    return _profile(_Index.of(bank), sheet, tolerance)


_Answers = Callable[[str], tuple[str, ...] | None]
"""A sheet's answers as a lookup: question id -> the chosen option ids, None if unanswered."""
_Chosen = tuple[tuple[str, ...] | None, ...]
"""What a sheet holds for a run of questions, in the bank's order."""


@dataclass(frozen=True)
class _Dimension:
    """One dimension's questions with the phase of every option, and what each combination of
    answers to them comes to: sheets repeat the same few, so each is worked out once."""

    dimension: Dimension
    question_ids: tuple[str, ...]
    phases: tuple[Mapping[str, Phase], ...]
    seen: dict[_Chosen, tuple[Votes, Phase] | None] = field(default_factory=dict)

    def of(self, answers: _Answers) -> tuple[Votes, Phase] | None:
        """The vote and phase of a sheet's answers (`answers`: question id -> chosen) on this
        dimension; None when they answered none of it (or only "I don't know")."""
        chosen = tuple(map(answers, self.question_ids))
        try:
            return self.seen[chosen]
        except KeyError:
            phases = sorted(
                phase
                for options, picked in zip(self.phases, chosen, strict=True)
                if (phase := _phase_answer(options, picked)) is not None
            )
            found = self.seen[chosen] = _one_person(tuple(phases)) if phases else None
            return found


@dataclass(frozen=True)
class _Terms(Generic[E]):
    """The questions whose options carry one vocabulary's values, and the set of values each
    combination of answers to them names."""

    question_ids: tuple[str, ...]
    values: tuple[Mapping[str, E], ...]
    seen: dict[_Chosen, frozenset[E]] = field(default_factory=dict)

    @classmethod
    def of_kind(cls, bank: QuestionBank, kind: QuestionKind, vocabulary: type[E]) -> _Terms[E]:
        questions = [q for q in bank if q.kind is kind]
        return cls(
            tuple(q.id for q in questions),
            tuple(
                {o.id: vocabulary(o.value) for o in q.options if o.value is not None}
                for q in questions
            ),
        )

    def named(self, answers: _Answers) -> frozenset[E]:
        """The values a sheet's answers (`answers`: question id -> chosen) name."""
        chosen = tuple(map(answers, self.question_ids))
        try:
            return self.seen[chosen]
        except KeyError:
            found = self.seen[chosen] = frozenset(
                options[option_id]
                for options, picked in zip(self.values, chosen, strict=True)
                for option_id in picked or ()
                if option_id in options
            )
            return found


@dataclass(frozen=True)
class _Index:
    """The bank as scoring reads it, built once per scoring rather than once per sheet: each
    dimension's questions with the phase of every option, and each kind's vocabulary values."""

    dimensions: tuple[_Dimension, ...]
    roles: _Terms[Role]
    obstacles: _Terms[Obstacle]
    objectives: _Terms[Objective]
    goals: _Terms[Goal]

    @classmethod
    def of(cls, bank: QuestionBank) -> _Index:
        def phases(question: Question) -> Mapping[str, Phase]:
            return {o.id: o.phase for o in question.options if o.phase is not None}

        return cls(
            dimensions=tuple(
                _Dimension(
                    d,
                    tuple(q.id for q in bank.phase_questions(d)),
                    tuple(phases(q) for q in bank.phase_questions(d)),
                )
                for d in Dimension
            ),
            roles=_Terms.of_kind(bank, QuestionKind.ROLE, Role),
            obstacles=_Terms.of_kind(bank, QuestionKind.OBSTACLES, Obstacle),
            objectives=_Terms.of_kind(bank, QuestionKind.OBJECTIVES, Objective),
            goals=_Terms.of_kind(bank, QuestionKind.GOALS, Goal),
        )


def _profile(index: _Index, sheet: AnswerSheet, tolerance: int) -> Profile:
    chosen = sheet.answers.get
    votes: dict[Dimension, Votes] = {}
    dimensions: dict[Dimension, Phase | None] = {}
    known: list[tuple[Dimension, Phase]] = []
    for dimension in index.dimensions:
        found = dimension.of(chosen)
        if found is None:
            dimensions[dimension.dimension] = None
        else:
            votes[dimension.dimension], phase = found
            dimensions[dimension.dimension] = phase
            known.append((dimension.dimension, phase))
    roles = index.roles.named(chosen)
    return Profile(
        dimensions=dimensions,
        overall=_overall(tuple(known), tolerance),
        role=next(iter(roles)) if len(roles) == 1 else None,
        obstacles=index.obstacles.named(chosen),
        objectives=index.objectives.named(chosen),
        goals=index.goals.named(chosen),
        votes=votes,
    )


@cache
def _overall(known: tuple[tuple[Dimension, Phase], ...], tolerance: int) -> Phase | None:
    """One person's overall phase from their phases per dimension (at most 5^6 combinations)."""
    phases = dict(known)
    return gated_phase(phases, tolerance=tolerance) if assessable(phases, tolerance) else None


@cache
def _one_person(answers: tuple[int, ...]) -> tuple[Votes, Phase]:
    """One person's vote and phase on a dimension, from their sorted answers: the same few
    combinations recur across thousands of sheets, so the exact arithmetic runs once each."""
    vote = votes_of(answers)
    return vote, phase_of(vote, one_person=True)


def _phase_answer(options: Mapping[str, Phase], chosen: tuple[str, ...] | None) -> Phase | None:
    if not chosen or chosen == (DONT_KNOW,):
        return None
    return options.get(chosen[0])


# -- the gate --------------------------------------------------------------------------------------


def minimum_assessed(tolerance: int) -> int:
    """How many dimensions need a phase before there is an overall phase: at least
    MINIMUM_ASSESSED, and always more than the tolerance, so the tolerated laggard can
    never be the whole basis."""
    return max(MINIMUM_ASSESSED, tolerance + 1)


def assessable(phases: Mapping[Dimension, object], tolerance: int) -> bool:
    return len(phases) >= minimum_assessed(tolerance)


def gated_phase(phases: dict[Dimension, Phase], *, tolerance: int = 1) -> Phase:
    """As mature as the weakest link: the highest phase P that every dimension reaches,
    except that up to `tolerance` dimensions may sit at P - 1 (never lower)."""
    reached = Phase.AD_HOC
    for phase in Phase:
        below = [value for value in phases.values() if value < phase]
        if len(below) <= tolerance and all(value >= phase - 1 for value in below):
            reached = phase
    return reached


def limiting_dimensions(
    scores: Mapping[Dimension, DimensionScore], overall: Phase
) -> tuple[Dimension, ...]:
    """At most the MAX_LIMITING dimensions that hold the organisation back most.

    Of the dimensions below the next phase, the lowest median comes first; on equal medians,
    the one where fewer people already reach the next phase. Dimensions that tie on both are
    named together or not at all: if naming them would exceed MAX_LIMITING, the list stops
    before them (when every dimension is level, no single one holds the organisation back).
    """
    following = overall.next()
    if following is None:
        return ()
    ranked: dict[tuple[Fraction, Fraction], list[Dimension]] = {}
    for dimension, result in scores.items():
        if result.phase < following:
            key = (result.exact_median, result.reaching(following))
            ranked.setdefault(key, []).append(dimension)
    named: list[Dimension] = []
    for key in sorted(ranked):
        group = ranked[key]
        if len(named) + len(group) > MAX_LIMITING:
            break
        named.extend(group)
    return tuple(named)


def progress_within(medians: Mapping[Dimension, float], overall: Phase) -> float | None:
    """How far the dimensions have come from `overall` towards the next phase, from 0 to 1;
    None at the highest phase, where there is no next one."""
    if overall is Phase.PERFORMANCE_DRIVEN or not medians:
        return None
    steps = [min(max(value - overall, 0.0), 1.0) for value in medians.values()]
    return sum(steps) / len(steps)


# -- agreement -------------------------------------------------------------------------------------


def consensus(phases: Iterable[int]) -> float:
    """Tastle and Wierman's ordinal consensus: 1 when all agree, 0 for two opposed camps."""
    return consensus_of(pooled(votes_of([phase]) for phase in phases))


def consensus_of(votes: Votes) -> float:
    total = sum(votes.values())
    if total == 0:
        raise ValueError("consensus needs at least one answer")
    mean = float(weighted_mean(votes))
    value = 1.0 + sum(
        float(weight / total) * math.log2(1.0 - abs(phase - mean) / PHASE_SPAN)
        for phase, weight in votes.items()
    )
    return round(max(0.0, min(1.0, value)), 6)


# -- the organisation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    phase: Phase
    """`phase_of` everyone's votes on this dimension: the median, rounded without bias."""
    median: float
    n: int
    """How many rated it. Shown only as `shown_n`: the respondents minus n is a group too."""
    dont_know: float
    """The share of respondents who answered only "I don't know" on this dimension."""
    agreement: float
    votes: Votes = field(default_factory=dict, repr=False)
    """How many people's worth of answers each phase got."""
    few_unsure: bool = False
    """Some, but fewer than the threshold, did not know: shown as "a few don't know", with
    neither n nor the share, which would count them."""

    @property
    def shown_n(self) -> int | None:
        return None if self.few_unsure else self.n

    @property
    def exact_median(self) -> Fraction:
        return Fraction(self.median)

    def reaching(self, phase: Phase) -> Fraction:
        """The share of the votes at `phase` or above."""
        total = sum(self.votes.values())
        return sum((w for p, w in self.votes.items() if p >= phase), Fraction(0)) / total


@dataclass(frozen=True)
class RoleSegment:
    role: Role
    n: int
    medians: dict[Dimension, float]
    """The median per dimension of this role's respondents, where enough of them (and enough
    people outside the role) answered."""
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
class Named(Generic[E]):
    """An obstacle, objective or goal that respondents named."""

    term: E
    count: int | None
    """How many named it; None when fewer than the threshold did ("a few"), or when fewer
    than the threshold did not (`nearly_all`): either group could be counted."""
    common: bool
    """Counted, and named by at least a third of the respondents: the group's concern, not one
    person's. Never for "a few": a few plus a third would narrow the hidden count down."""
    nearly_all: bool = False
    """Named by all but fewer than the threshold: shown as "all but a few"."""


@dataclass(frozen=True)
class Withheld:
    """Too few respondents to show anything: the scan closed with fewer than the threshold."""

    respondents: int
    threshold: int

    @property
    def missing(self) -> int:
        return self.threshold - self.respondents


@dataclass(frozen=True)
class OrgResult:
    respondents: int
    threshold: int
    overall: Phase | None
    """None while fewer than `minimum_assessed` dimensions can be shown: no evidence, no phase."""
    progress: float | None
    """Towards the next phase, 0 to 1; None without a phase or at the highest one."""
    limiting: tuple[Dimension, ...]
    dimensions: dict[Dimension, DimensionScore]
    """Only dimensions that at least `threshold` respondents could rate."""
    unrated: tuple[Dimension, ...]
    segments: tuple[RoleSegment, ...]
    """Only roles that, and whose complement, reach the threshold (docs/scoring.md, Privacy)."""
    role_gaps: tuple[RoleGap, ...]
    """Where management and employees differ by a phase or more; empty if either is hidden."""
    obstacles: tuple[Named[Obstacle], ...]
    objectives: tuple[Named[Objective], ...]
    goals: tuple[Named[Goal], ...]
    changes: tuple[Change, ...] = ()
    """Per dimension, the change since the previous scan; empty for the baseline."""
    minimum: int = MINIMUM_ASSESSED
    """How many dimensions an overall phase needs."""

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
    index = _Index.of(bank)
    profiles = [_profile(index, sheet, tolerance) for sheet in sheets]
    if len(profiles) < threshold:
        return Withheld(respondents=len(profiles), threshold=threshold)

    dimensions: dict[Dimension, DimensionScore] = {}
    for dimension in Dimension:
        rated = [p for p in profiles if dimension in p.votes]
        if len(rated) >= threshold:
            dimensions[dimension] = _dimension_score(dimension, rated, len(profiles), threshold)
    phases = {d: s.phase for d, s in dimensions.items()}
    medians = {d: s.median for d, s in dimensions.items()}
    overall = gated_phase(phases, tolerance=tolerance) if assessable(phases, tolerance) else None
    segments = _segments(profiles, threshold, tolerance)
    return OrgResult(
        respondents=len(profiles),
        threshold=threshold,
        overall=overall,
        progress=progress_within(medians, overall) if overall is not None else None,
        limiting=limiting_dimensions(dimensions, overall) if overall is not None else (),
        dimensions=dimensions,
        unrated=tuple(d for d in Dimension if d not in dimensions),
        segments=segments,
        role_gaps=_role_gaps(segments),
        obstacles=_named((p.obstacles for p in profiles), len(profiles), threshold),
        objectives=_named((p.objectives for p in profiles), len(profiles), threshold),
        goals=_named((p.goals for p in profiles), len(profiles), threshold),
        changes=_changes(previous, medians),
        minimum=minimum_assessed(tolerance),
    )


def _dimension_score(
    dimension: Dimension, rated: list[Profile], asked: int, threshold: int
) -> DimensionScore:
    votes = pooled(p.votes[dimension] for p in rated)
    return DimensionScore(
        few_unsure=0 < asked - len(rated) < threshold,
        dimension=dimension,
        phase=phase_of(votes),
        median=float(weighted_median(votes)),
        n=len(rated),
        dont_know=round(1 - len(rated) / asked, 6),
        agreement=consensus_of(votes),
        votes=votes,
    )


def visible(groups: Mapping[K, int], total: int, threshold: int) -> frozenset[K]:
    """Which groups may be shown without any group following by subtraction.

    A group is shown only if it and everyone outside it both reach the threshold; and the
    people outside every shown group are none or reach it too (else the smallest shown group
    is hidden as well, the later in order on a tie), so the whole minus the shown groups
    never isolates fewer than `threshold` people.
    """
    shown = [g for g, n in groups.items() if n >= threshold and total - n >= threshold]
    while shown and 0 < total - sum(groups[g] for g in shown) < threshold:
        smallest = min(groups[g] for g in shown)
        shown.remove([g for g in shown if groups[g] == smallest][-1])
    return frozenset(shown)


def _segments(profiles: list[Profile], threshold: int, tolerance: int) -> tuple[RoleSegment, ...]:
    groups = {role: [p for p in profiles if p.role is role] for role in Role}
    shown = visible({r: len(g) for r, g in groups.items()}, len(profiles), threshold)
    raters = {d: sum(1 for p in profiles if d in p.votes) for d in Dimension}
    by_dimension = {
        d: visible(
            {r: sum(1 for p in groups[r] if d in p.votes) for r in Role if r in shown},
            raters[d],
            threshold,
        )
        for d in Dimension
    }
    segments = []
    for role in Role:
        if role not in shown:
            continue
        medians: dict[Dimension, float] = {}
        phases: dict[Dimension, Phase] = {}
        for dimension in Dimension:
            if role not in by_dimension[dimension]:
                continue
            votes = pooled(p.votes[dimension] for p in groups[role] if dimension in p.votes)
            medians[dimension] = float(weighted_median(votes))
            phases[dimension] = phase_of(votes)
        overall = (
            gated_phase(phases, tolerance=tolerance) if assessable(phases, tolerance) else None
        )
        segments.append(
            RoleSegment(role=role, n=len(groups[role]), medians=medians, overall=overall)
        )
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


def _named(
    choices: Iterable[frozenset[E]], respondents: int, threshold: int
) -> tuple[Named[E], ...]:
    """What respondents named, in three bands: "all but a few" (fewer than the threshold
    did not name it), exact counts, most first, and "a few" (fewer than the threshold named
    it). Within the outer bands the vocabulary's order, so neither counts nor order can be
    read off; ties keep it too, so the advice that picks the first few is the same in every
    process."""
    counts: Counter[E] = Counter()
    for chosen in choices:
        counts.update(chosen)

    def band(n: int) -> int:
        return 0 if respondents - n < threshold <= n else 2 if n < threshold else 1

    ordered = sorted(
        counts.items(),
        key=lambda item: (band(item[1]), -item[1] if band(item[1]) == 1 else 0, _position(item[0])),
    )
    return tuple(
        Named(
            term,
            n if band(n) == 1 else None,
            common=n >= threshold and Fraction(n, respondents) >= NAMED_BY,
            nearly_all=band(n) == 0,
        )
        for term, n in ordered
    )


def _position(term: E) -> int:
    return list(type(term)).index(term)


def _changes(previous: OrgResult | None, medians: dict[Dimension, float]) -> tuple[Change, ...]:
    if previous is None:
        return ()
    before = previous.medians()
    return tuple(
        Change(d, before[d], medians[d]) for d in Dimension if d in before and d in medians
    )
