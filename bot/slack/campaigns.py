"""Campaigns in Slack: the launch modal and its job, and a publisher for `dialogs.campaigns`.

The rules (who may launch, invitations, closing, publishing) are `dialogs.campaigns`'; this is
only what Slack needs. A submitted launch form is stored as a job before Slack has its 200, and
the job resumes after a crash: whoever was invited already is not invited twice.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from slack_sdk.web.async_client import AsyncWebClient

from bot.jobs import KeepProgress
from bot.slack import people
from bot.slack.delivery import ClientFor, SlackPublisher
from bot.slack.errors import FAILURES, code, undeliverable
from bot.slack.modals import View, launch_form, launch_modal, modal_language
from bot.slack.render import to_message
from dialogs import phrases
from dialogs.campaigns import (
    CampaignRefused,
    CampaignRunner,
    Invited,
    LaunchRequest,
    closing_moment,
    deadline_shown,
    launched,
)
from dialogs.messages import Paragraph, Places, Reply
from dialogs.records import Organisation, place
from engine.vocabulary import Language
from storage.jobs import Job

log = logging.getLogger(__name__)
LAUNCH_JOB = "slack.launch"
"""A submitted launch form: stored before Slack gets its 200, run by `SlackCampaigns.run_launch`."""


class Launching(BaseModel, frozen=True):
    """A launch recorded and its invitations under way: what the job keeps as its progress."""

    scan_id: int
    people: tuple[dict[str, str], ...]
    language: Language
    shown: str | None
    message: tuple[str, str] | None = None
    """The manager's message that counts the invitations (channel and ts), once posted."""


class SlackCampaigns:
    def __init__(self, *, runner: CampaignRunner, client_for: ClientFor) -> None:
        self.runner = runner
        self._client_for = client_for

    async def open_launch(
        self, client: AsyncWebClient, trigger_id: str, org: Organisation, language: Language
    ) -> None:
        threshold, groups = org.settings.anonymity_threshold, await people.usergroups(client)
        await client.views_open(
            trigger_id=trigger_id, view=launch_modal(language, threshold, groups)
        )

    async def run_launch(self, job: Job, keep: KeepProgress) -> None:
        """The job a submitted launch form left (`LAUNCH_JOB`): launch and invite, or after a
        crash carry on inviting whoever was not invited yet."""
        org, client = await self._client_for(job.org_id)
        manager, view = job.payload["manager"], job.payload["view"]
        started = (
            Launching.model_validate(job.progress)
            if job.progress
            else await self._launch(client, org, manager, view)
        )
        if started is None:
            return
        # The launch is recorded: from here on a crash resumes it.
        await keep(started.model_dump(mode="json"))
        try:
            scan, _ = await self.runner.campaigns.running(org.id)
        except CampaignRefused:
            scan = None
        if scan is None or scan.id != started.scan_id:
            log.info("a launch's scan closed before everyone was invited")
            return
        summary = launched(scan, len(started.people), started.shown, started.language)
        if started.message is None:
            posted = await client.chat_postMessage(
                channel=manager, **to_message(summary, language=started.language)
            )
            started = started.model_copy(
                update={"message": (str(posted["channel"]), str(posted["ts"]))}
            )
            await keep(started.model_dump(mode="json"))
        channel, ts = started.message or ("", "")

        async def progress(counts: Invited) -> None:
            reply = (*summary, *counts.reply(started.language))
            message = to_message(reply, language=started.language)
            await client.chat_update(channel=channel, ts=ts, **message)
            await keep(started.model_dump(mode="json"))  # still alive: hold the claim

        audience = [people.audience_of(person) for person in started.people]
        await self.runner.invite(org, scan.id, audience, SlackPublisher(client), progress)

    async def _launch(
        self, client: AsyncWebClient, org: Organisation, manager: str, view: View
    ) -> Launching | None:
        """Record the launch for the chosen people; None (the manager told why) if it cannot be."""
        language, form = modal_language(view), launch_form(view)
        try:
            invited = await people.audience(client, form)
        except FAILURES as error:
            log.warning("could not read a launch's audience: %s", code(error))
            reply: Reply = (
                Paragraph(phrases.MEMBERS_UNREADABLE(language)),
                Places((form.channel or form.usergroup or "",)),
                Paragraph(undeliverable(error).explanation(language)),
            )
            await client.chat_postMessage(channel=manager, **to_message(reply, language=language))
            return None
        zone = people.zone((await people.person(client, manager)).get("tz")) or ZoneInfo("UTC")
        deadline = closing_moment(form.closing, zone) if form.closing else None
        request = LaunchRequest(
            launched_by=people.respondent(manager),
            audience=tuple(people.audience_of(person) for person in invited),
            deadline=deadline,
            report_to=place(people.CHANNEL, form.report_to) if form.report_to else None,
            threshold=int(form.threshold),
        )
        try:
            scan = await self.runner.campaigns.launch(org.id, request)
        except CampaignRefused as refused:
            await client.chat_postMessage(channel=manager, text=refused.say(language))
            return None
        kept = tuple({"id": p["id"], "locale": p.get("locale", "")} for p in invited)
        return Launching(
            scan_id=scan.id, people=kept, language=language, shown=deadline_shown(deadline)
        )

    async def publisher(self, org: Organisation) -> SlackPublisher:
        """The publisher for an organisation's workspace; LookupError when it is uninstalled."""
        _, client = await self._client_for(org.id)
        return SlackPublisher(client)

    async def tick(self) -> None:
        await self.runner.tick(people.CHANNEL, self.publisher)
