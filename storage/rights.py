"""Data rights on SQLAlchemy: a person's export and erasure, and an organisation's export.

Business rules:
- A person's export holds everything stored about them in one organisation: their answers and
  their own result per scan, conversation state, person record, tasks and marks, nudges,
  invitations, what they did (launches, figures, marks, audit entries) and where the advisor
  reaches them. Never a token, never a message text, never anyone else's answers.
- Erasure is never refused and runs in one transaction. Answers to open scans go, with the
  sheet's participation and invitation; a closed scan's sheet (and invitation) stays for the
  result and participation already shown, each under a fresh random token, its times set to
  the scan's close, so nothing links it back. Everything
  else keyed by the person goes; where they are named as an actor (launched, adopted, marked,
  entered, audited) a token of the erasure stands instead, and free text and JSON documents
  are scrubbed of their ids and names.
- Their tasks go to the project manager; erasing the project manager hands the role (and
  their launches) to the successor, or leaves the organisation without one. Tasks with no one
  to own them are retired.
- An organisation's export holds, per scan, the result as the product shows it (the engine's
  scoring at the organisation's threshold: groups below it are never shown), participation
  counts, the plan, the tasks with their owners and marks, and the figures log; never an
  individual's answers, and no id of anyone who answered but as a task's owner (a mark's note
  that names one reads "(someone)" there).

The documents follow docs/schemas/person-export.schema.json and organisation-export.schema.json.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.ports import Erased
from engine.bank import QuestionBank
from engine.plan import Plan, make_plan
from engine.plan_catalogue import PlanCatalogue
from engine.scoring import Named, OrgResult, Profile, Withheld, profile, score
from engine.sheet import AnswerSheet
from storage.db import Database
from storage.models import (
    AnswerRow,
    AuditRow,
    ConversationRow,
    InboxRow,
    InstallationRow,
    InvitationRow,
    JobRow,
    KpiEntryRow,
    LaunchRow,
    NudgeRow,
    OrganisationRow,
    PersonRow,
    ResponseRow,
    ScanRow,
    SeenEventRow,
    TaskMarkRow,
    TaskRow,
    TeamsConversationRow,
)

EXPORT_VERSION = 1
ERASED = "erased:"
"""How every token that stands in for an erased person begins."""
ERASED_TEXT = "(erased)"
"""What stands in free text where an erased person's id or name was."""
UNNAMED = "(someone)"
"""What stands in an organisation's export where a note names someone who answered a scan:
they are named there only as a task's owner."""
IDENTIFYING_KEYS = frozenset(
    {
        "name",
        "aadObjectId",
        "aad_object_id",
        "email",
        "userPrincipalName",
        "user_principal_name",
        "real_name",
        "display_name",
    }
)
"""Keys that identify the person in a JSON object that describes them (one with their id):
a Bot Framework account's name and Azure AD object id, a chat profile's names and e-mail."""
_WORD = r"0-9A-Za-z_"

Document = dict[str, Any]


def erased_token() -> str:
    """A fresh token for an erased person: random, so it links to no one and to nothing else."""
    return ERASED + secrets.token_hex(16)


@dataclass(frozen=True)
class _Identity:
    """The ways one person is written down: their respondent id, their chat's bare user id,
    and the display names the advisor stored."""

    respondent: str
    channel: str
    user: str
    names: tuple[str, ...]

    @classmethod
    def of(cls, respondent: str, names: Iterable[str | None] = ()) -> _Identity:
        channel, colon, user = respondent.partition(":")
        if not colon:
            channel, user = "", respondent
        kept = tuple(sorted({n.strip() for n in names if n and len(n.strip()) >= 2}))
        return cls(respondent, channel, user, kept)

    @property
    def ids(self) -> frozenset[str]:
        return frozenset({self.respondent, self.user})

    @property
    def needles(self) -> frozenset[str]:
        """What text that mentions them holds: their ids and names (a one-letter id, which any
        text holds, is not looked for alone)."""
        found = {self.respondent, *self.names}
        if len(self.user) >= 2:
            found.add(self.user)
        return frozenset(found)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return _words(self.needles)

    def mentioned(self, text: str | None) -> bool:
        return text is not None and self.pattern.search(text) is not None

    def scrubbed(self, text: str) -> str:
        return self.pattern.sub(ERASED_TEXT, text)

    def scrub(self, value: Any, token: str) -> Any:
        """A JSON value without the person: their ids become `token`; an object that describes
        them (holds one of their ids) loses its identifying keys too; list items that are the
        person (their id, or an object describing them) are left out; any other mention in a
        string reads `ERASED_TEXT`."""
        if isinstance(value, str):
            return token if value in self.ids else self.scrubbed(value)
        if isinstance(value, list):
            return [self.scrub(item, token) for item in value if not self._is_them(item)]
        if isinstance(value, dict):
            describes = self._is_them(value)
            return {
                self.scrub(key, token) if isinstance(key, str) else key: (
                    token
                    if describes and key in IDENTIFYING_KEYS and isinstance(item, str)
                    else self.scrub(item, token)
                )
                for key, item in value.items()
            }
        return value

    def _is_them(self, value: Any) -> bool:
        if isinstance(value, str):
            return value in self.ids
        if isinstance(value, dict):
            return any(isinstance(item, str) and item in self.ids for item in value.values())
        return False


