"""Work that runs after a platform has its answer: tracked, so a shutdown can wait for it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from bot.failures import log_failure


class Background:
    """Tasks started after an acknowledgement; none fails silently or with a traceback.

    Args:
        log: where failures go, one line each.
        what: what the work is, for the log ("work after a Slack acknowledgement").
        expected: for a failure the platform caused (a refusal, an outage), a short safe reason
            to log as a warning; None for anything unexpected, logged with a reference.
    """

    def __init__(
        self,
        log: logging.Logger,
        what: str,
        expected: Callable[[Exception], str | None] = lambda _: None,
    ) -> None:
        self._log = log
        self._what = what
        self._expected = expected
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(self._logged(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Wait for every task, including those started while waiting."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _logged(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except Exception as error:
            reason = self._expected(error)
            if reason is None:
                log_failure(self._log, self._what, error)
            else:
                self._log.warning("%s failed: %s", self._what, reason)
