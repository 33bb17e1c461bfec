"""The command router on its own: which command, typed line or stray click does what, given
where the person is."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dialogs import phrases, prompts, views
from dialogs.events import ChoiceSelected, Command, CommandInvoked
from dialogs.messages import ChoicePrompt, Paragraph
from dialogs.reading import Reading
from dialogs.routing import Router
from dialogs.state import DialogState, RecordAnswer, Step, Transition
from engine.bank import DONT_KNOW
from engine.vocabulary import Language
from tests.dialogs.conftest import World, shipped_knowledge

EN, NL = Language.EN, Language.NL
BANK = shipped_knowledge().bank
IDLE = DialogState(language=EN)


def _router(world: World) -> Router:
    knowledge = shipped_knowledge()
    reading = Reading(organisations=world.organisations, scans=world.scans, knowledge=knowledge)
    return Router(reading=reading, scans=world.scans, clock=world.clock, knowledge=knowledge)


def _said(transition: Transition) -> str:
    return " ".join(block.text for block in transition.replies if isinstance(block, Paragraph))


async def _scanning(world: World, router: Router, answered: int = 0) -> DialogState:
    """Someone on question `answered` + 1 of the running scan (opened if none runs)."""
    state = (await router.start_scan(world.key("ann"), IDLE)).state
    for _ in range(answered):
        state = (await router.typed(world.key("ann"), state, "idk")).state
    assert state.position == answered
    return state


async def test_scan_opens_the_organisation_s_first_scan_and_asks_its_first_question(
    world: World,
) -> None:
    started = await _router(world).command(world.key("ann"), IDLE, CommandInvoked(Command.SCAN))
    scan = await world.scans.current(world.org_id)
    assert scan is not None
    assert started.state.step is Step.SCANNING
    assert started.state.scan_id == scan.id
    assert any(isinstance(block, ChoicePrompt) for block in started.replies)


@pytest.mark.parametrize("command", [Command.BACK, Command.STOP])
async def test_back_and_stop_outside_a_scan_say_no_scan_is_running(
    world: World, command: Command
) -> None:
    routed = await _router(world).command(world.key("ann"), IDLE, CommandInvoked(command))
    assert routed.state == IDLE
    assert _said(routed) == phrases.SCAN_NOT_RUNNING(EN)


async def test_stop_while_scanning_pauses_and_back_afterwards_resumes_one_question_earlier(
    world: World,
) -> None:
    router, key = _router(world), world.key("ann")
    scanning = await _scanning(world, router, answered=3)
    paused = await router.command(key, scanning, CommandInvoked(Command.STOP))
    assert paused.state.step is Step.IDLE
    assert _said(paused) == phrases.SCAN_PAUSED(EN)
    back = await router.command(key, paused.state, CommandInvoked(Command.BACK))
    assert (back.state.step, back.state.position) == (Step.SCANNING, 2)


async def test_back_on_the_first_question_of_a_running_scan_says_it_is_the_first(
    world: World,
) -> None:
    router = _router(world)
    scanning = await _scanning(world, router)
    back = await router.command(world.key("ann"), scanning, CommandInvoked(Command.BACK))
    assert back.state == scanning
    assert _said(back) == phrases.AT_FIRST(EN)


async def test_help_lists_the_commands_and_changes_nothing(world: World) -> None:
    routed = await _router(world).command(world.key("ann"), IDLE, CommandInvoked(Command.HELP))
    assert routed == Transition(IDLE, views.help_text(EN))


@pytest.mark.parametrize(("argument", "language"), [("nl", NL), (" NL ", NL), ("en", EN)])
async def test_language_switches_and_says_so_in_the_new_language(
    world: World, argument: str, language: Language
) -> None:
    routed = await _router(world).command(
        world.key("ann"), IDLE, CommandInvoked(Command.LANGUAGE, argument)
    )
    assert routed.state == replace(IDLE, language=language)
    assert _said(routed) == phrases.LANGUAGE_SET(language)


@pytest.mark.parametrize("argument", ["", "de", "dutch"])
async def test_an_unknown_language_is_refused_and_changes_nothing(
    world: World, argument: str
) -> None:
    routed = await _router(world).command(
        world.key("ann"), IDLE, CommandInvoked(Command.LANGUAGE, argument)
    )
    assert routed.state == IDLE
    assert _said(routed) == phrases.LANGUAGE_UNKNOWN(EN)


@pytest.mark.parametrize("command", [Command.PLAN, Command.ADVICE])
async def test_plan_and_advice_before_a_result_say_why_there_is_none(
    world: World, command: Command
) -> None:
    routed = await _router(world).command(world.key("ann"), IDLE, CommandInvoked(command))
    assert _said(routed) == phrases.NEEDS_RESULT(EN)


async def test_advice_with_words_is_a_question_and_a_scan_in_progress_is_shown_again(
    world: World,
) -> None:
    router = _router(world)
    scanning = await _scanning(world, router, answered=2)
    asked = await router.command(
        world.key("ann"), scanning, CommandInvoked(Command.ADVICE, "How do we measure ROI?")
    )
    assert asked.state == scanning
    assert asked.effects == ()
    (prompt,) = [block for block in asked.replies if isinstance(block, ChoicePrompt)]
    assert prompts.read(prompt.prompt_id) == prompts.ScanPrompt(
        BANK.questions[2].id, scanning.scan_id
    )


@pytest.mark.parametrize(
    "command",
    [
        Command.TASKS,
        Command.ADOPT,
        Command.DONE,
        Command.SKIP,
        Command.SNOOZE,
        Command.AWAY,
        Command.REASSIGN,
        Command.MEASURE,
    ],
)
async def test_tasks_and_figures_without_a_desk_say_they_are_not_available(
    world: World, command: Command
) -> None:
    routed = await _router(world).command(world.key("ann"), IDLE, CommandInvoked(command, "1"))
    assert routed.state == IDLE
    assert _said(routed) == phrases.DESK_UNAVAILABLE(EN)


@pytest.mark.parametrize("line", ["", "   ", "\n"])
async def test_an_empty_line_says_nothing_was_received(world: World, line: str) -> None:
    routed = await _router(world).typed(world.key("ann"), IDLE, line)
    assert _said(routed) == phrases.EMPTY_INPUT(EN)


async def test_a_number_outside_a_scan_says_no_scan_is_running(world: World) -> None:
    routed = await _router(world).typed(world.key("ann"), IDLE, "2")
    assert (routed.state, routed.effects) == (IDLE, ())
    assert _said(routed) == phrases.SCAN_NOT_RUNNING(EN)


async def test_a_number_while_scanning_answers_the_current_question(world: World) -> None:
    router = _router(world)
    scanning = await _scanning(world, router)
    typed = await router.typed(world.key("ann"), scanning, str(len(BANK.questions[0].options) + 1))
    assert typed.effects == (RecordAnswer(scanning.scan_id, BANK.questions[0].id, (DONT_KNOW,)),)


async def test_a_command_word_is_the_command(world: World) -> None:
    routed = await _router(world).typed(world.key("ann"), IDLE, "taal nl")
    assert routed.state.language is NL


async def test_a_stray_click_on_the_running_scan_s_button_says_no_scan_is_running(
    world: World,
) -> None:
    router = _router(world)
    scanning = await _scanning(world, router)
    assert scanning.scan_id is not None
    click = ChoiceSelected(prompts.prompt_id(scanning.scan_id, BANK.questions[0].id), (DONT_KNOW,))
    routed = await router.click_outside_scan(world.key("ann"), IDLE, click)
    assert (routed.state, routed.effects) == (IDLE, ())
    assert _said(routed) == phrases.SCAN_NOT_RUNNING(EN)


async def test_a_click_on_a_closed_scan_s_button_says_that_scan_closed(world: World) -> None:
    router = _router(world)
    scanning = await _scanning(world, router)
    assert scanning.scan_id is not None
    await world.close_scan()
    click = ChoiceSelected(prompts.prompt_id(scanning.scan_id, BANK.questions[0].id), (DONT_KNOW,))
    routed = await router.click_outside_scan(world.key("ann"), IDLE, click)
    assert (routed.state, routed.effects) == (IDLE, ())
    assert _said(routed) == phrases.BUTTON_SCAN_CLOSED(EN)


@pytest.mark.parametrize("channel", ["slack", "teams", "console"])
@pytest.mark.parametrize(("line", "language"), [("close", EN), ("sluiten", NL), ("Status", EN)])
async def test_a_managers_word_in_a_persons_own_chat_says_where_that_is_done(
    world: World, channel: str, line: str, language: Language
) -> None:
    key = replace(world.key("pim"), channel=channel)
    routed = await _router(world).typed(key, DialogState(language=language), line)
    assert _said(routed) == phrases.WHERE_TO_MANAGE[channel](language)
    assert routed.state == DialogState(language=language)


async def test_a_managers_word_while_scanning_shows_the_question_again(world: World) -> None:
    router = _router(world)
    state = await _scanning(world, router, answered=1)
    key = replace(world.key("ann"), channel="slack")
    routed = await router.typed(key, state, "close")
    assert phrases.WHERE_TO_MANAGE["slack"](EN) in _said(routed)
    assert any(isinstance(block, ChoicePrompt) for block in routed.replies)
    assert routed.state == state, "nothing answered, nothing closed"


async def test_a_question_that_starts_with_a_managers_word_is_a_question(world: World) -> None:
    key = replace(world.key("ann"), channel="slack")
    routed = await _router(world).typed(key, IDLE, "close the gap between posts and leads?")
    assert phrases.WHERE_TO_MANAGE["slack"](EN) not in _said(routed)
