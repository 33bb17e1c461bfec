"""Organisations leaving: marked when the app is removed, erased after the grace period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import AuditRow, Base, InstallationRow, OrganisationRow, SeenEventRow
from storage.repositories import TURN_SOURCE, delivery_id

SLACK = "slack"
"""The provider of Slack's installations, and the prefix of its organisations' keys."""


class SqlaLeaving:
    """Which organisations are leaving (`Leaving`), and erasing one of them whole.

    Marking and staying are recorded in the audit trail (action ``leaving``, the event in its
    detail) in the same transaction, once each time the state changes.

    Erasing walks the schema: every table with an ``org_id`` column loses the organisation's
    rows, so a table added later is covered without changing this. What is keyed otherwise goes
    too: Slack's installations of its workspace and the delivery keys its turns were saved with.

    Args:
        database: the database to use; its errors surface as `StorageError`.
    """

    def __init__(self, database: Database) -> None:
        self._db = database

    async def mark(self, org_id: int, *, now: datetime, reason: str = "removed") -> None:
        async with self._db.session() as session:
            marked = await session.execute(
                update(OrganisationRow)
                .where(OrganisationRow.id == org_id, OrganisationRow.leaving_since.is_(None))
                .values(leaving_since=now)
            )
            if marked.rowcount:  # type: ignore[attr-defined]
                await _audit(session, org_id, now, reason)

    async def stay(self, org_id: int, *, now: datetime | None = None) -> None:
        async with self._db.session() as session:
            stayed = await session.execute(
                update(OrganisationRow)
                .where(OrganisationRow.id == org_id, OrganisationRow.leaving_since.is_not(None))
                .values(leaving_since=None)
            )
            if stayed.rowcount and now is not None:  # type: ignore[attr-defined]
                await _audit(session, org_id, now, "reinstalled")

    async def due(self, *, before: datetime) -> list[int]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(OrganisationRow.id)
                .where(OrganisationRow.leaving_since < before)
                .order_by(OrganisationRow.id)
            )
            return list(rows)

    async def forget_organisation(self, org_id: int) -> None:
        async with self._db.session() as session:
            key = await session.scalar(
                select(OrganisationRow.key).where(OrganisationRow.id == org_id)
            )
            if key is None:
                return
            # Children before parents: a table without a cascading key to its parent is fine.
            for table in reversed(Base.metadata.sorted_tables):
                if "org_id" in table.c:
                    await session.execute(delete(table).where(table.c.org_id == org_id))
            workspace = _slack_workspace(key)
            if workspace is not None:
                await session.execute(delete(InstallationRow).where(workspace))
            # SQLite may give a later organisation the same id: its turns must not pass for
            # ones handled before.
            await session.execute(
                delete(SeenEventRow).where(
                    SeenEventRow.source == TURN_SOURCE,
                    SeenEventRow.event_id.startswith(delivery_id(org_id, ""), autoescape=True),
                )
            )
            await session.execute(delete(OrganisationRow).where(OrganisationRow.id == org_id))


async def _audit(session: AsyncSession, org_id: int, now: datetime, event: str) -> None:
    """In the transaction that decides it, so the trail says exactly what happened."""
    await session.execute(
        insert(AuditRow).values(
            org_id=org_id, at=now, actor=None, action="leaving", detail={"event": event}
        )
    )


def _slack_workspace(key: str) -> ColumnElement[bool] | None:
    """The installations of a Slack organisation: ``slack:E…`` org-wide, ``slack:T…`` a team."""
    provider, _, workspace = key.partition(":")
    if provider != SLACK or not workspace:
        return None
    if workspace.startswith("E"):
        return and_(
            InstallationRow.provider == SLACK,
            InstallationRow.enterprise_id == workspace,
            InstallationRow.team_id.is_(None),
        )
    return and_(InstallationRow.provider == SLACK, InstallationRow.team_id == workspace)
