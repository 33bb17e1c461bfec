"""The project manager's side in Slack: launch, status, close, and publishing the result."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.charts import render_chart
from bot.slack.modals import launch_modal, launch_values
from bot.slack.render import to_message
from dialogs import phrases
from dialogs.advisor import Advisor
from dialogs.campaigns import Audience, CampaignRefused, Campaigns, LaunchRequest, participation
from dialogs.campaigns import launched as launched_view
from dialogs.events import Command, CommandInvoked, ConversationKey
from dialogs.messages import Chart, Paragraph, Reply
from dialogs.ports import Clock, LaunchRepository
from dialogs.records import Launch, Organisation, Scan
from dialogs.views import org_result
from engine.scoring import OrgResult
from engine.vocabulary import Language

log = logging.getLogger(__name__)
CLOSING_TIME = time(17, 0)
"""A closing date means the end of that working day in the project manager's time zone."""
ClientFor = Callable[[int], Awaitable[tuple[Organisation, AsyncWebClient]]]
"""The organisation and a Web API client holding its workspace's token."""


class SlackCampaigns:
    def __init__(
        self,
        *,
        advisor: Advisor,
        campaigns: Campaigns,
        launches: LaunchRepository,
        clock: Clock,
        client_for: ClientFor,
    ) -> None:
        self._advisor = advisor
        self._campaigns = campaigns
        self._launches = launches
        self._clock = clock
        self._client_for = client_for

    async def open_launch(
        self, client: AsyncWebClient, trigger_id: str, org: Organisation, language: Language
    ) -> None:
        view = launch_modal(language, org.settings.anonymity_threshold)
        await client.views_open(trigger_id=trigger_id, view=view)

    def validate(self, view: dict[str, Any]) -> dict[str, str]:
        """Field errors for the modal, in its language; empty when the submission is valid."""
        language = Language(view.get("private_metadata") or Language.EN)
        _, closing, threshold, _ = launch_values(view)
        errors = {}
        if not threshold.isdigit() or int(threshold) < 3:
            errors["threshold"] = phrases.THRESHOLD_TOO_LOW(language)
        if closing is not None and closing <= self._clock.now().date():
            errors["deadline"] = phrases.DEADLINE_PAST(language)
        return errors

    async def launch(
        self, client: AsyncWebClient, org: Organisation, manager: str, view: dict[str, Any]
    ) -> Reply:
        """Launch for the chosen channel's people and invite each of them; returns the summary."""
        language = Language(view.get("private_metadata") or Language.EN)
        channel, closing, threshold, report_to = launch_values(view)
        manager_zone = (await _person(client, manager)).get("tz")
        deadline = (
            datetime.combine(closing, CLOSING_TIME, tzinfo=_zone(manager_zone) or ZoneInfo("UTC"))
            if closing
            else None
        )
        people = [p async for p in _members(client, channel)]
        request = LaunchRequest(
            launched_by=_respondent(manager),
            audience=tuple(Audience(_respondent(p["id"]), _zone(p.get("tz"))) for p in people),
            deadline=deadline,
            report_to=report_to,
            threshold=int(threshold),
        )
        try:
            scan = await self._campaigns.launch(org.id, request)
        except CampaignRefused as refused:
            return (Paragraph(refused.phrase(language)),)
        shown = f"{deadline:%Y-%m-%d %H:%M}" if deadline else None
        summary = launched_view(scan, len(people), shown, language)
        sent, failed = 0, 0
        for person in people:
            if await self._invite(client, org, scan, person):
                sent += 1
            else:
                failed += 1
        counts = phrases.INVITATIONS_SENT(language).format(sent=sent, failed=failed)
        return (*summary, Paragraph(counts))

    async def status(self, org: Organisation, manager: str, language: Language) -> Reply:
        try:
            scan, invitations = await self._campaigns.status(org.id, _respondent(manager))
        except CampaignRefused as refused:
            return (Paragraph(refused.phrase(language)),)
        return participation(scan, invitations, language)

    async def close(
        self, client: AsyncWebClient, org: Organisation, manager: str | None, language: Language
    ) -> Reply:
        try:
            scan, launch = await self._campaigns.close(
                org.id, _respondent(manager) if manager else None
            )
        except CampaignRefused as refused:
            return (Paragraph(refused.phrase(language)),)
        await self.publish(client, org, scan, launch, manager)
        return (Paragraph(phrases.CLOSED(language).format(number=scan.number)),)

    async def publish(
        self,
        client: AsyncWebClient,
        org: Organisation,
        scan: Scan,
        launch: Launch | None,
        manager: str | None,
    ) -> None:
        """Send the result (and its chart) to the manager and the report channel, once."""
        if not await self._campaigns.claim_publication(org.id, scan):
            return
        language = org.settings.language
        published = await self._advisor.published(org)
        reply = org_result(published.scan, published.result, language)
        manager_id = manager or (launch.launched_by.removeprefix("slack:") if launch else None)
        targets = [t for t in (manager_id, launch.report_to if launch else None) if t]
        if not isinstance(published.result, OrgResult):
            targets = targets[:1]
        chart = next((block for block in reply if isinstance(block, Chart)), None)
        for target in targets:
            try:
                await client.chat_postMessage(channel=target, **to_message(reply))
                if chart is not None:
                    await client.files_upload_v2(
                        channel=target,
                        file=render_chart(chart),
                        filename=f"scan-{scan.number}-profile.png",
                        title=chart.title,
                    )
            except SlackApiError as error:
                log.warning("could not publish to a channel: %s", error.response.get("error"))

    async def tick(self) -> None:
        """Close the scans whose deadline passed and send the reminders that are due."""
        now = self._clock.now()
        for org_id, _ in await self._launches.due_for_closing(now=now):
            org, client = await self._client_for(org_id)
            await self.close(client, org, None, org.settings.language)
        for org_id, scan_id, respondent in await self._launches.claim_reminders(now=now):
            org, client = await self._client_for(org_id)
            launch = await self._launches.get(org_id, scan_id)
            deadline = f"{launch.deadline:%Y-%m-%d %H:%M}" if launch and launch.deadline else ""
            user = respondent.removeprefix("slack:")
            language = await _language(client, user)
            text = phrases.REMINDER(language).format(deadline=deadline)
            try:
                await client.chat_postMessage(channel=user, text=text)
            except SlackApiError as error:
                log.warning("a reminder failed: %s", error.response.get("error"))

    async def _invite(
        self, client: AsyncWebClient, org: Organisation, scan: Scan, person: dict[str, Any]
    ) -> bool:
        user = person["id"]
        language = Language.NL if str(person.get("locale", "")).startswith("nl") else Language.EN
        key = ConversationKey("slack", org.id, user, user)
        reply = await self._advisor.handle(key, CommandInvoked(Command.SCAN), language=language)
        message = to_message((Paragraph(phrases.INVITED(language)), *reply))
        try:
            await client.chat_postMessage(channel=user, **message)
        except SlackApiError as error:
            failure = str(error.response.get("error", "unknown_error"))
            await self._launches.mark_failed(org.id, scan.id, _respondent(user), failure=failure)
            log.warning("an invitation failed: %s", failure)
            return False
        await self._launches.mark_invited(org.id, scan.id, _respondent(user), now=self._clock.now())
        return True


def _respondent(user: str) -> str:
    return f"slack:{user}"


def _zone(name: object) -> ZoneInfo | None:
    try:
        return ZoneInfo(str(name)) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


async def _person(client: AsyncWebClient, user: str) -> dict[str, Any]:
    try:
        info = await client.users_info(user=user, include_locale=True)
    except SlackApiError as error:
        log.warning("users.info failed: %s", error.response.get("error"))
        return {}
    return dict(info["user"])


async def _language(client: AsyncWebClient, user: str) -> Language:
    locale = str((await _person(client, user)).get("locale", ""))
    return Language.NL if locale.startswith("nl") else Language.EN


async def _members(client: AsyncWebClient, channel: str) -> AsyncIterator[dict[str, Any]]:
    """The channel's people: no bots, no app users, no deactivated accounts."""
    cursor = None
    while True:
        page = await client.conversations_members(channel=channel, cursor=cursor, limit=200)
        for user in page["members"]:
            person = await _person(client, user)
            if person and not (
                person.get("is_bot") or person.get("deleted") or person.get("is_app_user")
            ):
                yield person
        cursor = page.get("response_metadata", {}).get("next_cursor")
        if not cursor:
            return
