"""Always-on tasks: the occurrence to act on, consistency over 4 and 12 weeks, and streaks."""

# Wall-clock times are naive on purpose: a LocalTime pairs them with their zone.
# ruff: noqa: DTZ001

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.bank import default_bank
from engine.crosscheck import posting_check
from engine.scoring import OrgResult, score
from engine.simulation import Persona, crowd
from engine.tasks import (
    CONSISTENCY_WEEKS,
    Consistency,
    Mark,
    Marks,
    Outcome,
    Task,
    consistency,
    current,
    is_on_time,
    missed_in_a_row,
    streak,
    team_consistency,
)
from engine.text import text
from engine.vocabulary import Dimension, Phase, Role, TaskKind

AMSTERDAM = "Europe/Amsterdam"


def weekly(start: datetime) -> Task:
    """A post every Monday at the start's time of day."""
    return Task(
        id=7,
        key="post-weekly",
        kind=TaskKind.POST,
        title=text("Plaats een bericht", "Post an update"),
        owner="slack:ann",
        rule="FREQ=WEEKLY;BYDAY=MO",
        start=start,
        zone=AMSTERDAM,
    )


RECENT = weekly(datetime(2026, 11, 2, 10, 0))
"""Due Mondays 2, 9, 16, 23 and 30 November 2026 at 10:00."""
SINCE_AUGUST = weekly(datetime(2026, 8, 3, 10, 0))
ONE_OFF = Task(
    id=8,
    key="write-policy",
    kind=TaskKind.TRAIN,
    title=text("Schrijf het beleid", "Write the policy"),
    owner="slack:ann",
    rule=None,
    start=datetime(2026, 11, 25, 10, 0),
    zone=AMSTERDAM,
)


def monday(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 10, 0)


def done(occurrence: datetime, late_by: timedelta = timedelta(0)) -> Mark:
    """Done at noon on the due day, or `late_by` after that."""
    at = datetime.combine(occurrence.date(), datetime.min.time()) + timedelta(hours=12) + late_by
    return Mark(occurrence, Outcome.DONE, at)


def skipped(occurrence: datetime) -> Mark:
    return Mark(occurrence, Outcome.SKIPPED, occurrence, note="on holiday")


def marks(*given: Mark) -> dict[datetime, Mark]:
    return {mark.occurrence: mark for mark in given}


@pytest.mark.parametrize(
    ("mark", "on_time"),
    [
        (done(monday(23)), True),
        (Mark(monday(23), Outcome.DONE, datetime(2026, 11, 23, 23, 59)), True),
        (Mark(monday(23), Outcome.DONE, datetime(2026, 11, 20, 16, 0)), True),
        (Mark(monday(23), Outcome.DONE, datetime(2026, 11, 24, 0, 0)), False),
        (done(monday(23), late_by=timedelta(days=3)), False),
        (skipped(monday(23)), False),
        (None, False),
    ],
    ids=[
        "done on the due day after the due time",
        "done just before midnight",
        "done early",
        "done just after midnight",
        "done days late",
        "skipped",
        "not marked",
    ],
)
def test_an_occurrence_is_on_time_when_done_on_or_before_its_due_day(
    mark: Mark | None, on_time: bool
) -> None:
    assert is_on_time(mark) is on_time


HISTORY = marks(
    *(done(monday(day, 8)) for day in (3, 10, 17, 24, 31)),
    *(done(monday(day, 9)) for day in (7, 14, 21, 28)),
    done(monday(5, 10), late_by=timedelta(days=1)),
    done(monday(12, 10)),
    skipped(monday(19, 10)),
    done(monday(26, 10)),
    done(monday(2)),
    # Nothing on 9 November: missed.
    done(monday(16)),
    done(monday(23)),
)
"""Every Monday since August on time, except one late, one skipped and one missed."""


@pytest.mark.parametrize(
    ("weeks", "counted", "on_time"),
    [
        # 2, 9, 16 and 23 November; the 9th was missed.
        (4, 4, 3),
        # 7 September to 23 November: twelve, less the skip; the late one and the miss fail.
        (12, 11, 9),
    ],
)
def test_consistency_counts_the_window_leaving_out_skips(
    weeks: int, counted: int, on_time: int
) -> None:
    result = consistency(SINCE_AUGUST, HISTORY, date(2026, 11, 25), weeks)
    assert result == Consistency(weeks, counted, on_time)
    assert result.share == on_time / counted


