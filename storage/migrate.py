"""Schema migrations: bring a database up to date, or refuse one that is behind or ahead."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from dialogs.ports import StorageError
from storage.db import Database

UPGRADE_COMMAND = "advisor db upgrade"
_MIGRATIONS = Path(__file__).with_name("migrations")
_UPGRADE_LOCK = 0x61647669736F72
"""A PostgreSQL advisory lock key ("advisor"), so workers starting together migrate once."""


class SchemaBehind(StorageError):
    """The database schema is older than this code and may not be upgraded automatically."""


class SchemaAhead(StorageError):
    """The database was migrated by a newer version of the advisor."""


async def upgrade(database: Database) -> None:
    """Migrate the database to the newest schema this code knows (a new database included)."""
    async with database.connection() as connection:
        await connection.run_sync(_upgrade)


async def schema_status(database: Database) -> tuple[str | None, str]:
    """The database's revision (None if it has no schema yet) and the newest revision known."""
    async with database.connection() as connection:
        current = await connection.run_sync(_current_revision)
    return current, _head()


async def prepare(database: Database, *, auto_upgrade: bool) -> None:
    """Make sure the schema matches this code before anything reads or writes.

    Args:
        database: the database to check.
        auto_upgrade: migrate a new or older database instead of refusing it.

    Raises:
        SchemaBehind: the schema is older and `auto_upgrade` is false.
        SchemaAhead: the schema is newer than this code knows.
    """
    current, head = await schema_status(database)
    if current == head:
        return
    if current is not None and current not in _known_revisions():
        raise SchemaAhead(
            f"The database {database.safe_url} is at schema revision {current}, which this "
            f"version of the advisor does not know (its newest is {head}): a newer advisor "
            "migrated it. Run that version, or point this one at another database."
        )
    if not auto_upgrade:
        shown = current or "none (a new database)"
        raise SchemaBehind(
            f"The database {database.safe_url} is at schema revision {shown}, and this advisor "
            f"needs revision {head}. Run `{UPGRADE_COMMAND}` to migrate it."
        )
    await upgrade(database)


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def _head() -> str:
    (head,) = _scripts().get_heads()
    return head


def _known_revisions() -> set[str]:
    return {script.revision for script in _scripts().walk_revisions()}


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
    command.upgrade(_config(connection), "head")
