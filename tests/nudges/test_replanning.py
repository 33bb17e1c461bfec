"""Changing the organisation's zone or calendar moves the nudges still to send, and nothing
else: sent ones stay as they were, none is lost and none is doubled (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select

from dialogs.campaigns import CampaignRefused, Campaigns
from engine.nudges import NudgeKind, PlannedNudge
from engine.recurrence import LocalTime
from engine.respect import Respect
from engine.vocabulary import Language
from storage.audit import SqlaAuditLog
from storage.launches import SqlaLaunchRepository
from storage.models import NudgeRow
from storage.repositories import SqlaScanRepository
from tests.nudges.conftest import AMSTERDAM, ANN, NEW_YORK, PM, Activation, wall

CAS = "console:cas"
"""Someone whose own zone the advisor does not know: the organisation's zone is theirs."""
WEEKLY_TUESDAY = "FREQ=WEEKLY;BYDAY=TU"
Row = tuple[int, str, str, str, str, datetime, str, datetime | None]


def campaigns(activation: Activation) -> Campaigns:
    return Campaigns(
        organisations=activation.organisations,
        scans=SqlaScanRepository(activation.database),
        launches=SqlaLaunchRepository(activation.database),
        clock=activation.clock,
        bank_version=1,
        audit=SqlaAuditLog(activation.database),
        replanner=activation.planner(),
    )


async def change(
    activation: Activation, *, time_zone: str | None = None, respect: Respect | None = None
) -> None:
    await campaigns(activation).change_settings(
        activation.org.id,
        PM,
        language=Language.EN,
        threshold=5,
        report_channel=None,
        time_zone=time_zone,
        respect=respect,
    )


async def rows(activation: Activation) -> dict[int, Row]:
    async with activation.database.session() as session:
        found = await session.scalars(select(NudgeRow).where(NudgeRow.org_id == activation.org.id))
        return {
            row.id: (
                row.id,
                row.recipient,
                row.kind,
                row.status,
                row.deliver_zone,
                row.deliver_local,
                row.occurrence,
                row.finished_at,
            )
            for row in found
        }


def sent_at(activation: Activation, recipient: str, kind: NudgeKind) -> list[datetime]:
    return [d.at for d in activation.delivery.to(recipient) if d.kind is kind]


