"""Organisations are made by installing the app. Without authentication (the Emulator) only an
install makes one: what anyone on this machine sends otherwise makes nothing; the Emulator itself
begins every conversation with the install (a conversationUpdate adding the bot)."""

from __future__ import annotations

from tests.fakes.bot_connector import TENANT_ID, teams_member
from tests.teams.activities import installed_personal, uninstalled
from tests.teams.conftest import TeamsWorld
from tests.teams.teams_side import texts

PERSON = teams_member("Iris Vos")
ORG_KEY = f"teams:{TENANT_ID}"


async def _organisations(world: TeamsWorld) -> int:
    async with world.core.database.connection() as connection:
        found = await connection.exec_driver_sql("SELECT count(*) FROM organisations")
        return int(found.scalar_one())


async def test_a_message_from_a_tenant_that_never_installed_the_app_makes_no_organisation(
    world: TeamsWorld,
) -> None:
    conversation = world.connector.add_personal(PERSON)

    assert await world.post(world.says(PERSON, "help")) == 200

    assert await _organisations(world) == 0
    (told,) = world.connector.sent(conversation)
    assert "add the app" in texts(told)


async def test_removing_the_app_from_a_tenant_never_seen_makes_nothing(world: TeamsWorld) -> None:
    removal = uninstalled(user=PERSON, service_url=world.connector.service_url)

    assert await world.post(removal) == 200

    assert await _organisations(world) == 0
    assert world.connector.requests == []


async def test_installing_makes_the_organisation_and_later_messages_reach_it(
    world: TeamsWorld,
) -> None:
    conversation = await world.installs(PERSON)

    assert await world.post(world.says(PERSON, "help")) == 200

    assert await world.core.organisations.find(ORG_KEY) is not None
    assert await _organisations(world) == 1
    assert "add the app" not in texts(world.connector.sent(conversation)[-1])


async def test_the_emulators_first_activity_installs_the_local_organisation(
    world: TeamsWorld,
) -> None:
    conversation = world.connector.add_personal(PERSON)
    update, _ = installed_personal(user=PERSON, service_url=world.connector.service_url)
    update["channelId"] = "emulator"
    update["channelData"] = {}
    del update["conversation"]["tenantId"]

    assert await world.post(update) == 200

    assert await world.core.organisations.find("teams:local") is not None
    assert world.connector.sent(conversation), "welcomed"
