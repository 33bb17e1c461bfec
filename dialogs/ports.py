"""The ports the dialogs need; `storage/` implements them, tests fake them."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from dialogs.delivery import Undeliverable
from dialogs.messages import Reply
from dialogs.records import (
    Invitation,
    Invitee,
    Launch,
    NewTask,
    Nudge,
    Organisation,
    OrgSettings,
    Participation,
    Person,
    Scan,
    ScanReminder,
)
from dialogs.state import Effect
from engine.kpi import KpiEntry
from engine.nudges import PlannedNudge
from engine.recurrence import LocalTime
from engine.sheet import AnswerSheet
from engine.tasks import Mark, Task
from engine.vocabulary import Language


class StorageError(RuntimeError):
    """The store failed; the message is safe to show and names no secret."""


class ConcurrentUpdate(StorageError):
    """Someone else saved this conversation since it was loaded."""


class AlreadyHandled(StorageError):
    """This delivery was handled before (a platform sent it again); nothing was saved."""


class ScanClosed(StorageError):
    """The scan is closed: it takes no more answers."""


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class OrganisationDirectory(Protocol):
    async def ensure(self, key: str, name: str) -> Organisation:
        """The organisation with this key, created with default settings if it is new."""
        ...

    async def get(self, org_id: int) -> Organisation | None: ...

    async def find(self, key: str) -> Organisation | None: ...

    async def update_settings(self, org_id: int, settings: OrgSettings) -> Organisation: ...


class ScanRepository(Protocol):
    """Scans and answers, always scoped by organisation.

    Answers are keyed by (scan, respondent, question): recording the same question again keeps
    the last answer. `sheets` hands out answers without identities, for scoring only.
    """

    async def current(self, org_id: int) -> Scan | None:
        """The open scan, if there is one."""
        ...

    async def open(self, org_id: int, *, bank_version: int, now: datetime) -> Scan:
        """Open the next scan; raises `StorageError` if one is open already."""
        ...

    async def close(self, org_id: int, scan_id: int, *, now: datetime) -> Scan: ...

    async def history(self, org_id: int) -> list[Scan]:
        """All scans of the organisation, oldest first."""
        ...

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
        """Store one answer, replacing an earlier one; raises `ScanClosed` on a closed scan."""
        ...

    async def complete(self, org_id: int, scan_id: int, respondent: str, *, now: datetime) -> None:
        """Mark the respondent's sheet complete (idempotent)."""
        ...

    async def sheet(self, org_id: int, scan_id: int, respondent: str) -> AnswerSheet:
        """One respondent's own answers (empty if they have none)."""
        ...

    async def sheets(
        self, org_id: int, scan_id: int, *, completed_only: bool = True
    ) -> list[AnswerSheet]:
        """Every respondent's answers, without identities, in no meaningful order."""
        ...

    async def participation(self, org_id: int, scan_id: int) -> list[Participation]: ...


@dataclass(frozen=True)
class TurnAnswers:
    """What a turn records in the scan: one person's answers and completion, at one moment."""

    respondent: str
    effects: tuple[Effect, ...]
    now: datetime


@dataclass(frozen=True)
class Once:
    """A platform's id for one delivery (Slack's event id, Teams' activity id): a turn saved
    with it is saved once, however often the platform delivers it."""

    key: str
    at: datetime


class ConversationStore(Protocol):
    """Dialog state as JSON with a version, so two workers cannot both advance one conversation."""

    async def load(self, org_id: int, key: str) -> tuple[Mapping[str, Any], int] | None:
        """The saved state and its version, or None for a new conversation."""
        ...

    async def load_many(
        self, org_id: int, keys: Collection[str]
    ) -> Mapping[str, tuple[Mapping[str, Any], int]]:
        """`load` for many conversations at once: those saved, by key."""
        ...

    async def handled(self, org_id: int, once: str) -> bool:
        """Whether a turn was saved with this delivery key."""
        ...

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
        """Save over `version` (None: a new conversation), record the turn's `answers` and its
        delivery key `once`, in one transaction: all land or none does.

        Returns the new version.

        Raises:
            ConcurrentUpdate: the conversation moved on (another worker's turn); nothing saved.
            ScanClosed: an answer was for a scan that has closed; nothing saved.
            AlreadyHandled: a turn with the key `once` was saved before; nothing saved.
        """
        ...


