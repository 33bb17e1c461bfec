"""Retention: anonymising old answer sheets and forgetting records kept only to run the service."""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from datetime import datetime

from sqlalchemy import Delete, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.audit import Purged
from storage.db import Database
from storage.models import (
    AuditRow,
    InboxRow,
    InvitationRow,
    NudgeRow,
    OAuthStateRow,
    ResponseRow,
    ScanRow,
    SeenEventRow,
)
from storage.outbox import DROPPED, FAILED, SENT

ERASED = "erased:"
"""How an anonymised sheet's respondent begins; the rest is random and links to no one."""
_FINISHED = (SENT, DROPPED, FAILED)


def erased_respondent() -> str:
    """A respondent for a sheet that no longer belongs to anyone: random, never repeated."""
    return ERASED + secrets.token_hex(16)


class SqlaRetention:
    """`Retention` on SQLAlchemy, for every organisation at once, in one transaction.

    - A sheet of a closed scan keeps its answers and completion (the scan's aggregates stay
      true) and loses its respondent to `erased_respondent`; a sheet already anonymised is
      recognised by its `ERASED` prefix, so a second run changes nothing. The scan's
      invitations go: they name who was asked.
    - An open scan is never touched, however old.
    - Each organisation whose sheets or invitations were touched gets one ``retention`` entry in
      its audit trail, with the counts, in the same transaction.
    - A run with nothing due costs one query per kind of record.

    Args:
        database: the database to use; its errors surface as `StorageError`.
    """

    def __init__(self, database: Database) -> None:
        self._db = database

    async def purge(
        self,
        *,
        now: datetime,
        sheets_closed_before: datetime,
        nudges_before: datetime,
        seen_before: datetime,
        states_before: datetime,
    ) -> Purged:
        if min(sheets_closed_before, nudges_before, seen_before, states_before) > now:
            raise ValueError("retention keeps nothing from the future: a moment is after now")
        async with self._db.session() as session:
            sheets, invitations = await _anonymise(session, sheets_closed_before, now)
            nudges = await _count(
                session,
                delete(NudgeRow).where(
                    NudgeRow.status.in_(_FINISHED), NudgeRow.finished_at < nudges_before
                ),
            )
            nudges += await _count(
                session,
                delete(InboxRow).where(
                    InboxRow.read_at.is_not(None), InboxRow.read_at < nudges_before
                ),
            )
            seen = await _count(
                session, delete(SeenEventRow).where(SeenEventRow.seen_at < seen_before)
            )
            states = await _count(
                session, delete(OAuthStateRow).where(OAuthStateRow.expires_at < states_before)
            )
        return Purged(
            sheets=sheets,
            invitations=invitations,
            nudges=nudges,
            seen_events=seen,
            oauth_states=states,
        )


async def _anonymise(
    session: AsyncSession, closed_before: datetime, now: datetime
) -> tuple[int, int]:
    closed = (
        select(ScanRow.id)
        .where(ScanRow.closed_at.is_not(None), ScanRow.closed_at < closed_before)
        .scalar_subquery()
    )
    named = (
        await session.execute(
            select(ResponseRow.id, ResponseRow.org_id).where(
                ResponseRow.scan_id.in_(closed),
                ResponseRow.respondent.not_like(f"{ERASED}%"),
            )
        )
    ).all()
    invited = (
        await session.execute(
            select(InvitationRow.org_id, func.count())
            .where(InvitationRow.scan_id.in_(closed))
            .group_by(InvitationRow.org_id)
        )
    ).all()
    done: dict[int, Counter[str]] = defaultdict(Counter)
    for response_id, org_id in named:
        # One token per sheet: two sheets of one person must not be linkable to each other.
        await session.execute(
            update(ResponseRow)
            .where(ResponseRow.id == response_id, ResponseRow.org_id == org_id)
            .values(respondent=erased_respondent())
        )
        done[org_id]["sheets"] += 1
    for org_id, count in invited:
        done[org_id]["invitations"] += int(count)
    if invited:
        await session.execute(delete(InvitationRow).where(InvitationRow.scan_id.in_(closed)))
    for org_id, counts in sorted(done.items()):
        detail = {"sheets": counts["sheets"], "invitations": counts["invitations"]}
        await session.execute(
            insert(AuditRow).values(
                org_id=org_id, at=now, actor=None, action="retention", detail=detail
            )
        )
    return len(named), sum(int(count) for _, count in invited)


async def _count(session: AsyncSession, statement: Delete) -> int:
    result = await session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