def test_the_consistency_windows_are_four_and_twelve_weeks() -> None:
    assert CONSISTENCY_WEEKS == (4, 12)


@pytest.mark.parametrize(
    ("today", "weeks", "counted"),
    [
        # On a Monday the window reaches back to, not including, the Monday four weeks ago.
        (date(2026, 11, 23), 4, 3),
        (date(2026, 11, 22), 4, 4),
        (date(2026, 11, 29), 4, 4),
        (date(2026, 11, 23), 12, 11),
    ],
)
def test_the_window_ends_today_and_spans_whole_weeks(today: date, weeks: int, counted: int) -> None:
    everything_done = marks(*(done(o) for o in SINCE_AUGUST.due_between(monday(1, 8), monday(16))))
    assert consistency(SINCE_AUGUST, everything_done, today, weeks).counted == counted


def test_the_occurrence_due_today_counts_only_once_it_is_marked() -> None:
    today = date(2026, 11, 23)
    earlier = marks(done(monday(2)), done(monday(9)), done(monday(16)))
    assert consistency(RECENT, earlier, today, 4) == Consistency(4, 3, 3)
    assert streak(RECENT, earlier, today) == 3
    assert missed_in_a_row(RECENT, earlier, today) == 0

    marked = {**earlier, **marks(done(monday(23)))}
    assert consistency(RECENT, marked, today, 4) == Consistency(4, 4, 4)
    assert streak(RECENT, marked, today) == 4


def test_the_occurrence_due_today_skipped_stays_out_of_the_count() -> None:
    today = date(2026, 11, 23)
    marked = marks(done(monday(16)), skipped(monday(23)))
    assert consistency(RECENT, marked, today, 4) == Consistency(4, 3, 1)


def test_an_unmarked_occurrence_counts_against_the_window_the_day_after() -> None:
    assert consistency(RECENT, marks(done(monday(16))), date(2026, 11, 24), 4) == Consistency(
        4, 4, 1
    )


@pytest.mark.parametrize(
    ("marked", "run"),
    [
        (marks(done(monday(2)), done(monday(9)), done(monday(16)), done(monday(23))), 4),
        (marks(done(monday(2)), done(monday(9)), skipped(monday(16)), done(monday(23))), 3),
        (marks(done(monday(2)), done(monday(9)), done(monday(23))), 1),
        (
            marks(
                done(monday(2)),
                done(monday(9)),
                done(monday(16), late_by=timedelta(days=1)),
                done(monday(23)),
            ),
            1,
        ),
        (marks(done(monday(2)), done(monday(9)), done(monday(16))), 0),
        (marks(), 0),
    ],
    ids=[
        "all on time",
        "a skip keeps the streak",
        "a miss breaks it",
        "a late one breaks it",
        "the newest missed",
        "nothing done",
    ],
)
def test_a_streak_is_broken_by_a_miss_not_by_a_skip(marked: Marks, run: int) -> None:
    assert streak(RECENT, marked, date(2026, 11, 25)) == run


@pytest.mark.parametrize(
    ("marked", "today", "run"),
    [
        (marks(), date(2026, 11, 25), 4),
        (marks(done(monday(2))), date(2026, 11, 25), 3),
        (marks(skipped(monday(16))), date(2026, 11, 25), 1),
        (marks(done(monday(23), late_by=timedelta(days=1))), date(2026, 11, 25), 0),
        (marks(done(monday(16))), date(2026, 11, 23), 0),
        (marks(done(monday(16))), date(2026, 11, 24), 1),
        (marks(), date(2026, 11, 2), 0),
    ],
    ids=[
        "nothing done",
        "the first done",
        "a skip ends the run",
        "done late ends the run",
        "the one due today is not missed yet",
        "missed from the next day",
        "the first one is due today",
    ],
)
def test_missed_in_a_row_counts_the_newest_past_occurrences_nobody_marked(
    marked: Marks, today: date, run: int
) -> None:
    assert missed_in_a_row(RECENT, marked, today) == run


