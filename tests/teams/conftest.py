"""The advisor served over HTTP with Teams enabled, its Bot Connector a fake on loopback: without
an app id (as with the Emulator), or with one and every activity signed by a fake token issuer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from botframework.connector.auth import ServiceClientCredentialsFactory

from bot.app import App, build_app
from bot.server import build_web_app
from bot.settings import Settings, load_settings
from bot.teams.app import MESSAGES_PATH, TeamsBot, build_teams_bot
from dialogs.records import NewTask
from engine.text import text
from engine.vocabulary import TaskKind
from tests.fakes.bot_connector import (
    TENANT_ID,
    FakeConnector,
    fake_connector,
    personal_conversation_id,
)
from tests.fakes.bot_tokens import FakeBotTokens, FakeCredentialsFactory, fake_bot_tokens
from tests.fakes.clock import FixedClock
from tests.teams.activities import BOT_APP_ID, card_submit, installed_personal, message

__all__ = ["fake_bot_tokens", "fake_connector"]

Json = dict[str, Any]
OUTBOUND = "outbound-token-for-the-bot"
"""What the fake Azure AD gives the bot for calling the connector."""
MONDAY_TEN = datetime(2026, 11, 23, 10, 0)  # noqa: DTZ001 - a wall-clock time in the task's zone


@dataclass
class TeamsWorld:
    connector: FakeConnector
    core: App
    bot: TeamsBot
    http: aiohttp.ClientSession
    url: str
    clock: FixedClock
    tokens: FakeBotTokens | None = None
    """The Bot Connector's token issuer, when the bot has an app id."""

    def token(self) -> str:
        """A token the Bot Connector would send with an activity for this bot."""
        assert self.tokens is not None, "this world's bot has no app id"
        return self.tokens.token(audience=BOT_APP_ID, service_url=self.connector.service_url)

    async def installs(self, person: Json, *, locale: str = "en-US") -> str:
        """`person` adds the app for themselves, which opens their chat; its id."""
        conversation = self.connector.add_personal(person)
        su = self.connector.service_url
        for activity in installed_personal(user=person, service_url=su, locale=locale):
            assert await self.post(activity) == 200
        return conversation

    async def task_due(self, person: Json) -> int:
        """`person`, made their organisation's manager, adopts a weekly task that is due in
        five minutes' time (a nudge and the digest with it); the organisation's id."""
        org = await self.core.organisations.find(f"teams:{TENANT_ID}")
        assert org is not None, f"{person['name']} has not installed the app"
        who = f"teams:{person['id']}"
        org = await self.core.organisations.update_settings(
            org.id, replace(org.settings, manager=who, time_zone="UTC")
        )
        post = NewTask(
            "post", TaskKind.POST, text("Post", "Post"), who, "FREQ=WEEKLY", MONDAY_TEN, "UTC"
        )
        await self.core.activation.tasks.adopt(org.id, [post], by=who, now=self.clock.now())
        self.clock.set(datetime.fromisoformat("2026-11-23T10:05:00+00:00"))
        return org.id

    def says(
        self, person: Json, text: str, *, conversation: str | None = None, locale: str = "en-US"
    ) -> Json:
        """`person` writing `text` in their chat with the advisor (or in `conversation`)."""
        return message(
            text,
            user=person,
            conversation_id=conversation or personal_conversation_id(str(person["id"])),
            service_url=self.connector.service_url,
            locale=locale,
        )

    def presses(self, person: Json, card: Json, value: Json, *, locale: str = "en-US") -> Json:
        """`person` pressing a button with `value` on `card`, in their chat with the advisor."""
        return card_submit(
            value,
            reply_to_id=card["id"],
            user=person,
            conversation_id=personal_conversation_id(str(person["id"])),
            service_url=self.connector.service_url,
            locale=locale,
        )

    async def post(
        self, activity: Json, *, headers: dict[str, str] | None = None, settle: bool = True
    ) -> int:
        """Hand the advisor one activity, as Teams does (signed, if the bot has an app id and
        no `headers` are given), and wait for what it does after (unless not `settle`: then
        only for its answer)."""
        if headers is None and self.tokens is not None:
            headers = {"Authorization": f"Bearer {self.token()}"}
        async with self.http.post(self.url, json=activity, headers=headers) as response:
            status = response.status
        if settle:
            await self.bot.surface.idle()
        return status

    async def send_due_nudges(self) -> None:
        """What `advisor serve`'s nudging tick does: plan, then send everything due."""
        await self.core.activation.planner.plan_all()
        dispatcher = self.core.dispatcher(self.bot.delivery, worker="test")
        while (await dispatcher.run()).claimed:
            pass


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
async def world(database_url: str, fake_connector: FakeConnector) -> AsyncIterator[TeamsWorld]:
    """The advisor without an app id: nothing authenticated, as with the Emulator."""
    settings = load_settings(database_url=database_url, teams=True)
    async with serving(settings, fake_connector) as served:
        yield served


@pytest.fixture
async def signed_world(
    database_url: str, fake_connector: FakeConnector, fake_bot_tokens: FakeBotTokens
) -> AsyncIterator[TeamsWorld]:
    """The advisor with an app id: it takes only activities the fake Bot Connector signed, and
    calls the connector with the token the fake Azure AD gave it."""
    settings = load_settings(
        database_url=database_url,
        teams_app_id=BOT_APP_ID,
        teams_app_password="not-used-here",
        teams_openid_metadata_url=fake_bot_tokens.metadata_url,
    )
    fake_connector.expect_token(OUTBOUND)
    credentials = FakeCredentialsFactory(BOT_APP_ID, OUTBOUND)
    async with serving(settings, fake_connector, credentials, fake_bot_tokens) as served:
        yield served


@asynccontextmanager
async def serving(
    settings: Settings,
    connector: FakeConnector,
    credentials: ServiceClientCredentialsFactory | None = None,
    tokens: FakeBotTokens | None = None,
) -> AsyncIterator[TeamsWorld]:
    """The real web app on a loopback port, with its Teams bot."""
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    core = await build_app(settings, clock=clock)
    bot = build_teams_bot(settings, core, credentials=credentials)
    server = TestServer(build_web_app(core, None, bot), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as http:
        try:
            url = str(server.make_url(MESSAGES_PATH))
            yield TeamsWorld(connector, core, bot, http, url, clock, tokens)
        finally:
            await server.close()
            await core.close()
