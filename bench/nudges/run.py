"""One scenario on one database: plant the due nudges, start `advisor serve` against the
rate-limited fake, and measure how long until every nudge reached it.

The clock runs from the first claim (the earliest `claimed_at` the outbox holds for the due
nudges, written by the serving process, or the fake's first message if that came earlier: a
renewed claim keeps only its latest time) to the moment the fake received the last nudge that
had not arrived yet. Start-up, migrations and the planning pass at the first tick come before
the first claim and are reported apart: `from_start` runs from spawning the processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.databases import SERVER_URL, fresh_postgres
from bench.nudges.fake import PER_CHANNEL, PER_WORKSPACE, READY
from bench.nudges.lean import lean_send
from bench.nudges.workspaces import claims, plant
from bench.results import peak_rss
from storage.secrets import SecretBox

START_SECONDS = 60
POLL_SECONDS = 0.2
STALL_SECONDS = 120
"""Nothing new delivered for this long: the rest counts as lost (a Retry-After is seconds)."""
SETTLE_SECONDS = 2
"""After the last nudge arrived, how long to watch for one sent twice."""
STOP_SECONDS = 30
ROOT = Path(__file__).resolve().parents[2]
"""Where `python -m bench.nudges.fake` is found (bench is not installed)."""
SIGNING_SECRET = "bench-signing-secret"
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "bench-client-secret"


@dataclass(frozen=True)
class Scenario:
    """`workspaces` workspaces, each with `nudges` people who have one nudge due."""

    workspaces: int
    nudges: int

    @property
    def name(self) -> str:
        return f"{self.workspaces}x{self.nudges}"

    @property
    def due(self) -> int:
        return self.workspaces * self.nudges

    @property
    def floor(self) -> float:
        """The seconds Slack's limits allow at best: a workspace's nudges at ten a second, and
        each person's one nudge at one a second in their channel (all workspaces in parallel)."""
        return max(self.nudges / PER_WORKSPACE, 1 / PER_CHANNEL)

    @classmethod
    def parse(cls, name: str) -> Scenario:
        workspaces, _, nudges = name.partition("x")
        return cls(int(workspaces), int(nudges))


@dataclass
class Outcome:
    scenario: Scenario
    database: str
    processes: int
    due: int
    delivered: int = 0
    duplicates: int = 0
    unexpected: int = 0
    rate_limited: int = 0
    reclaimed: int = 0
    """Due nudges the outbox says were claimed more than once (attempts above one)."""
    spawned: float = 0.0
    first_claim: float | None = None
    first_post: float | None = None
    last_arrival: float | None = None
    """Wall-clock times: the processes started, the first due nudge was claimed (or the first
    message reached the fake, if the rows tell of no earlier claim), the last due nudge reached
    it (None unless every due nudge did)."""
    startup: float = 0.0
    setup: float = 0.0
    rss: list[int] = field(default_factory=list)
    methods: dict[str, int] = field(default_factory=dict)
    exit_codes: list[int | None] = field(default_factory=list)
    ended: str = ""
    """Why the wait ended: every due nudge arrived, or what made the bench give up."""
    load: float = 0.0
    """The machine's load average over the last minute when the wait ended: with 2 cores,
    above 2 means other work took CPU time the advisor or the fake wanted."""

    @property
    def lost(self) -> int:
        return self.due - self.delivered

    @property
    def seconds(self) -> float | None:
        """From the first claim until every due nudge had arrived."""
        if self.first_claim is None or self.last_arrival is None:
            return None
        return self.last_arrival - self.first_claim

    @property
    def from_start(self) -> float | None:
        """From spawning the processes until every due nudge had arrived."""
        return None if self.last_arrival is None else self.last_arrival - self.spawned


async def measure(
    scenario: Scenario,
    database: str,
    *,
    postgres_url: str | None = None,
    give_up_after: float | None = None,
    keep: Path | None = None,
) -> Outcome:
    """Run `scenario` on `database` ("sqlite": one process; "postgresql": two, on a fresh
    database made on the server `postgres_url` points at). `keep` keeps the logs there."""
    processes = 2 if database == "postgresql" else 1
    with tempfile.TemporaryDirectory(prefix="bench-nudges-") as folder:
        root = Path(folder)
        async with _database(database, root, postgres_url) as url, _fake() as fake_url:
            key = SecretBox.generate_key()
            began = time.monotonic()
            due = await plant(url, key, scenario.workspaces, scenario.nudges)
            outcome = Outcome(scenario, database, processes, len(due))
            outcome.setup = time.monotonic() - began
            env = _environment(url, fake_url, key)
            await _serve(
                outcome, root, env, fake_url, due, give_up_after or 60 + 10 * scenario.floor
            )
            claimed, outcome.reclaimed = await claims(url, due)
            if claimed is not None:
                # A claim renewed or taken again keeps only its latest time, which can be later
                # than the first message the fake saw; no nudge is posted before it is claimed.
                posted = outcome.first_post or claimed.timestamp()
                outcome.first_claim = min(claimed.timestamp(), posted)
            if keep is not None:
                _keep_logs(root, keep, f"{scenario.name}-{database}")
    return outcome


