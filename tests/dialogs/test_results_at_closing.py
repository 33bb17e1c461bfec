"""The organisation's result appears only when its scan closes: while a scan runs, everyone
sees how many took part, never a result that the next respondent's answers would change."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

import pytest

from dialogs import phrases
from dialogs.advisor import Advisor
from dialogs.events import Command, CommandInvoked, ConversationKey
from dialogs.messages import Chart, Heading, Paragraph, Reply
from dialogs.records import Invitee, Launch
from engine.scoring import OrgResult
from engine.vocabulary import Language
from tests.dialogs.conftest import World, take_scan, text_of
from tests.fakes.memory import InMemoryLaunchRepository

EN, NL = Language.EN, Language.NL


def _headings(reply: Reply) -> list[str]:
    return [block.text for block in reply if isinstance(block, Heading)]


def _paragraphs(reply: Reply) -> list[str]:
    return [block.text for block in reply if isinstance(block, Paragraph)]


async def _complete(world: World, people: range, pick: int = 1) -> None:
    for number in people:
        await take_scan(world.advisor(), world.key(f"person-{number}"), pick=pick)


async def _results(advisor: Advisor, key: ConversationKey, language: Language = EN) -> Reply:
    return await advisor.handle(key, CommandInvoked(Command.RESULTS), language=language)


async def test_while_the_scan_runs_nobody_sees_the_result_only_how_many_took_part(
    world: World,
) -> None:
    await _complete(world, range(6))

    for key in (world.key("outsider"), world.key("person-0")):
        reply = await _results(world.advisor(), key)
        assert phrases.ORG_TITLE(EN) not in _headings(reply)
        assert not any(isinstance(block, Chart) for block in reply)
        assert "Completed by" not in text_of(reply)
        assert "Scan 1 is running" in _headings(reply)
        assert "So far 6 people have completed the scan." in _paragraphs(reply)
        assert phrases.RESULT_AT_CLOSING(EN) in _paragraphs(reply)
    own = await _results(world.advisor(), world.key("person-0"))
    assert _headings(own)[0] == "How you see the organisation", "their own view is theirs"


async def test_the_published_result_and_the_history_leave_a_running_scan_out(
    world: World,
) -> None:
    await _complete(world, range(6))
    org = await world.organisations.get(world.org_id)
    assert org is not None
    advisor = world.advisor()

    published = await advisor.published(org)
    assert (published.scan, published.result) == (None, None)
    assert published.running is not None
    assert [result for _, result in await advisor.history(org)] == [None]
    for command in (Command.PLAN, Command.ADVICE):
        reply = await advisor.handle(world.key("pm"), CommandInvoked(command), language=EN)
        assert _paragraphs(reply) == [phrases.NEEDS_RESULT(EN)]


@pytest.mark.parametrize(
    ("people", "language", "said"),
    [
        (1, EN, "So far 1 person has completed the scan."),
        (2, EN, "So far 2 people have completed the scan."),
        (1, NL, "Tot nu toe heeft 1 persoon de scan ingevuld."),
        (2, NL, "Tot nu toe hebben 2 mensen de scan ingevuld."),
    ],
)
async def test_the_count_of_people_who_took_part_is_right_for_one_and_more(
    world: World, people: int, language: Language, said: str
) -> None:
    await _complete(world, range(people))
    reply = await _results(world.advisor(), world.key("outsider"), language)
    assert said in _paragraphs(reply)
    title = {EN: "Scan 1 is running", NL: "Scan 1 loopt"}[language]
    assert title in _headings(reply)
    assert phrases.RESULT_AT_CLOSING(language) in _paragraphs(reply)


async def test_once_the_scan_closes_everyone_sees_the_result_and_no_participation(
    world: World,
) -> None:
    await _complete(world, range(6))
    await world.close_scan()

    reply = await _results(world.advisor(), world.key("outsider"))
    assert phrases.ORG_TITLE(EN) in _headings(reply)
    assert any(isinstance(block, Chart) for block in reply)
    assert "Scan 1 is running" not in _headings(reply)
    assert phrases.RESULT_AT_CLOSING(EN) not in _paragraphs(reply)
    plan = await world.advisor().handle(world.key("pm"), CommandInvoked(Command.PLAN), language=EN)
    assert _headings(plan)[0].startswith("Plan: from")


def _differences(before: Reply, after: Reply) -> list[tuple[object, object]]:
    assert len(before) == len(after), "the same blocks, in the same order"
    return [(a, b) for a, b in zip(before, after, strict=True) if a != b]


@pytest.mark.parametrize("earlier_scan", [False, True], ids=["first scan", "re-scan"])
async def test_two_views_in_a_row_during_a_scan_differ_only_in_how_many_took_part(
    world: World, earlier_scan: bool
) -> None:
    if earlier_scan:
        await _complete(world, range(6), pick=0)
        await world.close_scan()
    advisor, observer = world.advisor(), world.key("observer")
    views = []
    for number in range(100, 108):
        await take_scan(world.advisor(), world.key(f"person-{number}"), pick=number % 4)
        views.append(
            [
                await advisor.handle(observer, CommandInvoked(command), language=EN)
                for command in (Command.RESULTS, Command.PLAN, Command.ADVICE)
            ]
        )

    for done, (before, after) in enumerate(pairwise(views), start=1):
        results_before, *rest_before = before
        results_after, *rest_after = after
        assert rest_before == rest_after, "plan and advice do not move during a scan"
        assert _differences(results_before, results_after) == [
            (
                Paragraph(phrases.PARTICIPATION_COMPLETED(EN, done)),
                Paragraph(phrases.PARTICIPATION_COMPLETED(EN, done + 1)),
            )
        ]
    shown = views[-1][0]
    if earlier_scan:
        assert "Scan 2 is running" in _headings(shown)
        assert phrases.EARLIER_RESULT(EN).format(number=1) in _paragraphs(shown)
        assert phrases.ORG_TITLE(EN) in _headings(shown), "the closed scan's result, still"
        assert any(isinstance(block, Chart) for block in shown)
    else:
        assert phrases.ORG_TITLE(EN) not in _headings(shown)


async def test_after_a_re_scan_closes_its_result_is_compared_with_the_closed_scan_before(
    world: World,
) -> None:
    await _complete(world, range(6), pick=0)
    await world.close_scan()
    await _complete(world, range(10, 16), pick=2)
    org = await world.organisations.get(world.org_id)
    assert org is not None

    running = await world.advisor().published(org)
    assert running.scan is not None
    assert running.scan.number == 1
    assert isinstance(running.result, OrgResult)
    assert not running.result.changes, "the baseline has nothing to compare with"

    await world.close_scan()
    closed = await world.advisor().published(org)
    assert closed.scan is not None
    assert closed.scan.number == 2
    assert closed.running is None
    assert isinstance(closed.result, OrgResult)
    assert closed.result.changes, "compared with scan 1"


@pytest.mark.parametrize(
    ("invited", "language", "said"),
    [
        (1, EN, "1 person was invited."),
        (12, EN, "12 people were invited."),
        (1, NL, "1 persoon is uitgenodigd."),
        (12, NL, "12 mensen zijn uitgenodigd."),
    ],
)
async def test_a_launched_scan_says_how_many_were_invited_and_when_it_closes(
    world: World, invited: int, language: Language, said: str
) -> None:
    launches = InMemoryLaunchRepository(world.scans)
    advisor = world.advisor(launches=launches)
    await take_scan(advisor, world.key("person-0"))
    scan = await world.scans.current(world.org_id)
    assert scan is not None
    deadline = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)  # 17:00 in Amsterdam
    people = [Invitee(f"test:person-{n}") for n in range(invited)]
    await launches.record(world.org_id, Launch(scan.id, "test:pm", deadline), people)

    reply = await _results(advisor, world.key("outsider"), language)
    counts = phrases.PARTICIPATION_COMPLETED(language, 1)
    assert f"{counts} {said}" in _paragraphs(reply)
    closing = phrases.RESULT_AT_CLOSING_ON(language).format(deadline="2026-11-27 17:00")
    assert closing in _paragraphs(reply)


@pytest.mark.parametrize(
    ("channel", "how"),
    [
        ("console", "'advisor scan close --org Acme'"),
        ("slack", "'/advisor close'"),
        ("teams", "'close' in the team's channel"),
    ],
)
async def test_each_chat_says_how_its_project_manager_closes_the_scan(
    world: World, channel: str, how: str
) -> None:
    await _complete(world, range(2))
    key = ConversationKey(channel, world.org_id, "pm", "pm")
    reply = await _results(world.advisor(), key)
    assert any(how in paragraph for paragraph in _paragraphs(reply))
