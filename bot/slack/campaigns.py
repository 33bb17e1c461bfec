"""The project manager's side in Slack: launch, status, close, settings, and publishing the result.

What a person did is stored before Slack has its acknowledgement (closing a scan, saving the
settings); everything else here runs after it, so it may take its time; whatever
Slack refuses is sorted (`errors.undeliverable`), recorded where it concerns an invitee, and told
to the project manager in words that say who can fix it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.web.async_client import AsyncWebClient

from bot.charts import render_chart
from bot.jobs import KeepProgress
from bot.slack.errors import FAILURES, code, undeliverable
from bot.slack.modals import (
    LaunchForm,
    View,
    launch_form,
    launch_modal,
    modal_language,
    settings_form,
    settings_modal,
)
from bot.slack.render import to_message
from dialogs import phrases
from dialogs.advisor import Advisor
from dialogs.campaigns import Audience, CampaignRefused, Campaigns, LaunchRequest
from dialogs.campaigns import launched as launched_view
from dialogs.delivery import Undeliverable
from dialogs.events import Command, CommandInvoked, ConversationKey
from dialogs.messages import Chart, Paragraph, Places, Reply
from dialogs.ports import Clock, LaunchRepository
from dialogs.records import (
    MAXIMUM_THRESHOLD,
    MINIMUM_THRESHOLD,
    Launch,
    Organisation,
    Scan,
    place,
)
from dialogs.views import org_result
from engine.scoring import OrgResult
from engine.vocabulary import Language
from storage.jobs import Job

log = logging.getLogger(__name__)
CHANNEL = "slack"
CLOSING_TIME = time(17, 0)
"""A closing date means the end of that working day in the project manager's time zone."""
PROGRESS_EVERY = 25
"""While inviting, the project manager's message is updated after this many invitations."""
LAUNCH_JOB = "slack.launch"
"""A submitted launch form: stored before Slack gets its 200, run by `SlackCampaigns.run_launch`."""
ClientFor = Callable[[int], Awaitable[tuple[Organisation, AsyncWebClient]]]
"""The organisation and a Web API client holding its workspace's token.

Raises LookupError when the workspace has no installation (any more)."""
Errors = dict[str, str]


@dataclass(frozen=True)
class Launching:
    """A launch recorded and its invitations under way: what a job keeps as its progress."""

    scan_id: int
    people: tuple[dict[str, str], ...]
    language: Language
    shown: str | None
    message: tuple[str, str] | None
    """The manager's message that counts the invitations (channel and ts), once posted."""

    def to_json(self) -> dict[str, Any]:
        return {
            "scan_id": self.scan_id,
            "people": list(self.people),
            "language": self.language.value,
            "shown": self.shown,
            "message": list(self.message) if self.message else None,
        }

    @classmethod
    def read(cls, progress: dict[str, Any] | None) -> Launching | None:
        if not progress:
            return None
        message = progress.get("message")
        return cls(
            scan_id=int(progress["scan_id"]),
            people=tuple(progress["people"]),
            language=Language(progress["language"]),
            shown=progress["shown"],
            message=(str(message[0]), str(message[1])) if message else None,
        )


