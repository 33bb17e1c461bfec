"""With an app id configured, `/api/messages` takes only activities the Bot Connector signed for
this bot; without one (the Emulator), anything, which is why it is served on loopback only.
Malformed requests get a clear 4xx and change nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import build_app
from bot.server import build_web_app
from bot.settings import load_settings
from bot.teams.app import MESSAGES_PATH, build_teams_bot
from tests.fakes.bot_connector import FakeConnector
from tests.fakes.bot_tokens import FakeBotTokens, FakeCredentialsFactory
from tests.teams.activities import BOT_APP_ID, USER, message
from tests.teams.teams_side import texts

OUTBOUND = "outbound-token-for-the-bot"


@pytest.fixture
async def endpoint(
    sqlite_url: str, fake_connector: FakeConnector, fake_bot_tokens: FakeBotTokens
) -> AsyncIterator[str]:
    settings = load_settings(
        database_url=sqlite_url,
        teams_app_id=BOT_APP_ID,
        teams_app_password="not-used-here",
        teams_openid_metadata_url=fake_bot_tokens.metadata_url,
    )
    core = await build_app(settings)
    bot = build_teams_bot(settings, core, credentials=FakeCredentialsFactory(BOT_APP_ID, OUTBOUND))
    fake_connector.expect_token(OUTBOUND)
    fake_connector.add_personal(USER)
    server = TestServer(build_web_app(core, None, bot), host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url(MESSAGES_PATH))
    finally:
        await server.close()
        await core.close()


async def _post(url: str, activity: dict[str, object], token: str | None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    async with (
        aiohttp.ClientSession() as http,
        http.post(url, json=activity, headers=headers) as response,
    ):
        return response.status


async def test_a_token_the_bot_connector_signed_for_this_bot_is_served_and_answered_with_a_token(
    endpoint: str, fake_connector: FakeConnector, fake_bot_tokens: FakeBotTokens
) -> None:
    said = message("help", service_url=fake_connector.service_url, locale="en-US")
    token = fake_bot_tokens.token(audience=BOT_APP_ID, service_url=fake_connector.service_url)

    assert await _post(endpoint, said, token) == 200

    (reply,) = fake_connector.sent(said["conversation"]["id"])
    assert texts(reply)
    assert {r.authorization for r in fake_connector.requests} == {f"Bearer {OUTBOUND}"}


@pytest.mark.parametrize(
    "forged",
    ["no token", "wrong audience", "expired", "signed by a stranger", "another service url"],
)
async def test_anything_else_gets_401_and_no_answer(
    endpoint: str, fake_connector: FakeConnector, fake_bot_tokens: FakeBotTokens, forged: str
) -> None:
    service_url = fake_connector.service_url
    said = message("help", service_url=service_url, locale="en-US")
    token: str | None = {
        "no token": None,
        "wrong audience": fake_bot_tokens.token(
            audience="00000000-0000-0000-0000-000000000000", service_url=service_url
        ),
        "expired": fake_bot_tokens.token(
            audience=BOT_APP_ID,
            service_url=service_url,
            now=datetime.now(UTC) - timedelta(hours=3),
        ),
        "signed by a stranger": fake_bot_tokens.token(
            audience=BOT_APP_ID, service_url=service_url, signed_by_stranger=True
        ),
        "another service url": fake_bot_tokens.token(
            audience=BOT_APP_ID, service_url="https://elsewhere.example/"
        ),
    }[forged]

    assert await _post(endpoint, said, token) == 401
    assert fake_connector.requests == []


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"text": "no type"}', "application/json", 400),
        (b'{"type": "message"}', "application/json", 400),
        (b"type=message", "application/x-www-form-urlencoded", 415),
    ],
)
async def test_a_malformed_request_gets_a_clear_4xx(
    endpoint: str, fake_connector: FakeConnector, body: bytes, content_type: str, status: int
) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.post(endpoint, data=body, headers={"Content-Type": content_type}) as response,
    ):
        assert response.status == status
        assert (await response.json())["error"]
    assert fake_connector.requests == []
