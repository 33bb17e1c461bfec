"""The SQL database itself: URLs, error wrapping and the guarantees the schema keeps."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, insert, make_url, select, text
from sqlalchemy.sql.expression import Executable

from dialogs.ports import StorageError
from storage.db import Database
from storage.models import OrganisationRow, ResponseRow, ScanRow
from storage.repositories import (
    SqlaConversationStore,
    SqlaOrganisationDirectory,
    SqlaScanRepository,
)
from tests.fakes.pg_wire import counting_proxy

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
PASSWORD = "s3cret-pass"


Use = Callable[[Database], Awaitable[object]]


def _through_sqlalchemy(database: Database) -> Awaitable[object]:
    return SqlaOrganisationDirectory(database).find("console:acme")


def _on_the_hot_path(database: Database) -> Awaitable[object]:
    """A conversation's read: on PostgreSQL it runs on asyncpg directly."""
    return SqlaConversationStore(database).load(1, "alice")


def _read_with_others(database: Database) -> Awaitable[object]:
    """An organisation's read: on a SQLite file it is read with any asked for meanwhile."""
    return SqlaOrganisationDirectory(database).get(1)


USES = pytest.mark.parametrize("use", [_through_sqlalchemy, _on_the_hot_path, _read_with_others])


async def _failure(url: str, use: Use) -> StorageError:
    database = Database(url)
    try:
        with pytest.raises(StorageError) as raised:
            await use(database)
    finally:
        await database.dispose()
    return raised.value


@USES
async def test_an_unreachable_server_is_a_storage_error_that_hides_the_password(use: Use) -> None:
    error = await _failure(f"postgresql+asyncpg://advisor:{PASSWORD}@127.0.0.1:1/advisor", use)

    assert PASSWORD not in str(error)
    assert "advisor:***@127.0.0.1:1/advisor" in str(error)
    assert isinstance(error.__cause__, OSError)


@pytest.mark.postgres
@USES
async def test_a_missing_postgres_database_is_a_storage_error_that_hides_the_password(
    postgres_url: str, use: Use
) -> None:
    url = make_url(postgres_url).set(password=PASSWORD, database="advisor_missing")

    error = await _failure(url.render_as_string(hide_password=False), use)

    assert PASSWORD not in str(error)
    assert "advisor_missing" in str(error)


@USES
async def test_a_sqlite_file_that_is_no_database_is_a_storage_error(
    tmp_path: Path, use: Use
) -> None:
    path = tmp_path / "advisor.db"
    path.write_text("not a database " * 100)

    error = await _failure(f"sqlite+aiosqlite:///{path}", use)

    assert "file is not a database" in str(error)


@pytest.mark.parametrize(
    "url",
    [
        f"mysql+aiomysql://advisor:{PASSWORD}@db/advisor",
        f"postgresql+psycopg2://advisor:{PASSWORD}@db/advisor",
        f"postgresql://advisor:{PASSWORD}@db:port/advisor",
        "not a url",
    ],
)
def test_an_unsupported_or_malformed_url_is_refused_without_the_password(url: str) -> None:
    with pytest.raises(StorageError) as raised:
        Database(url)

    assert PASSWORD not in str(raised.value)


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("sqlite:///advisor.db", "sqlite+aiosqlite"),
        ("postgresql://advisor@db/advisor", "postgresql+asyncpg"),
        ("postgresql+asyncpg://advisor@db/advisor", "postgresql+asyncpg"),
    ],
)
def test_a_url_without_a_driver_gets_the_async_one(url: str, driver: str) -> None:
    assert Database(url).url.drivername == driver


def test_the_shown_url_hides_the_password() -> None:
    database = Database(f"postgresql+asyncpg://advisor:{PASSWORD}@db/advisor")

    assert database.safe_url == "postgresql+asyncpg://advisor:***@db/advisor"


async def test_sqlite_enforces_foreign_keys_and_writes_ahead(sqlite_database: Database) -> None:
    async with sqlite_database.connection() as connection:
        foreign_keys = await connection.scalar(text("PRAGMA foreign_keys"))
        journal = await connection.scalar(text("PRAGMA journal_mode"))
        timeout = await connection.scalar(text("PRAGMA busy_timeout"))

    assert (foreign_keys, journal) == (1, "wal")
    assert timeout > 0


async def test_the_schema_allows_one_open_scan_per_organisation(database: Database) -> None:
    org = (await SqlaOrganisationDirectory(database).ensure("console:acme", "Acme")).id
    await SqlaScanRepository(database).open(org, bank_version=1, now=NOW)

    with pytest.raises(StorageError):
        async with database.session() as session:
            await session.execute(
                insert(ScanRow).values(org_id=org, number=2, bank_version=1, opened_at=NOW)
            )


async def test_the_schema_ties_a_response_to_a_scan_of_the_same_organisation(
    database: Database,
) -> None:
    directory = SqlaOrganisationDirectory(database)
    acme = (await directory.ensure("console:acme", "Acme")).id
    globex = (await directory.ensure("console:globex", "Globex")).id
    scan = await SqlaScanRepository(database).open(acme, bank_version=1, now=NOW)

    with pytest.raises(StorageError):
        async with database.session() as session:
            await session.execute(
                insert(ResponseRow).values(
                    org_id=globex, scan_id=scan.id, respondent="mallory", started_at=NOW
                )
            )


