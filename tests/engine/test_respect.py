"""A nudge waits for a working day, working hours, the end of a holiday (public or the
organisation's own), the end of the quiet hours and the end of a pause."""

# Wall-clock times are naive on purpose: a LocalTime pairs them with their zone.
# ruff: noqa: DTZ001

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.respect import Respect, monday_of, next_allowed, week_of

OFFICE = Respect()
"""Monday to Friday, 09:00 to 17:30."""
EASTER_MONDAY = date(2027, 3, 29)
CHRISTMAS = frozenset({date(2026, 12, 25), date(2026, 12, 28)})


@pytest.mark.parametrize(
    ("wanted", "allowed"),
    [
        # Monday 23 November 2026 is an ordinary working day.
        (datetime(2026, 11, 23, 10, 15), datetime(2026, 11, 23, 10, 15)),
        (datetime(2026, 11, 23, 9, 0), datetime(2026, 11, 23, 9, 0)),
        (datetime(2026, 11, 23, 6, 30), datetime(2026, 11, 23, 9, 0)),
        (datetime(2026, 11, 23, 0, 0), datetime(2026, 11, 23, 9, 0)),
        (datetime(2026, 11, 23, 17, 29), datetime(2026, 11, 23, 17, 29)),
        (datetime(2026, 11, 23, 17, 30), datetime(2026, 11, 24, 9, 0)),
        (datetime(2026, 11, 23, 22, 0), datetime(2026, 11, 24, 9, 0)),
        (datetime(2026, 11, 27, 17, 30), datetime(2026, 11, 30, 9, 0)),
        (datetime(2026, 11, 28, 11, 0), datetime(2026, 11, 30, 9, 0)),
        (datetime(2026, 11, 29, 8, 0), datetime(2026, 11, 30, 9, 0)),
    ],
    ids=[
        "within hours",
        "exactly at day start",
        "before hours",
        "midnight",
        "a minute before day end",
        "exactly at day end",
        "after hours",
        "friday at day end",
        "saturday",
        "sunday",
    ],
)
def test_a_nudge_waits_for_working_hours_on_a_working_day(
    wanted: datetime, allowed: datetime
) -> None:
    assert next_allowed(wanted, OFFICE) == allowed


@pytest.mark.parametrize(
    ("wanted", "allowed"),
    [
        (datetime(2026, 12, 24, 18, 0), datetime(2026, 12, 29, 9, 0)),
        (datetime(2026, 12, 25, 10, 0), datetime(2026, 12, 29, 9, 0)),
        (datetime(2026, 12, 28, 16, 0), datetime(2026, 12, 29, 9, 0)),
    ],
)
def test_a_nudge_skips_holidays_and_the_weekend_between_them(
    wanted: datetime, allowed: datetime
) -> None:
    assert next_allowed(wanted, Respect(holidays=CHRISTMAS)) == allowed


def test_a_holiday_on_the_monday_after_a_weekend_moves_a_friday_evening_nudge_to_tuesday() -> None:
    respect = Respect(holidays=frozenset({EASTER_MONDAY}))
    assert next_allowed(datetime(2027, 3, 26, 18, 0), respect) == datetime(2027, 3, 30, 9, 0)


@pytest.mark.parametrize(
    ("wanted", "paused_until", "allowed"),
    [
        (datetime(2026, 11, 23, 10, 0), date(2026, 11, 25), datetime(2026, 11, 26, 9, 0)),
        (datetime(2026, 11, 25, 14, 0), date(2026, 11, 25), datetime(2026, 11, 26, 9, 0)),
        (datetime(2026, 11, 26, 14, 0), date(2026, 11, 25), datetime(2026, 11, 26, 14, 0)),
        (datetime(2026, 11, 23, 10, 0), date(2026, 11, 20), datetime(2026, 11, 23, 10, 0)),
        (datetime(2026, 11, 24, 10, 0), date(2026, 11, 27), datetime(2026, 11, 30, 9, 0)),
    ],
    ids=[
        "pause ahead of the nudge",
        "on the last day of the pause",
        "the day after the pause",
        "a pause already over",
        "a pause ending on a friday",
    ],
)
def test_a_nudge_waits_until_the_day_after_a_pause(
    wanted: datetime, paused_until: date, allowed: datetime
) -> None:
    assert next_allowed(wanted, OFFICE, paused_until=paused_until) == allowed


def test_a_pause_ending_before_a_monday_holiday_resumes_on_tuesday() -> None:
    respect = Respect(holidays=frozenset({EASTER_MONDAY}))
    allowed = next_allowed(datetime(2027, 3, 22, 10, 0), respect, paused_until=date(2027, 3, 26))
    assert allowed == datetime(2027, 3, 30, 9, 0)


