"""Many workspaces through Slack's OAuth v2 flow: install pages, one-time states, one token each."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import text

from bot.app import App, build_app
from bot.server import build_web_app
from bot.settings import load_settings
from bot.slack.app import BOT_SCOPES, INSTALL_PATH, REDIRECT_PATH, build_slack_app
from bot.slack.oauth import SqlaSlackInstallationStore
from storage.db import Database
from storage.installations import SqlaInstallationRepository
from storage.secrets import SecretBox
from tests.fakes.slack_api import AUTHORIZE_URL, FakeSlackWebApi
from tests.slack.conftest import SECRET, SETTLE_SECONDS, eventually
from tests.slack.slack_side import SlackSide

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret-for-the-tests"
KEY = "Qm9vbGVhbi1zb3VwLWZvci10aGUtdGVzdHMtb25seSE="
STATE_COOKIE = "slack-app-oauth-state"
"""Bolt binds a state to the browser that asked for it with this cookie."""

# slack_sdk sends the client credentials of oauth.v2.access with aiohttp.BasicAuth, which
# aiohttp 3.14 deprecates (aio-libs/aiohttp#12499); it still works, and only tests see it.
pytestmark = pytest.mark.filterwarnings(
    "ignore:BasicAuth is deprecated:DeprecationWarning:slack_sdk"
)


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    installer: str
    bot_token: str


ACME = Team("T0ACME", "Acme", "U0ACMEADMIN", "xoxb-acme-1111-bottoken")
GLOBEX = Team("T0GLOBEX", "Globex", "U0GLOBEXADMIN", "xoxb-globex-2222-bottoken")


@dataclass(frozen=True)
class InstallPage:
    status: int
    link: str
    """Slack's authorize URL the page links to."""
    cookie: str
    """The state cookie the page set in the browser."""


def authorize_link(page: str) -> str:
    """The link to Slack's authorize page in an install page's HTML."""
    found = re.search(rf'href="({re.escape(AUTHORIZE_URL)}\?[^"]*)"', page)
    if found is None:
        raise AssertionError(f"no link to Slack's authorize page in: {page}")
    return html.unescape(found.group(1))


async def open_install_page(http: aiohttp.ClientSession, url: str) -> InstallPage:
    async with http.get(url) as response:
        page = await response.text()
        cookie = response.cookies.get(STATE_COOKIE)
        return InstallPage(
            response.status, authorize_link(page), cookie.value if cookie is not None else ""
        )


async def follow_redirect(
    http: aiohttp.ClientSession, url: str, query: dict[str, str], cookie: str
) -> int:
    """The browser comes back from Slack to the redirect URL, carrying its state cookie."""
    headers = {"Cookie": f"{STATE_COOKIE}={cookie}"}
    async with http.get(url, params=query, headers=headers) as response:
        await response.read()
        return response.status


@dataclass
class Distribution:
    api: FakeSlackWebApi
    core: App
    http: aiohttp.ClientSession
    base_url: str

    def slack(self, team_id: str) -> SlackSide:
        return SlackSide(self.http, f"{self.base_url}/slack/events", SECRET, team_id)

    async def install_page(self) -> InstallPage:
        return await open_install_page(self.http, f"{self.base_url}{INSTALL_PATH}")

    async def redirect(self, query: dict[str, str], cookie: str) -> int:
        return await follow_redirect(self.http, f"{self.base_url}{REDIRECT_PATH}", query, cookie)

    async def install(self, team: Team) -> int:
        """Open the install page, approve it at Slack for `team`, come back: the final status."""
        page = await self.install_page()
        approved = self.api.authorize(
            page.link,
            team_id=team.id,
            team_name=team.name,
            installer=team.installer,
            bot_token=team.bot_token,
        )
        return await self.redirect(approved, page.cookie)

    def installations(self) -> SqlaSlackInstallationStore:
        box = SecretBox.from_setting(KEY)
        return SqlaSlackInstallationStore(SqlaInstallationRepository(self.core.database, box))

    async def replies(self, count: int) -> list[tuple[str | None, dict[str, Any]]]:
        """The token and params of the first `count` chat.postMessage calls, once made."""
        async with asyncio.timeout(SETTLE_SECONDS):
            await self.api.wait_for("chat.postMessage", count)
        return [(c.token, c.params) for c in self.api.calls if c.method == "chat.postMessage"]


