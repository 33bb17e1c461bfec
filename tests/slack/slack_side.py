"""Slack's side of the conversation: signed HTTP requests shaped like the ones Slack sends."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from itertools import count
from typing import Any
from urllib.parse import urlencode

import aiohttp

APP_ID = "A0ADVISOR"
_ids = count(1)


def sign(secret: str, body: str | bytes, timestamp: int | str) -> dict[str, str]:
    raw = body.encode() if isinstance(body, str) else body
    basestring = f"v0:{timestamp}:".encode() + raw
    digest = hmac.new(secret.encode(), basestring, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


def slash_form(
    team: str, user: str, text: str, *, channel: str = "C0GENERAL", response_url: str = ""
) -> dict[str, str]:
    """The form Slack posts for `/advisor <text>`."""
    return {
        "token": "legacy",
        "team_id": team,
        "team_domain": "acme",
        "channel_id": channel,
        "channel_name": "general",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/advisor",
        "text": text,
        "api_app_id": APP_ID,
        "response_url": response_url,
        "trigger_id": f"trigger.{next(_ids)}",
    }


def block_actions(
    team: str,
    user: str,
    message: dict[str, Any],
    action: dict[str, Any],
    state: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The `payload` of a button pressed on `message` (its ``ts``, ``channel`` and ``blocks``)."""
    return {
        "type": "block_actions",
        "user": {"id": user, "team_id": team},
        "api_app_id": APP_ID,
        "team": {"id": team, "domain": "acme"},
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": message["channel"],
            "is_ephemeral": False,
        },
        "trigger_id": f"trigger.{next(_ids)}",
        "channel": {"id": message["channel"], "name": "directmessage"},
        "message": {"type": "message", "ts": message["ts"], "blocks": message["blocks"]},
        "state": {"values": state or {}},
        "actions": [{**action, "action_ts": f"{time.time():.6f}"}],
    }


def event_callback(team: str, event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """The envelope of an Events API delivery."""
    return {
        "token": "legacy",
        "team_id": team,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
    }


def direct_message_event(user: str, text: str) -> dict[str, Any]:
    """A person writing `text` in their direct message with the app."""
    return {
        "type": "message",
        "channel_type": "im",
        "channel": f"D{user}",
        "user": user,
        "text": text,
        "ts": f"{time.time():.6f}",
    }


def view_submission(
    team: str, user: str, callback_id: str, values: dict[str, Any], *, metadata: str = ""
) -> dict[str, Any]:
    """The `payload` of a modal submitted."""
    return {
        "type": "view_submission",
        "team": {"id": team, "domain": "acme"},
        "user": {"id": user, "team_id": team},
        "api_app_id": APP_ID,
        "trigger_id": f"trigger.{next(_ids)}",
        "view": {
            "id": f"V{next(_ids):08d}",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": metadata,
            "state": {"values": values},
        },
    }


class SlackSide:
    """Sends what Slack would send to the advisor's `/slack/events`, signed with `secret`."""

    def __init__(self, http: aiohttp.ClientSession, url: str, secret: str, team: str) -> None:
        self._http = http
        self.url = url
        self.secret = secret
        self.team = team

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> aiohttp.ClientResponse:
        stamp = int(time.time()) if timestamp is None else timestamp
        signed = sign(secret or self.secret, body, stamp)
        all_headers = {"Content-Type": content_type, **signed, **(headers or {})}
        async with self._http.post(self.url, data=body.encode(), headers=all_headers) as response:
            await response.read()
            return response

    async def slash(
        self,
        user: str,
        text: str,
        *,
        channel: str = "C0GENERAL",
        response_url: str = "",
        **options: Any,
    ) -> aiohttp.ClientResponse:
        form = slash_form(self.team, user, text, channel=channel, response_url=response_url)
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **options)

    async def click(
        self,
        user: str,
        message: dict[str, Any],
        action: dict[str, Any],
        *,
        state: dict[str, Any] | None = None,
        **options: Any,
    ) -> aiohttp.ClientResponse:
        payload = block_actions(self.team, user, message, action, state)
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded", **options)

    async def event(
        self, event: dict[str, Any], *, event_id: str | None = None, **options: Any
    ) -> aiohttp.ClientResponse:
        envelope = event_callback(self.team, event, event_id)
        return await self.post(json.dumps(envelope), "application/json", **options)

    async def direct_message(self, user: str, text: str, **options: Any) -> aiohttp.ClientResponse:
        event = direct_message_event(user, text)
        return await self.event(event, **options)

    async def home_opened(self, user: str) -> aiohttp.ClientResponse:
        return await self.event(
            {"type": "app_home_opened", "user": user, "tab": "home", "channel": f"D{user}"}
        )

    async def url_verification(self, challenge: str) -> aiohttp.ClientResponse:
        body = json.dumps({"token": "legacy", "challenge": challenge, "type": "url_verification"})
        return await self.post(body, "application/json")

    async def submit_view(
        self, user: str, callback_id: str, values: dict[str, Any], *, metadata: str = ""
    ) -> aiohttp.ClientResponse:
        payload = view_submission(self.team, user, callback_id, values, metadata=metadata)
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")
