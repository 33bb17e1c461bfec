"""Removing the app from an organisation's Teams: its data is erased after the grace period,
not before, and installing the app again cancels that."""

from __future__ import annotations

from bot.serve import keep
from tests.fakes.bot_connector import TENANT_ID, teams_member
from tests.teams.activities import uninstalled
from tests.teams.conftest import TeamsWorld

PERSON = teams_member("Iris Vos")
OTHER = teams_member("Daan Bakker")
ORG_KEY = f"teams:{TENANT_ID}"


async def _removes(world: TeamsWorld, person: dict[str, object]) -> None:
    removal = uninstalled(user=person, service_url=world.connector.service_url)
    assert await world.post(removal) == 200


async def _days_later(world: TeamsWorld, days: float) -> None:
    world.clock.advance(days=days)
    await keep(world.core)


async def test_removing_the_app_erases_the_organisation_after_the_grace_period_not_before(
    world: TeamsWorld,
) -> None:
    await world.installs(PERSON)
    assert await world.post(world.says(PERSON, "help")) == 200
    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None

    await _removes(world, PERSON)
    await _days_later(world, 29)

    assert await world.core.organisations.get(org.id) == org
    entries = await world.core.audit.entries(org.id)
    assert [(e.action, e.actor) for e in entries] == [("leaving", None)]

    await _days_later(world, 2)

    assert await world.core.organisations.find(ORG_KEY) is None
    assert await world.core.leaving.due(before=world.clock.now()) == []


async def test_the_organisation_stays_while_the_app_is_installed_for_someone_else(
    world: TeamsWorld,
) -> None:
    await world.installs(PERSON)
    await world.installs(OTHER)

    await _removes(world, PERSON)
    await _days_later(world, 31)

    assert await world.core.organisations.find(ORG_KEY) is not None


async def test_installing_the_app_again_cancels_the_erasure(world: TeamsWorld) -> None:
    await world.installs(PERSON)
    await _removes(world, PERSON)
    world.clock.advance(days=10)

    await world.installs(PERSON)
    await _days_later(world, 30)

    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    events = [dict(e.detail)["event"] for e in await world.core.audit.entries(org.id)]
    assert events == ["teams installationUpdate remove", "reinstalled"]
