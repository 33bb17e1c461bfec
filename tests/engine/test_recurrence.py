"""Recurring times are wall-clock times: 09:00 stays 09:00 across daylight saving."""

# Wall-clock times are naive on purpose: a LocalTime pairs them with their zone.
# ruff: noqa: DTZ001

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfoNotFoundError

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.recurrence import LocalTime, next_occurrence, occurrences

AMSTERDAM, NEW_YORK = "Europe/Amsterdam", "America/New_York"
ON_MONDAYS = "FREQ=WEEKLY;BYDAY=MO"
ON_SUNDAYS = "FREQ=WEEKLY;BYDAY=SU"


def test_a_weekly_rule_keeps_nine_on_the_clock_when_amsterdam_springs_forward() -> None:
    start = datetime(2027, 3, 1, 9, 0)
    found = occurrences(ON_MONDAYS, start, after=datetime(2027, 3, 20), until=datetime(2027, 4, 1))
    assert found == [datetime(2027, 3, 22, 9, 0), datetime(2027, 3, 29, 9, 0)]
    assert [LocalTime(at, AMSTERDAM).instant() for at in found] == [
        datetime(2027, 3, 22, 8, 0, tzinfo=UTC),
        datetime(2027, 3, 29, 7, 0, tzinfo=UTC),
    ]


def test_a_weekly_rule_keeps_nine_on_the_clock_when_amsterdam_falls_back() -> None:
    start = datetime(2026, 10, 5, 9, 0)
    found = occurrences(
        ON_MONDAYS, start, after=datetime(2026, 10, 15), until=datetime(2026, 11, 1)
    )
    assert found == [datetime(2026, 10, 19, 9, 0), datetime(2026, 10, 26, 9, 0)]
    assert [LocalTime(at, AMSTERDAM).instant() for at in found] == [
        datetime(2026, 10, 19, 7, 0, tzinfo=UTC),
        datetime(2026, 10, 26, 8, 0, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    ("sunday", "zone", "utc_hour"),
    [
        # New York moves its clocks on 14 March 2027, Amsterdam two weeks later.
        (datetime(2027, 3, 7, 9, 0), AMSTERDAM, 8),
        (datetime(2027, 3, 7, 9, 0), NEW_YORK, 14),
        (datetime(2027, 3, 14, 9, 0), AMSTERDAM, 8),
        (datetime(2027, 3, 14, 9, 0), NEW_YORK, 13),
        (datetime(2027, 3, 21, 9, 0), AMSTERDAM, 8),
        (datetime(2027, 3, 21, 9, 0), NEW_YORK, 13),
        (datetime(2027, 3, 28, 9, 0), AMSTERDAM, 7),
        (datetime(2027, 3, 28, 9, 0), NEW_YORK, 13),
        # Amsterdam falls back on 25 October 2026, New York a week later.
        (datetime(2026, 10, 18, 9, 0), AMSTERDAM, 7),
        (datetime(2026, 10, 18, 9, 0), NEW_YORK, 13),
        (datetime(2026, 10, 25, 9, 0), AMSTERDAM, 8),
        (datetime(2026, 10, 25, 9, 0), NEW_YORK, 13),
        (datetime(2026, 11, 1, 9, 0), AMSTERDAM, 8),
        (datetime(2026, 11, 1, 9, 0), NEW_YORK, 14),
    ],
)
def test_the_same_rule_in_two_zones_changes_its_utc_hour_on_each_zones_own_date(
    sunday: datetime, zone: str, utc_hour: int
) -> None:
    start = datetime(2026, 9, 6, 9, 0)
    assert sunday in occurrences(ON_SUNDAYS, start, after=sunday - timedelta(days=1), until=sunday)
    assert LocalTime(sunday, zone).instant() == datetime.combine(
        sunday.date(), datetime.min.time(), tzinfo=UTC
    ) + timedelta(hours=utc_hour)


def test_half_past_two_on_the_spring_forward_day_lands_at_half_past_three() -> None:
    skipped = LocalTime(datetime(2027, 3, 28, 2, 30), AMSTERDAM)
    assert skipped.instant() == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert LocalTime.of(skipped.instant(), AMSTERDAM).at == datetime(2027, 3, 28, 3, 30)


def test_a_daily_rule_at_half_past_two_still_fires_on_the_spring_forward_day() -> None:
    found = occurrences(
        "FREQ=DAILY",
        datetime(2027, 3, 26, 2, 30),
        after=datetime(2027, 3, 27),
        until=datetime(2027, 3, 29, 23, 59),
    )
    assert found == [
        datetime(2027, 3, 27, 2, 30),
        datetime(2027, 3, 28, 2, 30),
        datetime(2027, 3, 29, 2, 30),
    ]


def test_a_time_that_happens_twice_in_autumn_means_the_first_one() -> None:
    ambiguous = LocalTime(datetime(2026, 10, 25, 2, 30), AMSTERDAM)
    assert ambiguous.instant() == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "zone", "wall_clock"),
    [
        (datetime(2026, 11, 23, 8, 0, tzinfo=UTC), AMSTERDAM, datetime(2026, 11, 23, 9, 0)),
        (datetime(2026, 11, 23, 8, 0, tzinfo=UTC), NEW_YORK, datetime(2026, 11, 23, 3, 0)),
        (datetime(2026, 11, 23, 3, 0, tzinfo=UTC), NEW_YORK, datetime(2026, 11, 22, 22, 0)),
        # The second 02:30 of the autumn night reads the same on the clock.
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), AMSTERDAM, datetime(2026, 10, 25, 2, 30)),
    ],
)
def test_local_time_of_reads_the_clock_in_the_zone(
    moment: datetime, zone: str, wall_clock: datetime
) -> None:
    local = LocalTime.of(moment, zone)
    assert local == LocalTime(wall_clock, zone)
    assert local.date() == wall_clock.date()


