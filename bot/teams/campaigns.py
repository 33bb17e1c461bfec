"""Campaigns in Teams: a launch for a team's roster, and the publisher `dialogs.campaigns` needs.

The rules (who may launch, invitations, closing, publishing) are `dialogs.campaigns`'. A launch
is recorded before the channel has its answer (Teams wants one within seconds); the invitations
go out after it, each into a personal chat the launch opens and stores for later nudges.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from botbuilder.core import TurnContext

from bot.teams.connector import Connector, Member, TeamsFailed, channel_of
from bot.teams.delivery import TeamsPublisher
from dialogs import phrases
from dialogs.campaigns import (
    Audience,
    CampaignRefused,
    CampaignRunner,
    LaunchRequest,
    closing_moment,
    deadline_shown,
    launched,
)
from dialogs.messages import Paragraph, Reply
from dialogs.ports import Clock
from dialogs.records import Organisation, Scan, place
from engine.vocabulary import Language
from storage.teams import SqlaTeamsConversations

log = logging.getLogger(__name__)
CHANNEL = "teams"


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
        return launched(self.scan, len(self.members), deadline_shown(self.deadline), language)


def respondent(user_id: str) -> str:
    return f"{CHANNEL}:{user_id}"


class TeamsCampaigns:
    def __init__(
        self,
        *,
        runner: CampaignRunner,
        conversations: SqlaTeamsConversations,
        connector: Connector,
        clock: Clock,
    ) -> None:
        self.runner = runner
        self._conversations = conversations
        self._connector = connector
        self._clock = clock

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
        try:
            members = await self._connector.roster(context, team_id)
        except TeamsFailed as refused:
            log.warning("could not read a team's roster: %s", refused)
            return (
                Paragraph(phrases.MEMBERS_UNREADABLE(language)),
                Paragraph(refused.failure.explanation(language)),
            )
        home = ZoneInfo(zone or org.settings.time_zone)
        deadline = closing_moment(asked.deadline, home) if asked.deadline else None
        here = place(CHANNEL, channel_of(context.activity))
        request = LaunchRequest(
            launched_by=respondent(manager.id),
            audience=tuple(Audience(respondent(m.id), None) for m in members),
            deadline=deadline,
            report_to=here if asked.report_here else None,
            threshold=asked.threshold,
        )
        try:
            scan = await self.runner.campaigns.launch(org.id, request)
        except CampaignRefused as refused:
            return refused.reply(language)
        return Launched(scan, tuple(members), deadline)

    async def invite(
        self, context: TurnContext, org: Organisation, launched: Launched, language: Language
    ) -> Reply:
        """Send each member of a launch their invitation; how many went out, for the channel.

        What Teams refuses, or cannot take even after retrying, is recorded on the invitation.
        """
        roster = {respondent(member.id): member for member in launched.members}
        publisher = self.publisher(opening=(context, roster))
        people = [Audience(address, None) for address in roster]
        invited = await self.runner.invite(org, launched.scan.id, people, publisher)
        if invited is None:
            return (Paragraph(phrases.NO_OPEN_SCAN(language)),)
        return invited.reply(language)

    def publisher(
        self, *, opening: tuple[TurnContext, dict[str, Member]] | None = None
    ) -> TeamsPublisher:
        return TeamsPublisher(self._connector, self._conversations, self._clock, opening=opening)

    async def tick(self) -> None:
        """Close the Teams organisations' scans whose deadline passed and publish their result,
        and any result a stopped process left unpublished."""

        async def publisher(_: Organisation) -> TeamsPublisher:
            return self.publisher()

        await self.runner.tick(CHANNEL, publisher)
