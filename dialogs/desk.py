"""The project team's desk in chat: adopt the plan, list tasks, mark them, snooze, pause, log.

Business rules:
- Whoever adopts the plan owns every task at first and becomes the project manager if the
  organisation has none; one-off steps fall due a week apart, always-on tasks at 10:00 on
  their cadence, starting tomorrow, in the adopter's zone.
- A task is marked by its owner or the project manager; each occurrence is marked once.
- A number that is none of the organisation's tasks (0, negative, or however large) says there
  is no such task and changes nothing, for every task command and button.
- Skipping needs a reason. Snoozing moves the task's reminders to the next working morning.
- Figures are for the last full week (Monday to Sunday) in the organisation's zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from dialogs import phrases
from dialogs.audit import AuditLog
from dialogs.events import Command, ConversationKey, TaskAction
from dialogs.messages import Bullets, Heading, Paragraph, Reply, mention
from dialogs.ports import (
    Clock,
    KpiRepository,
    OrganisationDirectory,
    Outbox,
    PeopleDirectory,
    TaskRepository,
)
from dialogs.records import NewTask, Organisation
from engine.crosscheck import WEEKS
from engine.kpi import KpiEntry
from engine.plan import Plan
from engine.recurrence import LocalTime
from engine.respect import monday_of, next_allowed
from engine.tasks import Consistency, Mark, Outcome, Task, consistency, current
from engine.vocabulary import Language, TaskKind

DUE_TIME = time(10, 0)
LARGEST_ID = 2**31 - 1
"""The largest id every database holds (PostgreSQL's integer): a larger number is no one's task,
and handing it to a driver overflows (SQLite's at 2**63)."""
_LONGEST_NUMBER = 24
"""Digits: a longer typed number is no task and no plan item, and is shown cut short."""


@dataclass(frozen=True)
class _Found:
    task: Task
    rest: str
    """The words after the task's number: a note, a reason, a new owner."""


class Desk:
    def __init__(
        self,
        *,
        organisations: OrganisationDirectory,
        tasks: TaskRepository,
        kpis: KpiRepository,
        people: PeopleDirectory,
        outbox: Outbox,
        clock: Clock,
        audit: AuditLog | None = None,
    ) -> None:
        self._audit = audit
        self._organisations = organisations
        self._tasks = tasks
        self._kpis = kpis
        self._people = people
        self._outbox = outbox
        self._clock = clock

    async def adopt(
        self, key: ConversationKey, plan: Plan, language: Language, chosen: str = ""
    ) -> Reply:
        """Adopt the plan's items numbered in `chosen` ("1,3", "2-4"), or all when it is empty;
        items adopted before are left as they are, so adopting more later adds to them."""
        numbers = _numbers(chosen, len(plan.steps) + len(plan.tasks))
        if numbers is None:
            total = len(plan.steps) + len(plan.tasks)
            return (Paragraph(phrases.ADOPT_WHICH(language).format(total=total)),)
        org = await self._org(key.org_id)
        adopted = {task.key for task in await self._tasks.active(org.id)}
        steps = [
            step
            for number, step in enumerate(plan.steps, start=1)
            if (not numbers or number in numbers) and step.id not in adopted
        ]
        tasks = [
            planned
            for number, planned in enumerate(plan.tasks, start=len(plan.steps) + 1)
            if (not numbers or number in numbers) and planned.template.id not in adopted
        ]
        if not steps and not tasks:
            return (Paragraph(phrases.ALREADY_ADOPTED(language)),)
        zone = await self._zone(org, key.respondent)
        today = LocalTime.of(self._clock.now(), zone).date()
        tomorrow = datetime.combine(today + timedelta(days=1), DUE_TIME)
        new = [
            NewTask(
                step.id,
                TaskKind.STEP,
                step.title,
                key.respondent,
                None,
                datetime.combine(today + timedelta(weeks=number), DUE_TIME),
                zone,
            )
            for number, step in enumerate(steps, start=1)
        ] + [
            NewTask(
                planned.template.id,
                planned.template.kind,
                planned.template.title,
                key.respondent,
                planned.cadence.rule,
                tomorrow,
                zone,
            )
            for planned in tasks
        ]
        await self._tasks.adopt(org.id, new, by=key.respondent, now=self._clock.now())
        if org.settings.manager is None:
            settings = replace(org.settings, manager=key.respondent)
            await self._organisations.update_settings(org.id, settings)
        said = phrases.ADOPTED(language).format(
            steps=phrases.ADOPTED_STEPS(language, len(steps)),
            tasks=phrases.ADOPTED_TASKS(language, len(tasks)),
        )
        return (Paragraph(said),)

    async def list_tasks(self, key: ConversationKey, language: Language) -> Reply:
        org = await self._org(key.org_id)
        manager = org.settings.manager == key.respondent
        tasks = await self._tasks.active(org.id, owner=None if manager else key.respondent)
        if not tasks:
            return (Paragraph(phrases.TASKS_NONE(language)),)
        marks = await self._tasks.marks(org.id, [task.id for task in tasks])
        lines = []
        for task in tasks:
            local_now = LocalTime.of(self._clock.now(), task.zone).at
            due = current(task, marks.get(task.id, {}), local_now)
            owner = mention(task.owner)
            title = task.title(language)
            lines.append(
                phrases.TASK_LINE(language).format(
                    id=task.id, title=title, due=f"{due:%Y-%m-%d %H:%M}", owner=owner
                )
                if due is not None
                else phrases.TASK_LINE_DONE(language).format(id=task.id, title=title)
            )
        return (Heading(phrases.TASKS_TITLE(language)), Bullets(tuple(lines)))

    async def posting(self, org_id: int) -> list[Consistency]:
        """The posting tasks' record over the cross-check's weeks."""
        tasks = [task for task in await self._tasks.active(org_id) if task.kind is TaskKind.POST]
        marks = await self._tasks.marks(org_id, [task.id for task in tasks])
        return [
            consistency(
                task,
                marks.get(task.id, {}),
                LocalTime.of(self._clock.now(), task.zone).date(),
                WEEKS,
            )
            for task in tasks
        ]

    async def mark(
        self, key: ConversationKey, argument: str, outcome: Outcome, language: Language
    ) -> Reply:
        org = await self._org(key.org_id)
        found = await self._task(org, key, argument, language)
        if not isinstance(found, _Found):
            return found
        if outcome is Outcome.SKIPPED and not found.rest:
            return (Paragraph(phrases.SKIP_NEEDS_REASON(language)),)
        return await self._mark(org, key, found, None, outcome, language)

    async def act(self, key: ConversationKey, action: TaskAction, language: Language) -> Reply:
        """A click on a nudge's button: done for the occurrence it was sent for, or snooze."""
        if action.command is Command.SNOOZE:
            return await self.snooze(key, str(action.task_id), language)
        org = await self._org(key.org_id)
        found = await self._task(org, key, str(action.task_id), language)
        if not isinstance(found, _Found):
            return found
        return await self._mark(org, key, found, action.occurrence, Outcome.DONE, language)

    async def _mark(
        self,
        org: Organisation,
        key: ConversationKey,
        found: _Found,
        occurrence: datetime | None,
        outcome: Outcome,
        language: Language,
    ) -> Reply:
        """Mark `occurrence`, or the one the owner should act on now when it is None."""
        task = found.task
        local_now = LocalTime.of(self._clock.now(), task.zone).at
        marks = (await self._tasks.marks(org.id, [task.id])).get(task.id, {})
        if occurrence is None:
            occurrence = current(task, marks, local_now)
            if occurrence is None:
                return (Paragraph(phrases.NOTHING_OPEN(language).format(id=task.id)),)
        elif task.next_after(occurrence - timedelta(minutes=1)) != occurrence:
            return (Paragraph(phrases.NOTHING_OPEN(language).format(id=task.id)),)
        mark = Mark(occurrence, outcome, local_now, found.rest)
        if occurrence in marks or not await self._tasks.mark(
            org.id, task.id, mark, by=key.respondent
        ):
            return (Paragraph(phrases.ALREADY_MARKED(language)),)
        said = phrases.MARKED_DONE if outcome is Outcome.DONE else phrases.MARKED_SKIPPED
        return (Paragraph(said(language).format(id=task.id, title=task.title(language))),)

    async def snooze(self, key: ConversationKey, argument: str, language: Language) -> Reply:
        org = await self._org(key.org_id)
        found = await self._task(org, key, argument, language)
        if not isinstance(found, _Found):
            return found
        task = found.task
        zone = await self._zone(org, task.owner)
        local = LocalTime.of(self._clock.now(), zone).at
        morning = datetime.combine(
            local.date() + timedelta(days=1), org.settings.respect.day_starts
        )
        until = LocalTime(next_allowed(morning, org.settings.respect), zone)
        await self._outbox.snooze(org.id, task.id, until)
        return (
            Paragraph(
                phrases.SNOOZED(language).format(id=task.id, when=f"{until.at:%Y-%m-%d %H:%M}")
            ),
        )

    async def away(self, key: ConversationKey, argument: str, language: Language) -> Reply:
        words = argument.lower().split()
        if words in (["uit"], ["off"]):
            await self._people.pause(key.org_id, key.respondent, None)
            return (Paragraph(phrases.AWAY_OFF(language)),)
        try:
            until = date.fromisoformat(words[-1]) if words else None
        except ValueError:
            until = None
        if until is None:
            return (Paragraph(phrases.AWAY_HOW(language)),)
        await self._people.pause(key.org_id, key.respondent, until)
        return (Paragraph(phrases.AWAY_SET(language).format(until=until.isoformat())),)

    async def reassign(self, key: ConversationKey, argument: str, language: Language) -> Reply:
        org = await self._org(key.org_id)
        if org.settings.manager != key.respondent:
            return (Paragraph(phrases.MANAGERS_ONLY(language)),)
        found = await self._task(org, key, argument, language)
        if not isinstance(found, _Found):
            return found
        task, rest = found.task, found.rest
        if not rest:
            return (Paragraph(phrases.REASSIGN_HOW(language)),)
        owner = _person_named(rest.split()[0])
        respondent = f"{key.channel}:{owner}"
        await self._tasks.reassign(org.id, task.id, respondent)
        if self._audit is not None:
            detail = {"task": task.id}
            await self._audit.record(
                org.id, key.respondent, "reassign", detail, now=self._clock.now()
            )
        said = phrases.REASSIGNED(language).format(id=task.id, owner=mention(respondent))
        return (Paragraph(said),)

    async def reachable_again(self, key: ConversationKey) -> None:
        """Someone a channel refused wrote to us: they can be nudged again."""
        person = await self._people.get(key.org_id, key.respondent)
        if person.unreachable is not None:
            await self._people.set_unreachable(
                key.org_id, key.respondent, None, now=self._clock.now()
            )

    async def week_to_measure(self, org_id: int) -> tuple[date, date]:
        """The last full week, Monday to Sunday, in the organisation's zone."""
        org = await self._org(org_id)
        today = LocalTime.of(self._clock.now(), org.settings.time_zone).date()
        start = monday_of(today) - timedelta(weeks=1)
        return start, start + timedelta(days=6)

    async def recorded(self, org_id: int, start: date) -> KpiEntry | None:
        """The figures stored for the week starting on `start`, if any (to correct them)."""
        return next((e for e in await self._kpis.series(org_id) if e.start == start), None)

    async def record(self, key: ConversationKey, entry: KpiEntry) -> None:
        await self._kpis.record(key.org_id, entry, by=key.respondent, now=self._clock.now())

    async def _task(
        self, org: Organisation, key: ConversationKey, argument: str, language: Language
    ) -> _Found | Reply:
        number, _, rest = argument.strip().lstrip("#").partition(" ")
        task_id = _task_number(number)
        if task_id is None:
            return (Paragraph(phrases.WHICH_TASK(language)),)
        task = await self._tasks.get(org.id, task_id) if 0 < task_id <= LARGEST_ID else None
        if task is None:
            shown = number if len(number) <= _LONGEST_NUMBER else f"{number[:_LONGEST_NUMBER]}…"
            return (Paragraph(phrases.NO_SUCH_TASK(language).format(id=shown)),)
        if key.respondent not in (task.owner, org.settings.manager):
            return (Paragraph(phrases.NOT_YOUR_TASK(language).format(id=number)),)
        return _Found(task, rest.strip())

    async def _zone(self, org: Organisation, respondent: str) -> str:
        person = await self._people.get(org.id, respondent)
        return person.zone or org.settings.time_zone

    async def _org(self, org_id: int) -> Organisation:
        org = await self._organisations.get(org_id)
        if org is None:
            raise LookupError(f"no organisation with id {org_id}")
        return org


def rate_note(entry: KpiEntry, language: Language) -> str:
    rate = entry.engagement_rate
    if rate is None:
        return ""
    return phrases.MEASURE_RATE(language).format(rate=f"{rate:.1f}")


def _person_named(word: str) -> str:
    """A typed name, '@name', or a chat's mention markup such as ``<@U0123|ann>``, as an id."""
    mention = _MENTION.fullmatch(word)
    return mention.group(1) if mention else word.lstrip("@")


_MENTION = re.compile(r"<@([A-Za-z0-9]+)(?:\|[^>]*)?>")


def _task_number(typed: str) -> int | None:
    """A typed task number ("3", "+3", "-1", "007"), however large; None if it is no number.

    A number too long to be any id reads as 0, so it is refused like one, never converted."""
    if not _WHOLE_NUMBER.fullmatch(typed):
        return None
    return int(typed) if len(typed) <= _LONGEST_NUMBER else 0


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def _numbers(chosen: str, total: int) -> frozenset[int] | None:
    """The numbers in "1,3 5-7" (empty: none chosen, so all); None if any is off the list."""
    numbers: set[int] = set()
    for part in chosen.replace(",", " ").split():
        first, dash, last = part.partition("-")
        if not _is_list_number(first) or (dash and not _is_list_number(last)):
            return None
        low, high = int(first), int(last) if dash else int(first)
        if not 1 <= low <= high <= total:
            return None
        numbers.update(range(low, high + 1))
    return frozenset(numbers)


def _is_list_number(typed: str) -> bool:
    """Plain digits, short enough for a list (so never near int()'s digit limit)."""
    return typed.isascii() and typed.isdigit() and len(typed) <= _LONGEST_NUMBER
