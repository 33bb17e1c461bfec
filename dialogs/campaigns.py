"""Launching a scan for an audience, following participation, closing it and publishing once.

Business rules:
- Whoever launched a scan in the organisation manages it; the first launch is open to anyone.
- A running scan that nobody launched (people started it themselves) is adopted by a launch.
- A launch sets the organisation's anonymity threshold (3 to 25); a threshold outside that
  changes nothing, and nothing is launched.
- Two launches at once make one: the other launcher is told someone launched the scan a moment
  ago, and their launch changes nothing (no invitations, no threshold).
- Participation is kept apart from answers: a manager sees who finished, never what they said.
- Each invitee is reminded once, a day before the deadline, at 10:00 in their own time zone
  (the organisation's, when the chat does not say theirs).
- A closed scan's result is published once, however many workers close it. A launched scan
  closed within the last day whose result nobody claimed (its process stopped in between) is
  published by the next tick.
- A result goes to whoever closed the scan (the launcher when the deadline closed it) and, when
  there is a result to show, to the launch's place; each finisher then gets their own view
  beside it, in their own language. A place that cannot take it is told to that person.
- Invitations already sent or refused are not sent again: a launch interrupted half-way resumes.

Each chat supplies only what its platform must: who is in the audience, and a `Publisher` that
posts to a person or a place.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from dialogs import phrases
from dialogs.advisor import Advisor
from dialogs.audit import AuditLog
from dialogs.calendar import calendar_changes
from dialogs.delivery import Undeliverable
from dialogs.events import Command, CommandInvoked, ConversationKey
from dialogs.messages import Heading, Paragraph, People, Places, Reply
from dialogs.ports import (
    AlreadyLaunched,
    Clock,
    LaunchRepository,
    OrganisationDirectory,
    Publisher,
    Replanner,
    ScanRepository,
    StorageError,
)
from dialogs.records import (
    MAXIMUM_THRESHOLD,
    MINIMUM_THRESHOLD,
    Invitation,
    Invitee,
    Launch,
    Organisation,
    OrgSettings,
    Scan,
    zone_known,
)
from dialogs.views import moment, org_result
from engine.reminders import reminder_time
from engine.respect import Respect
from engine.scoring import OrgResult
from engine.text import Text
from engine.vocabulary import Language

log = logging.getLogger(__name__)
REPUBLISH_WITHIN = timedelta(days=1)
"""How long after closing a result left unpublished is still worth sending."""
CLOSING_TIME = time(17, 0)
"""A closing date means the end of that working day in the project manager's time zone."""
PROGRESS_EVERY = 25
"""While inviting, the project manager hears how far it got after this many invitations."""


class CampaignRefused(Exception):
    """The request cannot be carried out; `say` tells why, in the person's language."""

    def __init__(self, phrase: Text, *, then: Text | None = None) -> None:
        super().__init__(phrase.en)
        self.phrase = phrase
        self.then = then
        """What to do about it, in the words of the person's chat."""

    def say(self, language: Language) -> str:
        return " ".join(p(language) for p in (self.phrase, self.then) if p is not None)

    def reply(self, language: Language) -> Reply:
        return (Paragraph(self.say(language)),)


@dataclass(frozen=True)
class Audience:
    """Someone a launch invites, as their chat knows them."""

    respondent: str
    zone: tzinfo | None
    language: Language | None = None
    """The language their chat is set to, if it says; their own choice in the advisor wins."""


@dataclass(frozen=True)
class LaunchRequest:
    launched_by: str
    audience: tuple[Audience, ...]
    deadline: datetime | None
    report_to: str | None
    threshold: int


