"""In-memory storage ports with the same contract as the SQL ones (see tests/storage/)."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import count
from typing import Any

from dialogs.delivery import Undeliverable
from dialogs.ports import (
    AlreadyHandled,
    AlreadyLaunched,
    ConcurrentUpdate,
    Once,
    OrganisationDirectory,
    ScanClosed,
    StorageError,
    TurnAnswers,
)
from dialogs.records import (
    Invitation,
    Invitee,
    Launch,
    Organisation,
    OrgSettings,
    Participation,
    Scan,
    ScanReminder,
)
from dialogs.state import CompleteSheet, RecordAnswer
from engine.sheet import AnswerSheet


class InMemoryOrganisationDirectory:
    """Organisations in a dict (`OrganisationDirectory`)."""

    def __init__(self) -> None:
        self._organisations: dict[int, Organisation] = {}
        self._ids = count(1)

    async def ensure(self, key: str, name: str) -> Organisation:
        found = await self.find(key)
        if found is not None:
            return found
        organisation = Organisation(next(self._ids), key, name, OrgSettings())
        self._organisations[organisation.id] = organisation
        return organisation

    async def get(self, org_id: int) -> Organisation | None:
        return self._organisations.get(org_id)

    async def find(self, key: str) -> Organisation | None:
        return next((org for org in self._organisations.values() if org.key == key), None)

    async def update_settings(self, org_id: int, settings: OrgSettings) -> Organisation:
        organisation = self._organisations.get(org_id)
        if organisation is None:
            raise StorageError(f"there is no organisation {org_id}")
        updated = replace(organisation, settings=settings)
        self._organisations[org_id] = updated
        return updated


@dataclass
class _Response:
    started_at: datetime
    completed_at: datetime | None = None
    answers: dict[str, tuple[str, ...]] = field(default_factory=dict)


class InMemoryScanRepository:
    """Scans and answers in dicts (`ScanRepository`).

    Args:
        organisations: the directory that says which organisations exist.
    """

    def __init__(self, organisations: OrganisationDirectory) -> None:
        self._organisations = organisations
        self._scans: dict[int, Scan] = {}
        self._responses: dict[tuple[int, str], _Response] = {}
        self._ids = count(1)

    async def current(self, org_id: int) -> Scan | None:
        return next((scan for scan in await self.history(org_id) if scan.is_open), None)

    async def open(self, org_id: int, *, bank_version: int, now: datetime) -> Scan:
        now = _utc(now)
        if await self._organisations.get(org_id) is None:
            raise StorageError(f"there is no organisation {org_id}")
        scans = await self.history(org_id)
        current = next((scan for scan in scans if scan.is_open), None)
        if current is not None:
            raise StorageError(
                f"organisation {org_id} already has an open scan (number {current.number})"
            )
        scan = Scan(next(self._ids), org_id, len(scans) + 1, bank_version, now)
        self._scans[scan.id] = scan
        return scan

    async def close(self, org_id: int, scan_id: int, *, now: datetime) -> Scan:
        now = _utc(now)
        scan = self._own_scan(org_id, scan_id)
        if scan.is_open:
            scan = replace(scan, closed_at=now)
            self._scans[scan_id] = scan
        return scan

    async def history(self, org_id: int) -> list[Scan]:
        return sorted(
            (scan for scan in self._scans.values() if scan.org_id == org_id),
            key=lambda scan: scan.number,
        )

    async def record_answer(
        self,
        org_id: int,
        scan_id: int,
        respondent: str,
        question_id: str,
        option_ids: tuple[str, ...],
        *,
        now: datetime,
    ) -> None:
        response = self._response_in_open_scan(org_id, scan_id, respondent, _utc(now))
        response.answers[question_id] = tuple(option_ids)

    async def complete(self, org_id: int, scan_id: int, respondent: str, *, now: datetime) -> None:
        now = _utc(now)
        response = self._response_in_open_scan(org_id, scan_id, respondent, now)
        if response.completed_at is None:
            response.completed_at = now

    async def sheet(self, org_id: int, scan_id: int, respondent: str) -> AnswerSheet:
        responses = self._responses_of(org_id, scan_id)
        return AnswerSheet(responses[respondent].answers if respondent in responses else {})

    async def sheets(
        self, org_id: int, scan_id: int, *, completed_only: bool = True
    ) -> list[AnswerSheet]:
        sheets = [
            AnswerSheet(response.answers)
            for response in self._responses_of(org_id, scan_id).values()
            if response.completed_at is not None or not completed_only
        ]
        return sorted(sheets, key=lambda sheet: sorted(sheet.answers.items()))

    async def participation(self, org_id: int, scan_id: int) -> list[Participation]:
        return [
            Participation(respondent, response.completed_at)
            for respondent, response in sorted(self._responses_of(org_id, scan_id).items())
        ]

    def own(self, org_id: int, scan_id: int) -> Scan | None:
        """The organisation's scan with this id, or None."""
        scan = self._scans.get(scan_id)
        return scan if scan is not None and scan.org_id == org_id else None

    def finished(self, org_id: int, scan_id: int, respondent: str) -> bool:
        """Whether `respondent` completed their sheet of the organisation's scan."""
        response = self._responses_of(org_id, scan_id).get(respondent)
        return response is not None and response.completed_at is not None

    def _own_scan(self, org_id: int, scan_id: int) -> Scan:
        scan = self._scans.get(scan_id)
        if scan is None or scan.org_id != org_id:
            raise StorageError(f"organisation {org_id} has no scan {scan_id}")
        return scan

    def check_open(self, org_id: int, scan_id: int) -> None:
        """Raises StorageError for another organisation's scan, ScanClosed for a closed one."""
        scan = self._own_scan(org_id, scan_id)
        if not scan.is_open:
            raise ScanClosed(f"scan {scan.number} of organisation {org_id} is closed")

    def _response_in_open_scan(
        self, org_id: int, scan_id: int, respondent: str, now: datetime
    ) -> _Response:
        self.check_open(org_id, scan_id)
        return self._responses.setdefault((scan_id, respondent), _Response(started_at=now))

    def _responses_of(self, org_id: int, scan_id: int) -> dict[str, _Response]:
        scan = self._scans.get(scan_id)
        if scan is None or scan.org_id != org_id:
            return {}
        return {
            respondent: response
            for (answered_scan, respondent), response in self._responses.items()
            if answered_scan == scan_id
        }