def _words(needles: Iterable[str]) -> re.Pattern[str]:
    """Any of `needles` as a whole word (not inside a longer id), longest first."""
    ordered = sorted(set(needles), key=lambda needle: (-len(needle), needle))
    alternatives = "|".join(re.escape(needle) for needle in ordered)
    return re.compile(rf"(?<![{_WORD}])(?:{alternatives})(?![{_WORD}])")


class SqlaDataRights:
    """`DataRights` on SQLAlchemy: exports and erasure, every statement scoped by organisation
    (and chat installations by the organisation's workspace).

    Args:
        database: the database to use.
        bank: the question bank, to score a person's own result and an organisation's.
        catalogue: the plan catalogue, for the organisation's plan.
    """

    def __init__(self, database: Database, *, bank: QuestionBank, catalogue: PlanCatalogue) -> None:
        self._db = database
        self._bank = bank
        self._catalogue = catalogue

    # -- a person's own data --------------------------------------------------------------------

    async def person(self, org_id: int, respondent: str) -> Document:
        async with self._db.session() as session:
            org = await session.get(OrganisationRow, org_id)
            if org is None:
                raise LookupError(f"no organisation with id {org_id}")
            who = _Identity.of(respondent)
            teams = list(
                await session.scalars(
                    select(TeamsConversationRow).where(
                        TeamsConversationRow.org_id == org_id,
                        TeamsConversationRow.address == respondent,
                    )
                )
            )
            names = [row.name for row in teams if row.name]
            record = await session.get(PersonRow, (org_id, respondent))
            return {
                "version": EXPORT_VERSION,
                "organisation": _organisation_header(org),
                "respondent": respondent,
                "person": {
                    "name": names[0] if names else None,
                    "zone": record.zone if record else None,
                    "away_until": _day(record.paused_until) if record else None,
                    "unreachable": record.unreachable if record else None,
                    "unreachable_since": _moment(record.unreachable_since) if record else None,
                    "project_manager": org.manager == respondent,
                },
                "scans": await self._own_scans(session, org, respondent),
                "invitations": await _own_invitations(session, org_id, respondent),
                "conversations": await _own_conversations(session, org_id, who),
                "tasks": await _own_tasks(session, org_id, respondent),
                "nudges": await _own_nudges(session, org_id, respondent),
                "inbox": await _own_inbox(session, org_id, respondent),
                "actions": await _own_actions(session, org_id, respondent),
                "teams": [
                    {
                        "address": row.address,
                        "name": row.name,
                        "updated_at": _moment(row.updated_at),
                        "gone_at": _moment(row.gone_at),
                    }
                    for row in teams
                ],
                "slack_installations": await _own_installations(session, org, who),
            }

    async def _own_scans(
        self, session: AsyncSession, org: OrganisationRow, respondent: str
    ) -> list[Document]:
        rows = (
            await session.execute(
                select(ScanRow, ResponseRow)
                .join(
                    ResponseRow,
                    and_(ResponseRow.scan_id == ScanRow.id, ResponseRow.org_id == ScanRow.org_id),
                )
                .where(ScanRow.org_id == org.id, ResponseRow.respondent == respondent)
                .order_by(ScanRow.number)
            )
        ).all()
        answers: dict[int, list[AnswerRow]] = defaultdict(list)
        if rows:
            found = await session.scalars(
                select(AnswerRow)
                .where(
                    AnswerRow.org_id == org.id,
                    AnswerRow.response_id.in_([response.id for _, response in rows]),
                )
                .order_by(AnswerRow.answered_at, AnswerRow.id)
            )
            for answer in found:
                answers[answer.response_id].append(answer)
        scans = []
        for scan, response in rows:
            mine = answers[response.id]
            sheet = AnswerSheet({a.question_id: tuple(a.option_ids) for a in mine})
            completed = response.completed_at is not None
            scans.append(
                {
                    "number": scan.number,
                    "opened_at": _moment(scan.opened_at),
                    "closed_at": _moment(scan.closed_at),
                    "started_at": _moment(response.started_at),
                    "completed_at": _moment(response.completed_at),
                    "answers": [
                        {
                            "question": a.question_id,
                            "options": list(a.option_ids),
                            "answered_at": _moment(a.answered_at),
                        }
                        for a in mine
                    ],
                    "result": (
                        _profile(profile(self._bank, sheet, tolerance=org.tolerance))
                        if completed
                        else None
                    ),
                }
            )
        return scans

    # -- erasure --------------------------------------------------------------------------------

    async def forget_person(
        self, org_id: int, respondent: str, *, successor: str | None, now: datetime
    ) -> Erased:
        if successor == respondent or not successor:
            successor = None
        async with self._db.session() as session:
            org = await session.get(OrganisationRow, org_id)
            if org is None:
                return Erased(0, 0, (), None, False, None)
            who = await _identity(session, org_id, respondent)
            token = erased_token()

            deleted, detached = await _erase_answers(session, org_id, respondent)
            await _erase_invitations(session, org_id, respondent)
            await _delete_keyed(session, org, who)

            cleared = org.manager == respondent
            if cleared:
                org.manager = successor
            manager = org.manager
            heir = manager or successor
            tasks = await _hand_over_tasks(session, org_id, respondent, heir, token, now)
            await _replace_actor(session, org_id, respondent, successor, token)
            await _scrub_documents(session, org_id, who, token)
            return Erased(deleted, detached, tasks, heir, cleared, manager)

    # -- an organisation's data -----------------------------------------------------------------

    async def organisation(self, org_id: int) -> Document:
        async with self._db.session() as session:
            org = await session.get(OrganisationRow, org_id)
            if org is None:
                raise LookupError(f"no organisation with id {org_id}")
            scans = list(
                await session.scalars(
                    select(ScanRow).where(ScanRow.org_id == org_id).order_by(ScanRow.number)
                )
            )
            launches = {
                row.scan_id: row
                for row in await session.scalars(
                    select(LaunchRow).where(LaunchRow.org_id == org_id)
                )
            }
            exported: list[Document] = []
            previous: OrgResult | None = None
            latest: OrgResult | Withheld | None = None
            for scan in scans:
                launch = launches.get(scan.id)
                result: OrgResult | Withheld | None = None
                if scan.closed_at is not None:
                    sheets = await _sheets(session, org_id, scan.id)
                    result = self._score(org, sheets, previous)
                    plain = self._score(org, sheets, None)
                    previous = plain if isinstance(plain, OrgResult) else None
                    latest = result
                exported.append(
                    {
                        "number": scan.number,
                        "bank_version": scan.bank_version,
                        "opened_at": _moment(scan.opened_at),
                        "closed_at": _moment(scan.closed_at),
                        "deadline": _moment(launch.deadline) if launch else None,
                        "published_at": _moment(launch.published_at) if launch else None,
                        "participation": await _participation(
                            session, org_id, scan.id, launched=launch is not None
                        ),
                        "result": _result(result),
                    }
                )
            plan = (
                make_plan(latest, self._catalogue)
                if isinstance(latest, OrgResult) and latest.overall is not None
                else None
            )
            return {
                "version": EXPORT_VERSION,
                "organisation": {
                    **_organisation_header(org),
                    "language": org.language,
                    "time_zone": org.time_zone,
                    "anonymity_threshold": org.anonymity_threshold,
                    "tolerance": org.tolerance,
                },
                "scans": exported,
                "plan": _plan(plan) if plan is not None else None,
                "tasks": await _tasks(session, org_id, unnamed=await _answering(session, org_id)),
                "figures": [
                    {
                        "period_start": _day(row.period_start),
                        "period_end": _day(row.period_end),
                        "figures": {name: int(value) for name, value in row.figures.items()},
                        "entered_at": _moment(row.entered_at),
                    }
                    for row in await session.scalars(
                        select(KpiEntryRow)
                        .where(KpiEntryRow.org_id == org_id)
                        .order_by(KpiEntryRow.period_start, KpiEntryRow.period_end)
                    )
                ],
            }

    def _score(
        self, org: OrganisationRow, sheets: Sequence[AnswerSheet], previous: OrgResult | None
    ) -> OrgResult | Withheld:
        return score(
            self._bank,
            sheets,
            threshold=org.anonymity_threshold,
            tolerance=org.tolerance,
            previous=previous,
        )


