"""A fake Slack Web API on loopback: a real `AsyncWebClient` talks to it over HTTP.

It answers the methods the advisor uses with Slack's shapes, records every call, and can be
told to answer 429 (with Retry-After) or `{"ok": false}` for the next call of a method, to keep
Slack's rate limits on messages (`enforce_limits`), or to fail a call the ways Slack's edge does
(`Fault`: a proxy's plain-text or HTML page, a hang, a reset connection, a broken JSON body). It
also plays Slack's side of an install (`oauth.v2.access` for codes handed out with `grant`) and
hands out a Socket Mode URL (`apps.connections.open`, see tests/fakes/socket_mode.py).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import itertools
import json
import socket
import struct
from collections import Counter, defaultdict, deque
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp import web

Params = dict[str, Any]
Answer = dict[str, Any]

AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"
TEAM_ID = "T0FAKE"
BOT_USER_ID = "U0ADVISOR"
BOT_ID = "B0ADVISOR"
APP_ID = "A0ADVISOR"
_JSON_PARAMS = ("blocks", "attachments", "view", "files", "metadata")
"""Form-encoded calls carry these as JSON strings; recorded parsed, as Slack reads them."""


@dataclass(frozen=True)
class Call:
    """One request as the fake received it."""

    method: str
    params: Params
    token: str | None
    status: int = 200


@dataclass(frozen=True)
class Workspace:
    """A workspace that installs the app: who it is and the bot token Slack issues it."""

    team_id: str
    team_name: str
    installer: str
    bot_token: str
    scopes: tuple[str, ...]
    bot_user_id: str = BOT_USER_ID
    bot_id: str = BOT_ID


class Fault(StrEnum):
    """A way a call fails other than with Slack's JSON error; see `FakeSlackWebApi.break_next`."""

    PLAIN_503 = "plain_503"
    """A proxy's plain-text error page: 503, ``text/plain``. The call never reached Slack."""
    HTML_502 = "html_502"
    """A load balancer's HTML error page: 502, ``text/html``. The call never reached Slack."""
    BROKEN_JSON = "broken_json"
    """A 500 whose ``application/json`` body is cut off. The call never reached Slack."""
    HANG = "hang"
    """Slack does the call but its answer comes `hang_seconds` late, after any sane timeout:
    the worst case for a client, which cannot tell whether a post it gave up on went out."""
    RESET = "reset"
    """The connection is reset (TCP RST) before any answer. The call never reached Slack."""


