"""The audit trail of what project managers and operators did, per organisation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import insert, select

from dialogs.audit import ACTIONS, AuditEntry
from storage.db import Database
from storage.models import AuditRow

MAX_ACTOR = 200
"""The length of `audit_log.actor`."""


class SqlaAuditLog:
    """Audit entries (`AuditLog`), every statement scoped by organisation.

    Args:
        database: the database to use; its errors surface as `StorageError`.
    """

    def __init__(self, database: Database) -> None:
        self._db = database

    async def record(
        self,
        org_id: int,
        actor: str | None,
        action: str,
        detail: Mapping[str, str | int],
        *,
        now: datetime,
    ) -> None:
        if action not in ACTIONS:
            raise ValueError(f"not an audited action: {action!r}")
        async with self._db.session() as session:
            await session.execute(
                insert(AuditRow).values(
                    org_id=org_id,
                    at=now,
                    actor=None if actor is None else actor[:MAX_ACTOR],
                    action=action,
                    detail=dict(detail),
                )
            )

    async def entries(self, org_id: int, *, limit: int = 200) -> list[AuditEntry]:
        latest = (
            select(AuditRow)
            .where(AuditRow.org_id == org_id)
            .order_by(AuditRow.at.desc(), AuditRow.id.desc())
            .limit(limit)
        )
        async with self._db.session() as session:
            rows = list(await session.scalars(latest))
        return [
            AuditEntry(at=row.at, actor=row.actor, action=row.action, detail=dict(row.detail))
            for row in reversed(rows)
        ]