# -- reading one person's rows -----------------------------------------------------------------


async def _own_invitations(session: AsyncSession, org_id: int, respondent: str) -> list[Document]:
    completed = (
        select(ResponseRow.id)
        .where(
            ResponseRow.org_id == org_id,
            ResponseRow.scan_id == InvitationRow.scan_id,
            ResponseRow.respondent == respondent,
            ResponseRow.completed_at.is_not(None),
        )
        .exists()
    )
    rows = await session.execute(
        select(InvitationRow, ScanRow.number, completed)
        .join(ScanRow, and_(ScanRow.id == InvitationRow.scan_id, ScanRow.org_id == org_id))
        .where(InvitationRow.org_id == org_id, InvitationRow.respondent == respondent)
        .order_by(ScanRow.number)
    )
    return [
        {
            "scan": number,
            "time_zone": row.time_zone,
            "invited_at": _moment(row.invited_at),
            "remind_at": _moment(row.remind_at),
            "reminded_at": _moment(row.reminded_at),
            "completed": bool(done),
            "failure": row.failure,
        }
        for row, number, done in rows
    ]


async def _own_conversations(session: AsyncSession, org_id: int, who: _Identity) -> list[Document]:
    rows = await session.scalars(
        select(ConversationRow)
        .where(ConversationRow.org_id == org_id, _their_conversation(who))
        .order_by(ConversationRow.key)
    )
    return [
        {
            "key": row.key,
            "language": row.state.get("language"),
            "step": row.state.get("step"),
            "state": row.state,
        }
        for row in rows
    ]


