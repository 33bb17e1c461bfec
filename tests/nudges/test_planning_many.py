"""Planning every organisation at once: PLANNING of them side by side, each planned as it would
be alone, their reads read together, and an organisation that cannot be planned holding up
neither the others nor the dispatch."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import pytest

from dialogs.nudging import PLANNING, Planner
from dialogs.ports import StorageError
from dialogs.records import NewTask
from engine.nudges import PlannedNudge
from engine.respect import Respect
from engine.text import text
from engine.vocabulary import TaskKind
from storage.activation import SqlaPeopleDirectory, SqlaTaskRepository
from storage.db import Database
from storage.outbox import SqlaOutbox
from storage.repositories import SqlaOrganisationDirectory
from tests.fakes.clock import FixedClock
from tests.nudges.conftest import AMSTERDAM, MONDAY, PM, wall
from tests.storage.statements import is_statement, sqlite_statements

TURNS = 3
ORGANISATIONS = (TURNS - 1) * PLANNING + 7
"""TURNS turns of planning, the last a short one."""


class RefusingOutbox(SqlaOutbox):
    """The outbox, refusing to plan for the organisations in `refused` (as a database that
    turns one organisation's rows down would)."""

    def __init__(self, database: Database, refused: set[int]) -> None:
        super().__init__(database)
        self.refused = refused

    async def plan(self, org_id: int, nudges: Sequence[PlannedNudge], *, now: datetime) -> int:
        if org_id in self.refused:
            raise StorageError("refused")
        return await super().plan(org_id, nudges, now=now)


async def _organisations(database: Database) -> list[int]:
    """ORGANISATIONS organisations, each with a project manager and one weekly task."""
    directory, tasks = SqlaOrganisationDirectory(database), SqlaTaskRepository(database)
    orgs = []
    for n in range(ORGANISATIONS):
        org = await directory.ensure(f"console:org{n}", f"Org {n}")
        settings = replace(org.settings, manager=PM, time_zone=AMSTERDAM, respect=Respect())
        await directory.update_settings(org.id, settings)
        title = text("Post from the calendar", "Post from the calendar")
        start = wall(2026, 11, 23, 9)
        new = NewTask("post_calendar", TaskKind.POST, title, PM, "FREQ=WEEKLY", start, AMSTERDAM)
        await tasks.adopt(org.id, [new], by=PM, now=MONDAY)
        orgs.append(org.id)
    return orgs


def _planner(database: Database, outbox: SqlaOutbox) -> Planner:
    return Planner(
        organisations=SqlaOrganisationDirectory(database),
        tasks=SqlaTaskRepository(database),
        people=SqlaPeopleDirectory(database),
        outbox=outbox,
        clock=FixedClock(MONDAY),
    )


async def test_every_organisation_is_planned_as_it_would_be_alone(database: Database) -> None:
    first, *others = await _organisations(database)
    planner = _planner(database, SqlaOutbox(database))

    alone = await planner.plan(first)
    planned = await planner.plan_all()

    assert alone > 0
    assert planned == alone * len(others), "each of the others planned once, as the first was"
    assert await planner.plan_all() == 0, "and nothing again"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
async def test_the_organisations_of_a_turn_are_read_together(database: Database) -> None:
    await _organisations(database)
    planner = _planner(database, SqlaOutbox(database))

    async with sqlite_statements(database) as traced:
        await planner.plan_all()

    reads = sum(is_statement(sql, {"SELECT"}) for sql in traced)
    # Each turn reads the organisations, their tasks, marks and people: four statements; the
    # organisations with tasks are read once, and a planner with launches reads its reminders.
    assert reads <= 4 * TURNS + 2, f"{reads} reads for {ORGANISATIONS} organisations"


async def test_an_organisation_that_cannot_be_planned_holds_up_no_other(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    orgs = await _organisations(database)
    refused = {orgs[3], orgs[PLANNING + 4]}
    outbox = RefusingOutbox(database, refused)
    alone = await _planner(database, SqlaOutbox(database)).plan(orgs[0])

    with caplog.at_level(logging.WARNING, logger="dialogs.nudging"):
        planned = await _planner(database, outbox).plan_all()

    assert planned == alone * (ORGANISATIONS - 1 - len(refused)), "every other one, every turn"
    (line,) = [record.getMessage() for record in caplog.records]
    assert line.startswith(f"2 of {ORGANISATIONS} organisations could not be planned")
    assert f"{orgs[3]} (StorageError)" in line

    outbox.refused = set()
    assert await _planner(database, outbox).plan_all() == alone * len(refused), "next tick"