def test_a_local_time_refuses_an_aware_datetime() -> None:
    with pytest.raises(ValueError, match="naive"):
        LocalTime(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), AMSTERDAM)


def test_a_local_time_refuses_an_unknown_zone() -> None:
    with pytest.raises(ZoneInfoNotFoundError):
        LocalTime(datetime(2026, 11, 23, 9, 0), "Europe/Atlantis")


def test_occurrences_leave_out_after_and_include_until() -> None:
    start = datetime(2026, 11, 2, 9, 0)
    found = occurrences(
        ON_MONDAYS, start, after=datetime(2026, 11, 9, 9, 0), until=datetime(2026, 11, 23, 9)
    )
    assert found == [datetime(2026, 11, 16, 9, 0), datetime(2026, 11, 23, 9, 0)]


def test_occurrences_never_come_before_the_start() -> None:
    start = datetime(2026, 11, 16, 9, 0)
    found = occurrences(
        ON_MONDAYS, start, after=datetime(2026, 11, 1), until=datetime(2026, 11, 24)
    )
    assert found == [datetime(2026, 11, 16, 9, 0), datetime(2026, 11, 23, 9, 0)]


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (datetime(2026, 11, 1), datetime(2026, 11, 2, 9, 0)),
        (datetime(2026, 11, 2, 9, 0), datetime(2026, 11, 9, 9, 0)),
        (datetime(2026, 11, 2, 8, 59), datetime(2026, 11, 2, 9, 0)),
        (datetime(2026, 11, 9, 9, 0), None),
    ],
)
def test_next_occurrence_is_strictly_after_and_none_once_the_rule_is_spent(
    after: datetime, expected: datetime | None
) -> None:
    rule = "FREQ=WEEKLY;BYDAY=MO;COUNT=2"
    assert next_occurrence(rule, datetime(2026, 11, 2, 9, 0), after=after) == expected


wall_clocks = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31))
zones = st.sampled_from([AMSTERDAM, NEW_YORK, "Asia/Kolkata", "Australia/Sydney", "UTC"])


@settings(max_examples=300)
@given(wall_clocks, zones)
def test_a_wall_clock_time_survives_the_round_trip_through_utc_unless_it_was_skipped(
    at: datetime, zone: str
) -> None:
    back = LocalTime.of(LocalTime(at, zone).instant(), zone).at
    assert back - at in (timedelta(0), timedelta(hours=1))


@settings(max_examples=100)
@given(
    # dateutil drops microseconds; due times are whole minutes anyway.
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31)).map(
        lambda moment: moment.replace(second=0, microsecond=0)
    ),
    st.sampled_from(["FREQ=DAILY", ON_MONDAYS, "FREQ=MONTHLY;BYMONTHDAY=1"]),
)
def test_every_occurrence_keeps_the_start_time_of_day(start: datetime, rule: str) -> None:
    found = occurrences(rule, start, after=start - timedelta(days=1), until=start + timedelta(400))
    assert found
    assert {moment.time() for moment in found} == {start.time()}
