"""What a person did is stored before Slack has its 200; a request for another workspace is not.

Each test reads storage the moment the response arrives, before waiting for anything else: had
the advisor acknowledged first and stored afterwards, the answer would not be there yet.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from bot.slack import listeners
from dialogs.events import ConversationKey
from dialogs.state import DialogState, Step
from storage.models import OrganisationRow
from storage.repositories import SqlaConversationStore
from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import SlackWorld
from tests.slack.scan_messages import buttons
from tests.slack.slack_side import block_actions

USER = "U1"


async def _org_id(world: SlackWorld) -> int:
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    return org.id


async def _answers(world: SlackWorld) -> dict[str, tuple[str, ...]]:
    org_id = await _org_id(world)
    scan = await world.core.scans.current(org_id)
    assert scan is not None
    return dict((await world.core.scans.sheet(org_id, scan.id, f"slack:{USER}")).answers)


async def _organisations(world: SlackWorld) -> int:
    async with world.core.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(OrganisationRow)) or 0)


async def _start_scan(world: SlackWorld) -> dict[str, object]:
    world.api.add_user(USER, locale="en-US")
    await world.slack.direct_message(USER, "scan")
    await world.settled("chat.postMessage", 1)
    return world.api.latest(f"D{USER}")


async def test_a_direct_message_is_stored_when_its_200_arrives(world: SlackWorld) -> None:
    world.api.add_user(USER, locale="en-US")

    response = await world.slack.direct_message(USER, "scan")

    assert response.status == 200
    key = ConversationKey("slack", await _org_id(world), USER, USER)
    loaded = await SqlaConversationStore(world.core.database).load(key.org_id, key.storage_key)
    assert loaded is not None
    assert DialogState.from_json(loaded[0]).step is Step.SCANNING


async def test_an_answer_click_is_stored_when_its_200_arrives(world: SlackWorld) -> None:
    message = await _start_scan(world)

    response = await world.slack.click(USER, message, buttons(message)[0])

    assert response.status == 200
    assert len(await _answers(world)) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_click_held_up_by_a_busy_database_gets_a_503_and_its_answer_later(
    world: SlackWorld, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = await _start_scan(world)
    monkeypatch.setattr(listeners, "TURN_DEADLINE_SECONDS", 0.3)
    # Another program holds the database's write lock for longer than the turn may take.
    blocker = sqlite3.connect(database_url.removeprefix("sqlite+aiosqlite:///"))
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        response = await world.slack.click(USER, message, buttons(message)[0])
    finally:
        await asyncio.sleep(0.2)
        blocker.rollback()
        blocker.close()

    assert response.status == 503, "not acknowledged: the answer was not stored in time"
    (update,) = await world.settled("chat.update", 1)
    assert "Question 2 of" in json.dumps(update), "the turn finished once the lock was gone"
    assert len(await _answers(world)) == 1


async def test_a_request_for_another_workspace_is_refused_and_creates_nothing(
    world: SlackWorld,
) -> None:
    await _start_scan(world)
    before = await _organisations(world)
    world.slack.team = "T0OTHER"

    response = await world.slack.direct_message(USER, "scan")

    assert response.status == 403
    assert await _organisations(world) == before


async def test_an_enterprise_request_without_a_team_is_refused_and_creates_nothing(
    world: SlackWorld,
) -> None:
    message = await _start_scan(world)
    before = await _organisations(world)
    payload = block_actions(TEAM_ID, USER, message, buttons(message)[0])
    payload["team"] = None
    payload["enterprise"] = {"id": "E0GRID", "name": "Grid"}
    payload["is_enterprise_install"] = False

    response = await world.slack.post(
        urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    )

    assert response.status == 403
    assert await _organisations(world) == before
    assert await _answers(world) == {}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_click_the_database_refuses_gets_a_503_and_the_person_is_told(
    world: SlackWorld, database_url: str
) -> None:
    message = await _start_scan(world)
    # The database loses the table the turn writes to (a botched restore, say).
    broken = sqlite3.connect(database_url.removeprefix("sqlite+aiosqlite:///"))
    broken.execute("DROP TABLE conversations")
    broken.commit()
    broken.close()

    response = await world.slack.click(USER, message, buttons(message)[0])
    await world.idle()

    assert response.status == 503, "nothing was stored, so nothing is acknowledged"
    (update,) = world.api.called("chat.update")
    assert "nothing was changed" in json.dumps(update)
