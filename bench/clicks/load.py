"""Closed and open loops of clicks: who clicks when, and when each click was done."""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass

import aiohttp

from bench.clicks.fake_slack import LeanSlack, Message
from bench.clicks.people import Person

UPDATE_SECONDS = 30.0
"""A click whose update has not reached the fake by then is lost."""
_ANSWERED = frozenset({200, 503})
"""503: the advisor took longer than its deadline to store; it still updates the message."""


class ScansExhausted(Exception):
    """Every simulated person has reached the end of the scan before the clicks were done."""


@dataclass(frozen=True)
class Click:
    """One click's moments (loop time): sent, acknowledged, its update at the fake."""

    sent: float
    acked: float
    updated: float | None
    status: int

    @property
    def lost(self) -> bool:
        return self.updated is None


@dataclass
class Sent:
    person: Person
    sent: float
    acked: float
    status: int
    update: asyncio.Future[Message] | None


class Clicker:
    """Sends a person's click to the server and waits for its message's update."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        slack: LeanSlack,
        url: str,
        secret: str,
        *,
        updates: bool,
    ) -> None:
        self._http = http
        self._slack = slack
        self._url = url
        self._secret = secret
        self._updates = updates
        self._clock = asyncio.get_running_loop().time

    async def send(self, person: Person) -> Sent:
        """The click, once acknowledged."""
        body, headers = person.request(self._secret)
        update = self._slack.updated(person.channel, person.ts) if self._updates else None
        sent = self._clock()
        async with self._http.post(self._url, data=body, headers=headers) as response:
            await response.read()
        acked = self._clock()
        if update is not None and response.status not in _ANSWERED:
            self._slack.forget(person.channel, person.ts)
            update = None
        return Sent(person, sent, acked, response.status, update)

    async def settle(self, sent: Sent) -> Click:
        """The click once its update reached the fake; the person sees the new message."""
        if not self._updates:
            updated = sent.acked if sent.status == 200 else None
            return Click(sent.sent, sent.acked, updated, sent.status)
        if sent.update is None:
            return Click(sent.sent, sent.acked, None, sent.status)
        try:
            message = await asyncio.wait_for(sent.update, UPDATE_SECONDS)
        except TimeoutError:
            self._slack.forget(sent.person.channel, sent.person.ts)
            return Click(sent.sent, sent.acked, None, sent.status)
        sent.person.blocks = message.blocks
        return Click(sent.sent, sent.acked, message.at, sent.status)


async def closed_loop(
    clicker: Clicker, people: deque[Person], clicks: int, concurrency: int
) -> list[Click]:
    """`concurrency` clients, each clicking a person's next question once the last one's
    update arrived, until `clicks` are done; people left with questions go back to `people`."""
    done: list[Click] = []
    budget = clicks

    async def client() -> None:
        nonlocal budget
        person: Person | None = None
        while True:
            if person is None or person.next_click() is None:
                if not people:
                    raise ScansExhausted(f"no scan left after {len(done)} clicks")
                person = people.popleft()
                continue
            if budget == 0:
                people.append(person)
                return
            budget -= 1
            click = await clicker.settle(await clicker.send(person))
            done.append(click)
            if click.lost:
                person = None

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return done


@dataclass
class OpenLoop:
    """What an open loop did: its clicks, and how long senders waited for someone whose
    question was on screen (when updates trail so far that nobody is ready)."""

    clicks: list[Click]
    stalled_seconds: float


async def open_loop(
    clicker: Clicker, people: deque[Person], clicks: int, concurrency: int
) -> OpenLoop:
    """`concurrency` senders, each sending the next click as soon as its last was
    acknowledged, to whoever has a question on screen; updates are waited for on the side."""
    ready: asyncio.Queue[Person] = asyncio.Queue()
    for person in people:
        ready.put_nowait(person)
    people.clear()
    done: list[Click] = []
    settling: set[asyncio.Task[None]] = set()
    budget = clicks
    stalled = 0.0
    clock = asyncio.get_running_loop().time

    async def settle(sent: Sent) -> None:
        click = await clicker.settle(sent)
        done.append(click)
        if not click.lost and sent.person.next_click() is not None:
            ready.put_nowait(sent.person)

    async def sender() -> None:
        nonlocal budget, stalled
        while budget > 0:
            budget -= 1
            waited = clock()
            try:
                person = await asyncio.wait_for(ready.get(), UPDATE_SECONDS * 2)
            except TimeoutError:
                raise ScansExhausted(f"nobody left to click after {len(done)} clicks") from None
            stalled += clock() - waited
            task = asyncio.create_task(settle(await clicker.send(person)))
            settling.add(task)
            task.add_done_callback(settling.discard)

    await asyncio.gather(*(sender() for _ in range(concurrency)))
    await asyncio.gather(*settling)
    while not ready.empty():
        people.append(ready.get_nowait())
    return OpenLoop(done, stalled)