class Campaigns:
    def __init__(
        self,
        *,
        organisations: OrganisationDirectory,
        scans: ScanRepository,
        launches: LaunchRepository,
        clock: Clock,
        bank_version: int,
        audit: AuditLog | None = None,
        replanner: Replanner | None = None,
    ) -> None:
        self._replanner = replanner
        """Moves the nudges still to send when the zone or the calendar changes."""
        self._organisations = organisations
        self._scans = scans
        self._launches = launches
        self._clock = clock
        self._bank_version = bank_version
        self._audit = audit

    def now(self) -> datetime:
        return self._clock.now()

    async def may_manage(self, org_id: int, respondent: str) -> bool:
        managers = await self._launches.managers(org_id)
        return not managers or respondent in managers

    async def launch(self, org_id: int, request: LaunchRequest) -> Scan:
        if not await self.may_manage(org_id, request.launched_by):
            raise CampaignRefused(phrases.MANAGERS_ONLY)
        now = self._clock.now()
        if request.deadline is not None and request.deadline <= now:
            raise CampaignRefused(phrases.DEADLINE_PAST)
        org = await self._organisation(org_id)
        settings = replace(org.settings, anonymity_threshold=_allowed(request.threshold))
        scan = await self._scans.current(org_id)
        if scan is not None and await self._launches.get(org_id, scan.id) is not None:
            how = phrases.HOW_TO_CLOSE.get(org.key.partition(":")[0])
            raise CampaignRefused(phrases.ALREADY_LAUNCHED, then=how)
        if scan is None:
            scan = await self._open(org_id, now)
        home = ZoneInfo(org.settings.time_zone)
        invitees = [
            Invitee(
                person.respondent,
                str(person.zone) if person.zone else None,
                reminder_time(request.deadline, person.zone or home, now)
                if request.deadline
                else None,
            )
            for person in request.audience
        ]
        launch = Launch(scan.id, request.launched_by, request.deadline, request.report_to)
        try:
            await self._launches.record(org_id, launch, invitees)
        except AlreadyLaunched as lost:
            raise CampaignRefused(phrases.JUST_LAUNCHED) from lost
        if request.report_to is not None:
            # The place a launch reports to gets the monthly report too.
            settings = replace(settings, report_channel=request.report_to)
        if settings != org.settings:
            await self._organisations.update_settings(org_id, settings)
        detail = {"scan": scan.number, "invited": len(invitees)}
        await self._audited(org_id, request.launched_by, "launch", detail)
        await self._threshold_audited(org_id, request.launched_by, org.settings, settings)
        return scan

    async def _open(self, org_id: int, now: datetime) -> Scan:
        """Open the next scan; if someone just did (another launch, a first answer), that one."""
        try:
            return await self._scans.open(org_id, bank_version=self._bank_version, now=now)
        except StorageError:
            opened = await self._scans.current(org_id)
            if opened is None:
                raise
            return opened

    async def running(self, org_id: int) -> tuple[Scan, Launch | None]:
        scan = await self._scans.current(org_id)
        if scan is None:
            raise CampaignRefused(phrases.NO_OPEN_SCAN)
        return scan, await self._launches.get(org_id, scan.id)

    async def status(self, org_id: int, respondent: str) -> tuple[Scan, list[Invitation]]:
        if not await self.may_manage(org_id, respondent):
            raise CampaignRefused(phrases.MANAGERS_ONLY)
        scan, _ = await self.running(org_id)
        return scan, await self._launches.invitations(org_id, scan.id)

    async def status_view(self, org_id: int, respondent: str, language: Language) -> Reply:
        """The running scan's participation for its manager, and when its result appears; or
        why there is none to show."""
        try:
            scan, invitations = await self.status(org_id, respondent)
            launch = await self._launches.get(org_id, scan.id)
        except CampaignRefused as refused:
            return refused.reply(language)
        closes = None
        if launch is not None and launch.deadline is not None:
            zone = (await self._organisation(org_id)).settings.time_zone
            closes = moment(launch.deadline, zone)
        return participation(scan, invitations, language, closes=closes)

    async def close(self, org_id: int, respondent: str | None) -> tuple[Scan, Launch | None]:
        """Close the running scan: a manager's request, or the deadline (`respondent` None)."""
        if respondent is not None and not await self.may_manage(org_id, respondent):
            raise CampaignRefused(phrases.MANAGERS_ONLY)
        scan, launch = await self.running(org_id)
        closed = await self._scans.close(org_id, scan.id, now=self._clock.now())
        await self._audited(org_id, respondent, "close", {"scan": closed.number})
        return closed, launch

    async def change_settings(
        self,
        org_id: int,
        respondent: str,
        *,
        language: Language,
        threshold: int,
        report_channel: str | None,
        time_zone: str | None = None,
        respect: Respect | None = None,
    ) -> OrgSettings:
        """A manager sets the organisation's language, anonymity threshold (3 to 25), the
        place (``slack:#C0123``) that gets the monthly report, or none, and its time zone and
        calendar (None keeps them). Nudges still to send move to the new zone and calendar."""
        if not await self.may_manage(org_id, respondent):
            raise CampaignRefused(phrases.MANAGERS_ONLY)
        if time_zone is not None and not zone_known(time_zone):
            unknown = phrases.CALENDAR_ZONE_UNKNOWN
            raise CampaignRefused(
                Text(nl=unknown.nl.format(zone=time_zone), en=unknown.en.format(zone=time_zone))
            )
        org = await self._organisation(org_id)
        before = org.settings
        settings = replace(
            before,
            language=language,
            anonymity_threshold=_allowed(threshold),
            report_channel=report_channel,
            time_zone=before.time_zone if time_zone is None else time_zone,
            respect=before.respect if respect is None else respect,
        )
        await self._organisations.update_settings(org_id, settings)
        detail = {"language": language.value, "report": "set" if report_channel else "none"}
        await self._audited(org_id, respondent, "settings", detail)
        await self._threshold_audited(org_id, respondent, before, settings)
        await self._calendar_changed(org_id, respondent, before, settings)
        return settings

    async def _calendar_changed(
        self, org_id: int, actor: str, before: OrgSettings, after: OrgSettings
    ) -> None:
        """Re-plan the nudges still to send for a new zone or calendar, and record what changed
        (the names of the calendar's fields, never anyone's data)."""
        zone_moved = before.time_zone != after.time_zone
        changed = calendar_changes(before.respect, after.respect)
        if not zone_moved and not changed:
            return
        moved = await self._replanned(org_id, before)
        if zone_moved:
            zone: dict[str, str | int] = {
                "from": before.time_zone,
                "to": after.time_zone,
                "replanned": moved,
            }
            await self._audited(org_id, actor, "zone", zone)
        if changed:
            await self._audited(
                org_id, actor, "calendar", {"changed": ",".join(changed), "replanned": moved}
            )

    async def _replanned(self, org_id: int, before: OrgSettings) -> int:
        """How many pending nudges moved. The settings are saved by then: if moving fails, they
        stay saved (the dispatcher checks the calendar again before sending anything)."""
        if self._replanner is None:
            return 0
        try:
            return await self._replanner.replan(org_id, before)
        except StorageError as error:
            log.warning("the nudges still to send could not be re-planned: %s", error)
            return 0

    async def _threshold_audited(
        self, org_id: int, actor: str | None, before: OrgSettings, after: OrgSettings
    ) -> None:
        old, new = before.anonymity_threshold, after.anonymity_threshold
        if old != new:
            await self._audited(org_id, actor, "threshold", {"from": old, "to": new})

    async def _audited(
        self, org_id: int, actor: str | None, action: str, detail: Mapping[str, str | int]
    ) -> None:
        """What a project manager did, for the audit trail (never an answer)."""
        if self._audit is not None:
            await self._audit.record(org_id, actor, action, detail, now=self._clock.now())

    async def claim_publication(self, org_id: int, scan: Scan) -> bool:
        """True for the one caller that should publish this scan's result."""
        if await self._launches.get(org_id, scan.id) is None:
            return True
        return await self._launches.claim_publication(org_id, scan.id, now=self._clock.now())

    async def due_for_closing(self, channel: str) -> list[Organisation]:
        """The organisations of one chat (their key starts ``slack:``) whose launched scan's
        deadline has passed: each chat's server closes and publishes its own."""
        due = await self._launches.due_for_closing(now=self._clock.now())
        return [org for org, _ in await self._of_channel(channel, due)]

    async def due_for_publishing(self, channel: str) -> list[tuple[Organisation, Scan, Launch]]:
        """One chat's launched scans closed lately whose result nobody has claimed."""
        since = self._clock.now() - REPUBLISH_WITHIN
        due = []
        for org, scan_id in await self._of_channel(
            channel, await self._launches.unpublished(closed_since=since)
        ):
            history = await self._scans.history(org.id)
            launch = await self._launches.get(org.id, scan_id)
            # A result is published as the latest one; once a re-scan has begun, it is not.
            if history and history[-1].id == scan_id and launch is not None:
                due.append((org, history[-1], launch))
        return due

    async def _of_channel(
        self, channel: str, scans: list[tuple[int, int]]
    ) -> list[tuple[Organisation, int]]:
        found = []
        for org_id, scan_id in scans:
            org = await self._organisations.get(org_id)
            if org is not None and org.key.startswith(f"{channel}:"):
                found.append((org, scan_id))
        return found

    async def _organisation(self, org_id: int) -> Organisation:
        org = await self._organisations.get(org_id)
        if org is None:
            raise LookupError(f"no organisation with id {org_id}")
        return org


