"""Next-step advice grounded in a result, and answers to free-text questions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

from engine.advice_base import AdviceBase, PhasedTips, Topic
from engine.labels import decimal, label, phase_name
from engine.matching import TopicIndex
from engine.plan import Plan, standing
from engine.plan_catalogue import PlanCatalogue
from engine.scoring import DimensionScore, Named, OrgResult, RoleGap
from engine.text import Counted, Text, counted, text
from engine.vocabulary import Dimension, Goal, Language, Objective, Obstacle, Phase

T = TypeVar("T", Obstacle, Objective, Goal)

LOW_AGREEMENT = 0.5
MANY_DONT_KNOW = 0.3
MAX_OBSTACLES = 2
MAX_GAPS = 3
"""A role-gap reason names the largest few gaps and counts the rest."""


@dataclass(frozen=True)
class Advice:
    """What to do next and why, in one language; every reason names the figure it rests on."""

    headline: str
    reasons: tuple[str, ...]
    actions: tuple[str, ...]
    outlook: str | None = None
    """What the next phase brings (the phase profile's why); None at the highest phase."""


def advise(
    result: OrgResult,
    plan: Plan,
    catalogue: PlanCatalogue,
    base: AdviceBase,
    language: Language,
) -> Advice:
    """Advice for the project manager, from the figures of one result.

    Business rules:
    - Every reason quotes its evidence: a median and how many rated it, the two medians of
      a role gap, an obstacle with how many named it, the share that does not know, the
      agreement.
    - The weakest link is `result.limiting` (at most two dimensions); when it is empty below
      the highest phase, the headline says no single dimension holds the organisation back.
    - The actions are each limiting dimension's first plan step (chosen by the plan for where
      the rest of the organisation stands), then the tips for what people named, chosen for
      the organisation's phase: never advice for a phase it has passed.
    - Only what a third of the respondents and at least the threshold named is acted on.
      Acting on what "a few" named would give its count away: at least a third, yet fewer
      than the threshold, is often a single number.
    """
    if result.overall is None:
        raise ValueError("advice needs an overall phase; this result has too few dimensions")
    phase = result.overall
    phases = {d: s.phase for d, s in result.dimensions.items()}
    reasons: list[str] = []
    actions: list[str] = []
    for dimension in result.limiting:
        reasons.append(_holds_back(result.dimensions[dimension], phases, phase, language))
        actions += _first_step(plan, dimension, language)
    if plan.target is not None and not result.limiting:
        reasons.append(_level(result, plan.target, language))
        actions += _first_step(plan, None, language)
    support = result.dimensions.get(Dimension.SUPPORT)
    if (
        plan.target is not None
        and support is not None
        and support.phase <= phase
        and Dimension.SUPPORT not in result.limiting
    ):
        reasons.append(_holds_back(support, phases, phase, language))
    for said in (
        _answered(_OBSTACLE, result.obstacles, base.obstacles, MAX_OBSTACLES, result, language),
        _answered(_OBJECTIVE, result.objectives, base.objectives, 1, result, language),
        _answered(_GOAL, result.goals, base.goals, 1, result, language),
    ):
        for reason, action in said:
            reasons.append(reason)
            actions.append(action)
    if result.role_gaps:
        reasons.append(_role_gaps(result.role_gaps, language))
        actions.append(base.role_gap(language))
    split = [s for s in result.dimensions.values() if s.agreement < LOW_AGREEMENT]
    if split:
        reasons.append(_SPLIT(language).format(areas=_areas(_SPLIT_AREA, split, language)))
        actions.append(base.low_agreement(language))
    unsure = [s for s in result.dimensions.values() if s.dont_know >= MANY_DONT_KNOW]
    if unsure:
        areas = _and(
            [
                (_FEW_UNSURE_AREA if s.few_unsure else _UNSURE_AREA)(language).format(
                    area=label(s.dimension, language), **_figures(s, language)
                )
                for s in unsure
            ],
            language,
        )
        reasons.append(_UNSURE(language).format(areas=areas))
    if result.unrated:
        names = _and([label(d, language) for d in result.unrated], language)
        reasons.append(_UNRATED(language, result.threshold, areas=names))
    profile = catalogue.profile(plan.phase)
    outlook = profile.why_next if plan.target is not None else None
    return Advice(
        headline=_headline(result, plan, language),
        reasons=tuple(reasons),
        actions=tuple(dict.fromkeys(actions)),
        outlook=outlook(language) if outlook is not None else None,
    )


def _headline(result: OrgResult, plan: Plan, language: Language) -> str:
    here = phase_name(plan.phase, language)
    if plan.target is None:
        return _AT_TOP(language).format(phase=here)
    if result.limiting:
        weakest = _WEAKEST(language).format(
            areas=_areas(_MEDIAN_OF, [result.dimensions[d] for d in result.limiting], language)
        )
    else:
        tied = _lowest(result, plan.target)
        median = decimal(tied[0].median, language)
        weakest = (
            _ALL_LEVEL(language).format(median=median)
            if len(tied) == len(result.dimensions)
            else _SOME_LEVEL(language, len(tied), median=median)
        )
    return _TOWARDS(language).format(
        phase=here,
        target=phase_name(plan.target, language),
        progress=round((result.progress or 0) * 100),
        weakest=weakest,
    )


def _holds_back(
    score: DimensionScore, phases: Mapping[Dimension, Phase], overall: Phase, language: Language
) -> str:
    """Why a dimension needs work first: its median and n, and where the rest stands."""
    words = _SUPPORT if score.dimension is Dimension.SUPPORT else _HOLDS_BACK
    reason = words(language).format(**_figures(score, language))
    rest = standing(phases, score.dimension, overall)
    if rest > score.phase:
        reason += " " + _REST(language).format(phase=int(rest))
    return reason


def _lowest(result: OrgResult, target: Phase) -> list[DimensionScore]:
    """The dimensions below `target` that tie for holding the organisation back most, by
    the rule `limiting` uses: the lowest median, then the fewest votes at `target`."""
    below = [s for s in result.dimensions.values() if s.phase < target]

    def key(score: DimensionScore) -> tuple[Fraction, Fraction]:
        return (score.exact_median, score.reaching(target))

    low = min(key(s) for s in below)
    return [s for s in below if key(s) == low]


def _level(result: OrgResult, target: Phase, language: Language) -> str:
    """No weakest link: which dimensions tie, at which median, rated by how many."""
    tied = _lowest(result, target)
    # A count of raters that would count the few who did not know gives way to a true bound.
    bound = result.respondents - result.threshold + 1
    fewest = min(s.n if s.shown_n is not None else bound for s in tied)
    figures = {"median": decimal(tied[0].median, language), "fewest": fewest}
    if len(tied) == len(result.dimensions):
        return _ALL_LEVEL_REASON(language, len(tied), **figures)
    areas = _and([label(s.dimension, language) for s in tied], language)
    return _LEVEL_REASON(language).format(areas=areas, **figures)


def _first_step(plan: Plan, dimension: Dimension | None, language: Language) -> list[str]:
    """The plan's first step for `dimension` (None: the plan's first step), as an action."""
    step = next((s for s in plan.steps if dimension in (None, s.dimension)), None)
    return [f"{step.title(language).rstrip('.')}: {step.why(language)}"] if step else []


def _answered(
    words: _Named,
    named: tuple[Named[T], ...],
    tips: Mapping[T, PhasedTips],
    most: int,
    result: OrgResult,
    language: Language,
) -> list[tuple[str, str]]:
    """A reason and a tip for each of the first `most` things the group named, with the tip
    for the organisation's phase."""
    assert result.overall is not None
    said = []
    for mention in named:
        if not mention.common or (mention.count is None and not mention.nearly_all):
            continue
        term = label(mention.term, language)
        tip = tips[mention.term].at(result.overall)(language)
        reason = (
            words.nearly_all(language, result.respondents, term=term)
            if mention.count is None
            else words.reason(language, result.respondents, term=term, count=mention.count)
        )
        said.append((reason, words.action(language).format(term=term, tip=tip)))
    return said[:most]


def _role_gaps(gaps: tuple[RoleGap, ...], language: Language) -> str:
    largest = sorted(gaps, key=lambda gap: (gap.dimension is not None, -gap.size))
    areas = [
        _GAP_AREA(language).format(
            area=label(gap.dimension, language),
            management=decimal(gap.management, language),
            employees=decimal(gap.employees, language),
        )
        if gap.dimension is not None
        else _GAP_OVERALL(language).format(
            management=int(gap.management), employees=int(gap.employees)
        )
        for gap in largest[:MAX_GAPS]
    ]
    more = len(largest) - MAX_GAPS
    if more > 0:
        areas.append(_MORE_GAPS(language, more))
    return _ROLE_GAP(language).format(areas=_and(areas, language))


def _areas(words: Text, scores: Sequence[DimensionScore], language: Language) -> str:
    return _and(
        [
            words(language).format(area=label(s.dimension, language), **_figures(s, language))
            for s in scores
        ],
        language,
    )


def _figures(score: DimensionScore, language: Language) -> dict[str, object]:
    return {
        "dimension": label(score.dimension, language),
        "rated": _RATED(language, score.n)
        if score.shown_n is not None
        else _RATED_BY_NEARLY_ALL(language),
        "median": decimal(score.median, language),
        "agreement": round(score.agreement * 100),
        "dont_know": round(score.dont_know * 100),
    }


def _and(items: Sequence[str], language: Language) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_AND(language)} {items[-1]}"


