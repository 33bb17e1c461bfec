"""A submitted launch is stored before Slack's 200 and survives the process that ran it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import urlencode

from bot.slack.edge import FORM
from tests.fakes.slack_api import TEAM_ID, FakeSlackWebApi
from tests.slack.conftest import SlackWorld
from tests.slack.launch_form import launch_values
from tests.slack.slack_side import view_submission
from tests.slack.test_serve import BOT_TOKEN, SIGNING_SECRET, advisor_serve, settled

PM = "UPM"
CHANNEL = "C0TEAM"
CROWD = [f"UC{n:03d}" for n in range(40)]
RESUME_SECONDS = 30


def _invitations(api: FakeSlackWebApi, crowd: list[str] = CROWD) -> dict[str, int]:
    """How many messages each person of the crowd got."""
    return {user: len(api.messages.get(f"D{user}", {})) for user in crowd}


async def test_a_launch_cut_off_by_a_crash_is_carried_on_after_the_restart(
    tmp_path: Path, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api = fake_slack_web_api
    api.add_user(PM, locale="en-US", tz="Europe/Amsterdam")
    for user in CROWD:
        api.add_user(user, locale="en-US")
    api.set_members(CHANNEL, CROWD)
    settings = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "job_lease_seconds": "1",
        "tick_seconds": "0.2",
    }
    async with advisor_serve(tmp_path, api, **settings) as first:
        submitted = await first.slack().submit_view(
            PM, "launch", launch_values(CHANNEL, "5", None), metadata="en"
        )
        await settled(api, "chat.postMessage", 10)  # the manager's summary and some invitations
        first.process.kill()
        await first.process.wait()
    assert submitted.status == 200
    before = _invitations(api)
    assert 0 < sum(before.values()) < len(CROWD), "the crash came while inviting"

    async with advisor_serve(tmp_path, api, **settings) as second:
        async with asyncio.timeout(RESUME_SECONDS):
            while min(_invitations(api).values()) == 0:  # noqa: ASYNC110 - the fake's own log
                await asyncio.sleep(0.05)
        await second.stop()

    after = _invitations(api)
    twice = [user for user, count in after.items() if count > 1]
    assert len(twice) <= 1, "only the invitation in flight when the process died goes twice"
    managers = [json.dumps(message) for message in api.messages[f"D{PM}"].values()]
    assert sum("Invitations sent: 40" in message for message in managers) == 1
    assert sum("launched" in message.lower() for message in managers) == 1, "one summary"


async def test_a_launch_form_submitted_twice_launches_once(world: SlackWorld) -> None:
    api = world.api
    api.add_user(PM, locale="en-US")
    for user in CROWD[:3]:
        api.add_user(user, locale="en-US")
    api.set_members(CHANNEL, CROWD[:3])
    payload = view_submission(TEAM_ID, PM, "launch", launch_values(CHANNEL, "5", None))
    body = urlencode({"payload": json.dumps(payload)})

    responses = [await world.slack.post(body, FORM) for _ in range(2)]
    await world.idle()

    assert [response.status for response in responses] == [200, 200]
    assert _invitations(api, CROWD[:3]) == dict.fromkeys(CROWD[:3], 1)
    assert len(api.messages[f"D{PM}"]) == 1, "one summary, no 'already launched'"
