"""The least a sender can do through the same fake: each workspace's messages paced at Slack's
limit as the advisor paces them (`bot.slack.limits.Window`) over one shared HTTP session, no
database and no rendering. Its time shows how near the floor this machine and the fake let
anyone come, so a target the instrument itself cannot reach shows as such.
"""

from __future__ import annotations

import asyncio
import time

import aiohttp

from bench.nudges.fake import token_for
from bench.nudges.workspaces import team_id, user_id
from bot.slack.limits import PER_WORKSPACE, Window

CONNECTIONS = 100


async def lean_send(fake_url: str, workspaces: int, nudges: int) -> tuple[float, int]:
    """Post every workspace's `nudges` messages (one per person) side by side, each workspace
    at the advisor's pace, a 429 waited out by its Retry-After; the seconds from the first post
    until the fake has them all, and the 429s met on the way.

    The pace is even, without the burst the fake would allow: a burst of ten per workspace
    reaches the fake spread out, and the next messages then meet 429s. It was aiolimiter's
    bucket one call deep, which loses each late wake-up for good: 5.5 to 5.9 s for 200
    workspaces of 50 while it used little more than half a core.
    """
    ids = list(range(1, workspaces * nudges + 1))
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector) as http:
        async with http.post(f"{fake_url}bench/expect", json=ids) as expecting:
            expecting.raise_for_status()
        began = time.time()
        refused = await asyncio.gather(
            *(_workspace(http, fake_url, w, nudges) for w in range(workspaces))
        )
        async with http.get(f"{fake_url}bench/counts") as response:
            counts = await response.json()
    if counts["arrived"] != len(ids):
        raise RuntimeError(f"the lean sender got {counts['arrived']} of {len(ids)} through")
    return counts["last_arrival"] - began, sum(refused)


async def _workspace(http: aiohttp.ClientSession, fake_url: str, number: int, nudges: int) -> int:
    pace = Window(*PER_WORKSPACE)
    team = team_id(number)
    headers = {"Authorization": f"Bearer {token_for(team)}"}
    refused = 0

    async def post(person: int) -> None:
        nonlocal refused
        nudge = number * nudges + person + 1
        body = {
            "channel": user_id(person),
            "text": "a nudge",
            "metadata": {"event_type": "advisor_nudge", "event_payload": {"nudge": nudge}},
        }
        while True:
            await pace.acquire()
            async with http.post(
                f"{fake_url}api/chat.postMessage", json=body, headers=headers
            ) as response:
                if response.status != 429:
                    response.raise_for_status()
                    return
                refused += 1
                wait = float(response.headers.get("Retry-After", "1"))
            await asyncio.sleep(wait)

    await asyncio.gather(*(post(person) for person in range(nudges)))
    return refused
