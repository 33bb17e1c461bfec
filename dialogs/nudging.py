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
  next claim asks the channel whether it was delivered before sending again.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

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
from dialogs.records import Nudge, Organisation, OrgSettings, ScanReminder
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
RETRY_AFTER = timedelta(minutes=5)
UNAVAILABLE_ATTEMPTS = 8
"""Attempts at a nudge its channel was unavailable for, 5, 10, ... 35 minutes apart (about two
hours and twenty minutes in all), before it fails."""
REMINDERS_AHEAD = timedelta(hours=1)
"""Scan reminders are planned this long before they are due (not all at launch)."""
REMINDER_STALE = timedelta(days=7)
"""A reminder for a scan without a deadline is stale this long after its time."""
SENT, DROPPED, FAILED = "sent", "dropped", "failed"


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
LanguageOf = Callable[[Organisation, str], Awaitable[Language]]
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
        planned = 0
        for org_id in await self._tasks.organisations_with_tasks():
            planned += await self.plan(org_id)
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
        language_of: LanguageOf | None = None,
        reporter: Reporter | None = None,
        launches: LaunchRepository | None = None,
    ) -> None:
        self._launches = launches
        self._reporter = reporter
        self._perceived = perceived
        self._language_of = language_of
        self._lease = lease
        self._organisations = organisations
        self._tasks = tasks
        self._people = people
        self._outbox = outbox
        self._delivery = delivery
        self._clock = clock
        self._worker = worker

    async def run(self, *, limit: int = BATCH, channel: str | None = None) -> Sent:
        """Claim the due nudges (only `channel`'s when given) and settle them; the tally.

        Each organisation's nudges are settled in order, and the organisations side by side:
        a chat that makes one workspace wait (Slack's Retry-After is slept out inside the send)
        holds up that organisation's nudges only. An error in one organisation is raised once
        the others are done.
        """
        claimed = await self._outbox.claim(
            now=self._clock.now(),
            worker=self._worker,
            limit=limit,
            lease=self._lease,
            channel=channel,
        )
        per_organisation: dict[int, list[Nudge]] = {}
        for nudge in claimed:
            per_organisation.setdefault(nudge.org_id, []).append(nudge)
        settled = await asyncio.gather(
            *(self._settle_all(org_id, nudges) for org_id, nudges in per_organisation.items()),
            return_exceptions=True,
        )
        tally = Counter[str]()
        for outcome in settled:
            if isinstance(outcome, BaseException):
                raise outcome
            tally.update(outcome)
        return Sent(tally[SENT], tally[DROPPED], tally[FAILED], tally["postponed"])

    async def _settle_all(self, org_id: int, nudges: list[Nudge]) -> list[str]:
        """One organisation's nudges, one after the other: its cap and its chat's limits hold."""
        org = await self._organisations.get(org_id)
        return [await self._settle(nudge, org) for nudge in nudges]

    async def _settle(self, nudge: Nudge, org: Organisation | None) -> str:
        now = self._clock.now()
        if org is None:
            return await self._finish(nudge, DROPPED, "the organisation is gone")
        if now >= nudge.stale_at.instant():
            return await self._finish(nudge, DROPPED, "stale: too late to be useful")
        person = await self._people.get(org.id, nudge.recipient)
        if person.unreachable is not None:
            return await self._finish(nudge, FAILED, f"unreachable: {person.unreachable}")
        local = LocalTime.of(now, nudge.deliver_at.zone)
        allowed = next_allowed(local.at, org.settings.respect, paused_until=person.paused_until)
        if allowed > local.at:
            await self._outbox.postpone(nudge.id, LocalTime(allowed, local.zone))
            return "postponed"
        reply = await self._compose(org, nudge, now)
        if reply is None:
            return await self._finish(nudge, DROPPED, "no longer needed")
        if nudge.kind.capped:
            week = LocalTime(
                datetime.combine(monday_of(local.at.date()), datetime.min.time()), local.zone
            )
            sent = await self._outbox.sent_since(org.id, nudge.recipient, week.instant())
            if sent >= org.settings.respect.weekly_cap:
                return await self._finish(nudge, DROPPED, "weekly cap reached")
        return await self._send(nudge, reply)

    async def _send(self, nudge: Nudge, reply: Reply) -> str:
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

    async def _compose(self, org: Organisation, nudge: Nudge, now: datetime) -> Reply | None:
        language = (
            await self._language_of(org, nudge.recipient)
            if self._language_of
            else org.settings.language
        )
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
