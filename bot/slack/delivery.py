"""Messages that must reach someone: nudges, and a campaign's invitations and results.

Nudges are Slack messages (a person's direct message, or a channel for the monthly report),
each marked with its outbox id so a retry can look first.

Slack has no idempotency key for chat.postMessage. Each nudge carries message metadata with its
id instead; after a crash, `delivered` reads the recent direct messages for that id before the
dispatcher sends again. The window left: a crash after Slack stored the message but before its
reply reached us, when Slack's history does not show it yet (seconds).

Every way a call can fail (`errors.FAILURES`: Slack's refusals, a proxy's error page, a timeout,
a reset connection) ends as `DeliveryFailed` with its kind and code, or, for a refusal Slack
gives no meaning for, as the error itself, which the dispatcher tries again later.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NoReturn

from slack_sdk.web.async_client import AsyncWebClient

from bot import charts
from bot.slack import people
from bot.slack.errors import FAILURES, code, undeliverable
from bot.slack.limits import POST_METHOD, SlackLimits
from bot.slack.render import to_message
from dialogs.delivery import Undeliverable
from dialogs.messages import Chart, File, Reply
from dialogs.nudging import DeliveryFailed
from dialogs.records import Nudge, Organisation, place_of
from engine.vocabulary import Language

log = logging.getLogger(__name__)
EVENT_TYPE = "advisor_nudge"
HISTORY_LIMIT = 200
CHART_FILE = "ssrm-profile.png"
UPLOAD_METHOD = "files.getUploadURLExternal"
"""What a file's upload is paced as: the first of the calls files_upload_v2 makes."""
CLIENT_SECONDS = 30.0
"""How long a workspace's client (and organisation) is used before it is looked up again: a
token revoked meanwhile fails its call the way a missing installation does."""
Workspace = tuple[Organisation, AsyncWebClient]
ClientFor = Callable[[int], Awaitable[Workspace]]
"""The organisation and a Web API client holding its workspace's token.

Raises LookupError when the workspace has no installation (any more)."""