@pytest.fixture
async def world(
    database_url: str, fake_slack_web_api: FakeSlackWebApi
) -> AsyncIterator[Distribution]:
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
    core = await build_app(settings)
    server = TestServer(build_web_app(core, build_slack_app(settings, core).bolt), host="127.0.0.1")
    await server.start_server()
    # A browser that keeps no cookies: each test sends the state cookie it means to send.
    jar = aiohttp.DummyCookieJar()
    try:
        async with aiohttp.ClientSession(cookie_jar=jar) as http:
            yield Distribution(fake_slack_web_api, core, http, str(server.make_url("")).rstrip("/"))
    finally:
        await server.close()
        await core.close()


async def raw_installations(database: Database) -> str:
    async with database.connection() as connection:
        rows = await connection.execute(text("SELECT * FROM installations"))
        return repr([tuple(row) for row in rows])


async def test_the_install_page_links_to_slacks_authorize_page_with_our_client_id_and_a_state(
    world: Distribution,
) -> None:
    page = await world.install_page()

    assert page.status == 200
    query = parse_qs(urlsplit(page.link).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"] == [",".join(BOT_SCOPES)]
    assert query["state"] == [page.cookie]
    assert len(page.cookie) >= 32


async def test_each_visit_to_the_install_page_gets_a_new_state(world: Distribution) -> None:
    first, second = await world.install_page(), await world.install_page()

    assert first.cookie != second.cookie


async def test_an_install_exchanges_the_code_and_stores_the_bot_token_encrypted(
    world: Distribution,
) -> None:
    assert await world.install(ACME) == 200

    exchanged = world.api.called("oauth.v2.access")
    assert len(exchanged) == 1
    assert exchanged[0]["client_id"] == CLIENT_ID
    bot = await world.installations().async_find_bot(enterprise_id=None, team_id=ACME.id)
    assert bot is not None
    assert (bot.bot_token, bot.team_id, bot.bot_scopes) == (
        ACME.bot_token,
        ACME.id,
        list(BOT_SCOPES),
    )
    stored = await raw_installations(world.core.database)
    assert ACME.id in stored
    assert ACME.bot_token not in stored
    assert "bottoken" not in stored


async def test_a_state_works_only_once(world: Distribution) -> None:
    page = await world.install_page()
    approved = world.api.authorize(
        page.link,
        team_id=ACME.id,
        team_name=ACME.name,
        installer=ACME.installer,
        bot_token=ACME.bot_token,
    )
    assert await world.redirect(approved, page.cookie) == 200
    again = world.api.authorize(
        page.link,
        team_id=GLOBEX.id,
        team_name=GLOBEX.name,
        installer=GLOBEX.installer,
        bot_token=GLOBEX.bot_token,
    )

    assert await world.redirect(again, page.cookie) == 401
    assert len(world.api.called("oauth.v2.access")) == 1
    assert await world.installations().async_find_bot(enterprise_id=None, team_id=GLOBEX.id) is None


async def test_a_state_the_advisor_never_issued_is_refused(world: Distribution) -> None:
    forged = "forged-state-0123456789abcdefghijklmnopqrstuvwxyz"
    world.api.grant(
        "code-forged",
        team_id=ACME.id,
        team_name=ACME.name,
        installer=ACME.installer,
        bot_token=ACME.bot_token,
        scopes=BOT_SCOPES,
    )

    status = await world.redirect({"code": "code-forged", "state": forged}, forged)

    assert status == 401
    assert world.api.called("oauth.v2.access") == []
    assert await world.installations().async_find_bot(enterprise_id=None, team_id=ACME.id) is None


async def test_a_state_brought_back_by_another_browser_is_refused(world: Distribution) -> None:
    page = await world.install_page()
    approved = world.api.authorize(
        page.link,
        team_id=ACME.id,
        team_name=ACME.name,
        installer=ACME.installer,
        bot_token=ACME.bot_token,
    )

    status = await world.redirect(approved, cookie="another-browsers-state")

    assert status == 400
    assert world.api.called("oauth.v2.access") == []


async def test_each_workspace_is_answered_with_its_own_token_in_its_own_organisation(
    world: Distribution,
) -> None:
    assert await world.install(ACME) == 200
    assert await world.install(GLOBEX) == 200
    world.api.add_user("U0ACME1", team_id=ACME.id, locale="en-US")
    world.api.add_user("U0GLOBEX1", team_id=GLOBEX.id, locale="en-US")

    assert (await world.slack(ACME.id).direct_message("U0ACME1", "help")).status == 200
    acme_reply = (await world.replies(1))[0]
    assert (await world.slack(GLOBEX.id).direct_message("U0GLOBEX1", "help")).status == 200
    globex_reply = (await world.replies(2))[1]

    assert acme_reply[0] == ACME.bot_token
    assert acme_reply[1]["channel"] == "DU0ACME1"
    assert globex_reply[0] == GLOBEX.bot_token
    assert globex_reply[1]["channel"] == "DU0GLOBEX1"
    acme = await world.core.organisations.find(f"slack:{ACME.id}")
    globex = await world.core.organisations.find(f"slack:{GLOBEX.id}")
    assert acme is not None
    assert globex is not None
    assert acme.id != globex.id


async def test_a_workspaces_token_is_checked_with_slack_once_not_before_every_request(
    world: Distribution,
) -> None:
    assert await world.install(ACME) == 200
    world.api.add_user("U0ACME1", team_id=ACME.id, locale="en-US")
    checks_after_install = len(world.api.called("auth.test"))

    for number in range(3):
        assert (await world.slack(ACME.id).direct_message("U0ACME1", "help")).status == 200
        await world.replies(number + 1)

    assert len(world.api.called("auth.test")) - checks_after_install == 1


async def test_a_workspace_that_never_installed_the_app_gets_no_reply_and_nothing_is_stored(
    world: Distribution,
) -> None:
    assert await world.install(ACME) == 200
    world.api.add_user("U0STRANGER", team_id="T0STRANGER", locale="en-US")
    organisations_before = await _count(world.core.database, "organisations")

    response = await world.slack("T0STRANGER").direct_message("U0STRANGER", "scan")

    # Bolt refuses before any listener starts, so the response marks the end of the request;
    # 200 keeps Slack from retrying an event no installation can answer.
    assert response.status == 200
    assert world.api.called("chat.postMessage") == []
    assert await world.core.organisations.find("slack:T0STRANGER") is None
    assert await _count(world.core.database, "organisations") == organisations_before
    assert await _count(world.core.database, "conversations") == 0


async def test_uninstalling_the_app_forgets_that_workspaces_token_and_no_other(
    world: Distribution,
) -> None:
    assert await world.install(ACME) == 200
    assert await world.install(GLOBEX) == 200

    response = await world.slack(ACME.id).event({"type": "app_uninstalled"})

    assert response.status == 200
    installations = world.installations()

    async def forgotten() -> bool:
        return await installations.async_find_bot(enterprise_id=None, team_id=ACME.id) is None

    await eventually(forgotten)
    assert await installations.async_find_bot(enterprise_id=None, team_id=GLOBEX.id) is not None


async def _count(database: Database, table: str) -> int:
    async with database.connection() as connection:
        return int((await connection.execute(text(f"SELECT COUNT(*) FROM {table}"))).scalar_one())
