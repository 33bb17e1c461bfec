"""`/metrics` counts what the advisor does, on the same port as /healthz, naming no one."""

from __future__ import annotations

import re

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from tests.fakes.slack_api import fake_slack_web_api
from tests.slack.conftest import SECRET, TOKEN, SlackWorld, database_url, world
from tests.slack.scan_messages import buttons

__all__ = ["database_url", "fake_slack_web_api", "world"]  # the Slack world's fixtures

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
    await world.slack.direct_message(USER, "scan")
    await world.settled("chat.postMessage", 1)
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
    for secret in (USER, TOKEN, SECRET, "nowhere"):
        assert not any(secret in value for value in label_values(text)), secret
