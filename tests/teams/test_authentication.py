"""With an app id configured, `/api/messages` takes only activities the Bot Connector signed for
this bot; without one (the Emulator), anything, which is why it is served on loopback only.
Malformed requests get a clear 4xx and change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from tests.fakes.bot_connector import TENANT_ID, FakeConnector
from tests.fakes.bot_tokens import FakeBotTokens
from tests.teams.activities import BOT_APP_ID, USER, message
from tests.teams.conftest import OUTBOUND, TeamsWorld
from tests.teams.teams_side import texts


@pytest.fixture
def endpoint(signed_world: TeamsWorld) -> str:
    signed_world.connector.add_personal(USER)
    return signed_world.url


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


async def test_the_first_signed_activity_from_a_tenant_makes_its_organisation(
    signed_world: TeamsWorld,
) -> None:
    """The Bot Connector delivers activities only from tenants that installed the app, so the
    token proves the installation, even if its install event was missed."""
    conversation = signed_world.connector.add_personal(USER)
    said = message("help", service_url=signed_world.connector.service_url, locale="en-US")

    assert await signed_world.post(said) == 200

    assert await signed_world.core.organisations.find(f"teams:{TENANT_ID}") is not None
    assert signed_world.connector.sent(conversation)


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
    "body",
    [b"{not json", b"[1, 2]", b'{"type": "message"}', b"\xff" * 300_000],
    ids=["not json", "not an object", "no conversation", "over the size cap"],
)
async def test_without_a_token_anything_is_401_before_its_body_is_read(
    endpoint: str, fake_connector: FakeConnector, body: bytes
) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.post(endpoint, data=body, headers={"Content-Type": "application/json"}) as response,
    ):
        assert response.status == 401, "not 400 for what it says, nor 413 for its size"
        assert (await response.json())["error"]
    assert fake_connector.requests == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b'{"text": "no type"}', "application/json"),
        (b'{"type": "message"}', "application/json"),
        (b"type=message", "application/x-www-form-urlencoded"),
        ('{"type": "message"}'.encode("utf-16"), "application/json; charset=utf-16"),
        (b'{"type": "message", "text": "\xff"}', "application/json"),
        (b"[" * 100_000, "application/json"),
    ],
    ids=[
        "not json",
        "not an object",
        "no type",
        "no conversation",
        "a form",
        "another charset",
        "not utf-8",
        "nested too deep",
    ],
)
async def test_an_authenticated_request_that_is_no_activity_gets_400(
    endpoint: str,
    fake_connector: FakeConnector,
    fake_bot_tokens: FakeBotTokens,
    body: bytes,
    content_type: str,
) -> None:
    token = fake_bot_tokens.token(audience=BOT_APP_ID, service_url=fake_connector.service_url)
    headers = {"Content-Type": content_type, "Authorization": f"Bearer {token}"}
    async with (
        aiohttp.ClientSession() as http,
        http.post(endpoint, data=body, headers=headers) as response,
    ):
        assert response.status == 400
        assert (await response.json())["error"]
    assert fake_connector.requests == []


@pytest.mark.parametrize(
    "change",
    [
        {"value": {"advisor": "choice", "prompt": "q1"}},
        {"value": {"advisor": "form", "form": "launch", "language": "xx"}},
        {"value": ["advisor", "choice"]},
        {"type": "invoke", "name": "adaptiveCard/action", "value": {"action": {}}},
        {"channelData": "not an object"},
        {"from": {"id": ""}},
        {"serviceUrl": None},
        {"conversation": {"id": "a:1", "conversationType": "personal"}, "channelData": {}},
    ],
    ids=[
        "a choice without its choice",
        "a form in no language",
        "card data that is no object",
        "an invoke",
        "channel data that is no object",
        "a sender without an id",
        "no service url",
        "no tenant",
    ],
)
async def test_an_authenticated_activity_the_advisor_cannot_act_on_gets_400_and_no_answer(
    endpoint: str,
    fake_connector: FakeConnector,
    fake_bot_tokens: FakeBotTokens,
    change: dict[str, object],
) -> None:
    said = {**message("help", service_url=fake_connector.service_url), **change}
    token = fake_bot_tokens.token(audience=BOT_APP_ID, service_url=fake_connector.service_url)

    assert await _post(endpoint, said, token) == 400
    assert fake_connector.requests == []
