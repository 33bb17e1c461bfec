"""`advisor serve`: the web server (and Socket Mode) until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.app import App
from bot.server import build_web_app
from bot.slack.app import build_slack_app

log = logging.getLogger(__name__)


async def serve(app: App, *, socket_mode: bool, stop: asyncio.Event | None = None) -> None:
    """Serve until `stop` is set (by default: on SIGINT or SIGTERM)."""
    settings = app.settings
    slack = build_slack_app(settings, app)
    runner = web.AppRunner(build_web_app(app, slack))
    await runner.setup()
    socket: AsyncSocketModeHandler | None = None
    try:
        site = web.TCPSite(runner, settings.host, settings.port)
        await site.start()
        log.info("serving on http://%s:%s", settings.host, settings.port)
        if socket_mode:
            assert settings.slack_app_token is not None
            socket = AsyncSocketModeHandler(slack, settings.slack_app_token.get_secret_value())
            await socket.connect_async()
            log.info("connected to Slack over Socket Mode")
        await (stop or _on_signal()).wait()
    finally:
        if socket is not None:
            await socket.close_async()
        await runner.cleanup()


def _on_signal() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    return stop