def _allowed(threshold: int) -> int:
    """The threshold, if an organisation may set it."""
    if threshold < MINIMUM_THRESHOLD:
        raise CampaignRefused(phrases.THRESHOLD_TOO_LOW)
    if threshold > MAXIMUM_THRESHOLD:
        raise CampaignRefused(phrases.THRESHOLD_OUT_OF_RANGE)
    return threshold


def launched(scan: Scan, people: int, deadline: str | None, language: Language) -> Reply:
    until = phrases.UNTIL(language).format(deadline=deadline) if deadline else ""
    return (Paragraph(phrases.LAUNCHED(language, people, number=scan.number, deadline=until)),)


def participation(
    scan: Scan, invitations: list[Invitation], language: Language, *, closes: str | None = None
) -> Reply:
    """Who finished and who did not, never what anyone answered, and that the result appears
    when the scan closes (`closes`, when it has a closing moment)."""
    done = sum(invitation.completed for invitation in invitations)
    invited = phrases.STATUS_INVITED(language, len(invitations))
    pending = [i.respondent for i in invitations if not i.completed and i.failure is None]
    blocks: list[Heading | Paragraph | People] = [
        Heading(phrases.STATUS_TITLE(language).format(number=scan.number)),
        Paragraph(phrases.STATUS_COUNTS(language, done, invited=invited)),
    ]
    if pending:
        blocks += [Heading(phrases.STATUS_PENDING(language)), People(tuple(pending))]
    failures = {i.failure for i in invitations if i.failure is not None}
    if failures:
        blocks.append(Heading(phrases.STATUS_FAILED(language)))
    for failure in sorted(failures):
        failed = tuple(i.respondent for i in invitations if i.failure is failure)
        blocks += [Paragraph(failure.explanation(language)), People(failed)]
    blocks.append(
        Paragraph(
            phrases.RESULT_AT_CLOSING_ON(language).format(deadline=closes)
            if closes
            else phrases.RESULT_AT_CLOSING(language)
        )
    )
    blocks.append(Paragraph(phrases.STATUS_PRIVATE(language)))
    return tuple(blocks)


