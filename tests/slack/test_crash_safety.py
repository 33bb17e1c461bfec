"""Nothing acknowledged is lost: `advisor serve` SIGKILLed during a stream of signed clicks.

Slack never sends a button click again once it got its 200, so an answer the advisor
acknowledged must be in the database whenever the process dies. The people here act like
people: they click the question their message shows; a click that got no answer, or a 200 after
which the message never moved on, is clicked again once the server is back. A killed process's
acknowledged clicks are counted in the database before anyone may click again, so a second click
cannot hide a lost first one. `pytest -s` prints the figures per process run.
"""

from __future__ import annotations

import asyncio
import contextlib
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.slack.render import SEPARATOR
from dialogs.state import Step
from engine.bank import default_bank
from tests.fakes.slack_api import TEAM_ID, FakeSlackWebApi
from tests.slack.scan_messages import buttons, checkbox_state, shown_question, ticked
from tests.slack.slack_side import SlackSide
from tests.slack.stored_scans import StoredScan, stored_scans
from tests.slack.test_serve import (
    BOT_TOKEN,
    SIGNING_SECRET,
    Served,
    advisor_serve,
    free_port,
    settled,
)

PEOPLE = 22
QUESTIONS = tuple(question.id for question in default_bank())
IN_STREAM = len(QUESTIONS) - 1
"""Questions each person answers in the stream; the last is their final click after it."""
STREAM_CLICKS = PEOPLE * IN_STREAM
IN_FLIGHT = 10
KILLS_AT = (0.25, 0.5, 0.75)
"""Shares of the stream's clicks acknowledged when a process is killed."""
IN_FLIGHT_AT_KILL = 5
BUSY_SECONDS = 0.25
"""How long a kill waits for `IN_FLIGHT_AT_KILL` clicks in flight, before it takes any."""
UPDATE_SECONDS = 10
"""How long a person waits for the next question after a 200 before clicking again."""
RECOVERY_SECONDS = 5
"""How long a server may take to store what a killed process acknowledged: with a durable
inbox that happens when its rows are replayed, not at once."""
RETRY_SECONDS = 0.05
POLL_SECONDS = 0.2
CLICK_SECONDS = 30
STREAM_SECONDS = 300


@dataclass(frozen=True)
class Click:
    """An answer click that got its 200: the person's choice for the question they saw."""

    user: str
    question: str
    choice: tuple[str, ...]


@dataclass
class Life:
    """One `advisor serve` process, from its start to its SIGKILL or the end of the test."""

    name: str
    served: Served
    statuses: Counter[int | None] = field(default_factory=Counter)
    """What its clicks got: an HTTP status, or None for no response."""
    in_flight: int = 0
    acknowledged: list[Click] = field(default_factory=list)
    unanswered: int = 0
    """Acknowledged clicks whose message never moved on: the process died before it said so."""
    lost: list[Click] = field(default_factory=list)
    opened_at: int = 0
    """The stream's acknowledged clicks when it began to take requests; `killed_at` likewise."""
    killed_at: int | None = None
    in_flight_at_kill: int = 0
    counted: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once its acknowledged clicks are counted in the database."""

    def figures(self) -> str:
        sent = sum(self.statuses.values())
        stored = len(self.acknowledged) - len(self.lost)
        others = ", ".join(
            f"{'no response' if status is None else status}: {times}"
            for status, times in self.statuses.items()
            if status != 200
        )
        if self.killed_at is None:
            end = "not killed"
        else:
            end = f"SIGKILL at {self.killed_at} with {self.in_flight_at_kill} in flight"
        return (
            f"{self.name}: clicks sent {sent}, acknowledged {len(self.acknowledged)}, "
            f"stored {stored}, lost {len(self.lost)} (open at {self.opened_at}, {end}; "
            f"acknowledged with no next question {self.unanswered}{'; ' if others else ''}{others})"
        )


@dataclass
class Backend:
    """One address behind the load balancer, served by one process at a time."""

    name: str
    port: int = field(default_factory=free_port)
    lives: list[Life] = field(default_factory=list)
    open: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    @property
    def life(self) -> Life:
        return self.lives[-1]


@dataclass(frozen=True)
class Pick:
    """What a person clicks for a question, and the answer that stands for."""

    action: dict[str, Any]
    state: dict[str, Any] | None
    choice: tuple[str, ...]


def pick(user: str, question: str, message: dict[str, Any]) -> Pick:
    """The person's own answer to the question, the same every time they see it."""
    seed = zlib.crc32(f"{user}:{question}".encode())
    choices = buttons(message)
    if choices:
        button = choices[seed % len(choices)]
        return Pick(button, None, (button["value"].partition(SEPARATOR)[2],))
    state, submit = checkbox_state(message, picks=1 + seed % 2, first=seed % 3)
    return Pick(submit, state, ticked(state))


