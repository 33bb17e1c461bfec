"""Adopted tasks and their marks, KPI entries, people and the terminal inbox."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import literal, select, update
from sqlalchemy.engine import Row
from sqlalchemy.sql.expression import Executable

from dialogs.delivery import Undeliverable
from dialogs.records import NewTask, Person
from engine.kpi import KpiEntry, Metric
from engine.tasks import Mark, Outcome, Task
from engine.text import Text
from engine.vocabulary import TaskKind
from storage.db import Database
from storage.models import InboxRow, KpiEntryRow, PersonRow, TaskMarkRow, TaskRow
from storage.together import Together

MarksOf = dict[int, dict[datetime, Mark]]


class SqlaTaskRepository:
    """Tasks and marks, every statement scoped by organisation (`TaskRepository`).

    The active tasks and the marks that many organisations ask for at once (a dispatch's
    groups) are read together (`Together`)."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._active = Together(self._active_of)
        self._marks = Together(self._marks_of)

    async def adopt(
        self, org_id: int, tasks: Sequence[NewTask], *, by: str, now: datetime
    ) -> list[Task]:
        async with self._db.session() as session:
            rows = [
                TaskRow(
                    org_id=org_id,
                    key=task.key,
                    kind=task.kind.value,
                    title={"nl": task.title.nl, "en": task.title.en},
                    owner=task.owner,
                    rule=task.rule,
                    start=task.start,
                    zone=task.zone,
                    adopted_by=by,
                    adopted_at=now,
                )
                for task in tasks
            ]
            session.add_all(rows)
            await session.flush()
            return [_task(row) for row in rows]

    async def active(self, org_id: int, *, owner: str | None = None) -> list[Task]:
        if owner is None:  # read for every group of nudges sent
            return await self._active(org_id)
        query = select(TaskRow).where(
            TaskRow.org_id == org_id, TaskRow.retired_at.is_(None), TaskRow.owner == owner
        )
        async with self._db.reading() as connection:
            return [_task(row) for row in await connection.execute(query.order_by(TaskRow.id))]

    async def get(self, org_id: int, task_id: int) -> Task | None:
        async with self._db.reading() as connection:
            found = await connection.execute(
                select(TaskRow).where(TaskRow.org_id == org_id, TaskRow.id == task_id)
            )
            row = found.first()
            return None if row is None else _task(row)

    async def marks(self, org_id: int, task_ids: Sequence[int]) -> MarksOf:
        if not task_ids:
            return defaultdict(dict)
        return await self._marks((org_id, tuple(task_ids)))

    async def _active_of(self, org_ids: list[int]) -> list[list[Task]]:
        """`active` for each of `org_ids`, in one statement."""
        found: dict[int, list[Task]] = defaultdict(list)
        for row in await self._db.rows(_active_tasks, {"p_orgs": sorted(set(org_ids))}):
            found[row.org_id].append(_task(row))
        return [found.get(org_id, []) for org_id in org_ids]

    async def _marks_of(self, wanted: list[tuple[int, tuple[int, ...]]]) -> list[MarksOf]:
        """`marks` for each (organisation, its tasks) in `wanted`, in one statement."""
        values = {
            "p_orgs": sorted({org_id for org_id, _ in wanted}),
            "p_tasks": sorted({task_id for _, task_ids in wanted for task_id in task_ids}),
        }
        stored: dict[tuple[int, int], list[Mark]] = defaultdict(list)
        for row in await self._db.rows(_marks, values):
            mark = Mark(row.occurrence, Outcome(row.outcome), row.marked_at, row.note)
            stored[row.org_id, row.task_id].append(mark)
        answers = []
        for org_id, task_ids in wanted:
            found: MarksOf = defaultdict(dict)
            for task_id in task_ids:
                for mark in stored.get((org_id, task_id), ()):
                    found[task_id][mark.occurrence] = mark
            answers.append(found)
        return answers

    async def mark(self, org_id: int, task_id: int, mark: Mark, *, by: str) -> bool:
        statement = (
            self._db.insert(TaskMarkRow)
            .from_select(
                [
                    "org_id",
                    "task_id",
                    "occurrence",
                    "outcome",
                    "marked_at",
                    "note",
                    "marked_by",
                ],
                select(
                    TaskRow.org_id,
                    TaskRow.id,
                    literal(mark.occurrence),
                    literal(mark.outcome.value),
                    literal(mark.at),
                    literal(mark.note[:500]),
                    literal(by),
                ).where(TaskRow.org_id == org_id, TaskRow.id == task_id),
            )
            .on_conflict_do_nothing(index_elements=["task_id", "occurrence"])
        )
        async with self._db.session() as session:
            result = await session.execute(statement)
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def reassign(self, org_id: int, task_id: int, owner: str) -> None:
        async with self._db.session() as session:
            await session.execute(
                update(TaskRow)
                .where(TaskRow.org_id == org_id, TaskRow.id == task_id)
                .values(owner=owner)
            )

    async def organisations_with_tasks(self) -> list[int]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(TaskRow.org_id).where(TaskRow.retired_at.is_(None)).distinct()
            )
            return sorted(rows)


class SqlaKpiRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def record(self, org_id: int, entry: KpiEntry, *, by: str, now: datetime) -> None:
        figures = {metric.value: value for metric, value in entry.values.items()}
        statement = self._db.insert(KpiEntryRow).values(
            org_id=org_id,
            period_start=entry.start,
            period_end=entry.end,
            figures=figures,
            entered_by=by,
            entered_at=now,
        )
        async with self._db.session() as session:
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["org_id", "period_start", "period_end"],
                    set_={"figures": figures, "entered_by": by, "entered_at": now},
                )
            )

    async def series(self, org_id: int) -> list[KpiEntry]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(KpiEntryRow)
                .where(KpiEntryRow.org_id == org_id)
                .order_by(KpiEntryRow.period_start, KpiEntryRow.period_end)
            )
            return [
                KpiEntry(
                    row.period_start,
                    row.period_end,
                    {Metric(name): int(value) for name, value in row.figures.items()},
                )
                for row in rows
            ]


class SqlaPeopleDirectory:
    def __init__(self, database: Database) -> None:
        self._db = database
        self._many = Together(self._many_of)

    async def get(self, org_id: int, respondent: str) -> Person:
        async with self._db.session() as session:
            row = await session.get(PersonRow, (org_id, respondent))
            return Person(respondent) if row is None else _person(row)

    async def many(self, org_id: int, respondents: Sequence[str]) -> dict[str, Person]:
        found = {respondent: Person(respondent) for respondent in respondents}
        if found:  # many organisations' asked at once are read together
            found.update(await self._many((org_id, tuple(found))))
        return found

    async def _many_of(self, wanted: list[tuple[int, tuple[str, ...]]]) -> list[dict[str, Person]]:
        """The people stored of each (organisation, respondents) in `wanted`, in one statement."""
        values = {
            "p_orgs": sorted({org_id for org_id, _ in wanted}),
            "p_people": sorted({person for _, people in wanted for person in people}),
        }
        rows = await self._db.rows(_people, values)
        stored = {(row.org_id, row.respondent): row for row in rows}
        return [
            {person: _person(row) for person in people if (row := stored.get((org_id, person)))}
            for org_id, people in wanted
        ]

    async def unreachable(self, org_id: int) -> list[Person]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(PersonRow)
                .where(PersonRow.org_id == org_id, PersonRow.unreachable.is_not(None))
                .order_by(PersonRow.respondent)
            )
            return [_person(row) for row in rows]

    async def set_zone(self, org_id: int, respondent: str, zone: str) -> None:
        await self._upsert(org_id, respondent, zone=zone)

    async def pause(self, org_id: int, respondent: str, until: date | None) -> None:
        await self._upsert(org_id, respondent, paused_until=until)

    async def set_unreachable(
        self, org_id: int, respondent: str, failure: Undeliverable | None, *, now: datetime
    ) -> None:
        await self._upsert(
            org_id,
            respondent,
            unreachable=failure.value if failure else None,
            unreachable_since=now if failure else None,
        )

    async def _upsert(self, org_id: int, respondent: str, **values: object) -> None:
        statement = self._db.insert(PersonRow).values(
            org_id=org_id, respondent=respondent, **values
        )
        async with self._db.session() as session:
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["org_id", "respondent"], set_=values
                )
            )


class SqlaInbox:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def put(
        self, org_id: int, recipient: str, body: str, *, nudge_id: int | None, now: datetime
    ) -> bool:
        statement = self._db.insert(InboxRow).values(
            org_id=org_id, recipient=recipient, nudge_id=nudge_id, body=body, created_at=now
        )
        async with self._db.session() as session:
            result = await session.execute(
                statement.on_conflict_do_nothing(index_elements=["nudge_id"])
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def take(self, org_id: int, recipient: str, *, now: datetime) -> list[str]:
        async with self._db.session() as session:
            rows = (
                await session.execute(
                    update(InboxRow)
                    .where(
                        InboxRow.org_id == org_id,
                        InboxRow.recipient == recipient,
                        InboxRow.read_at.is_(None),
                    )
                    .values(read_at=now)
                    .returning(InboxRow.id, InboxRow.body)
                )
            ).all()
            return [body for _, body in sorted(rows)]


def _person(row: PersonRow | Row[Any]) -> Person:
    return Person(
        row.respondent,
        row.zone,
        row.paused_until,
        Undeliverable.read(row.unreachable) if row.unreachable else None,
    )


def _task(row: TaskRow | Row[Any]) -> Task:
    return Task(
        id=row.id,
        key=row.key,
        kind=TaskKind(row.kind),
        title=Text(nl=row.title["nl"], en=row.title["en"]),
        owner=row.owner,
        rule=row.rule,
        start=row.start,
        zone=row.zone,
    )


def _active_tasks(db: Database) -> Executable:
    """The active tasks of the organisations `p_orgs`."""
    return (
        select(TaskRow)
        .where(db.one_of(TaskRow.org_id, "p_orgs"), TaskRow.retired_at.is_(None))
        .order_by(TaskRow.id)
    )


def _marks(db: Database) -> Executable:
    """The marks of the tasks `p_tasks` in the organisations `p_orgs` (a task belongs to one)."""
    return select(TaskMarkRow).where(
        db.one_of(TaskMarkRow.org_id, "p_orgs"), db.one_of(TaskMarkRow.task_id, "p_tasks")
    )


def _people(db: Database) -> Executable:
    """The people of the organisations `p_orgs` among the respondents `p_people`: a superset
    of the pairs asked for when a respondent is asked for in one of them only, left out after."""
    return select(PersonRow).where(
        db.one_of(PersonRow.org_id, "p_orgs"), db.one_of(PersonRow.respondent, "p_people")
    )
