"""What the floor and ack apps share: their command line, and serving a bolt app on aiohttp."""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
CONNECTIONS = 100


def arguments(description: str) -> argparse.Namespace:
    """`--port P --database URL --slack-api URL --signing-secret S --token T`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", default="", help="a SQLAlchemy URL (sqlite or postgresql)")
    parser.add_argument("--slack-api", required=True, help="the Web API's base URL")
    parser.add_argument("--signing-secret", required=True)
    parser.add_argument("--token", required=True)
    return parser.parse_args()


@asynccontextmanager
async def pooled_client(options: argparse.Namespace) -> AsyncIterator[AsyncWebClient]:
    """A Web API client whose calls share one session's pooled keep-alive connections."""
    connector = aiohttp.TCPConnector(limit=CONNECTIONS, limit_per_host=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector) as session:
        yield AsyncWebClient(token=options.token, base_url=options.slack_api, session=session)


def web_app(app: AsyncApp) -> web.Application:
    """Slack's requests at EVENTS_PATH through bolt (it verifies the signature), and a health
    check the load generator waits for."""

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    async def health(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    served = web.Application()
    served.add_routes([web.post(EVENTS_PATH, events), web.get(HEALTH_PATH, health)])
    return served


def run(build: Callable[[argparse.Namespace], AbstractAsyncContextManager[AsyncApp]]) -> None:
    """Parse the command line, build the app with `build` and serve it until SIGTERM."""
    options = arguments(build.__doc__ or "")
    asyncio.run(_serve(build, options))


async def _serve(
    build: Callable[[argparse.Namespace], AbstractAsyncContextManager[AsyncApp]],
    options: argparse.Namespace,
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    async with build(options) as app:
        runner = web.AppRunner(web_app(app), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", options.port).start()
        try:
            await stop.wait()
        finally:
            await runner.cleanup()
