"""A threshold stored before the upper bound existed reads as the highest one allowed."""

from __future__ import annotations

from sqlalchemy import update

from dialogs.records import MAXIMUM_THRESHOLD
from storage.db import Database
from storage.models import OrganisationRow
from storage.repositories import SqlaOrganisationDirectory


async def test_a_stored_threshold_above_25_reads_as_25_and_the_organisation_stays_usable(
    database: Database,
) -> None:
    organisations = SqlaOrganisationDirectory(database)
    acme = await organisations.ensure("console:acme", "Acme")
    async with database.session() as session:
        await session.execute(
            update(OrganisationRow)
            .where(OrganisationRow.id == acme.id)
            .values(anonymity_threshold=1000)
        )

    found = await organisations.get(acme.id)

    assert found is not None
    assert found.settings.anonymity_threshold == MAXIMUM_THRESHOLD
