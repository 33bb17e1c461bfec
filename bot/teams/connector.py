"""Talking to Teams outside a turn: proactive sends, new personal chats and rosters.

Every call goes through the Bot Framework `CloudAdapter`, so it carries the bot's token when an
app id is configured. Teams' answers are sorted here, once, for everyone who sends:
- 429 (too many requests) waits as long as Teams asks (Retry-After) and tries again;
- a server error (any body: Bot Framework's JSON, a proxy's HTML or plain-text page) or a
  dropped connection is tried again after a short wait; the SDK itself already retries GET and
  PUT that way, so what reaches here from those is not tried again;
- a call with no answer in time is not tried again: it may have reached Teams, and sending
  again would say it twice;
- what outlasts that is `TeamsUnavailable` (`Undeliverable.UNAVAILABLE`: it usually passes);
- 403 and 404 (the app was removed, the person blocked it, the conversation is gone) and any
  other refusal become `TeamsRefused`, carrying the neutral `Undeliverable`, so it can be
  recorded and told.

A file a person allowed (file consent) is put straight into the upload session Teams named
(`upload`): one PUT, not tried again, the bot's token never sent along.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
)
from msrest.exceptions import (  # type: ignore[attr-defined]  # msrest exports it untyped
    ClientRequestError,
    DeserializationError,
    HttpOperationError,
)
from requests.exceptions import ConnectionError as RequestsConnectionError
from requests.exceptions import RetryError
from urllib3.exceptions import MaxRetryError

from dialogs.delivery import Undeliverable

if TYPE_CHECKING:
    from bot.metrics import Metrics

log = logging.getLogger(__name__)
Reference = dict[str, Any]
"""A Bot Framework conversation reference as stored: JSON, camelCase."""
T = TypeVar("T")

RETRIES = 3
"""How often a call Teams throttled (429) is tried again before giving up for now."""
MAX_WAIT_SECONDS = 30.0
"""The longest wait for a Retry-After; a longer one is left to the next tick."""
DEFAULT_WAIT_SECONDS = 1.0
BACKOFF_SECONDS = (1.0, 3.0)
"""The waits before each new try of a call Teams failed (a server error, a dropped connection)."""
CALL_SECONDS = 20.0
"""How long a call may go unanswered; the SDK's own limit is 100 s."""
UPLOAD_SECONDS = 10.0
"""How long putting a file into its upload session may take; Teams waits about 15 s for the
answer to the invoke that asked for it."""
ROSTER_PAGE = 500
"""Members per roster page; Teams serves at most 500."""
MAX_ZONE = 64
"""The longest time zone name stored; IANA's are under 40 characters."""
_APP_GONE_CODES = frozenset({"BotNotInConversationRoster", "BotDisabledByAdmin"})
_GONE = frozenset({Undeliverable.PERSON_GONE, Undeliverable.APP_REMOVED, Undeliverable.NO_ACCESS})


class TeamsFailed(Exception):
    """Teams did not take a call: `failure` says why, for whoever is told; `detail` names it
    for the record (``http_403 ConversationBlockedByUser``, ``timeout``), never a secret."""

    def __init__(self, failure: Undeliverable, detail: str) -> None:
        super().__init__(f"Teams failed: {detail}")
        self.failure = failure
        self.detail = detail


class TeamsRefused(TeamsFailed):
    """Teams refused for good: trying again will not help until someone fixes it."""

    def __init__(self, failure: Undeliverable, status: int, code: str) -> None:
        super().__init__(failure, f"http_{status} {code}".strip())
        self.status = status
        self.code = code

    @property
    def gone(self) -> bool:
        """The conversation cannot be used again (app removed, bot blocked, no such chat)."""
        return self.failure in _GONE


class TeamsUnavailable(TeamsFailed):
    """Teams failed even when tried again: it usually passes."""

    def __init__(self, detail: str) -> None:
        super().__init__(Undeliverable.UNAVAILABLE, detail)