async def lean(scenario: Scenario) -> tuple[float, int]:
    """`scenario` sent by the lean sender through a fake of its own: seconds, and 429s met."""
    async with _fake() as fake_url:
        return await lean_send(fake_url, scenario.workspaces, scenario.nudges)


async def _serve(
    outcome: Outcome,
    root: Path,
    env: dict[str, str],
    fake_url: str,
    due: list[int],
    give_up_after: float,
) -> None:
    """Start the processes, wait for every due nudge (or give up), and fill in `outcome`."""
    outcome.spawned = spawned = time.time()
    served = [_spawn(root / f"serve-{n}", env) for n in range(outcome.processes)]
    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{fake_url}bench/expect", json=due) as expecting:
                expecting.raise_for_status()
            await asyncio.gather(*(_until_live(http, port, process) for process, port in served))
            outcome.startup = time.time() - spawned
            outcome.ended = await _until_delivered(http, fake_url, len(due), give_up_after)
            outcome.load = os.getloadavg()[0]
            await asyncio.sleep(SETTLE_SECONDS)
            counts = await _counts(http, fake_url, full=True)
        outcome.rss = [rss for p, _ in served if (rss := peak_rss(p.pid)) is not None]
    finally:
        outcome.exit_codes = [_stop(process) for process, _ in served]
    wanted = set(due)
    delivered = set(counts["nudges"])
    outcome.delivered = len(delivered & wanted)
    outcome.unexpected = len(delivered - wanted)
    outcome.duplicates = counts["duplicates"]
    outcome.rate_limited = counts["rate_limited"]
    outcome.methods = counts["methods"]
    outcome.first_post = counts["first_post"]
    if outcome.delivered == len(wanted):
        outcome.last_arrival = counts["last_arrival"]


async def _until_delivered(
    http: aiohttp.ClientSession, fake_url: str, due: int, give_up_after: float
) -> str:
    """Poll the fake until every due nudge arrived, nothing new came for STALL_SECONDS, or
    `give_up_after` seconds passed."""
    deadline = time.monotonic() + give_up_after
    seen, progress = 0, time.monotonic()
    while True:
        arrived = (await _counts(http, fake_url))["arrived"]
        if arrived >= due:
            return "all delivered"
        now = time.monotonic()
        if arrived > seen:
            seen, progress = arrived, now
        if now > deadline:
            return f"gave up after {give_up_after:.0f} s"
        if now - progress > STALL_SECONDS:
            return f"gave up: nothing new for {STALL_SECONDS} s"
        await asyncio.sleep(POLL_SECONDS)


async def _counts(
    http: aiohttp.ClientSession, fake_url: str, *, full: bool = False
) -> dict[str, Any]:
    async with http.get(
        f"{fake_url}bench/counts", params={"full": "1"} if full else {}
    ) as response:
        response.raise_for_status()
        counts: dict[str, Any] = await response.json()
        return counts


def _environment(database_url: str, fake_url: str, key: str) -> dict[str, str]:
    """This process's environment without any ADVISOR_ setting, plus the serving ones."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("ADVISOR_")}
    settings = {
        "database_url": database_url,
        "slack_api_url": f"{fake_url}api/",
        "slack_client_id": CLIENT_ID,
        "slack_client_secret": CLIENT_SECRET,
        "slack_signing_secret": SIGNING_SECRET,
        "encryption_key": key,
        "tick_seconds": "1",
    }
    env.update({f"ADVISOR_{name.upper()}": value for name, value in settings.items()})
    return env


def _spawn(folder: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """`advisor serve` in a folder of its own (so no .env is read), on a free port."""
    folder.mkdir()
    port = _free_port()
    with (folder / "advisor.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            env={**env, "ADVISOR_PORT": str(port)},
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    return process, port


async def _until_live(
    http: aiohttp.ClientSession, port: int, process: subprocess.Popen[bytes]
) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"advisor serve exited with {process.returncode} at start-up")
        with contextlib.suppress(aiohttp.ClientError):
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                if response.status == 200:
                    return
        await asyncio.sleep(0.05)
    raise RuntimeError(f"advisor serve did not answer /healthz within {START_SECONDS} s")


def _stop(process: subprocess.Popen[bytes]) -> int | None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


@contextlib.asynccontextmanager
async def _fake() -> AsyncIterator[str]:
    """The rate-limited fake Slack in its own process; yields its base URL."""
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.nudges.fake",
        "--port",
        str(port),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        async with asyncio.timeout(START_SECONDS):
            line = await process.stdout.readline()
        if READY not in line.decode():
            raise RuntimeError("the fake Slack did not start")
        yield f"http://127.0.0.1:{port}/"
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()


@contextlib.asynccontextmanager
async def _database(kind: str, root: Path, postgres_url: str | None) -> AsyncIterator[str]:
    """A fresh database: a SQLite file in `root`, or a new one on the PostgreSQL server."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{root / 'advisor.db'}"
    elif kind == "postgresql":
        async with fresh_postgres(postgres_url or SERVER_URL, "bench_nudges") as url:
            yield url
    else:
        raise ValueError(f"no such database kind: {kind}")


def _keep_logs(root: Path, keep: Path, prefix: str) -> None:
    keep.mkdir(parents=True, exist_ok=True)
    for log in root.glob("serve-*/advisor.log"):
        (keep / f"{prefix}-{log.parent.name}.log").write_bytes(log.read_bytes())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
