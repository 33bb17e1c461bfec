"""Database fixtures: a fresh SQLite file or PostgreSQL database per test, empty or migrated."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from storage.db import Database
from storage.migrate import upgrade

POSTGRES_URL_VARIABLE = "ADVISOR_TEST_POSTGRES_URL"
_HOW_TO_START = (
    'start one with `eval "$(scripts/pg-test-server)" && export ADVISOR_TEST_POSTGRES_URL` '
    "(it prints e.g. postgresql+asyncpg://postgres@127.0.0.1:54329/postgres)"
)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a SQLite file that does not exist yet."""
    return f"sqlite+aiosqlite:///{tmp_path / 'advisor.db'}"


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test.

    Skipped without ADVISOR_TEST_POSTGRES_URL, except on CI (CI=true), where that fails.
    """
    server = os.environ.get(POSTGRES_URL_VARIABLE)
    if not server:
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"{POSTGRES_URL_VARIABLE} is not set and CI=true: {_HOW_TO_START}", pytrace=False
            )
        pytest.skip(f"no PostgreSQL: {POSTGRES_URL_VARIABLE} is not set; {_HOW_TO_START}")
    name = f"advisor_test_{uuid4().hex}"
    maintenance = create_async_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with maintenance.connect() as connection:
            await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
        async with maintenance.connect() as connection:
            await connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await maintenance.dispose()


@pytest.fixture
async def sqlite_database(sqlite_url: str) -> AsyncIterator[Database]:
    """A migrated SQLite database in a fresh file."""
    async with _migrated(sqlite_url) as database:
        yield database


@pytest.fixture
async def postgres_database(postgres_url: str) -> AsyncIterator[Database]:
    """A migrated, freshly created PostgreSQL database."""
    async with _migrated(postgres_url) as database:
        yield database


@asynccontextmanager
async def _migrated(url: str) -> AsyncIterator[Database]:
    database = Database(url)
    try:
        await upgrade(database)
        yield database
    finally:
        await database.dispose()