@dataclass(frozen=True)
class Closed:
    """What closing said, and the scan to publish when it did close one."""

    reply: Reply
    scan: Scan | None = None
    launch: Launch | None = None


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

    # Launching

    async def open_launch(
        self, client: AsyncWebClient, trigger_id: str, org: Organisation, language: Language
    ) -> None:
        groups = await _usergroups(client)
        view = launch_modal(language, org.settings.anonymity_threshold, groups)
        await client.views_open(trigger_id=trigger_id, view=view)

    def validate_launch(self, view: View) -> Errors:
        """Field errors for the launch modal, in its language; empty when it is valid."""
        language = modal_language(view)
        form = launch_form(view)
        errors = _threshold_errors(form.threshold, language)
        if form.channel is None and form.usergroup is None:
            errors["audience"] = phrases.AUDIENCE_MISSING(language)
        if form.closing is not None and form.closing <= self._clock.now().date():
            errors["deadline"] = phrases.DEADLINE_PAST(language)
        return errors

    async def run_launch(self, job: Job, keep: KeepProgress) -> None:
        """The job a submitted launch form left (`LAUNCH_JOB`): launch and invite, or after a
        crash carry on inviting whoever was not invited yet."""
        org, client = await self._client_for(job.org_id)
        manager, view = job.payload["manager"], job.payload["view"]
        started = Launching.read(job.progress)
        if started is None:
            started = await self._start_launch(client, org, manager, view, keep)
            if started is None:
                return
        if started.message is None:
            # Kept the moment the launch was recorded, so a crash from here on resumes it.
            report_to = launch_form(view).report_to
            if report_to:
                await self._campaigns.report_to(org.id, place(CHANNEL, report_to))
            try:
                scan, _ = await self._campaigns.running(org.id)
            except CampaignRefused:
                log.info("a launch's scan closed before its summary was posted")
                return
            summary = launched_view(scan, len(started.people), started.shown, started.language)
            posted = await client.chat_postMessage(channel=manager, **to_message(summary))
            started = replace(started, message=(str(posted["channel"]), str(posted["ts"])))
            await keep(started.to_json())
        await self._invite_all(client, org, started, keep)

    async def _start_launch(
        self,
        client: AsyncWebClient,
        org: Organisation,
        manager: str,
        view: View,
        keep: KeepProgress,
    ) -> Launching | None:
        """Record the launch for the chosen people and keep that as the job's progress; None
        (the manager told why) if it cannot be."""
        language = modal_language(view)
        form = launch_form(view)
        try:
            people = await _audience(client, form)
        except FAILURES as error:
            log.warning("could not read a launch's audience: %s", code(error))
            where = (form.channel or form.usergroup or "",)
            reply: Reply = (
                Paragraph(phrases.MEMBERS_UNREADABLE(language)),
                Places(where),
                Paragraph(undeliverable(error).explanation(language)),
            )
            await client.chat_postMessage(channel=manager, **to_message(reply))
            return None
        deadline = await _deadline(client, manager, form)
        request = LaunchRequest(
            launched_by=_respondent(manager),
            audience=tuple(Audience(_respondent(p["id"]), _zone(p.get("tz"))) for p in people),
            deadline=deadline,
            report_to=form.report_to,
            threshold=int(form.threshold),
        )
        try:
            scan = await self._campaigns.launch(org.id, request)
        except CampaignRefused as refused:
            await client.chat_postMessage(channel=manager, text=refused.phrase(language))
            return None
        started = Launching(
            scan_id=scan.id,
            people=tuple({"id": p["id"], "locale": p.get("locale", "")} for p in people),
            language=language,
            shown=f"{deadline:%Y-%m-%d %H:%M}" if deadline else None,
            message=None,
        )
        await keep(started.to_json())
        return started

    async def _invite_all(
        self, client: AsyncWebClient, org: Organisation, started: Launching, keep: KeepProgress
    ) -> None:
        """Invite each person not invited yet, keeping the manager's message current."""
        try:
            scan, _ = await self._campaigns.running(org.id)
        except CampaignRefused:
            scan = None
        if scan is None or scan.id != started.scan_id:
            log.info("a launch's scan closed before everyone was invited")
            return
        invitations = await self._launches.invitations(org.id, scan.id)
        earlier = {
            i.respondent: i.failure is None for i in invitations if i.invited_at or i.failure
        }
        language, people = started.language, started.people
        summary = launched_view(scan, len(people), started.shown, language)
        sent, failed = 0, 0
        for done, person in enumerate(people, start=1):
            delivered = earlier.get(_respondent(person["id"]))  # by the run before a crash
            if delivered is not None:
                sent, failed = sent + delivered, failed + (not delivered)
            elif await self._invite(client, org, scan, person):
                sent += 1
            else:
                failed += 1
            if done % PROGRESS_EVERY == 0 or done == len(people):
                counts = phrases.INVITATIONS_SENT(language).format(sent=sent, failed=failed)
                assert started.message is not None, "posted before anyone is invited"
                channel, ts = started.message
                await client.chat_update(
                    channel=channel, ts=ts, **to_message((*summary, Paragraph(counts)))
                )
                await keep(started.to_json())  # still alive: hold the claim

    async def _invite(
        self, client: AsyncWebClient, org: Organisation, scan: Scan, person: dict[str, Any]
    ) -> bool:
        user = person["id"]
        language = _locale_language(person)
        key = ConversationKey("slack", org.id, user, user)
        reply = await self._advisor.handle(key, CommandInvoked(Command.SCAN), language=language)
        message = to_message((Paragraph(phrases.INVITED(language)), *reply))
        try:
            await client.chat_postMessage(channel=user, **message)
        except FAILURES as error:
            failure = undeliverable(error, to_person=True)
            await self._launches.mark_failed(org.id, scan.id, _respondent(user), failure=failure)
            log.warning("an invitation failed: %s", code(error))
            return False
        await self._launches.mark_invited(org.id, scan.id, _respondent(user), now=self._clock.now())
        return True

    # Following and closing

    async def status(self, org: Organisation, manager: str, language: Language) -> Reply:
        return await self._campaigns.status_view(org.id, _respondent(manager), language)

    async def manager_home(self, org: Organisation, user: str, language: Language) -> Reply:
        """For someone who launched a scan here: the running scan's participation and the plan."""
        if _respondent(user) not in await self._launches.managers(org.id):
            return ()
        running = await self.status(org, user, language) if await self._launched(org) else ()
        return (*running, *await self._advisor.plan(org.id, language))

    async def _launched(self, org: Organisation) -> bool:
        try:
            _, launch = await self._campaigns.running(org.id)
        except CampaignRefused:
            return False
        return launch is not None

    async def close(self, org: Organisation, manager: str | None, language: Language) -> Closed:
        """Close the running scan (stored when this returns); publishing is the caller's next
        step, and the tick's if the process stops first."""
        try:
            scan, launch = await self._campaigns.close(
                org.id, _respondent(manager) if manager else None
            )
        except CampaignRefused as refused:
            return Closed((Paragraph(refused.phrase(language)),))
        reply = (Paragraph(phrases.CLOSED(language).format(number=scan.number)),)
        return Closed(reply, scan, launch)

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
        report_to = launch.report_to if launch and isinstance(published.result, OrgResult) else None
        chart = next((block for block in reply if isinstance(block, Chart)), None)
        for target in (manager_id, report_to):
            if target is None:
                continue
            try:
                # A file goes to a conversation id; a person's is their direct message.
                if target == manager_id:
                    opened = await client.conversations_open(users=target)
                    target = str(opened["channel"]["id"])
                await client.chat_postMessage(channel=target, **to_message(reply))
                if chart is not None:
                    await client.files_upload_v2(
                        channel=target,
                        file=render_chart(chart),
                        filename=f"scan-{scan.number}-profile.png",
                        title=chart.title,
                    )
            except FAILURES as error:
                log.warning("could not publish a result: %s", code(error))
                if manager_id is not None and target == report_to:
                    await self._tell(client, manager_id, scan, target, undeliverable(error))
        if launch is not None and isinstance(published.result, OrgResult):
            for invitation in await self._launches.invitations(org.id, scan.id):
                if invitation.completed:
                    await self._show_own_beside(client, org, scan, invitation.respondent)

    async def _show_own_beside(
        self, client: AsyncWebClient, org: Organisation, scan: Scan, respondent: str
    ) -> None:
        """A respondent's own view beside the organisation's result, for their eyes only."""
        user = respondent.removeprefix("slack:")
        key = ConversationKey("slack", org.id, user, user)
        reply = await self._advisor.handle(key, CommandInvoked(Command.RESULTS))
        language = await _language(client, user)
        intro = Paragraph(phrases.RESULT_READY(language).format(number=scan.number))
        try:
            await client.chat_postMessage(channel=user, **to_message((intro, *reply)))
        except FAILURES as error:
            log.warning("could not show a respondent the result: %s", code(error))

    async def _tell(
        self,
        client: AsyncWebClient,
        manager: str,
        scan: Scan,
        target: str,
        failure: Undeliverable,
    ) -> None:
        language = await _language(client, manager)
        reply = (
            Paragraph(phrases.NOT_PUBLISHED(language).format(number=scan.number)),
            Places((target,)),
            Paragraph(failure.explanation(language)),
        )
        try:
            await client.chat_postMessage(channel=manager, **to_message(reply))
        except FAILURES as error:
            log.warning("could not tell the project manager either: %s", code(error))

    # Settings

    async def may_manage(self, org: Organisation, user: str) -> bool:
        return await self._campaigns.may_manage(org.id, _respondent(user))

    async def open_settings(
        self, client: AsyncWebClient, trigger_id: str, org: Organisation, language: Language
    ) -> None:
        await client.views_open(trigger_id=trigger_id, view=settings_modal(language, org.settings))

    @staticmethod
    def validate_settings(view: View) -> Errors:
        language = modal_language(view)
        form = settings_form(view)
        errors = _threshold_errors(form.threshold, language)
        if form.language not in {choice.value for choice in Language}:
            errors["language"] = phrases.LANGUAGE_UNKNOWN_CHOICE(language)
        return errors

    async def save_settings(self, org: Organisation, manager: str, view: View) -> Reply:
        language = modal_language(view)
        form = settings_form(view)
        try:
            saved = await self._campaigns.change_settings(
                org.id,
                _respondent(manager),
                language=Language(form.language),
                threshold=int(form.threshold),
                report_channel=place(CHANNEL, form.report_to) if form.report_to else None,
            )
        except CampaignRefused as refused:
            return (Paragraph(refused.phrase(language)),)
        summary = phrases.SETTINGS_SAVED(language).format(
            language=phrases.LANGUAGE_NAME(saved.language),
            threshold=saved.anonymity_threshold,
        )
        if form.report_to is None:
            return (Paragraph(summary),)
        return (
            Paragraph(summary),
            Paragraph(phrases.SETTINGS_SAVED_REPORT(language)),
            Places((form.report_to,)),
        )

    # The background tick

    async def tick(self) -> None:
        """Close the scans whose deadline passed, and publish any result a stopped process left
        unpublished (reminders go through the nudge outbox)."""
        for due in await self._campaigns.due_for_closing(CHANNEL):
            try:
                org, client = await self._client_for(due.id)
            except LookupError as missing:
                # Close it all the same, or every tick would try again; the result stays
                # available to `/advisor results` once the app is reinstalled.
                log.error("closing a scan without publishing it: %s", missing)
                await self._campaigns.close(due.id, None)
                continue
            closed = await self.close(org, None, org.settings.language)
            if closed.scan is not None:
                await self.publish(client, org, closed.scan, closed.launch, None)
        for org, scan, launch in await self._campaigns.due_for_publishing(CHANNEL):
            try:
                org, client = await self._client_for(org.id)
            except LookupError as missing:
                log.info("a result waits for the app to be reinstalled: %s", missing)
                continue
            await self.publish(client, org, scan, launch, None)


