"""The schema migrations: they match the models, and `prepare` guards the schema version."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

import storage
from storage.db import Database
from storage.migrate import SchemaAhead, SchemaBehind, prepare, schema_status, upgrade
from storage.models import Base
from storage.repositories import SqlaOrganisationDirectory

HEAD = "0009"


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    return list(compare_metadata(context, Base.metadata))


async def test_the_migrations_create_exactly_the_tables_of_the_models(database: Database) -> None:
    async with database.connection() as connection:
        differences = await connection.run_sync(_differences)

    assert differences == []


async def test_the_models_would_show_a_difference_the_migrations_lack(database: Database) -> None:
    async with database.connection() as connection:
        await connection.execute(text("DROP INDEX uq_scans_org_id_open"))
        differences = await connection.run_sync(_differences)

    assert [difference[0] for difference in differences] == ["add_index"]


async def test_a_new_database_has_no_revision(database_url: str) -> None:
    database = Database(database_url)
    try:
        assert await schema_status(database) == (None, HEAD)
    finally:
        await database.dispose()


async def test_prepare_refuses_a_new_database_and_names_the_upgrade_command(
    database_url: str,
) -> None:
    database = Database(database_url)
    try:
        with pytest.raises(SchemaBehind) as raised:
            await prepare(database, auto_upgrade=False)
        assert await schema_status(database) == (None, HEAD)
    finally:
        await database.dispose()

    assert "`advisor db upgrade`" in str(raised.value)
    assert f"needs revision {HEAD}" in str(raised.value)
    assert "at schema revision none" in str(raised.value)


async def test_prepare_upgrades_a_new_database_when_allowed(database_url: str) -> None:
    database = Database(database_url)
    try:
        await prepare(database, auto_upgrade=True)

        assert await schema_status(database) == (HEAD, HEAD)
        assert await SqlaOrganisationDirectory(database).ensure("console:acme", "Acme")
    finally:
        await database.dispose()


async def test_prepare_accepts_an_up_to_date_database(database: Database) -> None:
    await prepare(database, auto_upgrade=False)

    assert await schema_status(database) == (HEAD, HEAD)


async def test_upgrading_an_up_to_date_database_changes_nothing(database: Database) -> None:
    organisation = await SqlaOrganisationDirectory(database).ensure("console:acme", "Acme")

    await upgrade(database)

    assert await SqlaOrganisationDirectory(database).get(organisation.id) == organisation


@pytest.mark.parametrize("auto_upgrade", [True, False])
async def test_prepare_refuses_a_database_migrated_by_a_newer_advisor(
    database: Database, auto_upgrade: bool
) -> None:
    async with database.connection() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))

    with pytest.raises(SchemaAhead) as raised:
        await prepare(database, auto_upgrade=auto_upgrade)

    assert "9999" in str(raised.value)
    assert HEAD in str(raised.value)
    assert await schema_status(database) == ("9999", HEAD)


def _downgrade(connection: Connection, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(storage.__file__).with_name("migrations")))
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_the_teams_conversations_migration_steps_down_and_up_again(
    database: Database,
) -> None:
    async with database.connection() as connection:
        await connection.run_sync(_downgrade, "0005")
        below = await connection.run_sync(_tables)
    assert await schema_status(database) == ("0005", HEAD)

    await upgrade(database)
    async with database.connection() as connection:
        differences = await connection.run_sync(_differences)

    assert "teams_conversations" not in below
    assert await schema_status(database) == (HEAD, HEAD)
    assert differences == []


def test_the_developer_alembic_ini_migrates_a_database_on_its_own_engine(tmp_path: Path) -> None:
    config = Config(Path(storage.__file__).with_name("alembic.ini"))
    config.set_main_option("sqlalchemy.url", f"sqlite+aiosqlite:///{tmp_path / 'dev.db'}")

    command.upgrade(config, "head")

    assert (tmp_path / "dev.db").exists()
