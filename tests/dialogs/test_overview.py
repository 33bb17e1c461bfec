"""A person's overview (a home page): their own scan, their view beside everyone's, no state."""

from __future__ import annotations

import pytest

from dialogs.events import ChoiceSelected, Command, CommandInvoked, ConversationStarted
from engine.vocabulary import Language
from tests.dialogs.conftest import World, prompt_of, take_scan, text_of


async def test_before_any_scan_the_overview_says_none_is_running_and_stores_nothing(
    world: World,
) -> None:
    reply = await world.advisor().overview(world.key("ann"), language=Language.EN)

    assert "No scan is running now" in text_of(reply)
    assert "What you can do" in text_of(reply)
    assert await world.conversations.load(world.org_id, world.key("ann").storage_key) is None


@pytest.mark.parametrize(
    ("language", "partway", "waiting"),
    [
        (
            Language.EN,
            "You've answered 1 of the 16 questions of scan 1",
            "Scan 1 is running and waiting for your answers",
        ),
        (
            Language.NL,
            "Je hebt 1 van de 16 vragen van scan 1 beantwoord",
            "Scan 1 loopt en wacht op jouw antwoorden",
        ),
    ],
)
async def test_partway_through_it_counts_the_persons_own_answers(
    world: World, language: Language, partway: str, waiting: str
) -> None:
    advisor = world.advisor()
    key = world.key("ann")
    prompt = prompt_of(await advisor.handle(key, ConversationStarted(), language=language))
    await advisor.handle(key, ChoiceSelected(prompt.prompt_id, (prompt.choices[0].id,)))

    reply = await advisor.overview(key)
    other = await advisor.overview(world.key("bob"), language=language)

    assert partway in text_of(reply)
    assert waiting in text_of(other)


async def test_after_finishing_it_thanks_them_in_the_language_they_chose(world: World) -> None:
    advisor = world.advisor()
    key = world.key("ann")
    await take_scan(advisor, key, language=Language.EN)
    await advisor.handle(key, CommandInvoked(Command.LANGUAGE, "nl"))

    reply = await advisor.overview(key, language=Language.EN)

    assert "Je hebt scan 1 afgerond" in text_of(reply)
    assert "Jouw beeld van de organisatie" in text_of(reply)