def test_custom_working_days_and_hours_are_respected() -> None:
    respect = Respect(
        working_days=frozenset({1, 2, 3}), day_starts=time(10, 0), day_ends=time(15, 0)
    )
    assert next_allowed(datetime(2026, 11, 23, 11, 0), respect) == datetime(2026, 11, 24, 10, 0)
    assert next_allowed(datetime(2026, 11, 26, 15, 0), respect) == datetime(2026, 12, 1, 10, 0)


def test_a_year_of_holidays_is_refused_instead_of_looping() -> None:
    everything = frozenset(date.fromordinal(date(2026, 11, 1).toordinal() + n) for n in range(500))
    with pytest.raises(ValueError, match="holidays"):
        next_allowed(datetime(2026, 11, 23, 10, 0), Respect(holidays=everything))


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        ({"working_days": frozenset()}, "at least one"),
        ({"working_days": frozenset({7})}, "weekday numbers"),
        ({"working_days": frozenset({-1, 0})}, "weekday numbers"),
        ({"day_starts": time(17, 30), "day_ends": time(9, 0)}, "start before it ends"),
        ({"day_starts": time(9, 0), "day_ends": time(9, 0)}, "start before it ends"),
        ({"weekly_cap": 0}, "cap"),
        ({"weekly_cap": -3}, "cap"),
        ({"quiet_hours": (time(13, 0), time(12, 0))}, "quiet hours"),
        ({"quiet_hours": (time(12, 0), time(12, 0))}, "quiet hours"),
        ({"quiet_hours": (time(8, 0), time(10, 0))}, "quiet hours"),
        ({"quiet_hours": (time(17, 0), time(18, 0))}, "quiet hours"),
        ({"quiet_hours": (time(9, 0), time(17, 30))}, "whole working day"),
        ({"country": "XX"}, "XX"),
        ({"country": "nl"}, "nl"),
        ({"country": "NLD"}, "NLD"),
        ({"country": "UK"}, "UK"),
    ],
    ids=[
        "no working days",
        "weekday seven",
        "a negative weekday",
        "a day ending before it starts",
        "an empty day",
        "a zero cap",
        "a negative cap",
        "quiet hours ending before they start",
        "empty quiet hours",
        "quiet hours starting before the day",
        "quiet hours ending after the day",
        "quiet hours all day",
        "an unknown country",
        "a country in lower case",
        "a three-letter country code",
        "an alias of GB",
    ],
)
def test_invalid_respect_rules_are_refused(arguments: dict[str, object], complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        Respect(**arguments)  # type: ignore[arg-type]


def test_a_holiday_is_no_working_day_even_on_a_weekday() -> None:
    respect = Respect(holidays=frozenset({EASTER_MONDAY}))
    assert not respect.is_working_day(EASTER_MONDAY)
    assert respect.is_working_day(date(2027, 3, 30))
    assert not respect.is_working_day(date(2027, 3, 27))


NL = Respect(country="NL")


@pytest.mark.parametrize(
    ("wanted", "allowed"),
    [
        (datetime(2026, 12, 25, 10, 0), datetime(2026, 12, 28, 9, 0)),
        (datetime(2026, 12, 24, 17, 30), datetime(2026, 12, 28, 9, 0)),
        (datetime(2026, 12, 24, 17, 0), datetime(2026, 12, 24, 17, 0)),
        (datetime(2026, 4, 27, 10, 0), datetime(2026, 4, 28, 9, 0)),
        (datetime(2027, 12, 24, 18, 0), datetime(2027, 12, 27, 9, 0)),
    ],
    ids=[
        "christmas day, then boxing day on a saturday",
        "christmas eve after hours",
        "christmas eve itself is a working day",
        "king's day",
        "a year never asked for before",
    ],
)
def test_no_nudge_arrives_on_a_dutch_public_holiday(wanted: datetime, allowed: datetime) -> None:
    assert next_allowed(wanted, NL) == allowed


def test_the_observed_boxing_day_is_a_british_public_holiday() -> None:
    # 2026: Christmas on a Friday, Boxing Day on Saturday, observed on Monday the 28th.
    britain = Respect(country="GB")
    assert not britain.is_working_day(date(2026, 12, 28))
    assert next_allowed(datetime(2026, 12, 24, 18, 0), britain) == datetime(2026, 12, 29, 9, 0)
    # The Netherlands works that Monday.
    assert NL.is_working_day(date(2026, 12, 28))


def test_the_organisations_own_days_off_come_on_top_of_the_public_holidays() -> None:
    closed = Respect(country="NL", holidays=frozenset({date(2026, 12, 28), date(2026, 12, 29)}))
    assert next_allowed(datetime(2026, 12, 25, 10, 0), closed) == datetime(2026, 12, 30, 9, 0)


def test_without_a_country_a_public_holiday_is_a_working_day() -> None:
    assert OFFICE.is_working_day(date(2026, 12, 25))
    assert not OFFICE.is_public_holiday(date(2026, 12, 25))
    assert NL.is_public_holiday(date(2026, 12, 25))


LUNCH = Respect(quiet_hours=(time(12, 0), time(13, 0)))


@pytest.mark.parametrize(
    ("wanted", "allowed"),
    [
        (datetime(2026, 11, 23, 11, 59), datetime(2026, 11, 23, 11, 59)),
        (datetime(2026, 11, 23, 12, 0), datetime(2026, 11, 23, 13, 0)),
        (datetime(2026, 11, 23, 12, 45), datetime(2026, 11, 23, 13, 0)),
        (datetime(2026, 11, 23, 13, 0), datetime(2026, 11, 23, 13, 0)),
        (datetime(2026, 11, 28, 12, 30), datetime(2026, 11, 30, 9, 0)),
    ],
    ids=["just before", "at the start", "during", "at the end", "on a saturday"],
)
def test_no_nudge_arrives_in_the_quiet_hours(wanted: datetime, allowed: datetime) -> None:
    assert next_allowed(wanted, LUNCH) == allowed


def test_quiet_hours_at_the_start_of_the_day_move_a_morning_nudge_past_them() -> None:
    late = Respect(quiet_hours=(time(9, 0), time(10, 0)))
    assert next_allowed(datetime(2026, 11, 23, 7, 0), late) == datetime(2026, 11, 23, 10, 0)


def test_quiet_hours_until_the_end_of_the_day_move_a_nudge_to_the_next_morning() -> None:
    early = Respect(quiet_hours=(time(16, 0), time(17, 30)))
    assert next_allowed(datetime(2026, 11, 23, 16, 15), early) == datetime(2026, 11, 24, 9, 0)


@pytest.mark.parametrize(
    ("day", "week", "monday"),
    [
        (date(2026, 11, 23), "2026-W48", date(2026, 11, 23)),
        (date(2026, 11, 29), "2026-W48", date(2026, 11, 23)),
        (date(2026, 12, 31), "2026-W53", date(2026, 12, 28)),
        (date(2027, 1, 3), "2026-W53", date(2026, 12, 28)),
        (date(2027, 1, 4), "2027-W01", date(2027, 1, 4)),
        (date(2025, 12, 29), "2026-W01", date(2025, 12, 29)),
    ],
)
def test_a_day_belongs_to_its_iso_week_and_its_monday(day: date, week: str, monday: date) -> None:
    assert week_of(day) == week
    assert monday_of(day) == monday


minutes = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)
quarter_hours = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@st.composite
def respects(draw: st.DrawFn) -> Respect:
    starts, ends = sorted(draw(st.lists(quarter_hours, min_size=2, max_size=2, unique=True)))
    first = date(2025, 1, 1).toordinal()
    holidays = draw(
        st.frozensets(
            st.integers(first, first + 6 * 366).map(date.fromordinal),
            max_size=30,
        )
    )
    quiet = None
    if draw(st.booleans()):
        begins, ends_quiet = sorted(
            draw(st.lists(quarter_hours, min_size=2, max_size=2, unique=True))
        )
        if starts <= begins and ends_quiet <= ends and (begins, ends_quiet) != (starts, ends):
            quiet = (begins, ends_quiet)
    return Respect(
        working_days=draw(st.frozensets(st.integers(0, 6), min_size=1)),
        day_starts=starts,
        day_ends=ends,
        holidays=holidays,
        quiet_hours=quiet,
        country=draw(st.sampled_from([None, "NL", "BE", "GB", "US"])),
    )


