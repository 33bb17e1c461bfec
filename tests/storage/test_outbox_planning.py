"""Planning writes any number of an organisation's nudges, in batches the database accepts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.nudges import NudgeKind, PlannedNudge
from engine.recurrence import LocalTime
from storage.db import Database
from storage.outbox import SqlaOutbox
from storage.repositories import SqlaOrganisationDirectory
from tests.storage.conftest import SQL_BACKENDS

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ZONE = "Europe/Amsterdam"
DUE = 5_000
"""Past 1,170 rows of 14 parameters one INSERT passes asyncpg's 32,767 parameters."""


def _due(count: int) -> list[PlannedNudge]:
    at = LocalTime.of(NOW, ZONE)
    stale = LocalTime.of(NOW + timedelta(days=1), ZONE)
    return [
        PlannedNudge(
            f"console:p{n}", NudgeKind.TASK_DUE, f"task:{n}:2026-11-23T09:00", at, stale, n
        )
        for n in range(count)
    ]


@pytest.fixture(params=SQL_BACKENDS)
def database(request: pytest.FixtureRequest) -> Database:
    return request.getfixturevalue(f"{request.param}_database")  # type: ignore[no-any-return]


async def test_an_organisation_with_5000_due_nudges_is_planned_whole_and_once(
    database: Database,
) -> None:
    org = await SqlaOrganisationDirectory(database).ensure("console:big", "Big")
    outbox = SqlaOutbox(database)

    planned = await outbox.plan(org.id, _due(DUE), now=NOW)
    again = await outbox.plan(org.id, _due(DUE), now=NOW)

    assert (planned, again) == (DUE, 0)
    pending = await outbox.pending(org.id)
    assert len(pending) == DUE
    assert {nudge.recipient for nudge in pending} == {f"console:p{n}" for n in range(DUE)}