async def _own_tasks(session: AsyncSession, org_id: int, respondent: str) -> list[Document]:
    return await _tasks(session, org_id, owner=respondent)


async def _own_nudges(session: AsyncSession, org_id: int, respondent: str) -> list[Document]:
    rows = await session.scalars(
        select(NudgeRow)
        .where(NudgeRow.org_id == org_id, NudgeRow.recipient == respondent)
        .order_by(NudgeRow.deliver_at, NudgeRow.id)
    )
    return [
        {
            "kind": row.kind,
            "occurrence": row.occurrence,
            "task": row.task_id,
            "deliver_at": _moment(row.deliver_at),
            "status": row.status,
            "finished_at": _moment(row.finished_at),
            "outcome": row.outcome,
        }
        for row in rows
    ]


async def _own_inbox(session: AsyncSession, org_id: int, respondent: str) -> list[Document]:
    rows = await session.scalars(
        select(InboxRow)
        .where(InboxRow.org_id == org_id, InboxRow.recipient == respondent)
        .order_by(InboxRow.created_at, InboxRow.id)
    )
    return [{"created_at": _moment(r.created_at), "read_at": _moment(r.read_at)} for r in rows]


async def _own_actions(session: AsyncSession, org_id: int, respondent: str) -> Document:
    """What the person did that the advisor keeps with their name: launches, adopted tasks,
    marks, figures and audited actions (the audit entry's detail may name others: left out)."""
    launches = await session.execute(
        select(ScanRow.number, LaunchRow)
        .join(LaunchRow, and_(LaunchRow.scan_id == ScanRow.id, LaunchRow.org_id == org_id))
        .where(ScanRow.org_id == org_id, LaunchRow.launched_by == respondent)
        .order_by(ScanRow.number)
    )
    adopted = await session.scalars(
        select(TaskRow)
        .where(TaskRow.org_id == org_id, TaskRow.adopted_by == respondent)
        .order_by(TaskRow.id)
    )
    marks = await session.scalars(
        select(TaskMarkRow)
        .where(TaskMarkRow.org_id == org_id, TaskMarkRow.marked_by == respondent)
        .order_by(TaskMarkRow.marked_at, TaskMarkRow.id)
    )
    figures = await session.scalars(
        select(KpiEntryRow)
        .where(KpiEntryRow.org_id == org_id, KpiEntryRow.entered_by == respondent)
        .order_by(KpiEntryRow.period_start)
    )
    audited = await session.scalars(
        select(AuditRow)
        .where(AuditRow.org_id == org_id, AuditRow.actor == respondent)
        .order_by(AuditRow.at, AuditRow.id)
    )
    return {
        "launches": [
            {
                "scan": number,
                "deadline": _moment(row.deadline),
                "report_to": row.report_to,
                "published_at": _moment(row.published_at),
            }
            for number, row in launches
        ],
        "adopted": [{"task": row.id, "adopted_at": _moment(row.adopted_at)} for row in adopted],
        "marks": [_mark(row) | {"task": row.task_id} for row in marks],
        "figures": [
            {
                "period_start": _day(row.period_start),
                "period_end": _day(row.period_end),
                "entered_at": _moment(row.entered_at),
            }
            for row in figures
        ],
        "audit": [{"at": _moment(row.at), "action": row.action} for row in audited],
    }


