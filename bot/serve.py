"""`advisor serve`: the web server (and Socket Mode) until SIGTERM or Ctrl-C.

Each chat's SDK is imported only when that chat is served: Bolt and the Slack SDK (~15 MB) with
Slack's settings, the Bot Framework (~20 MB) with Teams'.
"""

from __future__ import annotations

import asyncio
import calendar
import contextlib
import gc
import logging
import os
import signal
import socket
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web

from bot.app import App
from bot.delivery import ChannelRouter, InboxDelivery
from bot.guard import listen
from bot.jobs import JobRunner
from bot.logs import configure
from bot.server import build_web_app
from bot.settings import ConfigError, Settings
from dialogs.audit import Purged
from dialogs.nudging import LOOK_AGAIN, Delivery, Dispatcher
from dialogs.ports import StorageError

if TYPE_CHECKING:
    from prometheus_client import Histogram
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from bot.slack.app import SlackBot
    from bot.teams.app import TeamsBot

log = logging.getLogger(__name__)
PLAN_SECONDS = 60
"""How often nudges are planned from the tasks; planning twice plans once."""
GC_YOUNG, GC_OLDER = 50_000, 20
"""The garbage collector's thresholds while serving (`_settle_the_heap`)."""
NUDGES_KEPT = timedelta(days=90)
"""A delivered (dropped, failed) nudge is kept this long: the digest's "not sent" list and the
weekly cap look back weeks, not months."""
SEEN_KEPT = timedelta(days=30)
"""A delivery record is kept this long: Slack and Teams deliver again within minutes."""
STATES_KEPT = timedelta(days=1)
"""An OAuth state lives ten minutes; one expired a day ago is of no use to anyone."""


async def serve(app: App, *, socket_mode: bool, stop: asyncio.Event | None = None) -> None:
    """Serve until `stop` is set (by default: on SIGINT or SIGTERM).

    Raises:
        ConfigError: the address cannot be listened on, Teams would be exposed, or Slack
            refused the app token or could not be reached (Socket Mode).
        StorageError: the database does not answer.
    """
    settings = app.settings
    configure(settings.log_format)
    # Connected before anything is served: the first requests and the first dispatch would
    # otherwise wait for the hot path's connections (on PostgreSQL), all at once.
    await app.database.open()
    # Listen for the signals first: a stop while Socket Mode is still connecting is a clean one.
    stop = stop or _on_signal()
    slack = _slack(settings, app)
    teams = _teams(settings, app)
    web_app = build_web_app(app, slack.bolt if slack else None, teams)
    # The requests in flight at a stop are given the shutdown's time, then cancelled.
    runner = web.AppRunner(web_app, shutdown_timeout=settings.shutdown_seconds)
    await runner.setup()
    try:
        # Bound before anything runs, so a port in use refuses start-up and does nothing else.
        # Nothing awaits between binding and the exposure check, so nothing is served before it
        # refuses, and its warning comes only from a server that does listen.
        await listen(runner, settings)
        if teams is not None:
            from bot.teams.app import check_exposure

            check_exposure(settings)
    except ConfigError:
        await runner.cleanup()
        raise
    if slack is not None:
        slack.web_api.open()  # before any work calls Slack; closed last, below
    socket: AsyncSocketModeHandler | None = None
    channels: dict[str, Delivery] = {
        "console": InboxDelivery(app.activation.inbox, app.clock, app.organisations)
    }
    closing = []
    if slack is not None:
        channels["slack"] = slack.delivery
        # Jobs first: a launch a crashed process left is picked up again after a restart.
        closing += [_jobs(slack.jobs), slack.campaigns.tick]
    if teams is not None:
        channels["teams"] = teams.delivery
        closing.append(teams.campaigns.tick)
    nudging, dispatcher = _nudging(app, ChannelRouter(channels), stop)
    work = [*closing, nudging, _keeping(app)]
    seconds = settings.tick_seconds
    timed = app.metrics.tick_duration
    ticking = asyncio.gather(*(_tick_until(tick, stop, seconds, timed) for tick in work))
    try:
        if socket_mode:
            assert settings.slack_app_token is not None
            assert slack is not None
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            token = settings.slack_app_token.get_secret_value()
            socket = AsyncSocketModeHandler(slack.bolt, token)
            if not await _unless_stopped(_connect(socket), stop):
                return
            log.info("connected to Slack over Socket Mode")
        _settle_the_heap()
        # Only now: a refused start-up prints its one line and nothing else.
        log.info("serving on http://%s:%s", settings.host, settings.port)
        await stop.wait()
        log.info("stopping: finishing the requests in flight and the running tick")
    finally:
        # Let a running tick finish rather than cancel it mid-query or mid-send: a cancelled
        # SQLite call cannot be interrupted in its thread and can hold the process up.
        stop.set()
        deadline = asyncio.get_running_loop().time() + settings.shutdown_seconds
        # Stop taking requests and let those in progress finish first, so no reply or launch
        # is started after the wait for the background work below has begun.
        if socket is not None:
            await socket.close_async()  # type: ignore[no-untyped-call]  # untyped in Bolt
        await runner.cleanup()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(ticking, _left(deadline))
        await _leave(dispatcher)  # once it claims no more
        for surface in (slack.surface if slack else None, teams.surface if teams else None):
            if surface is not None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(surface.idle(), _left(deadline))
        if slack is not None:
            await slack.web_api.close()  # after the replies and ticks that used it


