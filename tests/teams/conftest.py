"""The advisor served over HTTP with Teams enabled, its Bot Connector a fake on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import App, build_app
from bot.server import build_web_app
from bot.settings import load_settings
from bot.teams.app import MESSAGES_PATH, TeamsBot, build_teams_bot
from tests.fakes.bot_connector import FakeConnector, fake_connector
from tests.fakes.bot_tokens import fake_bot_tokens
from tests.fakes.clock import FixedClock

__all__ = ["fake_bot_tokens", "fake_connector"]

Json = dict[str, Any]


@dataclass
class TeamsWorld:
    connector: FakeConnector
    core: App
    bot: TeamsBot
    http: aiohttp.ClientSession
    url: str
    clock: FixedClock

    async def post(self, activity: Json, *, headers: dict[str, str] | None = None) -> int:
        """Hand the advisor one activity, as Teams does, and wait for what it does after."""
        async with self.http.post(self.url, json=activity, headers=headers) as response:
            status = response.status
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
    settings = load_settings(database_url=database_url, teams=True)
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    core = await build_app(settings, clock=clock)
    bot = build_teams_bot(settings, core)
    server = TestServer(build_web_app(core, None, bot), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as http:
        try:
            yield TeamsWorld(
                fake_connector, core, bot, http, str(server.make_url(MESSAGES_PATH)), clock
            )
        finally:
            await server.close()
            await core.close()
