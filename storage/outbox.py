"""The nudge outbox: planned once by key, claimed by one worker, finished once.

A claim is a status change (pending -> sending) on rows picked with ``FOR UPDATE SKIP LOCKED``
on PostgreSQL, so two workers never take the same row; SQLite serialises writers itself. A row
left in `sending` by a crashed worker is claimed again once its lease has run out; a worker
still sending renews its claims (`renew`). A claim takes at most PER_ORGANISATION of one
organisation's nudges, so it spreads over the workspaces. Workers that claimed lately (the
`workers` table) share the organisations: each claim takes its worker's fair share.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, delete, distinct, func, or_, select, true, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql.expression import ColumnElement, Executable, Subquery

from dialogs.records import Nudge
from engine.nudges import NudgeKind, PlannedNudge
from engine.recurrence import LocalTime
from storage.db import Database
from storage.models import NudgeRow, WorkerRow
from storage.together import Together

PENDING, SENDING, SENT, DROPPED, FAILED = "pending", "sending", "sent", "dropped", "failed"
PLAN_BATCH = 1_000
"""Nudge ids per statement that lists them: far below PostgreSQL's (asyncpg's) 32,767 and
SQLite's 32,766 parameters a statement, however many are in hand. (Planning's INSERTs are
bounded by SQLAlchemy's insertmanyvalues, which keeps below those limits itself.)"""
PER_ORGANISATION = 50
"""Nudges of one organisation a claim takes at most: five seconds of Slack's workspace-wide pace,
so a claim spreads over the workspaces, and a worker that dies leaves few to look up again (at
most this many a workspace: a minute of Slack's pace for the lookup). Each claimed group costs
its reads, and groups of two seconds read each workspace's people and tasks every two seconds,
while the sending went on."""
WORKERS_KEPT = timedelta(days=1)
"""A worker not seen claiming for this long is forgotten (a process that ended)."""
_CLAIMING = 0x6E75646765  # "nudge": the advisory lock claims take one after the other
_CAPPED = [kind.value for kind in NudgeKind if kind.capped]


