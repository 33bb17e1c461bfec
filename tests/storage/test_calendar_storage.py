"""A calendar stored before quiet hours and countries existed still reads (SQLite, PostgreSQL)."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import update

from engine.respect import Respect
from storage.db import Database
from storage.models import OrganisationRow
from storage.repositories import SqlaOrganisationDirectory


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> Database:
    return request.getfixturevalue(f"{request.param}_database")  # type: ignore[no-any-return]


async def test_a_calendar_stored_before_quiet_hours_and_countries_reads_without_them(
    database: Database,
) -> None:
    organisations = SqlaOrganisationDirectory(database)
    org = await organisations.ensure("console:acme", "Acme")
    older = {
        "working_days": [0, 1, 2, 3],
        "day_starts": "08:30",
        "day_ends": "16:00",
        "holidays": ["2026-12-24"],
        "weekly_cap": 3,
    }
    async with database.session() as session:
        await session.execute(
            update(OrganisationRow).where(OrganisationRow.id == org.id).values(respect=older)
        )

    stored = await organisations.get(org.id)

    assert stored is not None
    assert stored.settings.respect == Respect(
        working_days=frozenset({0, 1, 2, 3}),
        day_starts=time(8, 30),
        day_ends=time(16, 0),
        holidays=frozenset({date(2026, 12, 24)}),
        weekly_cap=3,
    )
