"""A fake Bot Framework connector (REST API v3) on loopback: the real botbuilder SDK talks to it.

It plays the part of Teams' `serviceUrl`: it stores what the bot sends, replies and updates,
opens 1:1 conversations, serves team rosters, team details and channels, records every request,
and can be told to answer an error (403, 404, 429 with Retry-After, 500) or to demand a token.
It also plays the upload session of Teams' file consent: `upload_info` is what Teams puts in a
``fileConsent/invoke`` when someone allows a file, its ``uploadUrl`` pointing here (``PUT
/upload/{id}``), and `uploaded` what the bot put there.

It runs in its own thread with its own event loop, because part of the SDK calls it with the
blocking `requests` library from inside the bot's event loop (`TeamsInfo.get_team_details` and
`get_team_channels` go through the synchronous `TeamsConnectorClient`); a server on the test's
loop would never get to answer those.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import threading
import uuid
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal

import pytest
from aiohttp import web

Json = dict[str, Any]
Shape = Literal["json", "html", "text", "reset"]
"""How a failure answers: Bot Framework's ErrorResponse, a proxy's HTML or plain-text error
page, or no answer at all (the connection dropped)."""

TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
"""The tenant of the fake organisation."""
DEFAULT_PAGE_SIZE = 200
"""Members per page of `pagedmembers` when the caller sends no pageSize."""
_FIRST_ACTIVITY_ID = 1_700_000_000_000
"""Teams' activity ids in channels are millisecond timestamps; ours count up from here."""
_UNAUTHORIZED = {"message": "Authorization has been denied for this request."}
_HTML_PAGE = (
    "<html><head><title>{status}</title></head><body><center><h1>{status} {message}</h1>"
    "</center><hr><center>nginx</center></body></html>"
)
_TEXT_PAGE = "upstream connect error or disconnect/reset before headers. reset reason: {message}"
"""The connector's 401 body is ASP.NET's default, not an ErrorResponse."""
_ERROR_CODES = {
    # 403 and 404 are the codes Teams answers with; the others are plausible stand-ins.
    400: ("BadArgument", "The request is malformed."),
    401: ("Unauthorized", "Authorization has been denied for this request."),
    403: ("BotNotInConversationRoster", "The bot is not part of the conversation roster."),
    404: ("ConversationNotFound", "Conversation not found."),
    412: ("PreconditionFailed", "The conversation is not in a state to accept this."),
    429: ("Throttled", "Too many requests; retry after the period in Retry-After."),
    500: ("ServiceError", "An internal error occurred."),
    502: ("ServiceError", "The downstream service did not answer."),
    503: ("ServiceUnavailable", "The service is unavailable."),
}


def teams_member(
    name: str,
    *,
    member_id: str | None = None,
    aad_object_id: str | None = None,
    email: str | None = None,
    tenant_id: str = TENANT_ID,
    user_role: str = "user",
) -> Json:
    """A person as Teams' roster APIs describe them (a TeamsChannelAccount, camelCase).

    Ids are derived from the name unless given, so the same name is the same person. Teams
    documents ``userRole`` as "user" for members and owners and "guest" for guests; bots are
    not listed in rosters.
    """
    digest = hashlib.sha256(f"{tenant_id}/{name}".encode()).digest()
    given, _, surname = name.partition(" ")
    address = email or f"{name.lower().replace(' ', '.')}@contoso.example"
    return {
        "id": member_id or "29:1" + base64.urlsafe_b64encode(digest).decode().rstrip("="),
        "name": name,
        "aadObjectId": aad_object_id or str(uuid.UUID(bytes=digest[:16], version=4)),
        "givenName": given,
        "surname": surname,
        "email": address,
        "userPrincipalName": address,
        "tenantId": tenant_id,
        "userRole": user_role,
    }


def personal_conversation_id(member_id: str) -> str:
    """The id of the bot's 1:1 conversation with a member: stable, as Teams keeps it."""
    digest = hashlib.sha256(member_id.encode()).digest()
    return "a:1" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


@dataclass(frozen=True)
class Request:
    """One request as the fake received it, and how it answered."""

    method: str
    path: str
    conversation_id: str | None
    body: Any
    authorization: str | None
    status: int


@dataclass(frozen=True)
class Update:
    """A PUT that replaced an activity in place."""

    conversation_id: str
    activity_id: str
    activity: Json


