"""Taking the scan through the turn runner, over stores that behave like the real ones."""

from __future__ import annotations

from dialogs.events import (
    ChoiceSelected,
    Command,
    CommandInvoked,
    ConversationKey,
    ConversationStarted,
    TextReceived,
)
from dialogs.messages import ChoicePrompt, Facts, Heading, Progress
from dialogs.records import Scan
from engine.bank import DONT_KNOW
from engine.vocabulary import Language
from tests.dialogs.conftest import (
    World,
    prompt_of,
    question_of,
    shipped_knowledge,
    take_scan,
    text_of,
)

BANK = shipped_knowledge().bank


async def test_the_first_turn_opens_the_baseline_scan_and_asks_question_one(world: World) -> None:
    reply = await world.advisor().handle(
        world.key("ann"), ConversationStarted(), language=Language.EN
    )
    progress = next(block for block in reply if isinstance(block, Progress))
    assert (progress.current, progress.total) == (1, len(BANK))
    assert "baseline" in text_of(reply)
    assert question_of(prompt_of(reply)) == BANK.questions[0].id
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
    assert question_of(prompt_of(reply)) == BANK.questions[1].id
    assert await world.stored(key) == {question_of(first): (first.choices[1].id,)}


async def test_going_back_and_answering_again_keeps_the_last_answer(world: World) -> None:
    advisor, key = world.advisor(), world.key("ann")
    first = prompt_of(await advisor.handle(key, ConversationStarted()))
    await advisor.handle(key, ChoiceSelected(first.prompt_id, (first.choices[0].id,)))
    again = prompt_of(await advisor.handle(key, CommandInvoked(Command.BACK)))
    assert again.prompt_id == first.prompt_id
    assert again.selected == (first.choices[0].id,)
    await advisor.handle(key, ChoiceSelected(first.prompt_id, (first.choices[2].id,)))
    assert await world.stored(key) == {question_of(first): (first.choices[2].id,)}


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
    assert question_of(prompt_of(resumed)) == BANK.questions[3].id
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
    assert question_of(prompt_of(reply)) == BANK.questions[0].id
    assert await world.stored(key) == {}


async def test_a_click_on_an_earlier_question_records_it_and_shows_the_current_one(
    world: World,
) -> None:
    advisor, key = world.advisor(), world.key("ann")
    reply = await advisor.handle(key, ConversationStarted())
    first = prompt_of(reply)
    await advisor.handle(key, ChoiceSelected(first.prompt_id, (first.choices[0].id,)))
    reply = await advisor.handle(key, ChoiceSelected(first.prompt_id, (first.choices[1].id,)))
    assert question_of(prompt_of(reply)) == BANK.questions[1].id
    assert await world.stored(key) == {question_of(first): (first.choices[1].id,)}


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
    assert question_of(prompt_of(reply)) == BANK.questions[0].id


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
    assert question_of(prompt_of(reply)) == BANK.questions[0].id
    assert await world.scans.history(world.org_id) == [theirs]


async def _rescan(world: World, key: ConversationKey) -> ChoicePrompt:
    """Answer the baseline's first question, close it, begin a re-scan; the baseline's
    second question (still on screen in the old message) is returned."""
    advisor = world.advisor()
    first = prompt_of(await advisor.handle(key, ConversationStarted(), language=Language.EN))
    old = prompt_of(await advisor.handle(key, ChoiceSelected(first.prompt_id, ("management",))))
    baseline = await world.scans.current(world.org_id)
    assert baseline is not None
    await world.scans.close(world.org_id, baseline.id, now=world.clock.now())
    await world.scans.open(world.org_id, bank_version=BANK.version, now=world.clock.now())
    return old


async def test_a_closed_scan_s_button_pressed_in_a_re_scan_stores_nothing_in_the_new_one(
    world: World,
) -> None:
    key = world.key("ann")
    old = await _rescan(world, key)
    advisor = world.advisor()
    await advisor.handle(key, CommandInvoked(Command.SCAN))
    reply = await advisor.handle(key, ChoiceSelected(old.prompt_id, (old.choices[0].id,)))
    assert "does not belong to your current scan" in text_of(reply)
    assert question_of(prompt_of(reply)) == BANK.questions[0].id
    assert await world.stored(key) == {}


async def test_a_closed_scan_s_button_pressed_outside_any_scan_says_that_scan_has_closed(
    world: World,
) -> None:
    key, advisor = world.key("ann"), world.advisor()
    old = await _rescan(world, key)
    click = ChoiceSelected(old.prompt_id, (old.choices[0].id,))
    assert "This scan is closed" in text_of(await advisor.handle(key, click))
    reply = await advisor.handle(key, click)
    assert "belongs to a scan that has closed; nothing was saved" in text_of(reply)
    assert await world.stored(key) == {}


async def test_a_button_of_the_running_scan_pressed_after_pausing_says_the_scan_is_paused(
    world: World,
) -> None:
    advisor, key = world.advisor(), world.key("ann")
    first = prompt_of(await advisor.handle(key, ConversationStarted(), language=Language.EN))
    await advisor.handle(key, CommandInvoked(Command.STOP))
    reply = await advisor.handle(key, ChoiceSelected(first.prompt_id, (first.choices[0].id,)))
    assert "You are not taking the scan" in text_of(reply)
    assert await world.stored(key) == {}


async def test_a_number_typed_during_the_scan_answers_the_current_question(world: World) -> None:
    advisor, key = world.advisor(), world.key("ann")
    first = prompt_of(await advisor.handle(key, ConversationStarted(), language=Language.EN))
    reply = await advisor.handle(key, TextReceived("2"))
    assert await world.stored(key) == {question_of(first): (first.choices[1].id,)}
    assert question_of(prompt_of(reply)) == BANK.questions[1].id


async def test_i_dont_know_typed_during_the_scan_answers_the_current_question(
    world: World,
) -> None:
    advisor, key = world.advisor(), world.key("ann")
    first = prompt_of(await advisor.handle(key, ConversationStarted(), language=Language.NL))
    await advisor.handle(key, TextReceived("Weet ik niet"))
    second = prompt_of(await advisor.handle(key, TextReceived("I don't know.")))
    assert await world.stored(key) == {
        question_of(first): (DONT_KNOW,),
        BANK.questions[1].id: (DONT_KNOW,),
    }
    assert question_of(second) == BANK.questions[2].id


async def test_a_number_off_the_list_during_the_scan_says_which_are_allowed_and_stores_nothing(
    world: World,
) -> None:
    advisor, key = world.advisor(), world.key("ann")
    await advisor.handle(key, ConversationStarted(), language=Language.EN)
    before = await world.conversations.load(world.org_id, key.storage_key)
    reply = await advisor.handle(key, TextReceived("9"))
    assert "Type one number from 1 to 5; nothing was saved." in text_of(reply)
    assert question_of(prompt_of(reply)) == BANK.questions[0].id
    assert await world.stored(key) == {}
    assert await world.conversations.load(world.org_id, key.storage_key) == before


async def test_outside_the_scan_a_number_and_i_dont_know_keep_their_meaning(
    world: World,
) -> None:
    advisor, key = world.advisor(), world.key("ann")
    await advisor.handle(key, ConversationStarted(), language=Language.EN)
    await advisor.handle(key, CommandInvoked(Command.STOP))
    assert "You are not taking the scan" in text_of(await advisor.handle(key, TextReceived("2")))
    answered = await advisor.handle(key, TextReceived("I don't know"))
    assert not any(isinstance(block, ChoicePrompt) for block in answered)
    assert await world.stored(key) == {}
