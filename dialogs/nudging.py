"""Planning nudges from the tasks, and sending each due one once through its channel.

Business rules:
- Planning is idempotent: a nudge's key (recipient, kind, occurrence) is planned once, however
  often and by however many workers planning runs.
- At send time a nudge is checked again: stale ones are dropped (a digest for a week that is
  over), ones no longer needed (the task was done or skipped) are dropped, a paused recipient's
  nudge waits for their return, and a recipient over the weekly cap of personal nudges is not
  nudged again that week. Each drop is recorded with its reason.
- A recipient a channel refused for good (account gone, app removed) is not tried again until
  they write to the advisor again; the project manager sees it in the digest.
- A channel that was unavailable (server errors, timeouts, dropped connections, after its
  client's own retries) says nothing about the recipient: the nudge is tried again later, each
  wait RETRY_AFTER longer than the last, because outages mostly pass within minutes and a retry
  is safe (it first asks whether the earlier attempt got through). After UNAVAILABLE_ATTEMPTS it
  fails with its reason (``unavailable: http_503``) instead of retrying for as long as it is
  fresh: an outage that long, or a proxy that always fails, is for whoever runs the advisor to
  look into. A scan reminder's failure is also recorded on the invitation, for the project
  manager's status.
- A launched scan's reminder is planned once its time is near, and sent only while the person
  is still invited, the scan open and their sheet unfinished; it is stale at the scan's deadline.
- Sending goes first, marking second: a crash between the two leaves the nudge claimed, and the
  next claim asks the channel whether it was delivered before sending again. A nudge claimed
  when it may not arrive (the working day over, quiet hours, a pause) is put back untried: that
  claim does not count, so it is not asked about (Slack allows about 50 such questions a minute).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from dialogs import nudge_views, phrases
from dialogs.delivery import Undeliverable
from dialogs.events import Command, CommandInvoked
from dialogs.messages import Actions, Button, File, Paragraph, Reply
from dialogs.ports import (
    Clock,
    LaunchRepository,
    OrganisationDirectory,
    Outbox,
    PeopleDirectory,
    ReplanningOutbox,
    StorageError,
    TaskRepository,
)
from dialogs.records import Nudge, Organisation, OrgSettings, Person, ScanReminder
from engine.crosscheck import WEEKS, posting_check
from engine.nudges import (
    NudgeKind,
    PlannedNudge,
    Recipient,
    digest,
    monthly_report,
    task_nudges,
)
from engine.recurrence import LocalTime
from engine.respect import monday_of, next_allowed, week_of
from engine.scoring import OrgResult
from engine.tasks import (
    CONSISTENCY_WEEKS,
    Mark,
    Task,
    consistency,
    current,
    is_on_time,
    missed_in_a_row,
    team_consistency,
)
from engine.vocabulary import Language, TaskKind

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
"""A claim older than this belonged to a worker that died; the nudge is claimed again."""
BATCH = 50
"""Nudges one `Dispatcher.run` claims."""
CLAIM = 10_000
"""Nudges one claim of `Dispatcher.dispatch` takes at most (the outbox takes a few of each
organisation's at a time): enough for two hundred workspaces to start from the first claim. Claims
of a thousand, made one after the other while the first workspaces were already sending, started
the last ones a second late."""
CLAIM_GAP = timedelta(seconds=0.25)
"""The least time between two claims that are not full: the organisations that ask for more
within it share one claim. A claim ranks every due nudge, so one for each organisation's group
made claiming most of the database's work; an organisation asks while it still has a group of
seconds to send, so the wait costs it nothing."""
AHEAD = 10
"""An organisation's next group starts once those being sent have this many nudges left: a
second of a Slack workspace's pace, time enough for the group's reads."""
SETTLING = AHEAD
"""Nudges of a group settled at once, a second of a workspace's pace: settling them all at once
composed every workspace's whole group before most workspaces' first nudge went out."""
LOOK_AGAIN = timedelta(seconds=5)
"""While nudges are being sent, how often the outbox is asked for newly due ones besides when
an organisation asks for more: each look takes a few more of every organisation's."""
RETRY_AFTER = timedelta(minutes=5)
UNAVAILABLE_ATTEMPTS = 8
"""Attempts at a nudge its channel was unavailable for, 5, 10, ... 35 minutes apart (about two
hours and twenty minutes in all), before it fails."""
PLANNING = 100
"""Organisations planned side by side: what they read is read together (`storage.together`),
where one after the other two hundred workspaces took two seconds to plan."""
SHOWN = 10
"""Organisations named at most in the log line of those a tick could not plan."""
REMINDERS_AHEAD = timedelta(hours=1)
"""Scan reminders are planned this long before they are due (not all at launch)."""
REMINDER_STALE = timedelta(days=7)
"""A reminder for a scan without a deadline is stale this long after its time."""
SENT, DROPPED, FAILED = "sent", "dropped", "failed"
V = TypeVar("V")


class DeliveryFailed(Exception):
    """The channel could not deliver: `failure` says why, and whether it may pass
    (`failure.transient`); `detail` is the platform's own code, for the record (never a secret)."""

    def __init__(self, failure: Undeliverable, detail: str | None = None) -> None:
        super().__init__(failure.value)
        self.failure = failure
        self.detail = detail

    @property
    def reason(self) -> str:
        """What the outbox records: ``unavailable: http_503``, or the kind alone."""
        return f"{self.failure.value}: {self.detail}" if self.detail else self.failure.value


class Delivery(Protocol):
    """A channel that can bring a nudge to its recipient (Slack, the terminal inbox, Teams)."""

    async def prepare(self, nudges: Sequence[Nudge]) -> None:
        """Get ready to deliver these (one organisation's), such as looking up the workspace's
        client. The dispatcher awaits it beside the reads the nudges need, before the first is
        delivered. Never raises: what fails here fails again as a nudge is delivered."""
        ...

    async def deliver(self, nudge: Nudge, reply: Reply) -> None:
        """Send it. Raises DeliveryFailed when it cannot (transient or not, as its failure says);
        anything else raised is taken as passing."""
        ...

    async def delivered(self, nudge: Nudge) -> bool:
        """Whether an earlier attempt reached the recipient (asked only after a crash)."""
        ...


Perceived = Callable[[Organisation], Awaitable[OrgResult | None]]
"""The organisation's latest shown result, for setting perception beside practice."""


Reporter = Callable[[Organisation, Language], Awaitable[bytes]]
"""The management report as a PNG, in a language."""
LanguagesOf = Callable[[Organisation, Collection[str]], Awaitable[Mapping[str, Language]]]
"""The language a recipient speaks with the advisor (their own choice, else the org's)."""


class Planner:
    def __init__(
        self,
        *,
        organisations: OrganisationDirectory,
        tasks: TaskRepository,
        people: PeopleDirectory,
        outbox: ReplanningOutbox,
        clock: Clock,
        launches: LaunchRepository | None = None,
    ) -> None:
        self._organisations = organisations
        self._tasks = tasks
        self._people = people
        self._outbox = outbox
        self._clock = clock
        self._launches = launches

    async def plan_all(self) -> int:
        """Plan every organisation's nudges, PLANNING of them side by side; returns how many new.

        An organisation that cannot be planned now does not hold up the others, nor the dispatch
        of what is planned already: it is tried again next tick, and this tick's failures are
        one log line (their organisations and kinds of error, nothing they hold).
        """
        org_ids = list(await self._tasks.organisations_with_tasks())
        planned = 0
        failed: dict[int, str] = {}  # organisation: the kind of error
        for start in range(0, len(org_ids), PLANNING):
            turn = org_ids[start : start + PLANNING]
            outcomes = await asyncio.gather(*map(self.plan, turn), return_exceptions=True)
            for org_id, outcome in zip(turn, outcomes, strict=True):
                if isinstance(outcome, int):
                    planned += outcome
                elif isinstance(outcome, Exception):
                    failed[org_id] = type(outcome).__name__
                else:
                    raise outcome  # cancelled: the tick stops
        if failed:
            shown = [f"{org_id} ({error})" for org_id, error in list(failed.items())[:SHOWN]]
            log.warning(
                "%d of %d organisations could not be planned, trying again next tick: %s%s",
                len(failed),
                len(org_ids),
                ", ".join(shown),
                ", ..." if len(failed) > SHOWN else "",
            )
        return planned + await self.plan_reminders()

    async def plan_reminders(self) -> int:
        """Put the launched scans' reminders that are nearly due in the outbox.

        Planned first, marked second: a crash between the two plans them again, which the
        outbox's unique key turns into nothing.
        """
        if self._launches is None:
            return 0
        now = self._clock.now()
        reminders = await self._launches.reminders_to_plan(before=now + REMINDERS_AHEAD)
        by_scan: dict[tuple[int, int], list[ScanReminder]] = {}
        for reminder in reminders:
            by_scan.setdefault((reminder.org_id, reminder.scan_id), []).append(reminder)
        planned = 0
        for (org_id, scan_id), group in by_scan.items():
            org = await self._organisations.get(org_id)
            if org is None:
                continue
            nudges = [_reminder(reminder, org.settings.time_zone) for reminder in group]
            planned += await self._outbox.plan(org_id, nudges, now=now)
            respondents = [reminder.respondent for reminder in group]
            await self._launches.reminders_planned(org_id, scan_id, respondents, now=now)
        return planned

    async def plan(self, org_id: int) -> int:
        """Plan what every active task and this week's digest call for; returns how many new."""
        org = await self._organisations.get(org_id)
        if org is None:
            return 0
        now = self._clock.now()
        return await self._outbox.plan(org_id, await self._called_for(org, now), now=now)

    async def _called_for(self, org: Organisation, now: datetime) -> list[PlannedNudge]:
        """The nudges the organisation's tasks, digest and report call for at `now`."""
        settings = org.settings
        tasks = await self._tasks.active(org.id)
        marks = await self._tasks.marks(org.id, [task.id for task in tasks])
        wanted = {task.owner for task in tasks} | (
            {settings.manager} if settings.manager else set()
        )
        people = await self._people.many(org.id, sorted(wanted))

        def recipient(respondent: str) -> Recipient:
            person = people[respondent]
            return Recipient(respondent, person.zone or settings.time_zone, person.paused_until)

        manager = recipient(settings.manager) if settings.manager else None
        nudges = []
        if manager and tasks:
            report = monthly_report(now, manager, settings.respect)
            nudges += [digest(now, manager, settings.respect), report]
            if settings.report_channel:  # the same report, at the same time, for everyone there
                nudges.append(replace(report, recipient=settings.report_channel))
        for task in tasks:
            owner = recipient(task.owner)
            nudges += task_nudges(
                task,
                marks.get(task.id, {}),
                now=now,
                owner=owner,
                manager=manager or owner,
                respect=settings.respect,
                escalate_after=settings.escalate_after,
            )
        return nudges

    async def replan(self, org_id: int, before: OrgSettings) -> int:
        """Move the pending nudges to the organisation's new zone and calendar (changed from
        `before`'s), as if they were planned now: a nudge planning would call for again gets
        the time planning gives it now (so a follow-up stays a working day after its first
        nudge), or the first allowed time after the one it was due at when that is later (a
        snoozed nudge stays snoozed). Any other (a scan reminder, a handover) keeps its
        wall-clock time, moved to the first allowed time at or after it, and to the new zone
        when it was planned in the old one for someone whose own zone is unknown; people who
        said where they are stay there."""
        org = await self._organisations.get(org_id)
        if org is None:
            return 0
        settings = org.settings
        pending = await self._outbox.pending(org_id)
        people = await self._people.many(org_id, sorted({n.recipient for n in pending}))
        planned = {
            (nudge.recipient, nudge.kind, nudge.occurrence): nudge.deliver_at
            for nudge in await self._called_for(org, self._clock.now())
        }

        def move(nudge: Nudge) -> LocalTime:
            person = people.get(nudge.recipient)
            paused = person.paused_until if person is not None else None
            again = planned.get((nudge.recipient, nudge.kind, nudge.occurrence))
            if again is not None:
                # Never earlier than it was due: a snoozed or postponed nudge stays so.
                due = LocalTime.of(nudge.deliver_at.instant(), again.zone).at
                kept = LocalTime(
                    next_allowed(due, settings.respect, paused_until=paused), again.zone
                )
                return max(again, kept, key=LocalTime.instant)
            zone = nudge.deliver_at.zone
            if person is not None and person.zone is None and zone == before.time_zone:
                zone = settings.time_zone
            at = next_allowed(nudge.deliver_at.at, settings.respect, paused_until=paused)
            return LocalTime(at, zone)

        return await self._outbox.replan(org_id, move)


@dataclass(frozen=True)
class Sent:
    """What one run of the dispatcher did, for logs and tests."""

    sent: int = 0
    dropped: int = 0
    failed: int = 0
    postponed: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.dropped + self.failed + self.postponed


class Claims(Protocol):
    """The outbox's side of a dispatch that sends many at once: claims that outlast their lease
    while the sending goes on, and the weekly cap's counts read for many recipients at once."""

    async def renew(self, nudge_ids: Sequence[int], *, worker: str, now: datetime) -> set[int]:
        """Renew `worker`'s claims on these nudges as of `now`; the ids it still holds (a lapsed
        lease may have let another worker take one)."""
        ...

    async def sent_counts(
        self, org_id: int, recipients: Sequence[str], since: datetime
    ) -> dict[str, int]:
        """`Outbox.sent_since` for each of `recipients` (those sent none may be left out)."""
        ...


@dataclass
class _InHand:
    """What one dispatch holds: the nudges claimed and not yet settled, and those lost."""

    held: set[int] = field(default_factory=set)
    lost: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class _Loaded:
    """What a group of one organisation's nudges needs, read once for the group."""

    people: dict[str, Person]
    tasks: dict[int, Task]
    marks: dict[int, dict[datetime, Mark]]
    sent: dict[tuple[str, datetime], int] = field(default_factory=dict)
    """Capped nudges sent to a recipient since a week's start, kept up as the group sends."""
    languages: Mapping[str, Language] = field(default_factory=dict)
    """The language each recipient reads (the organisation's for those not listed)."""


@dataclass
class _Group:
    """A group of one organisation's nudges being settled: whom it is for, how many of its
    nudges are not settled yet, and whether that is AHEAD or fewer."""

    recipients: set[str]
    left: int
    nearly_done: asyncio.Event = field(default_factory=asyncio.Event)

    def may_follow(self, other: _Group) -> bool:
        """Whether this group may start while `other` is being settled."""
        return other.nearly_done.is_set() and self.recipients.isdisjoint(other.recipients)

    def settled_one(self) -> None:
        self.left -= 1
        if self.left <= AHEAD:
            self.nearly_done.set()


class Dispatcher:
    def __init__(
        self,
        *,
        organisations: OrganisationDirectory,
        tasks: TaskRepository,
        people: PeopleDirectory,
        outbox: Outbox,
        delivery: Delivery,
        clock: Clock,
        worker: str,
        lease: timedelta = LEASE,
        perceived: Perceived | None = None,
        languages_of: LanguagesOf | None = None,
        reporter: Reporter | None = None,
        launches: LaunchRepository | None = None,
        claims: Claims | None = None,
        alive: timedelta | None = None,
    ) -> None:
        """`alive`: other workers that claimed within it share the due organisations with
        this one (`Outbox.claim`); None claims all it can."""
        self._alive = alive
        self._launches = launches
        self._reporter = reporter
        self._perceived = perceived
        self._languages_of = languages_of
        self._lease = lease
        self._claims = claims
        self._organisations = organisations
        self._tasks = tasks
        self._people = people
        self._outbox = outbox
        self._delivery = delivery
        self._clock = clock
        self._worker = worker
        self._in_hand = _InHand()

    async def attend(self) -> None:
        """Tell the other workers this one dispatches too, before its first claim (with
        `alive`: they leave it its share of the organisations from their next claim on)."""
        if self._alive is not None:
            await self._outbox.attend(self._worker, now=self._clock.now())

    async def leave(self) -> None:
        """Tell the other workers this one stops (with `alive`): they take its share at once."""
        if self._alive is not None:
            await self._outbox.leave(self._worker)

    async def run(self, *, limit: int = BATCH, channel: str | None = None) -> Sent:
        """Claim the due nudges once (only `channel`'s when given) and settle them; the tally.

        The organisations are settled side by side, and within one the recipients: a chat that
        makes one workspace wait holds up that workspace's nudges only. An error in one
        organisation is raised once the others are done.
        """
        tally = Counter[str]()
        async with self._renewing():
            claimed = await self._claim(limit, channel)
            settled = await asyncio.gather(
                *(
                    self._settle_group(org_id, nudges, tally)
                    for org_id, nudges in _by_organisation(claimed).items()
                ),
                return_exceptions=True,
            )
        _raise_first(settled)
        return _sent(tally)

    async def dispatch(
        self,
        *,
        stop: asyncio.Event | None = None,
        claiming: timedelta | None = None,
        channel: str | None = None,
    ) -> Sent:
        """Claim and send until nothing is due and nothing is left in flight; the tally.

        Each organisation sends what it has claimed while new claims go on: an organisation
        that has taken its nudges in hand (emptied its queue) asks for more at once, a full
        claim is followed by the next, and otherwise the outbox is looked at every LOOK_AGAIN
        seconds; a claim that is not full is followed by the next CLAIM_GAP later at the
        soonest. So a workspace that sends slowly (its chat's rate limit) holds up no other,
        and its claims are renewed while it sends (with `claims`), so none lapses mid-way.
        From `stop` on, or once it has been `claiming` for that long, nothing more is claimed;
        what was claimed is settled.
        """
        tally = Counter[str]()
        queues: dict[int, list[Nudge]] = {}
        arrived: dict[int, asyncio.Event] = {}
        senders: dict[int, asyncio.Task[None]] = {}
        done: list[asyncio.Task[None]] = []
        wanted = asyncio.Event()
        loop = asyncio.get_running_loop()
        until = None if claiming is None else loop.time() + claiming.total_seconds()
        async with self._renewing():
            while (stop is None or not stop.is_set()) and (until is None or loop.time() < until):
                claimed_at = loop.time()
                claimed = await self._claim(CLAIM, channel)
                for org_id, nudges in _by_organisation(claimed).items():
                    queues.setdefault(org_id, []).extend(nudges)
                    arrived.setdefault(org_id, asyncio.Event()).set()
                    if org_id not in senders or senders[org_id].done():
                        senders[org_id] = asyncio.create_task(
                            self._drain(org_id, queues, tally, wanted, arrived[org_id])
                        )
                if len(claimed) >= CLAIM:
                    continue
                done += [task for task in senders.values() if task.done()]
                senders = {org: task for org, task in senders.items() if not task.done()}
                if not claimed and not senders:
                    break
                wanted.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wanted.wait(), LOOK_AGAIN.total_seconds())
                await asyncio.sleep(claimed_at + CLAIM_GAP.total_seconds() - loop.time())
            settled = await asyncio.gather(*done, *senders.values(), return_exceptions=True)
        _raise_first(settled)
        return _sent(tally)

    async def _claim(self, limit: int, channel: str | None) -> list[Nudge]:
        claimed = await self._outbox.claim(
            now=self._clock.now(),
            worker=self._worker,
            limit=limit,
            lease=self._lease,
            channel=channel,
            alive=self._alive,
        )
        # A claim of ours whose lease ran out (a renewal came late) is claimed again by us:
        # it is still being settled, and must not be settled twice.
        claimed = [nudge for nudge in claimed if nudge.id not in self._in_hand.held]
        self._in_hand.held.update(nudge.id for nudge in claimed)
        return claimed

    @contextlib.asynccontextmanager
    async def _renewing(self) -> AsyncIterator[None]:
        """Renew the claims held every third of the lease, while the body runs."""
        if self._claims is None:
            yield
            return
        renewing = asyncio.create_task(self._renew_every(self._lease / 3, self._claims))
        try:
            yield
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    async def _renew_every(self, every: timedelta, claims: Claims) -> None:
        while True:
            await asyncio.sleep(every.total_seconds())
            held = sorted(self._in_hand.held)
            if not held:
                continue
            try:
                kept = await claims.renew(held, worker=self._worker, now=self._clock.now())
            except StorageError as error:  # tried again in a moment, well within the lease
                log.warning("claimed nudges could not be renewed: %s", error)
                continue
            lost = (set(held) - kept) & self._in_hand.held  # not those settled meanwhile
            if lost:
                log.warning("%d claimed nudges were taken over by another worker", len(lost))
                self._in_hand.lost |= lost

    async def _drain(
        self,
        org_id: int,
        queues: dict[int, list[Nudge]],
        tally: Counter[str],
        wanted: asyncio.Event,
        arrived: asyncio.Event,
    ) -> None:
        """Settle an organisation's queue, group by group, until it is empty; each group taken
        in hand asks the dispatcher for more, so the next is claimed while this one sends.

        The next group starts while the last ones still send, once they have at most AHEAD
        nudges left (`arrived` says when the queue grew): its reads are made and its nudges
        wait at the workspace's rate limit behind the last ones, so no gap opens between
        groups, and a workspace starting its first group is not held up by the others'
        later ones. A group that shares a recipient with one being sent waits for it, so each
        recipient's nudges stay in order, and so does their weekly cap (each group counts
        what it sends)."""
        sending: dict[asyncio.Future[None], _Group] = {}
        try:
            while queues.get(org_id) or sending:
                nudges = queues.get(org_id) or []
                group = _Group({nudge.recipient for nudge in nudges}, len(nudges))
                if nudges and all(group.may_follow(other) for other in sending.values()):
                    queues[org_id] = []
                    wanted.set()
                    settling = self._settle_group(org_id, nudges, tally, group)
                    sending[asyncio.ensure_future(settling)] = group
                    continue
                arrived.clear()
                woken: list[asyncio.Future[Any]] = [asyncio.ensure_future(arrived.wait())]
                woken += [
                    asyncio.ensure_future(other.nearly_done.wait())
                    for other in sending.values()
                    if not other.nearly_done.is_set()
                ]
                try:
                    await asyncio.wait([*sending, *woken], return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for waiter in woken:
                        waiter.cancel()
                for settled in [future for future in sending if future.done()]:
                    del sending[settled]
                    settled.result()  # an error ends the drain, once the others are settled
        finally:
            _raise_first(await asyncio.gather(*sending, return_exceptions=True))
            for nudge in queues.pop(org_id, []):
                self._in_hand.held.discard(nudge.id)  # left to its lease: a worker takes it again
            wanted.set()

    async def _settle_group(
        self, org_id: int, nudges: list[Nudge], tally: Counter[str], group: _Group | None = None
    ) -> None:
        """One organisation's nudges: its recipients side by side, each recipient's one after
        the other (their weekly cap holds), everything they need read once for the group."""
        group = group or _Group({nudge.recipient for nudge in nudges}, len(nudges))
        preparing = asyncio.ensure_future(self._delivery.prepare(nudges))
        try:
            org = await self._organisations.get(org_id)
            loaded = await self._load(org, nudges)
            await preparing
            per_recipient: dict[str, list[Nudge]] = {}
            for nudge in nudges:
                per_recipient.setdefault(nudge.recipient, []).append(nudge)

            turns = asyncio.Semaphore(SETTLING)

            async def settle_in_order(theirs: list[Nudge]) -> None:
                for nudge in theirs:
                    if nudge.id not in self._in_hand.lost:  # else another worker has it now
                        async with turns:
                            tally[await self._settle(nudge, org, loaded)] += 1
                        self._in_hand.held.discard(nudge.id)
                    group.settled_one()

            settled = await asyncio.gather(
                *(settle_in_order(theirs) for theirs in per_recipient.values()),
                return_exceptions=True,
            )
            _raise_first(settled)
        finally:
            preparing.cancel()  # when the reads failed
            group.nearly_done.set()
            for nudge in nudges:
                self._in_hand.held.discard(nudge.id)
                self._in_hand.lost.discard(nudge.id)

    async def _load(self, org: Organisation | None, nudges: list[Nudge]) -> _Loaded:
        """The group's reads, side by side: each waits for the event loop once, where one
        after the other they waited in turn, and a busy loop made a group's start late."""
        if org is None:
            return _Loaded({}, {}, {})
        recipients = sorted({nudge.recipient for nudge in nudges})
        wanted = sorted({nudge.task_id for nudge in nudges if nudge.task_id is not None})
        capped: dict[datetime, set[str]] = {}  # with `claims`: each week's capped recipients
        if self._claims is not None:
            now = self._clock.now()
            for nudge in (nudge for nudge in nudges if nudge.kind.capped):
                since = _week_start(now, nudge.deliver_at.zone)
                capped.setdefault(since, set()).add(nudge.recipient)
        people, active, marks, languages, counts = await asyncio.gather(
            self._people.many(org.id, recipients),
            self._tasks.active(org.id) if wanted else _nothing(list[Task]()),
            self._tasks.marks(org.id, wanted) if wanted else _nothing({}),
            self._languages_of(org, recipients) if self._languages_of else _nothing({}),
            self._sent_counts(org.id, capped),
        )
        tasks = {task.id: task for task in active if task.id in wanted}
        marks = {task_id: marks[task_id] for task_id in tasks if task_id in marks}
        loaded = _Loaded(people, tasks, marks, languages=languages)
        for (since, theirs), sent in zip(capped.items(), counts, strict=True):
            loaded.sent.update(((r, since), sent.get(r, 0)) for r in theirs)
        return loaded

    async def _sent_counts(
        self, org_id: int, capped: Mapping[datetime, set[str]]
    ) -> list[dict[str, int]]:
        """For each week's start in `capped`, the capped nudges its recipients were sent since."""
        claims = self._claims
        if claims is None:
            return [{} for _ in capped]
        return await asyncio.gather(
            *(claims.sent_counts(org_id, sorted(theirs), since) for since, theirs in capped.items())
        )

    async def _settle(self, nudge: Nudge, org: Organisation | None, loaded: _Loaded) -> str:
        now = self._clock.now()
        if org is None:
            return await self._finish(nudge, DROPPED, "the organisation is gone")
        if now >= nudge.stale_at.instant():
            return await self._finish(nudge, DROPPED, "stale: too late to be useful")
        person = loaded.people.get(nudge.recipient) or await self._people.get(
            org.id, nudge.recipient
        )
        if person.unreachable is not None:
            return await self._finish(nudge, FAILED, f"unreachable: {person.unreachable}")
        local = LocalTime.of(now, nudge.deliver_at.zone)
        allowed = next_allowed(local.at, org.settings.respect, paused_until=person.paused_until)
        if allowed > local.at:  # not tried: its next claim need not ask whether it arrived
            await self._outbox.release(nudge.id, LocalTime(allowed, local.zone))
            return "postponed"
        reply = await self._compose(org, nudge, now, loaded)
        if reply is None:
            return await self._finish(nudge, DROPPED, "no longer needed")
        if nudge.kind.capped:
            counted = (nudge.recipient, _week_start(now, local.zone))
            sent = loaded.sent.get(counted)
            if sent is None:
                sent = await self._outbox.sent_since(org.id, nudge.recipient, counted[1])
            if sent >= org.settings.respect.weekly_cap:
                return await self._finish(nudge, DROPPED, "weekly cap reached")
            outcome = await self._send(nudge, reply, loaded)
            if outcome == SENT and counted in loaded.sent:
                loaded.sent[counted] += 1
            return outcome
        return await self._send(nudge, reply, loaded)

    async def _send(self, nudge: Nudge, reply: Reply, loaded: _Loaded) -> str:
        try:
            if nudge.attempts > 1 and await self._delivery.delivered(nudge):
                return await self._finish(nudge, SENT, "delivered before a restart")
            await self._delivery.deliver(nudge, reply)
        except DeliveryFailed as refused:
            if refused.failure.transient:
                return await self._unavailable(nudge, refused)
            now = self._clock.now()
            await self._people.set_unreachable(
                nudge.org_id, nudge.recipient, refused.failure, now=now
            )
            loaded.people.pop(nudge.recipient, None)  # read again for their next nudge
            return await self._failed(nudge, refused)
        except StorageError:
            raise
        except Exception as error:  # a transient channel failure: try again a little later
            log.warning("a nudge could not be sent, retrying later: %s", type(error).__name__)
            later = LocalTime.of(self._clock.now() + RETRY_AFTER, nudge.deliver_at.zone)
            await self._outbox.postpone(nudge.id, later)
            return "postponed"
        return await self._finish(nudge, SENT, None)

    async def _unavailable(self, nudge: Nudge, refused: DeliveryFailed) -> str:
        if nudge.attempts >= UNAVAILABLE_ATTEMPTS:
            return await self._failed(nudge, refused)
        wait = RETRY_AFTER * max(nudge.attempts, 1)
        log.warning("a nudge's channel was unavailable, retrying in %s: %s", wait, refused.reason)
        later = LocalTime.of(self._clock.now() + wait, nudge.deliver_at.zone)
        await self._outbox.postpone(nudge.id, later)
        return "postponed"

    async def _failed(self, nudge: Nudge, refused: DeliveryFailed) -> str:
        if nudge.kind is NudgeKind.SCAN_REMINDER and self._launches is not None:
            # The scan's status lists whom its messages did not reach, and why.
            await self._launches.mark_failed(
                nudge.org_id, _scan_of(nudge), nudge.recipient, failure=refused.failure
            )
        return await self._finish(nudge, FAILED, refused.reason)

    async def _compose(
        self, org: Organisation, nudge: Nudge, now: datetime, loaded: _Loaded
    ) -> Reply | None:
        language = loaded.languages.get(nudge.recipient, org.settings.language)
        if nudge.kind is NudgeKind.REPORT:
            if self._reporter is None:
                return None
            month = nudge.occurrence
            return (
                Paragraph(phrases.REPORT_READY(language).format(month=month)),
                File(
                    f"report-{month}.png",
                    phrases.REPORT_FILE_TITLE(language).format(month=month),
                    await self._reporter(org, language),
                ),
            )
        if nudge.kind is NudgeKind.DIGEST:
            return nudge_views.digest(await self._digest(org, now), language)
        if nudge.kind is NudgeKind.SCAN_REMINDER:
            return await self._scan_reminder(org, nudge, language)
        if nudge.task_id is None:
            return None
        task = loaded.tasks.get(nudge.task_id)
        if task is not None:
            marks = loaded.marks.get(task.id, {})
        else:  # retired, or gone: read on its own
            task = await self._tasks.get(org.id, nudge.task_id)
            if task is None:
                return None
            marks = (await self._tasks.marks(org.id, [task.id])).get(task.id, {})
        local_now = LocalTime.of(now, task.zone).at
        if nudge.kind is NudgeKind.HANDOVER:
            # Only while it is still theirs: a task reassigned again since needs no word.
            return nudge_views.handover(task, language) if task.owner == nudge.recipient else None
        if nudge.kind is NudgeKind.ESCALATION:
            missed = missed_in_a_row(task, marks, local_now.date())
            return nudge_views.escalation(task, missed, language) if missed else None
        occurrence = current(task, marks, local_now)
        if occurrence is None or f"{occurrence:%Y-%m-%dT%H:%M}" not in nudge.occurrence:
            return None
        if nudge.recipient != task.owner:
            return None
        return nudge_views.task_nudge(task, occurrence, nudge.kind, language)

    async def _scan_reminder(
        self, org: Organisation, nudge: Nudge, language: Language
    ) -> Reply | None:
        if self._launches is None:
            return None
        launch = await self._launches.still_invited(org.id, _scan_of(nudge), nudge.recipient)
        if launch is None:
            return None
        closes = (
            f"{LocalTime.of(launch.deadline, nudge.deliver_at.zone).at:%Y-%m-%d %H:%M}"
            if launch.deadline
            else ""
        )
        go_on = Button(
            phrases.BUTTON_SCAN(language),
            CommandInvoked(Command.SCAN),
            phrases.TYPED_SCAN(language),
        )
        return (Paragraph(phrases.REMINDER(language).format(deadline=closes)), Actions((go_on,)))

    async def _digest(self, org: Organisation, now: datetime) -> nudge_views.Digest:
        """The week so far, in the organisation's zone: due, overdue, done, consistency."""
        local_now = LocalTime.of(now, org.settings.time_zone).at
        monday = datetime.combine(monday_of(local_now.date()), datetime.min.time())
        tasks = await self._tasks.active(org.id)
        marks = await self._tasks.marks(org.id, [task.id for task in tasks])
        due, overdue, done = [], [], []
        for task in tasks:
            done_marks = marks.get(task.id, {})
            for occurrence in task.due_between(monday - timedelta(days=7), monday):
                if is_on_time(done_marks.get(occurrence)):
                    done.append(nudge_views.DueLine(task, occurrence))
            open_now = current(task, done_marks, local_now)
            if open_now is not None and open_now < local_now:
                overdue.append(nudge_views.DueLine(task, open_now))
            for occurrence in task.due_between(local_now, monday + timedelta(days=7)):
                due.append(nudge_views.DueLine(task, occurrence))
        today = local_now.date()
        per_task = [
            consistency(task, marks.get(task.id, {}), today, weeks)
            for task in tasks
            for weeks in CONSISTENCY_WEEKS
        ]
        unreachable = await self._people.unreachable(org.id)
        result = await self._perceived(org) if self._perceived else None
        posting = [
            consistency(task, marks.get(task.id, {}), today, WEEKS)
            for task in tasks
            if task.kind is TaskKind.POST
        ]
        return nudge_views.Digest(
            week_of(today),
            tuple(sorted(due, key=lambda line: line.due)),
            tuple(overdue),
            tuple(done),
            team_consistency(per_task, CONSISTENCY_WEEKS[0]),
            team_consistency(per_task, CONSISTENCY_WEEKS[1]),
            tuple(person.respondent for person in unreachable),
            posting_check(result, posting) if result is not None else None,
        )

    async def _finish(self, nudge: Nudge, status: str, outcome: str | None) -> str:
        await self._outbox.finish(nudge.id, status=status, outcome=outcome, now=self._clock.now())
        return status


async def _nothing(value: V) -> V:
    """`value`, for a read a group does not need, in its place among those it does."""
    return value


def _week_start(now: datetime, zone: str) -> datetime:
    """The instant the week of `now` began (Monday, midnight) in `zone`: the cap's week.

    Asked for every nudge settled, and the same for all of a minute: every zone's midnight
    falls on a whole minute, so the minute decides the week. Worked out each time, the zone
    conversions were a twentieth of a busy dispatch's time."""
    return _week_started(now.replace(second=0, microsecond=0), zone)


@functools.lru_cache(maxsize=1024)
def _week_started(minute: datetime, zone: str) -> datetime:
    local = LocalTime.of(minute, zone)
    monday = datetime.combine(monday_of(local.at.date()), datetime.min.time())
    return LocalTime(monday, zone).instant()


def _by_organisation(nudges: list[Nudge]) -> dict[int, list[Nudge]]:
    per_organisation: dict[int, list[Nudge]] = {}
    for nudge in nudges:
        per_organisation.setdefault(nudge.org_id, []).append(nudge)
    return per_organisation


def _raise_first(outcomes: Sequence[object]) -> None:
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome


def _sent(tally: Counter[str]) -> Sent:
    return Sent(tally[SENT], tally[DROPPED], tally[FAILED], tally["postponed"])


def _reminder(reminder: ScanReminder, fallback_zone: str) -> PlannedNudge:
    zone = reminder.time_zone or fallback_zone
    stale = reminder.deadline or reminder.remind_at + REMINDER_STALE
    return PlannedNudge(
        reminder.respondent,
        NudgeKind.SCAN_REMINDER,
        f"scan:{reminder.scan_id}",
        LocalTime.of(reminder.remind_at, zone),
        LocalTime.of(stale, zone),
    )


def _scan_of(nudge: Nudge) -> int:
    """The scan a reminder is for, from its occurrence key ``scan:<id>``."""
    return int(nudge.occurrence.removeprefix("scan:"))
