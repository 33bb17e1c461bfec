"""`advisor serve` protects itself: stalled and idle connections end, one address gets a few."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

from bot.server import MAX_BODY
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack.test_serve import BOT_TOKEN, SIGNING_SECRET, Served, advisor_serve

TIMEOUT = "1"
"""Seconds, for both the header and the body timeout: short, so the tests are."""
CLOSED_WITHIN = 15
"""A generous bound on how soon a stalled connection must be closed."""
CAP = 3
HEALTH = b"GET /healthz HTTP/1.1\r\nHost: advisor\r\n\r\n"
Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


@asynccontextmanager
async def guarded_advisor(tmp_path: Path, **limits: str) -> AsyncIterator[Served]:
    """`advisor serve` with short timeouts and a small cap; it must log no traceback."""
    settings = {
        "header_timeout_seconds": TIMEOUT,
        "body_timeout_seconds": TIMEOUT,
        "max_connections_per_address": str(CAP),
        **limits,
    }
    async with (
        FakeSlackWebApi() as api,
        advisor_serve(
            tmp_path,
            api,
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            **settings,
        ) as served,
    ):
        yield served
        assert "Traceback" not in served.logs()


@asynccontextmanager
async def connection(served: Served, source: str = "127.0.0.1") -> AsyncIterator[Stream]:
    """A raw TCP connection to the advisor from `source` (any 127.x address is this machine)."""
    port = urlsplit(served.url).port
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    try:
        yield reader, writer
    finally:
        writer.close()
        with suppress(ConnectionError):
            await writer.wait_closed()


async def sent(stream: Stream, data: bytes) -> Stream:
    stream[1].write(data)
    await stream[1].drain()
    return stream


async def until_closed(stream: Stream) -> bytes:
    """Everything the advisor sends until it closes the connection (failing past the bound)."""
    received = b""
    async with asyncio.timeout(CLOSED_WITHIN):
        with suppress(ConnectionResetError):
            while chunk := await stream[0].read(65536):
                received += chunk
    return received


async def answer(stream: Stream) -> int:
    """The status of the next final response on the connection, its body read."""
    async with asyncio.timeout(CLOSED_WITHIN):
        while True:
            head = await stream[0].readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            if status >= 200:
                break
        length = next(
            (
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        await stream[0].readexactly(length)
    return status


async def test_half_a_header_is_closed_after_the_header_timeout(tmp_path: Path) -> None:
    async with guarded_advisor(tmp_path) as advisor, connection(advisor) as stream:
        await sent(stream, b"POST /slack/events HTTP/1.1\r\nHost: advisor\r\nContent-Le")

        assert await until_closed(stream) == b""


async def test_half_a_body_is_answered_408_and_closed_after_the_body_timeout(
    tmp_path: Path,
) -> None:
    head = b"POST /slack/events HTTP/1.1\r\nHost: advisor\r\nContent-Length: 100\r\n\r\n"
    async with guarded_advisor(tmp_path) as advisor, connection(advisor) as stream:
        await sent(stream, head + b"payload=%7B")

        assert (await until_closed(stream)).startswith(b"HTTP/1.1 408 ")


async def test_a_kept_alive_connection_that_goes_quiet_is_closed(tmp_path: Path) -> None:
    async with guarded_advisor(tmp_path) as advisor, connection(advisor) as stream:
        assert await answer(await sent(stream, HEALTH)) == 200
        assert await answer(await sent(stream, HEALTH)) == 200

        assert await until_closed(stream) == b""


async def test_a_client_waiting_to_send_its_body_is_told_to_continue(tmp_path: Path) -> None:
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: advisor\r\nContent-Length: 7\r\n"
        b"Expect: 100-continue\r\n\r\n"
    )
    async with guarded_advisor(tmp_path) as advisor, connection(advisor) as stream:
        await sent(stream, head)
        said = await asyncio.wait_for(stream[0].readuntil(b"\r\n\r\n"), CLOSED_WITHIN)
        assert said == b"HTTP/1.1 100 Continue\r\n\r\n"

        status = await answer(await sent(stream, b"token=x"))

    assert 400 <= status < 500


async def test_connections_over_the_cap_from_one_address_are_refused_while_others_are_served(
    tmp_path: Path,
) -> None:
    # Held connections must outlive the test's steps, so they are not closed as quiet ones; and
    # they come from an address of their own, as the test's HTTP session keeps one from 127.0.0.1.
    busy, other = "127.0.0.3", "127.0.0.2"
    async with guarded_advisor(tmp_path, header_timeout_seconds="60") as advisor:
        async with AsyncExitStack() as held:
            for _ in range(CAP):
                stream = await held.enter_async_context(connection(advisor, busy))
                assert await answer(await sent(stream, HEALTH)) == 200

            async with connection(advisor, busy) as extra:
                refused = await until_closed(await sent(extra, HEALTH))
            async with connection(advisor, other) as elsewhere:
                served_elsewhere = await answer(await sent(elsewhere, HEALTH))

        assert refused.startswith(b"HTTP/1.1 503 ")
        assert served_elsewhere == 200
        assert await _served_again(advisor, busy) == 200


async def _served_again(advisor: Served, source: str) -> int:
    """The status a new connection gets once the held ones are gone (the advisor notices soon)."""
    async with asyncio.timeout(CLOSED_WITHIN):
        while True:
            async with connection(advisor, source) as stream:
                with suppress(asyncio.IncompleteReadError):
                    status = await answer(await sent(stream, HEALTH))
                    if status != 503:
                        return status
            await asyncio.sleep(0.05)


async def test_a_body_over_the_cap_still_gets_413(tmp_path: Path) -> None:
    async with (
        guarded_advisor(tmp_path) as advisor,
        advisor.http.post(f"{advisor.url}/slack/events", data=b"x" * (MAX_BODY + 1)) as response,
    ):
        status = response.status

    assert status == 413