@dataclass(frozen=True)
class Uploaded:
    """A file the bot put into an upload session, and how it asked."""

    upload_id: str
    name: str
    content: bytes
    content_range: str | None
    authorization: str | None


@dataclass(frozen=True)
class _Fault:
    """Something done to requests about a conversation, of a method, to a path (None: any)."""

    conversation_id: str | None
    method: str | None
    path: str | None

    def applies(self, conversation_id: str | None, method: str, path: str) -> bool:
        if self.method not in (None, method) or self.path not in (None, path):
            return False
        return self.conversation_id is None or (
            conversation_id is not None
            and self.conversation_id in (conversation_id, _thread_root(conversation_id))
        )


@dataclass(frozen=True)
class _Failure(_Fault):
    status: int
    code: str
    message: str
    retry_after: int | None
    shape: Shape


@dataclass(frozen=True)
class _Stall(_Fault):
    seconds: float


@dataclass
class _Team:
    info: Json
    members: list[Json]
    channels: list[Json]


class FakeConnector:
    """The Bot Connector at `service_url`, for ``ConnectorClient(credentials, service_url)``.

    Configure rosters with `add_team` and `add_personal`: as Teams does, it answers 404
    ConversationNotFound for a conversation it does not know. Inject faults with `fail`; demand
    a bearer token with `expect_token`. Read back with `sent`, `updates`, `requests` and
    `conversation_of`. Use ``async with`` or the `fake_connector` fixture.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[Request] = []
        self._activities: dict[str, dict[str, Json]] = {}
        """Per conversation, its activities by id in the order they arrived (deletes removed)."""
        self._updates: list[Update] = []
        self._teams: dict[str, _Team] = {}
        self._personal: dict[str, Json] = {}
        """1:1 conversations: the member each belongs to, by conversation id."""
        self._sessions: dict[str, str] = {}
        """Upload sessions handed out, the file's name by session id."""
        self._uploaded: list[Uploaded] = []
        self._failures: deque[_Failure] = deque()
        self._stalls: deque[_Stall] = deque()
        self._token: str | None = None
        self._ids = itertools.count(_FIRST_ACTIVITY_ID)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._test_loop: asyncio.AbstractEventLoop | None = None
        self._waiters: set[asyncio.Future[None]] = set()

    @property
    def url(self) -> str:
        """The server's root without a trailing slash, e.g. ``http://127.0.0.1:54321``."""
        if self._runner is None:
            raise RuntimeError("the fake connector is not running: use `async with`")
        return f"http://127.0.0.1:{self._port}"

    @property
    def service_url(self) -> str:
        """What activities carry as ``serviceUrl``: with a trailing slash, as Teams sends it."""
        return f"{self.url}/"

    async def start(self) -> FakeConnector:
        self._test_loop = asyncio.get_running_loop()
        loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=loop.run_forever, name="fake-bot-connector", daemon=True
        )
        self._loop = loop
        self._thread.start()
        try:
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self._serve(), loop))
        except BaseException:
            await self.close()
            raise
        return self

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_post("/v3/conversations/{cid}/activities", self._send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._reply)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._update)
        app.router.add_delete("/v3/conversations/{cid}/activities/{aid}", self._delete)
        app.router.add_get("/v3/conversations/{cid}/members", self._members)
        app.router.add_get("/v3/conversations/{cid}/members/{mid}", self._member)
        app.router.add_get("/v3/conversations/{cid}/pagedmembers", self._paged_members)
        app.router.add_get("/v3/teams/{tid}", self._team_details)
        app.router.add_get("/v3/teams/{tid}/conversations", self._channels)
        app.router.add_put("/upload/{uid}", self._upload)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._port = runner.addresses[0][1]
        self._runner = runner

    async def close(self) -> None:
        loop, thread, runner = self._loop, self._thread, self._runner
        if loop is None or thread is None:
            return
        if runner is not None:
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(runner.cleanup(), loop))
        loop.call_soon_threadsafe(loop.stop)
        await asyncio.to_thread(thread.join)
        loop.close()
        self._loop = self._thread = self._runner = None

    async def __aenter__(self) -> FakeConnector:
        return await self.start()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    # Configuration

    def add_team(
        self,
        team_id: str,
        name: str,
        members: Iterable[Mapping[str, Any]] = (),
        *,
        channels: Mapping[str, str] | None = None,
        aad_group_id: str | None = None,
    ) -> Json:
        """A team the bot is installed in, with its roster and channels.

        The General channel shares the team's id and, as Teams answers it, has no name;
        `channels` adds others (id to name). Returns the team as activities carry it in
        ``channelData.team`` (``id``, ``name``, ``aadGroupId``).
        """
        group = aad_group_id or str(uuid.uuid5(uuid.NAMESPACE_URL, team_id))
        info = {"id": team_id, "name": name, "aadGroupId": group}
        listed = [{"id": team_id, "name": None}] + [
            {"id": channel_id, "name": channel_name}
            for channel_id, channel_name in (channels or {}).items()
        ]
        with self._lock:
            self._teams[team_id] = _Team(info, [dict(member) for member in members], listed)
        return dict(info)

    def add_personal(self, member: Mapping[str, Any], conversation_id: str | None = None) -> str:
        """The 1:1 conversation a member has with the bot (they installed it); returns its id."""
        conversation = conversation_id or personal_conversation_id(str(member["id"]))
        with self._lock:
            self._personal[conversation] = dict(member)
        return conversation

    def fail(
        self,
        status: int,
        *,
        conversation: str | None = None,
        times: int = 1,
        retry_after: int | None = None,
        code: str | None = None,
        message: str | None = None,
        shape: Shape = "json",
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """Answer the next `times` requests (about `conversation`, of `method`, to `path`; any
        if not given) with an error.

        The body is a Bot Framework ErrorResponse, ``{"error": {"code", "message"}}``, with a
        code for that status unless `code` is given (403 BotNotInConversationRoster, 404
        ConversationNotFound; pass "ConversationBlockedByUser" for a person who blocked the
        bot); with `shape` "html" or "text" it is a proxy's error page instead, and with
        "reset" the connection is dropped without an answer (recorded as status 0). A failure
        for a channel also hits its threads (``<channel>;messageid=...``). Status 429 sends
        ``Retry-After`` (`retry_after` seconds, 1 by default). Mind that the SDK itself retries
        GET, PUT and DELETE after a 5xx, up to 3 times.
        """
        default_code, default_message = _ERROR_CODES.get(status, ("ServiceError", "Failed."))
        if status == 429 and retry_after is None:
            retry_after = 1
        failure = _Failure(
            conversation,
            method,
            path,
            status,
            code or default_code,
            message or default_message,
            retry_after,
            shape,
        )
        with self._lock:
            self._failures.extend([failure] * times)

    def stall(
        self,
        seconds: float,
        *,
        conversation: str | None = None,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """Keep the next `times` requests (about `conversation`, of `method`, to `path`; any if
        not given) waiting `seconds` before answering them as usual: a slow connector, or one
        the bot gives up on. ``path="/v3/conversations"`` stalls opening personal chats."""
        with self._lock:
            self._stalls.extend([_Stall(conversation, method, path, seconds)] * times)

    def expect_token(self, token: str | None) -> None:
        """Refuse with 401 any request not sent with ``Authorization: Bearer <token>``.

        None accepts anything again (the default: a bot without an app id sends no token).
        """
        with self._lock:
            self._token = token

    def upload_info(self, name: str) -> Json:
        """A new upload session for a file named `name`, as Teams describes it in the
        ``uploadInfo`` of a ``fileConsent/invoke`` (its ``uploadUrl`` served here)."""
        session = uuid.uuid4().hex
        with self._lock:
            self._sessions[session] = name
        return {
            "name": name,
            "uploadUrl": f"{self.url}/upload/{session}",
            "contentUrl": f"https://contoso-my.sharepoint.com/personal/Documents/Applications/{name}",
            "uniqueId": session,
            "fileType": name.rpartition(".")[2],
        }

    # Assertions

    def uploaded(self, name: str | None = None) -> list[Uploaded]:
        """The files put into upload sessions (named `name`, if given), in order."""
        with self._lock:
            return [u for u in self._uploaded if name is None or u.name == name]

    @property
    def requests(self) -> list[Request]:
        """Every request so far, in order (failed and refused ones included)."""
        with self._lock:
            return list(self._requests)

    @property
    def updates(self) -> list[Update]:
        """Every successful PUT, in order."""
        with self._lock:
            return list(self._updates)

    def sent(self, conversation_id: str) -> list[Json]:
        """The activities now in a conversation, oldest first, as updated; deleted ones gone.

        A channel's threads are conversations of their own (``<channel>;messageid=<root>``).
        """
        with self._lock:
            return [
                dict(activity) for activity in self._activities.get(conversation_id, {}).values()
            ]

    def conversation_of(self, member_id: str) -> str | None:
        """The id of the 1:1 conversation with a member, if one was created or added."""
        with self._lock:
            return next(
                (cid for cid, member in self._personal.items() if member["id"] == member_id), None
            )

    async def wait_for_sent(self, conversation_id: str, count: int = 1) -> list[Json]:
        """Wait until a conversation holds `count` activities; the caller bounds the wait."""
        while len(self.sent(conversation_id)) < count:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.add(waiter)
            try:
                if len(self.sent(conversation_id)) >= count:
                    break
                await waiter
            finally:
                self._waiters.discard(waiter)
        return self.sent(conversation_id)

    def _wake(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)

    # The HTTP side (these run on the fake's own loop, in its thread)

    async def _answer(
        self,
        request: web.Request,
        handler: Callable[[str | None, Any], tuple[int, Any]],
    ) -> web.Response:
        conversation = request.match_info.get("cid") or request.match_info.get("tid")
        body = await request.json() if request.can_read_body else None
        authorization = request.headers.get("Authorization")
        with self._lock:
            stall = self._take(self._stalls, conversation, request)
        if stall is not None:
            await asyncio.sleep(stall.seconds)
        headers: dict[str, str] = {}
        shape: Shape = "json"
        with self._lock:
            if self._token is not None and authorization != f"Bearer {self._token}":
                status, answer = 401, _UNAUTHORIZED
                headers["WWW-Authenticate"] = "Bearer"
            elif failure := self._take(self._failures, conversation, request):
                status, shape = failure.status, failure.shape
                answer = {"error": {"code": failure.code, "message": failure.message}}
                if failure.retry_after is not None:
                    headers["Retry-After"] = str(failure.retry_after)
            else:
                status, answer = handler(conversation, body)
            recorded = 0 if shape == "reset" else status
            self._requests.append(
                Request(request.method, request.path, conversation, body, authorization, recorded)
            )
        if self._test_loop is not None and not self._test_loop.is_closed():
            self._test_loop.call_soon_threadsafe(self._wake)
        return _response(status, answer, headers, shape, request)

    @staticmethod
    def _take(faults: deque[Any], conversation: str | None, request: web.Request) -> Any:
        fault = next(
            (f for f in faults if f.applies(conversation, request.method, request.path)), None
        )
        if fault is not None:
            faults.remove(fault)
        return fault

    def _next_id(self) -> str:
        return str(next(self._ids))

    async def _send(self, request: web.Request) -> web.Response:
        return await self._answer(request, lambda cid, body: self._store(str(cid), body, None))

    async def _reply(self, request: web.Request) -> web.Response:
        reply_to = request.match_info["aid"]
        return await self._answer(request, lambda cid, body: self._store(str(cid), body, reply_to))

    def _store(self, conversation_id: str, body: Any, reply_to: str | None) -> tuple[int, Any]:
        if not isinstance(body, dict) or not body.get("type"):
            return _error(400, "BadArgument", "An activity with a type is required.")
        if not self._known(conversation_id):
            return _error(404, "ConversationNotFound", "Conversation not found.")
        activity_id = self._next_id()
        activity = {**body, "id": activity_id}
        if reply_to is not None:
            activity["replyToId"] = reply_to
        self._activities.setdefault(conversation_id, {})[activity_id] = activity
        return 201, {"id": activity_id}

    async def _update(self, request: web.Request) -> web.Response:
        activity_id = request.match_info["aid"]

        def update(cid: str | None, body: Any) -> tuple[int, Any]:
            held = self._activities.get(str(cid), {})
            if activity_id not in held:
                return _error(404, "ActivityNotFoundInConversation", "Unknown activity.")
            if not isinstance(body, dict):
                return _error(400, "BadArgument", "An activity is required.")
            held[activity_id] = {**body, "id": activity_id}
            self._updates.append(Update(str(cid), activity_id, dict(held[activity_id])))
            return 200, {"id": activity_id}

        return await self._answer(request, update)

    async def _delete(self, request: web.Request) -> web.Response:
        activity_id = request.match_info["aid"]

        def delete(cid: str | None, body: Any) -> tuple[int, Any]:
            held = self._activities.get(str(cid), {})
            if held.pop(activity_id, None) is None:
                return _error(404, "ActivityNotFoundInConversation", "Unknown activity.")
            return 200, None

        return await self._answer(request, delete)

    async def _create_conversation(self, request: web.Request) -> web.Response:
        return await self._answer(request, lambda _, body: self._create(body))

    def _create(self, body: Any) -> tuple[int, Any]:
        """A 1:1 conversation with one member, or a new thread in a channel (Teams makes no
        group chats for bots)."""
        if not isinstance(body, dict):
            return _error(400, "BadArgument", "ConversationParameters are required.")
        channel = ((body.get("channelData") or {}).get("channel") or {}).get("id")
        members = body.get("members") or []
        activity = body.get("activity")
        if channel is not None:
            if not self._known(channel) or not isinstance(activity, dict):
                return _error(404, "ConversationNotFound", "Channel not found.")
            activity_id = self._next_id()
            conversation = f"{channel};messageid={activity_id}"
        elif len(members) == 1 and not body.get("isGroup"):
            member = self._find_member(str(members[0].get("id", ""))) or dict(members[0])
            conversation = next(
                (c for c, m in self._personal.items() if m["id"] == member["id"]),
                personal_conversation_id(str(member["id"])),
            )
            self._personal[conversation] = member
            activity_id = self._next_id() if isinstance(activity, dict) else None
        else:
            return _error(400, "BadArgument", "Bots can only create 1:1 conversations.")
        answer = {"id": conversation}
        if activity_id is not None and isinstance(activity, dict):
            stored = {**activity, "id": activity_id}
            self._activities.setdefault(conversation, {})[activity_id] = stored
            answer["activityId"] = activity_id
        return 201, answer

    async def _members(self, request: web.Request) -> web.Response:
        def members(cid: str | None, _: Any) -> tuple[int, Any]:
            roster = self._roster(str(cid))
            if roster is None:
                return _error(404, "ConversationNotFound", "Conversation not found.")
            return 200, roster

        return await self._answer(request, members)

    async def _member(self, request: web.Request) -> web.Response:
        wanted = request.match_info["mid"]

        def member(cid: str | None, _: Any) -> tuple[int, Any]:
            roster = self._roster(str(cid))
            if roster is None:
                return _error(404, "ConversationNotFound", "Conversation not found.")
            found = next((m for m in roster if wanted in _member_keys(m)), None)
            if found is None:
                return _error(404, "MemberNotFoundInConversation", "The member was not found.")
            return 200, found

        return await self._answer(request, member)

    async def _paged_members(self, request: web.Request) -> web.Response:
        size_text = request.query.get("pageSize")
        token = request.query.get("continuationToken")

        def paged(cid: str | None, _: Any) -> tuple[int, Any]:
            roster = self._roster(str(cid))
            if roster is None:
                return _error(404, "ConversationNotFound", "Conversation not found.")
            size = int(size_text) if size_text and size_text.isdigit() else DEFAULT_PAGE_SIZE
            start = _offset(token)
            if start is None or start > len(roster) or size < 1:
                return _error(400, "BadArgument", "Invalid continuation token or page size.")
            page: Json = {"members": roster[start : start + size]}
            if start + size < len(roster):
                page["continuationToken"] = _token_for(start + size)
            return 200, page

        return await self._answer(request, paged)

    async def _team_details(self, request: web.Request) -> web.Response:
        def details(tid: str | None, _: Any) -> tuple[int, Any]:
            team = self._teams.get(str(tid))
            if team is None:
                return _error(404, "TeamNotFound", "Team not found.")
            return 200, {
                **team.info,
                "channelCount": len(team.channels),
                "memberCount": len(team.members),
                "type": "standard",
            }

        return await self._answer(request, details)

    async def _channels(self, request: web.Request) -> web.Response:
        def channels(tid: str | None, _: Any) -> tuple[int, Any]:
            team = self._teams.get(str(tid))
            if team is None:
                return _error(404, "TeamNotFound", "Team not found.")
            return 200, {"conversations": [dict(channel) for channel in team.channels]}

        return await self._answer(request, channels)

    async def _upload(self, request: web.Request) -> web.Response:
        """A PUT into an upload session: the whole file in one range, as the bot sends it. The
        session's URL is its authorisation, so no token is asked for (one sent is recorded)."""
        session = request.match_info["uid"]
        content = await request.read()
        content_range = request.headers.get("Content-Range")
        authorization = request.headers.get("Authorization")
        with self._lock:
            failure = self._take(self._failures, None, request)
            name = self._sessions.get(session)
            if failure is not None:
                status, answer = failure.status, {"error": {"code": failure.code}}
            elif name is None:
                status, answer = _error(404, "itemNotFound", "No such upload session.")
            elif content_range != f"bytes 0-{len(content) - 1}/{len(content)}":
                status, answer = _error(400, "invalidRange", "Content-Range does not fit.")
            else:
                self._uploaded.append(
                    Uploaded(session, name, content, content_range, authorization)
                )
                status, answer = 201, {"id": session, "name": name, "size": len(content)}
            self._requests.append(
                Request(request.method, request.path, None, None, authorization, status)
            )
        if self._test_loop is not None and not self._test_loop.is_closed():
            self._test_loop.call_soon_threadsafe(self._wake)
        return _response(status, answer, {}, "json", request)

    async def _unknown(self, request: web.Request) -> web.Response:
        return await self._answer(
            request, lambda *_: _error(404, "NotFound", f"No such API: {request.path}")
        )

    # Lookups (called with the lock held)

    def _team_of(self, conversation_id: str) -> _Team | None:
        root = _thread_root(conversation_id)
        return next(
            (t for t in self._teams.values() if any(c["id"] == root for c in t.channels)), None
        )

    def _known(self, conversation_id: str) -> bool:
        return (
            conversation_id in self._personal
            or conversation_id in self._activities
            or self._team_of(conversation_id) is not None
        )

    def _roster(self, conversation_id: str) -> list[Json] | None:
        team = self._team_of(conversation_id)
        if team is not None:
            return [dict(member) for member in team.members]
        member = self._personal.get(conversation_id)
        return [dict(member)] if member is not None else None

    def _find_member(self, member_id: str) -> Json | None:
        everyone = itertools.chain(
            (m for team in self._teams.values() for m in team.members), self._personal.values()
        )
        return next((dict(m) for m in everyone if member_id in _member_keys(m)), None)


def _response(
    status: int, answer: Any, headers: dict[str, str], shape: Shape, request: web.Request
) -> web.Response:
    if shape == "reset" and request.transport is not None:
        request.transport.abort()
    message = (answer or {}).get("error", {}).get("message", "") if shape != "json" else ""
    if shape == "html":
        page = _HTML_PAGE.format(status=status, message=message)
        response = web.Response(status=status, text=page, content_type="text/html")
    elif shape == "text":
        page = _TEXT_PAGE.format(message=message)
        response = web.Response(status=status, text=page, content_type="text/plain")
    elif answer is None:
        response = web.Response(status=status, headers=headers)
    else:
        response = web.json_response(answer, status=status, headers=headers)
    response.headers.update(headers)
    # No keep-alive: a pooled socket the SDK never closes would leak past the test.
    response.force_close()
    return response


def _error(status: int, code: str, message: str) -> tuple[int, Json]:
    return status, {"error": {"code": code, "message": message}}


def _thread_root(conversation_id: str) -> str:
    """A channel thread's conversation id is the channel's with ``;messageid=<root>``."""
    return conversation_id.split(";", 1)[0]


def _member_keys(member: Mapping[str, Any]) -> set[str]:
    """Teams finds a member by their 29: id, AAD object id or user principal name."""
    keys = (member.get("id"), member.get("aadObjectId"), member.get("userPrincipalName"))
    return {str(key) for key in keys if key}


def _token_for(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(token: str | None) -> int | None:
    if not token:
        return 0
    try:
        prefix, _, number = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
    except ValueError:
        return None
    return int(number) if prefix == "offset" and number.isdigit() else None


@pytest.fixture
async def fake_connector() -> AsyncIterator[FakeConnector]:
    """A running `FakeConnector`, closed after the test."""
    async with FakeConnector() as connector:
        yield connector


__all__ = [
    "DEFAULT_PAGE_SIZE",
    "TENANT_ID",
    "FakeConnector",
    "Request",
    "Shape",
    "Update",
    "Uploaded",
    "fake_connector",
    "personal_conversation_id",
    "teams_member",
]
