"""A lean fake of Slack's Web API on loopback: it answers what the apps call, keeps each
channel's latest message, and tells the simulated people when their message was updated."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

TEAM_ID = "T0BENCH"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"


@dataclass(frozen=True)
class Message:
    """A message as it stands in a channel, and when (loop time) the fake got it."""

    channel: str
    ts: str
    blocks: list[dict[str, Any]]
    at: float


class LeanSlack:
    """Slack's Web API at ``api_url``, for ``AsyncWebClient(base_url=...)``.

    `posted(channel)` waits for the next message posted there; `updated(channel, ts)` for the
    next update of that message. Methods it does not know are answered ``ok`` with no data.
    """

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.strays = 0
        """Updates nobody waited for."""
        self._posts: dict[str, asyncio.Future[Message]] = {}
        self._updates: dict[tuple[str, str], asyncio.Future[Message]] = {}
        self._stamps = itertools.count(1)
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        self._server = TestServer(app, host="127.0.0.1", access_log=None)

    @property
    def api_url(self) -> str:
        return str(self._server.make_url("/api/"))

    async def __aenter__(self) -> LeanSlack:
        await self._server.start_server()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._server.close()

    def posted(self, channel: str) -> asyncio.Future[Message]:
        """The next message posted in `channel`."""
        future = asyncio.get_running_loop().create_future()
        self._posts[channel] = future
        return future

    def updated(self, channel: str, ts: str) -> asyncio.Future[Message]:
        """The next update of the message `ts` in `channel`."""
        future = asyncio.get_running_loop().create_future()
        self._updates[(channel, ts)] = future
        return future

    def forget(self, channel: str, ts: str) -> None:
        """Stop waiting for an update (a click that was refused or timed out)."""
        self._updates.pop((channel, ts), None)

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls[method] += 1
        params = await _params(request)
        answer = self._answer(method, params)
        return web.json_response({"ok": True, **answer}, dumps=json.dumps)

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        match method:
            case "auth.test":
                return {
                    "url": "https://bench.slack.com/",
                    "team": "Bench",
                    "user": "advisor",
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "bot_id": BOT_ID,
                    "is_enterprise_install": False,
                }
            case "chat.postMessage":
                return self._post(params)
            case "chat.update":
                return self._update(params)
            case "conversations.open":
                return {"channel": {"id": "D" + str(params.get("users", "")).split(",")[0]}}
            case "users.info":
                return {"user": _user(str(params.get("user", "")))}
            case _:
                return {}

    def _post(self, params: dict[str, Any]) -> dict[str, Any]:
        number = next(self._stamps)
        ts = f"{1_700_000_000 + number}.{number:06d}"
        channel = str(params.get("channel", ""))
        if channel[:1] == "U":
            channel = "D" + channel
        blocks = _blocks(params)
        waiting = self._posts.pop(channel, None)
        if waiting is not None and not waiting.done():
            waiting.set_result(Message(channel, ts, blocks, asyncio.get_running_loop().time()))
        message = {"type": "message", "user": BOT_USER_ID, "ts": ts, "text": params.get("text")}
        return {"channel": channel, "ts": ts, "message": message}

    def _update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(params.get("channel", "")), str(params.get("ts", ""))
        blocks = _blocks(params)
        waiting = self._updates.pop((channel, ts), None)
        if waiting is None or waiting.done():
            self.strays += 1
        else:
            waiting.set_result(Message(channel, ts, blocks, asyncio.get_running_loop().time()))
        return {"channel": channel, "ts": ts, "text": params.get("text", "")}


async def _params(request: web.Request) -> dict[str, Any]:
    """Query string, then a JSON or form body, as Slack merges them."""
    params: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            params.update(json.loads(await request.read()))
        else:
            params.update((k, v) for k, v in (await request.post()).items() if isinstance(v, str))
    return params


def _blocks(params: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = params.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def _user(user: str) -> dict[str, Any]:
    return {
        "id": user,
        "team_id": TEAM_ID,
        "name": user.lower(),
        "real_name": user,
        "deleted": False,
        "is_bot": False,
        "tz": "Europe/Amsterdam",
        "tz_offset": 3600,
        "locale": "en-US",
        "profile": {"real_name": user, "display_name": user},
    }