def threshold_problem(typed: str) -> Text | None:
    """What is wrong with a threshold as typed into a form, or None for a whole number from 3
    to 25 (a chat's own check of a field runs in the browser, so a request may carry anything)."""
    if not (typed.isascii() and typed.isdigit()):
        return phrases.THRESHOLD_TOO_LOW
    digits = typed.lstrip("0") or "0"
    # int() refuses thousands of digits with a bare ValueError; so many are too many anyway.
    if len(digits) > len(str(MAXIMUM_THRESHOLD)) or int(digits) > MAXIMUM_THRESHOLD:
        return phrases.THRESHOLD_OUT_OF_RANGE
    if int(digits) < MINIMUM_THRESHOLD:
        return phrases.THRESHOLD_TOO_LOW
    return None


def closing_moment(day: date, zone: tzinfo) -> datetime:
    """The moment a scan with this closing date closes: the end of that working day."""
    return datetime.combine(day, CLOSING_TIME, tzinfo=zone)


def deadline_shown(deadline: datetime | None) -> str | None:
    """A closing moment as a launch's summary shows it, in the launcher's own time."""
    return f"{deadline:%Y-%m-%d %H:%M}" if deadline else None


@dataclass(frozen=True)
class Closed:
    """What closing said, and the scan to publish when it did close one."""

    reply: Reply
    scan: Scan | None = None
    launch: Launch | None = None


