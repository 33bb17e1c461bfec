"""The advisor served over HTTP with Slack enabled, its Web API pointed at a fake Slack."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import App, build_app
from bot.server import build_web_app
from bot.settings import load_settings
from bot.slack.app import build_slack_app
from bot.slack.campaigns import SlackCampaigns
from bot.slack.delivery import SlackDelivery
from bot.slack.listeners import SlackSurface
from tests.fakes.clock import FixedClock
from tests.fakes.slack_api import TEAM_ID, FakeSlackWebApi, fake_slack_web_api
from tests.slack.slack_side import SlackSide

__all__ = ["fake_slack_web_api"]

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-1111-fake-token"
SETTLE_SECONDS = 10


@dataclass
class SlackWorld:
    slack: SlackSide
    api: FakeSlackWebApi
    core: App
    http: aiohttp.ClientSession
    base_url: str
    clock: FixedClock
    campaigns: SlackCampaigns
    delivery: SlackDelivery
    surface: SlackSurface

    async def idle(self) -> None:
        """Wait for what the advisor does after acknowledging (replies, publishing a result)."""
        await self.surface.idle()

    async def send_due_nudges(self) -> None:
        """What `advisor serve`'s nudging tick does: plan, then send everything due."""
        await self.core.activation.planner.plan_all()
        dispatcher = self.core.dispatcher(self.delivery, worker="test")
        while (await dispatcher.run()).claimed:
            pass

    async def settled(self, method: str, count: int) -> list[dict[str, Any]]:
        """Wait until the advisor has called `method` `count` times (it answers after acking)."""
        async with asyncio.timeout(SETTLE_SECONDS):
            return await self.api.wait_for(method, count)


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    """Wait until `check` holds: for work the advisor does after acknowledging a request,
    with no call to the fake Slack to wait on (a log line, a row deleted)."""
    async with asyncio.timeout(SETTLE_SECONDS):
        while not await check():  # noqa: ASYNC110 - nothing to wait on but the outcome itself
            await asyncio.sleep(0.01)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
async def world(
    database_url: str, fake_slack_web_api: FakeSlackWebApi
) -> AsyncIterator[SlackWorld]:
    settings = load_settings(
        database_url=database_url,
        slack_signing_secret=SECRET,
        slack_bot_token=TOKEN,
        slack_api_url=fake_slack_web_api.api_url,
    )
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    core = await build_app(settings, clock=clock)
    slack_bot = build_slack_app(settings, core)
    server = TestServer(build_web_app(core, slack_bot.bolt), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as http:
        url = str(server.make_url("/slack/events"))
        try:
            yield SlackWorld(
                SlackSide(http, url, SECRET, TEAM_ID),
                fake_slack_web_api,
                core,
                http,
                str(server.make_url("")),
                clock,
                slack_bot.campaigns,
                slack_bot.delivery,
                slack_bot.surface,
            )
        finally:
            await server.close()
            await slack_bot.surface.idle()  # as `advisor serve` does before it exits
            await core.close()