@dataclass(frozen=True)
class _Named:
    """How the advice speaks of something respondents named: the reason and the action."""

    reason: Counted
    """{count} of {n} respondents named {term}; {n} chooses the noun's form."""
    action: Text
    nearly_all: Counted
    """The reason when all but fewer than the threshold named it: no count, either way."""


def _named_as(*, nl: tuple[str, str], en: tuple[str, str]) -> _Named:
    """From how it was named ("named as an obstacle") and how a tip for it opens."""
    return _Named(
        reason=counted(
            nl=(
                f"'{{term}}' is {nl[0]} door {{count}} van de {{n}} respondent.",
                f"'{{term}}' is {nl[0]} door {{count}} van de {{n}} respondenten.",
            ),
            en=(
                f"'{{term}}' was {en[0]} by {{count}} of {{n}} respondent.",
                f"'{{term}}' was {en[0]} by {{count}} of {{n}} respondents.",
            ),
        ),
        action=text(f"{nl[1]}: {{tip}}", f"{en[1]}: {{tip}}"),
        nearly_all=counted(
            nl=(
                f"'{{term}}' is {nl[0]} door op een paar na iedereen van de {{n}} respondent.",
                f"'{{term}}' is {nl[0]} door op een paar na alle {{n}} respondenten.",
            ),
            en=(
                f"'{{term}}' was {en[0]} by all but a few of the {{n}} respondent.",
                f"'{{term}}' was {en[0]} by all but a few of the {{n}} respondents.",
            ),
        ),
    )


