"""When a nudge may arrive: working days and hours in the recipient's zone, holidays, pauses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

DEFAULT_CAP = 5
"""Personal nudges per person per week; more than this is noise."""


@dataclass(frozen=True)
class Respect:
    """An organisation's rules for disturbing people. Outside them a nudge waits."""

    working_days: frozenset[int] = frozenset(range(5))
    """Weekday numbers, Monday 0."""
    day_starts: time = time(9, 0)
    day_ends: time = time(17, 30)
    holidays: frozenset[date] = field(default_factory=frozenset)
    weekly_cap: int = DEFAULT_CAP

    def __post_init__(self) -> None:
        if not self.working_days or not self.working_days <= set(range(7)):
            raise ValueError("working days are weekday numbers 0 (Monday) to 6, at least one")
        if self.day_starts >= self.day_ends:
            raise ValueError("the working day must start before it ends")
        if self.weekly_cap < 1:
            raise ValueError("the weekly cap is at least 1")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.working_days and day not in self.holidays


def next_allowed(
    wanted: datetime, respect: Respect, *, paused_until: date | None = None
) -> datetime:
    """The first wall-clock time at or after `wanted` (naive, the recipient's zone) when a
    nudge may arrive: a working day that is no holiday, within working hours, after any pause
    (`paused_until` is the last day away)."""
    day, clock = wanted.date(), wanted.time()
    if paused_until is not None and day <= paused_until:
        day, clock = paused_until + timedelta(days=1), respect.day_starts
    for _ in range(400):
        if respect.is_working_day(day) and clock < respect.day_ends:
            return datetime.combine(day, max(clock, respect.day_starts))
        day, clock = day + timedelta(days=1), respect.day_starts
    raise ValueError("no working day in more than a year: check the holidays")


def week_of(day: date) -> str:
    """The ISO week a day belongs to, e.g. ``2026-W48``: the period of a digest and the cap."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
