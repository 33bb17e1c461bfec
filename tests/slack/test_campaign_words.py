"""The campaign in Slack as in Teams: the same words in Dutch, the chat's own way to close, and
one language for everything a person is sent."""

from __future__ import annotations

import json

from dialogs import phrases
from engine.vocabulary import Language
from tests.slack.conftest import SlackWorld
from tests.slack.test_launch import PM, TEAM, _answer_invitation, _launch, _launch_values

CHANNEL = "C0TEAM"


async def _opened(world: SlackWorld, count: int) -> str:
    opened = await world.settled("views.open", count)
    view = opened[-1]["view"]
    return str((json.loads(view) if isinstance(view, str) else view)["callback_id"])


async def test_the_dutch_words_open_the_same_forms_as_the_english_ones(world: SlackWorld) -> None:
    world.api.add_user(PM, locale="nl-NL", tz="Europe/Amsterdam")
    await world.slack.slash(PM, "lanceren", response_url=world.api.response_url("launch"))
    assert await _opened(world, 1) == "launch", "not taken as a question for the knowledge base"
    await world.slack.slash(PM, "instellingen", response_url=world.api.response_url("settings"))
    assert await _opened(world, 2) == "settings"


async def test_sluiten_closes_the_scan_as_close_does(world: SlackWorld) -> None:
    await _launch(world)
    for number, person in enumerate(TEAM):
        await _answer_invitation(world, person, pick=number % 3 + 1)
    await world.slack.slash(PM, "sluiten", response_url=world.api.response_url("pm"))
    await world.idle()
    told = [json.dumps(message) for message in world.api.messages[f"D{PM}"].values()]
    closed = phrases.CLOSED(Language.EN).format(number=1)
    assert any(closed in message for message in told)
    assert "Fase van de organisatie" in json.dumps(world.api.latest("C0REPORT"))


async def test_a_second_launch_is_refused_with_slacks_way_to_close(world: SlackWorld) -> None:
    await _launch(world)
    await world.slack.slash(PM, "launch", response_url=world.api.response_url("again"))
    await _opened(world, 2)
    before = len(world.api.called("chat.postMessage"))
    response = await world.slack.submit_view(
        PM, "launch", _launch_values(CHANNEL, "5", None), metadata="en"
    )
    assert response.status == 200
    await world.settled("chat.postMessage", before + 1)
    refusal = json.dumps(world.api.latest(f"D{PM}"))
    assert phrases.ALREADY_LAUNCHED(Language.EN) in refusal
    assert phrases.HOW_TO_CLOSE["slack"](Language.EN) in refusal


async def test_the_own_view_beside_the_result_is_all_in_the_language_the_person_chose(
    world: SlackWorld,
) -> None:
    """U1's Slack is in English, but they asked the advisor for Dutch: the introduction to
    their own view and the view itself are both Dutch."""
    await _launch(world)
    await world.slack.direct_message("U1", "taal nl")
    await world.idle()
    await world.slack.direct_message("U1", "verder")  # the question again, now in Dutch
    await world.idle()
    for number, person in enumerate(TEAM):
        await _answer_invitation(world, person, pick=number % 3 + 1)
    await world.slack.slash(PM, "close", response_url=world.api.response_url("pm"))
    await world.idle()
    sent = [json.dumps(message) for message in world.api.messages["DU1"].values()]
    dutch = phrases.RESULT_READY(Language.NL).format(number=1)
    english = phrases.RESULT_READY(Language.EN).format(number=1)
    assert not [message for message in sent if english in message]
    (shared,) = [message for message in sent if dutch in message]
    assert "Jouw beeld van de organisatie" in shared