class Stream:
    """People answering their scans by clicks at once, through a round-robin load balancer."""

    def __init__(
        self,
        api: FakeSlackWebApi,
        http: aiohttp.ClientSession,
        backends: list[Backend],
        database_url: str,
    ) -> None:
        self.api = api
        self.backends = backends
        self.users = [f"U{number:03d}" for number in range(PEOPLE)]
        self.acknowledged = 0
        self.scanning = 0
        self.picked: dict[str, dict[str, tuple[str, ...]]] = {user: {} for user in self.users}
        """Each person's answer to every question they clicked, acknowledged or not."""
        self._http = http
        self._database_url = database_url
        self._changed = asyncio.Condition()
        self._updates: Counter[str] = Counter()
        self._slots = asyncio.Semaphore(IN_FLIGHT)
        self._turn = 0

    @property
    def lives(self) -> list[Life]:
        return [life for backend in self.backends for life in backend.lives]

    async def until(self, condition: Callable[[], bool]) -> None:
        async with self._changed:
            await self._changed.wait_for(condition)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def watch_updates(self) -> None:
        """Count each channel's chat.update calls, so a person can wait for their own."""
        seen = 0
        while True:
            updates = await self.api.wait_for("chat.update", seen + 1)
            for params in updates[seen:]:
                self._updates[str(params.get("channel"))] += 1
            seen = len(updates)
            await self._notify()

    async def open(self, backend: Backend, life: Life) -> None:
        """Put a started process behind the load balancer."""
        backend.lives.append(life)
        backend.open = True
        life.opened_at = self.acknowledged
        await self._notify()

    async def kill_at(self, backend: Backend, share: float) -> Life:
        """SIGKILL the backend's process at `share` of the stream, with clicks in flight to it.

        As many clicks as a busy moment has if one comes soon, else any.
        """
        await self.until(lambda: self.acknowledged >= share * STREAM_CLICKS)
        busy = IN_FLIGHT_AT_KILL // len(self.backends)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(BUSY_SECONDS):
                await self.until(lambda: backend.life.in_flight >= busy)
        await self.until(lambda: backend.life.in_flight > 0 or not self.scanning)
        life = backend.life
        backend.open = False
        life.killed_at, life.in_flight_at_kill = self.acknowledged, life.in_flight
        life.served.process.kill()
        await self._notify()
        await life.served.process.wait()
        return life

    async def count_stored(self, life: Life) -> None:
        """Which of the life's acknowledged clicks are stored, then let its people click again."""
        clock = asyncio.get_running_loop()
        deadline = clock.time() + RECOVERY_SECONDS
        while True:
            stored = await self.stored()
            life.lost = [click for click in life.acknowledged if not _holds(stored, click)]
            if not life.lost or clock.time() > deadline:
                break
            await asyncio.sleep(POLL_SECONDS)
        life.counted.set()
        await self._notify()

    async def begin(self) -> None:
        """Everyone starts the scan with a direct message."""
        for user in self.users:
            self.api.add_user(user, locale="en-US")
        posted = len(self.api.called("chat.postMessage"))
        side = SlackSide(self._http, self.backends[0].url, SIGNING_SECRET, TEAM_ID)

        async def start(user: str) -> None:
            async with self._slots:
                await side.direct_message(user, "scan")

        await asyncio.gather(*map(start, self.users))
        await settled(self.api, "chat.postMessage", posted + PEOPLE)
        for user in self.users:
            assert shown_question(self.api.latest(f"D{user}")) == QUESTIONS[0]

    async def take_scan(self, user: str, until: int) -> None:
        """Answer questions until question number `until` (from 0) is on screen, or the end."""
        self.scanning += 1
        try:
            while True:
                message = self.api.latest(f"D{user}")
                question = shown_question(message)
                if question is None:
                    assert until == len(QUESTIONS), f"{user}'s scan ended early"
                    return
                if QUESTIONS.index(question) == until:
                    return
                await self._answer(user, question, message)
        finally:
            self.scanning -= 1
            await self._notify()

    async def _answer(self, user: str, question: str, message: dict[str, Any]) -> None:
        """One click, then what a person does: wait for the next question, or click again."""
        channel = f"D{user}"
        picked = pick(user, question, message)
        self.picked[user][question] = picked.choice
        before = self._updates[channel]
        life, status = await self._click(user, message, picked)
        if status == 200:
            life.acknowledged.append(Click(user, question, picked.choice))
            self.acknowledged += 1
            await self._notify()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(UPDATE_SECONDS):
                    await self.until(
                        lambda: self._updates[channel] > before or life.killed_at is not None
                    )
            if self._updates[channel] == before and life.killed_at is not None:
                life.unanswered += 1
                await life.counted.wait()
        elif life.killed_at is None:
            await asyncio.sleep(RETRY_SECONDS)

    async def _click(
        self, user: str, message: dict[str, Any], picked: Pick
    ) -> tuple[Life, int | None]:
        async with self._slots:
            backend = await self._next_open()
            life = backend.life
            side = SlackSide(self._http, backend.url, SIGNING_SECRET, TEAM_ID)
            life.in_flight += 1
            await self._notify()
            status: int | None = None
            try:
                status = (await side.click(user, message, picked.action, state=picked.state)).status
            except (aiohttp.ClientError, TimeoutError):
                pass
            finally:
                life.in_flight -= 1
                life.statuses[status] += 1
                await self._notify()
            return life, status

    async def _next_open(self) -> Backend:
        """The next backend taking requests, round robin; waits while none is."""
        await self.until(lambda: any(backend.open for backend in self.backends))
        self._turn += 1
        start = self._turn % len(self.backends)
        ordered = self.backends[start:] + self.backends[:start]
        return next(backend for backend in ordered if backend.open)

    async def stored(self) -> dict[str, StoredScan]:
        return await stored_scans(self._database_url, self.users)