async def test_sqlite_transactions_of_one_process_run_one_after_the_other(
    sqlite_database: Database,
) -> None:
    # Overlapping, they would wait for SQLite's write lock asleep in the driver's threads.
    order: list[str] = []
    first_began = asyncio.Event()

    async def first() -> None:
        async with sqlite_database.session() as session:
            await session.execute(text("SELECT 1"))
            order.append("first began")
            first_began.set()
            await asyncio.sleep(0.05)  # the second asks for its transaction meanwhile
            order.append("first ends")

    async def second() -> None:
        await first_began.wait()
        async with sqlite_database.session() as session:
            order.append("second began")
            await session.execute(text("SELECT 1"))

    await asyncio.gather(first(), second())

    assert order == ["first began", "first ends", "second began"]


async def test_a_transaction_opened_inside_another_by_the_same_task_does_not_wait_for_it(
    sqlite_database: Database,
) -> None:
    async with asyncio.timeout(5), sqlite_database.session(), sqlite_database.session() as inner:
        assert await inner.scalar(text("SELECT 1")) == 1


def _missing_table(_: Database) -> Executable:
    return text("SELECT * FROM no_such_table")


async def test_reads_asked_at_once_each_get_their_own_rows_and_one_failing_fails_alone(
    database: Database,
) -> None:
    directory = SqlaOrganisationDirectory(database)
    made = [await directory.ensure(f"console:org{n}", f"Org {n}") for n in range(30)]
    hand_offs = _HandOffs(database)

    read = await asyncio.gather(
        *(directory.get(org.id) for org in made),
        database.rows(_missing_table, {}),
        return_exceptions=True,
    )

    assert read[:-1] == made
    assert isinstance(read[-1], StorageError)
    assert "no_such_table" in str(read[-1])
    if database.backend == "sqlite":
        assert hand_offs.count < len(made) / 2, "read one hand-off each"


class _HandOffs:
    """How many times the reader thread of a SQLite file took a connection: once a hand-off."""

    def __init__(self, database: Database) -> None:
        self.count = 0
        reader = database._reader  # what the test counts: its hand-offs
        if reader is not None:
            event.listen(reader._engine, "engine_connect", self._one)

    def _one(self, *_: object) -> None:
        self.count += 1


def _keys_of(database: Database) -> Executable:
    return select(OrganisationRow.key).where(database.one_of(OrganisationRow.id, "p_ids"))


def _ids_of(database: Database) -> Executable:
    return select(OrganisationRow.id).where(database.one_of(OrganisationRow.key, "p_keys"))


def _listed(database: Database) -> Executable:
    return (
        select(*OrganisationRow.__table__.columns)
        .where(
            database.one_of(OrganisationRow.id, "p_ids"),
            database.one_of(OrganisationRow.key, "p_keys"),
        )
        .order_by(OrganisationRow.id)
    )


async def test_the_hot_paths_rows_are_those_sqlalchemy_reads(database: Database) -> None:
    directory = SqlaOrganisationDirectory(database)
    made = [await directory.ensure(f"console:org{n}", f"Org {n}") for n in range(4)]
    async with database.session() as session:
        await session.execute(
            OrganisationRow.__table__.update()
            .where(OrganisationRow.id == made[1].id)
            .values(respect={"weekly_cap": 3}, leaving_since=NOW)
        )
    ids, keys = [org.id for org in made[:3]], [org.key for org in made[1:]]

    rows = await database.rows(_listed, {"p_ids": ids, "p_keys": keys})
    nothing = await database.rows(_listed, {"p_ids": [], "p_keys": keys})
    async with database.session() as session:  # SQLAlchemy's own execution and result
        expected = (await session.execute(_listed(database), {"p_ids": ids, "p_keys": keys})).all()

    assert [tuple(row) for row in rows] == [tuple(row) for row in expected]
    assert [row.key for row in rows] == keys[:2]
    assert rows[0].respect == {"weekly_cap": 3}
    assert rows[0].leaving_since == NOW
    assert rows[0].created_at.tzinfo is not None
    assert nothing == []


@pytest.mark.postgres
async def test_lists_bound_on_the_hot_path_cost_no_type_lookup_on_a_new_connection(
    postgres_database: Database,
) -> None:
    directory = SqlaOrganisationDirectory(postgres_database)
    made = [await directory.ensure(f"console:org{n}", f"Org {n}") for n in range(3)]
    url = postgres_database.url.render_as_string(hide_password=False)
    async with counting_proxy(f"{url}?ssl=disable") as (proxied, trips):
        database = Database(proxied)
        try:
            await database.open()
            trips_per_read = []
            for build, values in (
                (_keys_of, {"p_ids": [org.id for org in made[:2]]}),
                (_ids_of, {"p_keys": [org.key for org in made[1:]]}),
            ):
                before = trips.count
                rows = await database.rows(build, values)
                trips_per_read.append(trips.count - before)
                assert len(rows) == 2
        finally:
            await database.dispose()

    # One each: the statement prepared and run together. An array type asyncpg does not know
    # itself (varchar[], integer[]) made a new connection look it up first: three trips more.
    assert trips_per_read == [1, 1]
