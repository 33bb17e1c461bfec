"""A TCP proxy in front of a real PostgreSQL that counts the client's round trips.

A round trip is what makes the client wait for the server: a Sync (the end of an extended-query
exchange: parse, bind, execute) or a simple Query. Counted on the wire, it is the same for
every driver and for statements SQLAlchemy never sees.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import make_url

_UNTYPED_REQUESTS = {80877103, 80877104}
"""SSLRequest and GSSENCRequest: a startup message follows them, untyped too."""
_WAITED_FOR = {ord("S"), ord("Q")}


class RoundTrips:
    def __init__(self) -> None:
        self.count = 0


@asynccontextmanager
async def counting_proxy(database_url: str) -> AsyncIterator[tuple[str, RoundTrips]]:
    """`database_url` through a proxy on a free local port, and its round-trip count."""
    url = make_url(database_url)
    trips = RoundTrips()
    piping: set[asyncio.Task[None]] = set()

    async def accept(client: asyncio.StreamReader, to_client: asyncio.StreamWriter) -> None:
        server, to_server = await asyncio.open_connection(url.host, url.port or 5432)
        for task in (_frontend(client, to_server, trips), _pipe(server, to_client)):
            piping.add(asyncio.create_task(task))

    listening = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    try:
        yield url.set(host="127.0.0.1", port=port).render_as_string(hide_password=False), trips
    finally:
        listening.close()
        for task in piping:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*piping, return_exceptions=True)


async def _frontend(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, trips: RoundTrips
) -> None:
    """Pass the client's messages on, counting those it then waits for."""
    try:
        while True:  # the startup: length-prefixed, without a type byte
            head = await reader.readexactly(8)
            length, code = struct.unpack("!ii", head)
            writer.write(head + await reader.readexactly(length - 8))
            if code not in _UNTYPED_REQUESTS:
                break
            # The server's one-byte answer to an SSL request comes back through `_pipe`.
        while True:
            head = await reader.readexactly(5)
            kind, length = head[0], struct.unpack("!i", head[1:])[0]
            writer.write(head + await reader.readexactly(length - 4))
            if kind in _WAITED_FOR:
                trips.count += 1
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()
