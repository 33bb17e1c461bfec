"""Teams' connector failing in any shape (JSON, a proxy's HTML or plain-text 5xx, a dropped
connection, no answer, throttling past its budget, another refusal): tried again where that
makes sense, then recorded and explained, and never a traceback."""

from __future__ import annotations

import logging

import pytest

from bot.teams import connector
from dialogs.delivery import Undeliverable
from storage.teams import SqlaTeamsConversations
from tests.fakes.bot_connector import TENANT_ID, Shape, personal_conversation_id, teams_member
from tests.teams.conftest import TeamsWorld
from tests.teams.team_scan import MANAGER, PEOPLE, in_channel, install, launch
from tests.teams.teams_side import texts

PERSON = teams_member("Lotte Kok")
ORG_KEY = f"teams:{TENANT_ID}"
SENDING = "POST"


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """The waits between tries, shortened: the tries themselves are what is tested."""
    monkeypatch.setattr(connector, "BACKOFF_SECONDS", (0.01, 0.01))


def _attempts(world: TeamsWorld, conversation: str) -> list[int]:
    return [r.status for r in world.connector.requests if r.conversation_id == conversation]


@pytest.mark.parametrize("shape", ["json", "html", "text", "reset"])
async def test_a_reply_teams_failed_once_in_any_shape_is_sent_again_and_arrives(
    world: TeamsWorld, shape: Shape
) -> None:
    conversation = await world.installs(PERSON)
    before = len(world.connector.sent(conversation))
    world.connector.fail(503, conversation=conversation, method=SENDING, shape=shape)

    assert await world.post(world.says(PERSON, "help")) == 200

    assert len(world.connector.sent(conversation)) == before + 1
    assert _attempts(world, conversation)[-2:] == [0 if shape == "reset" else 503, 201]


async def test_a_reply_with_no_answer_in_time_is_not_sent_twice_and_the_person_is_told(
    world: TeamsWorld, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    conversation = await world.installs(PERSON)
    monkeypatch.setattr(connector, "CALL_SECONDS", 0.3)
    world.connector.stall(1.0, conversation=conversation, method=SENDING)
    caplog.set_level(logging.INFO)

    assert await world.post(world.says(PERSON, "help")) == 200

    told = world.connector.sent(conversation)[-1]
    assert "reference" in texts(told), "the second message says something went wrong"
    assert _attempts(world, conversation).count(201) == 2, "the first, late, and the notice"
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("shape", ["html", "text", "reset"])
async def test_a_nudge_teams_keeps_failing_is_tried_later_and_the_person_stays_reachable(
    world: TeamsWorld, shape: Shape, caplog: pytest.LogCaptureFixture
) -> None:
    conversation = await world.installs(PERSON)
    org_id = await world.task_due(PERSON)
    before = len(world.connector.sent(conversation))
    world.connector.fail(503, conversation=conversation, times=20, shape=shape)

    await world.send_due_nudges()

    assert len(world.connector.sent(conversation)) == before
    assert await world.core.activation.outbox.pending(org_id), "kept to try again later"
    tried = [r for r in caplog.records if r.name == "bot.teams.delivery"]
    failed = [status for status in _attempts(world, conversation) if status != 201]
    assert tried
    assert len(failed) == len(tried) * (1 + len(connector.BACKOFF_SECONDS)), "3 tries each"
    person = await world.core.activation.people.get(org_id, f"teams:{PERSON['id']}")
    assert person.unreachable is None
    conversations = SqlaTeamsConversations(world.core.database)
    assert await conversations.reference(org_id, f"teams:{PERSON['id']}") is not None


async def test_throttling_past_its_budget_is_the_platform_unavailable(world: TeamsWorld) -> None:
    conversation = await world.installs(PERSON)
    org_id = await world.task_due(PERSON)
    world.connector.fail(429, conversation=conversation, times=10, retry_after=0)

    await world.send_due_nudges()

    assert _attempts(world, conversation)[-4:] == [429] * 4
    assert await world.core.activation.outbox.pending(org_id)


async def test_another_refusal_is_recorded_without_forgetting_the_conversation(
    world: TeamsWorld,
) -> None:
    conversation = await world.installs(PERSON)
    org_id = await world.task_due(PERSON)
    world.connector.fail(400, conversation=conversation, times=10)

    await world.send_due_nudges()

    outcomes = [n.outcome or "" for n in await world.core.activation.outbox.not_sent(org_id)]
    assert "other: http_400 BadArgument" in outcomes, outcomes
    assert _attempts(world, conversation)[1:] == [400], "a refusal is not tried again"
    conversations = SqlaTeamsConversations(world.core.database)
    assert await conversations.reference(org_id, f"teams:{PERSON['id']}") is not None


async def test_an_invitation_teams_could_not_take_is_recorded_and_explained_to_the_manager(
    world: TeamsWorld,
) -> None:
    team = await install(world)
    unlucky = personal_conversation_id(str(PEOPLE[-1]["id"]))
    world.connector.add_personal(PEOPLE[-1])
    world.connector.fail(502, conversation=unlucky, times=20, shape="html")

    summary = texts((await launch(world, team))[-1])

    assert "sent: 5" in summary
    assert "delivered: 1" in summary
    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    scan = await world.core.scans.current(org.id)
    assert scan is not None
    invitations = await world.core.activation.launches.invitations(org.id, scan.id)
    failures = {i.respondent: i.failure for i in invitations if i.failure}
    assert failures == {f"teams:{PEOPLE[-1]['id']}": Undeliverable.UNAVAILABLE}
    await in_channel(world, team, "status")
    manager_chat = world.connector.conversation_of(str(MANAGER["id"]))
    assert manager_chat is not None
    status = texts(world.connector.sent(manager_chat)[-1])
    assert "could not be reached" in status
