"""Nudges to whichever channel a recipient lives in, by the prefix of their respondent id."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from bot.console.render import render
from dialogs.messages import Reply
from dialogs.nudging import Delivery
from dialogs.ports import Clock, Inbox, OrganisationDirectory
from dialogs.records import Nudge
from engine.vocabulary import Language


class ChannelRouter:
    """`Delivery` that hands each nudge to its recipient's channel (``slack:``, ``console:``)."""

    def __init__(self, channels: Mapping[str, Delivery]) -> None:
        self._channels = dict(channels)

    async def prepare(self, nudges: Sequence[Nudge]) -> None:
        per_channel: dict[str, list[Nudge]] = {}
        for nudge in nudges:
            per_channel.setdefault(_channel_of(nudge), []).append(nudge)
        await asyncio.gather(
            *(
                self._channels[channel].prepare(theirs)
                for channel, theirs in per_channel.items()
                if channel in self._channels  # the others are refused as they are delivered
            )
        )

    async def deliver(self, nudge: Nudge, reply: Reply) -> None:
        await self._channel(nudge).deliver(nudge, reply)

    async def delivered(self, nudge: Nudge) -> bool:
        return await self._channel(nudge).delivered(nudge)

    def _channel(self, nudge: Nudge) -> Delivery:
        channel = _channel_of(nudge)
        if channel not in self._channels:
            # Not a permanent refusal: a process that serves this channel will send it.
            raise LookupError(f"this process does not deliver to {channel!r}")
        return self._channels[channel]


class InboxDelivery:
    """The terminal's channel: the message waits in the inbox until `advisor chat` shows it.
    Putting a nudge twice keeps one copy, so a retry after a crash is harmless. The nudge is
    written in its organisation's language, and so is the word for someone the terminal cannot
    name."""

    def __init__(self, inbox: Inbox, clock: Clock, organisations: OrganisationDirectory) -> None:
        self._inbox = inbox
        self._clock = clock
        self._organisations = organisations

    async def prepare(self, nudges: Sequence[Nudge]) -> None:
        """Nothing to get ready: the inbox is a table."""

    async def deliver(self, nudge: Nudge, reply: Reply) -> None:
        org = await self._organisations.get(nudge.org_id)
        language = org.settings.language if org is not None else Language.EN
        shown = render(reply, language=language)
        await self._inbox.put(
            nudge.org_id, nudge.recipient, shown, nudge_id=nudge.id, now=self._clock.now()
        )

    async def delivered(self, nudge: Nudge) -> bool:
        return False


def _channel_of(nudge: Nudge) -> str:
    return nudge.recipient.split(":", 1)[0]
