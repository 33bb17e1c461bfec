"""Every Web API call of `advisor serve` goes over one pooled HTTP session: its connections are
kept alive and reused instead of a new TCP connection (and TLS handshake, with Slack) per call,
and the session and its connections are closed when the server stops."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.app import build_app
from bot.metrics import Metrics
from bot.serve import serve
from bot.settings import load_settings
from bot.slack.app import WebApiSession
from tests.fakes.slack_api import TEAM_ID, FakeSlackWebApi
from tests.slack.conftest import eventually
from tests.slack.slack_side import SlackSide
from tests.slack.test_serve import (
    BOT_TOKEN,
    EXIT_SECONDS,
    SIGNING_SECRET,
    advisor_serve,
    free_port,
    settled,
)

MESSAGES = 6
IN_FLIGHT = 300
"""Calls to Slack at once: two hundred workspaces at ten messages a second, each answered in
150 ms (Slack answers in 100 to 300), keep about three hundred on their way."""


async def test_the_web_api_calls_of_many_replies_share_one_connection(
    tmp_path: Path, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api = fake_slack_web_api
    api.add_user("U1", locale="en-US")
    async with advisor_serve(
        tmp_path, api, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET
    ) as advisor:
        for sent in range(1, MESSAGES + 1):
            # One at a time: each reply is finished before the next message, so the kept-alive
            # connection is free again for it.
            assert (await advisor.slack().direct_message("U1", "help")).status == 200
            await settled(api, "chat.postMessage", sent)
        assert await advisor.stop() == 0
    assert len(api.called("chat.postMessage")) == MESSAGES
    assert len(api.calls) > MESSAGES
    assert len(api.connections) == 1


async def test_stopping_the_server_closes_the_session_and_its_connections(
    tmp_path: Path, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api = fake_slack_web_api
    api.add_user("U1", locale="en-US")
    port = free_port()
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'advisor.db'}",
        port=port,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api.api_url,
    )
    core = await build_app(settings)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(core, socket_mode=False, stop=stop))
    try:
        async with aiohttp.ClientSession() as http:
            events = f"http://127.0.0.1:{port}/slack/events"
            slack = SlackSide(http, events, SIGNING_SECRET, TEAM_ID)
            await eventually(lambda: _answers(slack))
            await settled(api, "chat.postMessage")
        assert api.open_connections() == 1  # kept alive while the server runs
        stop.set()
        async with asyncio.timeout(EXIT_SECONDS):
            await serving
        await eventually(lambda: _none_open(api))
    finally:
        stop.set()
        await serving
        await core.close()


async def _answers(slack: SlackSide) -> bool:
    """A direct message was taken: the server is listening."""
    try:
        return (await slack.direct_message("U1", "help")).status == 200
    except aiohttp.ClientConnectionError:
        return False


async def _none_open(api: FakeSlackWebApi) -> bool:
    return api.open_connections() == 0


async def test_hundreds_of_calls_to_slack_are_on_their_way_at_once(unused_tcp_port: int) -> None:
    """Slack answers each call only once all of them arrived: calls held back for a free
    connection (there were fifty to a host) never arrive, and none is answered in time."""
    arrived, in_flight = asyncio.Event(), 0

    async def post(_: web.Request) -> web.Response:
        nonlocal in_flight
        in_flight += 1
        if in_flight == IN_FLIGHT:
            arrived.set()
        async with asyncio.timeout(5):
            await arrived.wait()
        return web.json_response({"ok": True, "channel": "D1", "ts": "1.1"})

    slack = web.Application()
    slack.router.add_post("/api/chat.postMessage", post)
    runner = web.AppRunner(slack)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", unused_tcp_port).start()
    settings = load_settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=f"http://127.0.0.1:{unused_tcp_port}/api/",
    )
    session = WebApiSession(settings, Metrics())
    session.open()
    try:
        client = session.client(BOT_TOKEN, rate_limits=False)
        answers = await asyncio.gather(
            *(
                client.api_call("chat.postMessage", json={"channel": f"U{n}", "text": "hi"})
                for n in range(IN_FLIGHT)
            )
        )
    finally:
        await session.close()
        await runner.cleanup()

    assert all(answer["ok"] for answer in answers)
