"""LaunchRepository on the in-memory fake, SQLite and PostgreSQL; EventLog on SQL."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from dialogs.delivery import Undeliverable
from dialogs.ports import (
    AlreadyLaunched,
    LaunchRepository,
    OrganisationDirectory,
    ScanRepository,
    StorageError,
)
from dialogs.records import Invitee, Launch, Organisation, Scan, ScanReminder
from storage.db import Database
from storage.launches import SqlaEventLog, SqlaLaunchRepository
from tests.fakes.memory import InMemoryLaunchRepository, InMemoryScanRepository
from tests.storage.conftest import Backend

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Stores:
    organisations: OrganisationDirectory
    scans: ScanRepository
    launches: LaunchRepository


@pytest.fixture
def stores(backend: Backend, request: pytest.FixtureRequest) -> Stores:
    """The contract suite's backend (in memory, SQLite, PostgreSQL) with its launches."""
    if isinstance(backend.scans, InMemoryScanRepository):
        return Stores(backend.organisations, backend.scans, InMemoryLaunchRepository(backend.scans))
    which = request.node.callspec.params["backend"]
    database: Database = request.getfixturevalue(f"{which}_database")
    return Stores(backend.organisations, backend.scans, SqlaLaunchRepository(database))


async def _launched(
    stores: Stores, key: str = "t:acme", deadline: datetime | None = None
) -> tuple[Organisation, Scan, ScanRepository, LaunchRepository]:
    org = await stores.organisations.ensure(key, key)
    scan = await stores.scans.open(org.id, bank_version=1, now=NOW)
    invitees = [
        Invitee("s:ann", "Europe/Amsterdam", NOW + HOUR),
        Invitee("s:bob", None, NOW + HOUR),
    ]
    await stores.launches.record(org.id, Launch(scan.id, "s:pm", deadline, "C1"), invitees)
    return org, scan, stores.scans, stores.launches


async def test_a_launch_is_read_back_and_its_launcher_is_a_manager(stores: Stores) -> None:
    org, scan, _, launches = await _launched(stores, deadline=NOW + 24 * HOUR)
    assert await launches.get(org.id, scan.id) == Launch(scan.id, "s:pm", NOW + 24 * HOUR, "C1")
    assert await launches.managers(org.id) == {"s:pm"}


async def test_invitations_say_who_finished_and_nothing_of_their_answers(
    stores: Stores,
) -> None:
    org, scan, scans, launches = await _launched(stores)
    await scans.record_answer(org.id, scan.id, "s:ann", "role", ("employee",), now=NOW)
    await scans.complete(org.id, scan.id, "s:ann", now=NOW)
    invitations = await launches.invitations(org.id, scan.id)
    assert [(i.respondent, i.completed) for i in invitations] == [("s:ann", True), ("s:bob", False)]


def _who(reminders: list[ScanReminder]) -> list[str]:
    return [reminder.respondent for reminder in reminders]


async def test_a_reminder_is_planned_once_and_never_for_a_finished_sheet(
    stores: Stores,
) -> None:
    org, scan, scans, launches = await _launched(stores, deadline=NOW + 24 * HOUR)
    for person in ("s:ann", "s:bob"):
        await launches.mark_invited(org.id, scan.id, person, now=NOW)
    await scans.complete(org.id, scan.id, "s:ann", now=NOW)

    assert await launches.reminders_to_plan(before=NOW) == []
    (bob,) = await launches.reminders_to_plan(before=NOW + 2 * HOUR)
    assert bob == ScanReminder(org.id, scan.id, "s:bob", None, NOW + HOUR, NOW + 24 * HOUR)
    assert _who(await launches.reminders_to_plan(before=NOW + 2 * HOUR)) == ["s:bob"]
    await launches.reminders_planned(org.id, scan.id, ["s:bob"], now=NOW)
    assert await launches.reminders_to_plan(before=NOW + 3 * HOUR) == []


async def test_a_reminder_is_needed_while_the_sheet_is_unfinished_and_the_scan_open(
    stores: Stores,
) -> None:
    org, scan, scans, launches = await _launched(stores)
    for person in ("s:ann", "s:bob"):
        await launches.mark_invited(org.id, scan.id, person, now=NOW)

    assert await launches.still_invited(org.id, scan.id, "s:ann") == Launch(
        scan.id, "s:pm", None, "C1"
    )
    await scans.complete(org.id, scan.id, "s:ann", now=NOW)
    assert await launches.still_invited(org.id, scan.id, "s:ann") is None
    assert await launches.still_invited(org.id, scan.id, "s:carol") is None, "never invited"
    other, _, _, _ = await _launched(stores, key="t:other")
    assert await launches.still_invited(other.id, scan.id, "s:bob") is None, "another org's"
    await scans.close(org.id, scan.id, now=NOW)
    assert await launches.still_invited(org.id, scan.id, "s:bob") is None


