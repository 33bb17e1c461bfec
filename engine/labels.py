"""Names of the vocabulary, in Dutch and English."""

from __future__ import annotations

from enum import Enum

from engine.text import Text, text
from engine.vocabulary import Dimension, Goal, Language, Objective, Obstacle, Phase, Role, TaskKind

_LABELS: dict[Enum, Text] = {
    Phase.AD_HOC: text("Ad hoc", "Ad hoc"),
    Phase.BASIC_PUBLISHING: text("Basic publishing", "Basic publishing"),
    Phase.EXPERIMENTATION: text("Experimenteren", "Experimentation"),
    Phase.COLLABORATE: text("Samenwerken", "Collaborate"),
    Phase.PERFORMANCE_DRIVEN: text("Prestatiegedreven", "Performance-driven"),
    Dimension.MEDIA: text("Media", "Media"),
    Dimension.WAY_OF_WORKING: text("Werkwijze", "Way of working"),
    Dimension.PROFILES: text("Toepassing (profielen)", "Application (profiles)"),
    Dimension.TECHNOLOGY: text("Technologie", "Technology"),
    Dimension.IMPACT: text("Impact en meten", "Impact and measurement"),
    Dimension.SUPPORT: text("Draagvlak bij het management", "Management support"),
    Role.MANAGEMENT: text("management", "management"),
    Role.PROJECT_TEAM: text("projectteam", "project team"),
    Role.EMPLOYEE: text("medewerker", "employee"),
    Role.LOCAL_PARTNER: text("lokale partner", "local partner"),
    Obstacle.NO_TIME: text("geen tijd", "no time"),
    Obstacle.NO_KNOWLEDGE: text("te weinig kennis", "not enough knowledge"),
    Obstacle.FEAR_OF_CONTROL: text("angst voor controleverlies", "fear of losing control"),
    Obstacle.NO_SUPPORT: text("te weinig draagvlak", "not enough support"),
    Obstacle.UNCLEAR_ROI: text("onduidelijk rendement", "unclear return"),
    Objective.LISTENING: text("luisteren", "listening"),
    Objective.TALKING: text("praten", "talking"),
    Objective.ENERGIZING: text("enthousiasmeren", "energizing"),
    Objective.SUPPORTING: text("ondersteunen", "supporting"),
    Objective.EMBRACING: text("omarmen", "embracing"),
    Goal.TRAFFIC: text("verkeer", "traffic"),
    Goal.ENGAGEMENT: text("betrokkenheid", "engagement"),
    Goal.FINDABILITY: text("vindbaarheid", "findability"),
    Goal.SALES: text("verkoop", "sales"),
    TaskKind.POST: text("posten", "post"),
    TaskKind.MEASURE: text("meten", "measure"),
    TaskKind.REPORT: text("rapporteren", "report"),
    TaskKind.ENTHUSE: text("enthousiasmeren", "enthuse"),
    TaskKind.TRAIN: text("trainen", "train"),
    TaskKind.RESCAN: text("opnieuw scannen", "re-scan"),
    TaskKind.STEP: text("eenmalige stap", "one-off step"),
}


def label(term: Enum, language: Language) -> str:
    """The name of a vocabulary term in the given language."""
    return _LABELS[term](language)


def phase_name(phase: Phase, language: Language) -> str:
    """'Phase 3, Experimentation' in the given language."""
    word = "Fase" if language is Language.NL else "Phase"
    return f"{word} {int(phase)}, {label(phase, language)}"


def decimal(value: float, language: Language, *, keep_zero: bool = True) -> str:
    """One decimal, with a decimal comma in Dutch: 2.5 / 2,5; without `keep_zero`, 3.0 is 3."""
    written = f"{value:.1f}"
    if not keep_zero:
        written = written.rstrip("0").rstrip(".")
    return written.replace(".", ",") if language is Language.NL else written
