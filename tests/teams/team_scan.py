"""A team's scan in Teams, step by step as the people do it: the app installed in the team and
by the manager, "launch" and its form in the channel, every question answered by pressing the
card's buttons."""

from __future__ import annotations

from typing import Any

from tests.fakes.bot_connector import teams_member
from tests.teams.activities import (
    card_submit,
    installed_in_team,
    installed_personal,
    message,
)
from tests.teams.conftest import Json, TeamsWorld
from tests.teams.teams_side import answer, press, texts

TEAM_ID = "19:marketing@thread.tacv2"
PEOPLE = [
    teams_member(name)
    for name in ("Pim Manager", "Ann Jansen", "Bo de Wit", "Cas Smit", "Dewi Bakker", "Eva Visser")
]
MANAGER = PEOPLE[0]
MAX_QUESTIONS = 200


async def install(world: TeamsWorld) -> Json:
    su = world.connector.service_url
    team = world.connector.add_team(TEAM_ID, "Marketing", PEOPLE)
    for activity in installed_in_team(team, user=MANAGER, service_url=su, locale="en-US"):
        assert await world.post(activity) == 200
    world.connector.add_personal(MANAGER)
    for activity in installed_personal(user=MANAGER, service_url=su, locale="en-US"):
        assert await world.post(activity) == 200
    return team


async def in_channel(
    world: TeamsWorld, team: Json, text: str, *, settle: bool = True
) -> tuple[str, list[Json]]:
    """The manager says `text` to the advisor in the General channel; the thread's answers
    (by the time of the 200 unless `settle`: then after what follows it too)."""
    said = message(
        text, user=MANAGER, team=team, service_url=world.connector.service_url, locale="en-US"
    )
    assert await world.post(said, settle=settle) == 200
    thread = said["conversation"]["id"]
    return thread, world.connector.sent(thread)


async def launch(world: TeamsWorld, team: Json, **typed: Any) -> list[Json]:
    """The manager's "launch", and the form sent with `typed` (by input id); the thread."""
    thread, (form,) = await in_channel(world, team, "launch")
    assert await world.post(launching(world, team, thread, form, **typed)) == 200
    return world.connector.sent(thread)


def launching(world: TeamsWorld, team: Json, thread: str, form: Json, **typed: Any) -> Json:
    """The manager pressing Launch on the launch `form` in `thread`, with `typed` in it."""
    return card_submit(
        press(form, "Launch", **{"threshold": "3", **typed}),
        reply_to_id=form["id"],
        user=MANAGER,
        team=team,
        conversation_id=thread,
        service_url=world.connector.service_url,
        locale="en-US",
    )


async def answer_all(world: TeamsWorld, person: Json, pick: int) -> str:
    """Answer every question of the invitation's card, in place; the last card's text."""
    conversation = world.connector.conversation_of(str(person["id"]))
    assert conversation is not None, f"{person['name']} was not invited"
    for step in range(MAX_QUESTIONS):
        latest = world.connector.sent(conversation)[-1]
        value = answer(latest, pick + step)
        if value is None:
            return texts(latest)
        clicked = card_submit(
            value,
            reply_to_id=latest["id"],
            user=person,
            conversation_id=conversation,
            service_url=world.connector.service_url,
            locale="en-US",
        )
        assert await world.post(clicked) == 200
    raise AssertionError("the scan never ended")