_AND = text("en", "and")
_TOWARDS = text(
    "Jullie zitten in {phase} en zijn voor {progress}% op weg naar {target}. {weakest}",
    "You are in {phase}, {progress}% of the way to {target}. {weakest}",
)
_WEAKEST = text("De zwakste schakel: {areas}.", "The weakest link: {areas}.")
_MEDIAN_OF = text("{area} (mediaan {median})", "{area} (median {median})")
_ALL_LEVEL = text(
    "Geen enkele dimensie houdt jullie meer tegen dan de andere: alle staan gelijk, op "
    "mediaan {median}.",
    "No single dimension holds you back: all are level, at median {median}.",
)
_SOME_LEVEL = counted(
    nl=(
        "Geen enkele dimensie houdt jullie meer tegen dan de andere: {n} dimensie deelt de "
        "laagste mediaan, {median}.",
        "Geen enkele dimensie houdt jullie meer tegen dan de andere: {n} dimensies delen de "
        "laagste mediaan, {median}.",
    ),
    en=(
        "No single dimension holds you back: {n} dimension shares the lowest median, {median}.",
        "No single dimension holds you back: {n} dimensions share the lowest median, {median}.",
    ),
)
_AT_TOP = text(
    "Jullie zitten in {phase}, de hoogste fase. Houd het always-on en blijf optimaliseren.",
    "You are in {phase}, the highest phase. Keep it always-on and keep optimising.",
)
_HOLDS_BACK = text(
    "{dimension} houdt jullie tegen: mediaan {median}, {rated} (eensgezindheid {agreement}%).",
    "{dimension} holds you back: median {median}, {rated} (agreement {agreement}%).",
)
_SUPPORT = text(
    "{dimension}: mediaan {median}, {rated}. Het management bepaalt het tempo: zonder steun "
    "van bovenaf blijven de volgende fasen buiten bereik.",
    "{dimension}: median {median}, {rated}. Management sets the pace: without backing from "
    "the top the next phases stay out of reach.",
)
_RATED = counted(
    nl=("beoordeeld door {n} persoon", "beoordeeld door {n} mensen"),
    en=("rated by {n} person", "rated by {n} people"),
)
_RATED_BY_NEARLY_ALL = text(
    "beoordeeld door op een paar na iedereen (de anderen weten het niet)",
    "rated by all but a few (who don't know)",
)
"""When some, but fewer than the threshold, did not know: counting the raters counts them."""
_REST = text(
    "De rest van de organisatie staat al in fase {phase}.",
    "The rest of the organisation already stands at phase {phase}.",
)
_ALL_LEVEL_REASON = counted(
    nl=(
        "De {n} dimensie heeft mediaan {median} (beoordeeld door ten minste {fewest} mensen).",
        "Alle {n} dimensies hebben mediaan {median} (elk beoordeeld door ten minste {fewest} "
        "mensen): geen houdt jullie meer tegen dan een ander, dus til ze samen op.",
    ),
    en=(
        "The {n} dimension has median {median} (rated by at least {fewest} people).",
        "All {n} dimensions have median {median} (each rated by at least {fewest} people): "
        "none holds you back more than another, so lift them together.",
    ),
)
_LEVEL_REASON = text(
    "{areas} delen de laagste mediaan, {median} (elk beoordeeld door ten minste {fewest} "
    "mensen): geen houdt jullie meer tegen dan een ander, dus til ze samen op.",
    "{areas} share the lowest median, {median} (each rated by at least {fewest} people): "
    "none holds you back more than another, so lift them together.",
)
_OBSTACLE = _named_as(
    nl=("als obstakel genoemd", "Tegen '{term}'"),
    en=("named as an obstacle", "Against '{term}'"),
)
_OBJECTIVE = _named_as(
    nl=("als doelstelling gekozen", "Voor de doelstelling '{term}'"),
    en=("chosen as an objective", "For the objective '{term}'"),
)
_GOAL = _named_as(
    nl=("als doel gekozen", "Voor het doel '{term}'"),
    en=("chosen as a goal", "For the goal '{term}'"),
)
_ROLE_GAP = text(
    "Management en medewerkers zien dit een fase of meer verschillend: {areas}.",
    "Management and employees see this differently, a phase or more apart: {areas}.",
)
_GAP_AREA = text(
    "{area} (management {management}, medewerkers {employees})",
    "{area} (management {management}, employees {employees})",
)
_GAP_OVERALL = text(
    "de fase als geheel (management fase {management}, medewerkers fase {employees})",
    "the overall phase (management phase {management}, employees phase {employees})",
)
_MORE_GAPS = counted(nl=("{n} andere", "{n} andere"), en=("{n} other", "{n} others"))
_SPLIT = text(
    "Over {areas} zijn de antwoorden sterk verdeeld.",
    "People disagree strongly about {areas}.",
)
_SPLIT_AREA = text("{area} (eensgezindheid {agreement}%)", "{area} (agreement {agreement}%)")
_UNSURE = text(
    "Veel mensen weten niet hoe het zit met {areas}: deel daar meer over.",
    "Many people do not know where you stand on {areas}: share more about it.",
)
_UNSURE_AREA = text("{area} ({dont_know}% weet het niet)", "{area} ({dont_know}% don't know)")
_FEW_UNSURE_AREA = text("{area} (een paar weten het niet)", "{area} (a few don't know)")
_UNRATED = counted(
    nl=(
        "Minder dan {n} persoon kon {areas} beoordelen, dus dat blijft buiten beeld: deel "
        "daar meer over.",
        "Minder dan {n} mensen konden {areas} beoordelen, dus dat blijft buiten beeld: deel "
        "daar meer over.",
    ),
    en=(
        "Fewer than {n} person could rate {areas}, so it is not shown: share more about it.",
        "Fewer than {n} people could rate {areas}, so it is not shown: share more about it.",
    ),
)


@dataclass(frozen=True)
class Answer:
    """The topics that answer a question; no topics means the advisor does not know."""

    topics: tuple[Topic, ...]
    known: tuple[Topic, ...]
    """Every topic the advisor knows, to offer when nothing matched."""

    @property
    def matched(self) -> bool:
        return bool(self.topics)


def answer(index: TopicIndex, base: AdviceBase, question: str, language: Language) -> Answer:
    """Answer from the knowledge base, or say so and list the topics it knows; never guess."""
    return Answer(
        topics=tuple(match.topic for match in index.search(question, language)), known=base.topics
    )
