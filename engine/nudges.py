"""Which nudges a task or a week calls for, when they may arrive and when they go stale.

Business rules:
- An owner is nudged on an occurrence's due day at its due time, moved into their working
  hours (and past weekends, holidays and their pause); once more the working morning after that
  if it is still open; never after the next occurrence comes due.
- After `escalate_after` occurrences in a row were missed, the project manager gets one
  escalation about the task instead of more nudges to the owner.
- The project manager's weekly digest comes on Monday at 09:00 in their zone (the organisation's
  until theirs is known), or their first working moment after it, and goes stale when the week
  is over.
- The management report goes to the project manager on the month's first working day at 09:00
  in their zone, and goes stale a week later.
- Each nudge has a key (recipient, kind, occurrence) that is unique: planning twice plans once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from engine.recurrence import LocalTime
from engine.respect import Respect, monday_of, next_allowed, week_of
from engine.tasks import Marks, Task, current, missed_in_a_row

DIGEST_TIME = time(9, 0)
ESCALATE_AFTER = 2
ONE_OFF_STALE = timedelta(days=7)
"""How long reminders about a one-off step stay useful after its due day."""


class NudgeKind(StrEnum):
    TASK_DUE = "task_due"
    TASK_OVERDUE = "task_overdue"
    ESCALATION = "escalation"
    DIGEST = "digest"
    REPORT = "report"
    SCAN_REMINDER = "scan_reminder"
    HANDOVER = "handover"
    """A task that became the project manager's when its owner asked to be forgotten."""

    @property
    def capped(self) -> bool:
        """Personal nudges count against the weekly cap; what the manager asked for does not."""
        return self in (NudgeKind.TASK_DUE, NudgeKind.TASK_OVERDUE)


@dataclass(frozen=True)
class Recipient:
    respondent: str
    zone: str
    paused_until: date | None = None


@dataclass(frozen=True)
class PlannedNudge:
    recipient: str
    kind: NudgeKind
    occurrence: str
    """With recipient and kind, the nudge's unique key: e.g. ``task:7:2026-11-24T10:00``."""
    deliver_at: LocalTime
    stale_at: LocalTime
    task_id: int | None = None


def task_nudges(
    task: Task,
    marks: Marks,
    *,
    now: datetime,
    owner: Recipient,
    manager: Recipient,
    respect: Respect,
    escalate_after: int = ESCALATE_AFTER,
) -> list[PlannedNudge]:
    """The nudges the task's current occurrence calls for; `now` is aware."""
    local_now = LocalTime.of(now, task.zone).at
    today = local_now.date()
    missed = missed_in_a_row(task, marks, today)
    if missed >= escalate_after:
        return [_escalation(task, missed, local_now, manager, respect)]
    occurrence = current(task, marks, local_now)
    if occurrence is None:
        return []
    following = task.next_after(occurrence)
    stale = following if following is not None else occurrence + ONE_OFF_STALE
    key = f"task:{task.id}:{occurrence:%Y-%m-%dT%H:%M}"
    due = next_allowed(
        _in_zone(occurrence, task.zone, owner.zone), respect, paused_until=owner.paused_until
    )
    # The follow-up comes the working morning after the first nudge, never together with it.
    next_morning = next_allowed(
        datetime.combine(due.date() + timedelta(days=1), respect.day_starts), respect
    )
    stale_at = LocalTime(stale, task.zone)
    return [
        PlannedNudge(owner.respondent, kind, key, LocalTime(at, owner.zone), stale_at, task.id)
        for kind, at in ((NudgeKind.TASK_DUE, due), (NudgeKind.TASK_OVERDUE, next_morning))
    ]


def digest(now: datetime, manager: Recipient, respect: Respect) -> PlannedNudge:
    """This week's digest for the project manager."""
    local_now = LocalTime.of(now, manager.zone).at
    monday = monday_of(local_now.date())
    wanted = datetime.combine(monday, DIGEST_TIME)
    return PlannedNudge(
        manager.respondent,
        NudgeKind.DIGEST,
        week_of(monday),
        LocalTime(next_allowed(wanted, respect, paused_until=manager.paused_until), manager.zone),
        LocalTime(datetime.combine(monday + timedelta(days=7), time(0, 0)), manager.zone),
    )


def monthly_report(now: datetime, manager: Recipient, respect: Respect) -> PlannedNudge:
    """This month's management report for the project manager."""
    first = LocalTime.of(now, manager.zone).at.date().replace(day=1)
    wanted = datetime.combine(first, DIGEST_TIME)
    at = next_allowed(wanted, respect, paused_until=manager.paused_until)
    return PlannedNudge(
        manager.respondent,
        NudgeKind.REPORT,
        f"{first:%Y-%m}",
        LocalTime(at, manager.zone),
        LocalTime(datetime.combine(at.date() + timedelta(days=7), time(0, 0)), manager.zone),
    )


def _escalation(
    task: Task, missed: int, local_now: datetime, manager: Recipient, respect: Respect
) -> PlannedNudge:
    """One escalation per run of `missed` misses: keyed by the first occurrence of the run."""
    # The same window as missed_in_a_row, or a run as long as the window overruns `past`.
    since = datetime.combine(local_now.date(), time.min) - timedelta(weeks=104)
    past = task.due_between(since, local_now)
    past = [o for o in past if o.date() < local_now.date()]
    first_missed = past[-missed]
    wanted = _in_zone(local_now, task.zone, manager.zone)
    return PlannedNudge(
        manager.respondent,
        NudgeKind.ESCALATION,
        f"task:{task.id}:{first_missed:%Y-%m-%dT%H:%M}",
        LocalTime(next_allowed(wanted, respect, paused_until=manager.paused_until), manager.zone),
        LocalTime(local_now + timedelta(days=14), task.zone),
        task.id,
    )


def _in_zone(moment: datetime, zone: str, other: str) -> datetime:
    """A wall-clock time in `zone` as the wall-clock time in `other`."""
    return LocalTime.of(LocalTime(moment, zone).instant(), other).at