@dataclass(frozen=True)
class Invited:
    """How many invitations of a launch went out and how many the chat refused."""

    sent: int = 0
    failed: int = 0

    def reply(self, language: Language) -> Reply:
        counts = phrases.INVITATIONS_SENT(language).format(sent=self.sent, failed=self.failed)
        return (Paragraph(counts),)


Progress = Callable[[Invited], Awaitable[None]]
PublisherFor = Callable[[Organisation], Awaitable[Publisher]]
"""The publisher for one organisation; raises LookupError when its chat can no longer be
reached (the app was removed, say)."""


def conversation(org_id: int, respondent: str) -> ConversationKey:
    """A person's direct conversation with the advisor, from their ``chat:user`` address."""
    channel, _, user = respondent.partition(":")
    return ConversationKey(channel, org_id, user, user)


class CampaignRunner:
    """A campaign from launch to publication, for any chat: the rules once, the chat's part
    behind a `Publisher`."""

    def __init__(self, *, campaigns: Campaigns, advisor: Advisor, launches: LaunchRepository):
        self.campaigns = campaigns
        self._advisor = advisor
        self._launches = launches

    # Inviting

    async def invite(
        self,
        org: Organisation,
        scan_id: int,
        people: Sequence[Audience],
        publisher: Publisher,
        progress: Progress | None = None,
    ) -> Invited | None:
        """Invite each person not invited yet, and say how far it got after every
        `PROGRESS_EVERY` people and at the end; None when the scan closed in the meantime."""
        try:
            scan, _ = await self.campaigns.running(org.id)
        except CampaignRefused:
            scan = None
        if scan is None or scan.id != scan_id:
            log.info("a launch's scan closed before everyone was invited")
            return None
        earlier = {
            i.respondent: i.failure is None
            for i in await self._launches.invitations(org.id, scan.id)
            if i.invited_at or i.failure
        }
        counts = Invited()
        once = list({person.respondent: person for person in people}.values())
        for done, person in enumerate(once, start=1):
            delivered = earlier.get(person.respondent)  # by the run before an interruption
            if delivered is None:
                delivered = await self._invite(org, scan, person, publisher)
            counts = Invited(counts.sent + delivered, counts.failed + (not delivered))
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(once)):
                await progress(counts)
        return counts

    async def _invite(
        self, org: Organisation, scan: Scan, person: Audience, publisher: Publisher
    ) -> bool:
        key = conversation(org.id, person.respondent)
        language = await self._advisor.language_of(key, default=person.language)
        reply = await self._advisor.handle(key, CommandInvoked(Command.SCAN), language=language)
        invitation = (Paragraph(phrases.INVITED(language)), *reply)
        failure = await publisher.to_person(org, person.respondent, invitation)
        if failure is not None:
            # Recorded either way: the status shows it, and says whether to try again later.
            log.warning("an invitation failed: %s", failure)
            await self._launches.mark_failed(org.id, scan.id, person.respondent, failure=failure)
            return False
        await self._launches.mark_invited(
            org.id, scan.id, person.respondent, now=self.campaigns.now()
        )
        return True

    # Following and closing

    async def manager_home(self, org: Organisation, respondent: str, language: Language) -> Reply:
        """For someone who launched a scan here: the running scan's participation and the plan."""
        if respondent not in await self._launches.managers(org.id):
            return ()
        try:
            _, launch = await self.campaigns.running(org.id)
        except CampaignRefused:
            launch = None
        running: Reply = ()
        if launch is not None:
            running = await self.campaigns.status_view(org.id, respondent, language)
        return (*running, *await self._advisor.plan(org.id, language))

    async def close(self, org: Organisation, respondent: str | None, language: Language) -> Closed:
        """Close the running scan (stored when this returns); publishing is the caller's next
        step, and the tick's if the process stops first."""
        try:
            scan, launch = await self.campaigns.close(org.id, respondent)
        except CampaignRefused as refused:
            return Closed(refused.reply(language))
        return Closed(
            (Paragraph(phrases.CLOSED(language).format(number=scan.number)),), scan, launch
        )

    # Publishing

    async def publish(
        self,
        org: Organisation,
        scan: Scan,
        launch: Launch | None,
        publisher: Publisher,
        *,
        closed_by: str | None = None,
    ) -> None:
        """The result to whoever closed the scan (else its launcher) and the launch's place,
        once; then each finisher's own view beside it."""
        if not await self.campaigns.claim_publication(org.id, scan):
            return
        published = await self._advisor.published(org)
        reply = org_result(published.scan, published.result, org.settings.language)
        shown = isinstance(published.result, OrgResult)
        manager = closed_by or (launch.launched_by if launch else None)
        if manager is not None:
            failure = await publisher.to_person(org, manager, reply, pictures=True)
            if failure is not None:
                log.warning("could not publish a result to its manager: %s", failure)
        if launch is not None and launch.report_to is not None and shown:
            failure = await publisher.to_place(org, launch.report_to, reply, pictures=True)
            if failure is not None:
                log.warning("could not publish a result to its place: %s", failure)
                if manager is not None:
                    await self._not_published(
                        org, scan, manager, launch.report_to, failure, publisher
                    )
        if launch is not None and shown:
            for invitation in await self._launches.invitations(org.id, scan.id):
                if invitation.completed:
                    await self._own_beside(org, scan, invitation.respondent, publisher)

    async def _own_beside(
        self, org: Organisation, scan: Scan, respondent: str, publisher: Publisher
    ) -> None:
        """A finisher's own view beside the organisation's result, for their eyes only."""
        key = conversation(org.id, respondent)
        language = await self._advisor.language_of(key)
        reply = await self._advisor.handle(key, CommandInvoked(Command.RESULTS), language=language)
        intro = Paragraph(phrases.RESULT_READY(language).format(number=scan.number))
        failure = await publisher.to_person(org, respondent, (intro, *reply))
        if failure is not None:
            log.warning("could not show a respondent the result: %s", failure)

    async def _not_published(
        self,
        org: Organisation,
        scan: Scan,
        manager: str,
        where: str,
        failure: Undeliverable,
        publisher: Publisher,
    ) -> None:
        hint = await publisher.language(org, manager)
        language = await self._advisor.language_of(conversation(org.id, manager), default=hint)
        reply = (
            Paragraph(phrases.NOT_PUBLISHED(language).format(number=scan.number)),
            Places((where,)),
            Paragraph(failure.explanation(language)),
        )
        if await publisher.to_person(org, manager, reply) is not None:
            log.warning("could not tell the project manager either")

    # The background tick

    async def tick(self, channel: str, publisher_for: PublisherFor) -> None:
        """Close one chat's scans whose deadline passed and publish their result, and any
        result a stopped process left unpublished (reminders go through the nudge outbox)."""
        for org in await self.campaigns.due_for_closing(channel):
            publisher = await _reach(publisher_for, org)
            # Closed all the same when the chat is gone, or every tick would try again; the
            # result stays available in the chat once the app is back.
            closed = await self.close(org, None, org.settings.language)
            if closed.scan is not None and publisher is not None:
                await self.publish(org, closed.scan, closed.launch, publisher)
        for org, scan, launch in await self.campaigns.due_for_publishing(channel):
            publisher = await _reach(publisher_for, org)
            if publisher is not None:
                await self.publish(org, scan, launch, publisher)


async def _reach(publisher_for: PublisherFor, org: Organisation) -> Publisher | None:
    try:
        return await publisher_for(org)
    except LookupError as missing:
        log.warning("a result waits for the chat to be reachable again: %s", missing)
        return None
