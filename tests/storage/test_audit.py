"""The audit trail on SQLite and PostgreSQL: entries in order, per organisation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dialogs.audit import AuditEntry
from storage.audit import SqlaAuditLog
from storage.db import Database
from storage.repositories import SqlaOrganisationDirectory

NOW = datetime(2030, 6, 1, 9, 0, tzinfo=UTC)


async def test_entries_come_back_oldest_first_with_who_what_and_when(database: Database) -> None:
    org = await SqlaOrganisationDirectory(database).ensure("slack:T1", "Acme")
    audit = SqlaAuditLog(database)
    await audit.record(org.id, "slack:UPM", "close", {"scan": 2}, now=NOW + timedelta(hours=1))
    await audit.record(org.id, "slack:UPM", "launch", {"scan": 2}, now=NOW)
    await audit.record(
        org.id, None, "threshold", {"from": 5, "to": 7}, now=NOW + timedelta(hours=2)
    )

    assert await audit.entries(org.id) == [
        AuditEntry(NOW, "slack:UPM", "launch", {"scan": 2}),
        AuditEntry(NOW + timedelta(hours=1), "slack:UPM", "close", {"scan": 2}),
        AuditEntry(NOW + timedelta(hours=2), None, "threshold", {"from": 5, "to": 7}),
    ]


async def test_an_organisation_sees_only_its_own_entries(database: Database) -> None:
    directory = SqlaOrganisationDirectory(database)
    acme = await directory.ensure("slack:T1", "Acme")
    globex = await directory.ensure("slack:T2", "Globex")
    audit = SqlaAuditLog(database)
    await audit.record(acme.id, "slack:UA", "export", {"format": "csv"}, now=NOW)

    assert await audit.entries(globex.id) == []
    assert [entry.actor for entry in await audit.entries(acme.id)] == ["slack:UA"]


async def test_the_limit_keeps_the_latest_entries_still_oldest_first(database: Database) -> None:
    org = await SqlaOrganisationDirectory(database).ensure("slack:T1", "Acme")
    audit = SqlaAuditLog(database)
    for hour in range(5):
        await audit.record(org.id, None, "settings", {"n": hour}, now=NOW + timedelta(hours=hour))

    entries = await audit.entries(org.id, limit=2)

    assert [entry.detail["n"] for entry in entries] == [3, 4]


async def test_an_action_outside_the_vocabulary_is_refused(database: Database) -> None:
    org = await SqlaOrganisationDirectory(database).ensure("slack:T1", "Acme")

    with pytest.raises(ValueError, match="not an audited action"):
        await SqlaAuditLog(database).record(org.id, None, "peeked", {}, now=NOW)

    assert await SqlaAuditLog(database).entries(org.id) == []
