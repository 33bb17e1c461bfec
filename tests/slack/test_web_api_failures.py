"""Slack's Web API failing in every shape (JSON errors, plain-text and HTML pages, a broken body,
a reset, a hang): retried where that is safe, then named, sorted, recorded and explained."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import load_settings
from bot.slack.app import SERVER_ERROR_RETRIES, web_client
from bot.slack.delivery import SlackDelivery
from bot.slack.errors import FAILURES, code, undeliverable
from dialogs.campaigns import Audience, Campaigns, LaunchRequest, participation
from dialogs.delivery import Undeliverable
from dialogs.messages import Paragraph, People
from dialogs.nudging import RETRY_AFTER, UNAVAILABLE_ATTEMPTS, Dispatcher
from dialogs.records import NewTask, Organisation
from engine.recurrence import LocalTime
from engine.text import text
from engine.vocabulary import Language, TaskKind
from tests.fakes.slack_api import RESET, TEAM_ID, FakeSlackWebApi, Fault
from tests.slack.conftest import TOKEN, SlackWorld

METHOD = "chat.postMessage"
TIMEOUT = 1
"""The tests' per-call timeout: a hang lasts the fake's `hang_seconds` (30), far longer."""
QUICKLY = FixedValueRetryIntervalCalculator(0.01)
CALLS = SERVER_ERROR_RETRIES + 1
"""What one call costs when every try fails: the first, and each retry."""
PM, ANN = "slack:UPM", "slack:U1"
Breaker = Callable[[FakeSlackWebApi, int], None]


def _json_503(api: FakeSlackWebApi, times: int) -> None:
    api.fail_next(METHOD, "service_unavailable", status=503, times=times)


def _fault(fault: Fault) -> Breaker:
    return lambda api, times: api.break_next(METHOD, fault, times=times)


RETRIED: dict[str, tuple[Breaker, int]] = {
    "json 503": (_json_503, 503),
    "plain-text 503": (_fault(Fault.PLAIN_503), 503),
    "html 502": (_fault(Fault.HTML_502), 502),
    "broken json 500": (_fault(Fault.BROKEN_JSON), 500),
    "reset": (_fault(Fault.RESET), RESET),
}
"""Each shape Slack's edge fails in that a retry is safe for, and the status the fake records."""


def _client(api: FakeSlackWebApi) -> AsyncWebClient:
    """The client `advisor serve` uses, with the tests' timeout and quick retries."""
    return web_client(
        load_settings(slack_api_url=api.api_url), TOKEN, timeout=TIMEOUT, backoff=QUICKLY
    )


@pytest.mark.parametrize("shape", RETRIED)
async def test_a_passing_failure_is_retried_and_the_call_then_goes_through(
    fake_slack_web_api: FakeSlackWebApi, shape: str
) -> None:
    breaker, status = RETRIED[shape]
    breaker(fake_slack_web_api, SERVER_ERROR_RETRIES)

    answer = await _client(fake_slack_web_api).chat_postMessage(channel="C1", text="Hallo")

    assert answer["ok"] is True
    assert [call.status for call in fake_slack_web_api.calls] == [
        *[status] * SERVER_ERROR_RETRIES,
        200,
    ]
    assert len(fake_slack_web_api.messages["C1"]) == 1


async def test_the_retries_back_off_by_default(fake_slack_web_api: FakeSlackWebApi) -> None:
    fake_slack_web_api.break_next(METHOD, Fault.PLAIN_503, times=SERVER_ERROR_RETRIES)
    client = web_client(load_settings(slack_api_url=fake_slack_web_api.api_url), TOKEN)
    started = asyncio.get_running_loop().time()

    await client.chat_postMessage(channel="C1", text="Hallo")

    waited = asyncio.get_running_loop().time() - started
    assert waited >= 0.5 + 1.0, "half a second, then a second (each with up to 1 s of jitter)"


