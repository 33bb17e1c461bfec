"""What Teams gets its 200 for is stored by then: a launch with everyone's invitation before
the invitations go out, a closed scan before its result is published."""

from __future__ import annotations

from tests.fakes.bot_connector import TENANT_ID
from tests.teams.conftest import TeamsWorld
from tests.teams.team_scan import MANAGER, PEOPLE, in_channel, install, launch, launching
from tests.teams.teams_side import texts

ORG_KEY = f"teams:{TENANT_ID}"
OPENING_A_CHAT = "/v3/conversations"


async def test_a_launch_is_stored_with_its_invitations_before_teams_is_answered(
    world: TeamsWorld,
) -> None:
    team = await install(world)
    thread, (form,) = await in_channel(world, team, "launch")
    # Reading the roster takes a moment, and so does opening each member's chat.
    world.connector.stall(0.3, method="GET")
    world.connector.stall(0.3, path=OPENING_A_CHAT, times=len(PEOPLE))
    submitted = launching(world, team, thread, form)

    assert await world.post(submitted, settle=False) == 200

    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    scan = await world.core.scans.current(org.id)
    assert scan is not None
    launches = world.core.activation.launches
    assert await launches.get(org.id, scan.id) is not None
    invitations = await launches.invitations(org.id, scan.id)
    assert {i.respondent for i in invitations} == {f"teams:{p['id']}" for p in PEOPLE}
    assert any(i.invited_at is None for i in invitations), "still being sent after the 200"
    assert "launched for 6 people" in texts(world.connector.sent(thread)[0])

    await world.bot.surface.idle()
    invitations = await launches.invitations(org.id, scan.id)
    assert all(i.invited_at is not None for i in invitations)
    assert "sent: 6" in texts(world.connector.sent(thread)[-1])


async def test_a_scan_is_closed_before_teams_is_answered_and_published_after(
    world: TeamsWorld,
) -> None:
    team = await install(world)
    await launch(world, team)
    manager_chat = world.connector.conversation_of(str(MANAGER["id"]))
    assert manager_chat is not None
    before = len(world.connector.sent(manager_chat))
    world.connector.stall(0.5, conversation=manager_chat, method="POST")
    closing, _ = await in_channel(world, team, "close", settle=False)

    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    assert await world.core.scans.current(org.id) is None, "closed by the time of the 200"
    assert "closed" in texts(world.connector.sent(closing)[-1]).lower()

    await world.bot.surface.idle()
    assert len(world.connector.sent(manager_chat)) > before, "the result follows"
