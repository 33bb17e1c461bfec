"""Messages that must reach someone in Teams: nudges, and a campaign's invitations and results,
each sent into the conversation stored when the app was installed (or a launch opened).

Teams lets a bot post into a conversation it was installed in, but not read it back: there is
no history to look in after a crash, so `delivered` cannot know. The window this leaves: a crash
after Teams accepted the message and before the outbox marked it sent resends it once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from botbuilder.core import TurnContext

from bot import charts
from bot.teams.connector import Connector, Member, Reference, TeamsFailed, TeamsRefused
from bot.teams.render import (
    consent_activities,
    documents,
    image_activities,
    is_picture,
    to_activity,
)
from dialogs.delivery import Undeliverable
from dialogs.messages import Chart, File, People, Places, Reply, mentioned
from dialogs.nudging import DeliveryFailed
from dialogs.ports import Clock, OrganisationDirectory
from dialogs.records import Nudge, Organisation
from engine.vocabulary import Language
from storage.teams import SqlaTeamsConversations

CHART_FILE = "ssrm-profile.png"

log = logging.getLogger(__name__)


class TeamsDelivery:
    """`dialogs.ports.Delivery` for Teams: a nudge into its recipient's stored conversation.

    Args:
        organisations: where the nudge's organisation says its language, for the word that
            stands for someone Teams never named (the dispatcher writes the nudge in it, as
            Teams says a person's own language only in their activities); English without.
    """

    def __init__(
        self,
        connector: Connector,
        conversations: SqlaTeamsConversations,
        clock: Clock,
        *,
        organisations: OrganisationDirectory | None = None,
    ) -> None:
        self._connector = connector
        self._conversations = conversations
        self._clock = clock
        self._organisations = organisations

    async def prepare(self, nudges: Sequence[Nudge]) -> None:
        """Nothing to get ready: each nudge reads its own conversation's reference."""

    async def deliver(self, nudge: Nudge, reply: Reply) -> None:
        reference = await self._conversations.reference(nudge.org_id, nudge.recipient)
        if reference is None:
            # Never installed for this person or team, or removed since: nothing to send into.
            raise DeliveryFailed(Undeliverable.APP_REMOVED)
        names = await names_in(self._conversations, nudge.org_id, reply)
        language = await self._language(nudge.org_id)
        activities = [to_activity(reply, names=names, language=language), *attachments(reply)]
        if _personal(reference):
            activities += consent_activities(reply)
        elif documents(reply):
            log.warning(
                "left off files a Teams channel cannot be offered: %d", len(documents(reply))
            )
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

    async def _language(self, org_id: int) -> Language:
        org = await self._organisations.get(org_id) if self._organisations else None
        return org.settings.language if org is not None else Language.EN


class TeamsPublisher:
    """`dialogs.ports.Publisher` for Teams: into a stored conversation, charts as images.

    Given a launch's turn and its roster (`opening`), a person without a stored conversation
    gets a personal chat opened (Teams hands back the existing one), remembered for nudges.
    """

    def __init__(
        self,
        connector: Connector,
        conversations: SqlaTeamsConversations,
        clock: Clock,
        *,
        opening: tuple[TurnContext, Mapping[str, Member]] | None = None,
    ) -> None:
        self._connector = connector
        self._conversations = conversations
        self._clock = clock
        self._opening = opening

    async def to_person(
        self, org: Organisation, respondent: str, reply: Reply, *, pictures: bool = False
    ) -> Undeliverable | None:
        return await self._send(org, respondent, reply, pictures=pictures)

    async def to_place(
        self, org: Organisation, place: str, reply: Reply, *, pictures: bool = False
    ) -> Undeliverable | None:
        return await self._send(org, place, reply, pictures=pictures)

    async def language(self, org: Organisation, respondent: str) -> Language | None:
        return None  # Teams says a person's locale only in their own activities

    async def _send(
        self, org: Organisation, address: str, reply: Reply, *, pictures: bool
    ) -> Undeliverable | None:
        try:
            reference = await self._reference(org, address)
            if reference is None:
                log.warning("no Teams conversation to send a campaign's message into")
                return Undeliverable.APP_REMOVED
            names = await names_in(self._conversations, org.id, reply)
            activities = [to_activity(reply, names=names, language=org.settings.language)]
            if pictures:
                activities += await _pictures(reply)
            await self._connector.send(reference, activities)
        except TeamsFailed as failed:
            log.warning("Teams refused a campaign's message: %s", failed)
            if isinstance(failed, TeamsRefused) and failed.gone:
                await self._conversations.gone(org.id, address, now=self._clock.now())
            return failed.failure
        return None

    async def _reference(self, org: Organisation, address: str) -> Reference | None:
        member = self._opening[1].get(address) if self._opening else None
        if self._opening is None or member is None:
            return await self._conversations.reference(org.id, address)
        reference = await self._connector.personal(self._opening[0], member)
        now = self._clock.now()
        await self._conversations.remember(org.id, address, reference, name=member.name, now=now)
        return reference


async def _pictures(reply: Reply) -> list[dict[str, Any]]:
    chart = next((block for block in reply if isinstance(block, Chart)), None)
    if chart is None:
        return []
    png = await asyncio.to_thread(charts.render_chart, chart)
    return image_activities(png, name=CHART_FILE, title=chart.title)


def attachments(reply: Reply) -> list[dict[str, Any]]:
    """The reply's PNG files as inline images, a tall one in slices; a file none of which fits
    in a Teams message is left off (the card already says what it shows). Other files go by
    file consent (`render.consent_activities`), in a personal chat only."""
    images = []
    for block in reply:
        if isinstance(block, File) and is_picture(block):
            sent = image_activities(block.content, name=block.name, title=block.title)
            if not sent:
                log.warning("left off an image too big for a Teams message: %s", block.name)
            images.extend(sent)
    return images


def _personal(reference: Reference) -> bool:
    """A personal chat's reference: the only place Teams lets a bot offer a file."""
    kind = (reference.get("conversation") or {}).get("conversationType")
    return kind in (None, "personal")


def addresses_in(reply: Reply) -> set[str]:
    """Whom and where a reply names: its people and places, and everyone mentioned in its text."""
    listed = {
        address
        for block in reply
        if isinstance(block, People | Places)
        for address in (block.respondents if isinstance(block, People) else block.addresses)
    }
    return listed | set(mentioned(reply))


async def names_in(
    conversations: SqlaTeamsConversations, org_id: int, reply: Reply
) -> dict[str, str]:
    """Display names for the people and places a reply names, in one read (none when it names
    no one); an address without a stored name is left out, for the card to say "a colleague"."""
    addresses = addresses_in(reply)
    return await conversations.names(org_id, addresses) if addresses else {}
