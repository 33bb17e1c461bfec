"""Slack's rate limits, kept per workspace: each call waits its turn, and a 429 pauses only the
workspace and method it came from.

Slack counts "per API method per workspace per app" (docs.slack.dev/apis/web-api/rate-limits):
Tier 2 allows 20+ calls a minute, Tier 3 50+, Tier 4 100+, each with some bursts welcome;
chat.postMessage is of the special tier, "one message per second per channel" with short bursts
allowed, "while also maintaining a workspace-wide limit" that Slack does not publish (several
hundred a minute; we keep to 10 a second, as the bench's fake Slack enforces). The rates are
Slack's, not the operator's: constants, not settings. They hold in one process; several
processes sending to one workspace meet Slack's 429s, which pause that workspace here too.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiolimiter import AsyncLimiter
from slack_sdk.errors import SlackApiError

T = TypeVar("T")
POST_METHOD = "chat.postMessage"
MARGIN = 1.02
"""Calls are spaced this much wider than the limit: two sent exactly a limit apart can arrive
closer together (one waited longer for the loop or the network), and Slack counts arrivals."""
PER_CHANNEL = (1, 1.0 * MARGIN)
"""chat.postMessage: one message a second in each conversation (no burst taken)."""
PER_WORKSPACE = (10, 1.0 * MARGIN)
"""chat.postMessage: ten messages a second in a workspace, in any second (`Window`)."""
TIER_2, TIER_3, TIER_4 = (20, 60.0), (50, 60.0), (100, 60.0)
"""Calls a minute, taken as a burst at most that large (Slack welcomes "sporadic bursts")."""
TIERS = {
    "conversations.history": TIER_3,
    "conversations.open": TIER_3,
    "files.getUploadURLExternal": TIER_4,
    "files.completeUploadExternal": TIER_4,
}
"""The tiers of the methods a nudge calls besides chat.postMessage (each method's page)."""
DEFAULT_TIER = TIER_2
"""A method not listed here: Slack's most common tier."""
RATE_LIMIT_RETRIES = 3
"""A call that met a 429 is made again after the Retry-After this many times; then it fails
(a passing unavailability: the dispatcher tries the nudge again later)."""
CHANNELS_KEPT = 10_000
"""Per-channel limiters kept before the idle ones are forgotten."""


class Window:
    """At most `calls` in any `seconds`, evenly paced, in the order asked; a call that came
    late is made up by the next one going at once (at most one interval's worth).

    A leaky bucket one call deep (aiolimiter's, as for the other methods) loses for good each
    moment a call is woken late: under load a workspace of fifty messages took half a second
    longer than its pace. Here each call has its slot on an even grid (GCRA, a tolerance of
    one interval), and no window of `seconds` ever holds more than `calls` (Slack counts the
    messages over a second).
    """

    def __init__(self, calls: int, seconds: float) -> None:
        self._made: deque[float] = deque(maxlen=calls)
        self._seconds = seconds
        self._interval = seconds / calls
        self._slot = 0.0
        """When the next call is due on the grid (it may go up to an interval before)."""
        self._turns = asyncio.Lock()  # its waiters are woken in the order they came

    async def acquire(self) -> None:
        async with self._turns:
            loop = asyncio.get_running_loop()
            while (wait := self._wait(loop.time())) > 0:  # noqa: ASYNC110 (a clock, not an event)
                await asyncio.sleep(wait)
            now = loop.time()
            self._made.append(now)
            self._slot = max(self._slot, now) + self._interval

    def _wait(self, now: float) -> float:
        wait = self._slot - self._interval - now
        if len(self._made) == self._made.maxlen:
            wait = max(wait, self._made[0] + self._seconds - now)
        return wait


class SlackLimits:
    """Paces calls per (workspace, method), and chat.postMessage per channel as well."""

    def __init__(self) -> None:
        self._methods: dict[tuple[object, str], AsyncLimiter | Window] = {}
        self._channels: dict[tuple[object, str], AsyncLimiter] = {}
        self._paused: dict[tuple[object, str], float] = {}

    async def call(
        self,
        workspace: object,
        method: str,
        send: Callable[[], Awaitable[T]],
        *,
        channel: str | None = None,
    ) -> T:
        """`send` once its turn comes; after a 429, again once the pause it set has passed.

        Slack did nothing with a call it answered 429, so making it again never sends twice.
        """
        attempt = 0
        while True:
            await self._turn(workspace, method, channel)
            try:
                return await send()
            except SlackApiError as error:
                if error.response.status_code != 429 or attempt >= RATE_LIMIT_RETRIES:
                    raise
                attempt += 1
                self.pause(workspace, method, _retry_after(error))

    def pause(self, workspace: object, method: str, seconds: float) -> None:
        """Hold `method`'s calls in `workspace` for `seconds` (Slack's Retry-After)."""
        until = asyncio.get_running_loop().time() + seconds
        key = (workspace, method)
        self._paused[key] = max(until, self._paused.get(key, 0.0))

    def paused(self, workspace: object, method: str) -> bool:
        """Whether `method` is held in `workspace` now."""
        return self._paused.get((workspace, method), 0.0) > asyncio.get_running_loop().time()

    async def _turn(self, workspace: object, method: str, channel: str | None) -> None:
        await self._pause_over(workspace, method)
        if method == POST_METHOD and channel is not None:
            await self._channel(workspace, channel).acquire()
        await self._method(workspace, method).acquire()
        await self._pause_over(workspace, method)  # one that began while this call waited

    async def _pause_over(self, workspace: object, method: str) -> None:
        loop = asyncio.get_running_loop()
        # A pause can grow while it runs (another 429): look again when it is over.
        while (left := self._paused.get((workspace, method), 0.0) - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(left)

    def _method(self, workspace: object, method: str) -> AsyncLimiter | Window:
        key = (workspace, method)
        if key not in self._methods:
            if method == POST_METHOD:
                self._methods[key] = Window(*PER_WORKSPACE)
            else:
                self._methods[key] = AsyncLimiter(*TIERS.get(method, DEFAULT_TIER))
        return self._methods[key]

    def _channel(self, workspace: object, channel: str) -> AsyncLimiter:
        key = (workspace, channel)
        limiter = self._channels.get(key)
        if limiter is None:
            if len(self._channels) >= CHANNELS_KEPT:
                self._forget_idle()
            limiter = self._channels[key] = AsyncLimiter(*PER_CHANNEL)
        return limiter

    def _forget_idle(self) -> None:
        """Drop the channels whose limiter has its full capacity back (no call waits on them)."""
        for key, limiter in list(self._channels.items()):
            if limiter.has_capacity(PER_CHANNEL[0]):
                del self._channels[key]


def _retry_after(error: SlackApiError) -> float:
    """Slack's Retry-After in seconds (1 when it sent none or something unreadable)."""
    headers = error.response.headers or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return max(float(raw), 0.0)
            except (TypeError, ValueError):
                break
    return 1.0