def _holds(stored: dict[str, StoredScan], click: Click) -> bool:
    return stored[click.user].answers.get(click.question) == click.choice


@asynccontextmanager
async def stream_of_clicks(
    api: FakeSlackWebApi, backends: list[Backend], database_url: str
) -> AsyncIterator[Stream]:
    timeout = aiohttp.ClientTimeout(total=CLICK_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        stream = Stream(api, http, backends, database_url)
        watcher = asyncio.create_task(stream.watch_updates())
        try:
            yield stream
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher


class Processes:
    """`advisor serve` started, and started again, on its backend's port and one database."""

    def __init__(
        self, stack: AsyncExitStack, tmp_path: Path, api: FakeSlackWebApi, database_url: str
    ) -> None:
        self._stack = stack
        self._tmp_path = tmp_path
        self._api = api
        self._settings = {
            "database_url": database_url,
            "slack_bot_token": BOT_TOKEN,
            "slack_signing_secret": SIGNING_SECRET,
        }
        self._label = database_url.partition("+")[0]

    async def start(self, backend: Backend) -> Life:
        run = len(backend.lives) + 1
        folder = self._tmp_path / f"{backend.name}-{run}"
        folder.mkdir()
        served = await self._stack.enter_async_context(
            advisor_serve(folder, self._api, port=backend.port, **self._settings)
        )
        return Life(f"{self._label}, {backend.name} run {run}", served)


async def _scans_taken(stream: Stream, kills: Callable[[], Awaitable[None]]) -> None:
    """Everyone takes the scan while `kills` does its worst."""
    await stream.begin()
    async with asyncio.timeout(STREAM_SECONDS), asyncio.TaskGroup() as people:
        for user in stream.users:
            people.create_task(stream.take_scan(user, until=IN_STREAM))
        await kills()
    for backend in stream.backends:
        if backend.open and not backend.life.counted.is_set():
            await stream.count_stored(backend.life)


def _assert_nothing_lost(stream: Stream) -> None:
    for life in stream.lives:
        print(life.figures())
    acknowledged = sum(len(life.acknowledged) for life in stream.lives)
    lost = {life.name: life.lost for life in stream.lives if life.lost}
    print(f"in all: acknowledged {acknowledged}, lost {sum(map(len, lost.values()))}")
    assert not lost, "acknowledged but not stored: " + "; ".join(
        f"{name}: {len(clicks)}, e.g. {clicks[:2]}" for name, clicks in lost.items()
    )
    assert acknowledged >= STREAM_CLICKS >= 300


async def _assert_scans_go_on_where_acknowledged(stream: Stream) -> None:
    """Storage, the dialog state and the question on screen agree; the scan goes on from there.

    A click may get no 200 and still be stored (the process died after its commit, or the turn
    ran over Slack's deadline and finished later): what is stored is the person's own choice.
    """
    for user, stored in (await stream.stored()).items():
        assert set(stream.picked[user]) == set(QUESTIONS[:IN_STREAM])
        assert stored.answers == stream.picked[user], f"{user}'s sheet is not their own answers"
        assert set(stored.rows.values()) == {1}, f"{user} has an answer stored twice"
        assert stored.state is not None
        assert stored.state.step == Step.SCANNING
        assert stored.state.position == IN_STREAM
        assert dict(stored.state.sheet.answers) == stored.answers

    before = {life.name: len(life.acknowledged) for life in stream.lives}
    await asyncio.gather(*(stream.take_scan(user, until=len(QUESTIONS)) for user in stream.users))
    final = {life.name: len(life.acknowledged) - before[life.name] for life in stream.lives}
    print("final clicks acknowledged:", ", ".join(f"{n} {t}" for n, t in final.items() if t))

    for user, stored in (await stream.stored()).items():
        assert stored.finished
        assert stored.answers == stream.picked[user]
        assert stored.rows == Counter(dict.fromkeys(QUESTIONS, 1))
        assert stored.state is not None
        assert stored.state.position == len(QUESTIONS)
        assert dict(stored.state.sheet.answers) == stored.answers


async def test_every_acknowledged_answer_survives_three_sigkills_and_restarts(
    tmp_path: Path, database_url: str, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api = fake_slack_web_api
    backend = Backend("advisor")
    async with (
        AsyncExitStack() as stack,
        stream_of_clicks(api, [backend], database_url) as stream,
    ):
        processes = Processes(stack, tmp_path, api, database_url)
        await stream.open(backend, await processes.start(backend))

        async def kill_three_times() -> None:
            for share in KILLS_AT:
                killed = await stream.kill_at(backend, share)
                restarted = await processes.start(backend)
                await stream.count_stored(killed)
                await stream.open(backend, restarted)

        await _scans_taken(stream, kill_three_times)
        _assert_nothing_lost(stream)
        assert [life.killed_at is not None for life in stream.lives] == [True] * 3 + [False]
        await _assert_scans_go_on_where_acknowledged(stream)


@pytest.mark.postgres
async def test_every_acknowledged_answer_survives_one_of_two_processes_killed(
    tmp_path: Path, postgres_url: str, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api = fake_slack_web_api
    first, second = Backend("first"), Backend("second")
    async with (
        AsyncExitStack() as stack,
        stream_of_clicks(api, [first, second], postgres_url) as stream,
    ):
        processes = Processes(stack, tmp_path, api, postgres_url)
        # In order: the first process migrates the database before the second starts.
        for backend in (first, second):
            await stream.open(backend, await processes.start(backend))

        async def kill_the_second() -> None:
            await stream.count_stored(await stream.kill_at(second, KILLS_AT[0]))
            await stream.open(second, await processes.start(second))

        await _scans_taken(stream, kill_the_second)
        _assert_nothing_lost(stream)
        assert [life.killed_at is not None for life in stream.lives] == [False, True, False]
        await _assert_scans_go_on_where_acknowledged(stream)
