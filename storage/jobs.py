"""Jobs: long work a request asked for, stored before the request is acknowledged.

A job is put in the same moment the request is answered, claimed by one process at a time for
a lease, and finished once. A process that dies mid-job leaves its claim to run out; any
process (this one after a restart, another on PostgreSQL) then claims the job again and finds
the progress the first one recorded.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update

from storage.db import Database
from storage.models import JobRow


@dataclass(frozen=True)
class Job:
    """One claimed job. `attempts` counts this run: 1 the first time, more after a crash."""

    id: int
    org_id: int
    kind: str
    payload: dict[str, Any]
    progress: dict[str, Any] | None
    attempts: int


class SqlaJobQueue:
    """Jobs on SQLAlchemy; on PostgreSQL two processes never claim the same job.

    Args:
        database: the database to use.
    """

    def __init__(self, database: Database) -> None:
        self._db = database

    async def put(
        self, org_id: int, kind: str, key: str, payload: dict[str, Any], *, now: datetime
    ) -> bool:
        """Store a job to run; False if a job with this key was stored before (a retry)."""
        async with self._db.session() as session:
            result = await session.execute(
                self._db.insert(JobRow)
                .values(org_id=org_id, kind=kind, key=key, payload=payload, created_at=now)
                .on_conflict_do_nothing(index_elements=["org_id", "key"])
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def claim(
        self, kinds: Collection[str], *, worker: str, now: datetime, lease: timedelta
    ) -> Job | None:
        """The oldest unfinished job of one of `kinds` that nobody holds, now held by `worker`
        until `now + lease`."""
        free = and_(
            JobRow.kind.in_(list(kinds)),
            JobRow.finished_at.is_(None),
            or_(JobRow.claimed_until.is_(None), JobRow.claimed_until < now),
        )
        oldest = (
            select(JobRow.id)
            .where(free)
            .order_by(JobRow.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        # One statement, so two claims at once (two tasks, two processes) cannot both win:
        # SQLite runs it under its write lock, PostgreSQL skips the row another claim locked.
        claim = (
            update(JobRow)
            .where(JobRow.id == oldest, free)
            .values(claimed_by=worker, claimed_until=now + lease, attempts=JobRow.attempts + 1)
            .returning(JobRow)
        )
        async with self._db.session() as session:
            row = (await session.scalars(claim)).one_or_none()
            if row is None:
                return None
            return Job(row.id, row.org_id, row.kind, row.payload, row.progress, row.attempts)

    async def hold(
        self,
        job: Job,
        *,
        now: datetime,
        lease: timedelta,
        progress: dict[str, Any] | None = None,
    ) -> bool:
        """Hold `job`'s claim for another `lease` (keeping `progress`, if given); False if the
        claim is no longer this run's: it ran out and another run claimed the job."""
        values: dict[str, Any] = {"claimed_until": now + lease}
        if progress is not None:
            values["progress"] = progress
        return await self._update_claimed(job, values)

    async def finish(self, job: Job, *, outcome: str, now: datetime) -> bool:
        """Mark the job done; False (and unchanged) if another run holds it now."""
        values = {"finished_at": now, "outcome": outcome[:200], "claimed_until": None}
        return await self._update_claimed(job, values)

    async def _update_claimed(self, job: Job, values: dict[str, Any]) -> bool:
        # Fenced by the attempt: a run whose claim ran out and was taken over changes nothing.
        async with self._db.session() as session:
            result = await session.execute(
                update(JobRow)
                .where(
                    JobRow.id == job.id,
                    JobRow.attempts == job.attempts,
                    JobRow.finished_at.is_(None),
                )
                .values(**values)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def unfinished(self, org_id: int) -> int:
        """How many of the organisation's jobs are still to run (or running)."""
        async with self._db.session() as session:
            rows = await session.scalars(
                select(JobRow.id).where(JobRow.org_id == org_id, JobRow.finished_at.is_(None))
            )
            return len(list(rows))
