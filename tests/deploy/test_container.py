"""The image, run the way an operator runs it: compose.yaml with PostgreSQL, Slack through it.

One story, in order, since each step needs the one before: build the image, bring the stack up
(PostgreSQL, then `migrate`, then the advisor), scan in Slack through the container, find the
answer in PostgreSQL and the request in /metrics, stop with SIGTERM. It takes a few minutes,
mostly the build's downloads from PyPI. tests/deploy/compose.test.yaml is what these machines
need over compose.yaml (see its header).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import aiohttp
import pytest

from tests.deploy.containers import REPO, Runtime, check, run, runtime_or_fail
from tests.fakes.slack_api import TEAM_ID, FakeSlackWebApi
from tests.slack.scan_messages import buttons, shown_question
from tests.slack.slack_side import SlackSide
from tests.slack.stored_scans import stored_scans
from tests.slack.test_serve import BOT_TOKEN, SIGNING_SECRET, free_port

pytestmark = pytest.mark.container

HERE = Path(__file__).parent
USER = "U1"
CHANNEL = f"D{USER}"
POLL_SECONDS = 0.5
READY_ATTEMPTS = 360
"""Together a generous bound on the stack's start: the loops end as soon as it answers."""
SETTLE_SECONDS = 60
REQUEST_ID = "X-Request-Id"
CLICK_ID = "container-test-click"


@dataclass
class Stack:
    """compose.yaml and the test override, run as the project `project` from `folder`."""

    runtime: Runtime
    project: str
    folder: Path
    environment: dict[str, str]
    database_url: str
    url: str
    images: list[str] = field(default_factory=list)

    def compose_command(self) -> list[str]:
        files = [self.folder / "compose.yaml", self.folder / "compose.test.yaml"]
        return self.runtime.compose(self.project, files)

    async def compose(self, *args: str) -> str:
        return await check([*self.compose_command(), *args], cwd=self.folder, env=self.environment)

    async def container(self, service: str) -> str:
        """The id of `service`'s one container."""
        found = await check(
            [
                self.runtime.engine,
                "ps",
                "--all",
                "--quiet",
                "--filter",
                f"label=com.docker.compose.project={self.project}",
                "--filter",
                f"label=com.docker.compose.service={service}",
            ]
        )
        ids = found.split()
        assert len(ids) == 1, f"{service}: containers {ids}"
        return ids[0]

    async def state(self, service: str) -> dict[str, Any]:
        container = await self.container(service)
        shown = await check(
            [self.runtime.engine, "inspect", "--format", "{{json .State}}", container]
        )
        state: dict[str, Any] = json.loads(shown)
        return state

    async def exited(self, service: str) -> bool:
        return (await self.state(service))["Status"] == "exited"

    async def healthy(self, service: str) -> bool:
        """Whether the service's HEALTHCHECK passes now."""
        container = await self.container(service)
        if self.runtime.is_podman:
            # Podman runs health checks from systemd timers, which a machine without systemd
            # lacks: run the check itself.
            return (await run([self.runtime.engine, "healthcheck", "run", container])).code == 0
        return (await self.state(service)).get("Health", {}).get("Status") == "healthy"

    async def logs(self, service: str) -> str:
        container = await self.container(service)
        return (await run([self.runtime.engine, "logs", container])).output

    async def all_logs(self) -> str:
        shown = []
        for service in ("postgres", "migrate", "advisor"):
            try:
                shown.append(f"--- {service}\n{(await self.logs(service))[-4000:]}")
            except (AssertionError, pytest.fail.Exception) as missing:
                shown.append(f"--- {service}: {missing}")
        return "\n".join(shown)


async def _build(runtime: Runtime, tag: str, *where: str | Path) -> None:
    await check([runtime.engine, "build", *runtime.build_args(), "-t", tag, *where])


@asynccontextmanager
async def _stack(tmp_path: Path, api: FakeSlackWebApi) -> AsyncIterator[Stack]:
    """The images built and the compose project laid out in its own folder with its own .env;
    everything it made (containers, the volume, the images) removed afterwards."""
    runtime = await runtime_or_fail()
    run_id = uuid4().hex[:10]
    folder = tmp_path / "stack"
    folder.mkdir()
    shutil.copy(REPO / "compose.yaml", folder / "compose.yaml")
    shutil.copy(HERE / "compose.test.yaml", folder / "compose.test.yaml")
    password = secrets.token_hex(16)
    database_port, advisor_port = free_port(), free_port()
    assert database_port != advisor_port
    # The example as an operator starts from it, then filled in.
    filled = {
        "POSTGRES_PASSWORD": password,
        "ADVISOR_SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "ADVISOR_SLACK_BOT_TOKEN": BOT_TOKEN,
        "ADVISOR_SLACK_API_URL": api.api_url,
    }
    example = (REPO / ".env.example").read_text()
    lines = "".join(f"{name}={value}\n" for name, value in filled.items())
    (folder / ".env").write_text(f"{example}\n{lines}")
    advisor_image = f"localhost/ssrm-advisor-test:{run_id}"
    postgres_image = f"localhost/ssrm-advisor-test-postgres:{run_id}"
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ADVISOR_", "POSTGRES_"))
    }
    environment |= {
        "ADVISOR_IMAGE": advisor_image,
        "ADVISOR_TEST_POSTGRES_IMAGE": postgres_image,
        "ADVISOR_TEST_POSTGRES_PORT": str(database_port),
        "ADVISOR_TEST_PORT": str(advisor_port),
    }
    stack = Stack(
        runtime,
        f"advisor-test-{run_id}",
        folder,
        environment,
        f"postgresql+asyncpg://advisor:{password}@127.0.0.1:{database_port}/advisor",
        f"http://127.0.0.1:{advisor_port}",
    )
    try:
        stack.images.append(advisor_image)
        await _build(runtime, advisor_image, REPO)
        stack.images.append(postgres_image)
        await _build(runtime, postgres_image, "-f", HERE / "postgres.Containerfile", HERE)
        yield stack
    except BaseException:
        print(await stack.all_logs())
        raise
    finally:
        await run([*stack.compose_command(), "down", "--volumes"], cwd=folder, env=environment)
        for image in stack.images:
            await run([runtime.engine, "rmi", "--force", image])


