"""Leaving on SQLite and PostgreSQL: marked, cancelled, due, and erased without a trace."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Column, Table, func, insert, select
from sqlalchemy.types import JSON, Date, DateTime, Integer, String

from storage.audit import SqlaAuditLog
from storage.db import Database, UTCDateTime
from storage.leaving import SqlaLeaving
from storage.models import Base, InstallationRow, OrganisationRow, SeenEventRow
from storage.repositories import TURN_SOURCE, SqlaOrganisationDirectory, delivery_id

NOW = datetime(2030, 6, 1, 9, 0, tzinfo=UTC)


async def test_a_marked_organisation_is_due_once_the_moment_has_passed(database: Database) -> None:
    directory, leaving = SqlaOrganisationDirectory(database), SqlaLeaving(database)
    acme = await directory.ensure("slack:T1", "Acme")
    await directory.ensure("slack:T2", "Globex")

    await leaving.mark(acme.id, now=NOW)

    assert await leaving.due(before=NOW) == []
    assert await leaving.due(before=NOW + timedelta(seconds=1)) == [acme.id]


async def test_marking_again_keeps_the_first_moment_and_one_audit_entry(database: Database) -> None:
    acme = await SqlaOrganisationDirectory(database).ensure("slack:T1", "Acme")
    leaving = SqlaLeaving(database)

    await leaving.mark(acme.id, now=NOW, reason="slack app_uninstalled")
    await leaving.mark(acme.id, now=NOW + timedelta(days=20), reason="slack tokens_revoked")

    assert await leaving.due(before=NOW + timedelta(days=1)) == [acme.id]
    entries = await SqlaAuditLog(database).entries(acme.id)
    assert [(e.action, dict(e.detail)) for e in entries] == [
        ("leaving", {"event": "slack app_uninstalled"})
    ]


async def test_staying_cancels_the_leave_and_says_so_in_the_trail(database: Database) -> None:
    acme = await SqlaOrganisationDirectory(database).ensure("slack:T1", "Acme")
    leaving = SqlaLeaving(database)
    await leaving.mark(acme.id, now=NOW)

    await leaving.stay(acme.id, now=NOW + timedelta(days=2))
    await leaving.stay(acme.id, now=NOW + timedelta(days=3))

    assert await leaving.due(before=NOW + timedelta(days=365)) == []
    entries = await SqlaAuditLog(database).entries(acme.id)
    assert [dict(e.detail)["event"] for e in entries] == ["removed", "reinstalled"]


async def test_forgetting_an_organisation_leaves_no_row_of_it_in_any_table(
    database: Database,
) -> None:
    directory = SqlaOrganisationDirectory(database)
    acme = await directory.ensure("slack:T0ACME", "Acme")
    globex = await directory.ensure("slack:T0GLOBEX", "Globex")
    for org_id, team in ((acme.id, "T0ACME"), (globex.id, "T0GLOBEX")):
        await _fill_every_table(database, org_id, team)
    assert await _rows_of(database, acme.id) == await _rows_of(database, globex.id)
    assert all(count > 0 for count in (await _rows_of(database, acme.id)).values())
    others = await _rows_of(database, globex.id)

    await SqlaLeaving(database).forget_organisation(acme.id)

    assert set((await _rows_of(database, acme.id)).values()) == {0}
    assert await _rows_of(database, globex.id) == others
    assert await directory.get(acme.id) is None
    assert await directory.get(globex.id) == globex


async def test_forgetting_an_unknown_organisation_changes_nothing(database: Database) -> None:
    acme = await SqlaOrganisationDirectory(database).ensure("slack:T0ACME", "Acme")
    await _fill_every_table(database, acme.id, "T0ACME")
    before = await _rows_of(database, acme.id)

    await SqlaLeaving(database).forget_organisation(acme.id + 1000)

    assert await _rows_of(database, acme.id) == before


async def _rows_of(database: Database, org_id: int) -> dict[str, int]:
    """Per table of the schema: the organisation's rows, by its id or by what its key names."""
    counts: dict[str, int] = {}
    async with database.session() as session:
        key = await session.scalar(select(OrganisationRow.key).where(OrganisationRow.id == org_id))
        counts["organisations"] = 0 if key is None else 1
        for table in Base.metadata.sorted_tables:
            if "org_id" in table.c:
                counts[table.name] = int(
                    await session.scalar(
                        select(func.count()).select_from(table).where(table.c.org_id == org_id)
                    )
                    or 0
                )
        counts["installations"] = int(
            await session.scalar(
                select(func.count())
                .select_from(InstallationRow)
                .where(InstallationRow.team_id == (key or "").removeprefix("slack:"))
            )
            or 0
        )
        counts["seen_events"] = int(
            await session.scalar(
                select(func.count())
                .select_from(SeenEventRow)
                .where(SeenEventRow.event_id == delivery_id(org_id, "turn-1"))
            )
            or 0
        )
    return counts


async def _fill_every_table(database: Database, org_id: int, team: str) -> None:
    """One row of the organisation in every table with an ``org_id``, every column filled, its
    references to other tables pointing at the organisation's own rows: a table added later is
    filled (and checked) without changing this test."""
    made: dict[str, dict[str, Any]] = {}
    async with database.session() as session:
        for table in Base.metadata.sorted_tables:
            if "org_id" not in table.c:
                continue
            row = {
                column.name: _value(table, column, org_id, made)
                for column in table.c
                if not _generated(column)
            }
            returned = (await session.execute(insert(table).values(row).returning(*table.c))).one()
            made[table.name] = dict(returned._mapping)
        await session.execute(
            insert(InstallationRow).values(
                provider="slack",
                enterprise_id=None,
                team_id=team,
                user_id=None,
                installed_at=NOW,
                document="sealed",
            )
        )
        await session.execute(
            insert(SeenEventRow).values(
                source=TURN_SOURCE, event_id=delivery_id(org_id, "turn-1"), seen_at=NOW
            )
        )


def _generated(column: Column[Any]) -> bool:
    return bool(column.primary_key and not column.foreign_keys and column.name == "id")


def _value(table: Table, column: Column[Any], org_id: int, made: dict[str, dict[str, Any]]) -> Any:
    if column.name == "org_id":
        return org_id
    for foreign in column.foreign_keys:
        referred = foreign.column
        return made[referred.table.name][referred.name]
    for constraint in table.foreign_key_constraints:
        if column.name in constraint.column_keys:
            referred_table = constraint.referred_table.name
            position = constraint.column_keys.index(column.name)
            referred = constraint.elements[position].column
            return made[referred_table][referred.name]
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return NOW
    if isinstance(kind, DateTime):
        return NOW.replace(tzinfo=None)
    if isinstance(kind, Date):
        return date(2030, 6, 1)
    if isinstance(kind, Integer):
        return org_id  # differs per organisation: some integers are unique across them
    if isinstance(kind, JSON):
        return {"x": 1}
    if isinstance(kind, String):
        return f"{table.name}-{org_id}"[: kind.length or 200]
    raise AssertionError(f"no test value for {table.name}.{column.name} ({kind!r})")
