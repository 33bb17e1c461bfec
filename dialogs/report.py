"""What the management report holds, gathered from storage; `bot/report/` draws it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from dialogs import phrases
from dialogs.advisor import Advisor
from dialogs.ports import (
    KpiRepository,
    LaunchRepository,
    NameBook,
    PeopleDirectory,
    ScanRepository,
    TaskRepository,
)
from dialogs.records import Organisation, Scan, place_of
from engine.crosscheck import WEEKS, PostingCheck, posting_check
from engine.kpi import KpiEntry
from engine.plan import Plan, make_plan
from engine.recurrence import LocalTime
from engine.scoring import OrgResult, Withheld
from engine.tasks import (
    CONSISTENCY_WEEKS,
    Consistency,
    consistency,
    current,
    streak,
    team_consistency,
)
from engine.vocabulary import Language, TaskKind


@dataclass(frozen=True)
class ScanLine:
    number: int
    result: OrgResult | Withheld


@dataclass(frozen=True)
class TaskLine:
    """One adopted task's record: how often it was done on time, and the current streak."""

    title: str
    owner: str
    """The owner's name as their chat knows it, or a neutral word: never a chat id."""
    recent: Consistency
    """The last 4 weeks."""
    longer: Consistency
    """The last 12 weeks."""
    streak: int
    due: date | None = None
    """The day of the occurrence to act on now: the newest one due if still open (overdue when
    before the report's day), else the next to come; None for a one-off task that is done."""


@dataclass(frozen=True)
class Response:
    """How many finished the latest shown scan, of how many: counts only, never who."""

    completed: int
    of: int
    invited: bool
    """True: `of` is everyone the scan was launched to; False: the scan had no launch, and
    `of` is everyone who started it."""

    @property
    def share(self) -> float | None:
        return self.completed / self.of if self.of else None


@dataclass(frozen=True)
class ReportData:
    organisation: str
    language: Language
    made_on: date
    latest: ScanLine | None
    """The newest closed scan's result (withheld when too few people answered)."""
    baseline: ScanLine | None
    """The first scan whose result was shown; None when that is the latest one."""
    kpis: tuple[KpiEntry, ...]
    """Oldest period first."""
    tasks: tuple[TaskLine, ...]
    team_recent: Consistency
    team_longer: Consistency
    plan: Plan | None
    """What is next: the plan from the latest shown result."""
    check: PostingCheck | None = None
    """The way of working people perceive beside the posting actually logged."""
    unreachable: tuple[str, ...] = ()
    """People and places the chat refused for good, by name; the ones no chat named are
    counted in one line each ("2 colleagues"), never shown by their ids."""
    response: Response | None = None
    """Who finished the latest shown scan; None without one."""


async def gather(
    org: Organisation,
    *,
    advisor: Advisor,
    tasks: TaskRepository,
    kpis: KpiRepository,
    people: PeopleDirectory,
    scans: ScanRepository,
    launches: LaunchRepository,
    now: datetime,
    language: Language | None = None,
    names: NameBook | None = None,
) -> ReportData:
    """Everything the report shows, as of `now`, in `language` (default: the organisation's).

    A report is a file no chat renders, so people and places are written by the names `names`
    knows (asked once for everyone), the others by a neutral word; without it, all of them.
    """
    language = language or org.settings.language
    history = await advisor.history(org)
    # A running scan has no result yet: it appears when the scan closes.
    closed = [(scan, result) for scan, result in history if result is not None]
    shown = [ScanLine(scan.number, result) for scan, result in closed]
    latest = shown[-1] if shown else None
    first_shown = next((line for line in shown if isinstance(line.result, OrgResult)), None)
    baseline = first_shown if first_shown is not latest else None
    active = await tasks.active(org.id)
    refused = [person.respondent for person in await people.unreachable(org.id)]
    wanted = list(dict.fromkeys([*(task.owner for task in active), *refused]))
    known = await names.names(org.id, wanted) if names is not None and wanted else {}
    marks = await tasks.marks(org.id, [task.id for task in active])
    recent_weeks, longer_weeks = CONSISTENCY_WEEKS
    lines, parts, posting = [], [], []
    for task in active:
        local = LocalTime.of(now, task.zone)
        today = local.date()
        own = marks.get(task.id, {})
        recent, longer = (consistency(task, own, today, w) for w in CONSISTENCY_WEEKS)
        parts += [recent, longer]
        if task.kind is TaskKind.POST:
            posting.append(consistency(task, own, today, WEEKS))
        lines.append(
            TaskLine(
                task.title(language),
                known.get(task.owner) or phrases.COLLEAGUE(language),
                recent,
                longer,
                streak(task, own, today),
                _day(current(task, own, local.at)),
            )
        )
    result = latest.result if latest else None
    plan = (
        make_plan(result, advisor.knowledge.catalogue)
        if isinstance(result, OrgResult) and result.overall is not None
        else None
    )
    return ReportData(
        organisation=org.name,
        language=language,
        made_on=LocalTime.of(now, org.settings.time_zone).date(),
        latest=latest,
        baseline=baseline,
        kpis=tuple(await kpis.series(org.id)),
        tasks=tuple(lines),
        team_recent=team_consistency(parts, recent_weeks),
        team_longer=team_consistency(parts, longer_weeks),
        plan=plan,
        check=posting_check(result, posting) if isinstance(result, OrgResult) else None,
        unreachable=_unreachable(refused, known, language),
        response=await _response(org.id, closed[-1][0], scans, launches) if closed else None,
    )


def _unreachable(
    addresses: Sequence[str], known: Mapping[str, str], language: Language
) -> tuple[str, ...]:
    """The named people and places in alphabetical order, then one line for the unnamed people
    and one for the unnamed places: a list of "a colleague" over and over says nothing."""
    named = sorted((known[a] for a in addresses if known.get(a)), key=str.casefold)
    unnamed = [address for address in addresses if not known.get(address)]
    people = sum(place_of(address) is None for address in unnamed)
    places = len(unnamed) - people
    return (
        *named,
        *([phrases.SOME_COLLEAGUES(language, people)] if people else []),
        *([phrases.SOME_CHANNELS(language, places)] if places else []),
    )


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.date()


async def _response(
    org_id: int, scan: Scan, scans: ScanRepository, launches: LaunchRepository
) -> Response:
    """Completed of invited when the scan was launched to people; else completed of started."""
    if await launches.get(org_id, scan.id) is not None:
        invitations = await launches.invitations(org_id, scan.id)
        done = sum(invitation.completed for invitation in invitations)
        return Response(done, len(invitations), invited=True)
    started = await scans.participation(org_id, scan.id)
    done = sum(person.completed_at is not None for person in started)
    return Response(done, len(started), invited=False)
