"""A lean fake of Slack's Web API that holds the advisor to Slack's posting limits, run in a
process of its own so its work does not share the advisor's or the driver's CPU time slices.

    python -m bench.nudges.fake --port PORT

chat.postMessage is limited as Slack documents it: about one message a second per channel and
ten a second per workspace (a workspace is known by its bot token, `token_for`). Beyond either
the call is answered 429 with a Retry-After header in whole seconds, as Slack sends it, and
nothing is posted. The limits are leaky buckets (aiolimiter) of one and ten, so a workspace may
post a burst of ten at once. Every posted message is recorded with its nudge id (the message
metadata's `event_payload.nudge`). POST /bench/expect (the due nudge ids) starts a tally afresh,
GET /bench/counts reads it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiolimiter import AsyncLimiter

PER_CHANNEL = 1
PER_WORKSPACE = 10
"""Messages a second Slack allows chat.postMessage (its 'special' rate limit)."""
RETRY_AFTER = "1"
"""Whole seconds, as Slack sends it: either bucket has room again within a second."""
TOKEN_PREFIX = "xoxb-bench-"
READY = "fake slack ready"


def token_for(team_id: str) -> str:
    """The bot token the fake knows `team_id` by."""
    return f"{TOKEN_PREFIX}{team_id}"


def _team_of(token: str | None) -> str | None:
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    return token.removeprefix(TOKEN_PREFIX)


@dataclass
class _Tally:
    started: float = field(default_factory=time.time)
    posted: int = 0
    rate_limited: int = 0
    first_post: float | None = None
    last_post: float | None = None
    delivered: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    """Each nudge id and the moments it was posted: more than one is a duplicate."""
    expected: set[int] = field(default_factory=set)
    arrived: int = 0
    """How many of the expected nudges arrived, and when the latest first did."""
    last_arrival: float | None = None
    per_team: Counter[str] = field(default_factory=Counter)
    methods: Counter[str] = field(default_factory=Counter)


class RateLimitedSlack:
    """The fake's state: limits per workspace and channel, each channel's messages, the tally."""

    def __init__(self) -> None:
        self._workspaces: dict[str, AsyncLimiter] = {}
        self._channels: dict[tuple[str, str], AsyncLimiter] = {}
        self._messages: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        self._tally = _Tally()
        self._ts = 0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_get("/bench/counts", self._counts)
        app.router.add_post("/bench/expect", self._expect)
        return app

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        token = _token(request, params)
        team = _team_of(token)
        self._tally.methods[method] += 1
        if team is None:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if method == "chat.postMessage":
            return await self._post(team, params)
        return web.json_response(self._answer(method, team, params))

    async def _post(self, team: str, params: dict[str, Any]) -> web.Response:
        channel = _channel(str(params.get("channel", "")))
        workspace = self._workspaces.setdefault(team, AsyncLimiter(PER_WORKSPACE, 1))
        chat = self._channels.setdefault((team, channel), AsyncLimiter(PER_CHANNEL, 1))
        if not (workspace.has_capacity() and chat.has_capacity()):
            self._tally.rate_limited += 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": RETRY_AFTER},
            )
        # Both have room: neither acquire waits, so nothing else runs in between.
        await workspace.acquire()
        await chat.acquire()
        now = time.time()
        self._ts += 1
        ts = f"{1_700_000_000 + self._ts}.{self._ts:06d}"
        message: dict[str, Any] = {"type": "message", "ts": ts, "text": params.get("text", "")}
        metadata = params.get("metadata")
        if isinstance(metadata, dict):
            message["metadata"] = metadata
            nudge = (metadata.get("event_payload") or {}).get("nudge")
            if isinstance(nudge, int):
                self._arrived(nudge, now)
        self._messages[(team, channel)].append(message)
        tally = self._tally
        tally.posted += 1
        tally.per_team[team] += 1
        tally.first_post = tally.first_post or now
        tally.last_post = now
        return web.json_response({"ok": True, "channel": channel, "ts": ts, "message": message})

    def _arrived(self, nudge: int, now: float) -> None:
        tally = self._tally
        moments = tally.delivered[nudge]
        moments.append(now)
        if len(moments) == 1 and nudge in tally.expected:
            tally.arrived += 1
            tally.last_arrival = now

    def _answer(self, method: str, team: str, params: dict[str, Any]) -> dict[str, Any]:
        """The other calls `advisor serve` makes around a nudge: who the bot is, a person's
        direct message and profile, a channel's recent history; anything else is ok."""
        if method == "auth.test":
            return {
                "ok": True,
                "team_id": team,
                "team": f"Bench {team}",
                "user_id": f"UBOT{team}",
                "bot_id": f"B{team}",
                "url": f"https://{team.lower()}.slack.com/",
                "is_enterprise_install": False,
            }
        if method == "conversations.open":
            user = str(params.get("users", "")).split(",")[0]
            return {"ok": True, "channel": {"id": _channel(user)}}
        if method == "conversations.history":
            held = self._messages.get((team, str(params.get("channel", ""))), [])
            limit = int(params.get("limit") or 100)
            with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
            newest = [
                {k: v for k, v in m.items() if k != "metadata" or with_metadata}
                for m in reversed(held[-limit:])
            ]
            return {"ok": True, "messages": newest, "has_more": len(held) > limit}
        if method == "users.info":
            user = str(params.get("user", ""))
            name = f"Person {user}"
            return {
                "ok": True,
                "user": {
                    "id": user,
                    "team_id": team,
                    "name": user.lower(),
                    "real_name": name,
                    "tz": "Europe/Amsterdam",
                    "locale": "en-US",
                    "profile": {"display_name": name, "real_name": name},
                },
            }
        return {"ok": True}

    async def _counts(self, request: web.Request) -> web.Response:
        """The tally; with ?full=1 also every nudge id that arrived and the calls per method
        and workspace (kept out of the frequent polls: the fake shares the machine)."""
        tally = self._tally
        counts: dict[str, Any] = {
            "expected": len(tally.expected),
            "arrived": tally.arrived,
            "last_arrival": tally.last_arrival,
            "posted": tally.posted,
            "rate_limited": tally.rate_limited,
            "first_post": tally.first_post,
            "last_post": tally.last_post,
        }
        if request.query.get("full"):
            counts |= {
                "nudges": sorted(tally.delivered),
                "duplicates": sum(len(m) - 1 for m in tally.delivered.values()),
                "per_team": dict(tally.per_team),
                "methods": dict(tally.methods),
            }
        return web.json_response(counts)

    async def _expect(self, request: web.Request) -> web.Response:
        """Forget everything and expect these nudge ids (a JSON list)."""
        expected = await request.json()
        self._workspaces.clear()
        self._channels.clear()
        self._messages.clear()
        self._tally = _Tally(expected={int(n) for n in expected})
        return web.json_response({"ok": True, "expected": len(self._tally.expected)})


async def _params(request: web.Request) -> dict[str, Any]:
    """Query string, then a JSON or form body, as Slack merges them."""
    params: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            params.update(body if isinstance(body, dict) else {})
        else:
            form = await request.post()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
    if isinstance(params.get("metadata"), str):
        with contextlib.suppress(json.JSONDecodeError):
            params["metadata"] = json.loads(params["metadata"])
    return params


def _token(request: web.Request, params: dict[str, Any]) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        return token
    given = params.pop("token", None)
    return str(given) if given else None


def _channel(channel: str) -> str:
    """Posting to a user id lands in the direct message with that user."""
    return "D" + channel if channel[:1] in ("U", "W") else channel


async def serve(port: int) -> None:
    runner = web.AppRunner(RateLimitedSlack().app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print(READY, flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(parser.parse_args().port))


if __name__ == "__main__":
    main()
