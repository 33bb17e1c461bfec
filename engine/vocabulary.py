"""The closed vocabularies of the Social Strategy Readiness Model."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Language(StrEnum):
    NL = "nl"
    EN = "en"


class Phase(IntEnum):
    """The five SSRM phases, in order of maturity."""

    AD_HOC = 1
    BASIC_PUBLISHING = 2
    EXPERIMENTATION = 3
    COLLABORATE = 4
    PERFORMANCE_DRIVEN = 5

    @property
    def label(self) -> str:
        return _PHASE_LABELS[self]

    def next(self) -> Phase | None:
        return Phase(self + 1) if self < Phase.PERFORMANCE_DRIVEN else None


_PHASE_LABELS = {
    Phase.AD_HOC: "Ad Hoc",
    Phase.BASIC_PUBLISHING: "Basic Publishing",
    Phase.EXPERIMENTATION: "Experimentation",
    Phase.COLLABORATE: "Collaborate",
    Phase.PERFORMANCE_DRIVEN: "Performance-Driven",
}


class Dimension(StrEnum):
    """The five SSRM dimensions plus management support, the precondition for all of them."""

    MEDIA = "media"
    WAY_OF_WORKING = "way_of_working"
    PROFILES = "profiles"
    TECHNOLOGY = "technology"
    IMPACT = "impact"
    SUPPORT = "support"


class Role(StrEnum):
    MANAGEMENT = "management"
    PROJECT_TEAM = "project_team"
    EMPLOYEE = "employee"
    LOCAL_PARTNER = "local_partner"


class Obstacle(StrEnum):
    """The stoorfactoren that hold organisations back (seed 002)."""

    NO_TIME = "no_time"
    NO_KNOWLEDGE = "no_knowledge"
    FEAR_OF_CONTROL = "fear_of_control"
    NO_SUPPORT = "no_support"
    UNCLEAR_ROI = "unclear_roi"


class Objective(StrEnum):
    """The five POST objectives (seed 003)."""

    LISTENING = "listening"
    TALKING = "talking"
    ENERGIZING = "energizing"
    SUPPORTING = "supporting"
    EMBRACING = "embracing"


class Goal(StrEnum):
    """The four goals social media can serve (seed 003)."""

    TRAFFIC = "traffic"
    ENGAGEMENT = "engagement"
    FINDABILITY = "findability"
    SALES = "sales"


class TaskKind(StrEnum):
    """The always-on work that keeps social media structural (seeds 001 and 004)."""

    POST = "post"
    MEASURE = "measure"
    REPORT = "report"
    ENTHUSE = "enthuse"
    TRAIN = "train"
    RESCAN = "rescan"
    STEP = "step"
    """A one-off step towards the next phase, adopted from the plan."""
