"""Reads that many callers ask for at once, made as one statement for all of them.

A dispatch that starts sends to hundreds of workspaces, and each workspace's group of nudges
reads its people, tasks, marks, weekly counts and conversations: about a thousand statements,
each a round trip to PostgreSQL (or a turn in SQLite's reader thread) and each its own
statement to run and rows to convert. Asked for in the same turn of the event loop, they are
one statement per kind instead, scoped by the organisations asked for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar
from weakref import WeakKeyDictionary

from aiodataloader import DataLoader

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
MOST = 500
"""Calls answered by one statement at most: a statement's lists stay well within what either
database binds (one array or one JSON text each)."""


class Together(Generic[K, V]):
    """Calls asked for in the same turn of the event loop, answered by one `load` of all their
    keys, in the order asked (aiodataloader's DataLoader).

    Nothing is kept between calls: each call reads what is stored when it is made, as the
    repository's own statement did. A failed `load` fails each call it was for. A loader belongs
    to one event loop, so there is one for each loop that calls (tests run loops of their own).
    """

    def __init__(self, load: Callable[[list[K]], Awaitable[list[V]]], *, most: int = MOST) -> None:
        self._load = load
        self._most = most
        self._loaders: WeakKeyDictionary[asyncio.AbstractEventLoop, DataLoader[K, V]] = (
            WeakKeyDictionary()
        )

    async def __call__(self, key: K) -> V:
        loop = asyncio.get_running_loop()
        loader = self._loaders.get(loop)
        if loader is None:
            loader = self._loaders[loop] = DataLoader(
                self._answer, cache=False, max_batch_size=self._most, loop=loop
            )
        return await loader.load(key)

    async def _answer(self, keys: list[K]) -> list[V]:
        return list(await self._load(keys))
