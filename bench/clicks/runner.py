"""One run of the bench: a server on a fresh database, its people set up, a timed loop of
clicks, and what the click cost the server (CPU, memory) and the people (time)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import tempfile
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import aiohttp
from sqlalchemy.engine import make_url

from bench.clicks.databases import count_answers, fresh_database, test_server_url
from bench.clicks.fake_slack import LeanSlack
from bench.clicks.load import (
    Click,
    Clicker,
    OpenLoop,
    ScansExhausted,
    closed_loop,
    open_loop,
)
from bench.clicks.people import Person, scan_request, user_id
from bench.clicks.servers import (
    SIGNING_SECRET,
    BackendCpu,
    Served,
    Subject,
    cpu_seconds,
    machine_busy_seconds,
    memory_mb,
    serving,
)
from bench.clicks.synthetic import QUESTIONS, question_blocks

SAMPLE_SECONDS = 0.1
SETUP_SECONDS = 60.0
SETUP_CONCURRENCY = 10
"""Scans are started this many at a time: setting up is not timed, and gentler is surer."""
LOG_TAIL = 4000
"""How much of a failed server's log its error quotes."""


class NotStarted(Exception):
    """The advisor answered a person's "scan" with something that asks no question."""


class Loop(StrEnum):
    CLOSED = "closed"
    OPEN = "open"


@dataclass(frozen=True)
class Options:
    """What to run, as the command line says it (the defaults are issue 18's measurement)."""

    clicks: int = 2000
    concurrency: int = 50
    subjects: tuple[Subject, ...] = (Subject.ADVISOR, Subject.FLOOR, Subject.ACK)
    databases: tuple[str, ...] = ("sqlite", "postgresql")
    loops: tuple[Loop, ...] = (Loop.CLOSED, Loop.OPEN)
    postgres_url: str | None = None
    warmup: int = 100
    repeat: int = 1
    """Rounds of every run: other work on the machine comes and goes, and the median of a few
    rounds moves less than any one of them."""
    logs: Path | None = None
    """Where to keep each server's log, named after its run; by default they are dropped."""
    clicks_per_person_open: int = 4
    """The open loop has a person for every this many clicks: senders do not wait for a
    person's update, so the more people, the more often someone's next question is on screen."""


@dataclass
class Run:
    """What one run measured."""

    subject: Subject
    database: str
    loop: Loop
    clicks: list[Click]
    seconds: float
    cpu_seconds: float
    rss_peak_mb: float
    rss_steady_mb: float
    generator_cpu_seconds: float
    stored: int
    expected: int
    stalled_seconds: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)
    database_cpu_seconds: float = 0.0
    """PostgreSQL's backends for this run's database (0 on SQLite: it is the server's); a
    lower bound where the server's pool ends connections during the run."""
    machine_busy_seconds: float = 0.0
    repetition: int = 1
    """Which round of `Options.repeat` this run was."""
    api_calls: Counter[str] = field(default_factory=Counter)
    """The Web API calls the fake got while the run was timed, by method."""

    @property
    def api_calls_per_click(self) -> float:
        return sum(self.api_calls.values()) / max(len(self.clicks), 1)

    @property
    def database_ms_per_click(self) -> float:
        return 1000 * self.database_cpu_seconds / max(len(self.clicks), 1)

    @property
    def others_load(self) -> float:
        """Cores busy with other work than the server, its database and the load generator
        (other programs on the machine): what makes a run's figures less trustworthy."""
        mine = self.cpu_seconds + self.database_cpu_seconds + self.generator_cpu_seconds
        return max(self.machine_busy_seconds - mine, 0.0) / self.seconds

    @property
    def name(self) -> str:
        database = "-" if self.subject is Subject.ACK else self.database
        return f"{self.subject}/{database}/{self.loop}"

    @property
    def done(self) -> list[Click]:
        return [click for click in self.clicks if not click.lost]

    @property
    def lost(self) -> int:
        return len(self.clicks) - len(self.done)

    @property
    def throughput(self) -> float:
        return len(self.done) / self.seconds

    @property
    def cpu_ms_per_click(self) -> float:
        return 1000 * self.cpu_seconds / max(len(self.clicks), 1)

    @property
    def generator_load(self) -> float:
        """The load generator's CPU time over the run's wall time: 1.0 is a whole core."""
        return self.generator_cpu_seconds / self.seconds

    def until_update_ms(self, quantile: float) -> float:
        return _quantile([c.updated - c.sent for c in self.clicks if c.updated], quantile)

    def lag_ms(self, quantile: float) -> float:
        return _quantile([c.updated - c.acked for c in self.clicks if c.updated], quantile)

    def ack_ms(self, quantile: float) -> float:
        return _quantile([c.acked - c.sent for c in self.clicks], quantile)


