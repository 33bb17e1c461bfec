"""Planned nudges: due and overdue for the owner, escalation and digest for the manager."""

# Wall-clock times are naive on purpose: a LocalTime pairs them with their zone.
# ruff: noqa: DTZ001

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.nudges import (
    ESCALATE_AFTER,
    NudgeKind,
    PlannedNudge,
    Recipient,
    digest,
    monthly_report,
    task_nudges,
)
from engine.recurrence import LocalTime
from engine.respect import Respect, next_allowed
from engine.tasks import Mark, Marks, Outcome, Task
from engine.text import text
from engine.vocabulary import TaskKind

AMSTERDAM, NEW_YORK, TOKYO = "Europe/Amsterdam", "America/New_York", "Asia/Tokyo"
ANN, PM = "slack:ann", "slack:pm"
OWNER = Recipient(ANN, AMSTERDAM)
MANAGER = Recipient(PM, AMSTERDAM)
OFFICE = Respect()
"""Monday to Friday, 09:00 to 17:30."""


def task(start: datetime, rule: str | None = "FREQ=WEEKLY", *, zone: str = AMSTERDAM) -> Task:
    """Task 7, weekly on the start's weekday and time of day unless told otherwise."""
    return Task(
        id=7,
        key="post-weekly",
        kind=TaskKind.POST,
        title=text("Plaats een bericht", "Post an update"),
        owner=ANN,
        rule=rule,
        start=start,
        zone=zone,
    )


WEEKLY = task(datetime(2026, 11, 2, 10, 0))
"""Due Mondays 2, 9, 16, 23 and 30 November 2026 at 10:00 in Amsterdam."""


def monday(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 10, 0)


def at(moment: datetime, zone: str = AMSTERDAM) -> datetime:
    """The aware instant of a wall-clock time."""
    return LocalTime(moment, zone).instant()


def done(*occurrences: datetime) -> dict[datetime, Mark]:
    return {o: Mark(o, Outcome.DONE, o + timedelta(hours=1)) for o in occurrences}


def plan(
    planned: Task,
    marked: Marks,
    now: datetime,
    *,
    owner: Recipient = OWNER,
    manager: Recipient = MANAGER,
    respect: Respect = OFFICE,
    escalate_after: int = ESCALATE_AFTER,
) -> list[PlannedNudge]:
    return task_nudges(
        planned,
        marked,
        now=now,
        owner=owner,
        manager=manager,
        respect=respect,
        escalate_after=escalate_after,
    )


def times(nudges: list[PlannedNudge]) -> dict[NudgeKind, LocalTime]:
    return {nudge.kind: nudge.deliver_at for nudge in nudges}


def test_the_owner_is_nudged_at_the_due_time_and_once_more_the_next_working_morning() -> None:
    nudges = plan(WEEKLY, done(monday(2), monday(9), monday(16)), at(datetime(2026, 11, 23, 8)))
    key = "task:7:2026-11-23T10:00"
    stale = LocalTime(monday(30), AMSTERDAM)
    assert nudges == [
        PlannedNudge(
            ANN, NudgeKind.TASK_DUE, key, LocalTime(monday(23), AMSTERDAM), stale, task_id=7
        ),
        PlannedNudge(
            ANN,
            NudgeKind.TASK_OVERDUE,
            key,
            LocalTime(datetime(2026, 11, 24, 9, 0), AMSTERDAM),
            stale,
            task_id=7,
        ),
    ]


