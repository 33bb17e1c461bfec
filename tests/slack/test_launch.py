"""A project manager launches a scan for a channel, follows it, closes it and gets the result."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import SlackWorld
from tests.slack.test_end_to_end import _buttons, _checkbox_state

PM = "UPM"
TEAM = [f"U{n}" for n in range(6)]
CHANNEL, REPORT = "C0TEAM", "C0REPORT"


def _launch_values(channel: str, threshold: str, deadline: str | None) -> dict[str, Any]:
    return {
        "audience": {
            "audience": {"type": "conversations_select", "selected_conversation": channel}
        },
        "deadline": {"deadline": {"type": "datepicker", "selected_date": deadline}},
        "threshold": {"threshold": {"type": "number_input", "value": threshold}},
        "report": {"report": {"type": "conversations_select", "selected_conversation": REPORT}},
    }


async def _launch(world: SlackWorld, deadline: str | None = "2026-11-27") -> None:
    api = world.api
    api.add_user(PM, locale="en-US", tz="Europe/Amsterdam")
    for person in TEAM:
        api.add_user(person, locale="nl-NL" if person == "U0" else "en-US", tz="America/New_York")
    api.add_user("UBOTX", is_bot=True)
    api.add_user("UGONE", deleted=True)
    api.set_members(CHANNEL, [*TEAM, "UBOTX", "UGONE"])
    await world.slack.slash(PM, "launch", response_url=api.response_url("launch"))
    opened = await world.settled("views.open", 1)
    view = opened[0]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "launch"
    response = await world.slack.submit_view(
        PM, "launch", _launch_values(CHANNEL, "5", deadline), metadata="en"
    )
    assert response.status == 200
    await world.settled("chat.postMessage", len(TEAM) + 1)


async def _answer_invitation(world: SlackWorld, user: str, pick: int) -> None:
    channel = f"D{user}"
    while True:
        message = world.api.latest(channel)
        buttons = _buttons(message)
        before = len(world.api.called("chat.update"))
        if buttons:
            await world.slack.click(user, message, buttons[min(pick, len(buttons) - 2)])
        else:
            state, submit = _checkbox_state(message, picks=1)
            if not submit:
                return
            await world.slack.click(user, message, submit, state=state)
        await world.settled("chat.update", before + 1)


async def test_launching_invites_the_channels_people_but_no_bots_or_leavers(
    world: SlackWorld,
) -> None:
    await _launch(world)
    invited = {call["channel"] for call in world.api.called("chat.postMessage")} - {PM}
    assert invited == set(TEAM)
    first = json.dumps(world.api.latest("DU0"))
    assert "uitgenodigd" in first, "invitations speak the invitee's language"
    summary = json.dumps(world.api.latest(f"D{PM}"))
    assert "launched for 6 people" in summary
    assert "Invitations sent: 6" in summary


async def test_a_threshold_below_three_is_refused_in_the_modal(world: SlackWorld) -> None:
    world.api.add_user(PM, locale="en-US")
    response = await world.slack.submit_view(
        PM, "launch", _launch_values(CHANNEL, "2", None), metadata="en"
    )
    assert response.status == 200
    answer = await response.json()
    assert answer["response_action"] == "errors"
    assert "at least 3" in answer["errors"]["threshold"]
    assert world.api.called("chat.postMessage") == []


async def test_the_manager_sees_who_finished_and_never_what_they_answered(
    world: SlackWorld,
) -> None:
    await _launch(world)
    await _answer_invitation(world, "U1", pick=2)
    await world.slack.slash(PM, "status", response_url=world.api.response_url("status"))
    await world.settled("respond", 1)
    status = json.dumps(world.api.latest(f"D{PM}"))
    assert "1 of the 6 people invited have completed" in status
    assert "<@U2>" in status
    assert "<@U1>" not in status
    assert "How you see the organisation" not in status


async def test_only_the_manager_may_close_and_then_the_result_reaches_the_report_channel(
    world: SlackWorld,
) -> None:
    await _launch(world)
    for number, person in enumerate(TEAM):
        await _answer_invitation(world, person, pick=number % 3 + 1)
    await world.slack.slash("U1", "close", response_url=world.api.response_url("u1"))
    await world.settled("respond", 1)
    assert "Only the project manager" in json.dumps(world.api.latest("DU1"))

    await world.slack.slash(PM, "close", response_url=world.api.response_url("pm"))
    uploads = await world.settled("files.completeUploadExternal", 2)
    report = json.dumps(world.api.latest(REPORT))
    assert "Organisation's phase" in report or "Fase van de organisatie" in report
    assert {call["channel_id"] for call in uploads} == {PM, REPORT} or len(uploads) == 2
    assert any(upload.content.startswith(b"\x89PNG") for upload in world.api.uploads.values())


async def test_the_deadline_closes_the_scan_and_the_result_is_published_once(
    world: SlackWorld,
) -> None:
    await _launch(world)
    for number, person in enumerate(TEAM):
        await _answer_invitation(world, person, pick=number % 3 + 1)
    world.clock.advance(days=5)
    await world.campaigns.tick()
    await world.campaigns.tick()
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    assert await world.core.scans.current(org.id) is None
    assert len([m for m in world.api.messages[REPORT].values()]) == 1


async def test_those_who_have_not_answered_are_reminded_once_before_the_deadline(
    world: SlackWorld,
) -> None:
    await _launch(world)
    await _answer_invitation(world, "U1", pick=1)
    posted = len(world.api.called("chat.postMessage"))
    world.clock.advance(days=3, hours=6)
    await world.campaigns.tick()
    await world.campaigns.tick()
    reminders = world.api.called("chat.postMessage")[posted:]
    assert {call["channel"] for call in reminders} == set(TEAM) - {"U1"}