class InMemoryConversationStore:
    """Dialog state kept as JSON text with a version (`ConversationStore`).

    Storing text, not the objects, makes state that would not survive a database fail here too.

    Args:
        organisations: the directory that says which organisations exist.
    """

    def __init__(self, organisations: OrganisationDirectory, scans: InMemoryScanRepository) -> None:
        self._organisations = organisations
        self._scans = scans
        self._saved: dict[tuple[int, str], tuple[str, int]] = {}
        self._handled: set[tuple[int, str]] = set()

    async def handled(self, org_id: int, once: str) -> bool:
        return (org_id, once) in self._handled

    async def load(self, org_id: int, key: str) -> tuple[Mapping[str, Any], int] | None:
        saved = self._saved.get((org_id, key))
        return None if saved is None else (json.loads(saved[0]), saved[1])

    async def load_many(
        self, org_id: int, keys: Collection[str]
    ) -> Mapping[str, tuple[Mapping[str, Any], int]]:
        return {key: loaded for key in keys if (loaded := await self.load(org_id, key))}

    async def save(
        self,
        org_id: int,
        key: str,
        state: Mapping[str, Any],
        *,
        version: int | None,
        answers: TurnAnswers | None = None,
        once: Once | None = None,
    ) -> int:
        try:
            document = json.dumps(dict(state))
        except (TypeError, ValueError) as error:
            raise StorageError(f"conversation state is not JSON: {error}") from error
        if version is None and await self._organisations.get(org_id) is None:
            raise StorageError(f"there is no organisation {org_id}")
        saved = self._saved.get((org_id, key))
        if (saved is None and version is not None) or (saved is not None and saved[1] != version):
            raise ConcurrentUpdate(
                f"conversation {key!r} of organisation {org_id} moved on from version {version}"
            )
        if once is not None and (org_id, once.key) in self._handled:
            raise AlreadyHandled(f"delivery {once.key!r} was handled before")
        if answers is not None:
            await self._record(org_id, answers)
        if once is not None:
            self._handled.add((org_id, once.key))
        new_version = 1 if version is None else version + 1
        self._saved[(org_id, key)] = (document, new_version)
        return new_version

    async def _record(self, org_id: int, answers: TurnAnswers) -> None:
        """Every effect, or none: refuse before changing anything if a scan is closed."""
        for effect in answers.effects:
            self._scans.check_open(org_id, effect.scan_id)
        for effect in answers.effects:
            match effect:
                case RecordAnswer(scan_id=scan_id, question_id=question, option_ids=options):
                    await self._scans.record_answer(
                        org_id, scan_id, answers.respondent, question, options, now=answers.now
                    )
                case CompleteSheet(scan_id=scan_id):
                    await self._scans.complete(org_id, scan_id, answers.respondent, now=answers.now)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise StorageError(f"a naive datetime cannot be stored: {moment.isoformat()}")
    return moment.astimezone(UTC)


@dataclass
class _Launched:
    org_id: int
    launch: Launch
    published_at: datetime | None = None


@dataclass
class _Invited:
    org_id: int
    scan_id: int
    invitee: Invitee
    invited_at: datetime | None = None
    reminded_at: datetime | None = None
    failure: Undeliverable | None = None


