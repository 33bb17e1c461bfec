"""The web server's own defences: read timeouts, and a cap on connections per client address."""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import HttpVersion11, hdrs, web

from bot.settings import ConfigError, Settings

REFUSED = b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
"""What a connection over its address's cap gets, before it is closed."""
SHUTDOWN_SECONDS = 60.0
"""On shutdown, how long requests in progress may take to finish (aiohttp's runner's default)."""

Handler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Limits:
    """How much of the server one client may take.

    Attributes:
        header_seconds: to send a request's line and headers, from the connection's start or
            the end of the previous response; a kept-alive connection quiet this long is closed.
        body_seconds: to send a request's body once its headers are in; later is a 408.
        connections_per_address: connections open at once from one client address.
    """

    header_seconds: float
    body_seconds: float
    connections_per_address: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            settings.header_timeout_seconds,
            settings.body_timeout_seconds,
            settings.max_connections_per_address,
        )


async def listen(runner: web.AppRunner, settings: Settings) -> GuardedSite:
    """Serve `runner`'s application on ADVISOR_HOST and ADVISOR_PORT, under the settings' limits.

    Raises:
        ConfigError: the address cannot be listened on (in use, unknown, not this machine's).
    """
    site = GuardedSite(runner, settings.host, settings.port, Limits.of(settings))
    try:
        await site.start()
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno and error.errno > 0 else error.strerror
        raise ConfigError(
            f"ADVISOR_HOST, ADVISOR_PORT: cannot listen on {settings.host}:{settings.port}: "
            f"{reason or type(error).__name__}"
        ) from None
    return site


class GuardedSite(web.BaseSite):
    """aiohttp's `TCPSite`, with `Limits` on every connection.

    By default aiohttp gives a client an hour to finish its headers (its keep-alive timer, which
    also closes a connection stuck before a complete request) and forever for a body. So the
    site serves the runner's application through a low-level `web.Server` of its own: there the
    keep-alive timer is the header timeout, and every body is read under the body timeout before
    the application sees the request, so no handler waits on a stalled client.
    """

    __slots__ = ("_connections", "_host", "_limits", "_open", "_port")

    def __init__(self, runner: web.AppRunner, host: str, port: int, limits: Limits) -> None:
        super().__init__(runner)
        self._host, self._port, self._limits = host, port, limits
        self._open: Counter[str] = Counter()
        self._connections: web.Server | None = None

    @property
    def name(self) -> str:
        return f"http://{self._host}:{self._port}"

    async def start(self) -> None:
        await super().start()
        application = self._runner.server
        assert application is not None
        limits = self._limits
        self._connections = web.Server(
            _body_within(application.request_handler, limits.body_seconds),
            request_factory=application.request_factory,
            keepalive_timeout=limits.header_seconds,
            # The rest of a refused body is read and dropped for a while, so that the client
            # sees the 408 or 413 rather than a reset connection.
            lingering_time=limits.body_seconds,
        )
        self._server = await asyncio.get_running_loop().create_server(
            self._connection, self._host, self._port, backlog=self._backlog
        )

    async def stop(self) -> None:
        await super().stop()
        if self._connections is not None:
            self._connections.pre_shutdown()
            await self._connections.shutdown(SHUTDOWN_SECONDS)

    def _connection(self) -> asyncio.Protocol:
        assert self._connections is not None
        return _Counted(self._connections, self._open, self._limits.connections_per_address)


def _body_within(handler: Handler, seconds: float) -> Handler:
    async def read_body_first(request: web.BaseRequest) -> web.StreamResponse:
        if request.body_exists:
            if _continue_asked(request):
                # The client waits for this before its body, and the application's own expect
                # handler would only say it after the body is read (a second one is harmless).
                await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                request.writer.output_size = 0
            try:
                async with asyncio.timeout(seconds):
                    await request.read()  # kept by the request for the application
            except TimeoutError:
                late = web.HTTPRequestTimeout(text="the request's body came too slowly")
                late.force_close()
                raise late from None
        return await handler(request)

    return read_body_first


def _continue_asked(request: web.BaseRequest) -> bool:
    expect = request.headers.get(hdrs.EXPECT, "")
    return request.version == HttpVersion11 and expect.lower() == "100-continue"


class _Counted(asyncio.Protocol):
    """One connection, counted against its client address; over the cap it is refused."""

    def __init__(self, server: web.Server, open_now: Counter[str], cap: int) -> None:
        self._server, self._open, self._cap = server, open_now, cap
        self._address: str | None = None
        self._handler: web.RequestHandler | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if peer else ""
        if self._open[address] >= self._cap:
            transport.write(REFUSED)
            transport.close()
            return
        self._open[address] += 1
        self._address, self._handler = address, self._server()
        self._handler.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self._handler is not None:
            self._handler.data_received(data)

    def eof_received(self) -> bool | None:
        # aiohttp's handler returns nothing: the transport then closes itself.
        if self._handler is not None:
            self._handler.eof_received()
        return None

    def pause_writing(self) -> None:
        if self._handler is not None:
            self._handler.pause_writing()

    def resume_writing(self) -> None:
        if self._handler is not None:
            self._handler.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._handler is None or self._address is None:
            return
        self._open[self._address] -= 1
        if not self._open[self._address]:
            del self._open[self._address]
        self._handler.connection_lost(exc)
