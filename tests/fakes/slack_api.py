"""A fake Slack Web API on loopback: a real `AsyncWebClient` talks to it over HTTP.

It answers the methods the advisor uses with Slack's shapes, records every call, and can be
told to answer 429 (with Retry-After) or `{"ok": false}` for the next call of a method.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import pytest
from aiohttp import web

Params = dict[str, Any]
Answer = dict[str, Any]

TEAM_ID = "T0FAKE"
BOT_USER_ID = "U0ADVISOR"
BOT_ID = "B0ADVISOR"
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
class _Failure:
    error: str
    status: int
    retry_after: int | None


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
        self.uploads: dict[str, _Upload] = {}
        self.messages: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        """Per channel, the messages by ts, as they stand after any chat.update."""
        self._failures: defaultdict[str, deque[_Failure]] = defaultdict(deque)
        self._tokens: frozenset[str] | None = None
        self._counter = itertools.count(1)
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

    def set_token(self, valid_tokens: str | Iterable[str] | None) -> None:
        """Only these tokens authenticate; None accepts any token."""
        if isinstance(valid_tokens, str):
            valid_tokens = (valid_tokens,)
        self._tokens = None if valid_tokens is None else frozenset(valid_tokens)

    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        status: int = 429,
        retry_after: int | None = 1,
        *,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with an error.

        Status 429 sends a ``Retry-After`` header (seconds); any other status answers
        ``{"ok": false, "error": error}`` with that HTTP status.
        """
        for _ in range(times):
            self._failures[method].append(_Failure(error, status, retry_after))

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

    def set_members(self, channel: str, user_ids: Iterable[str]) -> None:
        self.members[channel] = list(user_ids)

    def set_usergroup(self, usergroup: str, user_ids: Iterable[str]) -> None:
        self.usergroups[usergroup] = list(user_ids)

    def uploaded(self, file_id: str) -> bytes | None:
        """The bytes posted to a file's upload URL, if any."""
        upload = self.uploads.get(file_id)
        return upload.content if upload else None

    # The HTTP side

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        token = _token(request, params)
        answer, status, headers = self._answer(method, params, token)
        await self._record(Call(method, params, token, status))
        return web.json_response(answer, status=status, headers=headers)

    def _answer(
        self, method: str, params: Params, token: str | None
    ) -> tuple[Answer, int, dict[str, str]]:
        handler = _METHODS.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}, 200, {}
        if not token:
            return {"ok": False, "error": "not_authed"}, 200, {}
        if self._tokens is not None and token not in self._tokens:
            return {"ok": False, "error": "invalid_auth"}, 200, {}
        if self._failures[method]:
            failure = self._failures[method].popleft()
            headers = {}
            if failure.status == 429 and failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            return {"ok": False, "error": failure.error}, failure.status, headers
        return handler(self, params), 200, {}

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

    def _auth_test(self, params: Params) -> Answer:
        return {
            "url": "https://fake-team.slack.com/",
            "team": "Fake Team",
            "user": "advisor",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

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


def _ok(handler: _Handler) -> _Handler:
    def answer(fake: FakeSlackWebApi, params: Params) -> Answer:
        body = handler(fake, params)
        return {"ok": True, **body} if body.get("ok", True) else body

    return answer


_METHODS: dict[str, _Handler] = {
    name: _ok(handler)
    for name, handler in {
        "auth.test": FakeSlackWebApi._auth_test,
        "chat.postMessage": FakeSlackWebApi._post_message,
        "chat.update": FakeSlackWebApi._update,
        "chat.postEphemeral": FakeSlackWebApi._post_ephemeral,
        "conversations.open": FakeSlackWebApi._open,
        "conversations.members": FakeSlackWebApi._members,
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


def _channel(channel: str) -> str:
    """Posting to a user id lands in the direct message with that user."""
    return "D" + channel if channel[:1] in ("U", "W") else channel


@pytest.fixture
async def fake_slack_web_api() -> AsyncIterator[FakeSlackWebApi]:
    """A running `FakeSlackWebApi`, closed after the test."""
    async with FakeSlackWebApi() as fake:
        yield fake


__all__ = ["BOT_ID", "BOT_USER_ID", "TEAM_ID", "Call", "FakeSlackWebApi", "fake_slack_web_api"]