class UploadFailed(Exception):
    """A file did not reach its upload session; `detail` names why (``http_500``, ``timeout``)."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"upload failed: {detail}")
        self.detail = detail


async def upload(url: str, content: bytes, *, seconds: float = UPLOAD_SECONDS) -> None:
    """Put `content` into the upload session at `url` in one range, as Teams' file consent
    asks. The session is authorised by its URL: the bot's token is not sent, and a redirect
    is not followed.

    Raises:
        UploadFailed: refused, not answered in `seconds`, or not reached.
    """
    size = len(content)
    headers = {"Content-Length": str(size), "Content-Range": f"bytes 0-{max(size - 1, 0)}/{size}"}
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=seconds)) as session,
            session.put(url, data=content, headers=headers, allow_redirects=False) as response,
        ):
            if not 200 <= response.status < 300:
                raise UploadFailed(f"http_{response.status}")
    except TimeoutError:
        raise UploadFailed("timeout") from None
    except aiohttp.ClientError as error:
        raise UploadFailed(type(error).__name__) from None


@dataclass(frozen=True)
class Member:
    """A person on a team's roster."""

    id: str
    name: str
    tenant_id: str | None


class Connector:
    """The advisor's outbound side of Teams, on top of the SDK's adapter."""

    def __init__(
        self,
        adapter: CloudAdapter,
        app_id: str,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        metrics: Metrics | None = None,
    ) -> None:
        self.adapter = adapter
        self.app_id = app_id
        self._sleep = sleep
        self._calls = None if metrics is None else metrics.web_api_calls

    async def send(self, reference: Reference, activities: Sequence[Mapping[str, Any]]) -> None:
        """Send `activities` into the referenced conversation, in order."""

        async def turn(context: TurnContext) -> None:
            for activity in activities:
                await self.patiently(
                    partial(context.send_activity, _activity(activity)), method="send_activity"
                )

        await self.continue_in(reference, turn)

    async def continue_in(
        self, reference: Reference, work: Callable[[TurnContext], Awaitable[None]]
    ) -> None:
        """Run `work` with a turn in the referenced conversation (to send, read a roster, ...)."""
        await _sorted(
            self.adapter.continue_conversation(
                ConversationReference().deserialize(dict(reference)), work, self.app_id
            )
        )

    async def personal(self, context: TurnContext, member: Member) -> Reference:
        """The reference of the bot's personal chat with `member`, opened if need be.

        Teams hands back the existing chat when there is one, so this is safe to repeat.
        """
        tenant = member.tenant_id or tenant_of(context.activity)
        parameters = ConversationParameters(
            is_group=False,
            bot=context.activity.recipient,
            members=[ChannelAccount(id=member.id, name=member.name)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )
        opened: list[Reference] = []

        async def remember(created: TurnContext) -> None:
            reference = TurnContext.get_conversation_reference(created.activity)
            reference.user = ChannelAccount(id=member.id, name=member.name)
            reference.conversation.conversation_type = "personal"
            reference.conversation.tenant_id = tenant
            opened.append(reference.serialize())

        await self.patiently(
            lambda: self.adapter.create_conversation(
                self.app_id,
                remember,
                parameters,
                context.activity.channel_id,
                context.activity.service_url,
            ),
            method="create_conversation",
        )
        return opened[0]

    async def roster(self, context: TurnContext, team_id: str) -> list[Member]:
        """Everyone on the team, page by page; bots left out."""
        members: list[Member] = []
        token: str | None = None
        while True:
            page = await self.patiently(
                partial(TeamsInfo.get_paged_team_members, context, team_id, token, ROSTER_PAGE),
                method="get_paged_team_members",
            )
            for account in page.members or []:
                if account.id.startswith("28:") or (account.user_role or "").lower() == "bot":
                    continue
                members.append(Member(account.id, account.name or "", account.tenant_id))
            token = page.continuation_token
            if not token:
                return members

    async def patiently(self, call: Callable[[], Awaitable[T]], *, method: str = "other") -> T:
        """`call()`, tried again as Teams' answers make sensible (see the module's docstring);
        each try is counted under `method` (a name of ours, never an id).

        Raises:
            TeamsRefused: Teams refused it for good.
            TeamsUnavailable: Teams failed, and kept failing when tried again.
        """
        throttled = failed = 0
        while True:
            try:
                answer = await _sorted(asyncio.wait_for(call(), CALL_SECONDS))
            except HttpOperationError as error:
                self._count(method, "rate_limited" if _status(error) == 429 else "error")
                wait = _retry_after(error)
                if wait is None:
                    detail = f"http_{_status(error)}"  # a server error: refusals are sorted
                elif throttled < RETRIES and wait <= MAX_WAIT_SECONDS:
                    throttled += 1
                    log.info("Teams asked to slow down; trying again in %.1f s", wait)
                    await self._sleep(wait)
                    continue
                else:
                    raise TeamsUnavailable("http_429") from error
            except TimeoutError as error:
                self._count(method, "error")
                raise TeamsUnavailable("timeout") from error
            except DeserializationError:
                self._count(method, "error")
                detail = "unreadable_answer"  # a proxy's error page, most likely
            except ClientRequestError as error:
                self._count(method, "error")
                if _retried_by_sdk(error):
                    raise TeamsUnavailable("connection_error") from error
                detail = "connection_error"
            except TeamsRefused:
                self._count(method, "error")
                raise
            else:
                self._count(method, "ok")
                return answer
            if failed == len(BACKOFF_SECONDS):
                raise TeamsUnavailable(detail)
            log.info("Teams failed (%s); trying again in %.0f s", detail, BACKOFF_SECONDS[failed])
            await self._sleep(BACKOFF_SECONDS[failed])
            failed += 1

    def _count(self, method: str, outcome: str) -> None:
        if self._calls is not None:
            self._calls.labels("teams", method, outcome).inc()


async def _sorted(call: Awaitable[T]) -> T:
    """`call`'s result; a refusal (a status under 500, but not 429) as `TeamsRefused`."""
    try:
        return await call
    except HttpOperationError as error:
        status = _status(error)
        if status < 500 and status != 429:
            code = _code(error)
            raise TeamsRefused(_failure(status, code), status, code) from error
        raise


def _retried_by_sdk(error: ClientRequestError) -> bool:
    """msrest's urllib3 retries ran out (GET, PUT and DELETE after a 5xx or a dropped
    connection): trying once more here would only take longer."""
    inner = error.inner_exception
    return isinstance(inner, RetryError) or (
        isinstance(inner, RequestsConnectionError)
        and bool(inner.args)
        and isinstance(inner.args[0], MaxRetryError)
    )


def _failure(status: int, code: str) -> Undeliverable:
    if code == "ConversationBlockedByUser":
        return Undeliverable.PERSON_GONE
    if status == 404 or code in _APP_GONE_CODES:
        return Undeliverable.APP_REMOVED
    if status == 403:
        return Undeliverable.NO_ACCESS
    return Undeliverable.OTHER  # 400, 401, 412, 413: the advisor's log has the details


def _status(error: HttpOperationError) -> int:
    return int(getattr(error.response, "status_code", 0) or 0)


def _code(error: HttpOperationError) -> str:
    body = getattr(error, "error", None)
    detail = getattr(body, "error", None)
    return str(getattr(detail, "code", "") or "")


def _retry_after(error: HttpOperationError) -> float | None:
    """Seconds to wait for a 429, or None for anything else."""
    if _status(error) != 429:
        return None
    headers = getattr(error.response, "headers", None) or {}
    try:
        return max(float(headers.get("Retry-After", DEFAULT_WAIT_SECONDS)), 0.0)
    except ValueError:
        return DEFAULT_WAIT_SECONDS


def _activity(payload: Mapping[str, Any]) -> Activity:
    return Activity().deserialize(dict(payload))


def tenant_of(activity: Activity) -> str | None:
    """The Microsoft 365 tenant an activity comes from (Teams puts it in channelData)."""
    if activity.conversation is not None and activity.conversation.tenant_id:
        return str(activity.conversation.tenant_id)
    tenant = (activity.channel_data or {}).get("tenant") or {}
    return str(tenant["id"]) if tenant.get("id") else None


def zone_of(activity: Activity) -> str | None:
    """The sender's time zone (IANA), which Teams clients put in a `clientInfo` entity; None if
    absent or not a zone this machine knows."""
    for entity in activity.entities or []:
        named = (
            entity.additional_properties.get("timezone") if entity.type == "clientInfo" else None
        )
        if isinstance(named, str) and 0 < len(named) <= MAX_ZONE:
            try:
                ZoneInfo(named)
            except (ValueError, OSError, ZoneInfoNotFoundError):  # OSError: a name too long
                return None
            return named
    return None


def channel_of(activity: Activity) -> str:
    """The channel a channel message was posted in (its conversation id names the thread)."""
    return str(activity.conversation.id).split(";", 1)[0]
