"""A fresh database for every run: a SQLite file, or a new database on a PostgreSQL server."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from itertools import count
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from bench.databases import SERVER_URL, fresh_postgres

PG_TEST_SERVER = Path(__file__).resolve().parents[2] / "scripts" / "pg-test-server"
_numbers = count(1)


def test_server_url() -> str:
    """Start scripts/pg-test-server (if it is not running) and return its URL."""
    printed = subprocess.run([str(PG_TEST_SERVER)], check=True, capture_output=True, text=True)
    for line in printed.stdout.splitlines():
        name, _, url = line.partition("=")
        if name == "ADVISOR_TEST_POSTGRES_URL":
            return url.strip()
    return SERVER_URL


@asynccontextmanager
async def fresh_database(kind: str, folder: Path, server: str | None) -> AsyncIterator[str]:
    """A new, empty database's SQLAlchemy URL: a file in `folder` for "sqlite", a database
    created on the PostgreSQL `server` for "postgresql" (dropped afterwards)."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{folder / f'run-{next(_numbers)}.db'}"
        return
    if server is None:
        raise ValueError("PostgreSQL needs a server URL")
    async with fresh_postgres(server, "bench_clicks") as url:
        yield url


async def count_answers(url: str) -> int:
    """How many rows the `answers` table of the database at `url` holds."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        with closing(sqlite3.connect(parsed.database or "")) as connection:
            (rows,) = connection.execute("SELECT count(*) FROM answers").fetchone()
        return int(rows)
    connection = await asyncpg.connect(parsed.set(drivername="postgresql").render_as_string(False))
    try:
        return int(await connection.fetchval("SELECT count(*) FROM answers"))
    finally:
        await connection.close()
