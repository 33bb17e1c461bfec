"""Nudges as Teams messages, sent into the conversation stored when the app was installed.

Teams lets a bot post into a conversation it was installed in, but not read it back: there is
no history to look in after a crash, so `delivered` cannot know. The window this leaves: a crash
after Teams accepted the message and before the outbox marked it sent resends it once.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.teams.connector import Connector, TeamsFailed, TeamsRefused
from bot.teams.render import image_activities, to_activity
from dialogs.delivery import Undeliverable
from dialogs.messages import File, People, Places, Reply
from dialogs.nudging import DeliveryFailed
from dialogs.ports import Clock
from dialogs.records import Nudge
from storage.teams import SqlaTeamsConversations

log = logging.getLogger(__name__)


class TeamsDelivery:
    def __init__(
        self, connector: Connector, conversations: SqlaTeamsConversations, clock: Clock
    ) -> None:
        self._connector = connector
        self._conversations = conversations
        self._clock = clock

    async def deliver(self, nudge: Nudge, reply: Reply) -> None:
        reference = await self._conversations.reference(nudge.org_id, nudge.recipient)
        if reference is None:
            # Never installed for this person or team, or removed since: nothing to send into.
            raise DeliveryFailed(Undeliverable.APP_REMOVED)
        names = await names_in(self._conversations, nudge.org_id, reply)
        activities = [to_activity(reply, names=names), *attachments(reply)]
        try:
            await self._connector.send(reference, activities)
        except TeamsFailed as failed:
            log.warning("a nudge did not reach Teams: %s", failed)
            if isinstance(failed, TeamsRefused) and failed.gone:
                now = self._clock.now()
                await self._conversations.gone(nudge.org_id, nudge.recipient, now=now)
            raise DeliveryFailed(failed.failure, failed.detail) from failed

    async def delivered(self, nudge: Nudge) -> bool:
        return False


def attachments(reply: Reply) -> list[dict[str, Any]]:
    """The reply's PNG files as inline images, a tall one in slices; a file none of which fits
    in a Teams message is left off (the card already says what it shows)."""
    images = []
    for block in reply:
        if isinstance(block, File) and block.name.endswith(".png"):
            sent = image_activities(block.content, name=block.name, title=block.title)
            if not sent:
                log.warning("left off an image too big for a Teams message: %s", block.name)
            images.extend(sent)
    return images


async def names_in(
    conversations: SqlaTeamsConversations, org_id: int, reply: Reply
) -> dict[str, str]:
    """Display names for the people and places a reply names (read only when it names any)."""
    addresses = {
        address
        for block in reply
        if isinstance(block, People | Places)
        for address in (block.respondents if isinstance(block, People) else block.addresses)
    }
    names = {}
    for address in sorted(addresses):
        name = await conversations.name(org_id, address)
        if name:
            names[address] = name
    return names
