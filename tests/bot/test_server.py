"""The web app never hands a client a traceback: a failure is one log line and a reference."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.app import App, build_app
from bot.server import build_web_app
from bot.settings import load_settings

WHAT_SOMEONE_TYPED = "we never measure anything"


@pytest.fixture
async def core(sqlite_url: str) -> AsyncIterator[App]:
    app = await build_app(load_settings(database_url=sqlite_url))
    try:
        yield app
    finally:
        await app.close()


async def _broken(_: web.Request) -> web.Response:
    raise ValueError(f"could not handle {WHAT_SOMEONE_TYPED!r}")


async def test_a_failing_handler_gives_a_500_with_a_reference_and_logs_one_line(
    core: App, caplog: pytest.LogCaptureFixture
) -> None:
    web_app = build_web_app(core, None)
    web_app.router.add_get("/broken", _broken)
    server = TestServer(web_app, host="127.0.0.1")
    await server.start_server()
    try:
        with caplog.at_level(logging.INFO):
            async with (
                aiohttp.ClientSession() as http,
                http.get(str(server.make_url("/broken"))) as response,
            ):
                status, body = response.status, await response.json()
    finally:
        await server.close()

    assert status == 500
    assert body["error"] == "internal"
    (line,) = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert body["reference"] in line.getMessage()
    assert "ValueError at test_server.py" in line.getMessage()
    assert WHAT_SOMEONE_TYPED not in caplog.text, "a message may hold what a person typed"
    assert line.exc_info is None


async def test_aiohttps_own_answers_pass_through(core: App) -> None:
    server = TestServer(build_web_app(core, None), host="127.0.0.1")
    await server.start_server()
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.get(str(server.make_url("/nowhere"))) as response,
        ):
            assert response.status == 404
    finally:
        await server.close()