@pytest.mark.parametrize(
    ("start", "zone", "owner_zone", "due", "overdue"),
    [
        # 10:00 in Amsterdam is 04:00 in New York: moved to the owner's 09:00.
        (monday(2), AMSTERDAM, NEW_YORK, datetime(2026, 11, 23, 9, 0), datetime(2026, 11, 24, 9)),
        # 16:00 in Amsterdam is 10:00 in New York.
        (
            datetime(2026, 11, 2, 16, 0),
            AMSTERDAM,
            NEW_YORK,
            datetime(2026, 11, 23, 10, 0),
            datetime(2026, 11, 24, 9, 0),
        ),
        # 10:00 in Amsterdam is 18:00 in Tokyo: after hours, so the next morning, then the next.
        (monday(2), AMSTERDAM, TOKYO, datetime(2026, 11, 24, 9, 0), datetime(2026, 11, 25, 9)),
        # 20:00 on Monday in New York is 02:00 on Tuesday in Amsterdam.
        (
            datetime(2026, 11, 2, 20, 0),
            NEW_YORK,
            AMSTERDAM,
            datetime(2026, 11, 24, 9, 0),
            datetime(2026, 11, 25, 9, 0),
        ),
    ],
)
def test_the_owner_is_nudged_in_their_own_zone(
    start: datetime, zone: str, owner_zone: str, due: datetime, overdue: datetime
) -> None:
    weekly = task(start, zone=zone)
    marked = done(*(start + timedelta(weeks=n) for n in range(3)))
    now = at(datetime(2026, 11, 23, 1, 0), zone)
    nudges = plan(weekly, marked, now, owner=Recipient(ANN, owner_zone))
    assert times(nudges) == {
        NudgeKind.TASK_DUE: LocalTime(due, owner_zone),
        NudgeKind.TASK_OVERDUE: LocalTime(overdue, owner_zone),
    }
    assert {nudge.stale_at for nudge in nudges} == {LocalTime(start + timedelta(weeks=4), zone)}


@pytest.mark.parametrize(
    ("start", "paused_until", "holidays", "due", "overdue"),
    [
        (
            datetime(2026, 11, 2, 7, 0),
            None,
            (),
            datetime(2026, 11, 23, 9),
            datetime(2026, 11, 24, 9),
        ),
        (
            datetime(2026, 11, 2, 17, 45),
            None,
            (),
            datetime(2026, 11, 24, 9, 0),
            datetime(2026, 11, 25, 9, 0),
        ),
        (
            datetime(2026, 11, 6, 11, 0),
            None,
            (),
            datetime(2026, 11, 27, 11, 0),
            datetime(2026, 11, 30, 9, 0),
        ),
        (
            datetime(2026, 11, 7, 11, 0),
            None,
            (),
            datetime(2026, 11, 30, 9, 0),
            datetime(2026, 12, 1, 9, 0),
        ),
        (
            datetime(2026, 11, 2, 10, 0),
            None,
            (date(2026, 11, 23),),
            datetime(2026, 11, 24, 9, 0),
            datetime(2026, 11, 25, 9, 0),
        ),
        (
            datetime(2026, 11, 2, 10, 0),
            None,
            (date(2026, 11, 24),),
            datetime(2026, 11, 23, 10, 0),
            datetime(2026, 11, 25, 9, 0),
        ),
        (
            datetime(2026, 11, 2, 10, 0),
            date(2026, 11, 25),
            (),
            datetime(2026, 11, 26, 9, 0),
            datetime(2026, 11, 27, 9, 0),
        ),
        (
            datetime(2026, 11, 2, 10, 0),
            date(2026, 11, 26),
            (),
            datetime(2026, 11, 27, 9, 0),
            datetime(2026, 11, 30, 9, 0),
        ),
    ],
    ids=[
        "due before working hours",
        "due after working hours: the follow-up is not on the same morning",
        "due on a friday: followed up on monday",
        "due on a saturday",
        "due on a holiday",
        "a holiday the morning after",
        "owner paused",
        "owner paused until thursday: followed up after the weekend",
    ],
)
def test_the_owner_nudges_wait_for_working_hours_holidays_and_the_pause(
    start: datetime,
    paused_until: date | None,
    holidays: tuple[date, ...],
    due: datetime,
    overdue: datetime,
) -> None:
    weekly = task(start)
    marked = done(*(start + timedelta(weeks=n) for n in range(3)))
    now = at(datetime.combine(start.date() + timedelta(weeks=3), time(0, 30)))
    nudges = plan(
        weekly,
        marked,
        now,
        owner=Recipient(ANN, AMSTERDAM, paused_until),
        respect=Respect(holidays=frozenset(holidays)),
    )
    assert times(nudges) == {
        NudgeKind.TASK_DUE: LocalTime(due, AMSTERDAM),
        NudgeKind.TASK_OVERDUE: LocalTime(overdue, AMSTERDAM),
    }