async def test_a_call_slack_does_not_answer_in_time_fails_after_the_timeout_without_a_retry(
    fake_slack_web_api: FakeSlackWebApi,
) -> None:
    fake_slack_web_api.break_next(METHOD, Fault.HANG)
    started = asyncio.get_running_loop().time()

    with pytest.raises(TimeoutError):
        await _client(fake_slack_web_api).chat_postMessage(channel="C1", text="Hallo")

    assert asyncio.get_running_loop().time() - started < TIMEOUT + 1
    assert len(fake_slack_web_api.called(METHOD)) == 1, "it may have gone out: never posted twice"


@pytest.mark.parametrize(
    ("shape", "named"),
    [
        ("json 503", "service_unavailable"),
        ("plain-text 503", "http_503"),
        ("html 502", "http_502"),
        ("broken json 500", "http_500"),
        ("reset", "client_os_error"),
    ],
)
async def test_a_failure_that_outlasts_the_retries_is_named_and_sorted_as_unavailable(
    fake_slack_web_api: FakeSlackWebApi, shape: str, named: str
) -> None:
    breaker, _ = RETRIED[shape]
    breaker(fake_slack_web_api, CALLS)

    with pytest.raises(FAILURES) as failed:
        await _client(fake_slack_web_api).chat_postMessage(channel="C1", text="Hallo")

    assert len(fake_slack_web_api.called(METHOD)) == CALLS
    assert code(failed.value) == named
    assert undeliverable(failed.value) is Undeliverable.UNAVAILABLE


async def test_a_hang_is_named_a_timeout_and_sorted_as_unavailable(
    fake_slack_web_api: FakeSlackWebApi,
) -> None:
    fake_slack_web_api.break_next(METHOD, Fault.HANG)

    with pytest.raises(FAILURES) as failed:
        await _client(fake_slack_web_api).chat_postMessage(channel="C1", text="Hallo")

    assert code(failed.value) == "timeout_error"
    assert undeliverable(failed.value) is Undeliverable.UNAVAILABLE


@pytest.mark.parametrize(
    ("error", "status", "failure"),
    [
        ("internal_error", 200, Undeliverable.UNAVAILABLE),
        ("fatal_error", 500, Undeliverable.UNAVAILABLE),
        ("ratelimited", 429, Undeliverable.UNAVAILABLE),
        ("an_error_of_tomorrow", 503, Undeliverable.UNAVAILABLE),
        ("an_error_of_tomorrow", 200, Undeliverable.OTHER),
        ("not_in_channel", 200, Undeliverable.NO_ACCESS),
    ],
)
async def test_slacks_json_errors_are_sorted_by_their_code_and_then_by_their_status(
    fake_slack_web_api: FakeSlackWebApi, error: str, status: int, failure: Undeliverable
) -> None:
    fake_slack_web_api.fail_next(METHOD, error, status=status, retry_after=0, times=4)

    with pytest.raises(FAILURES) as failed:
        await _client(fake_slack_web_api).chat_postMessage(channel="C1", text="Hallo")

    assert code(failed.value) == error
    assert undeliverable(failed.value) is failure


# Nudges: SlackDelivery and the dispatcher over real storage


def _dispatcher(world: SlackWorld) -> Dispatcher:
    """The dispatcher `advisor serve` runs, its Slack client with the tests' timeout."""

    async def client_for(org_id: int) -> tuple[Organisation, AsyncWebClient]:
        org = await world.core.organisations.get(org_id)
        assert org is not None
        return org, _client(world.api)

    return world.core.dispatcher(SlackDelivery(client_for), worker="test")


async def _task_due_now(world: SlackWorld) -> Organisation:
    """An organisation where Ann has a one-off task due now (Monday 10:00 in Amsterdam)."""
    org = await world.core.organisations.ensure(f"slack:{TEAM_ID}", "Fake Team")
    world.api.add_user("U1")
    now = world.clock.now()
    started = LocalTime.of(now, "Europe/Amsterdam").at
    title = text("Post from the calendar", "Post from the calendar")
    task = NewTask("post_calendar", TaskKind.POST, title, ANN, None, started, "Europe/Amsterdam")
    await world.core.activation.tasks.adopt(org.id, [task], by=PM, now=now)
    await world.core.activation.planner.plan_all()
    return org