class InMemoryLaunchRepository:
    """Launches and invitations in dicts (`LaunchRepository`).

    Args:
        scans: the scans launched, which say whether a scan is open and a sheet finished.
    """

    def __init__(self, scans: InMemoryScanRepository) -> None:
        self._scans = scans
        self._launches: dict[int, _Launched] = {}
        self._invitations: dict[tuple[int, str], _Invited] = {}

    async def record(self, org_id: int, launch: Launch, invitees: list[Invitee]) -> None:
        if self._scans.own(org_id, launch.scan_id) is None:
            raise StorageError(f"organisation {org_id} has no scan {launch.scan_id}")
        if launch.scan_id in self._launches:
            raise AlreadyLaunched(f"scan {launch.scan_id} of {org_id} was launched already")
        deadline = _utc(launch.deadline) if launch.deadline else None
        self._launches[launch.scan_id] = _Launched(org_id, replace(launch, deadline=deadline))
        for invitee in {i.respondent: i for i in invitees}.values():
            remind_at = _utc(invitee.remind_at) if invitee.remind_at else None
            self._invitations[(launch.scan_id, invitee.respondent)] = _Invited(
                org_id, launch.scan_id, replace(invitee, remind_at=remind_at)
            )

    async def get(self, org_id: int, scan_id: int) -> Launch | None:
        launched = self._launched(org_id, scan_id)
        return None if launched is None else launched.launch

    async def managers(self, org_id: int) -> set[str]:
        return {
            launched.launch.launched_by
            for launched in self._launches.values()
            if launched.org_id == org_id
        }

    async def invitations(self, org_id: int, scan_id: int) -> list[Invitation]:
        return [
            Invitation(
                respondent=invited.invitee.respondent,
                remind_at=invited.invitee.remind_at,
                invited_at=invited.invited_at,
                reminded_at=invited.reminded_at,
                failure=invited.failure,
                completed=self._scans.finished(org_id, scan_id, invited.invitee.respondent),
            )
            for invited in sorted(
                self._of_scan(org_id, scan_id), key=lambda invited: invited.invitee.respondent
            )
        ]

    async def mark_invited(
        self, org_id: int, scan_id: int, respondent: str, *, now: datetime
    ) -> None:
        invited = self._invited(org_id, scan_id, respondent)
        if invited is not None:
            invited.invited_at, invited.failure = _utc(now), None

    async def mark_failed(
        self, org_id: int, scan_id: int, respondent: str, *, failure: Undeliverable
    ) -> None:
        invited = self._invited(org_id, scan_id, respondent)
        if invited is not None:
            invited.failure = failure

    async def reminders_to_plan(self, *, before: datetime) -> list[ScanReminder]:
        return [
            ScanReminder(
                invited.org_id,
                invited.scan_id,
                invited.invitee.respondent,
                invited.invitee.time_zone,
                invited.invitee.remind_at,
                self._launches[invited.scan_id].launch.deadline,
            )
            for invited in self._invitations.values()
            if invited.invitee.remind_at is not None
            and invited.invitee.remind_at < before
            and invited.reminded_at is None
            and self._still_invited(invited)
        ]

    async def reminders_planned(
        self, org_id: int, scan_id: int, respondents: Sequence[str], *, now: datetime
    ) -> None:
        for respondent in respondents:
            invited = self._invited(org_id, scan_id, respondent)
            if invited is not None:
                invited.reminded_at = _utc(now)

    async def still_invited(self, org_id: int, scan_id: int, respondent: str) -> Launch | None:
        invited = self._invited(org_id, scan_id, respondent)
        if invited is None or not self._still_invited(invited):
            return None
        return self._launches[scan_id].launch

    async def due_for_closing(self, *, now: datetime) -> list[tuple[int, int]]:
        return [
            (launched.org_id, scan.id)
            for launched, scan in self._with_scans()
            if launched.launch.deadline is not None
            and launched.launch.deadline <= now
            and scan.is_open
        ]

    async def unpublished(self, *, closed_since: datetime) -> list[tuple[int, int]]:
        return [
            (launched.org_id, scan.id)
            for launched, scan in self._with_scans()
            if scan.closed_at is not None
            and scan.closed_at >= closed_since
            and launched.published_at is None
        ]

    async def claim_publication(self, org_id: int, scan_id: int, *, now: datetime) -> bool:
        launched = self._launched(org_id, scan_id)
        if launched is None or launched.published_at is not None:
            return False
        launched.published_at = _utc(now)
        return True

    def _launched(self, org_id: int, scan_id: int) -> _Launched | None:
        launched = self._launches.get(scan_id)
        return launched if launched is not None and launched.org_id == org_id else None

    def _with_scans(self) -> list[tuple[_Launched, Scan]]:
        found = []
        for scan_id, launched in self._launches.items():
            scan = self._scans.own(launched.org_id, scan_id)
            if scan is not None:
                found.append((launched, scan))
        return found

    def _of_scan(self, org_id: int, scan_id: int) -> list[_Invited]:
        return [
            invited
            for invited in self._invitations.values()
            if invited.org_id == org_id and invited.scan_id == scan_id
        ]

    def _invited(self, org_id: int, scan_id: int, respondent: str) -> _Invited | None:
        invited = self._invitations.get((scan_id, respondent))
        return invited if invited is not None and invited.org_id == org_id else None

    def _still_invited(self, invited: _Invited) -> bool:
        """An invitation that went out, to an open scan, whose sheet is not finished."""
        scan = self._scans.own(invited.org_id, invited.scan_id)
        respondent = invited.invitee.respondent
        return (
            invited.invited_at is not None
            and invited.failure is None
            and scan is not None
            and scan.is_open
            and not self._scans.finished(invited.org_id, invited.scan_id, respondent)
        )
