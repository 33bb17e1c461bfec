"""Talking to Teams outside a turn: proactive sends, new personal chats and rosters.

Every call goes through the Bot Framework `CloudAdapter`, so it carries the bot's token when an
app id is configured. Teams' answers are sorted here, once, for everyone who sends:
- 429 (too many requests) waits as long as Teams asks (Retry-After) and tries again;
- 403 and 404 (the app was removed, the person blocked it, the conversation is gone) become
  `TeamsRefused` carrying the neutral `Undeliverable`, so it can be recorded and told;
- anything else is raised as it is: perhaps passing, the caller tries again later.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
)
from msrest.exceptions import HttpOperationError

from dialogs.delivery import Undeliverable

log = logging.getLogger(__name__)
Reference = dict[str, Any]
"""A Bot Framework conversation reference as stored: JSON, camelCase."""
T = TypeVar("T")

RETRIES = 3
"""How often a call Teams throttled (429) is tried again before giving up for now."""
MAX_WAIT_SECONDS = 30.0
"""The longest wait for a Retry-After; a longer one is left to the next tick."""
DEFAULT_WAIT_SECONDS = 1.0
ROSTER_PAGE = 500
"""Members per roster page; Teams serves at most 500."""
_APP_GONE_CODES = frozenset({"BotNotInConversationRoster", "BotDisabledByAdmin"})


class TeamsRefused(Exception):
    """Teams refused for good (403/404): what it means for whoever tells the project manager."""

    def __init__(self, failure: Undeliverable, status: int, code: str) -> None:
        super().__init__(f"Teams refused with {status} {code}")
        self.failure = failure
        self.status = status
        self.code = code


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
    ) -> None:
        self.adapter = adapter
        self.app_id = app_id
        self._sleep = sleep

    async def send(self, reference: Reference, activities: Sequence[Mapping[str, Any]]) -> None:
        """Send `activities` into the referenced conversation, in order."""

        async def turn(context: TurnContext) -> None:
            for activity in activities:
                await self.patiently(lambda a=activity: context.send_activity(_activity(a)))

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
            )
        )
        return opened[0]

    async def roster(self, context: TurnContext, team_id: str) -> list[Member]:
        """Everyone on the team, page by page; bots left out."""
        members: list[Member] = []
        token: str | None = None
        while True:
            page = await self.patiently(
                lambda after=token: TeamsInfo.get_paged_team_members(
                    context, team_id, after, ROSTER_PAGE
                )
            )
            for account in page.members or []:
                if account.id.startswith("28:") or (account.user_role or "").lower() == "bot":
                    continue
                members.append(Member(account.id, account.name or "", account.tenant_id))
            token = page.continuation_token
            if not token:
                return members

    async def patiently(self, call: Callable[[], Awaitable[T]]) -> T:
        """`call()`, tried again after a 429 as long as Teams asks, at most `RETRIES` times."""
        for attempt in range(RETRIES + 1):
            try:
                return await _sorted(call())
            except HttpOperationError as error:
                wait = _retry_after(error)
                if wait is None or attempt == RETRIES or wait > MAX_WAIT_SECONDS:
                    raise
                log.info("Teams asked to slow down; trying again in %.1f s", wait)
                await self._sleep(wait)
        raise AssertionError("unreachable")


async def _sorted(call: Awaitable[T]) -> T:
    """`call`'s result; a refusal for good as `TeamsRefused`."""
    try:
        return await call
    except HttpOperationError as error:
        status = _status(error)
        if status in (403, 404):
            code = _code(error)
            raise TeamsRefused(_failure(status, code), status, code) from error
        raise


def _failure(status: int, code: str) -> Undeliverable:
    if code == "ConversationBlockedByUser":
        return Undeliverable.PERSON_GONE
    if status == 404 or code in _APP_GONE_CODES:
        return Undeliverable.APP_REMOVED
    return Undeliverable.NO_ACCESS


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
        if isinstance(named, str) and named:
            try:
                ZoneInfo(named)
            except (ValueError, ZoneInfoNotFoundError):
                return None
            return named
    return None


def channel_of(activity: Activity) -> str:
    """The channel a channel message was posted in (its conversation id names the thread)."""
    return str(activity.conversation.id).split(";", 1)[0]