def _respondent(user: str) -> str:
    return f"{CHANNEL}:{user}"


def _threshold_errors(threshold: str, language: Language) -> Errors:
    """The threshold as typed is a whole number from 3 to 25 (Slack's own check of the field
    is in the browser, so a request may carry anything)."""
    if not (threshold.isascii() and threshold.isdigit()):
        return {"threshold": phrases.THRESHOLD_TOO_LOW(language)}
    digits = threshold.lstrip("0") or "0"
    # int() refuses thousands of digits with a bare ValueError; so many are too many anyway.
    number = int(digits) if len(digits) <= len(str(MAXIMUM_THRESHOLD)) else MAXIMUM_THRESHOLD + 1
    if number < MINIMUM_THRESHOLD:
        return {"threshold": phrases.THRESHOLD_TOO_LOW(language)}
    if number > MAXIMUM_THRESHOLD:
        return {"threshold": phrases.THRESHOLD_OUT_OF_RANGE(language)}
    return {}


def _zone(name: object) -> ZoneInfo | None:
    try:
        return ZoneInfo(str(name)) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _locale_language(person: dict[str, Any]) -> Language:
    return Language.NL if str(person.get("locale", "")).startswith("nl") else Language.EN


async def _deadline(client: AsyncWebClient, manager: str, form: LaunchForm) -> datetime | None:
    if form.closing is None:
        return None
    zone = _zone((await _person(client, manager)).get("tz")) or ZoneInfo("UTC")
    return datetime.combine(form.closing, CLOSING_TIME, tzinfo=zone)


