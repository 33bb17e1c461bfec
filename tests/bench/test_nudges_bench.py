"""The nudge fan-out bench, end to end at a tiny size: its counts, never its times."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from bench.nudges.fake import RateLimitedSlack, token_for
from bench.nudges.run import Scenario, measure


async def test_every_due_nudge_of_a_few_workspaces_reaches_the_rate_limited_fake_once() -> None:
    outcome = await measure(Scenario(workspaces=3, nudges=5), "sqlite")

    assert outcome.due == 15
    assert outcome.delivered == 15
    assert outcome.lost == 0
    assert outcome.duplicates == 0
    assert outcome.unexpected == 0
    assert outcome.seconds is not None, "the first claim and the last arrival were both seen"
    assert outcome.methods["chat.postMessage"] >= 15
    assert outcome.rss, "the server's peak memory was read"
    assert outcome.exit_codes == [0], "advisor serve stopped cleanly on SIGTERM"


@pytest.fixture
async def fake() -> AsyncIterator[str]:
    runner = web.AppRunner(RateLimitedSlack().app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        await runner.cleanup()


async def _post(
    http: aiohttp.ClientSession, url: str, team: str, channel: str, nudge: int
) -> tuple[int, str | None]:
    async with http.post(
        f"{url}api/chat.postMessage",
        headers={"Authorization": f"Bearer {token_for(team)}"},
        json={
            "channel": channel,
            "text": "a nudge",
            "metadata": {"event_type": "advisor_nudge", "event_payload": {"nudge": nudge}},
        },
    ) as response:
        return response.status, response.headers.get("Retry-After")


async def test_a_second_message_to_a_channel_within_a_second_is_refused_429_and_not_counted(
    fake: str,
) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{fake}bench/expect", json=[1, 2, 3]) as expecting:
            assert expecting.status == 200
        first = await _post(http, fake, "T1", "U1", 1)
        again = await _post(http, fake, "T1", "U1", 2)
        elsewhere = await _post(http, fake, "T2", "U1", 3)
        async with http.get(f"{fake}bench/counts", params={"full": "1"}) as response:
            counts = await response.json()

    assert first == (200, None)
    assert again == (429, "1")
    assert elsewhere == (200, None), "another workspace's channel has a limit of its own"
    assert counts["nudges"] == [1, 3]
    assert counts["arrived"] == 2
    assert counts["rate_limited"] == 1
    assert counts["duplicates"] == 0