_FAULT_PAGES = {
    Fault.PLAIN_503: (503, "text/plain", "Service Unavailable"),
    Fault.HTML_502: (502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"),
    Fault.BROKEN_JSON: (500, "application/json", '{"ok": false, "err'),
}
RESET = 0
"""The `Call.status` of a call whose connection was reset: no answer at all."""


@dataclass(frozen=True)
class _Failure:
    error: str
    status: int
    retry_after: int | None
    channel: str | None
    fault: Fault | None = None

    def applies(self, params: Params) -> bool:
        return self.channel is None or params.get("channel") == self.channel


@dataclass(frozen=True)
class Limits:
    """Slack's limits on chat.postMessage, as `FakeSlackWebApi.enforce_limits` keeps them: at
    most one message a second in a channel and `per_workspace` a second in a workspace (a bot
    token), counted over the last second; a message beyond is answered 429 with Retry-After."""

    per_workspace: int = 10
    retry_after: int = 1


@dataclass
class _Upload:
    filename: str
    length: int
    content: bytes | None = None


class FakeSlackWebApi:
    """Slack's Web API at ``url + "/api/"``, for ``AsyncWebClient(base_url=...)``.

    Configure people and channels with `add_user`, `set_members`, `set_usergroup`; inject
    faults with `fail_next`; restrict tokens with `set_token`. Use ``async with`` or the
    `fake_slack_web_api` fixture.
    """

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._recorded = asyncio.Condition()
        self.users: dict[str, dict[str, Any]] = {}
        self.members: dict[str, list[str]] = {}
        self.usergroups: dict[str, list[str]] = {}
        self.usergroup_handles: dict[str, str] = {}
        self.channel_names: dict[str, str] = {}
        """What `conversations.info` calls a channel; a channel not here is not found."""
        self.uploads: dict[str, _Upload] = {}
        self.messages: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        """Per channel, the messages by ts, as they stand after any chat.update."""
        self._failures: defaultdict[str, deque[_Failure]] = defaultdict(deque)
        self._tokens: frozenset[str] | None = None
        self._client: tuple[str, str] | None = None
        self._codes: dict[str, Workspace] = {}
        self._installed: dict[str, Workspace] = {}
        """By bot token: the workspaces whose code was exchanged."""
        self.delays: dict[str, float] = {}
        """Seconds to wait before answering a method, to make room for a crash mid-batch."""
        self.hang_seconds = 30.0
        """How long a `Fault.HANG` holds its answer back (cut short when the fake closes)."""
        self._closing = asyncio.Event()
        self.socket_mode_url: str | None = None
        """What `apps.connections.open` answers; set by `FakeSocketMode`."""
        self.connections: dict[tuple[str, int], asyncio.BaseTransport] = {}
        """Every TCP connection a Web API call came over, by the client's (address, port)."""
        self._counter = itertools.count(1)
        self._limits: Limits | None = None
        self._posted: defaultdict[tuple[str, ...], deque[float]] = defaultdict(deque)
        self.rate_limited: Counter[str] = Counter()
        """chat.postMessage calls answered 429 by `enforce_limits`, by bot token."""
        self._runner: web.AppRunner | None = None
        self._port = 0

    @property
    def url(self) -> str:
        """The server's root, e.g. ``http://127.0.0.1:54321``; methods live under ``/api/``."""
        if self._runner is None:
            raise RuntimeError("the fake Slack API is not running: use `async with`")
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    async def start(self) -> FakeSlackWebApi:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/respond/{id}", self._respond)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        self._closing.set()  # hung answers go out now, so shutting down does not wait for them
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlackWebApi:
        return await self.start()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    # Configuration and assertions

    def called(self, method: str) -> list[Params]:
        """The params of every call of `method`, in order (failed calls included)."""
        return [call.params for call in self.calls if call.method == method]

    def open_connections(self) -> int:
        """How many of `connections` the client has not closed."""
        return sum(not transport.is_closing() for transport in self.connections.values())

    def set_token(self, valid_tokens: str | Iterable[str] | None) -> None:
        """Only these tokens authenticate; None accepts any token."""
        if isinstance(valid_tokens, str):
            valid_tokens = (valid_tokens,)
        self._tokens = None if valid_tokens is None else frozenset(valid_tokens)

    def set_client(self, client_id: str, client_secret: str) -> None:
        """The app's credentials: `oauth.v2.access` refuses any others."""
        self._client = (client_id, client_secret)

    def grant(
        self,
        code: str,
        *,
        team_id: str,
        team_name: str,
        installer: str,
        bot_token: str,
        scopes: Iterable[str],
        bot_user_id: str = BOT_USER_ID,
        bot_id: str = BOT_ID,
    ) -> Workspace:
        """Slack's authorize page approved an install: `code` is good for one `oauth.v2.access`.

        Once exchanged, `bot_token` is that workspace's: `auth.test` with it names the workspace.
        """
        workspace = Workspace(
            team_id, team_name, installer, bot_token, tuple(scopes), bot_user_id, bot_id
        )
        self._codes[code] = workspace
        return workspace

    def authorize(
        self,
        url: str,
        *,
        team_id: str,
        team_name: str,
        installer: str,
        bot_token: str,
        bot_user_id: str = BOT_USER_ID,
    ) -> dict[str, str]:
        """A person approves the install at Slack's authorize `url` for their workspace.

        Slack grants the scopes the link asks for and redirects the browser back with a fresh
        code and the link's own state: those query parameters are returned.
        """
        link = urlsplit(url)
        query = {name: values[0] for name, values in parse_qs(link.query).items()}
        if f"{link.scheme}://{link.netloc}{link.path}" != AUTHORIZE_URL:
            raise AssertionError(f"not Slack's authorize page: {url}")
        if self._client is not None and query.get("client_id") != self._client[0]:
            raise AssertionError(f"Slack does not know this client_id: {url}")
        code = self._next("code-")
        self.grant(
            code,
            team_id=team_id,
            team_name=team_name,
            installer=installer,
            bot_token=bot_token,
            scopes=query.get("scope", "").split(","),
            bot_user_id=bot_user_id,
        )
        return {"code": code, "state": query.get("state", "")}

    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        status: int = 429,
        retry_after: int | None = 1,
        *,
        times: int = 1,
        channel: str | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` (to `channel`, if given) with an error.

        Status 429 sends a ``Retry-After`` header (seconds); any other status answers
        ``{"ok": false, "error": error}`` with that HTTP status.
        """
        for _ in range(times):
            self._failures[method].append(_Failure(error, status, retry_after, channel))

    def break_next(
        self, method: str, fault: Fault, *, times: int = 1, channel: str | None = None
    ) -> None:
        """Fail the next `times` calls of `method` (to `channel`, if given) with `fault`; the
        calls after them are answered as usual. Queued with `fail_next`'s, in order.

        Each failed call is recorded, with the status sent (`RESET` when there was no answer).
        """
        status = _FAULT_PAGES[fault][0] if fault in _FAULT_PAGES else RESET
        for _ in range(times):
            self._failures[method].append(_Failure(fault.value, status, None, channel, fault))

    def enforce_limits(self, limits: Limits | None = None) -> None:
        """From now on, answer chat.postMessage beyond Slack's `limits` with a 429 (and count
        it in `rate_limited`); None stops enforcing them."""
        self._limits = limits
        self._posted.clear()

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        tz: str = "Europe/Amsterdam",
        locale: str = "nl-NL",
        team_id: str = TEAM_ID,
    ) -> dict[str, Any]:
        user = {
            "id": user_id,
            "team_id": team_id,
            "name": name or user_id.lower(),
            "real_name": name or user_id,
            "deleted": deleted,
            "is_bot": is_bot,
            "is_app_user": False,
            "tz": tz,
            "tz_offset": 3600 if tz == "Europe/Amsterdam" else 0,
            "locale": locale,
            "profile": {"real_name": name or user_id, "display_name": name or user_id},
        }
        self.users[user_id] = user
        return user

    def name_channel(self, channel: str, name: str) -> None:
        self.channel_names[channel] = name

    def set_members(self, channel: str, user_ids: Iterable[str]) -> None:
        self.members[channel] = list(user_ids)

    def set_usergroup(
        self, usergroup: str, user_ids: Iterable[str], *, handle: str | None = None
    ) -> None:
        self.usergroups[usergroup] = list(user_ids)
        self.usergroup_handles[usergroup] = handle or usergroup.lower()

    def uploaded(self, file_id: str) -> bytes | None:
        """The bytes posted to a file's upload URL, if any."""
        upload = self.uploads.get(file_id)
        return upload.content if upload else None

    # The HTTP side

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.transport is not None:
            self.connections[request.transport.get_extra_info("peername")[:2]] = request.transport
        params = await _params(request)
        if method in _CLIENT_AUTHENTICATED:
            client = _client(request, params)
            refusal = self._client_refusal(client)
            token = None
            params["client_id"] = client[0] if client else None
        else:
            token = _token(request, params)
            refusal = self._token_refusal(method, token)
        fault = self._fault(method, params)
        if fault in _FAULT_PAGES or fault is Fault.RESET:
            return await self._broken(request, Call(method, params, token), fault)
        if method in self.delays:
            await asyncio.sleep(self.delays[method])
        if refusal is None and self._over_limit(method, params, token):
            self.rate_limited[token or ""] += 1
            assert self._limits is not None
            answer, status = {"ok": False, "error": "ratelimited"}, 429
            headers = {"Retry-After": str(self._limits.retry_after)}
        elif refusal is None:
            answer, status, headers = self._answer(method, params, token)
        else:
            answer, status, headers = {"ok": False, "error": refusal}, 200, {}
        await self._record(Call(method, params, token, status))
        if fault is Fault.HANG:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self.hang_seconds)
        return web.json_response(answer, status=status, headers=headers)

    def _over_limit(self, method: str, params: Params, token: str | None) -> bool:
        """Whether this message goes beyond the enforced limits; if not, it is counted."""
        if self._limits is None or method != "chat.postMessage":
            return False
        now = asyncio.get_running_loop().time()
        workspace = (token or "",)
        channel = (token or "", _channel(str(params.get("channel", ""))))
        for key in (workspace, channel):
            held = self._posted[key]
            while held and held[0] <= now - 1.0:
                held.popleft()
        if len(self._posted[channel]) >= 1:
            return True
        if len(self._posted[workspace]) >= self._limits.per_workspace:
            return True
        self._posted[workspace].append(now)
        self._posted[channel].append(now)
        return False

    def _fault(self, method: str, params: Params) -> Fault | None:
        """Take the next failure for this call if it is a `Fault`; JSON errors wait for
        `_answer`, which gives them only to calls that pass the token check."""
        failure = next((f for f in self._failures[method] if f.applies(params)), None)
        if failure is None or failure.fault is None:
            return None
        self._failures[method].remove(failure)
        return failure.fault

    async def _broken(self, request: web.Request, call: Call, fault: Fault) -> web.Response:
        if fault is Fault.RESET:
            await self._record(replace(call, status=RESET))
            # A zero linger turns close into a TCP reset: the client reads ECONNRESET.
            held = request.transport
            if held is not None:
                held.get_extra_info("socket").setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                held.abort()
            return web.Response()
        status, content_type, body = _FAULT_PAGES[fault]
        await self._record(replace(call, status=status))
        return web.Response(status=status, text=body, content_type=content_type)

    def _token_refusal(self, method: str, token: str | None) -> str | None:
        if method not in _METHODS:
            return "unknown_method"
        if not token:
            return "not_authed"
        if self._tokens is not None and token not in self._tokens:
            return "invalid_auth"
        if (method in _APP_TOKEN_METHODS) != token.startswith("xapp-"):
            return "not_allowed_token_type"
        return None

    def _client_refusal(self, client: tuple[str, str] | None) -> str | None:
        if client is None or (self._client is not None and client[0] != self._client[0]):
            return "invalid_client_id"
        if self._client is not None and client[1] != self._client[1]:
            return "bad_client_secret"
        return None

    def _answer(
        self, method: str, params: Params, token: str | None
    ) -> tuple[Answer, int, dict[str, str]]:
        handler = _METHODS[method]
        failure = next((f for f in self._failures[method] if f.applies(params)), None)
        if failure is not None and failure.fault is None:
            self._failures[method].remove(failure)
            headers = {}
            if failure.status == 429 and failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            return {"ok": False, "error": failure.error}, failure.status, headers
        return handler(self, params, token), 200, {}

    async def _upload(self, request: web.Request) -> web.Response:
        upload = self.uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="Not found", content_type="text/plain")
        upload.content = await request.read()
        await self._record(Call("upload", {"file_id": request.match_info["file_id"]}, None))
        return web.Response(text=f"OK - {len(upload.content)}", content_type="text/plain")

    async def _record(self, call: Call) -> None:
        async with self._recorded:
            self.calls.append(call)
            self._recorded.notify_all()

    async def wait_for(self, method: str, count: int = 1) -> list[Params]:
        """Wait until `method` has been called `count` times; the caller bounds the wait."""
        async with self._recorded:
            await self._recorded.wait_for(lambda: len(self.called(method)) >= count)
        return self.called(method)

    def latest(self, channel: str) -> dict[str, Any]:
        """The newest message in a channel (``channel``, ``ts``, ``text``, ``blocks``)."""
        held = self.messages.get(channel)
        if not held:
            raise AssertionError(f"no message in {channel}")
        return held[max(held, key=float)]

    def response_url(self, name: str) -> str:
        """A `response_url` for a slash command; what is posted there is recorded as ``respond``."""
        return f"{self.url}/respond/{name}"

    async def _respond(self, request: web.Request) -> web.Response:
        params = await request.json()
        await self._record(Call("respond", {"id": request.match_info["id"], **params}, None))
        return web.Response(text="ok", content_type="text/plain")

    # The methods

    def _next(self, prefix: str) -> str:
        return f"{prefix}{next(self._counter):08d}"

    def _ts(self) -> str:
        number = next(self._counter)
        return f"{1_700_000_000 + number}.{number:06d}"

    def _auth_test(self, params: Params, token: str | None) -> Answer:
        """Who the token belongs to: an installed workspace's bot, or by default the fake team."""
        workspace = self._installed.get(token or "")
        if workspace is None:
            return {
                "url": "https://fake-team.slack.com/",
                "team": "Fake Team",
                "user": "advisor",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        return {
            "url": f"https://{workspace.team_id.lower()}.slack.com/",
            "team": workspace.team_name,
            "user": "advisor",
            "team_id": workspace.team_id,
            "user_id": workspace.bot_user_id,
            "bot_id": workspace.bot_id,
            "is_enterprise_install": False,
        }

    def _oauth_v2_access(self, params: Params) -> Answer:
        """Exchange a code from `grant` (once) for the workspace's bot token, as Slack's v2 does."""
        workspace = self._codes.pop(str(params.get("code", "")), None)
        if workspace is None:
            return {"ok": False, "error": "invalid_code"}
        self._installed[workspace.bot_token] = workspace
        return {
            "access_token": workspace.bot_token,
            "token_type": "bot",
            "scope": ",".join(workspace.scopes),
            "bot_user_id": workspace.bot_user_id,
            "app_id": APP_ID,
            "team": {"id": workspace.team_id, "name": workspace.team_name},
            "enterprise": None,
            "authed_user": {"id": workspace.installer},
            "is_enterprise_install": False,
        }

    def _connections_open(self, params: Params) -> Answer:
        if self.socket_mode_url is None:
            return {"ok": False, "error": "fake_socket_mode_not_started"}
        return {"url": self.socket_mode_url}

    def _post_message(self, params: Params) -> Answer:
        ts = self._ts()
        channel = _channel(str(params.get("channel", "")))
        message = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "ts": ts,
            "text": params.get("text", ""),
            "blocks": params.get("blocks", []),
        }
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        if isinstance(params.get("metadata"), dict):
            message["metadata"] = params["metadata"]
        self.messages[channel][ts] = {"channel": channel, **message}
        return {"channel": channel, "ts": ts, "message": message}

    def _update(self, params: Params) -> Answer:
        ts = str(params.get("ts", ""))
        channel = _channel(str(params.get("channel", "")))
        if ts not in self.messages[channel]:
            return {"ok": False, "error": "message_not_found"}
        self.messages[channel][ts].update(
            text=params.get("text", ""), blocks=params.get("blocks", [])
        )
        return {
            "channel": _channel(str(params.get("channel", ""))),
            "ts": ts,
            "text": params.get("text", ""),
            "message": {"text": params.get("text", ""), "blocks": params.get("blocks", [])},
        }

    def _post_ephemeral(self, params: Params) -> Answer:
        return {"message_ts": self._ts()}

    def _open(self, params: Params) -> Answer:
        users = str(params.get("users", "")).split(",")
        return {"channel": {"id": "D" + users[0]}}

    def _members(self, params: Params) -> Answer:
        channel = str(params.get("channel", ""))
        if channel not in self.members:
            return {"ok": False, "error": "channel_not_found"}
        everyone = self.members[channel]
        start = int(str(params.get("cursor") or "0").removeprefix("next:") or 0)
        limit = int(params.get("limit") or 100)
        page = everyone[start : start + limit]
        following = f"next:{start + limit}" if start + limit < len(everyone) else ""
        return {"members": page, "response_metadata": {"next_cursor": following}}

    def _conversation_info(self, params: Params) -> Answer:
        channel = str(params.get("channel", ""))
        if channel not in self.channel_names:
            return {"ok": False, "error": "channel_not_found"}
        return {"channel": {"id": channel, "name": self.channel_names[channel], "is_channel": True}}

    def _history(self, params: Params) -> Answer:
        """A conversation's messages, newest first; metadata only when asked for, as Slack does."""
        channel = str(params.get("channel", ""))
        held = sorted(self.messages.get(channel, {}).values(), key=lambda m: -float(m["ts"]))
        limit = int(params.get("limit") or 100)
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        page = [
            {k: v for k, v in message.items() if k != "metadata" or with_metadata}
            for message in held[:limit]
        ]
        return {"messages": page, "has_more": len(held) > limit}

    def _usergroups_list(self, params: Params) -> Answer:
        return {
            "usergroups": [
                {"id": group, "team_id": TEAM_ID, "handle": handle, "name": handle.title()}
                for group, handle in self.usergroup_handles.items()
            ]
        }

    def _usergroup_users(self, params: Params) -> Answer:
        group = str(params.get("usergroup", ""))
        if group not in self.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"users": self.usergroups[group]}

    def _user_info(self, params: Params) -> Answer:
        user = self.users.get(str(params.get("user", "")))
        return {"user": user} if user else {"ok": False, "error": "user_not_found"}

    def _view(self, params: Params) -> Answer:
        view = params.get("view")
        if not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments"}
        view_id = str(params.get("view_id") or self._next("V"))
        return {"view": {"id": view_id, "team_id": TEAM_ID, "hash": self._next("h"), **view}}

    def _get_upload_url(self, params: Params) -> Answer:
        filename, length = params.get("filename"), params.get("length")
        if not filename or not str(length or "").isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = self._next("F")
        self.uploads[file_id] = _Upload(str(filename), int(str(length)))
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, params: Params) -> Answer:
        files = params.get("files")
        if not isinstance(files, list) or not files:
            return {"ok": False, "error": "invalid_arguments"}
        answered = []
        for item in files:
            upload = self.uploads.get(str(item.get("id")))
            if upload is None or upload.content is None:
                return {"ok": False, "error": "file_not_found"}
            answered.append(
                {
                    "id": item["id"],
                    "name": upload.filename,
                    "title": item.get("title") or upload.filename,
                    "size": len(upload.content),
                }
            )
        return {"files": answered}


_Handler = Callable[[FakeSlackWebApi, Params], Answer]
_CallerHandler = Callable[[FakeSlackWebApi, Params, str | None], Answer]


def _ok(handler: _Handler) -> _CallerHandler:
    return _ok_as_caller(lambda fake, params, _: handler(fake, params))


def _ok_as_caller(handler: _CallerHandler) -> _CallerHandler:
    def answer(fake: FakeSlackWebApi, params: Params, token: str | None) -> Answer:
        body = handler(fake, params, token)
        return {"ok": True, **body} if body.get("ok", True) else body

    return answer


_CLIENT_AUTHENTICATED = frozenset({"oauth.v2.access"})
"""Called with the app's client id and secret (HTTP Basic or form fields), not a token."""
_APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
"""Called with the app-level (xapp-) token, which no other method accepts."""

_METHODS: dict[str, _CallerHandler] = {
    "auth.test": _ok_as_caller(FakeSlackWebApi._auth_test),
} | {
    name: _ok(handler)
    for name, handler in {
        "oauth.v2.access": FakeSlackWebApi._oauth_v2_access,
        "apps.connections.open": FakeSlackWebApi._connections_open,
        "chat.postMessage": FakeSlackWebApi._post_message,
        "chat.update": FakeSlackWebApi._update,
        "chat.postEphemeral": FakeSlackWebApi._post_ephemeral,
        "conversations.open": FakeSlackWebApi._open,
        "conversations.members": FakeSlackWebApi._members,
        "conversations.history": FakeSlackWebApi._history,
        "conversations.info": FakeSlackWebApi._conversation_info,
        "usergroups.list": FakeSlackWebApi._usergroups_list,
        "usergroups.users.list": FakeSlackWebApi._usergroup_users,
        "users.info": FakeSlackWebApi._user_info,
        "views.publish": FakeSlackWebApi._view,
        "views.open": FakeSlackWebApi._view,
        "views.update": FakeSlackWebApi._view,
        "files.getUploadURLExternal": FakeSlackWebApi._get_upload_url,
        "files.completeUploadExternal": FakeSlackWebApi._complete_upload,
    }.items()
}


async def _params(request: web.Request) -> Params:
    """Query string, then a JSON or form body, merged as Slack merges them."""
    params: Params = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            params.update(body if isinstance(body, dict) else {})
        else:
            form = await request.post()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
    for key in _JSON_PARAMS:
        if isinstance(params.get(key), str):
            with contextlib.suppress(json.JSONDecodeError):
                params[key] = json.loads(params[key])
    return params


def _token(request: web.Request, params: Params) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        return token
    from_params = params.pop("token", None)
    return str(from_params) if from_params else None


def _client(request: web.Request, params: Params) -> tuple[str, str] | None:
    """The client id and secret, from HTTP Basic auth or the form; the secret is not recorded."""
    secret = params.pop("client_secret", None)
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(encoded, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        login, colon, password = decoded.partition(":")
        return (login, password) if colon else None
    client_id = params.get("client_id")
    return (str(client_id), str(secret)) if client_id and secret else None


def _channel(channel: str) -> str:
    """Posting to a user id lands in the direct message with that user."""
    return "D" + channel if channel[:1] in ("U", "W") else channel


@pytest.fixture
async def fake_slack_web_api() -> AsyncIterator[FakeSlackWebApi]:
    """A running `FakeSlackWebApi`, closed after the test."""
    async with FakeSlackWebApi() as fake:
        yield fake


__all__ = [
    "APP_ID",
    "AUTHORIZE_URL",
    "BOT_ID",
    "BOT_USER_ID",
    "RESET",
    "TEAM_ID",
    "Call",
    "FakeSlackWebApi",
    "Fault",
    "Limits",
    "Workspace",
    "fake_slack_web_api",
]
