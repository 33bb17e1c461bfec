"""The advisor in Slack, end to end: signed HTTP requests in, Web API calls out (to a fake)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import TOKEN, SlackWorld, eventually
from tests.slack.scan_messages import buttons, checkbox_state

ROLE_QUESTION = "role"


async def answer_everything(world: SlackWorld, user: str, pick: int) -> dict[str, Any]:
    """Start the scan by direct message and answer every question with a click."""
    world.api.add_user(user, locale="en-US")
    channel = f"D{user}"
    posted = len(world.api.called("chat.postMessage"))
    await world.slack.direct_message(user, "scan")
    await world.settled("chat.postMessage", posted + 1)
    clicks = 0
    while True:
        message = world.api.latest(channel)
        choices = buttons(message)
        before = len(world.api.called("chat.update"))
        if choices:
            button = choices[min(pick, len(choices) - 2)]
            response = await world.slack.click(user, message, button)
        else:
            state, submit = checkbox_state(message, picks=2)
            if not submit:
                return message
            response = await world.slack.click(user, message, submit, state=state)
        assert response.status == 200
        await world.settled("chat.update", before + 1)
        clicks += 1
        assert clicks < 40, "the scan did not end"


async def test_slack_checks_the_url_once_with_a_challenge(world: SlackWorld) -> None:
    response = await world.slack.url_verification("3eZbrw1aBm2rZgRNFdxV")
    assert response.status == 200


async def test_a_forged_signature_gets_401_and_changes_nothing(world: SlackWorld) -> None:
    response = await world.slack.direct_message("U1", "scan", secret="not-the-secret")
    assert response.status == 401
    await asyncio.sleep(0.1)
    assert world.api.calls == []
    assert await world.core.organisations.find(f"slack:{TEAM_ID}") is None


async def test_a_stale_timestamp_gets_401_and_changes_nothing(world: SlackWorld) -> None:
    six_minutes_ago = int(time.time()) - 6 * 60
    response = await world.slack.slash("U1", "scan", timestamp=six_minutes_ago)
    assert response.status == 401
    await asyncio.sleep(0.1)
    assert world.api.calls == []


async def test_a_request_for_another_workspace_is_refused(world: SlackWorld) -> None:
    world.slack.team = "T0OTHER"
    response = await world.slack.direct_message("U9", "scan")
    assert response.status == 403
    await asyncio.sleep(0.1)
    assert world.api.called("chat.postMessage") == []
    assert await world.core.organisations.find("slack:T0OTHER") is None


async def test_an_oversized_body_is_refused(world: SlackWorld) -> None:
    response = await world.slack.direct_message("U1", "x" * 300_000)
    assert response.status == 413


async def test_a_whole_scan_by_clicks_updates_one_message_and_stores_every_answer(
    world: SlackWorld,
) -> None:
    final = await answer_everything(world, "U1", pick=1)
    assert "How you see the organisation" in json.dumps(final)
    assert len(world.api.messages["DU1"]) == 1, "the scan should stay one message"
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    scan = await world.core.scans.current(org.id)
    assert scan is not None
    sheet = await world.core.scans.sheet(org.id, scan.id, "slack:U1")
    assert len(sheet.answers) == len(world.core.advisor.knowledge.bank)


async def test_a_double_clicked_button_records_the_answer_once(world: SlackWorld) -> None:
    world.api.add_user("U1", locale="en-US")
    await world.slack.direct_message("U1", "scan")
    await world.settled("chat.postMessage", 1)
    message = world.api.latest("DU1")
    button = buttons(message)[0]
    await asyncio.gather(
        world.slack.click("U1", message, button), world.slack.click("U1", message, button)
    )
    await world.settled("chat.update", 2)
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    scan = await world.core.scans.current(org.id)
    assert scan is not None
    sheet = await world.core.scans.sheet(org.id, scan.id, "slack:U1")
    assert dict(sheet.answers) == {ROLE_QUESTION: (button["value"].split("|")[1],)}


async def test_six_people_answer_and_everyone_sees_the_organisation_result(
    world: SlackWorld,
) -> None:
    for number in range(6):
        await answer_everything(world, f"U{number}", pick=number % 3 + 1)
    world.api.add_user("UPM", locale="nl-NL")
    # The result appears when the scan closes: the project manager closes it.
    await world.slack.slash("UPM", "close", response_url=world.api.response_url("pm"))
    await world.idle()
    response = await world.slack.slash("UPM", "results", response_url=world.api.response_url("pm"))
    assert response.status == 200
    await world.settled("respond", 2)
    result = json.dumps(world.api.latest("DUPM"))
    assert "De organisatie" in result
    assert "Ingevuld door" in result
    assert "Ik heb je een direct bericht gestuurd" in json.dumps(world.api.called("respond"))


async def test_a_free_question_in_a_direct_message_is_answered(world: SlackWorld) -> None:
    world.api.add_user("U1", locale="en-US")
    await world.slack.direct_message("U1", "How do we measure ROI?")
    await world.settled("chat.postMessage", 1)
    assert "ROI" in json.dumps(world.api.latest("DU1"))


async def test_app_home_shows_the_status_and_what_you_can_do(world: SlackWorld) -> None:
    world.api.add_user("U1", locale="en-US")
    await world.slack.home_opened("U1")
    published = await world.settled("views.publish", 1)
    view = published[0]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home"
    assert "What you can do" in json.dumps(view)


async def test_a_rate_limited_post_waits_and_is_delivered_once(world: SlackWorld) -> None:
    world.api.add_user("U1", locale="en-US")
    world.api.fail_next("chat.postMessage", error="ratelimited", status=429, retry_after=0)
    await world.slack.direct_message("U1", "help")
    calls = await world.settled("chat.postMessage", 2)
    assert len(world.api.messages["DU1"]) == 1
    assert len(calls) == 2


async def test_an_unknown_action_is_refused_changes_nothing_and_says_so(world: SlackWorld) -> None:
    world.api.add_user("U1", locale="en-US")
    await world.slack.direct_message("U1", "scan")
    await world.settled("chat.postMessage", 1)
    message = world.api.latest("DU1")
    response = await world.slack.click(
        "U1", message, {"action_id": "explode", "type": "button", "value": "x"}
    )
    assert response.status == 400
    await world.settled("chat.postMessage", 2)
    assert "button" in world.api.latest("DU1")["text"]
    assert world.api.called("chat.update") == []


async def test_a_redelivered_event_is_handled_once(world: SlackWorld) -> None:
    world.api.add_user("U1", locale="en-US")
    first = await world.slack.direct_message("U1", "help", event_id="Ev0SAME")
    await world.settled("chat.postMessage", 1)
    retry = await world.slack.direct_message(
        "U1",
        "help",
        event_id="Ev0SAME",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert (first.status, retry.status) == (200, 200)
    await world.slack.direct_message("U1", "How do we measure ROI?", event_id="Ev0OTHER")
    second = await world.settled("chat.postMessage", 2)
    assert "ROI" in json.dumps(second[1]), "the retry must not have been answered again"


async def test_uninstalling_a_single_workspace_app_tells_the_operator_what_to_do(
    world: SlackWorld, caplog: pytest.LogCaptureFixture
) -> None:
    response = await world.slack.event({"type": "app_uninstalled"})

    assert response.status == 200

    async def logged() -> bool:
        return "ADVISOR_SLACK_BOT_TOKEN no longer works" in caplog.text

    await eventually(logged)
    assert TOKEN not in caplog.text


async def test_a_persons_language_choice_wins_over_their_slack_locale(world: SlackWorld) -> None:
    world.api.add_user("U1", locale="en-US")
    await world.slack.slash("U1", "language nl", response_url=world.api.response_url("first"))
    await world.settled("respond", 1)

    await world.slack.slash("U1", "help", response_url=world.api.response_url("second"))

    (_, answered) = await world.settled("respond", 2)
    assert answered["text"] == "Ik heb je een direct bericht gestuurd."
    assert "Wat je kunt doen" in json.dumps(world.api.latest("DU1"))
