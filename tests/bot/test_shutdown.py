"""SIGTERM: `advisor serve` stops taking requests, finishes those in flight, and exits 0."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from bot.slack.app import INSTALL_PATH, REDIRECT_PATH
from storage.secrets import SecretBox
from tests.fakes.slack_api import FakeSlackWebApi, Fault, fake_slack_web_api
from tests.slack.test_oauth_flow import follow_redirect, open_install_page
from tests.slack.test_serve import (
    CLIENT_ID,
    CLIENT_SECRET,
    EXIT_SECONDS,
    INSTALLED_TOKEN,
    SIGNING_SECRET,
    advisor_serve,
    settled,
)

__all__ = ["fake_slack_web_api"]

SLACK_ANSWERS_AFTER_SECONDS = 2.0
"""Long enough for SIGTERM to arrive while the install waits on Slack; far below the shutdown's
20 seconds."""


async def test_a_request_in_flight_at_sigterm_completes_and_the_process_exits_0(
    tmp_path: Path, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api = fake_slack_web_api
    api.set_client(CLIENT_ID, CLIENT_SECRET)
    api.hang_seconds = SLACK_ANSWERS_AFTER_SECONDS
    async with advisor_serve(
        tmp_path,
        api,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        encryption_key=SecretBox.generate_key(),
        slack_signing_secret=SIGNING_SECRET,
    ) as advisor:
        page = await open_install_page(advisor.http, f"{advisor.url}{INSTALL_PATH}")
        approved = api.authorize(
            page.link,
            team_id="T0ACME",
            team_name="Acme",
            installer="U0ACMEADMIN",
            bot_token=INSTALLED_TOKEN,
        )
        # Slack takes the code at once but answers late: the install is in flight meanwhile.
        api.break_next("oauth.v2.access", Fault.HANG)
        redirect = f"{advisor.url}{REDIRECT_PATH}"
        installing = asyncio.create_task(
            follow_redirect(advisor.http, redirect, approved, page.cookie)
        )
        await settled(api, "oauth.v2.access")
        assert not installing.done()

        advisor.process.send_signal(signal.SIGTERM)

        assert await installing == 200
        async with asyncio.timeout(EXIT_SECONDS):
            assert await advisor.process.wait() == 0
    assert "stopping: finishing the requests in flight" in advisor.logs()