async def _own_installations(
    session: AsyncSession, org: OrganisationRow, who: _Identity
) -> list[Document]:
    """The person's own Slack installations in the organisation's workspace; never a token
    (the documents stay sealed)."""
    theirs = _their_installations(org, who)
    if theirs is None:
        return []
    rows = await session.scalars(
        select(InstallationRow).where(theirs).order_by(InstallationRow.installed_at)
    )
    return [
        {
            "enterprise_id": row.enterprise_id,
            "team_id": row.team_id,
            "installed_at": _moment(row.installed_at),
        }
        for row in rows
    ]


async def _tasks(
    session: AsyncSession,
    org_id: int,
    *,
    owner: str | None = None,
    unnamed: re.Pattern[str] | None = None,
) -> list[Document]:
    """The organisation's tasks (only `owner`'s when given), oldest first, with their marks;
    in the marks' notes, whatever `unnamed` matches reads `UNNAMED`."""
    query = select(TaskRow).where(TaskRow.org_id == org_id)
    if owner is not None:
        query = query.where(TaskRow.owner == owner)
    rows = list(await session.scalars(query.order_by(TaskRow.id)))
    marks: dict[int, list[TaskMarkRow]] = defaultdict(list)
    if rows:
        found = await session.scalars(
            select(TaskMarkRow)
            .where(TaskMarkRow.org_id == org_id, TaskMarkRow.task_id.in_([row.id for row in rows]))
            .order_by(TaskMarkRow.occurrence, TaskMarkRow.id)
        )
        for mark in found:
            marks[mark.task_id].append(mark)
    return [
        {
            "id": row.id,
            "key": row.key,
            "kind": row.kind,
            "title": {"nl": row.title["nl"], "en": row.title["en"]},
            "owner": row.owner,
            "rule": row.rule,
            "start": row.start.isoformat(),
            "zone": row.zone,
            "adopted_at": _moment(row.adopted_at),
            "retired_at": _moment(row.retired_at),
            "marks": [_mark(mark, unnamed) for mark in marks[row.id]],
        }
        for row in rows
    ]


def _mark(row: TaskMarkRow, unnamed: re.Pattern[str] | None = None) -> Document:
    return {
        "occurrence": row.occurrence.isoformat(),
        "outcome": row.outcome,
        "marked_at": row.marked_at.isoformat(),
        "note": unnamed.sub(UNNAMED, row.note) if unnamed else row.note,
    }


async def _answering(session: AsyncSession, org_id: int) -> re.Pattern[str] | None:
    """The ids of everyone who answered a scan of the organisation (their respondent ids and
    their chats' user ids), for an export that names them only as a task's owner; None when
    no one did."""
    respondents = set(
        await session.scalars(
            select(ResponseRow.respondent)
            .where(ResponseRow.org_id == org_id, ~ResponseRow.respondent.startswith(ERASED))
            .distinct()
        )
    )
    if not respondents:
        return None
    ids = set(respondents)
    for respondent in respondents:
        user = _Identity.of(respondent).user
        if len(user) >= 2:
            ids.add(user)
    return _words(ids)


# -- erasing one person's rows ------------------------------------------------------------------