async def test_a_new_zone_moves_the_pending_nudges_of_people_without_their_own_zone(
    activation: Activation,
) -> None:
    await activation.adopt(CAS, None, wall(2026, 11, 23, 10, 0), AMSTERDAM, title="Once")
    await activation.adopt(CAS, WEEKLY_TUESDAY, wall(2026, 11, 24, 10, 0), AMSTERDAM)
    await activation.adopt(ANN, WEEKLY_TUESDAY, wall(2026, 11, 24, 10, 0), AMSTERDAM)
    # Monday: the digest and Cas's one-off nudge go out at 09:00 and 10:00 in Amsterdam.
    await activation.run_until(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    before = await rows(activation)
    counts = await activation.outbox.counts(activation.org.id)
    assert counts["sent"] >= 2
    assert counts["pending"] >= 3

    await change(activation, time_zone=NEW_YORK)

    after = await rows(activation)
    assert await activation.outbox.counts(activation.org.id) == counts
    assert set(after) == set(before), "none lost, none added"
    for nudge_id, row in before.items():
        if row[3] != "pending" or row[1] != CAS:
            assert after[nudge_id] == row, "sent, or for someone who said where they are"
    # Cas's tasks are due at 10:00 in Amsterdam, 04:00 in New York: the first working moment
    # after that is 09:00 there; each follow-up a working morning after its first nudge.
    assert sorted(
        (r[2], r[4], r[5]) for r in after.values() if r[1] == CAS and r[3] == "pending"
    ) == [
        ("task_due", NEW_YORK, wall(2026, 11, 24, 9, 0)),
        ("task_overdue", NEW_YORK, wall(2026, 11, 24, 9, 0)),
        ("task_overdue", NEW_YORK, wall(2026, 11, 25, 9, 0)),
    ]
    # Tuesday 09:00 in New York is 14:00 UTC; Ann's stays at 10:00 in Amsterdam (09:00 UTC).
    await activation.run_until(datetime(2026, 11, 24, 16, 0, tzinfo=UTC))
    assert sent_at(activation, CAS, NudgeKind.TASK_DUE)[-1] == datetime(
        2026, 11, 24, 14, 0, tzinfo=UTC
    )
    assert sent_at(activation, ANN, NudgeKind.TASK_DUE) == [
        datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    ]
    keys = [(d.recipient, d.kind, d.occurrence) for d in activation.delivery.delivered_nudges]
    assert len(keys) == len(set(keys)), "each nudge is sent once"


async def test_christmas_day_in_the_netherlands_moves_a_pending_nudge_to_the_next_working_day(
    activation: Activation,
) -> None:
    activation.clock.set(datetime(2026, 12, 21, 8, 0, tzinfo=UTC))
    await activation.adopt(ANN, None, wall(2026, 12, 25, 10, 0), AMSTERDAM, title="Christmas post")
    await activation.planner().plan_all()
    (first,) = [
        n
        for n in await activation.outbox.pending(activation.org.id)
        if n.recipient == ANN and n.kind is NudgeKind.TASK_DUE
    ]
    assert first.deliver_at == LocalTime(wall(2026, 12, 25, 10, 0), AMSTERDAM)

    await change(activation, respect=Respect(country="NL"))

    pending = {
        n.kind: n.deliver_at
        for n in await activation.outbox.pending(activation.org.id)
        if n.recipient == ANN
    }
    # Friday the 25th and Saturday the 26th are public holidays; the follow-up stays a working
    # morning after the first nudge.
    assert pending[NudgeKind.TASK_DUE] == LocalTime(wall(2026, 12, 28, 9, 0), AMSTERDAM)
    assert pending[NudgeKind.TASK_OVERDUE] == LocalTime(wall(2026, 12, 29, 9, 0), AMSTERDAM)
    await activation.run_until(datetime(2026, 12, 28, 12, 0, tzinfo=UTC))
    assert [d.at for d in activation.delivery.to(ANN)] == [datetime(2026, 12, 28, 8, 0, tzinfo=UTC)]
    entries = await SqlaAuditLog(activation.database).entries(activation.org.id)
    calendar = [entry for entry in entries if entry.action == "calendar"]
    assert [entry.detail for entry in calendar] == [{"changed": "country", "replanned": 2}]


async def test_quiet_hours_move_a_pending_nudge_to_their_end(activation: Activation) -> None:
    await activation.adopt(ANN, WEEKLY_TUESDAY, wall(2026, 11, 24, 12, 30), AMSTERDAM)
    await activation.planner().plan_all()

    await change(activation, respect=Respect(quiet_hours=(time(12, 0), time(13, 0))))

    (moved,) = [
        n.deliver_at
        for n in await activation.outbox.pending(activation.org.id)
        if n.recipient == ANN and n.kind is NudgeKind.TASK_DUE
    ]
    assert moved == LocalTime(wall(2026, 11, 24, 13, 0), AMSTERDAM)


async def test_the_same_settings_again_move_nothing_and_audit_no_change(
    activation: Activation,
) -> None:
    await activation.adopt(CAS, WEEKLY_TUESDAY, wall(2026, 11, 24, 10, 0), AMSTERDAM)
    await activation.planner().plan_all()
    before = await rows(activation)

    await change(activation, time_zone=AMSTERDAM, respect=Respect())

    assert await rows(activation) == before
    entries = await SqlaAuditLog(activation.database).entries(activation.org.id)
    assert {entry.action for entry in entries} == {"settings"}


async def test_an_unknown_zone_is_refused_and_changes_nothing(activation: Activation) -> None:
    await activation.adopt(CAS, WEEKLY_TUESDAY, wall(2026, 11, 24, 10, 0), AMSTERDAM)
    await activation.planner().plan_all()
    before = await rows(activation)

    with pytest.raises(CampaignRefused) as refused:
        await change(activation, time_zone="Mars/Olympus", respect=Respect(country="NL"))

    assert "Mars/Olympus" in refused.value.say(Language.EN)
    assert "Mars/Olympus" in refused.value.say(Language.NL)

    assert await rows(activation) == before
    stored = await activation.organisations.get(activation.org.id)
    assert stored is not None
    assert stored.settings == activation.org.settings


async def test_a_zone_change_is_audited_without_anyones_data(activation: Activation) -> None:
    await activation.adopt(CAS, WEEKLY_TUESDAY, wall(2026, 11, 24, 10, 0), AMSTERDAM)
    await activation.planner().plan_all()

    await change(activation, time_zone=NEW_YORK)

    entries = await SqlaAuditLog(activation.database).entries(activation.org.id)
    (zone,) = [entry for entry in entries if entry.action == "zone"]
    assert zone.detail == {"from": AMSTERDAM, "to": NEW_YORK, "replanned": 2}
    assert zone.actor == PM


async def test_a_nudge_planning_does_not_make_keeps_its_wall_clock_time_in_the_new_zone(
    activation: Activation,
) -> None:
    def reminder(recipient: str, at: LocalTime) -> PlannedNudge:
        stale = LocalTime(wall(2027, 1, 8, 0, 0), AMSTERDAM)
        return PlannedNudge(recipient, NudgeKind.SCAN_REMINDER, "scan:1", at, stale)

    christmas = LocalTime(wall(2026, 12, 25, 10, 0), AMSTERDAM)
    await activation.outbox.plan(
        activation.org.id,
        [reminder(CAS, christmas), reminder(ANN, christmas)],
        now=activation.clock.now(),
    )

    await change(activation, time_zone=NEW_YORK, respect=Respect(country="NL"))

    moved = {n.recipient: n.deliver_at for n in await activation.outbox.pending(activation.org.id)}
    assert moved == {
        CAS: LocalTime(wall(2026, 12, 28, 9, 0), NEW_YORK),
        ANN: LocalTime(wall(2026, 12, 28, 9, 0), AMSTERDAM),
    }


async def test_a_snoozed_nudge_stays_snoozed_when_the_calendar_changes(
    activation: Activation,
) -> None:
    task = await activation.adopt(ANN, WEEKLY_TUESDAY, wall(2026, 11, 24, 10, 0), AMSTERDAM)
    await activation.planner().plan_all()
    thursday = LocalTime(wall(2026, 11, 26, 12, 15), AMSTERDAM)
    await activation.outbox.snooze(activation.org.id, task.id, thursday)

    await change(activation, respect=Respect(quiet_hours=(time(12, 0), time(13, 0))))

    moved = {
        n.deliver_at
        for n in await activation.outbox.pending(activation.org.id)
        if n.recipient == ANN
    }
    assert moved == {LocalTime(wall(2026, 11, 26, 13, 0), AMSTERDAM)}, "after the snooze and lunch"


async def test_settings_without_a_zone_or_calendar_keep_both_and_move_nothing(
    activation: Activation,
) -> None:
    await change(activation, time_zone=NEW_YORK, respect=Respect(country="BE"))
    await activation.adopt(CAS, WEEKLY_TUESDAY, wall(2026, 11, 24, 10, 0), AMSTERDAM)
    await activation.planner().plan_all()
    before = await rows(activation)

    await change(activation)

    stored = await activation.organisations.get(activation.org.id)
    assert stored is not None
    assert (stored.settings.time_zone, stored.settings.respect) == (NEW_YORK, Respect(country="BE"))
    assert await rows(activation) == before
    entries = await SqlaAuditLog(activation.database).entries(activation.org.id)
    assert [entry.action for entry in entries].count("zone") == 1
    assert [entry.action for entry in entries].count("calendar") == 1
