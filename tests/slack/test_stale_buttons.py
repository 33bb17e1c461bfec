"""A scan's buttons in Slack answer the scan they were shown for, end to end over HTTP."""

from __future__ import annotations

import copy
import json

from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import SlackWorld
from tests.slack.scan_messages import buttons


async def _sheets(world: SlackWorld, user: str) -> list[dict[str, tuple[str, ...]]]:
    """The person's answers in every scan, oldest scan first."""
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    return [
        dict((await world.core.scans.sheet(org.id, scan.id, f"slack:{user}")).answers)
        for scan in await world.core.scans.history(org.id)
    ]


async def test_a_closed_scan_s_button_pressed_during_a_re_scan_answers_nothing(
    world: SlackWorld,
) -> None:
    world.api.add_user("U1", locale="en-US")
    await world.slack.direct_message("U1", "scan")
    await world.settled("chat.postMessage", 1)
    first = world.api.latest("DU1")
    assert (await world.slack.click("U1", first, buttons(first)[0])).status == 200
    await world.settled("chat.update", 1)
    baseline_second_question = copy.deepcopy(world.api.latest("DU1"))

    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    baseline = await world.core.scans.current(org.id)
    assert baseline is not None
    await world.core.scans.close(org.id, baseline.id, now=world.clock.now())
    await world.slack.direct_message("U1", "scan")
    await world.settled("chat.postMessage", 2)
    before = await _sheets(world, "U1")

    stale = buttons(baseline_second_question)[1]
    response = await world.slack.click("U1", baseline_second_question, stale)

    assert response.status == 200
    (*_, update) = await world.settled("chat.update", 2)
    assert "does not belong to your current scan; nothing was saved" in json.dumps(update)
    assert await _sheets(world, "U1") == before
    assert before[1] == {}, "the re-scan holds no answer"
    assert len(before[0]) == 1, "the baseline keeps only the answer given in it"
