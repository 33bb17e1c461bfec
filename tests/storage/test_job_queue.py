"""The job queue, on SQLite and PostgreSQL: put once, claimed by one worker, again after a lease."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from storage.db import Database
from storage.jobs import SqlaJobQueue
from storage.repositories import SqlaOrganisationDirectory

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)
KINDS = ("launch",)


async def _queue(database: Database) -> tuple[SqlaJobQueue, int]:
    org = await SqlaOrganisationDirectory(database).ensure("slack:T1", "Acme")
    return SqlaJobQueue(database), org.id


async def test_a_job_put_twice_under_one_key_is_one_job(database: Database) -> None:
    queue, org = await _queue(database)

    first = await queue.put(org, "launch", "V1", {"n": 1}, now=NOW)
    again = await queue.put(org, "launch", "V1", {"n": 2}, now=NOW)

    assert (first, again) == (True, False)
    job = await queue.claim(KINDS, worker="a", now=NOW, lease=LEASE)
    assert job is not None
    assert (job.payload, job.attempts) == ({"n": 1}, 1)
    assert await queue.claim(KINDS, worker="a", now=NOW, lease=LEASE) is None


async def test_a_held_job_is_claimed_by_nobody_else_until_its_lease_runs_out(
    database: Database,
) -> None:
    queue, org = await _queue(database)
    await queue.put(org, "launch", "V1", {}, now=NOW)
    held = await queue.claim(KINDS, worker="a", now=NOW, lease=LEASE)
    assert held is not None

    assert await queue.claim(KINDS, worker="b", now=NOW + LEASE / 2, lease=LEASE) is None
    assert await queue.hold(held, now=NOW + LEASE / 2, lease=LEASE, progress={"done": 3})
    assert await queue.claim(KINDS, worker="b", now=NOW + LEASE, lease=LEASE) is None, (
        "progress holds"
    )
    again = await queue.claim(KINDS, worker="b", now=NOW + 2 * LEASE, lease=LEASE)

    assert again is not None
    assert (again.id, again.attempts, again.progress) == (held.id, 2, {"done": 3})


async def test_a_finished_job_is_never_claimed_again(database: Database) -> None:
    queue, org = await _queue(database)
    await queue.put(org, "launch", "V1", {}, now=NOW)
    job = await queue.claim(KINDS, worker="a", now=NOW, lease=LEASE)
    assert job is not None

    assert await queue.finish(job, outcome="done", now=NOW)

    assert await queue.claim(KINDS, worker="a", now=NOW + 10 * LEASE, lease=LEASE) is None
    assert await queue.unfinished(org) == 0


async def test_workers_claiming_at_once_each_get_a_different_job(database: Database) -> None:
    queue, org = await _queue(database)
    for number in range(6):
        await queue.put(org, "launch", f"V{number}", {"n": number}, now=NOW)

    claimed = await asyncio.gather(
        *(queue.claim(KINDS, worker=f"w{n}", now=NOW, lease=LEASE) for n in range(8))
    )

    ids = [job.id for job in claimed if job is not None]
    assert len(ids) == len(set(ids)) == 6


async def test_a_worker_claims_only_the_kinds_it_runs(database: Database) -> None:
    queue, org = await _queue(database)
    await queue.put(org, "teams.launch", "a1", {}, now=NOW)

    assert await queue.claim(KINDS, worker="slack", now=NOW, lease=LEASE) is None
    assert await queue.claim(("teams.launch",), worker="teams", now=NOW, lease=LEASE)


async def test_a_run_whose_claim_was_taken_over_can_neither_hold_nor_finish_the_job(
    database: Database,
) -> None:
    queue, org = await _queue(database)
    await queue.put(org, "launch", "V1", {}, now=NOW)
    first = await queue.claim(KINDS, worker="a", now=NOW, lease=LEASE)
    assert first is not None
    second = await queue.claim(KINDS, worker="b", now=NOW + 2 * LEASE, lease=LEASE)
    assert second is not None

    assert not await queue.hold(first, now=NOW + 2 * LEASE, lease=LEASE, progress={"x": 1})
    assert not await queue.finish(first, outcome="done", now=NOW + 2 * LEASE)

    assert await queue.unfinished(org) == 1
    assert await queue.finish(second, outcome="done", now=NOW + 2 * LEASE)
