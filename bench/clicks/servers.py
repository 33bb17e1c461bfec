"""The servers under test, each a process of its own, and what /proc says they cost."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import aiohttp

SIGNING_SECRET = "bench-signing-secret-never-logged"
BOT_TOKEN = "xoxb-bench-bot-token-never-logged"
START_SECONDS = 60.0
STOP_SECONDS = 30.0
_TICKS = os.sysconf("SC_CLK_TCK")
_ROOT = Path(__file__).resolve().parents[2]
"""The checkout the bench runs from: its servers import the same code (bench/, bot/)."""


class Subject(StrEnum):
    ADVISOR = "advisor"
    FLOOR = "floor"
    ACK = "ack"


@dataclass(frozen=True)
class Served:
    """A server process answering Slack's requests at `events_url`."""

    subject: Subject
    process: asyncio.subprocess.Process
    events_url: str
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _command(subject: Subject, port: int, database: str, slack_api: str) -> list[str]:
    if subject is Subject.ADVISOR:
        return [sys.executable, "-m", "bot", "serve"]
    module = {Subject.FLOOR: "bench.clicks.floor_app", Subject.ACK: "bench.clicks.ack_app"}
    return [
        sys.executable,
        "-m",
        module[subject],
        "--port",
        str(port),
        "--database",
        database,
        "--slack-api",
        slack_api,
        "--signing-secret",
        SIGNING_SECRET,
        "--token",
        BOT_TOKEN,
    ]


def _environment(port: int, database: str, slack_api: str) -> dict[str, str]:
    """This process's environment without any ADVISOR_ setting, plus the one workspace's.

    As tests/slack/test_serve.py starts `advisor serve`: one workspace with a bot token and
    signing secret, the Web API at the fake.
    """
    env = {name: value for name, value in os.environ.items() if not name.startswith("ADVISOR_")}
    env.update(
        ADVISOR_PORT=str(port),
        ADVISOR_DATABASE_URL=database,
        ADVISOR_SLACK_API_URL=slack_api,
        ADVISOR_SLACK_BOT_TOKEN=BOT_TOKEN,
        ADVISOR_SLACK_SIGNING_SECRET=SIGNING_SECRET,
    )
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
    return env


@asynccontextmanager
async def serving(
    subject: Subject, folder: Path, database: str, slack_api: str
) -> AsyncIterator[Served]:
    """Start `subject` in `folder` (its own, so the advisor reads no .env; no terminal) and
    wait until it answers /healthz; SIGTERM it afterwards."""
    port = free_port()
    log = folder / f"{subject}.log"
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            *_command(subject, port, database, slack_api),
            env=_environment(port, database, slack_api),
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=output,
        )
    url = f"http://127.0.0.1:{port}"
    served = Served(subject, process, f"{url}/slack/events", log)
    try:
        await _until_live(served, f"{url}/healthz")
        yield served
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(STOP_SECONDS):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()


async def _until_live(served: Served, health: str) -> None:
    async with aiohttp.ClientSession() as http, asyncio.timeout(START_SECONDS):
        while True:
            if served.process.returncode is not None:
                raise RuntimeError(
                    f"{served.subject} exited with {served.process.returncode}:\n"
                    + served.log.read_text(errors="replace")[-4000:]
                )
            try:
                async with http.get(health) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.05)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used, from /proc/<pid>/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime and stime (fields 14 and 15)


def memory_mb(pid: int) -> tuple[float, float]:
    """The process's resident set now (VmRSS) and at its peak (VmHWM), in MB."""
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def database_backends(database: str) -> dict[int, float]:
    """The PostgreSQL backends now serving `database` (each names it in its process title),
    and the CPU time each has used."""
    found = {}
    for folder in Path("/proc").iterdir():
        if not folder.name.isdigit():
            continue
        try:
            title = (folder / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if title.startswith("postgres: ") and f" {database} " in title:
                found[int(folder.name)] = cpu_seconds(int(folder.name))
        except OSError:
            continue  # it ended while we looked
    return found


class BackendCpu:
    """The CPU the backends of one database use from now on, as seen by repeated `look`s.

    A pool that closes connections it has no room for ends backends while the run goes on:
    what a backend used after the last look before it ended is not counted, so this is a
    lower bound when backends come and go.
    """

    def __init__(self, database: str | None) -> None:
        self._database = database
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        if database is not None:
            self._first = database_backends(database)
            self._last = dict(self._first)

    def look(self) -> None:
        if self._database is None:
            return
        for pid, used in database_backends(self._database).items():
            self._first.setdefault(pid, 0.0)
            self._last[pid] = used

    @property
    def seconds(self) -> float:
        return sum(self._last[pid] - self._first[pid] for pid in self._last)


def machine_busy_seconds() -> float:
    """CPU time every core of the machine has spent on anything, from /proc/stat."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / _TICKS