async def _unavailable_for_every_attempt(world: SlackWorld, fault: Fault) -> None:
    """Slack fails every try of every attempt at the due nudges with `fault`, until the
    dispatcher gives up on them; each attempt is retried by the client first."""
    world.api.break_next(METHOD, fault, times=CALLS * UNAVAILABLE_ATTEMPTS)
    dispatcher = _dispatcher(world)
    for _ in range(UNAVAILABLE_ATTEMPTS + 1):
        await dispatcher.run()
        world.clock.advance(seconds=(RETRY_AFTER * UNAVAILABLE_ATTEMPTS).total_seconds())
    assert len(world.api.called(METHOD)) == CALLS * UNAVAILABLE_ATTEMPTS


async def test_a_nudge_slack_could_not_take_goes_out_on_a_later_try_to_a_person_still_reachable(
    world: SlackWorld,
) -> None:
    org = await _task_due_now(world)
    world.api.break_next(METHOD, Fault.PLAIN_503, times=CALLS)
    dispatcher = _dispatcher(world)

    first = await dispatcher.run()
    world.clock.advance(seconds=RETRY_AFTER.total_seconds())
    second = await dispatcher.run()

    assert (first.postponed, second.sent) == (1, 1)
    assert len(world.api.called(METHOD)) == CALLS + 1
    assert len(world.api.messages["DU1"]) == 1
    assert (await world.core.activation.people.get(org.id, ANN)).unreachable is None


async def test_a_nudge_whose_answer_never_came_but_that_reached_slack_is_not_sent_twice(
    world: SlackWorld,
) -> None:
    await _task_due_now(world)
    world.api.break_next(METHOD, Fault.HANG)
    dispatcher = _dispatcher(world)

    first = await dispatcher.run()
    world.clock.advance(seconds=RETRY_AFTER.total_seconds())
    second = await dispatcher.run()

    assert (first.postponed, second.sent) == (1, 1)
    assert len(world.api.called(METHOD)) == 1, "the history showed it, so it was not posted again"
    assert len(world.api.messages["DU1"]) == 1


async def test_a_nudge_slack_stays_unavailable_for_fails_with_its_reason_after_its_attempts(
    world: SlackWorld,
) -> None:
    org = await _task_due_now(world)

    await _unavailable_for_every_attempt(world, Fault.HTML_502)

    (failed,) = await world.core.activation.outbox.not_sent(org.id)
    assert (failed.status, failed.outcome) == ("failed", "unavailable: http_502")
    assert (await world.core.activation.people.get(org.id, ANN)).unreachable is None


async def test_a_scan_reminder_slack_stays_unavailable_for_is_explained_in_the_managers_status(
    world: SlackWorld,
) -> None:
    core = world.core
    org = await core.organisations.ensure(f"slack:{TEAM_ID}", "Fake Team")
    campaigns = Campaigns(
        organisations=core.organisations,
        scans=core.scans,
        launches=core.activation.launches,
        clock=world.clock,
        bank_version=core.advisor.knowledge.bank.version,
    )
    amsterdam = ZoneInfo("Europe/Amsterdam")
    request = LaunchRequest(
        launched_by=PM,
        audience=(Audience(ANN, amsterdam),),
        deadline=world.clock.now() + timedelta(days=4, hours=7),  # Friday 17:00 in Amsterdam
        report_to=None,
        threshold=3,
    )
    scan = await campaigns.launch(org.id, request)
    await core.activation.launches.mark_invited(org.id, scan.id, ANN, now=world.clock.now())
    world.clock.advance(days=3, hours=1)  # Thursday 11:00 in Amsterdam: the reminder is due
    await core.activation.planner.plan_all()

    await _unavailable_for_every_attempt(world, Fault.PLAIN_503)

    (failed,) = await core.activation.outbox.not_sent(org.id)
    assert failed.outcome == "unavailable: http_503"
    shown = participation(*await campaigns.status(org.id, PM), Language.EN)
    explanation = Paragraph(Undeliverable.UNAVAILABLE.explanation(Language.EN))
    assert shown[shown.index(explanation) + 1] == People((ANN,))
