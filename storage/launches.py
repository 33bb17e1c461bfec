"""Launched scans, invitations, once-only publication, and handled event ids."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, exists, select, update

from dialogs.delivery import Undeliverable
from dialogs.ports import AlreadyLaunched, StorageError
from dialogs.records import Invitation, Invitee, Launch, ScanReminder
from storage.db import Database
from storage.models import InvitationRow, LaunchRow, ResponseRow, ScanRow, SeenEventRow

_STILL_INVITED = (
    InvitationRow.invited_at.is_not(None),
    InvitationRow.failure.is_(None),
    ~exists().where(
        ResponseRow.org_id == InvitationRow.org_id,
        ResponseRow.scan_id == InvitationRow.scan_id,
        ResponseRow.respondent == InvitationRow.respondent,
        ResponseRow.completed_at.is_not(None),
    ),
    exists().where(
        ScanRow.id == InvitationRow.scan_id,
        ScanRow.org_id == InvitationRow.org_id,
        ScanRow.closed_at.is_(None),
    ),
)
"""An invitation that went out, to an open scan, whose sheet is not finished."""
_ITS_LAUNCH = and_(
    LaunchRow.org_id == InvitationRow.org_id, LaunchRow.scan_id == InvitationRow.scan_id
)


class SqlaLaunchRepository:
    """`LaunchRepository` on SQLAlchemy; every statement is scoped by organisation.

    Args:
        database: the database to use.
    """

    def __init__(self, database: Database) -> None:
        self._db = database

    async def record(self, org_id: int, launch: Launch, invitees: list[Invitee]) -> None:
        async with self._db.session() as session:
            scan = await session.scalar(
                select(ScanRow.id).where(ScanRow.id == launch.scan_id, ScanRow.org_id == org_id)
            )
            if scan is None:
                raise StorageError(f"organisation {org_id} has no scan {launch.scan_id}")
            # One insert that loses quietly to a launch committed first, where a plain insert
            # would raise IntegrityError (and abort PostgreSQL's transaction).
            inserted = await session.execute(
                self._db.insert(LaunchRow)
                .values(
                    scan_id=launch.scan_id,
                    org_id=org_id,
                    launched_by=launch.launched_by,
                    deadline=launch.deadline,
                    report_to=launch.report_to,
                )
                .on_conflict_do_nothing(index_elements=[LaunchRow.scan_id])
            )
            if not inserted.rowcount:  # type: ignore[attr-defined]
                raise AlreadyLaunched(f"scan {launch.scan_id} of {org_id} was launched already")
            session.add_all(
                InvitationRow(
                    org_id=org_id,
                    scan_id=launch.scan_id,
                    respondent=invitee.respondent,
                    time_zone=invitee.time_zone,
                    remind_at=invitee.remind_at,
                )
                for invitee in {i.respondent: i for i in invitees}.values()
            )

    async def get(self, org_id: int, scan_id: int) -> Launch | None:
        async with self._db.session() as session:
            row = await session.scalar(
                select(LaunchRow).where(LaunchRow.org_id == org_id, LaunchRow.scan_id == scan_id)
            )
            if row is None:
                return None
            return Launch(row.scan_id, row.launched_by, row.deadline, row.report_to)

    async def managers(self, org_id: int) -> set[str]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(LaunchRow.launched_by).where(LaunchRow.org_id == org_id).distinct()
            )
            return set(rows)

    async def invitations(self, org_id: int, scan_id: int) -> list[Invitation]:
        completed = exists().where(
            ResponseRow.org_id == org_id,
            ResponseRow.scan_id == scan_id,
            ResponseRow.respondent == InvitationRow.respondent,
            ResponseRow.completed_at.is_not(None),
        )
        async with self._db.session() as session:
            rows = await session.execute(
                select(InvitationRow, completed.label("completed"))
                .where(InvitationRow.org_id == org_id, InvitationRow.scan_id == scan_id)
                .order_by(InvitationRow.respondent)
            )
            return [
                Invitation(
                    respondent=row.respondent,
                    remind_at=row.remind_at,
                    invited_at=row.invited_at,
                    reminded_at=row.reminded_at,
                    failure=Undeliverable.read(row.failure) if row.failure else None,
                    completed=bool(done),
                )
                for row, done in rows
            ]

    async def mark_invited(
        self, org_id: int, scan_id: int, respondent: str, *, now: datetime
    ) -> None:
        await self._update(org_id, scan_id, respondent, invited_at=now, failure=None)

    async def mark_failed(
        self, org_id: int, scan_id: int, respondent: str, *, failure: Undeliverable
    ) -> None:
        await self._update(org_id, scan_id, respondent, failure=failure.value)

    async def reminders_to_plan(self, *, before: datetime) -> list[ScanReminder]:
        async with self._db.session() as session:
            rows = await session.execute(
                select(InvitationRow, LaunchRow.deadline)
                .join(LaunchRow, _ITS_LAUNCH)
                .where(
                    InvitationRow.remind_at < before,
                    InvitationRow.reminded_at.is_(None),
                    *_STILL_INVITED,
                )
                .order_by(InvitationRow.id)
            )
            return [
                ScanReminder(r.org_id, r.scan_id, r.respondent, r.time_zone, r.remind_at, deadline)
                for r, deadline in rows
                if r.remind_at is not None
            ]

    async def reminders_planned(
        self, org_id: int, scan_id: int, respondents: Sequence[str], *, now: datetime
    ) -> None:
        async with self._db.session() as session:
            await session.execute(
                update(InvitationRow)
                .where(
                    InvitationRow.org_id == org_id,
                    InvitationRow.scan_id == scan_id,
                    InvitationRow.respondent.in_(respondents),
                )
                .values(reminded_at=now)
            )

    async def still_invited(self, org_id: int, scan_id: int, respondent: str) -> Launch | None:
        async with self._db.session() as session:
            row = await session.scalar(
                select(LaunchRow)
                .join(InvitationRow, _ITS_LAUNCH)
                .where(
                    LaunchRow.org_id == org_id,
                    LaunchRow.scan_id == scan_id,
                    InvitationRow.respondent == respondent,
                    *_STILL_INVITED,
                )
            )
            if row is None:
                return None
            return Launch(row.scan_id, row.launched_by, row.deadline, row.report_to)

    async def due_for_closing(self, *, now: datetime) -> list[tuple[int, int]]:
        return await self._launched_scans(LaunchRow.deadline <= now, ScanRow.closed_at.is_(None))

    async def unpublished(self, *, closed_since: datetime) -> list[tuple[int, int]]:
        return await self._launched_scans(
            ScanRow.closed_at >= closed_since, LaunchRow.published_at.is_(None)
        )

    async def _launched_scans(self, *where: ColumnElement[bool]) -> list[tuple[int, int]]:
        """(org_id, scan_id) of every launch whose launch row and scan match `where`."""
        async with self._db.session() as session:
            rows = await session.execute(
                select(LaunchRow.org_id, LaunchRow.scan_id)
                .join(
                    ScanRow,
                    and_(ScanRow.id == LaunchRow.scan_id, ScanRow.org_id == LaunchRow.org_id),
                )
                .where(*where)
            )
            return [(org_id, scan_id) for org_id, scan_id in rows]

    async def claim_publication(self, org_id: int, scan_id: int, *, now: datetime) -> bool:
        async with self._db.session() as session:
            result = await session.execute(
                update(LaunchRow)
                .where(
                    LaunchRow.org_id == org_id,
                    LaunchRow.scan_id == scan_id,
                    LaunchRow.published_at.is_(None),
                )
                .values(published_at=now)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def _update(self, org_id: int, scan_id: int, respondent: str, **values: object) -> None:
        async with self._db.session() as session:
            await session.execute(
                update(InvitationRow)
                .where(
                    InvitationRow.org_id == org_id,
                    InvitationRow.scan_id == scan_id,
                    InvitationRow.respondent == respondent,
                )
                .values(**values)
            )


class SqlaEventLog:
    """`EventLog` on SQLAlchemy: an insert that only the first delivery wins."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def first_seen(self, source: str, event_id: str, *, now: datetime) -> bool:
        statement = self._db.insert(SeenEventRow).values(
            source=source, event_id=event_id, seen_at=now
        )
        async with self._db.session() as session:
            result = await session.execute(statement.on_conflict_do_nothing())
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def forget_before(self, moment: datetime) -> None:
        async with self._db.session() as session:
            await session.execute(delete(SeenEventRow).where(SeenEventRow.seen_at < moment))
