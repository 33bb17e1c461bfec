"""Results, plan and advice through the turn runner: anonymity first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from dialogs.events import ChoiceSelected, Command, CommandInvoked, TextReceived
from dialogs.messages import Chart, Heading, Reply
from dialogs.ports import ConcurrentUpdate, Once, TurnAnswers
from engine.vocabulary import Language
from tests.dialogs.conftest import World, prompt_of, question_of, take_scan, text_of


def _headings(reply: Reply) -> list[str]:
    return [block.text for block in reply if isinstance(block, Heading)]


async def _respondents(world: World, count: int, pick: int = 1, *, close: bool = True) -> None:
    """`count` people complete the scan; then it closes, unless `close` is False."""
    for number in range(count):
        await take_scan(world.advisor(), world.key(f"person-{number}"), pick=pick)
    if close:
        await world.close_scan()


async def test_a_scan_closed_below_the_threshold_says_how_few_completed_it(
    world: World,
) -> None:
    await _respondents(world, 3)
    reply = await world.advisor().handle(
        world.key("person-0"), CommandInvoked(Command.RESULTS), language=Language.EN
    )
    assert "3 people completed it and a result needs at least 5" in text_of(reply)
    assert not any(isinstance(block, Chart) for block in reply)


async def test_at_the_threshold_everyone_sees_the_organisation_result(world: World) -> None:
    await _respondents(world, 5)
    reply = await world.advisor().handle(
        world.key("outsider"), CommandInvoked(Command.RESULTS), language=Language.EN
    )
    assert "The organisation" in _headings(reply)
    assert any(isinstance(block, Chart) for block in reply)


async def test_nobody_sees_a_profile_but_their_own(world: World) -> None:
    await _respondents(world, 5)
    outsider = await world.advisor().handle(
        world.key("outsider"), CommandInvoked(Command.RESULTS), language=Language.EN
    )
    assert "How you see the organisation" not in _headings(outsider)
    respondent = await world.advisor().handle(
        world.key("person-0"), CommandInvoked(Command.RESULTS), language=Language.EN
    )
    assert _headings(respondent)[0] == "How you see the organisation"


async def test_plan_and_advice_wait_for_the_organisation_result(world: World) -> None:
    await _respondents(world, 2, close=False)
    advisor, key = world.advisor(), world.key("pm")
    for command in (Command.PLAN, Command.ADVICE):
        reply = await advisor.handle(key, CommandInvoked(command), language=Language.EN)
        assert "not available yet" in text_of(reply)


async def test_the_plan_and_advice_follow_from_the_result(world: World) -> None:
    await _respondents(world, 5, pick=1)
    advisor, key = world.advisor(), world.key("pm")
    plan = await advisor.handle(key, CommandInvoked(Command.PLAN), language=Language.EN)
    assert _headings(plan)[0].startswith("Plan: from Phase 2")
    assert "Always-on tasks" in _headings(plan)
    advice = await advisor.handle(key, CommandInvoked(Command.ADVICE))
    assert "Advice: the next step" in _headings(advice)
    assert "Phase 2" in text_of(advice)


async def test_a_question_the_advisor_cannot_answer_lists_what_it_knows(world: World) -> None:
    reply = await world.advisor().handle(
        world.key("pm"), TextReceived("what is the capital of Peru"), language=Language.EN
    )
    assert "I will not guess" in text_of(reply)
    assert "Measuring the ROI" in text_of(reply)


async def test_advice_with_a_question_answers_the_question(world: World) -> None:
    reply = await world.advisor().handle(
        world.key("pm"),
        TextReceived("advies hoe krijgen we medewerkers zover dat ze delen"),
        language=Language.NL,
    )
    assert "delen" in _headings(reply)[0].lower()


class _RacingStore:
    """A conversation store whose first save loses the race to another worker, which handled
    the same click (a double click) an instant earlier."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.lost = 0

    async def load(self, org_id: int, key: str) -> tuple[Mapping[str, Any], int] | None:
        return await self._inner.load(org_id, key)

    async def handled(self, org_id: int, once: str) -> bool:
        return await self._inner.handled(org_id, once)

    async def save(
        self,
        org_id: int,
        key: str,
        state: Mapping[str, Any],
        *,
        version: int | None,
        answers: TurnAnswers | None = None,
        once: Once | None = None,
    ) -> int:
        saving = {"version": version, "answers": answers, "once": once}
        if version is not None and not self.lost:
            self.lost += 1
            await self._inner.save(org_id, key, state, **saving)
            raise ConcurrentUpdate("another worker saved first")
        return await self._inner.save(org_id, key, state, **saving)


async def test_a_turn_that_loses_a_race_is_replayed_and_the_answer_recorded_once(
    world: World,
) -> None:
    advisor, key = world.advisor(), world.key("ann")
    first = prompt_of(await advisor.handle(key, CommandInvoked(Command.SCAN)))
    racing = _RacingStore(world.conversations)
    world.conversations = racing  # type: ignore[assignment]

    reply = await world.advisor().handle(
        key, ChoiceSelected(first.prompt_id, (first.choices[0].id,))
    )
    assert racing.lost == 1
    assert prompt_of(reply) is not None
    scan = await world.scans.current(world.org_id)
    assert scan is not None
    assert (await world.scans.sheet(world.org_id, scan.id, key.respondent)).answers == {
        question_of(first): (first.choices[0].id,)
    }


@pytest.mark.parametrize("language", list(Language))
async def test_results_plan_and_advice_exist_in_both_languages(
    world: World, language: Language
) -> None:
    await _respondents(world, 5)
    advisor, key = world.advisor(), world.key(f"pm-{language}")
    replies = [
        await advisor.handle(key, CommandInvoked(command), language=language)
        for command in (Command.RESULTS, Command.PLAN, Command.ADVICE)
    ]
    marker = {Language.NL: "De organisatie", Language.EN: "The organisation"}[language]
    assert marker in _headings(replies[0])
    other = {Language.NL: "The organisation", Language.EN: "De organisatie"}[language]
    assert all(other not in text_of(reply) for reply in replies)
