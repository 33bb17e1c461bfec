"""Slack's OAuth stores on our database, driven with slack_sdk's own Installation objects."""

from __future__ import annotations

from typing import Any

import pytest
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import text

from bot.slack.oauth import SqlaSlackInstallationStore, SqlaSlackOAuthStateStore, workspace_key
from storage.db import Database
from storage.installations import SqlaInstallationRepository, SqlaStateRepository
from storage.secrets import SecretBox
from tests.fakes.clock import FixedClock

KEY = "Qm9vbGVhbi1zb3VwLWZvci10aGUtdGVzdHMtb25seSE="
INSTALLED_AT = 1741000000.123456
BOT_TOKEN = "xoxb-1111-2222-bottokensecret"
USER_TOKEN = "xoxp-3333-4444-usertokensecret"
REFRESH_TOKEN = "xoxe-1-refreshtokensecret"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> Database:
    """A migrated SQL database, SQLite and PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_database")


@pytest.fixture
def store(database: Database) -> SqlaSlackInstallationStore:
    return SqlaSlackInstallationStore(SqlaInstallationRepository(database, SecretBox([KEY])))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def states(database: Database, clock: FixedClock) -> SqlaSlackOAuthStateStore:
    return SqlaSlackOAuthStateStore(SqlaStateRepository(database), clock=clock)


def installation(
    *,
    user_id: str = "U1",
    bot_token: str | None = BOT_TOKEN,
    user_token: str | None = USER_TOKEN,
    installed_at: float = INSTALLED_AT,
    enterprise_id: str | None = None,
    team_id: str | None = "T1",
    **more: Any,
) -> Installation:
    return Installation(
        app_id="A0ADVISOR",
        enterprise_id=enterprise_id,
        team_id=team_id,
        team_name="Acme",
        bot_token=bot_token,
        bot_id="B1" if bot_token else None,
        bot_user_id="UBOT" if bot_token else None,
        bot_scopes=["chat:write", "commands"] if bot_token else "",
        user_id=user_id,
        user_token=user_token,
        user_scopes=["search:read"] if user_token else "",
        incoming_webhook_url="https://hooks.slack.com/services/T1/B1/hooksecret",
        incoming_webhook_channel="#general",
        installed_at=installed_at,
        **more,
    )


async def raw_installations(database: Database) -> list[tuple[Any, ...]]:
    async with database.connection() as connection:
        return [tuple(row) for row in await connection.execute(text("SELECT * FROM installations"))]


async def test_a_saved_installation_is_found_for_its_workspace_exactly_as_it_was(
    store: SqlaSlackInstallationStore,
) -> None:
    saved = installation(
        bot_refresh_token=REFRESH_TOKEN,
        bot_token_expires_at=1741043200,
        custom_values={"plan": "pilot"},
    )

    await store.async_save(saved)
    found = await store.async_find_installation(enterprise_id=None, team_id="T1")

    assert found is not None
    assert vars(found) == vars(saved)
    assert found.installed_at == INSTALLED_AT


async def test_the_bot_of_a_saved_installation_is_found(store: SqlaSlackInstallationStore) -> None:
    saved = installation()

    await store.async_save(saved)
    found = await store.async_find_bot(enterprise_id=None, team_id="T1")

    assert found is not None
    assert vars(found) == vars(saved.to_bot())


async def test_a_workspace_nobody_installed_has_no_bot_and_no_installation(
    store: SqlaSlackInstallationStore,
) -> None:
    await store.async_save(installation(team_id="T1"))

    assert await store.async_find_bot(enterprise_id=None, team_id="T2") is None
    assert await store.async_find_installation(enterprise_id=None, team_id="T2") is None


async def test_a_users_installation_carries_the_workspaces_latest_bot_token(
    store: SqlaSlackInstallationStore,
) -> None:
    await store.async_save(installation(user_id="U1", bot_token="xoxb-first", user_token="xoxp-1"))
    await store.async_save(
        installation(
            user_id="U2",
            bot_token="xoxb-latest",
            user_token="xoxp-2",
            installed_at=INSTALLED_AT + 60,
        )
    )

    first_user = await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U1")
    latest = await store.async_find_installation(enterprise_id=None, team_id="T1")

    assert first_user is not None
    assert (first_user.user_id, first_user.user_token) == ("U1", "xoxp-1")
    assert first_user.bot_token == "xoxb-latest"
    assert latest is not None
    assert (latest.user_id, latest.user_token, latest.bot_token) == ("U2", "xoxp-2", "xoxb-latest")


async def test_a_user_who_never_installed_has_no_installation(
    store: SqlaSlackInstallationStore,
) -> None:
    await store.async_save(installation(user_id="U1"))

    assert (
        await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U9") is None
    )


async def test_a_user_token_only_install_keeps_the_earlier_bot(
    store: SqlaSlackInstallationStore,
) -> None:
    await store.async_save(installation(user_id="U1"))
    await store.async_save(
        installation(
            user_id="U2", bot_token=None, user_token="xoxp-2", installed_at=INSTALLED_AT + 60
        )
    )

    bot = await store.async_find_bot(enterprise_id=None, team_id="T1")
    latest = await store.async_find_installation(enterprise_id=None, team_id="T1")

    assert bot is not None
    assert bot.bot_token == BOT_TOKEN
    assert latest is not None
    assert (latest.user_id, latest.user_token, latest.bot_token) == ("U2", "xoxp-2", BOT_TOKEN)


async def test_an_enterprise_wide_install_is_found_from_any_team_of_the_enterprise(
    store: SqlaSlackInstallationStore,
) -> None:
    await store.async_save(
        installation(enterprise_id="E1", team_id=None, is_enterprise_install=True)
    )

    bot = await store.async_find_bot(enterprise_id="E1", team_id="T9", is_enterprise_install=True)
    user = await store.async_find_installation(
        enterprise_id="E1", team_id="T9", user_id="U1", is_enterprise_install=True
    )

    assert bot is not None
    assert (bot.enterprise_id, bot.is_enterprise_install, bot.bot_token) == ("E1", True, BOT_TOKEN)
    assert user is not None
    assert user.user_token == USER_TOKEN
    assert await store.async_find_bot(enterprise_id="E1", team_id="T9") is None


async def test_refreshed_tokens_replace_the_installation_they_came_from(
    store: SqlaSlackInstallationStore, database: Database
) -> None:
    original = installation(bot_refresh_token=REFRESH_TOKEN, bot_token_expires_at=1741043200)
    await store.async_save(original)
    refreshed = Installation(
        **{
            **original.to_dict_for_copying(),
            "bot_token": "xoxb-refreshed",
            "bot_token_expires_at": 1741086400,
        }
    )

    await store.async_save(refreshed)

    found = await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U1")
    assert found is not None
    assert (found.bot_token, found.bot_token_expires_at) == ("xoxb-refreshed", 1741086400)
    assert len(await raw_installations(database)) == 2


async def test_revoking_a_users_tokens_keeps_the_bot(store: SqlaSlackInstallationStore) -> None:
    await store.async_save(installation(user_id="U1"))

    await store.async_delete_installation(enterprise_id=None, team_id="T1", user_id="U1")

    assert await store.async_find_installation(enterprise_id=None, team_id="T1") is None
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is not None


async def test_revoking_the_bot_token_leaves_no_bot_to_find(
    store: SqlaSlackInstallationStore,
) -> None:
    await store.async_save(installation())

    await store.async_delete_bot(enterprise_id=None, team_id="T1")

    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None


async def test_uninstalling_forgets_the_workspace_and_only_that_workspace(
    store: SqlaSlackInstallationStore,
) -> None:
    await store.async_save(installation(team_id="T1"))
    await store.async_save(installation(team_id="T2"))

    await store.async_delete_all(enterprise_id=None, team_id="T1")

    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None
    assert await store.async_find_installation(enterprise_id=None, team_id="T1") is None
    assert await store.async_find_installation(enterprise_id=None, team_id="T2") is not None


async def test_no_token_or_webhook_is_stored_in_clear_text(
    store: SqlaSlackInstallationStore, database: Database
) -> None:
    await store.async_save(installation(bot_refresh_token=REFRESH_TOKEN))

    stored = repr(await raw_installations(database))

    for secret in (BOT_TOKEN, USER_TOKEN, REFRESH_TOKEN, "hooksecret"):
        assert secret not in stored


async def test_an_installation_without_a_user_is_refused(
    store: SqlaSlackInstallationStore,
) -> None:
    with pytest.raises(ValueError, match="id of the user who installed it"):
        await store.async_save(installation(user_id=""))


async def test_bolt_takes_both_stores_as_its_oauth_settings(
    store: SqlaSlackInstallationStore, states: SqlaSlackOAuthStateStore
) -> None:
    settings = AsyncOAuthSettings(
        client_id="111.222",
        client_secret="client-secret",
        scopes=["chat:write"],
        installation_store=store,
        state_store=states,
    )

    assert settings.installation_store is store
    assert settings.state_store is states


async def test_an_issued_state_is_consumed_once(states: SqlaSlackOAuthStateStore) -> None:
    state = await states.async_issue()

    assert await states.async_consume(state) is True
    assert await states.async_consume(state) is False


async def test_a_state_expires_after_its_expiration_seconds(
    states: SqlaSlackOAuthStateStore, clock: FixedClock
) -> None:
    in_time = await states.async_issue()
    too_late = await states.async_issue()

    assert states.expiration_seconds == 10 * 60
    clock.advance(seconds=states.expiration_seconds - 1)
    assert await states.async_consume(in_time) is True
    clock.advance(seconds=1)
    assert await states.async_consume(too_late) is False


async def test_an_unknown_state_is_refused(states: SqlaSlackOAuthStateStore) -> None:
    assert await states.async_consume("made-up-state") is False


async def test_issued_states_are_long_and_never_repeat(states: SqlaSlackOAuthStateStore) -> None:
    issued = {await states.async_issue() for _ in range(20)}

    assert len(issued) == 20
    assert min(len(state) for state in issued) >= 40


async def test_without_a_clock_the_state_store_reads_the_system_time(database: Database) -> None:
    states = SqlaSlackOAuthStateStore(SqlaStateRepository(database), expiration_seconds=60)

    state = await states.async_issue()

    assert await states.async_consume(state) is True


@pytest.mark.parametrize(
    ("enterprise_id", "team_id", "is_enterprise_install", "key"),
    [
        (None, "T1", False, "slack:T1"),
        ("E1", "T1", False, "slack:T1"),
        ("E1", None, True, "slack:E1"),
        ("E1", "T1", True, "slack:E1"),
    ],
)
def test_the_workspace_key_names_the_enterprise_only_for_enterprise_wide_installs(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool, key: str
) -> None:
    assert workspace_key(enterprise_id, team_id, is_enterprise_install) == key


@pytest.mark.parametrize(
    ("enterprise_id", "team_id", "is_enterprise_install"),
    [(None, None, False), ("E1", None, False), (None, "T1", True)],
)
def test_a_workspace_key_without_the_id_it_needs_is_refused(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool
) -> None:
    with pytest.raises(ValueError, match="needs"):
        workspace_key(enterprise_id, team_id, is_enterprise_install)
