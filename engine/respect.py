"""When a nudge may arrive: working days and hours in the recipient's zone, public holidays and
the organisation's own days off, a quiet window in the day, pauses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache

import holidays

DEFAULT_CAP = 5
"""Personal nudges per person per week; more than this is noise."""
MAXIMUM_CAP = 50
"""More nudges a week than this is no cap at all: a typo, not a policy."""


@cache
def supported_countries() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes whose public holidays the `holidays` library knows."""
    # Without aliases (UK for GB, the three-letter codes): one code a country.
    return frozenset(holidays.list_supported_countries(include_aliases=False))


@lru_cache(maxsize=256)
def country_code(code: str) -> str | None:
    """The two-letter code a country code or one of its aliases stands for (``UK`` and ``GBR``
    for ``GB``), or None for a country whose public holidays are unknown."""
    code = code.strip().upper()
    if code not in holidays.list_supported_countries():
        return None
    return str(holidays.country_holidays(code).country)


@cache
def public_holidays(country: str, year: int) -> frozenset[date]:
    """A country's public holidays in a year (observed days included): computed, not looked
    up, and kept per year because every planned nudge asks."""
    return frozenset(holidays.country_holidays(country, years=year))


@dataclass(frozen=True)
class Respect:
    """An organisation's rules for disturbing people. Outside them a nudge waits."""

    working_days: frozenset[int] = frozenset(range(5))
    """Weekday numbers, Monday 0."""
    day_starts: time = time(9, 0)
    day_ends: time = time(17, 30)
    holidays: frozenset[date] = field(default_factory=frozenset)
    """The organisation's own days off, beside its country's public holidays."""
    weekly_cap: int = DEFAULT_CAP
    quiet_hours: tuple[time, time] | None = None
    """A window inside the working day when no nudge arrives (lunch, 12:00 to 13:00)."""
    country: str | None = None
    """ISO 3166-1 alpha-2 (``NL``): its public holidays are no working days."""

    def __post_init__(self) -> None:
        if not self.working_days or not self.working_days <= set(range(7)):
            raise ValueError("working days are weekday numbers 0 (Monday) to 6, at least one")
        if self.day_starts >= self.day_ends:
            raise ValueError("the working day must start before it ends")
        if self.weekly_cap < 1:
            raise ValueError("the weekly cap is at least 1")
        if self.quiet_hours is not None:
            begins, ends = self.quiet_hours
            if not self.day_starts <= begins < ends <= self.day_ends:
                raise ValueError("quiet hours start before they end, inside the working day")
            if (begins, ends) == (self.day_starts, self.day_ends):
                raise ValueError("quiet hours cannot take the whole working day")
        if self.country is not None and self.country not in supported_countries():
            raise ValueError(f"no public holidays known for country {self.country!r}")

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() in self.working_days
            and day not in self.holidays
            and not self.is_public_holiday(day)
        )

    def is_public_holiday(self, day: date) -> bool:
        return self.country is not None and day in public_holidays(self.country, day.year)

    def allowed_from(self, clock: time) -> time | None:
        """The first time at or after `clock` on a working day when a nudge may arrive."""
        clock = max(clock, self.day_starts)
        if self.quiet_hours is not None and self.quiet_hours[0] <= clock < self.quiet_hours[1]:
            clock = self.quiet_hours[1]
        return clock if clock < self.day_ends else None


def next_allowed(
    wanted: datetime, respect: Respect, *, paused_until: date | None = None
) -> datetime:
    """The first wall-clock time at or after `wanted` (naive, the recipient's zone) when a
    nudge may arrive: a working day that is no holiday, within working hours and outside the
    quiet hours, after any pause (`paused_until` is the last day away)."""
    day, clock = wanted.date(), wanted.time()
    if paused_until is not None and day <= paused_until:
        day, clock = paused_until + timedelta(days=1), respect.day_starts
    for _ in range(400):
        allowed = respect.allowed_from(clock) if respect.is_working_day(day) else None
        if allowed is not None:
            return datetime.combine(day, allowed)
        day, clock = day + timedelta(days=1), respect.day_starts
    raise ValueError("no working day in more than a year: check the holidays")


def week_of(day: date) -> str:
    """The ISO week a day belongs to, e.g. ``2026-W48``: the period of a digest and the cap."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
