"""Always-on tasks as recurring occurrences: what is due, what was done on time, and streaks.

Business rules:
- An occurrence is due at its wall-clock time in the task's zone; it is done on time when it is
  marked done on or before its due day. A snooze moves the reminder, never the due day.
- A skipped occurrence (with a reason) counts neither for nor against consistency.
- An occurrence that is neither done nor skipped when the next one comes due is missed; the
  newest occurrence due today is not counted yet, since there is still time.
- A one-off task (no rule) has a single occurrence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from engine.recurrence import next_occurrence, occurrences
from engine.text import Text
from engine.vocabulary import TaskKind

CONSISTENCY_WEEKS = (4, 12)


class Outcome(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Task:
    """One adopted task: whose it is, how often, from when, in which zone."""

    id: int
    key: str
    """The catalogue's task or step id it came from."""
    kind: TaskKind
    title: Text
    owner: str
    """A respondent id (``channel:user``)."""
    rule: str | None
    """An iCalendar RRULE; None for a one-off step."""
    start: datetime
    """Naive wall-clock time of the first possible occurrence; its time of day is the due time."""
    zone: str

    def due_between(self, after: datetime, until: datetime) -> list[datetime]:
        """Occurrences due in (after, until], wall-clock times."""
        if self.rule is None:
            return [self.start] if after < self.start <= until else []
        return occurrences(self.rule, self.start, after=after, until=until)

    def next_after(self, moment: datetime) -> datetime | None:
        if self.rule is None:
            return self.start if self.start > moment else None
        return next_occurrence(self.rule, self.start, after=moment)

    def latest_until(self, moment: datetime) -> datetime | None:
        """The newest occurrence due at or before `moment`."""
        # One day past `start`, since the window's lower bound is exclusive.
        window = max(timedelta(days=400), moment - self.start + timedelta(days=1))
        due = self.due_between(moment - window, moment)
        return due[-1] if due else None


@dataclass(frozen=True)
class Mark:
    """What happened to one occurrence, keyed by the occurrence's due time."""

    occurrence: datetime
    outcome: Outcome
    at: datetime
    """Naive wall-clock time in the task's zone when it was marked."""
    note: str = ""


Marks = Mapping[datetime, Mark]


@dataclass(frozen=True)
class Consistency:
    weeks: int
    counted: int
    """Occurrences due in the window, skipped ones left out."""
    on_time: int

    @property
    def share(self) -> float | None:
        return self.on_time / self.counted if self.counted else None


def current(task: Task, marks: Marks, now: datetime) -> datetime | None:
    """The occurrence the owner should act on: the newest one due if it is still open, else the
    next one to come. None when a one-off task is done or skipped."""
    latest = task.latest_until(now)
    if latest is not None and latest not in marks:
        return latest
    following = task.next_after(now)
    while following is not None and following in marks:
        following = task.next_after(following)
    return following


def is_on_time(mark: Mark | None) -> bool:
    return (
        mark is not None
        and mark.outcome is Outcome.DONE
        and mark.at.date() <= mark.occurrence.date()
    )


def counted(task: Task, marks: Marks, today: date, weeks: int) -> list[datetime]:
    """The occurrences a consistency window counts: due in the last `weeks` weeks up to today,
    the one due today only once it is marked, skipped ones left out."""
    until = datetime.combine(today, datetime.max.time())
    after = datetime.combine(today - timedelta(weeks=weeks), datetime.max.time())
    due = task.due_between(after, until)
    return [
        occurrence
        for occurrence in due
        if (occurrence.date() < today or occurrence in marks)
        and (marks.get(occurrence) is None or marks[occurrence].outcome is Outcome.DONE)
    ]


def consistency(task: Task, marks: Marks, today: date, weeks: int) -> Consistency:
    window = counted(task, marks, today, weeks)
    return Consistency(weeks, len(window), sum(is_on_time(marks.get(o)) for o in window))


def team_consistency(per_task: Iterable[Consistency], weeks: int) -> Consistency:
    parts = [part for part in per_task if part.weeks == weeks]
    return Consistency(weeks, sum(p.counted for p in parts), sum(p.on_time for p in parts))


def streak(task: Task, marks: Marks, today: date) -> int:
    """How many of the newest counted occurrences in a row were done on time."""
    run = 0
    for occurrence in reversed(counted(task, marks, today, weeks=104)):
        if not is_on_time(marks.get(occurrence)):
            break
        run += 1
    return run


def missed_in_a_row(task: Task, marks: Marks, today: date) -> int:
    """How many of the newest past occurrences in a row nobody did or skipped."""
    run = 0
    until = datetime.combine(today, datetime.min.time())
    for occurrence in reversed(task.due_between(until - timedelta(weeks=104), until)):
        if occurrence.date() >= today:
            continue
        if occurrence in marks:
            break
        run += 1
    return run