async def _identity(session: AsyncSession, org_id: int, respondent: str) -> _Identity:
    """The person's ids and every display name stored for them in the organisation."""
    rows = await session.execute(
        select(TeamsConversationRow.name, TeamsConversationRow.reference).where(
            TeamsConversationRow.org_id == org_id, TeamsConversationRow.address == respondent
        )
    )
    names: list[str | None] = []
    for name, reference in rows:
        names.append(name)
        user = reference.get("user") if isinstance(reference, dict) else None
        if isinstance(user, dict) and isinstance(user.get("name"), str):
            names.append(user["name"])
    return _Identity.of(respondent, names)


async def _erase_answers(session: AsyncSession, org_id: int, respondent: str) -> tuple[int, int]:
    """Delete the person's sheets of open scans; detach those of closed scans. Returns how
    many answers were deleted and how many sheets detached."""
    rows = (
        await session.execute(
            select(ResponseRow, ScanRow.closed_at)
            .join(ScanRow, and_(ScanRow.id == ResponseRow.scan_id, ScanRow.org_id == org_id))
            .where(ResponseRow.org_id == org_id, ResponseRow.respondent == respondent)
        )
    ).all()
    deleted = detached = 0
    for response, closed_at in rows:
        answers = AnswerRow.org_id == org_id, AnswerRow.response_id == response.id
        if closed_at is None:
            deleted += int(
                await session.scalar(select(func.count()).select_from(AnswerRow).where(*answers))
                or 0
            )
            await session.execute(delete(AnswerRow).where(*answers))
            await session.execute(delete(ResponseRow).where(ResponseRow.id == response.id))
            continue
        # The scan's close stands for every moment of the sheet: an answer's own minute could be
        # matched to the chat's record of that person's click.
        response.respondent = erased_token()
        response.started_at = closed_at
        if response.completed_at is not None:
            response.completed_at = closed_at
        await session.execute(update(AnswerRow).where(*answers).values(answered_at=closed_at))
        detached += 1
    await session.flush()
    return deleted, detached


async def _erase_invitations(session: AsyncSession, org_id: int, respondent: str) -> None:
    """Delete the person's invitations to open scans; detach those to closed scans, so the
    participation shown (how many of how many invited) stays true."""
    rows = (
        await session.execute(
            select(InvitationRow, ScanRow.closed_at)
            .join(ScanRow, and_(ScanRow.id == InvitationRow.scan_id, ScanRow.org_id == org_id))
            .where(InvitationRow.org_id == org_id, InvitationRow.respondent == respondent)
        )
    ).all()
    for invitation, closed_at in rows:
        if closed_at is None:
            await session.delete(invitation)
            continue
        invitation.respondent = erased_token()
        invitation.time_zone = None
        invitation.remind_at = None
        if invitation.invited_at is not None:
            invitation.invited_at = closed_at
        if invitation.reminded_at is not None:
            invitation.reminded_at = closed_at
    await session.flush()


async def _delete_keyed(session: AsyncSession, org: OrganisationRow, who: _Identity) -> None:
    """Delete every row that exists only because of the person."""
    org_id, respondent = org.id, who.respondent
    for statement in (
        delete(ConversationRow).where(ConversationRow.org_id == org_id, _their_conversation(who)),
        delete(PersonRow).where(PersonRow.org_id == org_id, PersonRow.respondent == respondent),
        delete(NudgeRow).where(NudgeRow.org_id == org_id, NudgeRow.recipient == respondent),
        delete(InboxRow).where(InboxRow.org_id == org_id, InboxRow.recipient == respondent),
        delete(TeamsConversationRow).where(
            TeamsConversationRow.org_id == org_id, TeamsConversationRow.address == respondent
        ),
    ):
        await session.execute(statement)
    installations = _their_installations(org, who)
    if installations is not None:
        await session.execute(delete(InstallationRow).where(installations))
    # Delivery keys are the platforms' ids and hashes; one that spells out the person goes too.
    seen = await session.execute(
        select(SeenEventRow.source, SeenEventRow.event_id).where(
            or_(*(SeenEventRow.event_id.contains(n, autoescape=True) for n in who.needles))
        )
    )
    for source, event_id in seen.all():
        if who.mentioned(event_id):
            await session.execute(
                delete(SeenEventRow).where(
                    SeenEventRow.source == source, SeenEventRow.event_id == event_id
                )
            )