class LaunchRepository(Protocol):
    """Launched scans, their invitations and the once-only publication of their result."""

    async def record(self, org_id: int, launch: Launch, invitees: list[Invitee]) -> None:
        """Store how `launch.scan_id` was launched and whom it invites (not yet sent)."""
        ...

    async def get(self, org_id: int, scan_id: int) -> Launch | None: ...

    async def managers(self, org_id: int) -> set[str]:
        """Everyone who has launched a scan in the organisation."""
        ...

    async def invitations(self, org_id: int, scan_id: int) -> list[Invitation]: ...

    async def mark_invited(
        self, org_id: int, scan_id: int, respondent: str, *, now: datetime
    ) -> None: ...

    async def mark_failed(
        self, org_id: int, scan_id: int, respondent: str, *, failure: Undeliverable
    ) -> None:
        """The invitation or reminder could not be delivered; no reminder follows."""
        ...

    async def reminders_to_plan(self, *, before: datetime) -> list[ScanReminder]:
        """Reminders due before `before` and not yet planned: for an open scan, an invitation
        that went out, and a sheet not finished. Across organisations, for the planner."""
        ...

    async def reminders_planned(
        self, org_id: int, scan_id: int, respondents: Sequence[str], *, now: datetime
    ) -> None:
        """These reminders are in the outbox; `reminders_to_plan` leaves them out from now on."""
        ...

    async def still_invited(self, org_id: int, scan_id: int, respondent: str) -> Launch | None:
        """The launch, while `respondent` is invited to its scan, it is open, and they have not
        finished it; else None (a reminder is no longer needed)."""
        ...

    async def due_for_closing(self, *, now: datetime) -> list[tuple[int, int]]:
        """(org_id, scan_id) of open launched scans whose deadline has passed."""
        ...

    async def unpublished(self, *, closed_since: datetime) -> list[tuple[int, int]]:
        """(org_id, scan_id) of launched scans closed since `closed_since` whose result nobody
        has claimed to publish yet."""
        ...

    async def claim_publication(self, org_id: int, scan_id: int, *, now: datetime) -> bool:
        """True once per scan: whoever gets True publishes the result."""
        ...


class Publisher(Protocol):
    """How one chat delivers a campaign's messages: the one thing campaigns need from it.

    With `pictures`, a reply's charts are also sent as pictures (a result worth keeping). Each
    method says why the message did not arrive, or None when it did; it never raises for what
    the platform refuses.
    """

    async def to_person(
        self, org: Organisation, respondent: str, reply: Reply, *, pictures: bool = False
    ) -> Undeliverable | None:
        """Into the person's direct chat with the advisor (opened if there is none yet)."""
        ...

    async def to_place(
        self, org: Organisation, place: str, reply: Reply, *, pictures: bool = False
    ) -> Undeliverable | None:
        """Into a shared place (a channel), as stored by `records.place`."""
        ...

    async def language(self, org: Organisation, respondent: str) -> Language | None:
        """The language the person's chat is set to, if it says."""
        ...


class EventLog(Protocol):
    """Deliveries already handled, so a redelivered event is handled once."""

    async def first_seen(self, source: str, event_id: str, *, now: datetime) -> bool: ...


