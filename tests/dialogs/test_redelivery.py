"""A platform's redelivery: a turn with a delivery key is handled once, however often it comes."""

from __future__ import annotations

from dialogs.events import ChoiceSelected, ConversationStarted, TextReceived
from engine.vocabulary import Language
from tests.dialogs.conftest import World, prompt_of, text_of


async def test_a_redelivered_message_is_answered_once(world: World) -> None:
    advisor, key = world.advisor(), world.key("ann")

    first = await advisor.handle(key, TextReceived("help"), language=Language.EN, once="Ev1")
    again = await world.advisor().handle(key, TextReceived("help"), once="Ev1")

    assert "scan" in text_of(first)
    assert again == ()


async def test_a_redelivered_answer_moves_the_scan_on_once(world: World) -> None:
    advisor, key = world.advisor(), world.key("ann")
    prompt = prompt_of(await advisor.handle(key, ConversationStarted(), language=Language.EN))
    click = ChoiceSelected(prompt.prompt_id, (prompt.choices[0].id,))

    await advisor.handle(key, click, once="a1")
    await advisor.handle(key, click, once="a1")
    later = prompt_of(await advisor.handle(key, TextReceived("scan"), once="a2"))

    assert len(await world.stored(key)) == 1
    assert later.prompt_id != prompt.prompt_id


async def test_different_deliveries_of_the_same_words_are_each_answered(world: World) -> None:
    advisor, key = world.advisor(), world.key("ann")

    first = await advisor.handle(key, TextReceived("help"), language=Language.EN, once="Ev1")
    second = await advisor.handle(key, TextReceived("help"), once="Ev2")

    assert first == second != ()