@pytest.mark.parametrize(
    ("now", "marked", "expected"),
    [
        (datetime(2026, 10, 1, 12, 0), marks(), monday(2)),
        (datetime(2026, 11, 23, 9, 0), marks(done(monday(16))), monday(23)),
        (datetime(2026, 11, 23, 9, 0), marks(), monday(16)),
        (datetime(2026, 11, 23, 10, 0), marks(done(monday(16))), monday(23)),
        (datetime(2026, 11, 23, 11, 0), marks(done(monday(16))), monday(23)),
        (datetime(2026, 11, 23, 11, 0), marks(done(monday(23))), monday(30)),
        (datetime(2026, 11, 23, 11, 0), marks(skipped(monday(23))), monday(30)),
        (datetime(2026, 11, 25, 11, 0), marks(), monday(23)),
    ],
    ids=[
        "before the start",
        "before the due time, the previous done",
        "before the due time, the previous open",
        "exactly at the due time",
        "due and open",
        "due and done",
        "due and skipped",
        "older misses are left behind",
    ],
)
def test_current_is_the_open_due_occurrence_or_else_the_next(
    now: datetime, marked: Marks, expected: datetime
) -> None:
    assert current(RECENT, marked, now) == expected


def test_marking_the_current_occurrence_moves_current_to_the_next() -> None:
    now = datetime(2026, 11, 24, 8, 0)
    first = current(RECENT, {}, now)
    assert first == monday(23)
    assert current(RECENT, marks(done(first, late_by=timedelta(days=1))), now) == monday(30)


@pytest.mark.parametrize(
    ("now", "marked", "expected"),
    [
        (datetime(2026, 11, 20, 12, 0), marks(), ONE_OFF.start),
        (datetime(2026, 11, 27, 12, 0), marks(), ONE_OFF.start),
        (datetime(2026, 11, 24, 12, 0), marks(done(ONE_OFF.start)), None),
        (datetime(2026, 11, 27, 12, 0), marks(done(ONE_OFF.start)), None),
        (datetime(2026, 11, 27, 12, 0), marks(skipped(ONE_OFF.start)), None),
        (datetime(2028, 3, 1, 12, 0), marks(), ONE_OFF.start),
    ],
    ids=[
        "before it is due",
        "overdue",
        "done early",
        "done",
        "skipped",
        "still open more than a year later",
    ],
)
def test_a_one_off_task_has_a_single_occurrence(
    now: datetime, marked: Marks, expected: datetime | None
) -> None:
    assert current(ONE_OFF, marked, now) == expected


def test_a_one_off_task_counts_once_its_due_day_is_over() -> None:
    due_day = ONE_OFF.start.date()
    assert consistency(ONE_OFF, {}, due_day - timedelta(days=1), 4) == Consistency(4, 0, 0)
    assert consistency(ONE_OFF, {}, due_day, 4) == Consistency(4, 0, 0)
    assert consistency(ONE_OFF, {}, due_day + timedelta(days=1), 4) == Consistency(4, 1, 0)
    on_time = marks(done(ONE_OFF.start))
    assert consistency(ONE_OFF, on_time, due_day, 4) == Consistency(4, 1, 1)
    assert streak(ONE_OFF, on_time, due_day + timedelta(days=10)) == 1
    assert missed_in_a_row(ONE_OFF, {}, due_day + timedelta(days=10)) == 1
    assert ONE_OFF.next_after(ONE_OFF.start) is None


def test_an_open_occurrence_of_a_rare_rule_stays_current_after_more_than_a_year() -> None:
    every_other_year = Task(
        id=9,
        key="rescan",
        kind=TaskKind.RESCAN,
        title=text("Scan opnieuw", "Scan again"),
        owner="slack:ann",
        rule="FREQ=YEARLY;INTERVAL=2",
        start=datetime(2024, 1, 8, 9, 0),
        zone=AMSTERDAM,
    )
    assert current(every_other_year, {}, datetime(2025, 6, 1, 12, 0)) == datetime(2024, 1, 8, 9, 0)


@pytest.mark.parametrize(
    ("result", "share"),
    [
        (Consistency(4, 4, 3), 0.75),
        (Consistency(12, 0, 0), None),
        (Consistency(4, 2, 2), 1.0),
    ],
)
def test_the_share_is_on_time_over_counted_and_none_without_anything_counted(
    result: Consistency, share: float | None
) -> None:
    assert result.share == share