def quiet(respect: Respect, moment: time) -> bool:
    return respect.quiet_hours is not None and (
        respect.quiet_hours[0] <= moment < respect.quiet_hours[1]
    )


pauses = st.one_of(st.none(), st.dates(min_value=date(2024, 12, 1), max_value=date(2031, 1, 31)))


@settings(max_examples=300)
@given(minutes, respects(), pauses)
def test_the_allowed_moment_is_never_early_and_always_in_a_working_hour_after_the_pause(
    wanted: datetime, respect: Respect, paused_until: date | None
) -> None:
    allowed = next_allowed(wanted, respect, paused_until=paused_until)
    assert allowed >= wanted
    assert respect.is_working_day(allowed.date())
    assert respect.day_starts <= allowed.time() < respect.day_ends
    assert not quiet(respect, allowed.time())
    if paused_until is not None:
        assert allowed.date() > paused_until


@settings(max_examples=300)
@given(minutes, respects(), pauses)
def test_an_allowed_moment_is_allowed_as_it_is(
    wanted: datetime, respect: Respect, paused_until: date | None
) -> None:
    allowed = next_allowed(wanted, respect, paused_until=paused_until)
    assert next_allowed(allowed, respect, paused_until=paused_until) == allowed


@settings(max_examples=200)
@given(minutes, respects())
def test_an_allowed_wanted_moment_is_kept(wanted: datetime, respect: Respect) -> None:
    inside = (
        respect.is_working_day(wanted.date())
        and (respect.day_starts <= wanted.time() < respect.day_ends)
        and not quiet(respect, wanted.time())
    )
    assert (next_allowed(wanted, respect) == wanted) is inside
