"""Retention on SQLite and PostgreSQL: old sheets anonymised once, open scans never touched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from dialogs.audit import Purged
from dialogs.records import Invitee, Launch, Scan
from engine.scoring import score
from engine.vocabulary import Dimension
from storage.audit import SqlaAuditLog
from storage.db import Database
from storage.launches import SqlaEventLog, SqlaLaunchRepository
from storage.models import NudgeRow, OAuthStateRow, ResponseRow, SeenEventRow
from storage.repositories import SqlaOrganisationDirectory, SqlaScanRepository
from storage.retention import ERASED, SqlaRetention
from tests.builders import sheet, tiny_bank

NOW = datetime(2030, 6, 1, 9, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=800)
CUTOFF = NOW - timedelta(days=730)
PEOPLE = ("slack:U1", "slack:U2", "slack:U3")


async def _answered(scans: SqlaScanRepository, org_id: int, phase: int, *, at: datetime) -> Scan:
    scan = await scans.open(org_id, bank_version=1, now=at)
    for offset, person in enumerate(PEOPLE):
        answers = sheet(dict.fromkeys(Dimension, min(5, phase + offset)))
        for question, options in answers.answers.items():
            await scans.record_answer(org_id, scan.id, person, question, options, now=at)
        await scans.complete(org_id, scan.id, person, now=at)
    return scan


async def _launched(database: Database, org_id: int, scan: Scan) -> None:
    await SqlaLaunchRepository(database).record(
        org_id, Launch(scan.id, "slack:UPM"), [Invitee(person) for person in PEOPLE]
    )


async def _purge(database: Database) -> Purged:
    return await SqlaRetention(database).purge(
        now=NOW,
        sheets_closed_before=CUTOFF,
        nudges_before=NOW - timedelta(days=90),
        seen_before=NOW - timedelta(days=30),
        states_before=NOW - timedelta(days=1),
    )


async def _respondents(database: Database, scan_id: int) -> list[str]:
    async with database.session() as session:
        rows = await session.scalars(
            select(ResponseRow.respondent).where(ResponseRow.scan_id == scan_id)
        )
        return sorted(rows)


async def test_sheets_of_a_scan_closed_long_ago_lose_their_respondents_and_keep_the_result(
    database: Database,
) -> None:
    org = await SqlaOrganisationDirectory(database).ensure("slack:T1", "Acme")
    scans = SqlaScanRepository(database)
    old = await _answered(scans, org.id, 1, at=LONG_AGO)
    await _launched(database, org.id, old)
    await scans.close(org.id, old.id, now=LONG_AGO + timedelta(days=7))
    sheets_before = await scans.sheets(org.id, old.id)
    result_before = score(tiny_bank(), sheets_before, threshold=3)

    purged = await _purge(database)

    respondents = await _respondents(database, old.id)
    assert purged.sheets == 3
    assert purged.invitations == 3
    assert all(r.startswith(ERASED) for r in respondents)
    assert len(set(respondents)) == 3
    assert not set(respondents) & set(PEOPLE)
    assert await SqlaLaunchRepository(database).invitations(org.id, old.id) == []
    sheets_after = await scans.sheets(org.id, old.id)
    assert sheets_after == sheets_before
    assert score(tiny_bank(), sheets_after, threshold=3) == result_before
    participation = await scans.participation(org.id, old.id)
    assert [p.completed_at is not None for p in participation] == [True, True, True]


async def test_a_second_run_changes_nothing(database: Database) -> None:
    org = await SqlaOrganisationDirectory(database).ensure("slack:T1", "Acme")
    scans = SqlaScanRepository(database)
    old = await _answered(scans, org.id, 2, at=LONG_AGO)
    await scans.close(org.id, old.id, now=LONG_AGO)
    await _purge(database)
    respondents = await _respondents(database, old.id)

    again = await _purge(database)

    assert again == Purged()
    assert await _respondents(database, old.id) == respondents


async def test_an_open_scan_is_never_touched_however_old(database: Database) -> None:
    org = await SqlaOrganisationDirectory(database).ensure("slack:T1", "Acme")
    scans = SqlaScanRepository(database)
    running = await _answered(scans, org.id, 3, at=LONG_AGO)
    await _launched(database, org.id, running)

    purged = await _purge(database)

    assert purged.sheets == purged.invitations == 0
    assert await _respondents(database, running.id) == sorted(PEOPLE)
    assert len(await SqlaLaunchRepository(database).invitations(org.id, running.id)) == 3


async def test_a_scan_closed_within_the_period_keeps_its_respondents(database: Database) -> None:
    org = await SqlaOrganisationDirectory(database).ensure("slack:T1", "Acme")
    scans = SqlaScanRepository(database)
    recent = await _answered(scans, org.id, 2, at=LONG_AGO)
    await scans.close(org.id, recent.id, now=CUTOFF + timedelta(days=1))

    assert (await _purge(database)).sheets == 0
    assert await _respondents(database, recent.id) == sorted(PEOPLE)


async def test_anonymising_is_recorded_in_each_organisations_audit_trail(
    database: Database,
) -> None:
    directory, scans = SqlaOrganisationDirectory(database), SqlaScanRepository(database)
    acme = await directory.ensure("slack:T1", "Acme")
    globex = await directory.ensure("slack:T2", "Globex")
    old = await _answered(scans, acme.id, 1, at=LONG_AGO)
    await scans.close(acme.id, old.id, now=LONG_AGO)

    await _purge(database)
    await _purge(database)

    entries = await SqlaAuditLog(database).entries(acme.id)
    assert [(e.action, e.actor, dict(e.detail)) for e in entries] == [
        ("retention", None, {"sheets": 3, "invitations": 0})
    ]
    assert await SqlaAuditLog(database).entries(globex.id) == []


async def test_old_delivery_records_nudges_and_states_go_and_recent_ones_stay(
    database: Database,
) -> None:
    org = await SqlaOrganisationDirectory(database).ensure("slack:T1", "Acme")
    events = SqlaEventLog(database)
    await events.first_seen("slack", "old", now=NOW - timedelta(days=31))
    await events.first_seen("slack", "recent", now=NOW - timedelta(days=29))
    async with database.session() as session:
        await session.execute(
            insert(OAuthStateRow).values(
                [
                    {"state": "expired", "expires_at": NOW - timedelta(days=2)},
                    {"state": "live", "expires_at": NOW + timedelta(minutes=5)},
                ]
            )
        )
        await session.execute(
            insert(NudgeRow).values(
                [
                    _nudge(org.id, "sent long ago", "sent", NOW - timedelta(days=91)),
                    _nudge(org.id, "failed long ago", "failed", NOW - timedelta(days=100)),
                    _nudge(org.id, "sent lately", "sent", NOW - timedelta(days=10)),
                    _nudge(org.id, "still pending", "pending", None),
                ]
            )
        )

    purged = await _purge(database)
    again = await _purge(database)

    assert (purged.nudges, purged.seen_events, purged.oauth_states) == (2, 1, 1)
    assert again == Purged()
    async with database.session() as session:
        seen = set(await session.scalars(select(SeenEventRow.event_id)))
        states = set(await session.scalars(select(OAuthStateRow.state)))
        nudges = set(await session.scalars(select(NudgeRow.occurrence)))
        assert await session.scalar(select(func.count()).select_from(NudgeRow)) == 2
    assert seen == {"recent"}
    assert states == {"live"}
    assert nudges == {"sent lately", "still pending"}


def _nudge(
    org_id: int, occurrence: str, status: str, finished: datetime | None
) -> dict[str, object]:
    at = NOW - timedelta(days=120)
    naive = at.replace(tzinfo=None)
    return {
        "org_id": org_id,
        "recipient": "slack:U1",
        "kind": "task",
        "occurrence": occurrence,
        "deliver_local": naive,
        "deliver_zone": "UTC",
        "deliver_at": at,
        "stale_local": naive,
        "stale_zone": "UTC",
        "stale_at": at,
        "status": status,
        "attempts": 1,
        "finished_at": finished,
        "planned_at": at,
    }