class TaskRepository(Protocol):
    """Adopted tasks and what was done about each occurrence."""

    async def adopt(
        self, org_id: int, tasks: Sequence[NewTask], *, by: str, now: datetime
    ) -> list[Task]: ...

    async def active(self, org_id: int, *, owner: str | None = None) -> list[Task]:
        """Tasks not retired, oldest first; only `owner`'s when given."""
        ...

    async def get(self, org_id: int, task_id: int) -> Task | None: ...

    async def marks(self, org_id: int, task_ids: Sequence[int]) -> dict[int, dict[datetime, Mark]]:
        """Per task, its marks by occurrence."""
        ...

    async def mark(self, org_id: int, task_id: int, mark: Mark, *, by: str) -> bool:
        """Record what happened to one occurrence; False if it was already marked."""
        ...

    async def reassign(self, org_id: int, task_id: int, owner: str) -> None: ...

    async def organisations_with_tasks(self) -> list[int]: ...


class KpiRepository(Protocol):
    async def record(self, org_id: int, entry: KpiEntry, *, by: str, now: datetime) -> None:
        """Store a period's figures; figures for the same period replace the earlier ones."""
        ...

    async def series(self, org_id: int) -> list[KpiEntry]:
        """Every period's figures, oldest first."""
        ...


class PeopleDirectory(Protocol):
    async def get(self, org_id: int, respondent: str) -> Person: ...

    async def many(self, org_id: int, respondents: Sequence[str]) -> dict[str, Person]:
        """Everyone asked for, known or not."""
        ...

    async def set_zone(self, org_id: int, respondent: str, zone: str) -> None: ...

    async def unreachable(self, org_id: int) -> list[Person]:
        """Everyone a channel refused for good, to show the project manager."""
        ...

    async def pause(self, org_id: int, respondent: str, until: date | None) -> None:
        """Away until `until` (the last day away); None ends a pause."""
        ...

    async def set_unreachable(
        self, org_id: int, respondent: str, failure: Undeliverable | None, *, now: datetime
    ) -> None:
        """A channel refused them for good (`failure`), or they are back (None)."""
        ...


class NameBook(Protocol):
    """The names people and places go by in their own chat, for what no chat renders (the
    report's file): a chat id means nothing to a reader."""

    async def names(self, org_id: int, addresses: Sequence[str]) -> dict[str, str]:
        """The display names of the respondents and places (`records.place`) it knows, asked
        all in one call; the ones it does not know are left out, and it never raises for them."""
        ...


class Outbox(Protocol):
    """Nudges to send, each once. See docs/scheduling.md for the guarantees."""

    async def plan(self, org_id: int, nudges: Sequence[PlannedNudge], *, now: datetime) -> int:
        """Add the nudges not planned before (by their unique key); returns how many were new."""
        ...

    async def claim(
        self,
        *,
        now: datetime,
        worker: str,
        limit: int,
        lease: timedelta,
        channel: str | None = None,
        alive: timedelta | None = None,
    ) -> list[Nudge]:
        """Claim due nudges: pending ones, and ones a crashed worker claimed over `lease` ago;
        only those for `channel`'s recipients when given.

        Two workers never claim the same nudge at once, nor start on the same organisation.
        With `alive`, the workers that claimed within it share the organisations with due
        nudges: each claim takes the worker's fair share of them, not all it can.
        """
        ...

    async def attend(self, worker: str, *, now: datetime) -> None:
        """Record that `worker` dispatches from `now` on, as a claim with `alive` does: the
        others' claims leave it its share before it first claims."""
        ...

    async def leave(self, worker: str) -> None:
        """Forget `worker` (it stops): the others' claims take its share from now on, where a
        worker still seen keeps it until it is seen no more."""
        ...

    async def finish(
        self, nudge_id: int, *, status: str, outcome: str | None, now: datetime
    ) -> None:
        """Record how a claimed nudge ended: sent, dropped (with why) or failed (with why)."""
        ...

    async def postpone(self, nudge_id: int, until: LocalTime) -> None:
        """Put a claimed nudge back, due at `until`."""
        ...

    async def release(self, nudge_id: int, until: LocalTime) -> None:
        """Put a claimed nudge back untried, due at `until`: this claim is not counted as an
        attempt, so its next claim does not ask the channel whether it got through."""
        ...

    async def snooze(self, org_id: int, task_id: int, until: LocalTime) -> int:
        """Move the task's pending nudges to `until`; returns how many moved."""
        ...

    async def sent_since(self, org_id: int, recipient: str, since: datetime) -> int:
        """How many capped (personal) nudges the recipient was sent since `since`."""
        ...

    async def pending(self, org_id: int) -> list[Nudge]:
        """The nudges still to send, soonest first."""
        ...


