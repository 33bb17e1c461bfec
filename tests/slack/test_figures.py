"""The week's figures through a Slack modal: opened by `/advisor measure`, checked, stored."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import SlackWorld


def _typed(**figures: str) -> dict[str, Any]:
    return {
        name: {name: {"type": "number_input", "value": value}} for name, value in figures.items()
    }


async def _opened(world: SlackWorld) -> dict[str, Any]:
    world.api.add_user("UPM", locale="en-US")
    await world.slack.slash("UPM", "measure", response_url=world.api.response_url("m"))
    (opened,) = await world.settled("views.open", 1)
    view: dict[str, Any] = opened["view"]
    return view


async def test_the_measure_form_asks_the_phases_figures_for_last_week(world: SlackWorld) -> None:
    view = await _opened(world)

    assert view["callback_id"] == "measure"
    fields = [block["block_id"] for block in view["blocks"] if block["type"] == "input"]
    assert fields == ["posts", "reach", "engagements", "link_clicks", "sharers", "invited"]
    assert "2026-11-16" in json.dumps(view)
    assert "2026-11-22" in json.dumps(view)


async def test_submitted_figures_are_stored_and_the_engagement_rate_is_reported(
    world: SlackWorld,
) -> None:
    view = await _opened(world)

    response = await world.slack.submit_view(
        "UPM",
        "measure",
        _typed(posts="12", reach="4000", engagements="200", sharers="5", invited="20"),
        metadata=view["private_metadata"],
    )

    assert response.status == 200
    (saved,) = await world.settled("chat.postMessage", 1)
    assert "Engagement rate: 5.0%" in saved["text"]
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    (entry,) = await world.core.activation.kpis.series(org.id)
    assert entry.advocacy_participation == 25.0


async def test_more_sharers_than_invitees_is_refused_on_the_field_and_nothing_is_stored(
    world: SlackWorld,
) -> None:
    view = await _opened(world)

    response = await world.slack.submit_view(
        "UPM", "measure", _typed(sharers="30", invited="20"), metadata=view["private_metadata"]
    )

    answer = await response.json()
    assert set(answer["errors"]) == {"sharers"}
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    assert await world.core.activation.kpis.series(org.id) == []
