"""Nudges through real `advisor serve` processes to a fake Slack: each delivered exactly once,
through a SIGKILL in the middle of a batch, and with two processes sharing one PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import SystemClock
from dialogs.nudging import Planner
from dialogs.records import NewTask
from engine.recurrence import LocalTime
from engine.respect import Respect
from engine.text import text
from engine.vocabulary import TaskKind
from storage.activation import SqlaPeopleDirectory, SqlaTaskRepository
from storage.db import Database
from storage.migrate import prepare
from storage.models import NudgeRow
from storage.outbox import SqlaOutbox
from storage.repositories import SqlaOrganisationDirectory
from tests.fakes.slack_api import TEAM_ID, FakeSlackWebApi
from tests.slack.test_serve import BOT_TOKEN, SIGNING_SECRET, Served, advisor_serve

ZONE = "Europe/Amsterdam"
ALWAYS = Respect(working_days=frozenset(range(7)), day_starts=time(0, 0), day_ends=time(23, 59, 59))
"""These tests run on the real clock: any moment is a fine moment for a nudge."""
DELIVERED_SECONDS = 120


def _user(number: int) -> str:
    return f"U{number:05d}"


async def _nudges_due(database_url: str, people: int) -> None:
    """An organisation whose `people` each have a one-off task that came due an hour ago."""
    database = Database(database_url)
    try:
        await prepare(database, auto_upgrade=True)
        organisations = SqlaOrganisationDirectory(database)
        org = await organisations.ensure(f"slack:{TEAM_ID}", "Fake Team")
        org = await organisations.update_settings(
            org.id, type(org.settings)(time_zone=ZONE, respect=ALWAYS)
        )
        clock = SystemClock()
        started = LocalTime.of(clock.now() - timedelta(hours=1), ZONE).at.replace(
            second=0, microsecond=0
        )
        tasks = SqlaTaskRepository(database)
        title = text("Post from the calendar", "Post from the calendar")
        await tasks.adopt(
            org.id,
            [
                NewTask(
                    "post_calendar", TaskKind.POST, title, f"slack:{_user(n)}", None, started, ZONE
                )
                for n in range(people)
            ],
            by="slack:UPM",
            now=clock.now(),
        )
        planner = Planner(
            organisations=organisations,
            tasks=tasks,
            people=SqlaPeopleDirectory(database),
            outbox=SqlaOutbox(database),
            clock=clock,
        )
        await planner.plan(org.id)
    finally:
        await database.dispose()


def _nudges_per_person(api: FakeSlackWebApi) -> Counter[str]:
    """Nudge messages that reached each person's direct messages (retries that Slack refused
    are not messages)."""
    return Counter(
        channel.removeprefix("D")
        for channel, held in api.messages.items()
        for message in held.values()
        if (message.get("metadata") or {}).get("event_type") == "advisor_nudge"
    )


async def _until_everyone_has_one(api: FakeSlackWebApi, people: int) -> None:
    async with asyncio.timeout(DELIVERED_SECONDS):
        while len(_nudges_per_person(api)) < people:  # noqa: ASYNC110 - polling the fake's record
            await asyncio.sleep(0.1)


async def _outbox_statuses(database_url: str) -> dict[str, int]:
    database = Database(database_url)
    try:
        return await SqlaOutbox(database).counts()
    finally:
        await database.dispose()


def _settings(database_url: str, **more: Any) -> dict[str, Any]:
    return {
        "database_url": database_url,
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "tick_seconds": "0.2",
        "nudge_lease_seconds": "2",
        **more,
    }


async def _kill(served: Served) -> None:
    served.process.kill()  # SIGKILL: no clean-up, no chance to mark anything
    await served.process.wait()


async def test_a_batch_interrupted_by_sigkill_is_delivered_once_after_a_restart(
    tmp_path: Path, sqlite_url: str, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api, people = fake_slack_web_api, 120
    await _nudges_due(sqlite_url, people)
    api.delays["chat.postMessage"] = 0.02

    async with advisor_serve(tmp_path, api, **_settings(sqlite_url)) as first:
        async with asyncio.timeout(DELIVERED_SECONDS):
            await api.wait_for("chat.postMessage", 30)
        await _kill(first)
    delivered_before = len(_nudges_per_person(api))
    assert delivered_before < people, "the kill came in the middle of the batch"

    async with advisor_serve(tmp_path, api, **_settings(sqlite_url)):
        await _until_everyone_has_one(api, people)
        await asyncio.sleep(3)  # past the lease: anything left over would be sent by now

    per_person = _nudges_per_person(api)
    assert set(per_person) == {_user(n) for n in range(people)}
    assert set(per_person.values()) == {1}, "nobody got a nudge twice"
    assert api.called("conversations.history"), "reclaimed nudges were looked up first"
    statuses = await _outbox_statuses(sqlite_url)
    assert statuses["sent"] == people
    assert set(statuses) <= {"sent", "pending"}, "only tomorrow's follow-ups are left to send"


@pytest.mark.postgres
async def test_two_processes_on_one_postgresql_deliver_a_thousand_nudges_once_each(
    tmp_path: Path, postgres_url: str, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api, people = fake_slack_web_api, 1000
    await _nudges_due(postgres_url, people)
    api.delays["chat.postMessage"] = 0.005
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()

    # Neither process dies here, so the lease only has to outlast a batch of sends on a busy
    # machine; the two-second lease of the crash tests could run out mid-batch and let the
    # other process take over nudges still being sent.
    served = _settings(postgres_url, nudge_lease_seconds="30")
    async with (
        advisor_serve(tmp_path / "a", api, **served),
        advisor_serve(tmp_path / "b", api, **served),
    ):
        await _until_everyone_has_one(api, people)
        await asyncio.sleep(1)

    per_person = _nudges_per_person(api)
    assert len(per_person) == people
    assert set(per_person.values()) == {1}
    statuses = await _outbox_statuses(postgres_url)
    assert statuses["sent"] == people
    assert set(statuses) <= {"sent", "pending"}, "only tomorrow's follow-ups are left to send"
    workers = await _claimed_by(postgres_url)
    assert len(workers) == 2, f"both processes sent nudges: {workers}"


async def _claimed_by(database_url: str) -> set[str]:
    database = Database(database_url)
    try:
        async with database.session() as session:
            claimed = select(NudgeRow.claimed_by).where(NudgeRow.claimed_by.is_not(None))
            return set(await session.scalars(claimed.distinct()))
    finally:
        await database.dispose()