async def _hand_over_tasks(
    session: AsyncSession,
    org_id: int,
    respondent: str,
    heir: str | None,
    token: str,
    now: datetime,
) -> tuple[int, ...]:
    """Give the person's running tasks to `heir` (retire them when there is none); their
    retired tasks keep the erasure's token as owner. Returns the running tasks' ids."""
    theirs = TaskRow.org_id == org_id, TaskRow.owner == respondent
    running = tuple(
        await session.scalars(
            select(TaskRow.id).where(*theirs, TaskRow.retired_at.is_(None)).order_by(TaskRow.id)
        )
    )
    await session.execute(
        update(TaskRow).where(*theirs, TaskRow.retired_at.is_not(None)).values(owner=token)
    )
    if heir is not None:
        await session.execute(update(TaskRow).where(*theirs).values(owner=heir))
    else:
        await session.execute(update(TaskRow).where(*theirs).values(owner=token, retired_at=now))
    return running


async def _replace_actor(
    session: AsyncSession, org_id: int, respondent: str, successor: str | None, token: str
) -> None:
    """Where the person is named as having done something, the successor takes over their
    launches and a token stands for them elsewhere."""
    actors: Sequence[tuple[type[Any], str, str]] = (
        (LaunchRow, "launched_by", successor or token),
        (TaskRow, "adopted_by", token),
        (TaskMarkRow, "marked_by", token),
        (KpiEntryRow, "entered_by", token),
        (AuditRow, "actor", token),
    )
    for table, column, value in actors:
        await session.execute(
            update(table)
            .where(table.org_id == org_id, getattr(table, column) == respondent)
            .values({column: value})
        )


async def _scrub_documents(session: AsyncSession, org_id: int, who: _Identity, token: str) -> None:
    """Take the person out of the organisation's free text and JSON documents: messages and
    notes about them, channel references that last saw them, jobs that list them, audit
    details that name them."""
    texts: Sequence[tuple[type[Any], tuple[str, ...]]] = (
        (InboxRow, ("body",)),
        (TaskMarkRow, ("note",)),
        (NudgeRow, ("outcome",)),
        (TeamsConversationRow, ("name",)),
        (JobRow, ("outcome",)),
    )
    for table, columns in texts:
        for row in await session.scalars(select(table).where(table.org_id == org_id)):
            for column in columns:
                value = getattr(row, column)
                if isinstance(value, str) and who.mentioned(value):
                    setattr(row, column, who.scrubbed(value))
    documents: Sequence[tuple[type[Any], tuple[str, ...]]] = (
        (ConversationRow, ("state",)),
        (TeamsConversationRow, ("reference",)),
        (JobRow, ("payload", "progress")),
        (AuditRow, ("detail",)),
    )
    for table, columns in documents:
        for row in await session.scalars(select(table).where(table.org_id == org_id)):
            for column in columns:
                value = getattr(row, column)
                if value is None:
                    continue
                cleaned = who.scrub(value, token)
                if cleaned != value:
                    setattr(row, column, cleaned)
                    if table is ConversationRow:
                        # A turn that read the state before cannot write the person back.
                        row.version += 1


def _their_conversation(who: _Identity) -> ColumnElement[bool]:
    """The person's conversations: keys ``channel:conversation:user``."""
    return and_(
        ConversationRow.key.startswith(f"{who.channel}:", autoescape=True),
        ConversationRow.key.endswith(f":{who.user}", autoescape=True),
    )


def _their_installations(org: OrganisationRow, who: _Identity) -> ColumnElement[bool] | None:
    """The person's own installations in the organisation's workspace (``slack:T…`` or, for
    an enterprise-wide install, ``slack:E…``); None when the organisation has no such key."""
    provider, colon, workspace = org.key.partition(":")
    if not colon or not workspace or provider != who.channel:
        return None
    return and_(
        InstallationRow.provider == provider,
        InstallationRow.user_id == who.user,
        or_(
            InstallationRow.team_id == workspace,
            and_(InstallationRow.team_id.is_(None), InstallationRow.enterprise_id == workspace),
        ),
    )


# -- the organisation's rows --------------------------------------------------------------------