class SlackPublisher:
    """`dialogs.ports.Publisher` for one workspace: a message, and a chart as an uploaded PNG."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def to_person(
        self, org: Organisation, respondent: str, reply: Reply, *, pictures: bool = False
    ) -> Undeliverable | None:
        user = respondent.removeprefix("slack:")
        return await self._post(org, user, reply, to_person=True, pictures=pictures)

    async def to_place(
        self, org: Organisation, where: str, reply: Reply, *, pictures: bool = False
    ) -> Undeliverable | None:
        # Launches stored before places had an address kept the bare channel id.
        channel = place_of(where) or where
        return await self._post(org, channel, reply, to_person=False, pictures=pictures)

    async def language(self, org: Organisation, respondent: str) -> Language | None:
        found = await people.person(self._client, respondent.removeprefix("slack:"))
        return people.locale_language(found["locale"]) if found.get("locale") else None

    async def _post(
        self, org: Organisation, channel: str, reply: Reply, *, to_person: bool, pictures: bool
    ) -> Undeliverable | None:
        """Post `reply`; a colleague Slack cannot name is written in the organisation's language,
        the one thing known here of the language the campaign wrote it in."""
        drawn = (block for block in reply if isinstance(block, Chart) and pictures)
        chart = next(drawn, None)
        try:
            if chart is not None and to_person:
                # A file goes to a conversation id; a person's is their direct message.
                opened = await self._client.conversations_open(users=channel)
                channel = str(opened["channel"]["id"])
            message = to_message(reply, language=org.settings.language)
            await self._client.chat_postMessage(channel=channel, **message)
            if chart is not None:
                await self._client.files_upload_v2(
                    channel=channel,
                    file=await asyncio.to_thread(charts.render_chart, chart),
                    filename=CHART_FILE,
                    title=chart.title,
                )
        except FAILURES as error:
            log.warning("Slack refused a campaign's message: %s", code(error))
            return undeliverable(error, to_person=to_person)
        return None


class SlackDelivery:
    """`Delivery` for Slack: each call paced by `limits` for its workspace (and channel), so a
    workspace at its rate limit waits alone; a 429 pauses that workspace's method and the call
    is made again after it (Slack did nothing with it), up to `limits.RATE_LIMIT_RETRIES`.

    Give it clients that do not wait out a 429 themselves (`web_client(rate_limits=False)`):
    the pause must hold the workspace's other calls too. A workspace's client is looked up
    once per CLIENT_SECONDS, not for every nudge.
    """

    def __init__(self, client_for: ClientFor, limits: SlackLimits | None = None) -> None:
        self._client_for = client_for
        self._limits = limits or SlackLimits()
        self._clients: dict[int, tuple[float, asyncio.Future[Workspace]]] = {}
        """Per organisation: when its lookup began, and the lookup."""

    async def prepare(self, nudges: Sequence[Nudge]) -> None:
        """Look up the workspace's client while the dispatcher reads what the nudges need: at
        the start of a dispatch hundreds of workspaces' lookups queue behind those reads, and
        the first nudge of each waited for both in turn. A failed lookup is tried again by the
        first nudge delivered."""
        lookups = [self._lookup(org_id) for org_id in {nudge.org_id for nudge in nudges}]
        if lookups:
            await asyncio.wait(lookups)

    async def deliver(self, nudge: Nudge, reply: Reply) -> None:
        org, client = await self._client(nudge)
        channel = place_of(nudge.recipient) or _user(nudge)
        try:
            posted = await self._limits.call(
                nudge.org_id,
                POST_METHOD,
                # chat_postMessage itself only gathers these into the call's JSON, after looking
                # through them for SDK block objects (ours are dicts): a nudge's whole payload.
                lambda: client.api_call(
                    POST_METHOD,
                    json={
                        "channel": channel,
                        "metadata": {
                            "event_type": EVENT_TYPE,
                            "event_payload": {"nudge": nudge.id},
                        },
                        # The nudge is written in its recipient's language; all a delivery knows
                        # of it is the organisation's, the default for everyone who did not choose.
                        **to_message(reply, language=org.settings.language),
                    },
                ),
                channel=channel,
            )
            # The report goes along as a file in the same conversation. A crash between the two
            # leaves the message without its file: the lookup after a restart sees the message.
            for attached in (block for block in reply if isinstance(block, File)):
                await self._limits.call(
                    nudge.org_id,
                    UPLOAD_METHOD,
                    functools.partial(
                        client.files_upload_v2,
                        channel=posted["channel"],
                        file=attached.content,
                        filename=attached.name,
                        title=attached.title,
                    ),
                )
        except FAILURES as error:
            self._raise(error, nudge)

    async def delivered(self, nudge: Nudge) -> bool:
        _, client = await self._client(nudge)
        try:
            channel = place_of(nudge.recipient)
            if channel is None:
                opened = await self._limits.call(
                    nudge.org_id,
                    "conversations.open",
                    lambda: client.conversations_open(users=_user(nudge)),
                )
                channel = opened["channel"]["id"]
            history = await self._limits.call(
                nudge.org_id,
                "conversations.history",
                lambda: client.conversations_history(
                    channel=channel, limit=HISTORY_LIMIT, include_all_metadata=True
                ),
            )
        except FAILURES as error:
            self._raise(error, nudge)
        return any(_carries(message, nudge.id) for message in history["messages"])

    async def _client(self, nudge: Nudge) -> Workspace:
        lookup = self._lookup(nudge.org_id)
        try:
            # Shielded: one nudge given up on must not cancel the lookup the others wait for.
            return lookup.result() if lookup.done() else await asyncio.shield(lookup)
        except LookupError as missing:
            raise DeliveryFailed(Undeliverable.APP_REMOVED) from missing

    def _lookup(self, org_id: int) -> asyncio.Future[Workspace]:
        """The organisation's client lookup: one for all the workspace's nudges that ask within
        CLIENT_SECONDS, begun again once it failed."""
        loop = asyncio.get_running_loop()
        kept = self._clients.get(org_id)
        if kept is None or loop.time() - kept[0] > CLIENT_SECONDS or _failed(kept[1]):
            lookup = asyncio.ensure_future(self._client_for(org_id))
            lookup.add_done_callback(_seen)  # a failure no nudge asked for again is no error
            kept = self._clients[org_id] = (loop.time(), lookup)
        return kept[1]

    @staticmethod
    def _raise(error: Exception, nudge: Nudge) -> NoReturn:
        failure = undeliverable(error, to_person=place_of(nudge.recipient) is None)
        log.warning("a nudge did not reach Slack: %s (%s)", code(error), failure.value)
        if failure is Undeliverable.OTHER:
            raise error  # no telling whether it passes: the dispatcher tries again later
        raise DeliveryFailed(failure, detail=code(error)) from error


def _seen(lookup: asyncio.Future[Any]) -> None:
    """Mark the lookup's failure as retrieved: each nudge that awaits it sees it anyway."""
    if not lookup.cancelled():
        lookup.exception()


def _failed(lookup: asyncio.Future[Any]) -> bool:
    return lookup.done() and (lookup.cancelled() or lookup.exception() is not None)


def _user(nudge: Nudge) -> str:
    return nudge.recipient.removeprefix("slack:")


def _carries(message: dict[str, Any], nudge_id: int) -> bool:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return metadata.get("event_type") == EVENT_TYPE and payload.get("nudge") == nudge_id
