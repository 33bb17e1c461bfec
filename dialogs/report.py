"""What the management report holds, gathered from storage; `bot/report/` draws it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engine.kpi import KpiEntry
from engine.plan import Plan
from engine.scoring import OrgResult, Withheld
from engine.tasks import Consistency
from engine.vocabulary import Language


@dataclass(frozen=True)
class ScanLine:
    number: int
    result: OrgResult | Withheld


@dataclass(frozen=True)
class TaskLine:
    """One adopted task's record: how often it was done on time, and the current streak."""

    title: str
    owner: str
    recent: Consistency
    """The last 4 weeks."""
    longer: Consistency
    """The last 12 weeks."""
    streak: int


@dataclass(frozen=True)
class ReportData:
    organisation: str
    language: Language
    made_on: date
    latest: ScanLine | None
    """The newest scan with a result (withheld when too few people answered)."""
    baseline: ScanLine | None
    """The first scan whose result was shown; None when that is the latest one."""
    kpis: tuple[KpiEntry, ...]
    """Oldest period first."""
    tasks: tuple[TaskLine, ...]
    team_recent: Consistency
    team_longer: Consistency
    plan: Plan | None
    """What is next: the plan from the latest shown result."""