async def _person(client: AsyncWebClient, user: str) -> dict[str, Any]:
    try:
        info = await client.users_info(user=user, include_locale=True)
    except FAILURES as error:
        log.warning("users.info failed: %s", code(error))
        return {}
    return dict(info["user"])


async def _language(client: AsyncWebClient, user: str) -> Language:
    return _locale_language(await _person(client, user))


async def _usergroups(client: AsyncWebClient) -> list[tuple[str, str]]:
    """The workspace's user groups (id, handle); none where the plan or the scopes lack them."""
    try:
        listed = await client.usergroups_list()
    except FAILURES as error:
        log.info("no user groups to offer: %s", code(error))
        return []
    return [(str(g["id"]), str(g.get("handle") or g.get("name"))) for g in listed["usergroups"]]


async def _audience(client: AsyncWebClient, form: LaunchForm) -> list[dict[str, Any]]:
    """The chosen channel's and user group's people, once each: no bots, apps or leavers."""
    ids: list[str] = []
    if form.channel is not None:
        ids += [user async for user in _channel_members(client, form.channel)]
    if form.usergroup is not None:
        listed = await client.usergroups_users_list(usergroup=form.usergroup)
        ids += [str(user) for user in listed["users"]]
    people = []
    for user in dict.fromkeys(ids):
        person = await _person(client, user)
        if person and not (
            person.get("is_bot") or person.get("deleted") or person.get("is_app_user")
        ):
            people.append(person)
    return people


async def _channel_members(client: AsyncWebClient, channel: str) -> AsyncIterator[str]:
    cursor = None
    while True:
        page = await client.conversations_members(channel=channel, cursor=cursor, limit=200)
        for user in page["members"]:
            yield str(user)
        metadata: dict[str, Any] = page.get("response_metadata") or {}
        cursor = metadata.get("next_cursor")
        if not cursor:
            return
