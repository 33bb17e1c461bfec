"""The floor app's answers: one upsert a click, on SQLite (WAL, one writer) or PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

import aiosqlite
import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    team_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    option_id TEXT NOT NULL,
    answered_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (team_id, user_id, question_id)
)
"""
_UPSERT = (
    "INSERT INTO answers (team_id, user_id, question_id, option_id, answered_at)"
    " VALUES ({0}) ON CONFLICT (team_id, user_id, question_id)"
    " DO UPDATE SET option_id = excluded.option_id, answered_at = excluded.answered_at"
)
SQLITE_UPSERT = _UPSERT.format("?, ?, ?, ?, ?")
POSTGRES_UPSERT = _UPSERT.format("$1, $2, $3, $4, $5")
POOL_SIZE = 30
"""As many connections as the advisor's click keeps (`storage.db._HOT_CONNECTIONS`): with 10,
the floor's p99 on PostgreSQL was 440 to 720 ms against 210 to 220 with 25, in runs on a busy
2-core machine, as clicks queued behind a connection whose backend was waiting for a core."""


class Answers(Protocol):
    async def upsert(self, team: str, user: str, question: str, option: str) -> None:
        """Store the answer, committed, before returning."""


class SqliteAnswers:
    """One connection in autocommit: each upsert is its own transaction, one thread hop, and
    the single connection is the single writer SQLite wants."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def upsert(self, team: str, user: str, question: str, option: str) -> None:
        await self._connection.execute(SQLITE_UPSERT, (team, user, question, option, time.time()))


class PostgresAnswers:
    """A pool of connections; asyncpg prepares the statement once per connection."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def upsert(self, team: str, user: str, question: str, option: str) -> None:
        await self._pool.execute(POSTGRES_UPSERT, team, user, question, option, time.time())


@asynccontextmanager
async def open_answers(database: str) -> AsyncIterator[Answers]:
    """The answers table at the SQLAlchemy URL `database`, created if missing."""
    url = make_url(database)
    if url.get_backend_name() == "sqlite":
        async with aiosqlite.connect(url.database or ":memory:", isolation_level=None) as db:
            await db.execute("PRAGMA journal_mode=WAL")
            # As durable as the advisor's SQLite (its default): every commit waits for the disk.
            await db.execute("PRAGMA synchronous=FULL")
            await db.execute(SCHEMA)
            yield SqliteAnswers(db)
        return
    pool = await asyncpg.create_pool(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
        min_size=POOL_SIZE,
        max_size=POOL_SIZE,
        reset=_nothing_to_reset,
    )
    try:
        await pool.execute(SCHEMA)
        yield PostgresAnswers(pool)
    finally:
        await pool.close()


async def _nothing_to_reset(_: asyncpg.Connection) -> None:
    """The upsert leaves nothing on a connection to undo, so the floor skips asyncpg's default
    reset when one goes back to the pool (a query of its own: a second round trip per click),
    as the advisor's hot path does (`storage.db._nothing_to_reset`)."""
