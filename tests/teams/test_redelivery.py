"""Teams delivers an activity again when it thinks the first delivery failed: each is applied
once, whether the first is still in hand, done, or done with its answer lost on the way back."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from tests.fakes.bot_connector import TENANT_ID, teams_member
from tests.teams.activities import installed_personal
from tests.teams.conftest import Json, TeamsWorld
from tests.teams.team_scan import MANAGER, PEOPLE, in_channel, install, launching
from tests.teams.teams_side import answer, press, texts

PERSON = teams_member("Roos Willems")
ORG_KEY = f"teams:{TENANT_ID}"


async def _scanning(world: TeamsWorld) -> str:
    """Roos installs the app and starts the scan; her chat's id."""
    conversation = await world.installs(PERSON)
    assert await world.post(world.says(PERSON, "scan", conversation=conversation)) == 200
    return conversation


def _click(world: TeamsWorld, conversation: str, pick: int) -> Json:
    """Pressing the `pick`-th answer on the latest card."""
    latest = world.connector.sent(conversation)[-1]
    value = answer(latest, pick)
    assert value is not None, texts(latest)
    return world.presses(PERSON, latest, value)


def _question(world: TeamsWorld, conversation: str) -> str:
    return texts(world.connector.sent(conversation)[-1]).splitlines()[0]


async def _answered(world: TeamsWorld) -> dict[str, tuple[str, ...]]:
    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    scan = await world.core.scans.current(org.id)
    assert scan is not None
    sheet = await world.core.scans.sheet(org.id, scan.id, f"teams:{PERSON['id']}")
    return dict(sheet.answers)


async def test_a_click_delivered_again_later_does_not_take_the_scan_back(
    world: TeamsWorld,
) -> None:
    conversation = await _scanning(world)
    first = _click(world, conversation, 0)
    assert await world.post(first) == 200
    assert await world.post(_click(world, conversation, 1)) == 200
    now_at, updates = _question(world, conversation), len(world.connector.updates)
    answers = await _answered(world)

    assert await world.post(first) == 200

    assert _question(world, conversation) == now_at, "the card is not moved back a question"
    assert len(world.connector.updates) == updates, "nothing is sent for it"
    assert await _answered(world) == answers


async def test_a_click_whose_answer_was_lost_on_the_way_back_is_applied_once(
    world: TeamsWorld,
) -> None:
    conversation = await _scanning(world)
    asked = _question(world, conversation)
    click = _click(world, conversation, 0)
    world.connector.stall(1.5, method="PUT")

    # Teams gives up before the bot answers; the bot carries on and stores the answer.
    with pytest.raises(asyncio.TimeoutError):
        async with world.http.post(world.url, json=click, timeout=aiohttp.ClientTimeout(total=0.5)):
            pass
    for _ in range(100):
        if world.connector.updates:
            break
        await asyncio.sleep(0.05)
    (moved_on,) = world.connector.updates
    answers = await _answered(world)
    assert len(answers) == 1

    assert await world.post(click) == 200

    assert world.connector.updates == [moved_on], "the card moves on once"
    assert _question(world, conversation) != asked
    assert await _answered(world) == answers


async def test_a_click_delivered_twice_at_once_is_applied_once(world: TeamsWorld) -> None:
    conversation = await _scanning(world)
    click = _click(world, conversation, 0)

    statuses = await asyncio.gather(*(world.post(click) for _ in range(3)))

    assert statuses == [200, 200, 200]
    assert len(world.connector.updates) == 1
    assert len(await _answered(world)) == 1


async def test_no_copy_of_a_click_gets_its_200_before_the_answer_is_stored(
    world: TeamsWorld,
) -> None:
    conversation = await _scanning(world)
    click = _click(world, conversation, 0)

    async def post() -> tuple[int, int]:
        status = await world.post(click)
        return status, len(await _answered(world))  # read the moment the 200 arrives

    outcomes = await asyncio.gather(*(post() for _ in range(3)))

    assert outcomes == [(200, 1)] * 3


async def test_a_welcome_delivered_again_is_said_once(world: TeamsWorld) -> None:
    conversation = world.connector.add_personal(PERSON)
    update, _ = installed_personal(user=PERSON, service_url=world.connector.service_url)

    assert await world.post(update) == 200
    assert await world.post(update) == 200

    assert len(world.connector.sent(conversation)) == 1


async def test_figures_saved_again_by_a_redelivery_are_stored_and_confirmed_once(
    world: TeamsWorld,
) -> None:
    conversation = await _scanning(world)
    assert await world.post(world.says(PERSON, "measure")) == 200
    form = world.connector.sent(conversation)[-1]
    saved = world.presses(PERSON, form, press(form, "Save", **{"figure:posts": "7"}))

    for _ in range(2):
        assert await world.post(saved) == 200

    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    assert len(await world.core.activation.kpis.series(org.id)) == 1
    confirmed = [u for u in world.connector.updates if "Saved for" in texts(u.activity)]
    assert len(confirmed) == 1


async def test_a_launch_delivered_again_launches_and_invites_once_and_says_nothing_more(
    world: TeamsWorld,
) -> None:
    team = await install(world)
    thread, (form,) = await in_channel(world, team, "launch")
    submitted = launching(world, team, thread, form)

    assert await world.post(submitted) == 200
    said = [texts(a) for a in world.connector.sent(thread)]
    assert await world.post(submitted) == 200

    assert [texts(a) for a in world.connector.sent(thread)] == said
    for person in PEOPLE:
        chat = world.connector.conversation_of(str(person["id"]))
        assert chat is not None
        assert len(world.connector.sent(chat)) == 1 + (person is MANAGER), person["name"]
