"""Two `advisor serve` processes behind one load balancer, on one PostgreSQL.

Slack may deliver one person's quick clicks to different processes. Each process has its own
in-memory lock, so only the database can keep the turns apart: the conversation's optimistic
version, with each turn's answers saved in the transaction that moves the version on.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from engine.bank import default_bank
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack.scan_messages import buttons, checkbox_state
from tests.slack.stored_scans import StoredScan, stored_scans
from tests.slack.test_serve import BOT_TOKEN, SIGNING_SECRET, Served, advisor_serve, settled

pytestmark = pytest.mark.postgres
USER = "U1"
CHANNEL = f"D{USER}"


async def _stored(database_url: str) -> StoredScan:
    return (await stored_scans(database_url, [USER]))[USER]


async def _click_on_both(
    first: Served, second: Served, api: FakeSlackWebApi, picks: tuple[int, int]
) -> None:
    """The same message clicked twice at once, each click reaching another process."""
    message = api.latest(CHANNEL)
    choices = buttons(message)
    updates = len(api.called("chat.update"))
    await asyncio.gather(
        first.slack().click(USER, message, choices[picks[0]]),
        second.slack().click(USER, message, choices[picks[1]]),
    )
    await settled(api, "chat.update", updates + 2)


async def _click(served: Served, api: FakeSlackWebApi) -> bool:
    """Answer the question on screen through `served`; False once the scan is done."""
    message = api.latest(CHANNEL)
    updates = len(api.called("chat.update"))
    choices = buttons(message)
    if choices:
        await served.slack().click(USER, message, choices[0])
    else:
        state, submit = checkbox_state(message, picks=1)
        if not submit:
            return False
        await served.slack().click(USER, message, submit, state=state)
    await settled(api, "chat.update", updates + 1)
    return True


async def test_quick_clicks_handled_by_two_processes_never_corrupt_a_scan(
    tmp_path: Path, postgres_url: str, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api = fake_slack_web_api
    api.add_user(USER, locale="en-US")
    settings: dict[str, Any] = {
        "database_url": postgres_url,
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    # Entered in order: the first process migrates the database before the second starts.
    async with (
        advisor_serve(tmp_path / "a", api, **settings) as first,
        advisor_serve(tmp_path / "b", api, **settings) as second,
    ):
        await first.slack().direct_message(USER, "scan")
        await settled(api, "chat.postMessage")

        await _click_on_both(first, second, api, picks=(0, 0))  # a double click
        stored = await _stored(postgres_url)
        assert stored.state is not None
        assert stored.state.position == 1, "one click moved the scan on, the other changed nothing"
        assert len(stored.answers) == 1

        await _click_on_both(first, second, api, picks=(0, 1))  # a quick change of mind
        stored = await _stored(postgres_url)
        assert stored.state is not None
        assert stored.state.position == 2
        assert dict(stored.state.sheet.answers) == stored.answers, "the dialog holds what is stored"

        turn = 0
        while await _click((first, second)[turn % 2], api):
            turn += 1

    stored = await _stored(postgres_url)
    assert stored.finished
    assert stored.state is not None
    assert dict(stored.state.sheet.answers) == stored.answers
    assert set(stored.answers) == {question.id for question in default_bank()}
    assert "Done, thank you!" in json.dumps(api.latest(CHANNEL))
