"""A fake of Slack's Socket Mode: a websocket on loopback that `apps.connections.open` names.

Slack's side of the protocol: greet each connection with ``hello``, deliver events in
``events_api`` envelopes, and expect every envelope acknowledged with its ``envelope_id``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from types import TracebackType
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.slack_api import APP_ID, FakeSlackWebApi

LINK_PATH = "/link/"


class FakeSocketMode:
    """Socket Mode for the app whose Web API is `api`.

    While running, `api`'s ``apps.connections.open`` answers this server's ``ws://`` URL. Wait
    for the app with `wait_connected`, send events with `send_event`, and read the app's
    acknowledgements with `wait_for_ack` (or `acks`).
    """

    def __init__(self, api: FakeSlackWebApi) -> None:
        self._api = api
        self.connections = 0
        """How many websockets the app has opened."""
        self.acks: list[dict[str, Any]] = []
        """Every message the app sent, parsed: acknowledgements are ``{"envelope_id": ...}``."""
        self._sockets: list[web.WebSocketResponse] = []
        self._changed = asyncio.Condition()
        self._envelopes = itertools.count(1)
        self._runner: web.AppRunner | None = None

    async def start(self) -> FakeSocketMode:
        app = web.Application()
        app.router.add_get(LINK_PATH, self._link)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self._api.socket_mode_url = f"ws://127.0.0.1:{port}{LINK_PATH}?ticket=fake-ticket"
        return self

    async def close(self) -> None:
        self._api.socket_mode_url = None
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSocketMode:
        return await self.start()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def wait_connected(self) -> None:
        """Wait until the app holds an open websocket; the caller bounds the wait."""
        async with self._changed:
            await self._changed.wait_for(lambda: bool(self._sockets))

    async def send_event(self, team_id: str, event: dict[str, Any]) -> str:
        """Deliver `event` from workspace `team_id` as Slack does; returns the envelope id."""
        if not self._sockets:
            raise AssertionError("the app is not connected over Socket Mode")
        number = next(self._envelopes)
        envelope_id = f"fake-envelope-{number:04d}"
        await self._sockets[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": "events_api",
                "accepts_response_payload": False,
                "retry_attempt": 0,
                "retry_reason": "",
                "payload": {
                    "token": "legacy",
                    "team_id": team_id,
                    "api_app_id": APP_ID,
                    "event": event,
                    "type": "event_callback",
                    "event_id": f"EvSOCKET{number:04d}",
                    "event_time": int(time.time()),
                    "authorizations": [{"team_id": team_id, "user_id": "UBOT", "is_bot": True}],
                    "is_ext_shared_channel": False,
                },
            }
        )
        return envelope_id

    async def wait_for_ack(self, envelope_id: str) -> dict[str, Any]:
        """Wait for the app's acknowledgement of an envelope; the caller bounds the wait."""

        def acked() -> dict[str, Any] | None:
            return next((a for a in self.acks if a.get("envelope_id") == envelope_id), None)

        async with self._changed:
            await self._changed.wait_for(lambda: acked() is not None)
        ack = acked()
        assert ack is not None
        return ack

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        # autoping answers the client's pings, as Slack's servers do.
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        await socket.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "debug_info": {
                    "host": "applink-fake",
                    "build_number": 1,
                    "approximate_connection_time": 18060,
                },
                "connection_info": {"app_id": APP_ID},
            }
        )
        async with self._changed:
            self.connections += 1
            self._sockets.append(socket)
            self._changed.notify_all()
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    async with self._changed:
                        self.acks.append(json.loads(message.data))
                        self._changed.notify_all()
        finally:
            async with self._changed:
                self._sockets.remove(socket)
                self._changed.notify_all()
        return socket


__all__ = ["FakeSocketMode"]
