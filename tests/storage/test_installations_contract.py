"""The installation and OAuth state repositories, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from dialogs.ports import StorageError
from storage.db import Database
from storage.installations import SqlaInstallationRepository, SqlaStateRepository
from storage.secrets import SecretBox

OLD_KEY = "oZ0qXhZ6yq7yqJ9t1vQmH8f3cM2Vx5Yw4kR1nL0pTsA="
NEW_KEY = "Qm9vbGVhbi1zb3VwLWZvci10aGUtdGVzdHMtb25seSE="
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
TEN_MINUTES = timedelta(minutes=10)
BOT_TOKEN = "xoxb-1111-2222-bottokensecret"
USER_TOKEN = "xoxp-3333-4444-usertokensecret"


@pytest.fixture
def installations(database: Database) -> SqlaInstallationRepository:
    return SqlaInstallationRepository(database, SecretBox([NEW_KEY]))


@pytest.fixture
def states(database: Database) -> SqlaStateRepository:
    return SqlaStateRepository(database)


def bot(token: str = BOT_TOKEN, **more: Any) -> dict[str, Any]:
    return {"bot_token": token, "bot_scopes": ["chat:write", "commands"], **more}


def user(user_id: str, token: str = USER_TOKEN) -> dict[str, Any]:
    return {"user_id": user_id, "user_token": token, "bot_token": BOT_TOKEN}


async def raw_rows(database: Database, table: str) -> list[tuple[Any, ...]]:
    async with database.connection() as connection:
        return [tuple(row) for row in await connection.execute(text(f"SELECT * FROM {table}"))]


async def test_a_saved_bot_is_found_by_its_workspace(
    installations: SqlaInstallationRepository,
) -> None:
    await installations.save("slack", None, "T1", None, bot(), NOW)

    assert await installations.find_bot("slack", None, "T1") == bot()


async def test_a_workspace_without_installations_has_no_bot_and_no_users(
    installations: SqlaInstallationRepository,
) -> None:
    assert await installations.find_bot("slack", None, "T1") is None
    assert await installations.find_user("slack", None, "T1", None) is None
    assert await installations.find_user("slack", None, "T1", "U1") is None


async def test_a_document_comes_back_exactly_as_it_was_saved(
    installations: SqlaInstallationRepository,
) -> None:
    document = {
        "bot_token": BOT_TOKEN,
        "team_name": "Café Ünïcode 🚀",
        "installed_at": 1741000000.123456,
        "expires_at": None,
        "custom_values": {"nested": [1, 2.5, True, None]},
    }

    await installations.save("slack", "E1", "T1", None, document, NOW)

    assert await installations.find_bot("slack", "E1", "T1") == document


async def test_the_latest_installation_wins_whatever_order_it_was_saved_in(
    installations: SqlaInstallationRepository,
) -> None:
    await installations.save("slack", None, "T1", None, bot("xoxb-new"), LATER)
    await installations.save("slack", None, "T1", None, bot("xoxb-old"), NOW)
    await installations.save("slack", None, "T1", "U1", user("U1", "xoxp-new"), LATER)
    await installations.save("slack", None, "T1", "U1", user("U1", "xoxp-old"), NOW)

    assert await installations.find_bot("slack", None, "T1") == bot("xoxb-new")
    assert await installations.find_user("slack", None, "T1", "U1") == user("U1", "xoxp-new")


async def test_saving_again_at_the_same_moment_replaces_the_document(
    installations: SqlaInstallationRepository, database: Database
) -> None:
    await installations.save("slack", None, "T1", None, bot("xoxb-before-refresh"), NOW)
    await installations.save("slack", None, "T1", "U1", user("U1", "xoxp-before"), NOW)

    await installations.save("slack", None, "T1", None, bot("xoxb-after-refresh"), NOW)
    await installations.save("slack", None, "T1", "U1", user("U1", "xoxp-after"), NOW)

    assert await installations.find_bot("slack", None, "T1") == bot("xoxb-after-refresh")
    assert await installations.find_user("slack", None, "T1", "U1") == user("U1", "xoxp-after")
    assert len(await raw_rows(database, "installations")) == 2


async def test_a_users_installation_is_found_by_their_id_and_not_by_anothers(
    installations: SqlaInstallationRepository,
) -> None:
    await installations.save("slack", None, "T1", "U1", user("U1"), NOW)

    assert await installations.find_user("slack", None, "T1", "U1") == user("U1")
    assert await installations.find_user("slack", None, "T1", "U2") is None
    assert await installations.find_bot("slack", None, "T1") is None


async def test_without_a_user_id_the_latest_users_installation_is_found_never_the_bot(
    installations: SqlaInstallationRepository,
) -> None:
    await installations.save("slack", None, "T1", "U1", user("U1"), NOW)
    await installations.save("slack", None, "T1", "U2", user("U2"), NOW + timedelta(minutes=1))
    await installations.save("slack", None, "T1", None, bot(), LATER)

    assert await installations.find_user("slack", None, "T1", None) == user("U2")


async def test_workspaces_and_providers_are_kept_apart(
    installations: SqlaInstallationRepository,
) -> None:
    workspaces = [("slack", None, "T1"), ("slack", "E1", "T1"), ("slack", None, "T2")]
    workspaces += [("teams", None, "T1"), ("slack", "E1", None)]
    for number, (provider, enterprise, team) in enumerate(workspaces):
        await installations.save(provider, enterprise, team, None, bot(f"xoxb-{number}"), NOW)

    for number, (provider, enterprise, team) in enumerate(workspaces):
        found = await installations.find_bot(provider, enterprise, team)
        assert found == bot(f"xoxb-{number}"), (provider, enterprise, team)


async def test_an_enterprise_wide_install_is_found_from_any_team_of_its_enterprise(
    installations: SqlaInstallationRepository,
) -> None:
    await installations.save("slack", "E1", None, None, bot(), NOW)
    await installations.save("slack", "E1", None, "U1", user("U1"), NOW)

    assert await installations.find_bot("slack", "E1", "T7", is_enterprise_install=True) == bot()
    assert await installations.find_user(
        "slack", "E1", "T7", "U1", is_enterprise_install=True
    ) == user("U1")
    assert await installations.find_bot("slack", "E1", "T7") is None


async def test_a_workspace_install_is_not_found_as_an_enterprise_wide_one(
    installations: SqlaInstallationRepository,
) -> None:
    await installations.save("slack", "E1", "T1", None, bot(), NOW)

    assert await installations.find_bot("slack", "E1", "T1") == bot()
    assert await installations.find_bot("slack", "E1", "T1", is_enterprise_install=True) is None


async def _two_users_and_a_bot(installations: SqlaInstallationRepository) -> None:
    await installations.save("slack", None, "T1", None, bot(), NOW)
    await installations.save("slack", None, "T1", "U1", user("U1"), NOW)
    await installations.save("slack", None, "T1", "U2", user("U2"), LATER)
    await installations.save("slack", None, "T2", None, bot("xoxb-other"), NOW)


async def test_deleting_a_user_keeps_the_bot_and_the_other_users(
    installations: SqlaInstallationRepository,
) -> None:
    await _two_users_and_a_bot(installations)

    await installations.delete("slack", None, "T1", "U2")

    assert await installations.find_user("slack", None, "T1", "U2") is None
    assert await installations.find_user("slack", None, "T1", None) == user("U1")
    assert await installations.find_bot("slack", None, "T1") == bot()


async def test_deleting_without_a_user_forgets_every_user_but_keeps_the_bot(
    installations: SqlaInstallationRepository,
) -> None:
    await _two_users_and_a_bot(installations)

    await installations.delete("slack", None, "T1")

    assert await installations.find_user("slack", None, "T1", None) is None
    assert await installations.find_bot("slack", None, "T1") == bot()


async def test_deleting_the_bot_keeps_the_users(
    installations: SqlaInstallationRepository,
) -> None:
    await _two_users_and_a_bot(installations)

    await installations.delete_bot("slack", None, "T1")

    assert await installations.find_bot("slack", None, "T1") is None
    assert await installations.find_user("slack", None, "T1", "U1") == user("U1")


async def test_deleting_all_forgets_the_workspace_and_only_that_workspace(
    installations: SqlaInstallationRepository,
) -> None:
    await _two_users_and_a_bot(installations)

    await installations.delete_all("slack", None, "T1")

    assert await installations.find_bot("slack", None, "T1") is None
    assert await installations.find_user("slack", None, "T1", None) is None
    assert await installations.find_bot("slack", None, "T2") == bot("xoxb-other")


async def test_the_database_holds_the_lookup_keys_but_no_token_text(
    installations: SqlaInstallationRepository, database: Database
) -> None:
    await installations.save("slack", "E1", "T1", None, bot(), NOW)
    await installations.save("slack", "E1", "T1", "U1", user("U1"), NOW)

    rows = await raw_rows(database, "installations")

    stored = repr(rows)
    assert BOT_TOKEN not in stored
    assert USER_TOKEN not in stored
    assert "chat:write" not in stored
    assert {row[1:5] for row in rows} == {("slack", "E1", "T1", None), ("slack", "E1", "T1", "U1")}


async def test_a_wrong_key_is_a_storage_error_that_suggests_the_setting(
    installations: SqlaInstallationRepository, database: Database
) -> None:
    await installations.save("slack", None, "T1", None, bot(), NOW)

    with pytest.raises(StorageError) as raised:
        await SqlaInstallationRepository(database, SecretBox([OLD_KEY])).find_bot(
            "slack", None, "T1"
        )

    assert str(raised.value) == (
        "a stored secret could not be decrypted: wrong ADVISOR_ENCRYPTION_KEY?"
    )


async def test_a_rotated_key_still_opens_rows_written_under_the_old_one(
    database: Database,
) -> None:
    await SqlaInstallationRepository(database, SecretBox([OLD_KEY])).save(
        "slack", None, "T1", None, bot("xoxb-sealed-under-old-key"), NOW
    )

    rotated = SqlaInstallationRepository(database, SecretBox([NEW_KEY, OLD_KEY]))

    assert await rotated.find_bot("slack", None, "T1") == bot("xoxb-sealed-under-old-key")


async def test_reencrypting_moves_every_row_to_the_new_key(database: Database) -> None:
    old = SqlaInstallationRepository(database, SecretBox([OLD_KEY]))
    await old.save("slack", None, "T1", None, bot(), NOW)
    await old.save("slack", None, "T1", "U1", user("U1"), NOW)

    moved = await SqlaInstallationRepository(database, SecretBox([NEW_KEY, OLD_KEY])).reencrypt()

    new_only = SqlaInstallationRepository(database, SecretBox([NEW_KEY]))
    assert moved == 2
    assert await new_only.find_bot("slack", None, "T1") == bot()
    assert await new_only.find_user("slack", None, "T1", "U1") == user("U1")


async def test_reencrypting_without_the_old_key_fails_and_changes_nothing(
    database: Database,
) -> None:
    old = SqlaInstallationRepository(database, SecretBox([OLD_KEY]))
    await old.save("slack", None, "T1", None, bot(), NOW)
    before = await raw_rows(database, "installations")

    with pytest.raises(StorageError, match="wrong ADVISOR_ENCRYPTION_KEY"):
        await SqlaInstallationRepository(database, SecretBox([NEW_KEY])).reencrypt()

    assert await raw_rows(database, "installations") == before
    assert await old.find_bot("slack", None, "T1") == bot()


async def test_an_issued_state_is_consumed_once(states: SqlaStateRepository) -> None:
    await states.issue("state-1", NOW, TEN_MINUTES)

    assert await states.consume("state-1", NOW + timedelta(minutes=1)) is True
    assert await states.consume("state-1", NOW + timedelta(minutes=2)) is False


async def test_an_unknown_state_is_not_consumed(states: SqlaStateRepository) -> None:
    await states.issue("state-1", NOW, TEN_MINUTES)

    assert await states.consume("state-2", NOW) is False
    assert await states.consume("state-1", NOW) is True


async def test_a_state_is_good_until_the_moment_it_expires(states: SqlaStateRepository) -> None:
    await states.issue("just-in-time", NOW, TEN_MINUTES)
    await states.issue("too-late", NOW, TEN_MINUTES)

    just_before = NOW + TEN_MINUTES - timedelta(microseconds=1)
    assert await states.consume("just-in-time", just_before) is True
    assert await states.consume("too-late", NOW + TEN_MINUTES) is False


async def test_racing_consumers_of_one_state_succeed_once(states: SqlaStateRepository) -> None:
    await states.issue("state-1", NOW, TEN_MINUTES)

    results = await asyncio.gather(*(states.consume("state-1", NOW) for _ in range(5)))

    assert sorted(results) == [False, False, False, False, True]


async def test_issuing_a_state_forgets_the_ones_that_have_expired(
    states: SqlaStateRepository, database: Database
) -> None:
    await states.issue("stale", NOW, TEN_MINUTES)
    await states.issue("live", NOW + timedelta(minutes=5), TEN_MINUTES)

    await states.issue("fresh", NOW + TEN_MINUTES, TEN_MINUTES)

    assert sorted(row[0] for row in await raw_rows(database, "oauth_states")) == ["fresh", "live"]


async def test_issuing_the_same_state_twice_is_a_storage_error(
    states: SqlaStateRepository,
) -> None:
    await states.issue("state-1", NOW, TEN_MINUTES)

    with pytest.raises(StorageError):
        await states.issue("state-1", NOW, TEN_MINUTES)


@pytest.mark.parametrize("lifetime", [timedelta(0), timedelta(seconds=-1)])
async def test_a_state_must_live_a_while(states: SqlaStateRepository, lifetime: timedelta) -> None:
    with pytest.raises(ValueError, match="must live a while"):
        await states.issue("state-1", NOW, lifetime)
