"""A workspace's pace for chat.postMessage: never more than Slack counts in a second, and a
call woken late is made up by the next."""

from __future__ import annotations

import asyncio

from bot.slack.limits import Window


async def test_no_stretch_of_the_window_holds_more_calls_than_allowed() -> None:
    window, loop = Window(5, 0.25), asyncio.get_running_loop()
    made: list[float] = []

    async def call() -> None:
        await window.acquire()
        made.append(loop.time())

    await asyncio.gather(*(call() for _ in range(16)))

    assert made == sorted(made)
    assert all(later - first >= 0.25 for first, later in zip(made, made[5:], strict=False))


async def test_a_call_that_came_late_is_made_up_by_the_next() -> None:
    window, loop = Window(5, 1.0), asyncio.get_running_loop()  # one every 0.2 s
    await window.acquire()
    await asyncio.sleep(0.3)  # the next call's slot was at 0.2 s: it is late

    await window.acquire()
    late = loop.time()
    await window.acquire()
    made_up = loop.time()
    await window.acquire()
    back_on_pace = loop.time()

    assert made_up - late < 0.1, "the next went at once, in the slot the late one missed"
    assert back_on_pace - made_up > 0.15, "then the pace is kept again"
