"""Taking the scan through the turn runner, over stores that behave like the real ones."""

from __future__ import annotations

from dialogs.events import (
    ChoiceSelected,
    Command,
    CommandInvoked,
    ConversationStarted,
    TextReceived,
)
from dialogs.messages import Facts, Heading, Progress
from dialogs.records import Scan
from engine.bank import DONT_KNOW
from engine.vocabulary import Language
from tests.dialogs.conftest import World, prompt_of, shipped_knowledge, take_scan, text_of

BANK = shipped_knowledge().bank


async def test_the_first_turn_opens_the_baseline_scan_and_asks_question_one(world: World) -> None:
    reply = await world.advisor().handle(
        world.key("ann"), ConversationStarted(), language=Language.EN
    )
    progress = next(block for block in reply if isinstance(block, Progress))
    assert (progress.current, progress.total) == (1, len(BANK))
    assert "baseline" in text_of(reply)
    assert prompt_of(reply).prompt_id == BANK.questions[0].id
    scans = await world.scans.history(world.org_id)
    assert [scan.number for scan in scans] == [1]


async def test_every_question_offers_i_dont_know(world: World) -> None:
    advisor, key = world.advisor(), world.key("ann")
    reply = await advisor.handle(key, ConversationStarted())
    for _ in BANK:
        prompt = prompt_of(reply)
        assert prompt.choices[-1].id == DONT_KNOW
        reply = await advisor.handle(key, ChoiceSelected(prompt.prompt_id, (DONT_KNOW,)))


async def test_an_answer_is_stored_before_the_next_question_is_shown(world: World) -> None:
    advisor, key = world.advisor(), world.key("ann")
    first = prompt_of(await advisor.handle(key, ConversationStarted()))
    reply = await advisor.handle(key, ChoiceSelected(first.prompt_id, (first.choices[1].id,)))
    assert prompt_of(reply).prompt_id == BANK.questions[1].id
    assert await world.stored(key) == {first.prompt_id: (first.choices[1].id,)}


async def test_going_back_and_answering_again_keeps_the_last_answer(world: World) -> None:
    advisor, key = world.advisor(), world.key("ann")
    first = prompt_of(await advisor.handle(key, ConversationStarted()))
    await advisor.handle(key, ChoiceSelected(first.prompt_id, (first.choices[0].id,)))
    again = prompt_of(await advisor.handle(key, CommandInvoked(Command.BACK)))
    assert again.prompt_id == first.prompt_id
    assert again.selected == (first.choices[0].id,)
    await advisor.handle(key, ChoiceSelected(first.prompt_id, (first.choices[2].id,)))
    assert await world.stored(key) == {first.prompt_id: (first.choices[2].id,)}


async def test_after_a_restart_the_scan_resumes_at_the_first_unanswered_question(
    world: World,
) -> None:
    key = world.key("ann")
    before = world.advisor()
    reply = await before.handle(key, ConversationStarted())
    for _ in range(3):
        prompt = prompt_of(reply)
        reply = await before.handle(key, ChoiceSelected(prompt.prompt_id, (prompt.choices[0].id,)))

    after = world.advisor()
    resumed = await after.handle(key, CommandInvoked(Command.SCAN))
    assert prompt_of(resumed).prompt_id == BANK.questions[3].id
    assert "4" in text_of(resumed)


async def test_an_unknown_option_says_so_and_stores_nothing(world: World) -> None:
    advisor, key = world.advisor(), world.key("ann")
    first = prompt_of(await advisor.handle(key, ConversationStarted()))
    reply = await advisor.handle(key, ChoiceSelected(first.prompt_id, ("no_such_option",)))
    assert prompt_of(reply).prompt_id == first.prompt_id
    assert "not one of the options" in text_of(reply) or "geen van de antwoorden" in text_of(reply)
    assert await world.stored(key) == {}


async def test_several_options_on_a_single_choice_question_are_refused(world: World) -> None:
    advisor, key = world.advisor(), world.key("ann")
    first = prompt_of(await advisor.handle(key, ConversationStarted()))
    assert not first.multiple
    both = (first.choices[0].id, first.choices[1].id)
    reply = await advisor.handle(key, ChoiceSelected(first.prompt_id, both))
    assert prompt_of(reply).prompt_id == first.prompt_id
    assert await world.stored(key) == {}


