"""A person's data rights in chat: see it, take it along, have it erased; and the organisation's
export and audit log for its project manager.

Business rules:
- Anyone may have their own data ('my data') as one JSON file, and learn what is kept, who sees
  what and for how long ('privacy').
- 'forget me' is never refused, and erases nothing until it is confirmed explicitly: 'yes,
  forget me' typed or the button pressed. Anything else cancels and changes nothing.
- A project manager who is forgotten hands their role to whoever the request or the
  confirmation names ('hand over to @ann'), or leaves the organisation without one: the reply
  says which.
- The erasure's audit entry names no one and holds counts only; once forgotten, the
  conversation starts afresh (the turn saves nothing that names the person again).
- The organisation's export and audit log are the project manager's: theirs by the settings or
  because they launched a scan. Anyone else is told who can. The audit log shows who did what
  and when, never an answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from dialogs import phrases
from dialogs.audit import AuditEntry, AuditLog
from dialogs.events import Command, CommandInvoked, ConversationKey
from dialogs.exports import json_bytes, organisation_csv_files, tasks_ics
from dialogs.messages import (
    Actions,
    Bullets,
    Button,
    File,
    Heading,
    Paragraph,
    People,
    Reply,
    mention,
)
from dialogs.ports import (
    Clock,
    DataRights,
    Erased,
    LaunchRepository,
    OrganisationDirectory,
    Outbox,
    TaskRepository,
)
from dialogs.records import Organisation
from dialogs.state import DialogState, StartAfresh, Step, Transition
from engine.nudges import NudgeKind, PlannedNudge
from engine.recurrence import LocalTime
from engine.text import Text
from engine.vocabulary import Language

MY_DATA_FILE = "my-data.json"
ORGANISATION_FILE = "organisation.json"
CALENDAR_FILE = "tasks.ics"
AUDIT_SHOWN = 50
"""The latest entries the audit log shows in chat (the terminal shows more)."""


@dataclass(frozen=True)
class Keeping:
    """How long things are kept, as the privacy text says (the deployment's settings)."""

    retention_months: int = 24
    uninstall_grace_days: int = 30


@dataclass(frozen=True)
class Formats:
    """The builders of the files handed out: pure functions from data to bytes."""

    json: Callable[[Mapping[str, Any]], bytes] = json_bytes
    csv: Callable[[Mapping[str, Any]], dict[str, bytes]] = organisation_csv_files
    calendar: Callable[..., bytes] = tasks_ics
    """`tasks_ics(tasks, *, now, language)`."""


class Rights:
    """Carries out the data-rights commands; see the module's rules."""

    def __init__(
        self,
        *,
        rights: DataRights,
        audit: AuditLog,
        organisations: OrganisationDirectory,
        tasks: TaskRepository,
        clock: Clock,
        launches: LaunchRepository | None = None,
        keeping: Keeping | None = None,
        formats: Formats | None = None,
        outbox: Outbox | None = None,
    ) -> None:
        self._rights = rights
        self._audit = audit
        self._organisations = organisations
        self._tasks = tasks
        self._clock = clock
        self._launches = launches
        self._keeping = keeping or Keeping()
        self._formats = formats or Formats()
        self._outbox = outbox

    async def command(
        self, key: ConversationKey, state: DialogState, event: CommandInvoked
    ) -> Transition:
        """What a data-rights command does for someone in `state`."""
        language = state.language
        match event.command:
            case Command.MY_DATA:
                return Transition(state, await self.my_data(key, language))
            case Command.FORGET:
                return await self.ask_to_forget(key, state, event.argument)
            case Command.ERASE if state.step is Step.FORGETTING:
                return await self._forget(key, state, state.successor)
            case Command.ERASE:
                return _say(state, phrases.FORGET_NOTHING_TO_CONFIRM)
            case Command.PRIVACY:
                return Transition(state, await self.privacy(key.org_id, language))
            case Command.EXPORT:
                return Transition(state, await self.export(key, language))
            case _:  # Command.AUDIT
                return Transition(state, await self.audit(key, language))

    async def person(self, org_id: int, respondent: str) -> dict[str, Any]:
        """Everything stored about `respondent` (docs/schemas/person-export.schema.json)."""
        return await self._rights.person(org_id, respondent)

    def document(self, document: Mapping[str, Any]) -> bytes:
        """A document as the JSON file handed out."""
        return self._formats.json(document)

    async def my_data(self, key: ConversationKey, language: Language) -> Reply:
        """Everything stored about the person, as one JSON file."""
        document = await self._rights.person(key.org_id, key.respondent)
        return (
            Paragraph(phrases.MY_DATA_READY(language)),
            File(MY_DATA_FILE, phrases.MY_DATA_FILE_TITLE(language), self._formats.json(document)),
        )

    async def ask_to_forget(
        self, key: ConversationKey, state: DialogState, argument: str
    ) -> Transition:
        """The confirmation step; nothing is erased yet."""
        language = state.language
        successor = _successor(key, argument)
        asking = replace(state, step=Step.FORGETTING, successor=successor or "")
        said = [phrases.FORGET_ASK(language)]
        if await self._is_manager(key):
            said.append(
                phrases.FORGET_SUCCESSOR(language).format(successor=mention(successor))
                if successor
                else phrases.FORGET_MANAGER(language)
            )
        said.append(phrases.FORGET_HOW_TO_CONFIRM(language))
        confirm = Button(
            phrases.FORGET_BUTTON(language),
            CommandInvoked(Command.ERASE),
            phrases.FORGET_BUTTON(language).lower(),
        )
        return Transition(asking, (*(Paragraph(line) for line in said), Actions((confirm,))))

    async def confirming(self, key: ConversationKey, state: DialogState, line: str) -> Transition:
        """A line typed while 'forget me' waits: its confirmation, or a cancellation."""
        confirmed = _CONFIRMATION.fullmatch(" ".join(line.split()))
        if confirmed is None:
            return _say(_cancelled(state), phrases.FORGET_CANCELLED)
        successor = _successor(key, confirmed.group("rest") or "") or state.successor
        return await self._forget(key, state, successor)

    async def erase(self, org_id: int, respondent: str, *, successor: str | None) -> Erased:
        """Forget `respondent` now, and audit it without naming them (counts only)."""
        now = self._clock.now()
        erased = await self._rights.forget_person(org_id, respondent, successor=successor, now=now)
        await self._audit.record(org_id, None, "erasure", _counts(erased), now=now)
        if erased.heir is not None and erased.tasks and self._outbox is not None:
            zone = (await self._organisation(org_id)).settings.time_zone
            told = [_handover(erased.heir, task, now, zone) for task in erased.tasks]
            await self._outbox.plan(org_id, told, now=now)
        return erased

    async def _forget(self, key: ConversationKey, state: DialogState, successor: str) -> Transition:
        language = state.language
        erased = await self.erase(key.org_id, key.respondent, successor=successor or None)
        said = phrases.FORGOTTEN(language).format(
            deleted=phrases.FORGOTTEN_ANSWERS(language, erased.answers_deleted),
            detached=phrases.FORGOTTEN_SHEETS(language, erased.sheets_detached),
        )
        replies = [Paragraph(said)]
        if erased.tasks:
            tasks = phrases.FORGOTTEN_TASKS(language, len(erased.tasks))
            replies.append(
                Paragraph(
                    phrases.FORGOTTEN_TASKS_HANDED(language).format(
                        heir=mention(erased.heir), tasks=tasks
                    )
                    if erased.heir
                    else phrases.FORGOTTEN_TASKS_STOPPED(language).format(tasks=tasks)
                )
            )
        if erased.manager_cleared:
            replies.append(
                Paragraph(
                    phrases.FORGET_SUCCESSOR(language).format(successor=mention(erased.manager))
                    if erased.manager
                    else phrases.FORGOTTEN_NO_MANAGER(language)
                )
            )
        fresh = DialogState(language=language)
        return Transition(fresh, tuple(replies), (StartAfresh(),))

    async def privacy(self, org_id: int, language: Language) -> Reply:
        """What is kept, who sees what, for how long, and how to see or erase it."""
        org = await self._organisation(org_id)
        values = {
            "threshold": str(org.settings.anonymity_threshold),
            "period": phrases.RETENTION_PERIOD(language, self._keeping.retention_months),
            "grace": phrases.GRACE_PERIOD(language, self._keeping.uninstall_grace_days),
        }
        items = tuple(item(language).format(**values) for item in phrases.PRIVACY_ITEMS)
        return (Heading(phrases.PRIVACY_TITLE(language)), Bullets(items))

    async def export(self, key: ConversationKey, language: Language) -> Reply:
        """The organisation's export as files, for its project manager."""
        refused = await self._managers_only(key, language)
        if refused is not None:
            return refused
        files = await self.organisation_files(key.org_id, language)
        await self._audit.record(
            key.org_id,
            key.respondent,
            "export",
            {"format": "chat", "files": len(files)},
            now=self._clock.now(),
        )
        return (Paragraph(phrases.EXPORT_READY(language)), *files)

    async def organisation_files(self, org_id: int, language: Language) -> list[File]:
        """The organisation's export: its JSON document, a CSV file per kind, and the tasks
        as a calendar. Audited by whoever hands them out."""
        document = await self._rights.organisation(org_id)
        title = phrases.EXPORT_FILE_TITLE(language)
        files = [File(ORGANISATION_FILE, title, self._formats.json(document))]
        files += [
            File(name, f"{title}: {name}", content)
            for name, content in sorted(self._formats.csv(document).items())
        ]
        tasks = await self._tasks.active(org_id)
        calendar = self._formats.calendar(tasks, now=self._clock.now(), language=language)
        files.append(File(CALENDAR_FILE, phrases.TASKS_CALENDAR_TITLE(language), calendar))
        return files

    async def audit(self, key: ConversationKey, language: Language) -> Reply:
        """The latest entries of the audit log, for the project manager."""
        refused = await self._managers_only(key, language)
        if refused is not None:
            return refused
        org = await self._organisation(key.org_id)
        entries = await self._audit.entries(key.org_id, limit=AUDIT_SHOWN)
        if not entries:
            return (
                Heading(phrases.AUDIT_TITLE(language)),
                Paragraph(phrases.AUDIT_EMPTY(language)),
            )
        zone = org.settings.time_zone
        lines = tuple(audit_line(entry, zone, language, actor=mention) for entry in entries)
        return (Heading(phrases.AUDIT_TITLE(language)), Bullets(lines))

    async def _managers_only(self, key: ConversationKey, language: Language) -> Reply | None:
        """None for the project manager; for anyone else, who can."""
        if await self._is_manager(key):
            return None
        org = await self._organisation(key.org_id)
        managers = set(await self._launches.managers(key.org_id)) if self._launches else set()
        if org.settings.manager is not None:
            managers.add(org.settings.manager)
        if not managers:
            return (Paragraph(phrases.RIGHTS_NO_MANAGER(language)),)
        return (Paragraph(phrases.RIGHTS_MANAGER_ONLY(language)), People(tuple(sorted(managers))))

    async def _is_manager(self, key: ConversationKey) -> bool:
        org = await self._organisation(key.org_id)
        if org.settings.manager == key.respondent:
            return True
        return self._launches is not None and key.respondent in await self._launches.managers(
            key.org_id
        )

    async def _organisation(self, org_id: int) -> Organisation:
        org = await self._organisations.get(org_id)
        if org is None:
            raise LookupError(f"no organisation with id {org_id}")
        return org


def _bare(respondent: str) -> str:
    """A respondent's id within its chat, as the operator's tools show it."""
    return respondent.split(":", 1)[-1]


def audit_line(
    entry: AuditEntry, zone: str, language: Language, *, actor: Callable[[str], str] = _bare
) -> str:
    """One entry as a neutral line: when (in `zone`), who (as `actor` writes them), what, and
    its detail. A chat names the actor with a mention; the operator's command line keeps the
    respondent's own id, which is what the operator looks people up by."""
    at = LocalTime.of(entry.at, zone).at
    who = actor(entry.actor) if entry.actor else phrases.AUDIT_BY_ADVISOR(language)
    detail = ", ".join(f"{name}={value}" for name, value in sorted(entry.detail.items()))
    return " · ".join(part for part in (f"{at:%Y-%m-%d %H:%M}", who, entry.action, detail) if part)


def _counts(erased: Erased) -> dict[str, str | int]:
    return {
        "answers_deleted": erased.answers_deleted,
        "sheets_detached": erased.sheets_detached,
        "tasks": len(erased.tasks),
        "manager_cleared": int(erased.manager_cleared),
    }


def _say(state: DialogState, phrase: Text) -> Transition:
    return Transition(state, (Paragraph(phrase(state.language)),))


def _cancelled(state: DialogState) -> DialogState:
    return replace(state, step=Step.IDLE, successor="")


def _successor(key: ConversationKey, said: str) -> str | None:
    """Whoever '..., hand over to @ann' names, as a respondent of the person's chat."""
    found = _HANDOVER.search(said)
    if found is None:
        return None
    word = found.group("who")
    mention = _MENTION.fullmatch(word)
    name = mention.group(1) if mention else word.lstrip("@").rstrip(".!,;")
    return f"{key.channel}:{name}" if name else None


_CONFIRMATION = re.compile(
    r"(?:yes|ja)[,!.]?\s+(?:forget|vergeet)\s+(?:me|mij)[,!.]?(?P<rest>\s.*)?", re.IGNORECASE
)
_HANDOVER = re.compile(
    r"(?:hand\s*over\s+to|handover\s+to|successor|draag\s+over\s+aan|overdragen\s+aan|aan|to)"
    r"[:\s]+(?P<who><@[A-Za-z0-9]+(?:\|[^>]*)?>|@?[\w.\-]+)",
    re.IGNORECASE,
)
_MENTION = re.compile(r"<@([A-Za-z0-9]+)(?:\|[^>]*)?>")


HANDOVER_STALE = timedelta(days=7)
"""A hand-over not delivered within a week (the chat unreachable) is dropped."""


def _handover(heir: str, task_id: int, now: datetime, zone: str) -> PlannedNudge:
    """Tell `heir` once that a task is theirs now (the outbox sends it on its next round)."""
    return PlannedNudge(
        heir,
        NudgeKind.HANDOVER,
        f"handover:{task_id}:{now:%Y-%m-%dT%H:%M:%S}",
        LocalTime.of(now, zone),
        LocalTime.of(now + HANDOVER_STALE, zone),
        task_id=task_id,
    )
