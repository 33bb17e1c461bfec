"""A Teams scan with a closing date: the reminder the day before, closing at 17:00 in the
manager's zone and the result in the channel, once; a result left unpublished by a process that
stopped is published by the next tick; and each person's zone is taken from their Teams client."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.fakes.bot_connector import TENANT_ID, personal_conversation_id, teams_member
from tests.teams.activities import message
from tests.teams.conftest import Json, TeamsWorld
from tests.teams.team_scan import (
    MANAGER,
    PEOPLE,
    TEAM_ID,
    answer_all,
    in_channel,
    install,
    launch,
)
from tests.teams.teams_side import texts

ORG_KEY = f"teams:{TENANT_ID}"
CLOSING_DAY = "2026-11-25"
"""A Wednesday; the world's clock starts on Monday 23 November, 09:00 UTC."""
FINISHERS = PEOPLE[:3]


def _results_in(activities: list[Json]) -> list[Json]:
    return [a for a in activities if "Fase" in texts(a)]


def _images_in(activities: list[Json]) -> list[Json]:
    return [
        a
        for a in activities
        if any(attached["contentType"] == "image/png" for attached in a.get("attachments", ()))
    ]


def _chat_of(world: TeamsWorld, person: Json) -> list[Json]:
    conversation = world.connector.conversation_of(str(person["id"]))
    assert conversation is not None, f"{person['name']} has no chat with the advisor"
    return world.connector.sent(conversation)


async def test_the_scan_reminds_then_closes_at_its_deadline_and_publishes_once(
    world: TeamsWorld,
) -> None:
    team = await install(world)
    form, summary = await launch(world, team, deadline=CLOSING_DAY)
    assert "2026-11-25 17:00" in texts(form), "the form became the launch, closing that day"
    assert "sent: 6" in texts(summary)
    for pick, person in enumerate(FINISHERS):
        await answer_all(world, person, pick)

    # Tuesday 10:05 in Amsterdam, the organisation's zone: only those who have not finished
    # are reminded (Teams' roster says nobody's zone).
    before = {str(p["id"]): len(_chat_of(world, p)) for p in PEOPLE}
    world.clock.set(datetime(2026, 11, 24, 9, 5, tzinfo=UTC))
    await world.send_due_nudges()
    reminded = {str(p["id"]) for p in PEOPLE if len(_chat_of(world, p)) > before[str(p["id"])]}
    assert reminded == {str(p["id"]) for p in PEOPLE[3:]}

    world.clock.set(datetime(2026, 11, 25, 15, 59, tzinfo=UTC))  # 16:59 in Amsterdam
    await world.bot.campaigns.tick()
    assert _results_in(world.connector.sent(TEAM_ID)) == []

    world.clock.set(datetime(2026, 11, 25, 16, 1, tzinfo=UTC))
    await world.bot.campaigns.tick()
    await world.bot.campaigns.tick()
    channel = world.connector.sent(TEAM_ID)
    assert len(_results_in(channel)) == 1
    assert len(_images_in(channel)) == 1
    assert len(_results_in(_chat_of(world, MANAGER))) >= 1
    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    assert await world.core.scans.current(org.id) is None, "the scan is closed"


async def test_a_result_a_stopped_process_left_unpublished_goes_out_on_the_next_tick(
    world: TeamsWorld,
) -> None:
    team = await install(world)
    await launch(world, team)
    for pick, person in enumerate(FINISHERS):
        await answer_all(world, person, pick)
    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    scan = await world.core.scans.current(org.id)
    assert scan is not None
    # What "close" does before it publishes; then the process stops.
    await world.core.scans.close(org.id, scan.id, now=world.clock.now())
    assert _results_in(world.connector.sent(TEAM_ID)) == []

    await world.bot.campaigns.tick()
    await world.bot.campaigns.tick()

    assert len(_results_in(world.connector.sent(TEAM_ID))) == 1


async def test_a_persons_zone_comes_from_their_teams_client(world: TeamsWorld) -> None:
    await install(world)
    travellers = {"Asia/Tokyo": teams_member("Yuki Sato"), "Mars/Olympus": teams_member("Zed")}
    for zone, person in travellers.items():
        conversation = world.connector.add_personal(person)
        said = message(
            "help",
            user=person,
            conversation_id=conversation,
            service_url=world.connector.service_url,
        )
        for entity in said["entities"]:
            if entity["type"] == "clientInfo":
                entity["timezone"] = zone
        assert await world.post(said) == 200

    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    people = world.core.activation.people
    zones = {
        zone: (await people.get(org.id, f"teams:{person['id']}")).zone
        for zone, person in travellers.items()
    }
    assert zones == {"Asia/Tokyo": "Asia/Tokyo", "Mars/Olympus": None}


async def test_someone_who_blocked_the_app_is_shown_to_the_manager_in_the_status(
    world: TeamsWorld,
) -> None:
    team = await install(world)
    blocked = PEOPLE[-1]
    world.connector.fail(
        403,
        conversation=personal_conversation_id(str(blocked["id"])),
        times=5,
        code="ConversationBlockedByUser",
    )
    summary = texts((await launch(world, team))[-1])
    assert "sent: 5" in summary
    assert "delivered: 1" in summary

    _, answered = await in_channel(world, team, "status")
    assert "status" not in texts(answered[-1]).lower(), "the status itself goes privately"
    pending, _, failed = texts(_chat_of(world, MANAGER)[-1]).partition("not delivered")
    # By name, not by Teams id: the names were stored when the invitations went out.
    assert str(blocked["name"]) in failed
    assert "Ann Jansen" in pending
    assert "Ann Jansen" not in failed
