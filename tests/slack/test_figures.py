"""The week's figures through a Slack modal: opened by `/advisor measure` (for a week named, or
last week), checked as in the chat, stored; a problem is shown on its field and stores nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine.kpi import KpiEntry, Metric
from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import SlackWorld


def _values(
    view: dict[str, Any], *, week: str | None = None, checked: bool = False, **figures: str
) -> dict[str, Any]:
    """The state Slack sends when `view` is submitted: each field as shown, unless `figures`
    (by metric) or `week` say what the person typed or chose instead."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        name, element = block["block_id"], block["element"]
        if element["type"] == "static_select":
            option = element["initial_option"]
            if week is not None:
                option = next(o for o in element["options"] if o["value"] == week)
            state: dict[str, Any] = {"type": "static_select", "selected_option": option}
        elif element["type"] == "checkboxes":
            ticked = element["options"] if checked else []
            state = {"type": "checkboxes", "selected_options": ticked}
        else:
            state = {
                "type": element["type"],
                "value": figures.get(name, element.get("initial_value")),
            }
        values[name] = {name: state}
    return values


async def _opened(
    world: SlackWorld, text: str = "measure", locale: str = "en-US"
) -> dict[str, Any]:
    world.api.add_user("UPM", locale=locale)
    await world.slack.slash("UPM", text, response_url=world.api.response_url("m"))
    (opened,) = await world.settled("views.open", 1)
    view: dict[str, Any] = opened["view"]
    return view


async def _submit(world: SlackWorld, view: dict[str, Any], values: dict[str, Any]) -> Any:
    response = await world.slack.submit_view(
        "UPM", "measure", values, metadata=view["private_metadata"]
    )
    assert response.status == 200
    return await response.json() if response.content_length else None


async def _series(world: SlackWorld) -> list[KpiEntry]:
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    return await world.core.activation.kpis.series(org.id)


def _week_picker(view: dict[str, Any]) -> dict[str, Any]:
    (week,) = [b for b in view["blocks"] if b.get("block_id") == "week"]
    element: dict[str, Any] = week["element"]
    return element


async def test_the_measure_form_asks_the_phases_figures_for_last_week(world: SlackWorld) -> None:
    view = await _opened(world)

    assert view["callback_id"] == "measure"
    fields = [block["block_id"] for block in view["blocks"] if block["type"] == "input"]
    assert fields == [
        "week",
        "posts",
        "reach",
        "engagements",
        "link_clicks",
        "sharers",
        "invited",
        "checked",
    ]
    picker = _week_picker(view)
    assert picker["initial_option"]["value"] == "2026-W47"
    assert picker["initial_option"]["text"]["text"] == "2026-W47 (2026-11-16 to 2026-11-22)"
    assert [o["value"] for o in picker["options"]][:3] == ["2026-W47", "2026-W46", "2026-W45"]
    assert len(picker["options"]) == 12


async def test_submitted_figures_are_stored_and_the_engagement_rate_is_reported(
    world: SlackWorld,
) -> None:
    view = await _opened(world)

    values = _values(view, posts="12", reach="4,000", engagements="200", sharers="5", invited="20")
    assert await _submit(world, view, values) is None

    (saved,) = await world.settled("chat.postMessage", 1)
    assert "Saved for week 2026-W47" in saved["text"]
    assert "Engagement rate: 5.0%" in saved["text"]
    (entry,) = await _series(world)
    assert entry.values[Metric.REACH] == 4000
    assert entry.advocacy_participation == 25.0


async def test_an_earlier_week_chosen_in_the_form_is_the_one_stored(world: SlackWorld) -> None:
    view = await _opened(world)

    assert await _submit(world, view, _values(view, week="2026-W44", posts="3")) is None

    (entry,) = await _series(world)
    assert (entry.start.isoformat(), entry.end.isoformat()) == ("2026-10-26", "2026-11-01")


async def test_more_sharers_than_invitees_is_refused_on_the_field_and_nothing_is_stored(
    world: SlackWorld,
) -> None:
    view = await _opened(world)

    answer = await _submit(world, view, _values(view, sharers="30", invited="20"))

    assert set(answer["errors"]) == {"sharers"}
    assert await _series(world) == []


