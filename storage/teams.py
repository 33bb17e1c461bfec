"""Microsoft Teams conversation references: how to reach a person or a team without a turn."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from storage.db import Database
from storage.models import TeamsConversationRow

_LIVE = TeamsConversationRow.gone_at.is_(None)


class SqlaTeamsConversations:
    """Conversation references by recipient address, every statement scoped by organisation.

    Stored when the app is installed for a person or a team (and refreshed on every turn);
    invitations, reminders, digests and task nudges are sent through them.

    - An address is ours: ``teams:<user id>`` for a person, ``teams:#<conversation id>`` for a
      team or channel (`dialogs.records.place`). The reference is the Bot Framework
      ``ConversationReference`` as a JSON-able dict, opaque here.
    - A reference marked gone (the app uninstalled, the bot blocked) is not handed out until it
      is remembered again.

    Args:
        database: the database to use; its errors surface as `StorageError`.
    """

    def __init__(self, database: Database) -> None:
        self._db = database

    async def remember(
        self,
        org_id: int,
        address: str,
        reference: dict[str, Any],
        *,
        name: str | None,
        now: datetime,
    ) -> None:
        """Store or replace the reference for an address, and bring a gone one back.

        A `name` of None keeps the name already known: not every Teams event carries one.
        """
        statement = self._db.insert(TeamsConversationRow).values(
            org_id=org_id,
            address=address,
            reference=reference,
            name=name,
            updated_at=now,
            gone_at=None,
        )
        async with self._db.session() as session:
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["org_id", "address"],
                    set_={
                        "reference": statement.excluded.reference,
                        "name": func.coalesce(statement.excluded.name, TeamsConversationRow.name),
                        "updated_at": statement.excluded.updated_at,
                        "gone_at": None,
                    },
                )
            )

    async def reference(self, org_id: int, address: str) -> dict[str, Any] | None:
        """The reference to send to an address; None if unknown or gone."""
        async with self._db.session() as session:
            found: dict[str, Any] | None = await session.scalar(
                select(TeamsConversationRow.reference).where(
                    TeamsConversationRow.org_id == org_id,
                    TeamsConversationRow.address == address,
                    _LIVE,
                )
            )
            return found

    async def gone(self, org_id: int, address: str, *, now: datetime) -> None:
        """Mark an address unreachable (uninstalled, blocked); the first moment is kept."""
        async with self._db.session() as session:
            await session.execute(
                update(TeamsConversationRow)
                .where(
                    TeamsConversationRow.org_id == org_id,
                    TeamsConversationRow.address == address,
                    _LIVE,
                )
                .values(gone_at=now)
            )

    async def addresses(self, org_id: int) -> list[str]:
        """Every address of the organisation that can be reached, sorted."""
        async with self._db.session() as session:
            rows = await session.scalars(
                select(TeamsConversationRow.address).where(
                    TeamsConversationRow.org_id == org_id, _LIVE
                )
            )
            # Sorted here: PostgreSQL's collation may order punctuation differently.
            return sorted(rows)

    async def name(self, org_id: int, address: str) -> str | None:
        """The display name last stored for an address, gone or not; None if never known.

        A gone address keeps its name, so the project manager can be told who left.
        """
        async with self._db.session() as session:
            found: str | None = await session.scalar(
                select(TeamsConversationRow.name).where(
                    TeamsConversationRow.org_id == org_id,
                    TeamsConversationRow.address == address,
                )
            )
            return found

    async def names(self, org_id: int, addresses: Iterable[str]) -> dict[str, str]:
        """The display names last stored for the addresses that have one, in one query."""
        wanted = sorted(set(addresses))
        async with self._db.session() as session:
            rows = await session.execute(
                select(TeamsConversationRow.address, TeamsConversationRow.name).where(
                    TeamsConversationRow.org_id == org_id,
                    TeamsConversationRow.address.in_(wanted),
                    TeamsConversationRow.name.is_not(None),
                )
            )
            return {address: name for address, name in rows if name}
