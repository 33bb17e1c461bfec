"""The project manager's side in Teams: launching a scan for a team, following it, closing it,
and publishing the result to the manager and the team's channel.

A launch runs after the channel has had its answer (Teams wants one within seconds): it reads
the team's roster, opens a personal chat with each member (Teams hands back the existing one),
stores its reference for later nudges, and sends the invitation. Whatever Teams refuses is
recorded on the invitation and told to the project manager in the launch's summary.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from botbuilder.core import TurnContext

from bot.charts import render_chart
from bot.teams.connector import (
    Connector,
    Member,
    Reference,
    TeamsFailed,
    TeamsRefused,
    channel_of,
)
from bot.teams.delivery import names_in
from bot.teams.render import image_activities, to_activity
from dialogs import phrases
from dialogs.advisor import Advisor
from dialogs.campaigns import Audience, CampaignRefused, Campaigns, LaunchRequest
from dialogs.campaigns import launched as launched_view
from dialogs.events import Command, CommandInvoked, ConversationKey
from dialogs.messages import Chart, Paragraph, Places, Reply
from dialogs.ports import Clock, LaunchRepository
from dialogs.records import Launch, Organisation, Scan, place
from dialogs.views import org_result
from engine.scoring import OrgResult
from engine.vocabulary import Language
from storage.teams import SqlaTeamsConversations

log = logging.getLogger(__name__)
CHANNEL = "teams"
CLOSING_TIME = time(17, 0)
"""A closing date means the end of that working day."""


@dataclass(frozen=True)
class TeamLaunch:
    """What the project manager asked for in the launch card."""

    deadline: date | None
    threshold: int
    report_here: bool


@dataclass(frozen=True)
class Launched:
    """A launch as stored: its scan, the members invited and the closing moment."""

    scan: Scan
    members: tuple[Member, ...]
    deadline: datetime | None

    def reply(self, language: Language) -> Reply:
        shown = f"{self.deadline:%Y-%m-%d %H:%M}" if self.deadline else None
        return launched_view(self.scan, len(self.members), shown, language)


@dataclass(frozen=True)
class Closed:
    """What closing said, and the scan it closed (None when it was refused)."""

    reply: Reply
    scan: Scan | None = None
    launch: Launch | None = None


def respondent(user_id: str) -> str:
    return f"{CHANNEL}:{user_id}"


def key_of(org_id: int, user_id: str) -> ConversationKey:
    return ConversationKey(CHANNEL, org_id, user_id, user_id)


class TeamsCampaigns:
    def __init__(
        self,
        *,
        advisor: Advisor,
        campaigns: Campaigns,
        launches: LaunchRepository,
        conversations: SqlaTeamsConversations,
        connector: Connector,
        clock: Clock,
    ) -> None:
        self._advisor = advisor
        self._campaigns = campaigns
        self._launches = launches
        self._conversations = conversations
        self._connector = connector
        self._clock = clock

    async def may_manage(self, org: Organisation, user_id: str) -> bool:
        return await self._campaigns.may_manage(org.id, respondent(user_id))

    async def launch(
        self,
        context: TurnContext,
        org: Organisation,
        manager: Member,
        team_id: str,
        asked: TeamLaunch,
        language: Language,
        *,
        zone: str | None = None,
    ) -> Launched | Reply:
        """Launch for the team's roster: read it, open the scan and record everyone's
        invitation, not yet sent (`invite` sends them). The closing date ends at 17:00 in the
        manager's `zone`, else the organisation's.

        Returns:
            The launch, or why there is none, in `language`.
        """
        channel = place(CHANNEL, channel_of(context.activity))
        try:
            members = await self._connector.roster(context, team_id)
        except TeamsFailed as refused:
            log.warning("could not read a team's roster: %s", refused)
            return (
                Paragraph(phrases.MEMBERS_UNREADABLE(language)),
                Paragraph(refused.failure.explanation(language)),
            )
        deadline = (
            datetime.combine(
                asked.deadline, CLOSING_TIME, tzinfo=ZoneInfo(zone or org.settings.time_zone)
            )
            if asked.deadline
            else None
        )
        request = LaunchRequest(
            launched_by=respondent(manager.id),
            audience=tuple(Audience(respondent(m.id), None) for m in members),
            deadline=deadline,
            report_to=channel if asked.report_here else None,
            threshold=asked.threshold,
        )
        try:
            scan = await self._campaigns.launch(org.id, request)
        except CampaignRefused as refused:
            return (Paragraph(refused.phrase(language)),)
        if asked.report_here:
            await self._campaigns.report_to(org.id, channel)
        return Launched(scan, tuple(members), deadline)

    async def invite(
        self, context: TurnContext, org: Organisation, launched: Launched, language: Language
    ) -> Reply:
        """Send each member of a launch their invitation; how many went out, for the channel.

        What Teams refuses, or cannot take even after retrying, is recorded on the invitation.
        """
        sent = failed = 0
        for member in launched.members:
            if await self._invite(context, org, launched.scan, member):
                sent += 1
            else:
                failed += 1
        return (Paragraph(phrases.INVITATIONS_SENT(language).format(sent=sent, failed=failed)),)

    async def _invite(
        self, context: TurnContext, org: Organisation, scan: Scan, member: Member
    ) -> bool:
        who = respondent(member.id)
        now = self._clock.now()
        try:
            reference = await self._connector.personal(context, member)
            await self._conversations.remember(org.id, who, reference, name=member.name, now=now)
            language = await self._advisor.language_of(key_of(org.id, member.id))
            reply = await self._advisor.handle(
                key_of(org.id, member.id), CommandInvoked(Command.SCAN), language=language
            )
            invitation = (Paragraph(phrases.INVITED(language)), *reply)
            await self._connector.send(reference, [to_activity(invitation)])
        except TeamsFailed as refused:
            # Recorded either way: the status shows it, and says whether to try again later.
            log.warning("an invitation failed: %s", refused)
            await self._launches.mark_failed(org.id, scan.id, who, failure=refused.failure)
            return False
        await self._launches.mark_invited(org.id, scan.id, who, now=now)
        return True

    # Following and closing

    async def status(self, org: Organisation, user_id: str, language: Language) -> Reply:
        return await self._campaigns.status_view(org.id, respondent(user_id), language)

    async def close(self, org: Organisation, user_id: str | None, language: Language) -> Closed:
        """Close the running scan; publishing its result is the caller's next step."""
        try:
            scan, launch = await self._campaigns.close(
                org.id, respondent(user_id) if user_id else None
            )
        except CampaignRefused as refused:
            return Closed((Paragraph(refused.phrase(language)),))
        return Closed(
            (Paragraph(phrases.CLOSED(language).format(number=scan.number)),), scan, launch
        )

    async def publish(self, org: Organisation, scan: Scan, launch: Launch | None) -> None:
        """The result (and its chart) to the manager and the launch's channel, once; each
        respondent who finished gets their own view beside it."""
        if not await self._campaigns.claim_publication(org.id, scan):
            return
        language = org.settings.language
        published = await self._advisor.published(org)
        reply = org_result(published.scan, published.result, language)
        activities = [to_activity(reply), *await _chart(reply, scan)]
        result = isinstance(published.result, OrgResult)
        targets = [launch.launched_by if launch else None]
        targets.append(launch.report_to if launch and result else None)
        for target in targets:
            if target is None or await self._send(org, target, activities):
                continue
            if launch is not None and target == launch.report_to:
                await self._not_published(org, scan, launch, target)
        if launch is not None and result:
            for invitation in await self._launches.invitations(org.id, scan.id):
                if invitation.completed:
                    await self._show_own_beside(org, scan, invitation.respondent)

    async def _show_own_beside(self, org: Organisation, scan: Scan, who: str) -> None:
        user_id = who.removeprefix(f"{CHANNEL}:")
        key = key_of(org.id, user_id)
        language = await self._advisor.language_of(key)
        reply = await self._advisor.handle(key, CommandInvoked(Command.RESULTS))
        intro = Paragraph(phrases.RESULT_READY(language).format(number=scan.number))
        await self._send(org, who, [to_activity((intro, *reply))])

    async def _not_published(
        self, org: Organisation, scan: Scan, launch: Launch, target: str
    ) -> None:
        language = await self._advisor.language_of(
            key_of(org.id, launch.launched_by.removeprefix(f"{CHANNEL}:"))
        )
        reply = (
            Paragraph(phrases.NOT_PUBLISHED(language).format(number=scan.number)),
            Places((target,)),
        )
        names = await names_in(self._conversations, org.id, reply)
        await self._send(org, launch.launched_by, [to_activity(reply, names=names)])

    async def _send(self, org: Organisation, address: str, activities: list[Reference]) -> bool:
        reference = await self._conversations.reference(org.id, address)
        if reference is None:
            log.warning("no Teams conversation to publish to")
            return False
        try:
            await self._connector.send(reference, activities)
        except TeamsFailed as failed:
            log.warning("could not publish a result: %s", failed)
            if isinstance(failed, TeamsRefused) and failed.gone:
                await self._conversations.gone(org.id, address, now=self._clock.now())
            return False
        return True

    # The background tick

    async def tick(self) -> None:
        """Close the Teams organisations' scans whose deadline passed and publish their result,
        and any result a stopped process left unpublished."""
        for org in await self._campaigns.due_for_closing(CHANNEL):
            closed = await self.close(org, None, org.settings.language)
            if closed.scan is not None:
                await self.publish(org, closed.scan, closed.launch)
        for org, scan, launch in await self._campaigns.due_for_publishing(CHANNEL):
            await self.publish(org, scan, launch)


async def _chart(reply: Reply, scan: Scan) -> list[Reference]:
    chart = next((block for block in reply if isinstance(block, Chart)), None)
    if chart is None:
        return []
    png = await asyncio.to_thread(render_chart, chart)
    return image_activities(png, name=f"scan-{scan.number}-profile.png", title=chart.title)
