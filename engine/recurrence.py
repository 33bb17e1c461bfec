"""Recurring wall-clock times: an RRULE read in local time, so 09:00 stays 09:00 across DST."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr


@dataclass(frozen=True)
class LocalTime:
    """A wall-clock moment in a named zone. The UTC instant is derived from it when needed, so
    a daylight-saving change (or a tz database update) never moves the wall-clock time."""

    at: datetime
    """Naive: the time on the clock in `zone`."""
    zone: str

    def __post_init__(self) -> None:
        if self.at.tzinfo is not None:
            raise ValueError("a LocalTime holds a naive wall-clock time")
        ZoneInfo(self.zone)  # raises for an unknown zone

    def instant(self) -> datetime:
        """The UTC moment. A time skipped by a spring-forward change lands an hour later on the
        clock (02:30 becomes 03:30); a time that happens twice in autumn means the first one."""
        return self.at.replace(tzinfo=ZoneInfo(self.zone), fold=0).astimezone(UTC)

    @classmethod
    def of(cls, moment: datetime, zone: str) -> LocalTime:
        """The wall-clock time in `zone` of an aware `moment`."""
        return cls(moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None), zone)

    def date(self) -> date:
        return self.at.date()


def occurrences(rule: str, start: datetime, *, after: datetime, until: datetime) -> list[datetime]:
    """The wall-clock times of `rule` from `start` that fall in (after, until], all naive."""
    between = rrulestr(rule, dtstart=start, ignoretz=True).between(after, until, inc=True)
    return [moment for moment in between if moment > after]


def next_occurrence(rule: str, start: datetime, *, after: datetime) -> datetime | None:
    """The first wall-clock time of `rule` from `start` strictly after `after` (naive)."""
    found: datetime | None = rrulestr(rule, dtstart=start, ignoretz=True).after(after, inc=False)
    return found