def test_a_daily_task_goes_stale_when_the_next_one_comes_due() -> None:
    daily = task(datetime(2026, 11, 2, 11, 0), "FREQ=DAILY")
    marked = done(datetime(2026, 11, 22, 11, 0))
    nudges = plan(daily, marked, at(datetime(2026, 11, 23, 12, 0)))
    assert {nudge.stale_at for nudge in nudges} == {
        LocalTime(datetime(2026, 11, 24, 11, 0), AMSTERDAM)
    }
    overdue = times(nudges)[NudgeKind.TASK_OVERDUE]
    assert overdue.instant() < LocalTime(datetime(2026, 11, 24, 11, 0), AMSTERDAM).instant()


def test_the_stale_time_stays_in_the_tasks_zone_for_an_owner_elsewhere() -> None:
    nudges = plan(
        WEEKLY, done(monday(16)), at(datetime(2026, 11, 23, 8)), owner=Recipient(ANN, NEW_YORK)
    )
    assert {nudge.stale_at for nudge in nudges} == {LocalTime(monday(30), AMSTERDAM)}


def test_a_one_off_step_goes_stale_a_week_after_it_was_due() -> None:
    step = task(datetime(2026, 11, 25, 14, 0), None)
    nudges = plan(step, {}, at(datetime(2026, 11, 20, 12, 0)))
    assert {nudge.occurrence for nudge in nudges} == {"task:7:2026-11-25T14:00"}
    assert {nudge.stale_at for nudge in nudges} == {
        LocalTime(datetime(2026, 12, 2, 14, 0), AMSTERDAM)
    }


def test_a_one_off_step_that_is_done_calls_for_no_nudges() -> None:
    step = task(datetime(2026, 11, 25, 14, 0), None)
    assert plan(step, done(step.start), at(datetime(2026, 11, 25, 16, 0))) == []


def test_marking_the_occurrence_moves_the_nudges_to_the_next_one() -> None:
    now = at(datetime(2026, 11, 23, 15, 0))
    before = plan(WEEKLY, done(monday(16)), now)
    after = plan(WEEKLY, done(monday(16), monday(23)), now)
    assert {nudge.occurrence for nudge in before} == {"task:7:2026-11-23T10:00"}
    assert {nudge.occurrence for nudge in after} == {"task:7:2026-11-30T10:00"}
    assert times(after)[NudgeKind.TASK_DUE] == LocalTime(monday(30), AMSTERDAM)


def test_the_follow_up_planned_the_next_morning_is_the_same_nudge() -> None:
    marked = done(monday(16))
    on_monday = plan(WEEKLY, marked, at(datetime(2026, 11, 23, 8, 0)))
    on_tuesday = plan(WEEKLY, marked, at(datetime(2026, 11, 24, 8, 30)))
    assert on_monday == on_tuesday


def test_the_manager_gets_one_escalation_and_the_owner_nothing_after_two_misses() -> None:
    now = at(datetime(2026, 11, 24, 10, 0))
    nudges = plan(WEEKLY, done(monday(2), monday(9)), now)
    assert nudges == [
        PlannedNudge(
            PM,
            NudgeKind.ESCALATION,
            "task:7:2026-11-16T10:00",
            LocalTime(datetime(2026, 11, 24, 10, 0), AMSTERDAM),
            LocalTime(datetime(2026, 12, 8, 10, 0), AMSTERDAM),
            task_id=7,
        )
    ]


def test_one_miss_still_nudges_the_owner_about_the_newest_occurrence() -> None:
    nudges = plan(WEEKLY, done(monday(2), monday(9)), at(datetime(2026, 11, 23, 11, 0)))
    assert {(n.recipient, n.kind) for n in nudges} == {
        (ANN, NudgeKind.TASK_DUE),
        (ANN, NudgeKind.TASK_OVERDUE),
    }
    assert {nudge.occurrence for nudge in nudges} == {"task:7:2026-11-23T10:00"}


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 11, 24, 10, 0),
        datetime(2026, 11, 27, 16, 0),
        datetime(2026, 12, 1, 10, 0),
        datetime(2026, 12, 8, 10, 0),
    ],
)
def test_an_escalation_is_keyed_by_the_first_miss_of_the_run(now: datetime) -> None:
    nudges = plan(WEEKLY, done(monday(2), monday(9)), at(now))
    assert [(n.recipient, n.kind, n.occurrence) for n in nudges] == [
        (PM, NudgeKind.ESCALATION, "task:7:2026-11-16T10:00")
    ]


