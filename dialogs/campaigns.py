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
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from dialogs import phrases
from dialogs.messages import Heading, Paragraph, People, Reply
from dialogs.ports import (
    AlreadyLaunched,
    Clock,
    LaunchRepository,
    OrganisationDirectory,
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
)
from dialogs.views import moment
from engine.reminders import reminder_time
from engine.text import Text
from engine.vocabulary import Language

REPUBLISH_WITHIN = timedelta(days=1)
"""How long after closing a result left unpublished is still worth sending."""


class CampaignRefused(Exception):
    """The request cannot be carried out; `phrase` says why, in the person's language."""

    def __init__(self, phrase: Text) -> None:
        super().__init__(phrase.en)
        self.phrase = phrase


@dataclass(frozen=True)
class Audience:
    respondent: str
    zone: tzinfo | None


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
    ) -> None:
        self._organisations = organisations
        self._scans = scans
        self._launches = launches
        self._clock = clock
        self._bank_version = bank_version

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
            raise CampaignRefused(phrases.ALREADY_LAUNCHED)
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
        if settings != org.settings:
            await self._organisations.update_settings(org_id, settings)
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
            return (Paragraph(refused.phrase(language)),)
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
        return await self._scans.close(org_id, scan.id, now=self._clock.now()), launch

    async def change_settings(
        self,
        org_id: int,
        respondent: str,
        *,
        language: Language,
        threshold: int,
        report_channel: str | None,
    ) -> OrgSettings:
        """A manager sets the organisation's language, anonymity threshold (3 to 25) and the
        place (``slack:#C0123``) that gets the monthly report, or none."""
        if not await self.may_manage(org_id, respondent):
            raise CampaignRefused(phrases.MANAGERS_ONLY)
        org = await self._organisation(org_id)
        settings = replace(
            org.settings,
            language=language,
            anonymity_threshold=_allowed(threshold),
            report_channel=report_channel,
        )
        await self._organisations.update_settings(org_id, settings)
        return settings

    async def report_to(self, org_id: int, report_channel: str) -> None:
        """Remember the place a launch reports to: the monthly report goes there too."""
        org = await self._organisation(org_id)
        if org.settings.report_channel != report_channel:
            settings = replace(org.settings, report_channel=report_channel)
            await self._organisations.update_settings(org_id, settings)

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
