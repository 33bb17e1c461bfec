"""A clock that only moves when a test moves it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
"""A Monday morning, so weekday logic has a known starting point."""


class FixedClock:
    """A `Clock` that stands still until the test sets or advances it.

    Args:
        now: the starting time; timezone-aware, kept in UTC.
    """

    def __init__(self, now: datetime = START) -> None:
        self._now = _utc(now)

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        self._now = _utc(now)

    def advance(self, **units: float) -> datetime:
        """Move on, e.g. ``advance(days=7)``; returns the new time."""
        self._now += timedelta(**units)
        return self._now


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a FixedClock needs a timezone-aware datetime")
    return moment.astimezone(UTC)
