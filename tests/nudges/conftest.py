"""An organisation with a project manager and tasks, a clock the test moves, and a recording
channel: the planner and the dispatcher over real storage (SQLite, and PostgreSQL in CI)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from dialogs.desk import Desk
from dialogs.nudging import Delivery, Dispatcher, Perceived, Planner, Reporter, Sent
from dialogs.records import NewTask, Organisation
from engine.respect import Respect
from engine.tasks import Mark, Outcome, Task
from engine.text import text
from engine.vocabulary import TaskKind
from storage.activation import SqlaKpiRepository, SqlaPeopleDirectory, SqlaTaskRepository
from storage.db import Database
from storage.outbox import SqlaOutbox
from storage.repositories import SqlaOrganisationDirectory
from tests.fakes.clock import FixedClock
from tests.fakes.delivery import RecordingDelivery

AMSTERDAM, NEW_YORK = "Europe/Amsterdam", "America/New_York"
PM, ANN, BOB = "console:pm", "console:ann", "console:bob"
MONDAY = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
"""Monday 23 November 2026, midnight UTC."""


def wall(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A naive wall-clock time, as tasks and nudges keep them beside their zone."""
    return datetime.combine(date(year, month, day), time(hour, minute))


@dataclass
class Activation:
    organisations: SqlaOrganisationDirectory
    tasks: SqlaTaskRepository
    people: SqlaPeopleDirectory
    outbox: SqlaOutbox
    clock: FixedClock
    delivery: RecordingDelivery
    org: Organisation
    database: Database
    perceived: Perceived | None = None
    reporter: Reporter | None = None

    def planner(self) -> Planner:
        return Planner(
            organisations=self.organisations,
            tasks=self.tasks,
            people=self.people,
            outbox=self.outbox,
            clock=self.clock,
        )

    def dispatcher(
        self,
        worker: str = "worker-1",
        *,
        delivery: Delivery | None = None,
        alive: timedelta | None = None,
    ) -> Dispatcher:
        """The dispatcher, sending through `delivery` (by default the recording channel),
        sharing the work with the workers seen within `alive`."""
        return Dispatcher(
            perceived=self.perceived,
            reporter=self.reporter,
            organisations=self.organisations,
            tasks=self.tasks,
            people=self.people,
            outbox=self.outbox,
            delivery=delivery or self.delivery,
            clock=self.clock,
            worker=worker,
            alive=alive,
        )

    def desk(self) -> Desk:
        return Desk(
            organisations=self.organisations,
            tasks=self.tasks,
            kpis=SqlaKpiRepository(self.database),
            people=self.people,
            outbox=self.outbox,
            clock=self.clock,
        )

    async def tick(self) -> Sent:
        """What `advisor serve` does every tick: plan, then send what is due."""
        await self.planner().plan_all()
        return await self.dispatcher().run()

    async def run_until(self, end: datetime, step: timedelta = timedelta(minutes=30)) -> None:
        while self.clock.now() < end:
            self.clock.advance(seconds=step.total_seconds())
            await self.tick()

    async def adopt(
        self,
        owner: str,
        rule: str | None,
        start: datetime,
        zone: str,
        *,
        title: str = "Post from the calendar",
        kind: TaskKind = TaskKind.POST,
    ) -> Task:
        new = NewTask("post_calendar", kind, text(title, title), owner, rule, start, zone)
        (task,) = await self.tasks.adopt(self.org.id, [new], by=PM, now=self.clock.now())
        return task

    async def mark(self, task: Task, occurrence: datetime, outcome: Outcome = Outcome.DONE) -> None:
        local = self.clock.now().astimezone(ZoneInfo(task.zone)).replace(tzinfo=None)
        await self.tasks.mark(self.org.id, task.id, Mark(occurrence, outcome, local), by=task.owner)

    async def settings(self, **changes: object) -> None:
        self.org = await self.organisations.update_settings(
            self.org.id, replace(self.org.settings, **changes)
        )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> Database:
    return request.getfixturevalue(f"{request.param}_database")  # type: ignore[no-any-return]


@pytest.fixture
async def activation(database: Database) -> Activation:
    organisations = SqlaOrganisationDirectory(database)
    org = await organisations.ensure("console:acme", "Acme")
    org = await organisations.update_settings(
        org.id, replace(org.settings, manager=PM, time_zone=AMSTERDAM, respect=Respect())
    )
    clock = FixedClock(MONDAY)
    people = SqlaPeopleDirectory(database)
    await people.set_zone(org.id, ANN, AMSTERDAM)
    await people.set_zone(org.id, BOB, NEW_YORK)
    await people.set_zone(org.id, PM, AMSTERDAM)
    return Activation(
        organisations,
        SqlaTaskRepository(database),
        people,
        SqlaOutbox(database),
        clock,
        RecordingDelivery(clock),
        org,
        database,
    )