def test_a_new_run_of_misses_after_a_done_one_escalates_again_under_a_new_key() -> None:
    marked = done(monday(2), monday(9), monday(30))
    nudges = plan(WEEKLY, marked, at(datetime(2026, 12, 15, 10, 0)))
    assert [(n.kind, n.occurrence) for n in nudges] == [
        (NudgeKind.ESCALATION, "task:7:2026-12-07T10:00")
    ]


def test_a_higher_escalation_threshold_keeps_nudging_the_owner() -> None:
    nudges = plan(
        WEEKLY, done(monday(2), monday(9)), at(datetime(2026, 11, 24, 8)), escalate_after=3
    )
    assert {nudge.recipient for nudge in nudges} == {ANN}


@pytest.mark.parametrize(
    ("manager", "deliver_at"),
    [
        (Recipient(PM, NEW_YORK), LocalTime(datetime(2026, 11, 24, 9, 0), NEW_YORK)),
        (
            Recipient(PM, AMSTERDAM, paused_until=date(2026, 11, 26)),
            LocalTime(datetime(2026, 11, 27, 9, 0), AMSTERDAM),
        ),
    ],
    ids=["manager in another zone", "manager paused"],
)
def test_the_escalation_arrives_in_the_managers_hours(
    manager: Recipient, deliver_at: LocalTime
) -> None:
    now = at(datetime(2026, 11, 24, 10, 0))
    [escalation] = plan(WEEKLY, done(monday(2), monday(9)), now, manager=manager)
    assert escalation.deliver_at == deliver_at


def test_an_escalation_after_more_than_two_years_of_misses_is_still_planned() -> None:
    daily = task(datetime(2024, 1, 1, 9, 0), "FREQ=DAILY")
    [escalation] = plan(daily, {}, at(datetime(2026, 11, 23, 12, 0)))
    assert escalation.kind is NudgeKind.ESCALATION
    assert escalation.recipient == PM


@pytest.mark.parametrize(
    "now",
    [
        at(datetime(2026, 11, 23, 0, 0)),
        at(datetime(2026, 11, 23, 9, 0)),
        at(datetime(2026, 11, 25, 12, 0)),
        at(datetime(2026, 11, 29, 23, 59)),
    ],
)
def test_the_digest_comes_on_monday_at_nine_and_goes_stale_at_the_next_monday(
    now: datetime,
) -> None:
    assert digest(now, MANAGER, OFFICE) == PlannedNudge(
        PM,
        NudgeKind.DIGEST,
        "2026-W48",
        LocalTime(datetime(2026, 11, 23, 9, 0), AMSTERDAM),
        LocalTime(datetime(2026, 11, 30, 0, 0), AMSTERDAM),
    )


def test_the_digest_of_the_next_week_has_its_own_key() -> None:
    this_week = digest(at(datetime(2026, 11, 29, 23, 59)), MANAGER, OFFICE)
    next_week = digest(at(datetime(2026, 11, 30, 0, 0)), MANAGER, OFFICE)
    assert next_week.occurrence == "2026-W49"
    assert next_week.deliver_at == LocalTime(datetime(2026, 11, 30, 9, 0), AMSTERDAM)
    assert this_week.stale_at.at == datetime.combine(next_week.deliver_at.date(), time(0, 0))


def test_the_digest_waits_past_a_monday_holiday() -> None:
    respect = Respect(holidays=frozenset({date(2026, 11, 23)}))
    planned = digest(at(datetime(2026, 11, 23, 9, 0)), MANAGER, respect)
    assert planned.deliver_at == LocalTime(datetime(2026, 11, 24, 9, 0), AMSTERDAM)
    assert planned.stale_at == LocalTime(datetime(2026, 11, 30, 0, 0), AMSTERDAM)
    assert planned.occurrence == "2026-W48"


