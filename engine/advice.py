"""Next-step advice grounded in a result, and answers to free-text questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from engine.advice_base import AdviceBase, Topic
from engine.labels import label, phase_name
from engine.matching import TopicIndex
from engine.plan import Plan
from engine.plan_catalogue import PlanCatalogue
from engine.scoring import Named, OrgResult
from engine.text import text
from engine.vocabulary import Dimension, Goal, Language, Objective, Obstacle

T = TypeVar("T", Obstacle, Objective, Goal)

LOW_AGREEMENT = 0.5
MANY_DONT_KNOW = 0.3
MAX_OBSTACLES = 2


@dataclass(frozen=True)
class Advice:
    """What to do next and why, in one language."""

    headline: str
    reasons: tuple[str, ...]
    actions: tuple[str, ...]


def advise(
    result: OrgResult,
    plan: Plan,
    catalogue: PlanCatalogue,
    base: AdviceBase,
    language: Language,
) -> Advice:
    """Advice for the project manager, from the phase, the weakest link, the obstacles and
    objectives people named, the role gap and where people disagree or do not know."""
    reasons: list[str] = []
    actions: list[str] = []
    profile = catalogue.profile(plan.phase)
    if plan.target is not None and profile.why_next is not None:
        reasons.append(profile.why_next(language))
    if plan.steps:
        first = plan.steps[0]
        actions.append(f"{first.title(language).rstrip('.')}: {first.why(language)}")
    support = result.dimensions.get(Dimension.SUPPORT)
    if plan.target is not None and support is not None and support.phase < plan.target:
        reasons.append(_SUPPORT_FIRST(language))
    for obstacle in _named(result.obstacles, result.respondents)[:MAX_OBSTACLES]:
        actions.append(base.obstacles[obstacle](language))
    for objective in _named(result.objectives, result.respondents)[:1]:
        actions.append(base.objectives[objective](language))
    for goal in _named(result.goals, result.respondents)[:1]:
        actions.append(base.goals[goal](language))
    if result.role_gaps:
        areas = ", ".join(
            label(gap.dimension, language) if gap.dimension else _OVERALL(language)
            for gap in result.role_gaps
        )
        reasons.append(_ROLE_GAP(language).format(areas=areas))
        actions.append(base.role_gap(language))
    split = [d for d, s in result.dimensions.items() if s.agreement < LOW_AGREEMENT]
    if split:
        reasons.append(_SPLIT(language).format(areas=_names(split, language)))
        actions.append(base.low_agreement(language))
    unsure = [d for d, s in result.dimensions.items() if s.dont_know >= MANY_DONT_KNOW]
    unsure += list(result.unrated)
    if unsure:
        reasons.append(_UNSURE(language).format(areas=_names(unsure, language)))
    return Advice(
        headline=_headline(result, plan, language), reasons=tuple(reasons), actions=tuple(actions)
    )


def _headline(result: OrgResult, plan: Plan, language: Language) -> str:
    here = phase_name(plan.phase, language)
    if plan.target is None:
        return _AT_TOP(language).format(phase=here)
    weakest = _names(result.limiting, language) if result.limiting else "-"
    return _TOWARDS(language).format(
        phase=here,
        target=phase_name(plan.target, language),
        progress=round((result.progress or 0) * 100),
        weakest=weakest,
    )


def _named(named: tuple[Named[T], ...], respondents: int) -> list[T]:
    return [mention.term for mention in named if mention.common]


def _names(dimensions: list[Dimension] | tuple[Dimension, ...], language: Language) -> str:
    return ", ".join(label(d, language) for d in dimensions)


_TOWARDS = text(
    "Jullie zitten in {phase} en zijn voor {progress}% op weg naar {target}. "
    "De zwakste schakel: {weakest}.",
    "You are in {phase}, {progress}% of the way to {target}. The weakest link: {weakest}.",
)
_AT_TOP = text(
    "Jullie zitten in {phase}, de hoogste fase. Houd het always-on en blijf optimaliseren.",
    "You are in {phase}, the highest phase. Keep it always-on and keep optimising.",
)
_SUPPORT_FIRST = text(
    "Het draagvlak bij het management loopt niet voorop, terwijl het tempo ervan afhangt: "
    "zonder steun van bovenaf blijven de volgende fasen buiten bereik.",
    "Management support is not ahead, yet it sets the pace: without backing from the top "
    "the next phases stay out of reach.",
)
_ROLE_GAP = text(
    "Management en medewerkers zien dit verschillend ({areas}): ze schatten elkaar een fase "
    "of meer anders in.",
    "Management and employees see this differently ({areas}): a phase or more apart.",
)
_OVERALL = text("de fase als geheel", "the overall phase")
_SPLIT = text(
    "Over {areas} zijn de antwoorden sterk verdeeld.",
    "People disagree strongly about {areas}.",
)
_UNSURE = text(
    "Veel mensen weten niet hoe het zit met {areas}: deel daar meer over.",
    "Many people do not know where you stand on {areas}: share more about it.",
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
