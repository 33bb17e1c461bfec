"""Chat platform installations with their tokens encrypted, and one-time OAuth states."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, bindparam, delete, insert, select, update
from sqlalchemy.sql.expression import Executable

from storage.db import Database
from storage.models import InstallationRow, OAuthStateRow
from storage.together import Together

if TYPE_CHECKING:  # cryptography loads only where a box is made: with an encryption key
    from storage.secrets import SecretBox


class SqlaInstallationRepository:
    """Installations per provider and workspace, each a JSON document encrypted as a whole.

    A workspace is keyed by enterprise id and team id; an enterprise-wide install by its
    enterprise id alone (team id None). Within it, the bot-level rows have no user id and each
    installing user has rows of their own. Every save with a new `installed_at` adds a row, and
    lookups return the latest; saving again with the same `installed_at` (a token refresh)
    replaces that row's document. Only the lookup keys are stored in the clear.

    Args:
        database: the database to use.
        box: encrypts and decrypts the documents.
    """

    def __init__(self, database: Database, box: SecretBox) -> None:
        self._db = database
        self._box = box
        self._bots = Together(self._bots_of)

    async def save(
        self,
        provider: str,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        document: Mapping[str, Any],
        installed_at: datetime,
    ) -> None:
        """Store a document: the bot's (user_id None) or a user's.

        Raises:
            TypeError: the document does not convert to JSON.
        """
        sealed = self._box.encrypt(json.dumps(document, sort_keys=True, separators=(",", ":")))
        same = and_(
            _workspace(provider, enterprise_id, team_id),
            InstallationRow.user_id == user_id,
            InstallationRow.installed_at == installed_at,
        )
        async with self._db.session() as session:
            existing = await session.scalar(select(InstallationRow.id).where(same).limit(1))
            if existing is None:
                await session.execute(
                    insert(InstallationRow).values(
                        provider=provider,
                        enterprise_id=enterprise_id,
                        team_id=team_id,
                        user_id=user_id,
                        installed_at=installed_at,
                        document=sealed,
                    )
                )
            else:
                await session.execute(
                    update(InstallationRow)
                    .where(InstallationRow.id == existing)
                    .values(document=sealed)
                )

    async def find_bot(
        self,
        provider: str,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool = False,
    ) -> dict[str, Any] | None:
        """The latest bot-level document of the workspace, or None.

        Read by a prepared statement (`Database.rows`): every workspace that is sent nudges
        looks its bot up, hundreds at once when a dispatch starts, and a team's asked for at
        once are read together."""
        team = _team(team_id, is_enterprise_install)
        if team is not None:
            sealed = await self._bots((provider, enterprise_id, team))
            return None if sealed is None else self._open(sealed)
        values = {"p_provider": provider, "p_enterprise": enterprise_id, "p_team": team}
        found = await self._db.rows(_latest_bot, values)
        return self._open(found[0][0]) if found else None

    async def _bots_of(self, wanted: list[tuple[str, str | None, str]]) -> list[str | None]:
        """The latest sealed bot-level document of each (provider, enterprise, team) in
        `wanted`, in one statement; None where there is none."""
        values = {"p_teams": sorted({team for _, _, team in wanted})}
        latest: dict[tuple[str, str | None, str], str] = {}
        for provider, enterprise, team, document in await self._db.rows(_bots_of_teams, values):
            latest.setdefault((provider, enterprise, team), document)  # the rows come latest first
        return [latest.get(key) for key in wanted]

    async def find_user(
        self,
        provider: str,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        is_enterprise_install: bool = False,
    ) -> dict[str, Any] | None:
        """The latest document of this user in the workspace, or None.

        With `user_id` None: the latest document of any user there (never the bot-level one).
        """
        workspace = _workspace(provider, enterprise_id, _team(team_id, is_enterprise_install))
        return await self._latest(workspace, _users(user_id))

    async def delete(
        self,
        provider: str,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
    ) -> None:
        """Forget one user's installations, or with `user_id` None every user's; the bot stays."""
        await self._delete(_workspace(provider, enterprise_id, team_id), _users(user_id))

    async def delete_bot(
        self, provider: str, enterprise_id: str | None, team_id: str | None
    ) -> None:
        """Forget the workspace's bot-level rows; users' installations stay."""
        await self._delete(
            _workspace(provider, enterprise_id, team_id), InstallationRow.user_id.is_(None)
        )

    async def delete_all(
        self, provider: str, enterprise_id: str | None, team_id: str | None
    ) -> None:
        """Forget the workspace: the bot and every user (an uninstall)."""
        await self._delete(_workspace(provider, enterprise_id, team_id))

    async def reencrypt(self) -> int:
        """Encrypt every stored document again under the box's first key; returns how many.

        After a key rotation, run this, then the old key can be dropped from the setting.

        Raises:
            StorageError: a document opens under none of the keys (nothing is changed).
        """
        async with self._db.session() as session:
            rows = (
                await session.execute(select(InstallationRow.id, InstallationRow.document))
            ).all()
            for row_id, sealed in rows:
                await session.execute(
                    update(InstallationRow)
                    .where(InstallationRow.id == row_id)
                    .values(document=self._box.rotate(sealed))
                )
        return len(rows)

    async def _latest(self, *where: ColumnElement[bool]) -> dict[str, Any] | None:
        query = (
            select(InstallationRow.document)
            .where(*where)
            .order_by(InstallationRow.installed_at.desc(), InstallationRow.id.desc())
            .limit(1)
        )
        async with self._db.session() as session:
            sealed = await session.scalar(query)
        return None if sealed is None else self._open(sealed)

    def _open(self, sealed: str) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self._box.decrypt(sealed))
        return document

    async def _delete(self, *where: ColumnElement[bool]) -> None:
        async with self._db.session() as session:
            await session.execute(delete(InstallationRow).where(*where))


class SqlaStateRepository:
    """One-time OAuth state values: each is consumed at most once, and only before it expires.

    Args:
        database: the database to use.
    """

    def __init__(self, database: Database) -> None:
        self._db = database

    async def issue(self, state: str, now: datetime, expires_in: timedelta) -> None:
        """Remember `state` until `now + expires_in`, and forget states that have expired.

        Raises:
            ValueError: `expires_in` is not positive.
            StorageError: the state was issued already.
        """
        if expires_in <= timedelta(0):
            raise ValueError(f"a state must live a while, not {expires_in}")
        async with self._db.session() as session:
            await session.execute(delete(OAuthStateRow).where(OAuthStateRow.expires_at <= now))
            await session.execute(
                insert(OAuthStateRow).values(state=state, expires_at=now + expires_in)
            )

    async def consume(self, state: str, now: datetime) -> bool:
        """True the first time a live state is consumed; false again, once expired or unknown."""
        async with self._db.session() as session:
            # One DELETE decides, so two callbacks racing with one state cannot both succeed.
            result = await session.execute(
                delete(OAuthStateRow).where(
                    OAuthStateRow.state == state, OAuthStateRow.expires_at > now
                )
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _workspace(
    provider: str, enterprise_id: str | None, team_id: str | None
) -> ColumnElement[bool]:
    # `== None` renders IS NULL: a workspace without an enterprise matches rows without one.
    return and_(
        InstallationRow.provider == provider,
        InstallationRow.enterprise_id == enterprise_id,
        InstallationRow.team_id == team_id,
    )


def _latest_bot(_: Database) -> Executable:
    """The latest bot-level document of the workspace `p_provider`, `p_enterprise`, `p_team`
    (either may be None: IS NOT DISTINCT FROM matches a missing one as `_workspace` does)."""
    return (
        select(InstallationRow.document)
        .where(
            InstallationRow.provider == bindparam("p_provider"),
            InstallationRow.enterprise_id.is_not_distinct_from(bindparam("p_enterprise")),
            InstallationRow.team_id.is_not_distinct_from(bindparam("p_team")),
            InstallationRow.user_id.is_(None),
        )
        .order_by(InstallationRow.installed_at.desc(), InstallationRow.id.desc())
        .limit(1)
    )


def _bots_of_teams(db: Database) -> Executable:
    """The bot-level documents of the teams `p_teams` (any provider or enterprise), latest first."""
    row = InstallationRow
    return (
        select(row.provider, row.enterprise_id, row.team_id, row.document)
        .where(db.one_of(row.team_id, "p_teams"), row.user_id.is_(None))
        .order_by(row.installed_at.desc(), row.id.desc())
    )


def _team(team_id: str | None, is_enterprise_install: bool) -> str | None:
    """An enterprise-wide install is keyed by its enterprise alone, whichever team asks."""
    return None if is_enterprise_install else team_id


def _users(user_id: str | None) -> ColumnElement[bool]:
    """This user's rows, or with None every user's (never the bot's)."""
    if user_id is None:
        return InstallationRow.user_id.is_not(None)
    return InstallationRow.user_id == user_id