class ReplanningOutbox(Outbox, Protocol):
    """The planner's outbox: it also moves the nudges still to send when a calendar changes."""

    async def replan(self, org_id: int, move: Callable[[Nudge], LocalTime]) -> int:
        """Set each of the organisation's pending (unclaimed) nudges to be due at `move`'s
        time for it, in one transaction; returns how many moved. Nudges claimed, sent or
        finished are not touched; none is added or removed."""
        ...


class Replanner(Protocol):
    async def replan(self, org_id: int, before: OrgSettings) -> int:
        """Move the organisation's nudges still to send to the first time its current zone and
        calendar allow, after they changed from `before`'s; returns how many moved."""
        ...


class Inbox(Protocol):
    """Messages for people who read them in the terminal."""

    async def put(
        self, org_id: int, recipient: str, body: str, *, nudge_id: int | None, now: datetime
    ) -> bool:
        """Keep a message; False when this nudge was already put (a retry)."""
        ...

    async def take(self, org_id: int, recipient: str, *, now: datetime) -> list[str]:
        """The unread messages, oldest first, marked read."""
        ...


class AlreadyLaunched(StorageError):
    """`LaunchRepository.record` for a scan that was launched already (someone else's launch
    won a moment ago); nothing of this launch was stored."""


@dataclass(frozen=True)
class Erased:
    """What `DataRights.forget_person` did, to tell the person and the project manager; it
    names no one it erased."""

    answers_deleted: int
    """Answers to open scans, deleted with the person's sheet and participation."""
    sheets_detached: int
    """Sheets of closed scans, kept for their results under a token that links to no one."""
    tasks: tuple[int, ...]
    """The tasks the person owned: now `heir`'s, or retired when there is no one to own them."""
    heir: str | None
    """Who owns those tasks now: the project manager after the erasure (the successor when
    the person was it, or whoever is named when the organisation has none); None: no one, so
    the tasks were retired."""
    manager_cleared: bool
    """The person was the project manager: the role went to the successor, or, without one,
    the organisation has none now (say so)."""
    manager: str | None
    """The organisation's project manager after the erasure."""


class DataRights(Protocol):
    """What the advisor holds about a person or an organisation, handed over or erased (GDPR
    articles 15, 17 and 20). The documents are JSON-able and follow the schemas in
    docs/schemas/."""

    async def person(self, org_id: int, respondent: str) -> dict[str, Any]:
        """Everything stored about `respondent` in the organisation
        (docs/schemas/person-export.schema.json).

        Raises:
            LookupError: there is no such organisation.
        """
        ...

    async def forget_person(
        self, org_id: int, respondent: str, *, successor: str | None, now: datetime
    ) -> Erased:
        """Remove `respondent`'s identity from every table, in one transaction; never refused.

        Answers to open scans are deleted with their participation; sheets of closed scans are
        kept (published results stay true) under a fresh token. Their tasks go to the project
        manager; erasing the project manager hands the role to `successor` (None: to no one).
        """
        ...

    async def organisation(self, org_id: int) -> dict[str, Any]:
        """The organisation's results, participation, plan, tasks and figures, never an
        individual's answers (docs/schemas/organisation-export.schema.json).

        Raises:
            LookupError: there is no such organisation.
        """
        ...