async def test_a_question_not_in_the_bank_is_refused_and_nothing_is_stored(world: World) -> None:
    advisor, key = world.advisor(), world.key("ann")
    await advisor.handle(key, ConversationStarted())
    reply = await advisor.handle(key, ChoiceSelected("deleted_question", ("a",)))
    assert prompt_of(reply).prompt_id == BANK.questions[0].id
    assert await world.stored(key) == {}


async def test_a_click_on_an_earlier_question_records_it_and_shows_the_current_one(
    world: World,
) -> None:
    advisor, key = world.advisor(), world.key("ann")
    reply = await advisor.handle(key, ConversationStarted())
    first = prompt_of(reply)
    await advisor.handle(key, ChoiceSelected(first.prompt_id, (first.choices[0].id,)))
    reply = await advisor.handle(key, ChoiceSelected(first.prompt_id, (first.choices[1].id,)))
    assert prompt_of(reply).prompt_id == BANK.questions[1].id
    assert await world.stored(key) == {first.prompt_id: (first.choices[1].id,)}


async def test_finishing_completes_the_sheet_and_shows_the_persons_own_profile(
    world: World,
) -> None:
    key = world.key("ann")
    reply = await take_scan(world.advisor(), key, pick=2)
    headings = [block.text for block in reply if isinstance(block, Heading)]
    assert headings == ["Done, thank you!", "How you see the organisation"]
    facts = next(block for block in reply if isinstance(block, Facts))
    assert len(facts.rows) == 6
    scan = await world.scans.current(world.org_id)
    assert scan is not None
    participation = await world.scans.participation(world.org_id, scan.id)
    assert [p.completed_at is not None for p in participation] == [True]


async def test_an_answer_to_a_closed_scan_is_refused_and_stores_nothing(world: World) -> None:
    advisor, key = world.advisor(), world.key("ann")
    first = prompt_of(await advisor.handle(key, ConversationStarted(), language=Language.EN))
    scan = await world.scans.current(world.org_id)
    assert scan is not None
    await world.scans.close(world.org_id, scan.id, now=world.clock.now())
    reply = await advisor.handle(key, ChoiceSelected(first.prompt_id, (first.choices[0].id,)))
    assert "closed" in text_of(reply)
    assert (await world.scans.sheet(world.org_id, scan.id, key.respondent)).answers == {}


async def test_a_free_question_during_the_scan_is_answered_and_the_question_shown_again(
    world: World,
) -> None:
    advisor, key = world.advisor(), world.key("ann")
    await advisor.handle(key, ConversationStarted(), language=Language.EN)
    reply = await advisor.handle(key, TextReceived("how do we measure ROI?"))
    assert "ROI" in text_of(reply)
    assert prompt_of(reply).prompt_id == BANK.questions[0].id


async def test_empty_input_gets_a_clear_message_and_changes_nothing(world: World) -> None:
    advisor, key = world.advisor(), world.key("ann")
    await advisor.handle(key, ConversationStarted(), language=Language.EN)
    before = await world.conversations.load(world.org_id, key.storage_key)
    reply = await advisor.handle(key, TextReceived("   "))
    assert "received nothing" in text_of(reply)
    assert await world.conversations.load(world.org_id, key.storage_key) == before


async def test_the_language_can_be_switched_in_the_conversation(world: World) -> None:
    advisor, key = world.advisor(), world.key("ann")
    await advisor.handle(key, ConversationStarted(), language=Language.NL)
    await advisor.handle(key, TextReceived("language en"))
    reply = await advisor.handle(key, TextReceived("help"))
    assert "What you can do" in text_of(reply)
    refused = await advisor.handle(key, TextReceived("taal fr"))
    assert "language nl" in text_of(refused)


async def test_a_scan_opened_by_someone_else_a_moment_ago_is_joined_not_reopened(
    world: World,
) -> None:
    theirs = await world.scans.open(world.org_id, bank_version=1, now=world.clock.now())
    reads = 0
    real_current = world.scans.current

    async def stale_first_read(org_id: int) -> Scan | None:
        nonlocal reads
        reads += 1
        return None if reads == 1 else await real_current(org_id)

    world.scans.current = stale_first_read  # type: ignore[method-assign]
    reply = await world.advisor().handle(world.key("ann"), ConversationStarted())
    assert prompt_of(reply).prompt_id == BANK.questions[0].id
    assert await world.scans.history(world.org_id) == [theirs]
