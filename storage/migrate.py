"""Schema migrations: bring a database up to date, or refuse one that is behind or ahead.

Alembic is imported only to migrate. Checking that a schema is current (every start) reads the
revision ids from the migration scripts' source and the database's `alembic_version` row:
Alembic itself, and its script directory that imports every migration, would cost a start
~35 MB and ~0.1 s to learn a handful of ids.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, inspect, text

from dialogs.ports import StorageError
from storage.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

UPGRADE_COMMAND = "advisor db upgrade"
_MIGRATIONS = Path(__file__).with_name("migrations")
_VERSION_TABLE = "alembic_version"
"""Where Alembic keeps the database's revision (its default name, which env.py keeps)."""
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
    from alembic.config import Config  # Alembic: only to migrate

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def revisions() -> dict[str, str | None]:
    """Each migration's revision id and the id of the one it revises (None for the first).

    Read from the scripts' module-level `revision` and `down_revision` assignments, which
    Alembic's template writes as plain literals, without importing the scripts.
    """
    found: dict[str, str | None] = {}
    for script in sorted((_MIGRATIONS / "versions").glob("*.py")):
        assigned = _literals(script, {"revision", "down_revision"})
        found[assigned["revision"]] = assigned.get("down_revision")
    return found


def _literals(script: Path, names: set[str]) -> dict[str, Any]:
    """The literal values a script assigns to `names` at module level."""
    values: dict[str, Any] = {}
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        targets: list[ast.expr]
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        elif isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id in names:
                values[target.id] = ast.literal_eval(value)
    return values


def _head() -> str:
    (head,) = set(revisions()) - set(revisions().values())
    return head


def _known_revisions() -> set[str]:
    return set(revisions())


def _current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table(_VERSION_TABLE):
        return None
    revision = connection.execute(text(f"SELECT version_num FROM {_VERSION_TABLE}")).scalar()
    return None if revision is None else str(revision)


def _upgrade(connection: Connection) -> None:
    from alembic import command  # Alembic: only to migrate

    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
    command.upgrade(_config(connection), "head")