def test_team_consistency_adds_up_the_tasks_of_one_window() -> None:
    parts = [Consistency(4, 4, 3), Consistency(12, 11, 9), Consistency(4, 2, 2)]
    assert team_consistency(parts, 4) == Consistency(4, 6, 5)
    assert team_consistency(parts, 12) == Consistency(12, 11, 9)
    assert team_consistency([], 4).share is None


outcomes = st.sampled_from(["open", "on time", "late", "skipped"])
SINCE_AUGUST_MONDAYS = SINCE_AUGUST.due_between(monday(1, 8), monday(30))


def _marks_from(choices: list[str]) -> dict[datetime, Mark]:
    made = {
        "on time": done,
        "late": lambda o: done(o, late_by=timedelta(days=2)),
        "skipped": skipped,
    }
    return {
        occurrence: made[choice](occurrence)
        for occurrence, choice in zip(SINCE_AUGUST_MONDAYS, choices, strict=True)
        if choice != "open"
    }


histories = st.lists(outcomes, min_size=len(SINCE_AUGUST_MONDAYS), max_size=18).map(_marks_from)
todays = st.dates(min_value=date(2026, 8, 1), max_value=date(2026, 12, 10))


@settings(max_examples=200)
@given(histories, todays)
def test_a_wider_window_counts_at_least_as_much_and_on_time_never_exceeds_counted(
    marked: Marks, today: date
) -> None:
    four, twelve = (consistency(SINCE_AUGUST, marked, today, w) for w in CONSISTENCY_WEEKS)
    assert 0 <= four.on_time <= four.counted <= twelve.counted
    assert four.on_time <= twelve.on_time <= twelve.counted
    assert (
        streak(SINCE_AUGUST, marked, today) <= consistency(SINCE_AUGUST, marked, today, 104).on_time
    )


@settings(max_examples=200)
@given(histories, todays)
def test_a_streak_and_missed_in_a_row_never_exceed_what_was_due(marked: Marks, today: date) -> None:
    past = [o for o in SINCE_AUGUST_MONDAYS if o.date() < today]
    assert missed_in_a_row(SINCE_AUGUST, marked, today) <= len(past)
    assert streak(SINCE_AUGUST, marked, today) <= len(past) + 1
    newest = current(SINCE_AUGUST, marked, datetime.combine(today, datetime.max.time()))
    assert newest is not None
    assert newest not in marked


def test_an_occurrence_done_ahead_of_time_is_not_current_again() -> None:
    early = Mark(monday(30), Outcome.DONE, datetime(2026, 11, 27, 15, 0))
    marked = marks(done(monday(23)), early)
    assert current(RECENT, marked, datetime(2026, 11, 27, 16, 0)) == datetime(2026, 12, 7, 10, 0)
    assert is_on_time(early)


def _result_with_way_of_working(phase: Phase) -> OrgResult:
    bank = default_bank()
    persona = Persona(Role.EMPLOYEE, dict.fromkeys(Dimension, int(phase)))
    scored = score(bank, crowd(bank, [(persona, 5)], seed=3), threshold=5)
    assert isinstance(scored, OrgResult)
    return scored


@pytest.mark.parametrize(
    ("perceived", "on_time", "counted", "disagrees"),
    [
        (Phase.EXPERIMENTATION, 3, 8, True),
        (Phase.EXPERIMENTATION, 6, 8, False),
        (Phase.AD_HOC, 1, 8, False),
    ],
)
def test_a_high_rating_beside_irregular_posting_is_flagged(
    perceived: Phase, on_time: int, counted: int, disagrees: bool
) -> None:
    result = _result_with_way_of_working(perceived)
    check = posting_check(result, [Consistency(8, counted, on_time)])
    assert check is not None
    assert check.perceived == result.dimensions[Dimension.WAY_OF_WORKING].phase
    assert check.disagrees is disagrees


def test_too_few_posts_to_judge_says_nothing() -> None:
    result = _result_with_way_of_working(Phase.COLLABORATE)
    assert posting_check(result, [Consistency(8, 3, 0)]) is None
    assert posting_check(result, [Consistency(4, 8, 0)]) is None, "only the 8-week window counts"
