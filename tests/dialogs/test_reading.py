"""The read side on its own: what is published, the plan it makes, the figures its phase asks."""

from __future__ import annotations

from dialogs import phrases, views
from dialogs.messages import Heading, Paragraph
from dialogs.reading import Planned, Published, Reading
from engine.kpi import metrics_for
from engine.plan import make_plan
from engine.scoring import OrgResult, Withheld
from engine.vocabulary import Language, Phase
from tests.dialogs.conftest import World, shipped_knowledge, take_scan

EN = Language.EN


def _reading(world: World) -> Reading:
    return Reading(
        organisations=world.organisations, scans=world.scans, knowledge=shipped_knowledge()
    )


async def _closed_scan(world: World, people: int) -> None:
    for number in range(people):
        await take_scan(world.advisor(), world.key(f"person-{number}"), pick=1)
    await world.close_scan()


async def test_before_any_scan_nothing_is_published_and_there_is_no_plan(world: World) -> None:
    reading = _reading(world)
    org = await reading.organisation(world.org_id)
    assert await reading.published(org) == Published(None, None, None)
    assert await reading.planned(world.org_id) == phrases.NEEDS_RESULT
    assert await reading.plan(world.org_id, EN) == (Paragraph(phrases.NEEDS_RESULT(EN)),)
    assert await reading.advice(world.org_id, EN) == (Paragraph(phrases.NEEDS_RESULT(EN)),)
    assert await reading.metrics(world.org_id) == metrics_for(Phase.AD_HOC)


async def test_a_scan_closed_below_the_threshold_publishes_no_result_to_plan_from(
    world: World,
) -> None:
    await _closed_scan(world, 3)
    reading = _reading(world)
    published = await reading.published(await reading.organisation(world.org_id))
    assert published.result == Withheld(respondents=3, threshold=5)
    assert await reading.planned(world.org_id) == phrases.NEEDS_RESULT


async def test_a_closed_scan_s_result_makes_the_plan_and_sets_the_figures_asked(
    world: World,
) -> None:
    await _closed_scan(world, 5)
    reading = _reading(world)
    result = (await reading.published(await reading.organisation(world.org_id))).result
    assert isinstance(result, OrgResult)
    assert result.overall is not None
    planned = await reading.planned(world.org_id)
    assert planned == Planned(result, make_plan(result, shipped_knowledge().catalogue))
    assert await reading.plan(world.org_id, EN) == views.plan(planned.plan, EN)
    assert await reading.metrics(world.org_id) == metrics_for(result.overall)


async def test_the_published_result_is_compared_with_the_scan_before_and_the_history_is_not(
    world: World,
) -> None:
    await _closed_scan(world, 5)
    await _closed_scan(world, 5)
    reading = _reading(world)
    org = await reading.organisation(world.org_id)
    published = await reading.published(org)
    assert isinstance(published.result, OrgResult)
    assert published.result.changes, "compared with the first scan"
    history = await reading.history(org)
    assert [scan.number for scan, _ in history] == [1, 2]
    assert all(isinstance(result, OrgResult) and not result.changes for _, result in history)


async def test_someone_who_answered_no_scan_reads_the_organisation_s_result_only(
    world: World,
) -> None:
    await _closed_scan(world, 5)
    reading = _reading(world)
    outsider = await reading.results(world.key("outsider"), EN)
    member = await reading.results(world.key("person-0"), EN)
    mine = Heading("How you see the organisation")
    assert mine not in outsider
    assert mine in member
    assert outsider == member[member.index(Heading(phrases.ORG_TITLE(EN))) :]
