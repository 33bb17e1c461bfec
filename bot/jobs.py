"""Running jobs: each kind has a handler; a job that fails is tried again, a few times."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from bot.failures import log_failure
from dialogs.ports import Clock
from storage.jobs import Job, SqlaJobQueue

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
"""How long a claim holds without news; a handler that records progress holds it longer."""
HOLDS_PER_LEASE = 3
"""A running job's claim is renewed this often per lease."""
MAX_ATTEMPTS = 3
"""A job that failed this often (a bug, or a workspace gone for good) is given up, said once."""
KeepProgress = Callable[[dict[str, Any]], Awaitable[None]]
Handler = Callable[[Job, KeepProgress], Awaitable[None]]
"""Runs one job. Called again after a crash with `job.progress` as last kept: it must pick up
from there rather than do the work twice."""


def worker_name() -> str:
    """This process, as named in claims: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


class JobRunner:
    """Claims and runs jobs, one at a time, until none is left.

    Args:
        queue: where the jobs are.
        clock: the time.
        worker: this process's name in claims.
        lease: how long a claim holds without progress.
    """

    def __init__(
        self, queue: SqlaJobQueue, clock: Clock, *, worker: str, lease: timedelta = LEASE
    ) -> None:
        self._queue = queue
        self._clock = clock
        self._worker = worker
        self._lease = lease
        self._handlers: dict[str, Handler] = {}

    def handle(self, kind: str, handler: Handler) -> None:
        self._handlers[kind] = handler

    async def submit(self, org_id: int, kind: str, key: str, payload: dict[str, Any]) -> bool:
        """Store a job (durably: it runs even if this process dies next); False for a repeat."""
        if kind not in self._handlers:
            raise ValueError(f"no handler for jobs of kind {kind!r}")
        return await self._queue.put(org_id, kind, key, payload, now=self._clock.now())

    async def run(self) -> int:
        """Run every job there is to run; returns how many were run."""
        ran = 0
        while (job := await self._claim()) is not None:
            ran += 1
            await self._run(job)
        return ran

    async def _claim(self) -> Job | None:
        # Only the kinds this process can run: a Teams job is left to a process serving Teams.
        return await self._queue.claim(
            self._handlers, worker=self._worker, now=self._clock.now(), lease=self._lease
        )

    async def _run(self, job: Job) -> None:
        handler = self._handlers[job.kind]
        if job.attempts > MAX_ATTEMPTS:
            log.error("gave up a %s job after %d attempts", job.kind, MAX_ATTEMPTS)
            await self._queue.finish(job, outcome="gave up", now=self._clock.now())
            return

        async def keep(progress: dict[str, Any]) -> None:
            if not await self._queue.hold(
                job, now=self._clock.now(), lease=self._lease, progress=progress
            ):
                raise LostClaim(f"a {job.kind} job was taken over by another run")

        holding = asyncio.ensure_future(self._hold(job))
        try:
            await handler(job, keep)
        except LostClaim as lost:
            log.warning("%s; this run stops", lost)
            return
        except Exception as error:
            log_failure(log, f"a {job.kind} job (attempt {job.attempts})", error)
            return  # tried again when the claim runs out
        finally:
            holding.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await holding
        await self._queue.finish(job, outcome="done", now=self._clock.now())

    async def _hold(self, job: Job) -> None:
        """While the handler runs, hold its claim, however long a step between progress takes
        (reading a big channel's people is a call each)."""
        while True:
            await asyncio.sleep(self._lease.total_seconds() / HOLDS_PER_LEASE)
            if not await self._queue.hold(job, now=self._clock.now(), lease=self._lease):
                return


class LostClaim(Exception):
    """The run's claim ran out and another run has the job: this one must stop."""
