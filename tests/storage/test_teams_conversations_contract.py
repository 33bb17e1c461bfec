"""Teams conversation references on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from dialogs.ports import StorageError
from storage.db import Database
from storage.models import OrganisationRow, TeamsConversationRow
from storage.repositories import SqlaOrganisationDirectory
from storage.teams import SqlaTeamsConversations

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
ANN = "teams:29:1abc"
TEAM = "teams:#19:general@thread.tacv2"


def _reference(
    conversation: str, service_url: str = "https://smba.example/emea/"
) -> dict[str, Any]:
    return {
        "activityId": None,
        "bot": {"id": "28:advisor", "name": "SSRM advisor"},
        "channelId": "msteams",
        "conversation": {"id": conversation, "tenantId": "tenant-1", "isGroup": False},
        "serviceUrl": service_url,
        "user": {"id": "29:1abc", "aadObjectId": "aad-1"},
    }


async def _org(database: Database, key: str = "teams:tenant-1") -> int:
    return (await SqlaOrganisationDirectory(database).ensure(key, key)).id


async def test_a_remembered_reference_is_read_back_whole(database: Database) -> None:
    conversations = SqlaTeamsConversations(database)
    org = await _org(database)

    await conversations.remember(org, ANN, _reference("a:1"), name="Ann", now=NOW)

    assert await conversations.reference(org, ANN) == _reference("a:1")
    assert await conversations.name(org, ANN) == "Ann"
    assert await conversations.addresses(org) == [ANN]


async def test_remembering_again_replaces_the_reference_and_the_name(database: Database) -> None:
    conversations = SqlaTeamsConversations(database)
    org = await _org(database)
    await conversations.remember(org, ANN, _reference("a:1"), name="Ann", now=NOW)

    moved = _reference("a:2", service_url="https://smba.example/amer/")
    await conversations.remember(org, ANN, moved, name="Ann de Vries", now=NOW + HOUR)

    assert await conversations.reference(org, ANN) == moved
    assert await conversations.name(org, ANN) == "Ann de Vries"
    assert await conversations.addresses(org) == [ANN]


async def test_remembering_without_a_name_keeps_the_name_known(database: Database) -> None:
    conversations = SqlaTeamsConversations(database)
    org = await _org(database)
    await conversations.remember(org, ANN, _reference("a:1"), name="Ann", now=NOW)

    await conversations.remember(org, ANN, _reference("a:2"), name=None, now=NOW + HOUR)

    assert await conversations.reference(org, ANN) == _reference("a:2")
    assert await conversations.name(org, ANN) == "Ann"


async def test_an_unknown_address_has_no_reference_and_no_name(database: Database) -> None:
    conversations = SqlaTeamsConversations(database)
    org = await _org(database)
    await conversations.remember(org, TEAM, _reference("19:general"), name=None, now=NOW)

    assert await conversations.reference(org, ANN) is None
    assert await conversations.name(org, ANN) is None
    assert await conversations.name(org, TEAM) is None


async def test_another_organisation_never_sees_a_reference_at_the_same_address(
    database: Database,
) -> None:
    conversations = SqlaTeamsConversations(database)
    acme, other = await _org(database), await _org(database, "teams:tenant-2")
    await conversations.remember(acme, ANN, _reference("a:1"), name="Ann", now=NOW)

    assert await conversations.reference(other, ANN) is None
    assert await conversations.name(other, ANN) is None
    assert await conversations.addresses(other) == []

    await conversations.remember(other, ANN, _reference("b:1"), name="Ann B", now=NOW)
    await conversations.gone(other, ANN, now=NOW + HOUR)

    assert await conversations.reference(acme, ANN) == _reference("a:1")
    assert await conversations.name(acme, ANN) == "Ann"


async def test_a_gone_address_is_hidden_until_it_is_remembered_again(database: Database) -> None:
    conversations = SqlaTeamsConversations(database)
    org = await _org(database)
    await conversations.remember(org, ANN, _reference("a:1"), name="Ann", now=NOW)
    await conversations.remember(org, TEAM, _reference("19:general"), name="Sales", now=NOW)

    await conversations.gone(org, ANN, now=NOW + HOUR)

    assert await conversations.reference(org, ANN) is None
    assert await conversations.addresses(org) == [TEAM]
    assert await conversations.name(org, ANN) == "Ann", "the manager can be told who left"

    await conversations.remember(org, ANN, _reference("a:2"), name="Ann", now=NOW + 2 * HOUR)

    assert await conversations.reference(org, ANN) == _reference("a:2")
    assert await conversations.addresses(org) == [TEAM, ANN]


async def test_marking_an_unknown_address_gone_stores_nothing(database: Database) -> None:
    conversations = SqlaTeamsConversations(database)
    org = await _org(database)

    await conversations.gone(org, ANN, now=NOW)

    assert await conversations.addresses(org) == []
    assert await conversations.reference(org, ANN) is None


async def test_addresses_are_sorted_and_scoped(database: Database) -> None:
    conversations = SqlaTeamsConversations(database)
    org, other = await _org(database), await _org(database, "teams:tenant-2")
    for address in ("teams:29:zed", TEAM, ANN):
        await conversations.remember(org, address, _reference(address), name=None, now=NOW)
    await conversations.remember(other, "teams:29:bob", _reference("b"), name=None, now=NOW)

    assert await conversations.addresses(org) == sorted([ANN, TEAM, "teams:29:zed"])


async def test_ten_concurrent_remembers_of_one_address_leave_one_row(database: Database) -> None:
    conversations = SqlaTeamsConversations(database)
    org = await _org(database)

    await asyncio.gather(
        *(
            conversations.remember(
                org, ANN, _reference(f"a:{n}"), name=f"Ann {n}", now=NOW + n * HOUR
            )
            for n in range(10)
        )
    )

    async with database.session() as session:
        rows = await session.scalar(select(func.count()).where(TeamsConversationRow.org_id == org))
    assert rows == 1
    assert await conversations.addresses(org) == [ANN]
    reference = await conversations.reference(org, ANN)
    assert reference is not None
    winner = reference["conversation"]["id"].removeprefix("a:")
    assert reference == _reference(f"a:{winner}")
    assert await conversations.name(org, ANN) == f"Ann {winner}", "one write, not a mix"


async def test_a_reference_for_an_unknown_organisation_is_a_storage_error(
    database: Database,
) -> None:
    conversations = SqlaTeamsConversations(database)

    with pytest.raises(StorageError):
        await conversations.remember(404, ANN, _reference("a:1"), name="Ann", now=NOW)


async def test_deleting_an_organisation_deletes_its_references(database: Database) -> None:
    conversations = SqlaTeamsConversations(database)
    org = await _org(database)
    await conversations.remember(org, ANN, _reference("a:1"), name="Ann", now=NOW)

    async with database.session() as session:
        await session.execute(delete(OrganisationRow).where(OrganisationRow.id == org))

    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(TeamsConversationRow)) == 0