async def _sheets(session: AsyncSession, org_id: int, scan_id: int) -> list[AnswerSheet]:
    """The completed sheets of a scan, without identities: what the product scores."""
    rows = await session.execute(
        select(ResponseRow.id, AnswerRow.question_id, AnswerRow.option_ids)
        .outerjoin(
            AnswerRow, and_(AnswerRow.response_id == ResponseRow.id, AnswerRow.org_id == org_id)
        )
        .where(
            ResponseRow.org_id == org_id,
            ResponseRow.scan_id == scan_id,
            ResponseRow.completed_at.is_not(None),
        )
    )
    answers: dict[int, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for response_id, question_id, option_ids in rows:
        sheet = answers[response_id]
        if question_id is not None:
            sheet[question_id] = tuple(option_ids)
    return [AnswerSheet(sheet) for sheet in answers.values()]


async def _participation(
    session: AsyncSession, org_id: int, scan_id: int, *, launched: bool
) -> Document:
    started, completed = (
        await session.execute(
            select(func.count(), func.count(ResponseRow.completed_at)).where(
                ResponseRow.org_id == org_id, ResponseRow.scan_id == scan_id
            )
        )
    ).one()
    invited = (
        await session.scalar(
            select(func.count()).where(
                InvitationRow.org_id == org_id, InvitationRow.scan_id == scan_id
            )
        )
        if launched
        else None
    )
    return {
        "invited": None if invited is None else int(invited),
        "started": int(started),
        "completed": int(completed),
    }


def _organisation_header(org: OrganisationRow) -> Document:
    return {"id": org.id, "key": org.key, "name": org.name}


# -- JSON of the engine's values ----------------------------------------------------------------


def _profile(mine: Profile) -> Document:
    return {
        "overall": _phase(mine.overall),
        "dimensions": {d.value: _phase(p) for d, p in mine.dimensions.items()},
        "role": mine.role.value if mine.role else None,
        "obstacles": sorted(o.value for o in mine.obstacles),
        "objectives": sorted(o.value for o in mine.objectives),
        "goals": sorted(g.value for g in mine.goals),
    }


def _result(result: OrgResult | Withheld | None) -> Document | None:
    """A scan's result as the product shows it: nothing of a group below the threshold."""
    if result is None:
        return None
    if isinstance(result, Withheld):
        return {
            "withheld": True,
            "respondents": result.respondents,
            "threshold": result.threshold,
        }
    return {
        "withheld": False,
        "respondents": result.respondents,
        "threshold": result.threshold,
        "overall": _phase(result.overall),
        "progress": result.progress,
        "limiting": [d.value for d in result.limiting],
        "dimensions": [
            {
                "dimension": d.value,
                "phase": int(s.phase),
                "median": s.median,
                "agreement": s.agreement,
                # A few who did not know are shown as a few: their count would follow from n.
                "rated_by": s.shown_n,
                "dont_know": None if s.few_unsure else s.dont_know,
                "few_dont_know": s.few_unsure,
            }
            for d, s in result.dimensions.items()
        ],
        "unrated": [d.value for d in result.unrated],
        "segments": [
            {
                "role": segment.role.value,
                "respondents": segment.n,
                "overall": _phase(segment.overall),
                "medians": {d.value: m for d, m in segment.medians.items()},
            }
            for segment in result.segments
        ],
        "role_gaps": [
            {
                "dimension": gap.dimension.value if gap.dimension else None,
                "management": gap.management,
                "employees": gap.employees,
            }
            for gap in result.role_gaps
        ],
        "obstacles": [_named(n) for n in result.obstacles],
        "objectives": [_named(n) for n in result.objectives],
        "goals": [_named(n) for n in result.goals],
        "changes": [
            {"dimension": c.dimension.value, "before": c.before, "after": c.after}
            for c in result.changes
        ],
    }


def _named(named: Named[Any]) -> Document:
    return {
        "term": named.term.value,
        "count": named.count,
        "common": named.common,
        "nearly_all": named.nearly_all,
        "few": named.count is None and not named.nearly_all,
    }


def _plan(plan: Plan) -> Document:
    return {
        "phase": int(plan.phase),
        "target": _phase(plan.target),
        "focus": [d.value for d in plan.focus],
        "steps": [
            {
                "id": step.id,
                "dimension": step.dimension.value,
                "to_phase": int(step.to_phase),
                "owner": step.owner.value,
                "title": {"nl": step.title.nl, "en": step.title.en},
            }
            for step in plan.steps
        ],
        "tasks": [
            {
                "id": task.template.id,
                "kind": task.template.kind.value,
                "owner": task.owner.value,
                "title": {"nl": task.template.title.nl, "en": task.template.title.en},
                "cadence": {
                    "rule": task.cadence.rule,
                    "label": {"nl": task.cadence.label.nl, "en": task.cadence.label.en},
                },
            }
            for task in plan.tasks
        ],
    }


def _phase(phase: int | None) -> int | None:
    return None if phase is None else int(phase)


def _moment(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
