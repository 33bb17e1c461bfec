"""A week (and more) of nudges with a clock the test moves: who hears what, when, and once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from dialogs.delivery import Undeliverable
from dialogs.events import ConversationKey
from dialogs.messages import File
from dialogs.records import Organisation, OrgSettings
from engine.bank import default_bank
from engine.nudges import NudgeKind
from engine.respect import Respect
from engine.scoring import OrgResult, score
from engine.simulation import Persona, crowd
from engine.tasks import Outcome
from engine.vocabulary import Dimension, Language, Role
from tests.nudges.conftest import (
    AMSTERDAM,
    ANN,
    BOB,
    MONDAY,
    NEW_YORK,
    PM,
    Activation,
    wall,
)

WEEKLY_TUESDAY = "FREQ=WEEKLY;BYDAY=TU"
WEEKLY_THURSDAY = "FREQ=WEEKLY;BYDAY=TH"


def _when(activation: Activation, recipient: str, kind: NudgeKind) -> list[datetime]:
    return [d.at for d in activation.delivery.to(recipient) if d.kind is kind]


async def test_a_week_of_digests_and_personal_nudges_across_two_time_zones(
    activation: Activation,
) -> None:
    ann_task = await activation.adopt(ANN, WEEKLY_TUESDAY, wall(2026, 11, 23, 10, 0), AMSTERDAM)
    await activation.adopt(BOB, WEEKLY_THURSDAY, wall(2026, 11, 23, 11, 0), NEW_YORK)

    await activation.run_until(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    await activation.mark(ann_task, wall(2026, 11, 24, 10, 0))
    await activation.run_until(MONDAY + timedelta(days=7))

    # Monday 09:00 in Amsterdam is 08:00 UTC; the clock ticks every half hour.
    assert _when(activation, PM, NudgeKind.DIGEST) == [datetime(2026, 11, 23, 8, 0, tzinfo=UTC)]
    assert _when(activation, ANN, NudgeKind.TASK_DUE) == [datetime(2026, 11, 24, 9, 0, tzinfo=UTC)]
    assert _when(activation, ANN, NudgeKind.TASK_OVERDUE) == [], "ann did it on the day"
    # Thursday 11:00 in New York is 16:00 UTC; the follow-up comes Friday 09:00 there.
    assert _when(activation, BOB, NudgeKind.TASK_DUE) == [datetime(2026, 11, 26, 16, 0, tzinfo=UTC)]
    assert _when(activation, BOB, NudgeKind.TASK_OVERDUE) == [
        datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
    ]
    assert len(activation.delivery.delivered_nudges) == 4


async def test_the_digest_stays_at_nine_in_amsterdam_across_both_daylight_saving_changes(
    activation: Activation,
) -> None:
    for monday in (datetime(2026, 10, 19, tzinfo=UTC), datetime(2027, 3, 22, tzinfo=UTC)):
        activation.clock.set(monday)
        await activation.adopt(ANN, WEEKLY_TUESDAY, monday.replace(tzinfo=None), AMSTERDAM)
        await activation.run_until(monday + timedelta(days=8), step=timedelta(hours=1))

    digests = _when(activation, PM, NudgeKind.DIGEST)
    assert digests == [
        datetime(2026, 10, 19, 7, 0, tzinfo=UTC),  # summer time: UTC+2
        datetime(2026, 10, 26, 8, 0, tzinfo=UTC),  # winter time from 25 October: UTC+1
        datetime(2027, 3, 22, 8, 0, tzinfo=UTC),
        datetime(2027, 3, 29, 7, 0, tzinfo=UTC),  # summer time from 28 March
    ]


async def test_nudges_wait_for_working_hours_weekends_and_the_end_of_a_pause(
    activation: Activation,
) -> None:
    early = await activation.adopt(ANN, WEEKLY_TUESDAY, wall(2026, 11, 23, 7, 0), AMSTERDAM)
    await activation.adopt(
        ANN, "FREQ=WEEKLY;BYDAY=SA", wall(2026, 11, 23, 12, 0), AMSTERDAM, title="Weekend"
    )
    await activation.adopt(BOB, WEEKLY_TUESDAY, wall(2026, 11, 23, 10, 0), NEW_YORK)
    await activation.people.pause(activation.org.id, BOB, date(2026, 11, 25))

    await activation.run_until(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))

    def first(recipient: str, title: str, kind: NudgeKind) -> datetime:
        return next(
            d.at
            for d in activation.delivery.to(recipient)
            if title in repr(d.reply) and d.kind is kind
        )

    assert early.start.hour == 7
    assert first(ANN, "calendar", NudgeKind.TASK_DUE) == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    # Saturday's task waits for Monday 09:00; its follow-up for Tuesday 09:00, not with it.
    assert first(ANN, "Weekend", NudgeKind.TASK_DUE) == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert first(ANN, "Weekend", NudgeKind.TASK_OVERDUE) == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    # Bob is away until Wednesday: Tuesday's nudge comes Thursday 09:00 in New York.
    assert first(BOB, "calendar", NudgeKind.TASK_DUE) == datetime(2026, 11, 26, 14, 0, tzinfo=UTC)


async def test_after_two_misses_the_manager_hears_once_and_the_owner_no_more(
    activation: Activation,
) -> None:
    await activation.adopt(ANN, WEEKLY_TUESDAY, wall(2026, 11, 23, 10, 0), AMSTERDAM)

    await activation.run_until(MONDAY + timedelta(days=21), step=timedelta(hours=1))

    escalations = activation.delivery.to(PM)
    assert [d.kind for d in escalations].count(NudgeKind.ESCALATION) == 1
    (escalated,) = [d for d in escalations if d.kind is NudgeKind.ESCALATION]
    assert escalated.at.date() == date(2026, 12, 2), "the morning after the second miss"
    assert "2 keer op rij niet gedaan" in repr(escalated.reply), "in the organisation's language"
    after = [d for d in activation.delivery.to(ANN) if d.at > escalated.at]
    assert after == [], "no more nudges to the owner once the manager knows"


async def test_the_weekly_cap_stops_personal_nudges_but_not_the_digest(
    activation: Activation,
) -> None:
    await activation.settings(respect=Respect(weekly_cap=2))
    for title in ("One", "Two", "Three"):
        await activation.adopt(
            ANN, "FREQ=DAILY;COUNT=1", wall(2026, 11, 24, 10, 0), AMSTERDAM, title=title
        )

    await activation.run_until(MONDAY + timedelta(days=7))

    personal = [d for d in activation.delivery.to(ANN) if d.kind.capped]
    assert len(personal) == 2
    assert _when(activation, PM, NudgeKind.DIGEST)
    counts = await activation.outbox.counts(activation.org.id)
    assert counts["dropped"] >= 1


async def test_after_downtime_a_stale_digest_is_dropped_and_this_weeks_is_sent(
    activation: Activation,
) -> None:
    await activation.adopt(ANN, WEEKLY_TUESDAY, wall(2026, 11, 23, 10, 0), AMSTERDAM)
    await activation.planner().plan_all()  # planned before the outage

    activation.clock.set(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))  # back a week later
    await activation.tick()

    digests = activation.delivery.to(PM)
    assert [d.occurrence for d in digests] == ["2026-W49"]
    pending = await activation.outbox.pending(activation.org.id)
    assert all(n.occurrence != "2026-W48" for n in pending)


async def test_someone_the_channel_refuses_is_not_tried_again_and_the_digest_says_so(
    activation: Activation,
) -> None:
    activation.delivery.refuse[BOB] = Undeliverable.PERSON_GONE
    await activation.adopt(BOB, "FREQ=DAILY", wall(2026, 11, 23, 10, 0), NEW_YORK)

    await activation.run_until(MONDAY + timedelta(days=9))

    assert activation.delivery.to(BOB) == []
    person = await activation.people.get(activation.org.id, BOB)
    assert person.unreachable is Undeliverable.PERSON_GONE
    (_, second) = _when(activation, PM, NudgeKind.DIGEST)
    last_digest = activation.delivery.to(PM)[-1]
    assert "bob" in repr(last_digest.reply)
    assert second.date() == date(2026, 11, 30)


async def test_a_nudge_claimed_by_a_worker_that_died_is_sent_once_by_the_next(
    activation: Activation,
) -> None:
    await activation.adopt(ANN, WEEKLY_TUESDAY, wall(2026, 11, 23, 10, 0), AMSTERDAM)
    activation.clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    await activation.planner().plan_all()
    died = await activation.outbox.claim(
        now=activation.clock.now(), worker="dead", limit=10, lease=timedelta(minutes=5)
    )
    assert died  # claimed, never sent: the worker was killed here

    activation.clock.advance(minutes=1)
    assert (await activation.dispatcher().run()).sent == 0, "the lease still holds"
    activation.clock.advance(minutes=10)
    await activation.dispatcher().run()

    assert len(activation.delivery.to(ANN)) == 1
    assert activation.delivery.asked_after_crash >= 1


async def test_a_nudge_sent_just_before_a_crash_is_not_sent_again(activation: Activation) -> None:
    await activation.adopt(ANN, WEEKLY_TUESDAY, wall(2026, 11, 23, 10, 0), AMSTERDAM)
    activation.clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    await activation.planner().plan_all()
    claimed = await activation.outbox.claim(
        now=activation.clock.now(), worker="dead", limit=10, lease=timedelta(minutes=5)
    )
    assert {n.recipient for n in claimed} == {ANN, PM}
    ann = next(n for n in claimed if n.recipient == ANN)
    await activation.delivery.deliver(ann, ())  # sent; the worker died before marking it

    activation.clock.advance(minutes=10)
    await activation.dispatcher().run()

    assert len(activation.delivery.to(ANN)) == 1, "ann's was delivered already: not again"
    assert len(activation.delivery.to(PM)) == 1, "the digest never went out: now it does"
    assert (await activation.outbox.counts(activation.org.id))["sent"] == 2


async def test_done_tasks_are_not_nudged_and_the_outcome_is_kept(activation: Activation) -> None:
    task = await activation.adopt(ANN, WEEKLY_TUESDAY, wall(2026, 11, 23, 10, 0), AMSTERDAM)
    await activation.mark(task, wall(2026, 11, 24, 10, 0), Outcome.SKIPPED)

    await activation.run_until(datetime(2026, 11, 28, tzinfo=UTC))

    assert activation.delivery.to(ANN) == []


async def test_someone_refused_is_nudged_again_once_they_write_to_the_advisor(
    activation: Activation,
) -> None:
    activation.delivery.refuse[BOB] = Undeliverable.PERSON_GONE
    await activation.adopt(BOB, "FREQ=DAILY", wall(2026, 11, 23, 10, 0), NEW_YORK)
    await activation.run_until(datetime(2026, 11, 24, 0, 0, tzinfo=UTC))
    assert (await activation.people.get(activation.org.id, BOB)).unreachable is not None

    del activation.delivery.refuse[BOB]
    await activation.desk().reachable_again(
        ConversationKey("console", activation.org.id, "bob", "bob")
    )
    await activation.run_until(datetime(2026, 11, 25, 0, 0, tzinfo=UTC))

    kinds = [d.kind for d in activation.delivery.to(BOB)]
    assert kinds == [NudgeKind.TASK_OVERDUE, NudgeKind.TASK_DUE], "Monday's follow-up, Tuesday's"


async def test_the_digest_sets_the_rated_way_of_working_beside_the_posting_record(
    activation: Activation,
) -> None:
    bank = default_bank()
    persona = Persona(Role.EMPLOYEE, dict.fromkeys(Dimension, 3))
    rated = score(bank, crowd(bank, [(persona, 5)], seed=5), threshold=5)
    assert isinstance(rated, OrgResult)

    async def perceived(_: Organisation) -> OrgResult:
        return rated

    activation.perceived = perceived
    task = await activation.adopt(ANN, WEEKLY_TUESDAY, wall(2026, 11, 23, 10, 0), AMSTERDAM)
    await activation.run_until(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), step=timedelta(hours=2))
    await activation.mark(task, wall(2026, 11, 24, 10, 0))
    await activation.run_until(MONDAY + timedelta(weeks=5, hours=9), step=timedelta(hours=2))

    last = activation.delivery.to(PM)[-1]
    assert last.kind is NudgeKind.DIGEST
    phase = int(rated.dimensions[Dimension.WAY_OF_WORKING].phase)
    assert phase >= 2
    assert f"werkwijze krijgt fase {phase}" in repr(last.reply)
    assert "1 van de 5 keer op tijd" in repr(last.reply), "five Tuesdays, one on time"
    first = activation.delivery.to(PM)[0]
    assert "werkwijze" not in repr(first.reply), "nothing to judge in the first week"


async def test_the_manager_reassigns_a_task_by_name_or_by_a_chats_mention(
    activation: Activation,
) -> None:
    task = await activation.adopt(ANN, WEEKLY_TUESDAY, wall(2026, 11, 23, 10, 0), AMSTERDAM)
    manager = ConversationKey("console", activation.org.id, "pm", "pm")
    ann = ConversationKey("console", activation.org.id, "ann", "ann")

    refused = await activation.desk().reassign(ann, f"{task.id} bob", Language.EN)
    await activation.desk().reassign(manager, f"{task.id} <@U0BOB|bob>", Language.EN)

    assert "Only the project manager" in repr(refused)
    moved = await activation.tasks.get(activation.org.id, task.id)
    assert moved is not None
    assert moved.owner == "console:U0BOB"


async def test_the_monthly_report_reaches_the_manager_on_the_first_working_day(
    activation: Activation,
) -> None:
    made: list[Language] = []

    async def reporter(_: Organisation, language: Language) -> bytes:
        made.append(language)
        return b"\x89PNG report"

    activation.reporter = reporter
    await activation.adopt(ANN, WEEKLY_TUESDAY, wall(2026, 11, 23, 10, 0), AMSTERDAM)
    activation.clock.set(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    await activation.run_until(datetime(2026, 12, 2, 0, 0, tzinfo=UTC), step=timedelta(hours=1))

    (report,) = [d for d in activation.delivery.to(PM) if d.kind is NudgeKind.REPORT]
    assert report.at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC), "Tuesday 1 December, 09:00"
    assert report.occurrence == "2026-12"
    (attached,) = [block for block in report.reply if isinstance(block, File)]
    assert attached.content == b"\x89PNG report"
    assert made == [Language.NL]
    reports = [d for d in activation.delivery.delivered_nudges if d.kind is NudgeKind.REPORT]
    assert [d.recipient for d in reports] == [PM], "no report channel set, so the manager only"


async def test_the_monthly_report_also_reaches_the_report_channel_once(
    activation: Activation,
) -> None:
    async def reporter(_: Organisation, language: Language) -> bytes:
        return f"report in {language.value}".encode()

    activation.reporter = reporter
    await activation.settings(report_channel="console:#news", language=Language.EN)
    await activation.adopt(ANN, WEEKLY_TUESDAY, wall(2026, 11, 23, 10, 0), AMSTERDAM)
    activation.clock.set(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    await activation.run_until(datetime(2026, 12, 3, 0, 0, tzinfo=UTC), step=timedelta(hours=1))

    reports = [d for d in activation.delivery.delivered_nudges if d.kind is NudgeKind.REPORT]
    assert sorted(d.recipient for d in reports) == ["console:#news", PM]
    assert {d.at for d in reports} == {datetime(2026, 12, 1, 8, 0, tzinfo=UTC)}
    (to_channel,) = [d for d in reports if d.recipient == "console:#news"]
    (attached,) = [block for block in to_channel.reply if isinstance(block, File)]
    assert attached.content == b"report in en"


async def test_an_organisation_that_never_set_its_calendar_gets_no_nudge_on_christmas_day(
    activation: Activation,
) -> None:
    await activation.settings(respect=OrgSettings().respect)
    activation.clock.set(datetime(2026, 12, 21, 0, 0, tzinfo=UTC))
    await activation.adopt(
        ANN, "FREQ=WEEKLY;BYDAY=FR", wall(2026, 12, 21, 10, 0), AMSTERDAM, title="Friday post"
    )

    await activation.run_until(datetime(2026, 12, 29, 12, 0, tzinfo=UTC))

    due = [
        d.at
        for d in activation.delivery.to(ANN)
        if "Friday post" in repr(d.reply) and d.kind is NudgeKind.TASK_DUE
    ]
    # Friday 25 December and Boxing Day are Dutch public holidays: Monday 28th, 09:00.
    assert due == [datetime(2026, 12, 28, 8, 0, tzinfo=UTC)]