class SqlaOutbox:
    def __init__(self, database: Database) -> None:
        self._db = database
        self._finishing: list[tuple[dict[str, object], asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._sent_counts = Together(self._sent_counts_of)

    async def plan(self, org_id: int, nudges: Sequence[PlannedNudge], *, now: datetime) -> int:
        if not nudges:
            return 0
        rows = [
            {
                "org_id": org_id,
                "recipient": nudge.recipient,
                "kind": nudge.kind.value,
                "occurrence": nudge.occurrence,
                "task_id": nudge.task_id,
                "deliver_local": nudge.deliver_at.at,
                "deliver_zone": nudge.deliver_at.zone,
                "deliver_at": nudge.deliver_at.instant(),
                "stale_local": nudge.stale_at.at,
                "stale_zone": nudge.stale_at.zone,
                "stale_at": nudge.stale_at.instant(),
                "status": PENDING,
                "attempts": 0,
                "planned_at": now,
            }
            for nudge in nudges
        ]
        statement = self._db.prepared(_plan_nudge)

        def plan(connection: Connection) -> int:
            # Executed as many: SQLAlchemy writes them in INSERTs of a bounded number of rows
            # from one statement it builds and compiles once ("insertmanyvalues").
            return len(connection.execute(statement, rows).all())

        return await self._db.write(plan)  # one transaction: all planned, or none

    async def claim(
        self,
        *,
        now: datetime,
        worker: str,
        limit: int,
        lease: timedelta,
        channel: str | None = None,
        alive: timedelta | None = None,
    ) -> list[Nudge]:
        # Organisations another worker is sending now are left to it: Slack's limits are per
        # workspace, and each worker paces only its own sends, so two sending to one workspace
        # would go over them together. A worker that dies is followed once its lease runs out.
        sending = (NudgeRow.status == SENDING) & (NudgeRow.claimed_at >= now - lease)
        sent_elsewhere = select(NudgeRow.org_id).where(sending, NudgeRow.claimed_by != worker)
        sending_here = select(NudgeRow.org_id).where(sending, NudgeRow.claimed_by == worker)
        claimable = or_(
            NudgeRow.status == PENDING,
            (NudgeRow.status == SENDING) & (NudgeRow.claimed_at < now - lease),
        )
        due_here = (
            select(NudgeRow.id, NudgeRow.org_id, NudgeRow.deliver_at)
            .where(NudgeRow.deliver_at <= now, claimable)
            .where(NudgeRow.recipient.startswith(f"{channel}:") if channel else true())
            .where(NudgeRow.org_id.not_in(sent_elsewhere))
            .subquery()
        )
        # The first few due of each organisation, so one claim spreads over many workspaces.
        ranked = select(
            due_here.c.id,
            due_here.c.org_id,
            func.row_number()
            .over(partition_by=due_here.c.org_id, order_by=(due_here.c.deliver_at, due_here.c.id))
            .label("place"),
        ).subquery()
        # Organisations this worker is not sending yet come first: a claim that cannot take
        # every organisation starts more workspaces, instead of refilling those under way.
        due = (
            select(NudgeRow.id)
            .join(ranked, ranked.c.id == NudgeRow.id)
            .where(ranked.c.place <= PER_ORGANISATION)
            .order_by(NudgeRow.org_id.in_(sending_here), NudgeRow.deliver_at, NudgeRow.id)
            .limit(limit)
            .with_for_update(of=NudgeRow, skip_locked=True)
        )

        def claim(connection: Connection) -> list[Row[Any]]:
            # One claim after the other on PostgreSQL (a lock for the transaction): two at once
            # each saw the other's organisations as free, and both started on some of them.
            if self._db.backend == "postgresql":
                connection.execute(select(func.pg_advisory_xact_lock(_CLAIMING)))
            picking = due
            if alive is not None:
                starting = self._share(
                    connection, due_here, sending, sending_here, worker, now, alive
                )
                if starting is not None:
                    picking = due.where(
                        or_(ranked.c.org_id.in_(starting), ranked.c.org_id.in_(sending_here))
                    )
            ids = list(connection.scalars(picking))
            if not ids:
                return []
            # Claimable again: on PostgreSQL a row another worker claimed after this
            # statement's snapshot is not locked any more once they committed, so the ranking
            # (read from the snapshot) still offers it; the UPDATE reads the row as it is now.
            taken = (
                update(NudgeRow)
                .where(NudgeRow.id.in_(ids), claimable)
                .values(
                    status=SENDING,
                    claimed_by=worker,
                    claimed_at=now,
                    attempts=NudgeRow.attempts + 1,
                )
                .returning(*_NUDGE_COLUMNS)
            )
            return list(connection.execute(taken))

        # One transaction, one hand-off on a SQLite file (the writer thread): a dispatch that
        # starts claims several times in a row while the first claims' nudges are being sent,
        # and each statement through aiosqlite waited for the busy event loop three times.
        # Rows, not ORM objects: a claim takes up to ten thousand at once.
        rows = await self._db.write(claim)
        return sorted((_nudge(row) for row in rows), key=lambda n: (n.deliver_at.instant(), n.id))

    async def attend(self, worker: str, *, now: datetime) -> None:
        """Record that `worker` dispatches from `now` on: the others' claims leave it its share
        before its own first claim."""
        await self._db.write(lambda connection: self._seen(connection, worker, now))

    async def leave(self, worker: str) -> None:
        await self._db.write(
            lambda connection: connection.execute(delete(WorkerRow).where(WorkerRow.name == worker))
        )

    def _seen(self, connection: Connection, worker: str, now: datetime) -> None:
        seen = self._db.insert(WorkerRow).values(name=worker, seen_at=now)
        connection.execute(
            seen.on_conflict_do_update(index_elements=[WorkerRow.name], set_={"seen_at": now})
        )
        connection.execute(delete(WorkerRow).where(WorkerRow.seen_at < now - WORKERS_KEPT))

    def _share(
        self,
        connection: Connection,
        due_here: Subquery,
        sending: ColumnElement[bool],
        sending_here: Select[Any],
        worker: str,
        now: datetime,
        alive: timedelta,
    ) -> Select[Any] | None:
        """Record that `worker` claims now; with other workers seen within `alive`, the
        organisations it may start sending (a query), else None (any).

        Each worker takes its fair share of the organisations with work (those due and those
        being sent, split evenly between the workers seen), less those it is sending already.
        A worker seen lately that has not claimed yet (still planning, or stopped) keeps its
        share: the others take of it only as they finish their own organisations (their share
        grows as they hold fewer), and all of it once it is no longer seen. Taking at least half
        of what was left at every claim, the first worker took three quarters of 200 workspaces
        while the other was still planning, and read for them two seconds longer."""
        self._seen(connection, worker, now)
        workers: int = (
            connection.scalar(
                select(func.count()).select_from(WorkerRow).where(WorkerRow.seen_at >= now - alive)
            )
            or 1
        )
        if workers < 2:
            return None
        free = (
            select(
                due_here.c.org_id,
                func.row_number()
                .over(order_by=(func.min(due_here.c.deliver_at), due_here.c.org_id))
                .label("turn"),
            )
            .where(due_here.c.org_id.not_in(sending_here))
            .group_by(due_here.c.org_id)
            .subquery()
        )
        counted = connection.execute(
            select(
                select(func.count()).select_from(free).scalar_subquery(),
                select(func.count(distinct(NudgeRow.org_id))).where(sending).scalar_subquery(),
                select(func.count(distinct(NudgeRow.org_id)))
                .where(sending, NudgeRow.claimed_by == worker)
                .scalar_subquery(),
            )
        ).one()
        unclaimed, busy, held = (int(count or 0) for count in counted)
        share = math.ceil((unclaimed + busy) / workers) - held
        return select(free.c.org_id).where(free.c.turn <= share)

    async def renew(self, nudge_ids: Sequence[int], *, worker: str, now: datetime) -> set[int]:
        """Renew `worker`'s claims on these nudges as of `now`; the ids it still holds (a nudge
        finished meanwhile, or taken by another worker after its lease ran out, is not)."""
        kept: set[int] = set()
        async with self._db.session() as session:
            for start in range(0, len(nudge_ids), PLAN_BATCH):
                renewed = await session.scalars(
                    update(NudgeRow)
                    .where(
                        NudgeRow.id.in_(nudge_ids[start : start + PLAN_BATCH]),
                        NudgeRow.status == SENDING,
                        NudgeRow.claimed_by == worker,
                    )
                    .values(claimed_at=now)
                    .returning(NudgeRow.id)
                )
                kept.update(renewed)
        return kept

    async def oldest_due(self, now: datetime) -> datetime | None:
        """When the longest-waiting due, unclaimed nudge was due; None with none due."""
        oldest = (
            select(NudgeRow.deliver_at)
            .where(NudgeRow.status == PENDING, NudgeRow.deliver_at <= now)
            .order_by(NudgeRow.deliver_at)
            .limit(1)
        )
        async with self._db.session() as session:
            due: datetime | None = await session.scalar(oldest)
            return due

    async def finish(
        self, nudge_id: int, *, status: str, outcome: str | None, now: datetime
    ) -> None:
        """Record the end; returns once it is stored. Finishes that come in while one is being
        written are stored together in the next transaction (a group commit): many nudges sent
        at once cost one write, not one each."""
        row = {"p_id": nudge_id, "p_status": status, "p_outcome": outcome and outcome[:200]}
        stored = asyncio.get_running_loop().create_future()
        self._finishing.append(({**row, "p_finished": now}, stored))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_finished())
        await stored

    async def _write_finished(self) -> None:
        statement = self._db.prepared(_finish_nudge)
        while self._finishing:
            batch, self._finishing = self._finishing, []
            rows = [row for row, _ in batch]

            def finish(connection: Connection, rows: list[dict[str, object]] = rows) -> None:
                for start in range(0, len(rows), PLAN_BATCH):
                    connection.execute(statement, rows[start : start + PLAN_BATCH])

            try:
                await self._db.write(finish)
            except Exception as error:  # each waiting finish raises it, as a write of its own
                for _, stored in batch:
                    if not stored.done():
                        stored.set_exception(error)
            else:
                for _, stored in batch:
                    if not stored.done():
                        stored.set_result(None)

    async def postpone(self, nudge_id: int, until: LocalTime) -> None:
        async with self._db.session() as session:
            await session.execute(
                update(NudgeRow)
                .where(NudgeRow.id == nudge_id)
                .values(status=PENDING, **_deliver(until))
            )

    async def release(self, nudge_id: int, until: LocalTime) -> None:
        async with self._db.session() as session:
            await session.execute(
                update(NudgeRow)
                .where(NudgeRow.id == nudge_id, NudgeRow.status == SENDING)
                .values(status=PENDING, attempts=NudgeRow.attempts - 1, **_deliver(until))
            )

    async def snooze(self, org_id: int, task_id: int, until: LocalTime) -> int:
        async with self._db.session() as session:
            result = await session.execute(
                update(NudgeRow)
                .where(
                    NudgeRow.org_id == org_id,
                    NudgeRow.task_id == task_id,
                    NudgeRow.status == PENDING,
                    NudgeRow.kind.in_(_CAPPED),
                )
                .values(**_deliver(until))
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def replan(self, org_id: int, move: Callable[[Nudge], LocalTime]) -> int:
        # Locked rows are skipped by a claim (SKIP LOCKED); a row claimed meanwhile no longer
        # matches `pending` once the lock is ours, so a nudge being sent is never moved.
        pending = (
            select(NudgeRow)
            .where(NudgeRow.org_id == org_id, NudgeRow.status == PENDING)
            .order_by(NudgeRow.id)
            .with_for_update()
        )
        moved = 0
        async with self._db.session() as session:
            for row in list(await session.scalars(pending)):
                nudge = _nudge(row)
                until = move(nudge)
                if until != nudge.deliver_at:
                    result = await session.execute(
                        update(NudgeRow)
                        .where(NudgeRow.id == row.id, NudgeRow.status == PENDING)
                        .values(**_deliver(until))
                    )
                    moved += int(result.rowcount or 0)  # type: ignore[attr-defined]
        return moved

    async def sent_since(self, org_id: int, recipient: str, since: datetime) -> int:
        return (await self.sent_counts(org_id, [recipient], since)).get(recipient, 0)

    async def sent_counts(
        self, org_id: int, recipients: Sequence[str], since: datetime
    ) -> dict[str, int]:
        """`sent_since` for each of `recipients` at once (those sent none are left out); many
        organisations' asked at once are read together."""
        return await self._sent_counts((org_id, tuple(recipients), since))

    async def _sent_counts_of(
        self, wanted: list[tuple[int, tuple[str, ...], datetime]]
    ) -> list[dict[str, int]]:
        """`sent_counts` for each (organisation, recipients, since) in `wanted`: one statement
        for each moment since (a week's start in a zone; a dispatch's groups share a few)."""
        counted: dict[tuple[datetime, int, str], int] = {}
        for since in sorted({since for _, _, since in wanted}):
            asked = [(org_id, people) for org_id, people, moment in wanted if moment == since]
            values = {
                "p_orgs": sorted({org_id for org_id, _ in asked}),
                "p_recipients": sorted({person for _, people in asked for person in people}),
                "p_since": since,
            }
            for org_id, recipient, count in await self._db.rows(_sent_counts, values):
                counted[since, org_id, recipient] = int(count)
        answers = []
        for org_id, people, since in wanted:
            theirs = ((person, counted.get((since, org_id, person))) for person in people)
            answers.append({person: count for person, count in theirs if count})
        return answers

    async def pending(self, org_id: int) -> list[Nudge]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(NudgeRow)
                .where(NudgeRow.org_id == org_id, NudgeRow.status.in_([PENDING, SENDING]))
                .order_by(NudgeRow.deliver_at, NudgeRow.id)
            )
            return [_nudge(row) for row in rows]

    async def not_sent(self, org_id: int, *, limit: int = 50) -> list[Nudge]:
        """The latest nudges dropped or failed, with why (their outcome), newest first."""
        async with self._db.session() as session:
            rows = await session.scalars(
                select(NudgeRow)
                .where(NudgeRow.org_id == org_id, NudgeRow.status.in_([DROPPED, FAILED]))
                .order_by(NudgeRow.finished_at.desc(), NudgeRow.id.desc())
                .limit(limit)
            )
            return [_nudge(row) for row in rows]

    async def counts(self, org_id: int | None = None) -> dict[str, int]:
        """How many nudges are in each status (all organisations when None)."""
        query = select(NudgeRow.status, func.count()).group_by(NudgeRow.status)
        if org_id is not None:
            query = query.where(NudgeRow.org_id == org_id)
        async with self._db.session() as session:
            return {status: int(count) for status, count in await session.execute(query)}


def _deliver(until: LocalTime) -> dict[str, object]:
    return {
        "deliver_local": until.at,
        "deliver_zone": until.zone,
        "deliver_at": until.instant(),
    }


_NUDGE_COLUMNS = (
    NudgeRow.id,
    NudgeRow.org_id,
    NudgeRow.recipient,
    NudgeRow.kind,
    NudgeRow.occurrence,
    NudgeRow.deliver_local,
    NudgeRow.deliver_zone,
    NudgeRow.stale_local,
    NudgeRow.stale_zone,
    NudgeRow.task_id,
    NudgeRow.status,
    NudgeRow.outcome,
    NudgeRow.attempts,
)
"""What `_nudge` reads of a row: a claim returns these and no more (each of the other times
is one more conversion per row, and a claim takes up to ten thousand rows)."""


def _nudge(row: NudgeRow | Row[Any]) -> Nudge:
    """A nudge from its row: an ORM object or a row of the table's columns."""
    return Nudge(
        id=row.id,
        org_id=row.org_id,
        recipient=row.recipient,
        kind=NudgeKind(row.kind),
        occurrence=row.occurrence,
        deliver_at=LocalTime(row.deliver_local, row.deliver_zone),
        stale_at=LocalTime(row.stale_local, row.stale_zone),
        task_id=row.task_id,
        status=row.status,
        outcome=row.outcome,
        attempts=row.attempts,
    )


def _plan_nudge(db: Database) -> Executable:
    """A planned nudge (values: its columns), unless it was planned before."""
    return (
        db.insert(NudgeRow)
        .on_conflict_do_nothing(index_elements=["org_id", "recipient", "kind", "occurrence"])
        .returning(NudgeRow.id)
    )


def _finish_nudge(_: Database) -> Executable:
    """A nudge's end (values: `p_id`, `p_status`, `p_outcome`, `p_finished`)."""
    return (
        update(NudgeRow)
        .where(NudgeRow.id == bindparam("p_id"))
        .values(
            status=bindparam("p_status"),
            outcome=bindparam("p_outcome"),
            finished_at=bindparam("p_finished"),
        )
    )


def _sent_counts(db: Database) -> Executable:
    """How many capped nudges each of `p_recipients` was sent since `p_since` in each of the
    organisations `p_orgs`."""
    return (
        select(NudgeRow.org_id, NudgeRow.recipient, func.count())
        .where(
            db.one_of(NudgeRow.org_id, "p_orgs"),
            db.one_of(NudgeRow.recipient, "p_recipients"),
            NudgeRow.status == SENT,
            or_(*(NudgeRow.kind == kind for kind in _CAPPED)),
            NudgeRow.finished_at >= bindparam("p_since"),
        )
        .group_by(NudgeRow.org_id, NudgeRow.recipient)
    )