async def _until(what: str, stack: Stack, ready: Callable[[], Awaitable[bool]]) -> None:
    """Poll `ready()` until it is true; fail with the stack's logs if it never is."""
    for _ in range(READY_ATTEMPTS):
        if await ready():
            return
        await asyncio.sleep(POLL_SECONDS)
    pytest.fail(f"{what} never happened:\n{await stack.all_logs()}", pytrace=False)


async def _answers(url: str, path: str) -> bool:
    try:
        async with aiohttp.ClientSession() as http, http.get(f"{url}{path}") as response:
            return response.status == 200
    except aiohttp.ClientConnectionError:
        return False


async def test_the_image_serves_a_slack_scan_from_compose_on_postgresql_and_stops_cleanly(
    tmp_path: Path,
) -> None:
    async with FakeSlackWebApi() as api, _stack(tmp_path, api) as stack:
        api.add_user(USER, locale="en-US")
        engine = stack.runtime.engine
        image = stack.images[0]
        user = await check([engine, "image", "inspect", "--format", "{{.Config.User}}", image])
        assert user.strip().split(":")[0] not in ("", "0", "root"), "the image runs as non-root"

        # The order compose.yaml's depends_on gives, one service at a time: Podman before 4.6
        # cannot wait for a healthy service, and 4.3 fails to start a container whose required
        # container (here `migrate`) has already exited.
        await stack.compose("up", "--detach", "--no-build", "postgres")
        await _until("PostgreSQL's health check", stack, lambda: stack.healthy("postgres"))
        await stack.compose("up", "--detach", "--no-build", "--no-deps", "migrate")
        await _until("migrate's exit", stack, lambda: stack.exited("migrate"))
        migrated = await stack.state("migrate")
        assert migrated["ExitCode"] == 0, await stack.logs("migrate")
        await stack.compose("up", "--detach", "--no-build", "--no-deps", "advisor")

        await _until("/readyz answering 200", stack, lambda: _answers(stack.url, "/readyz"))
        assert await stack.healthy("advisor"), "the image's HEALTHCHECK passes"

        async with aiohttp.ClientSession() as http:
            slack = SlackSide(http, f"{stack.url}/slack/events", SIGNING_SECRET, TEAM_ID)
            assert (await slack.direct_message(USER, "scan")).status == 200
            async with asyncio.timeout(SETTLE_SECONDS):
                await api.wait_for("chat.postMessage")
            question = api.latest(CHANNEL)
            asked = shown_question(question)
            assert asked is not None, question
            first = buttons(question)[0]
            clicked = await slack.click(USER, question, first, headers={REQUEST_ID: CLICK_ID})
            assert clicked.status == 200
            assert clicked.headers[REQUEST_ID] == CLICK_ID
            async with asyncio.timeout(SETTLE_SECONDS):
                await api.wait_for("chat.update")

            stored = (await stored_scans(stack.database_url, [USER]))[USER]
            assert list(stored.answers) == [asked], "the click's answer is in PostgreSQL"

            async with http.get(f"{stack.url}/metrics") as response:
                assert response.status == 200
                scraped = await response.text()
        assert _counted(scraped, route="/slack/events", method="POST", status="200") >= 2

        await stack.compose("stop")
        stopped = await stack.state("advisor")
        logs = await stack.logs("advisor")
        assert stopped["Status"] == "exited"
        assert stopped["ExitCode"] == 0, f"SIGTERM ends the advisor cleanly:\n{logs[-4000:]}"
        assert BOT_TOKEN not in logs
        assert SIGNING_SECRET not in logs
        # The image's logs are JSON lines (ADVISOR_LOG_FORMAT=json), from start-up to the stop.
        lines = [json.loads(line) for line in logs.splitlines() if line.strip()]
        assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
        assert any(line["message"].startswith("serving on http://") for line in lines)


def _counted(scraped: str, **labels: str) -> float:
    """The value of `advisor_http_requests_total` with exactly `labels` in a scrape."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(scraped):
        for sample in family.samples:
            if sample.name == "advisor_http_requests_total" and sample.labels == labels:
                return sample.value
    return 0.0
