"""The campaign in Teams as in Slack: the same words in Dutch, Teams' own way to close, and one
language for everything a person is sent."""

from __future__ import annotations

from dialogs import phrases
from engine.vocabulary import Language
from tests.teams.activities import message
from tests.teams.conftest import TeamsWorld
from tests.teams.team_scan import PEOPLE, answer_all, in_channel, install, launch, launching
from tests.teams.teams_side import texts


async def test_the_dutch_words_launch_and_close_as_the_english_ones_do(world: TeamsWorld) -> None:
    team = await install(world)
    _, (form,) = await in_channel(world, team, "lanceren")
    assert "Launch" in texts(form) or "Lanceren" in texts(form)
    await launch(world, team)
    for pick, person in enumerate(PEOPLE[:3]):
        await answer_all(world, person, pick)
    _, said = await in_channel(world, team, "sluiten")
    closed = phrases.CLOSED(Language.EN).format(number=1)
    assert any(closed in texts(activity) for activity in said)


async def test_a_second_launch_is_refused_with_teams_way_to_close(world: TeamsWorld) -> None:
    team = await install(world)
    await launch(world, team)
    thread, (form,) = await in_channel(world, team, "launch")
    assert await world.post(launching(world, team, thread, form)) == 200
    refusal = texts(world.connector.sent(thread)[-1])
    assert phrases.ALREADY_LAUNCHED(Language.EN) in refusal
    assert phrases.HOW_TO_CLOSE["teams"](Language.EN) in refusal
    assert "/advisor" not in refusal, "Teams has no slash command"


async def test_the_own_view_beside_the_result_is_all_in_the_language_the_person_chose(
    world: TeamsWorld,
) -> None:
    team = await install(world)
    await launch(world, team)
    ann = PEOPLE[1]
    conversation = world.connector.conversation_of(str(ann["id"]))
    assert conversation is not None
    for text in ("taal nl", "verder"):
        said = message(
            text,
            user=ann,
            conversation_id=conversation,
            service_url=world.connector.service_url,
            locale="en-US",
        )
        assert await world.post(said) == 200
    for pick, person in enumerate(PEOPLE[:4]):
        await answer_all(world, person, pick)
    await in_channel(world, team, "close")
    sent = [texts(activity) for activity in world.connector.sent(conversation)]
    dutch = phrases.RESULT_READY(Language.NL).format(number=1)
    english = phrases.RESULT_READY(Language.EN).format(number=1)
    assert not [text for text in sent if english in text]
    (shared,) = [text for text in sent if dutch in text]
    assert "Jouw beeld van de organisatie" in shared
