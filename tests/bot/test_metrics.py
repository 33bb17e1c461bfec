"""`/metrics` counts what the advisor does, on the same port as /healthz, naming no one."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any, cast

import aiohttp
import pytest
from msrest.exceptions import HttpOperationError  # type: ignore[attr-defined]  # untyped export
from prometheus_client.parser import text_string_to_metric_families

from bot.metrics import Metrics
from bot.settings import load_settings
from bot.teams.connector import Connector, TeamsRefused
from dialogs.records import NewTask
from engine.text import text
from engine.vocabulary import Language, TaskKind
from tests.fakes.bot_connector import FakeConnector, fake_connector
from tests.fakes.slack_api import TEAM_ID, fake_slack_web_api
from tests.slack.conftest import SECRET, TOKEN, SlackWorld, database_url, world
from tests.slack.scan_messages import buttons
from tests.teams.conftest import serving
from tests.teams.team_scan import MANAGER

__all__ = ["database_url", "fake_connector", "fake_slack_web_api", "world"]  # the worlds' fixtures
MONDAY_TEN = datetime(2026, 11, 23, 10, 0)  # noqa: DTZ001 - a wall-clock time in the task's zone

USER = "UMETRICS1"
_LABEL_VALUE = re.compile(r'="((?:[^"\\]|\\.)*)"')


async def _scrape(http: aiohttp.ClientSession, base_url: str) -> str:
    async with http.get(f"{base_url.rstrip('/')}/metrics") as response:
        assert response.status == 200
        assert response.content_type == "text/plain"
        return await response.text()


def _value(text: str, name: str, **labels: str) -> float:
    """The sample `name` with exactly these labels, 0 when it is not there."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return 0.0


def label_values(text: str) -> set[str]:
    return {
        value
        for line in text.splitlines()
        if not line.startswith("#")
        for value in _LABEL_VALUE.findall(line)
    }


async def test_a_signed_slack_click_is_counted_by_route_method_and_status(
    world: SlackWorld,
) -> None:
    world.api.add_user(USER, locale="en-US")
    world.api.fail_next("chat.postMessage")  # a 429, waited out
    await world.slack.direct_message(USER, "scan")
    await world.settled("chat.postMessage", 2)
    message = world.api.latest(f"D{USER}")
    response = await world.slack.click(USER, message, buttons(message)[0])
    assert response.status == 200
    await world.idle()
    async with world.http.get(f"{world.base_url.rstrip('/')}/nowhere/{USER}") as missing:
        assert missing.status == 404

    text = await _scrape(world.http, world.base_url)

    counted = _value(
        text, "advisor_http_requests_total", route="/slack/events", method="POST", status="200"
    )
    assert counted == 2
    assert _value(text, "advisor_http_requests_total", route="other", method="GET", status="404")
    assert _value(text, "advisor_http_request_duration_seconds_count", route="/slack/events") == 2
    assert "advisor_db_pool_connections_in_use" in text
    assert _value(text, "advisor_turns_total", chat="slack", outcome="stored") == 2
    assert _value(text, "advisor_answers_stored_total", chat="slack") == 1
    calls = "advisor_web_api_calls_total"
    assert _value(text, calls, chat="slack", method="chat.postMessage", outcome="rate_limited") == 1
    assert _value(text, calls, chat="slack", method="chat.postMessage", outcome="ok") == 1
    assert _value(text, calls, chat="slack", method="chat.update", outcome="ok") == 1
    for secret in (USER, TOKEN, SECRET, "nowhere"):
        assert not any(secret in value for value in label_values(text)), secret


async def test_a_delivery_slack_sends_again_is_counted_as_a_duplicate_turn(
    world: SlackWorld,
) -> None:
    world.api.add_user(USER, locale="en-US")
    for _ in range(2):
        assert (await world.slack.direct_message(USER, "help", event_id="Ev0AGAIN")).status == 200
    await world.idle()

    text = await _scrape(world.http, world.base_url)

    assert _value(text, "advisor_turns_total", chat="slack", outcome="stored") == 1
    assert _value(text, "advisor_turns_total", chat="slack", outcome="duplicate") == 1


