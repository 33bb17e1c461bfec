"""`ADVISOR_LOG_FORMAT=json`: one JSON object a line, carrying the request's id, never a secret."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp

from storage.secrets import SecretBox
from tests.fakes.slack_api import FakeSlackWebApi, fake_slack_web_api
from tests.slack.test_serve import (
    BOT_TOKEN,
    SETTLE_SECONDS,
    SIGNING_SECRET,
    advisor_serve,
    settled,
)

__all__ = ["fake_slack_web_api"]

USER = "U0LOGS1"
FIELDS = {"time", "level", "logger", "message"}


def _lines(logs: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in logs.splitlines() if line.strip()]


async def test_json_lines_parse_carry_the_request_id_and_hold_no_secret(
    tmp_path: Path, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api = fake_slack_web_api
    api.add_user(USER, locale="en-US")
    api.fail_next("chat.postMessage", "fatal_error", status=200)
    key = SecretBox.generate_key()
    async with advisor_serve(
        tmp_path,
        api,
        log_format="json",
        slack_signing_secret=SIGNING_SECRET,
        slack_bot_token=BOT_TOKEN,
        encryption_key=key,
    ) as advisor:
        async with advisor.http.get(
            f"{advisor.url}/healthz", headers={"X-Request-Id": "probe-1.a_b"}
        ) as kept:
            assert kept.headers["X-Request-Id"] == "probe-1.a_b"
        async with advisor.http.get(
            f"{advisor.url}/healthz", headers={"X-Request-Id": "x" * 65}
        ) as made:
            assert made.headers["X-Request-Id"] not in ("", "x" * 65)
        slack = advisor.slack()
        forged = await slack.direct_message(
            USER, "help", secret="not-the-secret", headers={"X-Request-Id": "forged-1"}
        )
        assert forged.status == 401
        answered = await slack.direct_message(USER, "help", headers={"X-Request-Id": "help-1"})
        assert answered.status == 200
        await settled(api, "chat.postMessage")
        ticked = await _scraped_after_a_tick(advisor.http, advisor.url)

        assert await advisor.stop() == 0

    logs = advisor.logs()
    lines = _lines(logs)
    assert all(line.keys() >= FIELDS for line in lines), logs
    assert all(line["time"].endswith("+00:00") for line in lines)
    assert any(line["message"].startswith("serving on http://") for line in lines)
    (refusal,) = [line for line in lines if line.get("request_id") == "forged-1"]
    assert refusal["route"] == "/slack/events"
    assert refusal["level"] == "WARNING"
    (failed,) = [line for line in lines if line.get("request_id") == "help-1"]
    assert failed["chat"] == "slack"
    for secret in (SIGNING_SECRET, BOT_TOKEN, key):
        assert secret not in logs
    assert "advisor_oldest_due_nudge_age_seconds 0.0" in ticked, "nothing is due"


async def _scraped_after_a_tick(http: aiohttp.ClientSession, url: str) -> str:
    """`/metrics` once the scheduler has finished a tick (it starts with the server)."""
    async with asyncio.timeout(SETTLE_SECONDS):
        while True:
            async with http.get(f"{url}/metrics") as response:
                scraped = await response.text()
            if "advisor_scheduler_tick_duration_seconds_count 0.0" not in scraped:
                return scraped
            await asyncio.sleep(0.05)
