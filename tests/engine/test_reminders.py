"""The reminder before a scan's deadline falls in the person's own working hours."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from engine.reminders import reminder_time

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_the_reminder_is_at_ten_in_the_morning_a_day_before_the_deadline() -> None:
    deadline = datetime(2026, 11, 27, 17, 0, tzinfo=AMSTERDAM)
    assert reminder_time(deadline, AMSTERDAM, NOW) == datetime(
        2026, 11, 26, 10, 0, tzinfo=AMSTERDAM
    )


def test_each_person_is_reminded_in_their_own_time_zone() -> None:
    deadline = datetime(2026, 11, 27, 17, 0, tzinfo=AMSTERDAM)
    reminded = reminder_time(deadline, NEW_YORK, NOW)
    assert reminded == datetime(2026, 11, 26, 10, 0, tzinfo=NEW_YORK)


def test_a_deadline_early_in_the_morning_moves_the_reminder_a_day_earlier() -> None:
    deadline = datetime(2026, 11, 27, 9, 0, tzinfo=AMSTERDAM)
    assert reminder_time(deadline, AMSTERDAM, NOW) == datetime(
        2026, 11, 25, 10, 0, tzinfo=AMSTERDAM
    )


def test_no_reminder_falls_on_a_weekend() -> None:
    monday = datetime(2026, 11, 30, 17, 0, tzinfo=AMSTERDAM)
    assert reminder_time(monday, AMSTERDAM, NOW) == datetime(2026, 11, 27, 10, 0, tzinfo=AMSTERDAM)


def test_a_deadline_too_close_for_a_useful_reminder_gets_none() -> None:
    tomorrow = datetime(2026, 11, 24, 9, 0, tzinfo=AMSTERDAM)
    assert reminder_time(tomorrow, AMSTERDAM, NOW) is None
