"""`advisor serve` as a real process: configured by environment, talking to a fake Slack."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from bot.cli import EXIT_CONFIG
from bot.slack.app import INSTALL_PATH, REDIRECT_PATH
from storage.secrets import SecretBox
from tests.fakes.slack_api import TEAM_ID, FakeSlackWebApi
from tests.fakes.socket_mode import FakeSocketMode
from tests.slack.slack_side import SlackSide
from tests.slack.test_oauth_flow import follow_redirect, open_install_page

SIGNING_SECRET = "signing-secret-5e5e5e-never-logged"
BOT_TOKEN = "xoxb-1111-bot-token-b0b0b0-never-logged"
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret-c1c1c1-never-logged"
APP_TOKEN = "xapp-1-A0ADVISOR-app-token-a9a9a9-never-logged"
INSTALLED_TOKEN = "xoxb-2222-installed-token-d4d4d4-never-logged"

START_ATTEMPTS = 600
START_POLL_SECONDS = 0.05
"""Together a generous bound on start-up: the loop ends as soon as /healthz answers."""
SETTLE_SECONDS = 30
EXIT_SECONDS = 30


@dataclass
class Served:
    """A running `advisor serve` and a client session to talk to it."""

    process: asyncio.subprocess.Process
    url: str
    http: aiohttp.ClientSession
    output: Path

    async def get(self, path: str) -> tuple[int, str]:
        async with self.http.get(f"{self.url}{path}") as response:
            return response.status, await response.text()

    def slack(self, team_id: str = TEAM_ID) -> SlackSide:
        return SlackSide(self.http, f"{self.url}/slack/events", SIGNING_SECRET, team_id)

    async def stop(self) -> int:
        """SIGTERM, as a service manager stops it; returns the exit code."""
        self.process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(EXIT_SECONDS):
            return await self.process.wait()

    def logs(self) -> str:
        return self.output.read_text(errors="replace")


def environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    """This process's environment without any ADVISOR_ setting, plus `settings` as ADVISOR_*."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("ADVISOR_")}
    env["ADVISOR_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'advisor.db'}"
    env.update({f"ADVISOR_{name.upper()}": value for name, value in settings.items()})
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def advisor_serve(
    tmp_path: Path, api: FakeSlackWebApi, *args: str, port: int | None = None, **settings: str
) -> AsyncIterator[Served]:
    """Start `advisor serve` (no terminal, its own folder, so no .env) and wait until it is live.

    On a free port, or on `port` to restart one where a killed one served.
    """
    port = port or free_port()
    env = environment(tmp_path, port=str(port), slack_api_url=api.api_url, **settings)
    output = tmp_path / "advisor.log"
    with output.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "serve",
            *args,
            env=env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    try:
        async with aiohttp.ClientSession() as http:
            served = Served(process, f"http://127.0.0.1:{port}", http, output)
            await _until_live(served)
            yield served
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _until_live(served: Served) -> None:
    for _ in range(START_ATTEMPTS):
        if served.process.returncode is not None:
            pytest.fail(f"advisor serve exited with {served.process.returncode}:\n{served.logs()}")
        try:
            status, _ = await served.get("/healthz")
        except aiohttp.ClientConnectionError:
            status = 0
        if status == 200:
            return
        await asyncio.sleep(START_POLL_SECONDS)
    pytest.fail(f"advisor serve did not answer /healthz:\n{served.logs()}")


async def advisor_until_exit(tmp_path: Path, *args: str, **settings: str) -> tuple[int, str]:
    """Run `advisor` to its end, without a terminal: its exit code and everything it printed.

    On a free port unless `settings` name one.
    """
    output = tmp_path / "advisor.log"
    with output.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *args,
            env=environment(tmp_path, **{"port": str(free_port()), **settings}),
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    try:
        async with asyncio.timeout(EXIT_SECONDS):
            code = await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return code, output.read_text(errors="replace")


def posted_with(api: FakeSlackWebApi) -> list[tuple[str | None, dict[str, Any]]]:
    return [(call.token, call.params) for call in api.calls if call.method == "chat.postMessage"]


async def settled(api: FakeSlackWebApi, method: str, count: int = 1) -> None:
    async with asyncio.timeout(SETTLE_SECONDS):
        await api.wait_for(method, count)


async def test_one_workspace_serves_health_readiness_and_a_direct_message_and_stops_on_sigterm(
    tmp_path: Path, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api = fake_slack_web_api
    api.add_user("U1", locale="en-US")
    async with advisor_serve(
        tmp_path, api, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET
    ) as advisor:
        assert (await advisor.get("/healthz"))[0] == 200
        assert (await advisor.get("/readyz"))[0] == 200

        response = await advisor.slack().direct_message("U1", "help")
        assert response.status == 200
        await settled(api, "chat.postMessage")

        assert await advisor.stop() == 0
    [(token, params)] = posted_with(api)
    assert token == BOT_TOKEN
    assert params["channel"] == "DU1"
    assert params["text"]


def _workers(tmp_path: Path) -> list[str]:
    """The dispatching workers the served database records (`storage.models.WorkerRow`)."""
    with closing(sqlite3.connect(tmp_path / "advisor.db")) as database:
        return [name for (name,) in database.execute("SELECT name FROM workers")]


async def test_a_server_stopped_on_sigterm_leaves_its_share_of_the_nudges_to_the_others(
    tmp_path: Path, fake_slack_web_api: FakeSlackWebApi
) -> None:
    async with advisor_serve(
        tmp_path, fake_slack_web_api, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET
    ) as advisor:
        async with asyncio.timeout(SETTLE_SECONDS):
            while not _workers(tmp_path):  # noqa: ASYNC110 (another process writes it: its first tick)
                await asyncio.sleep(START_POLL_SECONDS)
        seen = _workers(tmp_path)

        assert await advisor.stop() == 0

    assert len(seen) == 1
    assert _workers(tmp_path) == [], "the others would leave it its share until it is not seen"


async def test_many_workspaces_serve_the_install_page_with_slacks_authorize_link(
    tmp_path: Path, fake_slack_web_api: FakeSlackWebApi
) -> None:
    async with advisor_serve(
        tmp_path,
        fake_slack_web_api,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        encryption_key=SecretBox.generate_key(),
        slack_signing_secret=SIGNING_SECRET,
    ) as advisor:
        page = await open_install_page(advisor.http, f"{advisor.url}{INSTALL_PATH}")

        assert await advisor.stop() == 0
    assert page.status == 200
    query = parse_qs(urlsplit(page.link).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["state"] == [page.cookie]
    assert page.cookie


async def test_socket_mode_with_an_app_token_slack_refuses_exits_2_naming_it(
    tmp_path: Path, fake_slack_web_api: FakeSlackWebApi
) -> None:
    revoked = "xapp-1-A0ADVISOR-revoked-token-e5e5e5"
    fake_slack_web_api.set_token({BOT_TOKEN, APP_TOKEN})

    code, printed = await advisor_until_exit(
        tmp_path,
        "serve",
        "--socket-mode",
        slack_api_url=fake_slack_web_api.api_url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token=revoked,
    )

    assert code == EXIT_CONFIG
    assert "ADVISOR_SLACK_APP_TOKEN" in printed
    assert "invalid_auth" in printed
    assert revoked not in printed


async def test_a_one_workspace_server_never_logs_its_token_or_signing_secret(
    tmp_path: Path, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api = fake_slack_web_api
    api.add_user("U1", locale="en-US")
    async with advisor_serve(
        tmp_path, api, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET
    ) as advisor:
        slack = advisor.slack()
        assert (await slack.direct_message("U1", "help")).status == 200
        await settled(api, "chat.postMessage", 1)
        api.fail_next("chat.postMessage", error="channel_not_found", status=200)
        assert (await slack.direct_message("U1", "help")).status == 200
        await settled(api, "chat.postMessage", 2)
        forged = await slack.direct_message("U1", "help", secret="not-the-signing-secret")
        assert forged.status == 401
        assert (await advisor.slack("T0OTHER").direct_message("U9", "help")).status == 403

        assert await advisor.stop() == 0
    logs = advisor.logs()
    assert "serving on http://" in logs
    assert BOT_TOKEN not in logs
    assert SIGNING_SECRET not in logs


async def test_a_many_workspace_server_never_logs_its_secrets_or_the_tokens_it_stores(
    tmp_path: Path, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api = fake_slack_web_api
    api.set_client(CLIENT_ID, CLIENT_SECRET)
    api.add_user("U0ACME1", team_id="T0ACME", locale="en-US")
    key = SecretBox.generate_key()
    async with advisor_serve(
        tmp_path,
        api,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        encryption_key=key,
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
        redirect = f"{advisor.url}{REDIRECT_PATH}"
        assert await follow_redirect(advisor.http, redirect, approved, page.cookie) == 200
        assert await follow_redirect(advisor.http, redirect, approved, page.cookie) == 401
        assert (await advisor.slack("T0ACME").direct_message("U0ACME1", "help")).status == 200
        await settled(api, "chat.postMessage")

        assert await advisor.stop() == 0
    assert [token for token, _ in posted_with(api)] == [INSTALLED_TOKEN]
    logs = advisor.logs()
    assert "serving on http://" in logs
    for secret in (CLIENT_SECRET, SIGNING_SECRET, key, INSTALLED_TOKEN):
        assert secret not in logs


async def test_socket_mode_connects_acks_a_direct_message_and_replies_through_the_web_api(
    tmp_path: Path, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api = fake_slack_web_api
    api.add_user("U1", locale="en-US")
    async with (
        FakeSocketMode(api) as slack,
        advisor_serve(
            tmp_path,
            api,
            "--socket-mode",
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_app_token=APP_TOKEN,
        ) as advisor,
    ):
        async with asyncio.timeout(SETTLE_SECONDS):
            await slack.wait_connected()
        envelope_id = await slack.send_event(
            TEAM_ID,
            {
                "type": "message",
                "channel_type": "im",
                "channel": "DU1",
                "user": "U1",
                "text": "help",
                "ts": "1700000000.000100",
            },
        )
        async with asyncio.timeout(SETTLE_SECONDS):
            ack = await slack.wait_for_ack(envelope_id)
        await settled(api, "chat.postMessage")

        assert await advisor.stop() == 0
    assert ack == {"envelope_id": envelope_id}
    [opened] = [call for call in api.calls if call.method == "apps.connections.open"]
    assert opened.token == APP_TOKEN
    [(token, params)] = posted_with(api)
    assert token == BOT_TOKEN
    assert params["channel"] == "DU1"
    logs = advisor.logs()
    for secret in (APP_TOKEN, BOT_TOKEN, SIGNING_SECRET):
        assert secret not in logs


async def test_sigterm_while_socket_mode_is_still_connecting_ends_it_cleanly(
    tmp_path: Path, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api = fake_slack_web_api
    api.socket_mode_url = f"ws://127.0.0.1:{free_port()}/link/"
    async with advisor_serve(
        tmp_path,
        api,
        "--socket-mode",
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token=APP_TOKEN,
    ) as advisor:
        await settled(api, "apps.connections.open")

        assert await advisor.stop() == 0