@pytest.mark.parametrize("typed", ["10²", "abc", "∞", "1e999", "NaN", "-5"])
async def test_a_value_that_is_no_count_is_refused_on_its_field_naming_it(
    world: SlackWorld, typed: str
) -> None:
    view = await _opened(world)

    answer = await _submit(world, view, _values(view, posts="2", reach=typed))

    assert set(answer["errors"]) == {"reach"}
    assert answer["errors"]["reach"].startswith("Reach (people who saw the posts)")
    assert await _series(world) == []


async def test_a_dutch_decimal_comma_is_refused_and_a_dutch_thousands_point_read(
    world: SlackWorld,
) -> None:
    view = await _opened(world, locale="nl-NL")

    answer = await _submit(world, view, _values(view, posts="3,5"))
    assert "geen heel getal" in answer["errors"]["posts"]

    assert await _submit(world, view, _values(view, posts="1.234")) is None
    (entry,) = await _series(world)
    assert dict(entry.values) == {Metric.POSTS: 1234}


async def test_engagements_above_reach_need_the_box_ticked(world: SlackWorld) -> None:
    view = await _opened(world)
    typed = {"reach": "1,000", "engagements": "5,000"}

    answer = await _submit(world, view, _values(view, **typed))
    assert set(answer["errors"]) == {"engagements", "checked"}
    assert answer["errors"]["engagements"].startswith(
        "Engagements (5,000) are higher than reach (1,000)"
    )
    assert await _series(world) == []

    assert await _submit(world, view, _values(view, checked=True, **typed)) is None
    (entry,) = await _series(world)
    assert entry.values[Metric.ENGAGEMENTS] == 5000


async def test_a_week_not_over_yet_is_refused_on_the_week(world: SlackWorld) -> None:
    view = await _opened(world)
    values = _values(view, posts="3")
    future = {"value": "2026-W48", "text": {"type": "plain_text", "text": "2026-W48"}}
    values["week"]["week"]["selected_option"] = future  # not offered: a forged submit

    answer = await _submit(world, view, values)

    assert set(answer["errors"]) == {"week"}
    assert "not over yet" in answer["errors"]["week"]
    assert await _series(world) == []


async def test_a_week_named_opens_with_its_figures_which_saving_replaces(
    world: SlackWorld,
) -> None:
    first = await _opened(world)
    assert await _submit(world, first, _values(first, week="2026-W45", posts="7")) is None
    await world.settled("chat.postMessage", 1)

    await world.slack.slash("UPM", "measure 2026 w45", response_url=world.api.response_url("n"))
    (_, opened) = await world.settled("views.open", 2)
    view = opened["view"]
    assert _week_picker(view)["initial_option"]["value"] == "2026-W45"
    (posts,) = [b for b in view["blocks"] if b.get("block_id") == "posts"]
    assert posts["element"]["initial_value"] == "7"

    assert await _submit(world, view, _values(view, posts="9", reach="100")) is None
    (entry,) = await _series(world)
    assert dict(entry.values) == {Metric.POSTS: 9, Metric.REACH: 100}


async def test_a_week_named_that_is_not_over_is_said_and_no_form_opens(world: SlackWorld) -> None:
    world.api.add_user("UPM", locale="en-US")
    await world.slack.slash("UPM", "measure 2026-W50", response_url=world.api.response_url("m"))

    (said,) = await world.settled("chat.postMessage", 1)
    assert "Week 2026-W50 is not over yet" in json.dumps(said)
    assert world.api.called("views.open") == []


async def test_a_submit_without_a_readable_week_is_refused_on_the_week(world: SlackWorld) -> None:
    view = await _opened(world)
    values = _values(view, posts="3")
    values["week"]["week"]["selected_option"] = "2026-W47"  # not an option: a malformed submit

    answer = await _submit(world, view, values)

    assert set(answer["errors"]) == {"week"}
    assert await _series(world) == []