async def test_nudges_are_counted_by_kind_and_outcome_and_the_oldest_due_one_is_found(
    world: SlackWorld,
) -> None:
    for user in ("UPM", "UOWN"):
        world.api.add_user(user, locale="en-US")
    org = await world.core.organisations.ensure(f"slack:{TEAM_ID}", "Acme")
    org = await world.core.organisations.update_settings(
        org.id, replace(org.settings, manager="slack:UPM", language=Language.EN)
    )
    title = text("Wekelijkse post", "Weekly post")
    new = NewTask("post", TaskKind.POST, title, "slack:UOWN", "FREQ=WEEKLY", MONDAY_TEN, "UTC")
    await world.core.activation.tasks.adopt(org.id, [new], by="slack:UPM", now=world.clock.now())
    world.clock.set(datetime.fromisoformat("2026-11-23T10:05:00+00:00"))
    outbox = world.core.activation.outbox
    await world.core.activation.planner.plan_all()
    due = await outbox.oldest_due(world.clock.now())

    await world.send_due_nudges()

    assert due is not None
    assert due <= world.clock.now()
    assert await outbox.oldest_due(world.clock.now()) is None
    scraped = await _scrape(world.http, world.base_url)
    sent = [
        sample
        for family in text_string_to_metric_families(scraped)
        for sample in family.samples
        if sample.name == "advisor_nudges_total" and sample.labels["outcome"] == "sent"
    ]
    assert sum(sample.value for sample in sent) >= 1
    assert {sample.labels["kind"] for sample in sent} <= {"task_due", "digest", "report"}


async def test_a_teams_activity_is_counted_and_names_no_one(
    sqlite_url: str, fake_connector: FakeConnector
) -> None:
    settings = load_settings(database_url=sqlite_url, teams=True)
    async with serving(settings, fake_connector) as teams:
        await teams.installs(MANAGER)
        assert await teams.post(teams.says(MANAGER, "help")) == 200
        base = teams.url.removesuffix("/api/messages")

        scraped = await _scrape(teams.http, base)

    counted = _value(
        scraped, "advisor_http_requests_total", route="/api/messages", method="POST", status="200"
    )
    assert counted >= 2
    assert _value(scraped, "advisor_turns_total", chat="teams", outcome="stored") >= 1
    calls = "advisor_web_api_calls_total"
    assert _value(scraped, calls, chat="teams", method="send_activity", outcome="ok") >= 1
    values = label_values(scraped)
    for private in (str(MANAGER["id"]), str(MANAGER["name"])):
        assert not any(private in value for value in values), private


def _teams_answer(status: int) -> HttpOperationError:
    """What the SDK raises for Teams' answer `status` (built by hand: only its status is read)."""
    error = HttpOperationError.__new__(HttpOperationError)
    error.response = SimpleNamespace(status_code=status, headers={"Retry-After": "0"})
    error.error = None
    return error


async def test_teams_connector_calls_are_counted_by_method_and_outcome() -> None:
    metrics = Metrics()
    answers: list[HttpOperationError | None] = [_teams_answer(429), None, _teams_answer(403)]

    async def call() -> None:
        answer = answers.pop(0)
        if answer is not None:
            raise answer

    async def no_wait(_: float) -> None:
        return None

    connector = Connector(cast(Any, None), "", sleep=no_wait, metrics=metrics)

    await connector.patiently(call, method="send_activity")
    with pytest.raises(TeamsRefused):
        await connector.patiently(call, method="send_activity")

    text = metrics.exposition().decode()
    calls = "advisor_web_api_calls_total"
    assert _value(text, calls, chat="teams", method="send_activity", outcome="rate_limited") == 1
    assert _value(text, calls, chat="teams", method="send_activity", outcome="ok") == 1
    assert _value(text, calls, chat="teams", method="send_activity", outcome="error") == 1