async def test_no_reminder_goes_to_someone_whose_invitation_failed(stores: Stores) -> None:
    org, scan, _, launches = await _launched(stores)
    await launches.mark_invited(org.id, scan.id, "s:ann", now=NOW)
    await launches.mark_failed(org.id, scan.id, "s:bob", failure=Undeliverable.PERSON_GONE)
    assert _who(await launches.reminders_to_plan(before=NOW + 2 * HOUR)) == ["s:ann"]
    assert await launches.still_invited(org.id, scan.id, "s:bob") is None
    failed = {i.respondent: i.failure for i in await launches.invitations(org.id, scan.id)}
    assert failed == {"s:ann": None, "s:bob": Undeliverable.PERSON_GONE}


async def test_no_reminder_goes_out_for_a_closed_scan(stores: Stores) -> None:
    org, scan, scans, launches = await _launched(stores)
    await launches.mark_invited(org.id, scan.id, "s:ann", now=NOW)
    await scans.close(org.id, scan.id, now=NOW)
    assert await launches.reminders_to_plan(before=NOW + 2 * HOUR) == []


async def test_a_scan_is_due_for_closing_once_its_deadline_passes(stores: Stores) -> None:
    org, scan, scans, launches = await _launched(stores, deadline=NOW + HOUR)
    assert await launches.due_for_closing(now=NOW) == []
    assert await launches.due_for_closing(now=NOW + HOUR) == [(org.id, scan.id)]
    await scans.close(org.id, scan.id, now=NOW + HOUR)
    assert await launches.due_for_closing(now=NOW + 2 * HOUR) == []


async def test_a_result_is_published_once(stores: Stores) -> None:
    org, scan, _, launches = await _launched(stores)
    assert await launches.claim_publication(org.id, scan.id, now=NOW) is True
    assert await launches.claim_publication(org.id, scan.id, now=NOW) is False


async def test_a_closed_scan_is_unpublished_until_its_result_is_claimed(
    stores: Stores,
) -> None:
    org, scan, scans, launches = await _launched(stores)
    assert await launches.unpublished(closed_since=NOW - HOUR) == [], "still open"
    await scans.close(org.id, scan.id, now=NOW)
    assert await launches.unpublished(closed_since=NOW - HOUR) == [(org.id, scan.id)]
    assert await launches.unpublished(closed_since=NOW + HOUR) == [], "closed too long ago"
    await launches.claim_publication(org.id, scan.id, now=NOW)
    assert await launches.unpublished(closed_since=NOW - HOUR) == []


async def test_another_organisation_sees_and_claims_nothing(stores: Stores) -> None:
    _, scan, _, launches = await _launched(stores)
    other, _, _, _ = await _launched(stores, key="t:other")
    assert await launches.get(other.id, scan.id) is None
    assert await launches.invitations(other.id, scan.id) == []
    assert await launches.claim_publication(other.id, scan.id, now=NOW) is False
    with pytest.raises(StorageError):
        await launches.record(other.id, Launch(scan.id, "s:x"), [])


async def test_a_second_launch_of_a_scan_is_refused_and_stores_none_of_it(stores: Stores) -> None:
    org, scan, _, launches = await _launched(stores)
    with pytest.raises(AlreadyLaunched):
        await launches.record(
            org.id, Launch(scan.id, "s:other", NOW + HOUR, "C2"), [Invitee("s:carol")]
        )
    assert await launches.get(org.id, scan.id) == Launch(scan.id, "s:pm", None, "C1")
    assert await launches.managers(org.id) == {"s:pm"}
    invited = [i.respondent for i in await launches.invitations(org.id, scan.id)]
    assert invited == ["s:ann", "s:bob"]


async def test_of_two_launches_of_one_scan_at_once_one_is_stored_and_the_other_refused(
    stores: Stores,
) -> None:
    org = await stores.organisations.ensure("t:acme", "Acme")
    scan = await stores.scans.open(org.id, bank_version=1, now=NOW)
    outcomes = await asyncio.gather(
        *(
            stores.launches.record(org.id, Launch(scan.id, who), [Invitee(who)])
            for who in ("s:ann", "s:bob")
        ),
        return_exceptions=True,
    )
    refused = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert len(refused) == 1
    assert isinstance(refused[0], AlreadyLaunched)
    launch = await stores.launches.get(org.id, scan.id)
    assert launch is not None
    invited = [i.respondent for i in await stores.launches.invitations(org.id, scan.id)]
    assert invited == [launch.launched_by], "only the stored launch's invitations"


async def test_an_event_is_seen_for_the_first_time_once(database: Database) -> None:
    log = SqlaEventLog(database)
    assert await log.first_seen("slack", "Ev1", now=NOW) is True
    assert await log.first_seen("slack", "Ev1", now=NOW) is False
    assert await log.first_seen("teams", "Ev1", now=NOW) is True
