"""How workers claim due nudges: round the organisations, and leave an organisation another
worker is sending to that worker, since Slack's limits are per workspace and each worker paces
only its own sends."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from dialogs.records import Nudge
from engine.recurrence import LocalTime
from storage.db import Database
from storage.outbox import PER_ORGANISATION, SENT, SqlaOutbox
from storage.repositories import SqlaOrganisationDirectory
from tests.storage.conftest import SQL_BACKENDS
from tests.storage.test_outbox_planning import NOW, ZONE, _due

LEASE = timedelta(minutes=2)
ALIVE = timedelta(minutes=1)


@pytest.fixture(params=SQL_BACKENDS)
def database(request: pytest.FixtureRequest) -> Database:
    return request.getfixturevalue(f"{request.param}_database")  # type: ignore[no-any-return]


async def _organisations(database: Database, count: int, due: int) -> tuple[SqlaOutbox, list[int]]:
    directory, outbox = SqlaOrganisationDirectory(database), SqlaOutbox(database)
    ids = []
    for n in range(count):
        org = await directory.ensure(f"console:org{n}", f"Org {n}")
        await outbox.plan(org.id, _due(due), now=NOW)
        ids.append(org.id)
    return outbox, ids


async def test_a_claim_starts_organisations_before_it_adds_to_those_under_way(
    database: Database,
) -> None:
    outbox, orgs = await _organisations(database, 3, due=PER_ORGANISATION * 3)
    first = await outbox.claim(now=NOW, worker="a", limit=PER_ORGANISATION, lease=LEASE)
    second = await outbox.claim(now=NOW, worker="a", limit=PER_ORGANISATION * 2, lease=LEASE)

    (started,) = {nudge.org_id for nudge in first}
    assert Counter(nudge.org_id for nudge in second) == {
        org: PER_ORGANISATION for org in orgs if org != started
    }


async def test_an_organisation_another_worker_is_sending_is_left_to_it_until_its_lease_ends(
    database: Database,
) -> None:
    outbox, (first, second) = await _organisations(database, 2, due=PER_ORGANISATION + 5)
    (one,) = await outbox.claim(now=NOW, worker="a", limit=1, lease=LEASE)
    taken = one.org_id
    other = second if taken == first else first

    by_b = await outbox.claim(now=NOW, worker="b", limit=1_000, lease=LEASE)
    by_a = await outbox.claim(now=NOW, worker="a", limit=1_000, lease=LEASE)
    after_the_lease = await outbox.claim(
        now=NOW + LEASE + timedelta(seconds=1), worker="b", limit=1_000, lease=LEASE
    )

    assert {nudge.org_id for nudge in by_b} == {other}
    assert {nudge.org_id for nudge in by_a} == {taken}, "a worker goes on with its own"
    assert taken in {nudge.org_id for nudge in after_the_lease}, "a dead worker's are taken over"


async def test_a_nudge_put_back_untried_is_claimed_again_as_the_same_attempt(
    database: Database,
) -> None:
    outbox, _ = await _organisations(database, 1, due=2)
    released, postponed = await outbox.claim(now=NOW, worker="a", limit=2, lease=LEASE)
    later = LocalTime.of(NOW + timedelta(hours=1), ZONE)
    await outbox.release(released.id, later)
    await outbox.postpone(postponed.id, later)

    again = await outbox.claim(now=NOW + timedelta(hours=1), worker="a", limit=2, lease=LEASE)

    attempts = {nudge.id: nudge.attempts for nudge in again}
    assert attempts == {released.id: 1, postponed.id: 2}, "a postponed one was tried"


def _organisations_of(nudges: list[Nudge]) -> set[int]:
    return {nudge.org_id for nudge in nudges}


async def test_workers_seen_lately_share_the_organisations_due(database: Database) -> None:
    outbox, orgs = await _organisations(database, 6, due=3)
    await outbox.attend("b", now=NOW)

    by_a = await outbox.claim(now=NOW, worker="a", limit=1_000, lease=LEASE, alive=ALIVE)
    by_b = await outbox.claim(now=NOW, worker="b", limit=1_000, lease=LEASE, alive=ALIVE)
    again = await outbox.claim(now=NOW, worker="a", limit=1_000, lease=LEASE, alive=ALIVE)

    assert len(_organisations_of(by_a)) == 3
    assert _organisations_of(by_b) == set(orgs) - _organisations_of(by_a)
    assert len(by_a) + len(by_b) == 6 * 3
    assert again == []


async def test_a_share_its_worker_has_not_come_for_waits_while_the_others_are_busy(
    database: Database,
) -> None:
    outbox, orgs = await _organisations(database, 8, due=1)
    await outbox.attend("b", now=NOW)  # seen, and then planning (or stopped): no claim yet

    by_a = await outbox.claim(now=NOW, worker="a", limit=1_000, lease=LEASE, alive=ALIVE)
    again = await outbox.claim(now=NOW, worker="a", limit=1_000, lease=LEASE, alive=ALIVE)
    by_b = await outbox.claim(now=NOW, worker="b", limit=1_000, lease=LEASE, alive=ALIVE)

    assert len(_organisations_of(by_a)) == 4
    assert again == []
    assert _organisations_of(by_b) == set(orgs) - _organisations_of(by_a)


async def test_a_share_its_worker_does_not_come_for_is_taken_as_the_others_finish_their_own(
    database: Database,
) -> None:
    outbox, orgs = await _organisations(database, 8, due=1)
    await outbox.attend("b", now=NOW)  # and then stops, before it claims anything

    started = []
    for _ in range(4):
        claimed = await outbox.claim(now=NOW, worker="a", limit=1_000, lease=LEASE, alive=ALIVE)
        started.append(_organisations_of(claimed))
        for nudge in claimed:
            await outbox.finish(nudge.id, status=SENT, outcome=None, now=NOW)

    assert [len(theirs) for theirs in started] == [4, 2, 1, 1]
    assert set().union(*started) == set(orgs)


async def test_a_share_is_taken_at_once_when_its_worker_is_no_longer_seen(
    database: Database,
) -> None:
    outbox, orgs = await _organisations(database, 8, due=1)
    await outbox.attend("b", now=NOW)
    by_a = await outbox.claim(now=NOW, worker="a", limit=1_000, lease=LEASE, alive=ALIVE)

    later = NOW + ALIVE + timedelta(seconds=1)  # b not seen since; a's claims still held
    rest = await outbox.claim(now=later, worker="a", limit=1_000, lease=LEASE, alive=ALIVE)

    assert len(_organisations_of(by_a)) == 4
    assert _organisations_of(rest) == set(orgs) - _organisations_of(by_a)


async def test_a_worker_that_left_leaves_no_share(database: Database) -> None:
    outbox, orgs = await _organisations(database, 4, due=1)
    await outbox.attend("b", now=NOW)
    await outbox.leave("b")

    claimed = await outbox.claim(now=NOW, worker="a", limit=1_000, lease=LEASE, alive=ALIVE)

    assert _organisations_of(claimed) == set(orgs)


async def test_a_worker_not_seen_within_alive_leaves_no_share(database: Database) -> None:
    outbox, orgs = await _organisations(database, 4, due=1)
    await outbox.attend("b", now=NOW - ALIVE - timedelta(seconds=1))

    claimed = await outbox.claim(now=NOW, worker="a", limit=1_000, lease=LEASE, alive=ALIVE)

    assert _organisations_of(claimed) == set(orgs)


async def _claimed_at_once(
    database: Database, url: str, *, rounds: int, limit: int
) -> dict[str, list[Nudge]]:
    """What workers a (on `database`) and b (a process of its own, on its own connections to
    `url`) claimed in `rounds` rounds of eight claims at once, four each."""
    other = Database(url)
    outboxes = ((SqlaOutbox(database), "a"), (SqlaOutbox(other), "b")) * 4
    taken: dict[str, list[Nudge]] = {"a": [], "b": []}
    try:
        for _ in range(rounds):
            claimed = await asyncio.gather(
                *(
                    outbox.claim(now=NOW, worker=worker, limit=limit, lease=LEASE)
                    for outbox, worker in outboxes
                )
            )
            for (_, worker), nudges in zip(outboxes, claimed, strict=True):
                taken[worker] += nudges
    finally:
        await other.dispose()
    return taken


@pytest.mark.postgres
async def test_two_workers_claiming_at_the_same_moment_never_start_on_one_organisation(
    postgres_database: Database, postgres_url: str
) -> None:
    # Each claim reads which organisations the others are sending: two at once each saw the
    # other's as free, and both started on some of them.
    await _organisations(postgres_database, 100, due=3)

    taken = await _claimed_at_once(postgres_database, postgres_url, rounds=12, limit=3)

    started = {worker: _organisations_of(nudges) for worker, nudges in taken.items()}
    assert started["a"]
    assert started["b"]
    assert not started["a"] & started["b"]


@pytest.mark.postgres
async def test_two_workers_claiming_at_the_same_moment_never_both_take_a_nudge(
    postgres_database: Database, postgres_url: str
) -> None:
    # A worker's ranking reads the rows as they were when its statement began; a row another
    # worker claimed and committed meanwhile is no longer locked, so only the UPDATE's own
    # look at the row as it is now keeps the two apart.
    await _organisations(postgres_database, 150, due=PER_ORGANISATION * 3)

    claimed = await _claimed_at_once(postgres_database, postgres_url, rounds=6, limit=200)

    taken = {worker: [nudge.id for nudge in nudges] for worker, nudges in claimed.items()}
    assert not set(taken["a"]) & set(taken["b"])
    assert len(set(taken["a"])) == len(taken["a"])
    assert len(set(taken["b"])) == len(taken["b"])