def test_the_digest_waits_for_a_later_working_day_start() -> None:
    respect = Respect(day_starts=time(10, 0))
    planned = digest(at(datetime(2026, 11, 23, 9, 0)), MANAGER, respect)
    assert planned.deliver_at == LocalTime(datetime(2026, 11, 23, 10, 0), AMSTERDAM)


def test_the_digests_week_is_the_managers_week() -> None:
    sunday_night_in_new_york = at(datetime(2026, 11, 30, 3, 0), "UTC")
    in_new_york = digest(sunday_night_in_new_york, Recipient(PM, NEW_YORK), OFFICE)
    in_amsterdam = digest(sunday_night_in_new_york, MANAGER, OFFICE)
    assert in_new_york.occurrence == "2026-W48"
    assert in_new_york.deliver_at == LocalTime(datetime(2026, 11, 23, 9, 0), NEW_YORK)
    assert in_amsterdam.occurrence == "2026-W49"


@pytest.mark.parametrize(
    ("kind", "capped"),
    [
        (NudgeKind.TASK_DUE, True),
        (NudgeKind.TASK_OVERDUE, True),
        (NudgeKind.ESCALATION, False),
        (NudgeKind.DIGEST, False),
    ],
)
def test_only_personal_nudges_count_against_the_weekly_cap(kind: NudgeKind, capped: bool) -> None:
    assert kind.capped is capped


outcomes = st.sampled_from(["open", "done", "skipped"])
MONDAYS = WEEKLY.due_between(monday(1), monday(28, 12))
histories = st.lists(outcomes, min_size=len(MONDAYS), max_size=len(MONDAYS)).map(
    lambda chosen: {
        o: Mark(o, Outcome(choice), o + timedelta(hours=2))
        for o, choice in zip(MONDAYS, chosen, strict=True)
        if choice != "open"
    }
)
moments = st.datetimes(min_value=datetime(2026, 10, 25), max_value=datetime(2027, 1, 10)).map(at)
zones = st.sampled_from([AMSTERDAM, NEW_YORK, TOKYO])
thresholds = st.integers(min_value=1, max_value=4)


@settings(max_examples=200)
@given(histories, moments, zones, thresholds)
def test_planning_twice_plans_the_same_nudges_each_under_a_unique_key(
    marked: Marks, now: datetime, owner_zone: str, escalate_after: int
) -> None:
    owner = Recipient(ANN, owner_zone)
    first = plan(WEEKLY, marked, now, owner=owner, escalate_after=escalate_after)
    again = plan(WEEKLY, dict(marked), now, owner=owner, escalate_after=escalate_after)
    assert first == again
    keys = [(nudge.recipient, nudge.kind, nudge.occurrence) for nudge in first]
    assert len(set(keys)) == len(keys)


@settings(max_examples=200)
@given(histories, moments, zones)
def test_owner_nudges_arrive_in_working_hours_the_follow_up_on_a_later_day(
    marked: Marks, now: datetime, owner_zone: str
) -> None:
    nudges = plan(WEEKLY, marked, now, owner=Recipient(ANN, owner_zone))
    delivered = times(nudges)
    for moment in delivered.values():
        assert next_allowed(moment.at, OFFICE) == moment.at
    if NudgeKind.TASK_DUE in delivered:
        due, overdue = delivered[NudgeKind.TASK_DUE], delivered[NudgeKind.TASK_OVERDUE]
        assert overdue.date() > due.date()
        occurrence = LocalTime(datetime.fromisoformat(nudges[0].occurrence[7:]), AMSTERDAM)
        assert due.instant() >= occurrence.instant()
        assert nudges[0].stale_at.instant() > occurrence.instant()


def test_the_monthly_report_comes_on_the_first_working_day_at_nine() -> None:
    manager = Recipient("console:pm", "Europe/Amsterdam")
    # 1 November 2026 is a Sunday: the report waits for Monday the 2nd, 09:00 (08:00 UTC).
    planned = monthly_report(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), manager, Respect())

    assert planned.kind is NudgeKind.REPORT
    assert planned.occurrence == "2026-11"
    assert planned.deliver_at == LocalTime(
        datetime.combine(date(2026, 11, 2), time(9, 0)), manager.zone
    )
    assert planned.stale_at.at.date() == date(2026, 11, 9)
    assert not NudgeKind.REPORT.capped
