"""Data rights in Slack, end to end: 'my data' uploads the person's JSON to their direct
messages; 'forget me' and its confirmation (typed or clicked) erase them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.slack.render import ACT_ACTION
from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import SlackWorld
from tests.slack.test_end_to_end import answer_everything


def _uploaded(world: SlackWorld, name: str) -> list[bytes]:
    return [
        upload.content
        for upload in world.api.uploads.values()
        if upload.filename == name and upload.content is not None
    ]


async def _sheet(world: SlackWorld, user: str) -> dict[str, Any]:
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    scan = await world.core.scans.current(org.id)
    assert scan is not None
    return dict((await world.core.scans.sheet(org.id, scan.id, f"slack:{user}")).answers)


async def _said(world: SlackWorld, user: str, text: str) -> dict[str, Any]:
    posted = len(world.api.called("chat.postMessage"))
    await world.slack.direct_message(user, text)
    await world.settled("chat.postMessage", posted + 1)
    await world.idle()
    return world.api.latest(f"D{user}")


async def test_my_data_uploads_a_json_file_of_the_persons_answers_to_their_dm(
    world: SlackWorld,
) -> None:
    await answer_everything(world, "U1", pick=1)
    message = await _said(world, "U1", "my data")
    assert "everything the advisor keeps about you" in json.dumps(message)
    (completed,) = world.api.called("files.completeUploadExternal")
    assert completed["channel_id"] == "DU1"
    (content,) = _uploaded(world, "my-data.json")
    document = json.loads(content)
    assert document["respondent"] == "slack:U1"
    assert len(document["scans"][0]["answers"]) == len(world.core.advisor.knowledge.bank)


async def test_forget_me_then_the_button_erases_the_person(world: SlackWorld) -> None:
    await answer_everything(world, "U1", pick=1)
    asking = await _said(world, "U1", "forget me")
    assert len(await _sheet(world, "U1")) == len(world.core.advisor.knowledge.bank)
    [confirm] = [
        element
        for block in asking["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"].startswith(ACT_ACTION)
    ]
    assert confirm["text"]["text"] == "Yes, forget me"
    posted = len(world.api.called("chat.postMessage"))
    response = await world.slack.click("U1", asking, confirm)
    assert response.status == 200
    await world.settled("chat.postMessage", posted + 1)
    await world.idle()
    assert "I have forgotten you" in json.dumps(world.api.latest("DU1"))
    assert await _sheet(world, "U1") == {}


@pytest.mark.parametrize(("confirm", "erased"), [("yes, forget me", True), ("no", False)])
async def test_forget_me_erases_only_after_the_typed_confirmation(
    world: SlackWorld, confirm: str, erased: bool
) -> None:
    await answer_everything(world, "U1", pick=1)
    await _said(world, "U1", "delete me")
    reply = await _said(world, "U1", confirm)
    shown = json.dumps(reply)
    assert ("I have forgotten you" in shown) is erased
    assert ("nothing was erased" in shown) is not erased
    left = await _sheet(world, "U1")
    assert len(left) == (0 if erased else len(world.core.advisor.knowledge.bank))