def _left(deadline: float) -> float:
    """Seconds until `deadline` on the loop's clock; never less than 0."""
    return max(0.0, deadline - asyncio.get_running_loop().time())


async def _tick_until(
    tick: Callable[[], Awaitable[None]], stop: asyncio.Event, seconds: float, timed: Histogram
) -> None:
    """Run `tick` every `seconds` until stopped; a failing tick is logged and tried again."""
    while not stop.is_set():
        try:
            with timed.time():
                await tick()
        except Exception:
            log.exception("background work failed; trying again next time")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)


def _settle_the_heap() -> None:
    """Move what start-up made (modules, the question bank, the SDKs: most of the heap) out of
    the garbage collector's sight, and collect the young generation every GC_YOUNG new objects
    instead of Python's 700. A click makes thousands of short-lived objects, so the default
    collected several times a click, each older collection walking the whole heap again: a
    pause every request in flight waits out. Measured in bench/clicks (docs/performance.md)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG, GC_OLDER, GC_OLDER)


def _slack(settings: Settings, app: App) -> SlackBot | None:
    """The Slack app, when Slack is served; Bolt and the Slack SDK are imported only then."""
    if not settings.slack_enabled:
        return None
    from bot.slack.app import build_slack_app

    return build_slack_app(settings, app)


def _teams(settings: Settings, app: App) -> TeamsBot | None:
    """The Teams bot, when Teams is served; its SDK is imported only then."""
    if not settings.teams_enabled:
        return None
    from bot.teams.app import build_teams_bot

    return build_teams_bot(settings, app)


def _jobs(runner: JobRunner) -> Callable[[], Awaitable[None]]:
    async def tick() -> None:
        await runner.run()

    return tick


def _nudging(
    app: App, delivery: Delivery, stop: asyncio.Event
) -> tuple[Callable[[], Awaitable[None]], Dispatcher]:
    """Plan nudges (at most every PLAN_SECONDS) and send every due one: the dispatcher keeps
    claiming while it sends, until nothing is due and nothing is in flight. A dispatch still
    busy after PLAN_SECONDS stops claiming, lets planning run, and goes on at once. The tick,
    and its dispatcher."""
    # A worker claims at least once a tick, and every few seconds while it sends: one not seen
    # for two ticks has stopped, and its share is left to the others.
    dispatcher = app.dispatcher(
        delivery,
        worker=f"{socket.gethostname()}:{os.getpid()}",
        alive=timedelta(seconds=2 * app.settings.tick_seconds) + LOOK_AGAIN,
    )
    planned_at: float | None = None

    async def tick() -> None:
        nonlocal planned_at
        if planned_at is None:  # before planning: the others' first claims leave it a share
            await dispatcher.attend()
        while not stop.is_set():
            if planned_at is None or time.monotonic() - planned_at >= PLAN_SECONDS:
                await app.activation.planner.plan_all()
                planned_at = time.monotonic()
            started = time.monotonic()
            await dispatcher.dispatch(stop=stop, claiming=timedelta(seconds=PLAN_SECONDS))
            now = app.clock.now()
            oldest = await app.activation.outbox.oldest_due(now)
            age = 0.0 if oldest is None else (now - oldest).total_seconds()
            app.metrics.oldest_due_nudge_age.set(age)
            if time.monotonic() - started < PLAN_SECONDS:
                break  # it ran out of nudges, not of time

    return tick, dispatcher


async def _leave(dispatcher: Dispatcher) -> None:
    """Leave this worker's share of the due organisations to the others at once; if the
    database does not answer now, they take it once this worker is no longer seen."""
    try:
        await dispatcher.leave()
    except StorageError as error:
        log.warning("the other workers were not told this one stops: %s", error)


def _keeping(app: App) -> Callable[[], Awaitable[None]]:
    async def tick() -> None:
        await keep(app)

    return tick


async def keep(app: App) -> Purged:
    """Erase the organisations whose grace period after leaving is over, then purge what is kept
    longer than needed (`SqlaRetention`). Idempotent; with nothing due, one query each."""
    now, settings = app.clock.now(), app.settings
    grace = timedelta(days=settings.uninstall_grace_days)
    for org_id in await app.leaving.due(before=now - grace):
        await app.leaving.forget_organisation(org_id)
        log.info(
            "erased an organisation %d days after its app was removed",
            settings.uninstall_grace_days,
        )
    purged = await app.retention.purge(
        now=now,
        sheets_closed_before=months_before(now, settings.retention_months),
        nudges_before=now - NUDGES_KEPT,
        seen_before=now - SEEN_KEPT,
        states_before=now - STATES_KEPT,
    )
    if purged.total:
        log.info(
            "retention: %d answer sheets anonymised, %d invitations, %d nudges, %d delivery "
            "records and %d OAuth states forgotten",
            purged.sheets,
            purged.invitations,
            purged.nudges,
            purged.seen_events,
            purged.oauth_states,
        )
    return purged


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day if shorter)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


async def _connect(socket: AsyncSocketModeHandler) -> None:
    # slack_sdk retries a refused app token forever; asking for the first URL here makes a wrong
    # or revoked token stop start-up instead (later reconnections still retry).
    from slack_sdk.errors import SlackApiError

    try:
        socket.client.wss_uri = await socket.client.issue_new_wss_url()
    except SlackApiError as error:
        data = error.response.data
        reason = data.get("error") if isinstance(data, dict) else error.response.status_code
        raise ConfigError(f"Slack refused ADVISOR_SLACK_APP_TOKEN: {reason}") from error
    except (aiohttp.ClientError, OSError) as error:
        raise ConfigError(
            f"ADVISOR_SLACK_API_URL: cannot reach Slack at {socket.client.web_client.base_url} "
            f"for Socket Mode: {str(error) or type(error).__name__}"
        ) from error
    await socket.connect_async()  # type: ignore[no-untyped-call]  # untyped in Bolt


async def _unless_stopped(work: Awaitable[None], stop: asyncio.Event) -> bool:
    """Run `work` unless `stop` comes first; True if it finished."""
    working = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait((working, stopping), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (working, stopping):
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    if working.done() and not working.cancelled():
        working.result()
        return True
    return False


def _on_signal() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    return stop
