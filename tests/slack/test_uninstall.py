"""Removing the app from a Slack workspace: its organisation is erased after the grace period,
not before, and installing the app again cancels that; Bolt still forgets the token."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import build_app
from bot.serve import keep
from bot.server import build_web_app
from bot.settings import load_settings
from bot.slack import listeners
from bot.slack.app import build_slack_app
from dialogs.records import Organisation
from tests.fakes.clock import FixedClock
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack.conftest import SECRET, SlackWorld, eventually
from tests.slack.test_oauth_flow import (
    ACME,
    CLIENT_ID,
    CLIENT_SECRET,
    GLOBEX,
    KEY,
    Distribution,
)

pytestmark = pytest.mark.filterwarnings(
    "ignore:BasicAuth is deprecated:DeprecationWarning:slack_sdk"
)


@pytest.fixture
async def workspaces(
    database_url: str, fake_slack_web_api: FakeSlackWebApi
) -> AsyncIterator[tuple[Distribution, FixedClock]]:
    """Many workspaces through OAuth, on a clock that stands still until a test moves it."""
    fake_slack_web_api.set_client(CLIENT_ID, CLIENT_SECRET)
    settings = load_settings(
        database_url=database_url,
        slack_signing_secret=SECRET,
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        encryption_key=KEY,
        slack_api_url=fake_slack_web_api.api_url,
    )
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    core = await build_app(settings, clock=clock)
    server = TestServer(build_web_app(core, build_slack_app(settings, core).bolt), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
            base = str(server.make_url("")).rstrip("/")
            yield Distribution(fake_slack_web_api, core, http, base), clock
    finally:
        await server.close()
        await core.close()


async def _in_use(world: Distribution, team_id: str, user: str) -> Organisation:
    """Someone in the workspace talks to the advisor, which makes its organisation."""
    world.api.add_user(user, team_id=team_id, locale="en-US")
    assert (await world.slack(team_id).direct_message(user, "help")).status == 200
    await world.replies(len(world.api.called("chat.postMessage")) + 1)
    org = await world.core.organisations.find(f"slack:{team_id}")
    assert org is not None
    return org


async def _leaving(world: Distribution, org: Organisation, clock: FixedClock) -> None:
    async def marked() -> bool:
        return await world.core.leaving.due(before=clock.now().replace(year=3000)) == [org.id]

    await eventually(marked)


async def test_uninstalling_erases_the_workspace_after_the_grace_period_and_not_before(
    workspaces: tuple[Distribution, FixedClock],
) -> None:
    world, clock = workspaces
    assert await world.install(ACME) == 200
    assert await world.install(GLOBEX) == 200
    acme = await _in_use(world, ACME.id, "U0ACME1")
    globex = await _in_use(world, GLOBEX.id, "U0GLOBEX1")

    assert (await world.slack(ACME.id).event({"type": "app_uninstalled"})).status == 200
    await _leaving(world, acme, clock)
    clock.advance(days=29)
    await keep(world.core)

    assert await world.core.organisations.get(acme.id) == acme
    assert await world.installations().async_find_bot(enterprise_id=None, team_id=ACME.id) is None
    assert [e.action for e in await world.core.audit.entries(acme.id)] == ["leaving"]

    clock.advance(days=2)
    await keep(world.core)

    assert await world.core.organisations.find(f"slack:{ACME.id}") is None
    assert await world.core.organisations.get(globex.id) == globex
    bot = await world.installations().async_find_bot(enterprise_id=None, team_id=GLOBEX.id)
    assert bot is not None


async def test_a_revoked_bot_token_starts_the_leave_and_a_revoked_user_token_does_not(
    workspaces: tuple[Distribution, FixedClock],
) -> None:
    world, clock = workspaces
    assert await world.install(ACME) == 200
    acme = await _in_use(world, ACME.id, "U0ACME1")
    slack = world.slack(ACME.id)

    users_only = {"type": "tokens_revoked", "tokens": {"oauth": [ACME.installer], "bot": []}}
    assert (await slack.event(users_only)).status == 200
    bot = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["B0ACME"]}}
    assert (await slack.event(bot)).status == 200
    await _leaving(world, acme, clock)

    entries = await world.core.audit.entries(acme.id)
    assert [dict(e.detail)["event"] for e in entries] == ["slack tokens_revoked"]


async def test_installing_again_within_the_grace_period_keeps_the_workspace(
    workspaces: tuple[Distribution, FixedClock],
) -> None:
    world, clock = workspaces
    assert await world.install(ACME) == 200
    acme = await _in_use(world, ACME.id, "U0ACME1")
    assert (await world.slack(ACME.id).event({"type": "app_uninstalled"})).status == 200
    await _leaving(world, acme, clock)
    clock.advance(days=5)

    assert await world.install(ACME) == 200
    clock.advance(days=30)
    await keep(world.core)

    assert await world.core.organisations.get(acme.id) == acme
    events = [dict(e.detail)["event"] for e in await world.core.audit.entries(acme.id)]
    assert events == ["slack app_uninstalled", "reinstalled"]


async def test_with_one_workspaces_token_an_uninstall_starts_the_leave_too(
    world: SlackWorld,
) -> None:
    world.api.add_user("U0ONE", locale="en-US")
    assert (await world.slack.direct_message("U0ONE", "help")).status == 200
    await world.settled("chat.postMessage", 1)
    org_id = (await _only_organisation(world)).id

    assert (await world.slack.event({"type": "app_uninstalled"})).status == 200

    async def marked() -> bool:
        return await world.core.leaving.due(before=world.clock.now().replace(year=3000)) == [org_id]

    await eventually(marked)


async def test_with_one_workspaces_token_hearing_from_the_workspace_again_keeps_it(
    world: SlackWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The operator installed the app again and set its new token: no install event comes,
    but the workspace's people do."""
    world.api.add_user("U0ONE", locale="en-US")
    assert (await world.slack.direct_message("U0ONE", "help")).status == 200
    await world.settled("chat.postMessage", 1)
    org_id = (await _only_organisation(world)).id
    assert (await world.slack.event({"type": "app_uninstalled"})).status == 200
    never = world.clock.now().replace(year=3000)

    async def marked() -> bool:
        return await world.core.leaving.due(before=never) == [org_id]

    await eventually(marked)

    later = time.monotonic() + listeners.ORG_ID_SECONDS + 1  # as a restarted process finds it
    monkeypatch.setattr(listeners.time, "monotonic", lambda: later)
    assert (await world.slack.direct_message("U0ONE", "help")).status == 200
    await world.settled("chat.postMessage", 2)

    assert await world.core.leaving.due(before=never) == []
    assert [e.action for e in await world.core.audit.entries(org_id)] == ["leaving", "leaving"]


async def _only_organisation(world: SlackWorld) -> Organisation:
    async with world.core.database.connection() as connection:
        key = (await connection.exec_driver_sql("SELECT key FROM organisations")).scalar_one()
    org = await world.core.organisations.find(str(key))
    assert org is not None
    return org


async def test_a_workspace_erased_and_installed_anew_is_served_by_a_running_process(
    workspaces: tuple[Distribution, FixedClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process that served the workspace before remembered its organisation's id; after
    the erasure and a new install it finds the new organisation, not the erased one."""
    world, clock = workspaces
    assert await world.install(ACME) == 200
    erased = await _in_use(world, ACME.id, "U0ACME1")
    assert (await world.slack(ACME.id).event({"type": "app_uninstalled"})).status == 200
    await _leaving(world, erased, clock)
    clock.advance(days=31)
    await keep(world.core)
    assert await world.core.organisations.get(erased.id) is None

    assert await world.install(ACME) == 200
    later = time.monotonic() + listeners.ORG_ID_SECONDS + 1
    monkeypatch.setattr(listeners.time, "monotonic", lambda: later)
    anew = await _in_use(world, ACME.id, "U0ACME2")  # answered, in the organisation made anew

    assert await world.core.organisations.get(anew.id) == anew