def medians(runs: list[Run]) -> list[Run]:
    """Of each run's rounds, the one with the median throughput (the lower middle of an even
    number), in the order the runs first came."""
    rounds: dict[str, list[Run]] = {}
    for run in runs:
        rounds.setdefault(run.name, []).append(run)
    return [
        sorted(same, key=lambda run: run.throughput)[(len(same) - 1) // 2]
        for same in rounds.values()
    ]


def _quantile(seconds: list[float], quantile: float) -> float:
    if not seconds:
        return float("nan")
    if len(seconds) == 1:
        return 1000 * seconds[0]
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return 1000 * cuts[round(quantile * 100) - 1]


def people_needed(options: Options, loop: Loop) -> int:
    """Enough people that no click runs past the end of a scan (QUESTIONS clicks each)."""
    total = options.clicks + options.warmup
    if loop is Loop.OPEN:
        per_person = min(options.clicks_per_person_open, QUESTIONS)
        return -(-options.clicks // per_person) + -(-options.warmup // QUESTIONS) + 1
    return -(-total // QUESTIONS) + 2 * options.concurrency


async def bench(
    options: Options,
    report: Callable[[Run], None] = lambda _: None,
    failed: Callable[[str], None] | None = None,
) -> list[Run]:
    """Every run `options` asks for, one after another in this process, all of them again in
    each of `options.repeat` rounds; `report` is told of each as it ends. The ack-only app
    runs once a round, closed loop (its click ends at the ack).

    A run that cannot go on (its server does not start, its people run out of questions)
    raises RuntimeError (OSError: the database server is out of reach); with `failed`, that
    is told why and the other runs go on.
    """
    plans: list[tuple[Subject, str, Loop]] = [
        (subject, database, loop)
        for database in options.databases
        for subject in options.subjects
        if subject is not Subject.ACK
        for loop in options.loops
    ]
    if Subject.ACK in options.subjects:
        plans.append((Subject.ACK, "sqlite", Loop.CLOSED))
    server = options.postgres_url
    if server is None and "postgresql" in options.databases:
        server = test_server_url()
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="clicks-") as folder:
        async with LeanSlack() as slack:
            for repetition in range(1, options.repeat + 1):
                for subject, database, loop in plans:
                    try:
                        run = await _one(
                            options, slack, Path(folder), subject, database, loop, server
                        )
                    except (RuntimeError, OSError) as error:
                        if failed is None:
                            raise
                        failed(f"{subject}/{database}/{loop}: {error}")
                        continue
                    run.repetition = repetition
                    report(run)
                    runs.append(run)
    return runs


async def _one(
    options: Options,
    slack: LeanSlack,
    folder: Path,
    subject: Subject,
    kind: str,
    loop: Loop,
    server: str | None,
) -> Run:
    connector = aiohttp.TCPConnector(limit=options.concurrency * 2)
    async with (
        fresh_database(kind, folder, server) as database,
        serving(subject, folder, database, slack.api_url) as served,
        aiohttp.ClientSession(connector=connector) as http,
    ):
        try:
            people = deque(
                await _set_up(subject, served, slack, http, people_needed(options, loop))
            )
            clicker = Clicker(
                http, slack, served.events_url, SIGNING_SECRET, updates=subject is not Subject.ACK
            )
            warm = await closed_loop(clicker, people, options.warmup, options.concurrency)

            async def timed() -> OpenLoop:
                if loop is Loop.OPEN:
                    return await open_loop(clicker, people, options.clicks, options.concurrency)
                return OpenLoop(
                    await closed_loop(clicker, people, options.clicks, options.concurrency), 0.0
                )

            calls_before = Counter(slack.calls)
            run = await _measured(served, subject, kind, loop, timed, make_url(database).database)
        except (ScansExhausted, NotStarted) as failed:
            said = served.log.read_text(errors="replace")[-LOG_TAIL:]
            raise RuntimeError(f"{failed}; its log ends:\n{said}") from None
        run.api_calls = Counter(slack.calls) - calls_before
        if options.logs is not None:
            options.logs.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(served.log, options.logs / f"{run.name.replace('/', '-')}.log")
        if subject is not Subject.ACK:
            run.stored = await count_answers(database)
            run.expected = sum(not click.lost for click in (*warm, *run.clicks))
        return run


async def _measured(
    served: Served,
    subject: Subject,
    kind: str,
    loop: Loop,
    timed: Callable[[], Awaitable[OpenLoop]],
    database: str | None,
) -> Run:
    clock = asyncio.get_running_loop().time
    samples: list[float] = []

    async def sample() -> None:
        while True:
            samples.append(memory_mb(served.pid)[0])
            backends.look()
            await asyncio.sleep(SAMPLE_SECONDS)

    backends = BackendCpu(database if kind == "postgresql" else None)
    sampler = asyncio.create_task(sample())
    busy_before = machine_busy_seconds()
    cpu_before, mine_before, started = cpu_seconds(served.pid), _own_cpu(), clock()
    try:
        result = await timed()
    finally:
        sampler.cancel()
    ended = max((c.updated or c.acked for c in result.clicks), default=clock())
    cpu, mine = cpu_seconds(served.pid) - cpu_before, _own_cpu() - mine_before
    busy = machine_busy_seconds() - busy_before
    backends.look()
    _, peak = memory_mb(served.pid)
    steady = statistics.median(samples[len(samples) // 2 :]) if samples else float("nan")
    return Run(
        subject=subject,
        database=kind,
        loop=loop,
        clicks=result.clicks,
        seconds=ended - started,
        cpu_seconds=cpu,
        rss_peak_mb=peak,
        rss_steady_mb=steady,
        generator_cpu_seconds=mine,
        stored=0,
        expected=0,
        stalled_seconds=result.stalled_seconds,
        statuses=Counter(click.status for click in result.clicks),
        database_cpu_seconds=backends.seconds,
        machine_busy_seconds=busy,
    )


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


async def _set_up(
    subject: Subject,
    served: Served,
    slack: LeanSlack,
    http: aiohttp.ClientSession,
    count: int,
) -> list[Person]:
    """`count` people with the scan's first question on screen. In the advisor each starts the
    scan with a direct message and sees the question it posts; the floor and ack apps get the
    synthetic question's message."""
    users = [user_id(number) for number in range(count)]
    if subject is not Subject.ADVISOR:
        return [
            Person(user, f"D{user}", f"1700000000.{n:06d}", question_blocks(0), pick=n % 3 + 1)
            for n, user in enumerate(users)
        ]
    slots = asyncio.Semaphore(SETUP_CONCURRENCY)

    async def start(number: int, user: str) -> Person:
        async with slots:
            posted = slack.posted(f"D{user}")
            body, headers = scan_request(user, SIGNING_SECRET)
            async with http.post(served.events_url, data=body, headers=headers) as response:
                await response.read()
                # 503: the turn outlasted the advisor's deadline; it still posts the question.
                if response.status not in (200, 503):
                    raise RuntimeError(f"starting a scan got {response.status}")
            message = await asyncio.wait_for(posted, SETUP_SECONDS)
        person = Person(user, message.channel, message.ts, message.blocks, pick=number % 3 + 1)
        if person.next_click() is None:
            raise NotStarted(f"{user} got no question but {json.dumps(message.blocks)[:500]}")
        return person

    return list(await asyncio.gather(*(start(n, user) for n, user in enumerate(users))))
