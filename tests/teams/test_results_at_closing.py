"""Teams: a scan's result appears when the project manager closes it (or its closing date
passes); until then people and the manager see participation only. A launch form with a
threshold above 25 comes back saying so, and launches nothing."""

from __future__ import annotations

import pytest

from dialogs import phrases
from engine.vocabulary import Language
from tests.fakes.bot_connector import TENANT_ID
from tests.teams.conftest import Json, TeamsWorld
from tests.teams.team_scan import MANAGER, PEOPLE, answer_all, in_channel, install, launch
from tests.teams.teams_side import inputs, texts

ORG_KEY = f"teams:{TENANT_ID}"
CLOSING_DAY = "2026-11-25"


def _chat_of(world: TeamsWorld, person: Json) -> list[Json]:
    conversation = world.connector.conversation_of(str(person["id"]))
    assert conversation is not None, f"{person['name']} has no chat with the advisor"
    return world.connector.sent(conversation)


async def _results(world: TeamsWorld, person: Json) -> str:
    before = len(_chat_of(world, person))
    assert await world.post(world.says(person, "results")) == 200
    return "\n".join(texts(activity) for activity in _chat_of(world, person)[before:])


async def test_people_see_participation_until_the_manager_closes_the_scan_then_the_result(
    world: TeamsWorld,
) -> None:
    team = await install(world)
    await launch(world, team, deadline=CLOSING_DAY)
    for pick, person in enumerate(PEOPLE[1:4]):
        await answer_all(world, person, pick)

    # Invited in the organisation's language, Dutch.
    running = await _results(world, PEOPLE[1])
    assert "Scan 1 loopt" in running
    assert "Tot nu toe hebben 3 mensen de scan ingevuld. 6 mensen zijn uitgenodigd." in running
    assert "verschijnt als de scan sluit, op 2026-11-25 17:00" in running
    assert phrases.HOW_TO_CLOSE["teams"](Language.NL) in running
    assert "Ingevuld door" not in running, "no result while the scan runs"

    await in_channel(world, team, "status")
    status = texts(_chat_of(world, MANAGER)[-1])
    assert "appears when the scan closes, on 2026-11-25 17:00" in status

    await in_channel(world, team, "close")
    closed = await _results(world, PEOPLE[1])
    assert "Ingevuld door" in closed
    assert "loopt" not in closed


@pytest.mark.parametrize("threshold", ["26", "1000"])
async def test_a_launch_form_with_a_threshold_above_25_comes_back_and_launches_nothing(
    world: TeamsWorld, threshold: str
) -> None:
    team = await install(world)
    (*_, form) = await launch(world, team, threshold=threshold)

    assert phrases.THRESHOLD_OUT_OF_RANGE(Language.EN) in texts(form)
    (field,) = (
        i for i in inputs(form["attachments"][0]["content"]["body"]) if i["id"] == "threshold"
    )
    assert (field["min"], field["max"]) == (3, 25)
    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    assert org.settings.anonymity_threshold == 5, "nothing saved"
    assert await world.core.scans.current(org.id) is None, "no scan opened"
    assert all(world.connector.conversation_of(str(p["id"])) is None for p in PEOPLE[1:])
