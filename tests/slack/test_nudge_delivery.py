"""Nudges to a fake Slack that keeps Slack's rate limits, or not: each delivered exactly once,
through real `advisor serve` processes (a SIGKILL in the middle of a batch, two processes
sharing one PostgreSQL, one of them killed) and across several workspaces in one dispatcher."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import SystemClock
from bot.slack.delivery import SlackDelivery
from dialogs.nudging import Dispatcher, Planner, Sent
from dialogs.records import NewTask, Organisation
from engine.respect import Respect
from engine.text import text
from engine.vocabulary import TaskKind
from storage.activation import SqlaPeopleDirectory, SqlaTaskRepository
from storage.db import Database
from storage.migrate import prepare
from storage.outbox import SqlaOutbox
from storage.repositories import SqlaOrganisationDirectory
from tests.builders import due_just_now
from tests.fakes.slack_api import TEAM_ID, Call, FakeSlackWebApi, Limits
from tests.slack.test_serve import BOT_TOKEN, SIGNING_SECRET, Served, advisor_serve

ZONE = "Europe/Amsterdam"
ALWAYS = Respect(working_days=frozenset(range(7)), day_starts=time(0, 0), day_ends=time(23, 59, 59))
"""These tests run on the real clock: any moment is a fine moment for a nudge."""
DELIVERED_SECONDS = 120


def _user(number: int, workspace: str = "") -> str:
    return f"U{workspace}{number:05d}"


async def _nudges_due(database_url: str, people: int, team: str = TEAM_ID) -> None:
    """An organisation whose `people` each have a one-off task that came due an hour ago (in
    workspace `team`, whose people are ``_user(n, team)`` unless it is the fake's own)."""
    workspace = "" if team == TEAM_ID else team
    database = Database(database_url)
    try:
        await prepare(database, auto_upgrade=True)
        organisations = SqlaOrganisationDirectory(database)
        org = await organisations.ensure(f"slack:{team}", f"Team {team}")
        org = await organisations.update_settings(
            org.id, type(org.settings)(time_zone=ZONE, respect=ALWAYS)
        )
        clock = SystemClock()
        started = due_just_now(clock.now(), ZONE)
        tasks = SqlaTaskRepository(database)
        title = text("Post from the calendar", "Post from the calendar")
        await tasks.adopt(
            org.id,
            [
                NewTask(
                    "post_calendar",
                    TaskKind.POST,
                    title,
                    f"slack:{_user(n, workspace)}",
                    None,
                    started,
                    ZONE,
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
    """Until `people` people have a nudge; the guard turns a lost one into a failure."""
    async with asyncio.timeout(DELIVERED_SECONDS):
        while len(_nudges_per_person(api)) < people:  # noqa: ASYNC110 - polling the fake's record
            await asyncio.sleep(0.1)


async def _each_got_exactly_one(api: FakeSlackWebApi, people: int, database_url: str) -> None:
    """Every person's nudge reached them once, and the outbox has it sent."""
    per_person = _nudges_per_person(api)
    assert set(per_person) == {_user(n) for n in range(people)}, "no nudge was lost"
    assert set(per_person.values()) == {1}, "nobody got a nudge twice"
    statuses = await _outbox_statuses(database_url)
    assert statuses["sent"] == people
    assert set(statuses) <= {"sent", "pending"}, "only tomorrow's follow-ups are left to send"


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

    await _each_got_exactly_one(api, people, sqlite_url)
    assert api.called("conversations.history"), "reclaimed nudges were looked up first"


@pytest.mark.postgres
async def test_two_processes_on_one_postgresql_deliver_three_hundred_nudges_once_each(
    tmp_path: Path, postgres_url: str, fake_slack_web_api: FakeSlackWebApi
) -> None:
    # Each process keeps to Slack's ten messages a second in the workspace: 300 take a while.
    api, people = fake_slack_web_api, 300
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

    # One workspace: the processes take turns with it, each leaving it to the other while that
    # one sends (tests/storage/test_outbox_claims.py), so which of them sent what varies.
    await _each_got_exactly_one(api, people, postgres_url)


@pytest.mark.postgres
async def test_at_slacks_limits_two_processes_deliver_each_nudge_once_though_one_is_killed(
    tmp_path: Path, postgres_url: str, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api, people = fake_slack_web_api, 150
    await _nudges_due(postgres_url, people)
    api.enforce_limits(Limits(per_workspace=10))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()

    async with (
        advisor_serve(tmp_path / "a", api, **_settings(postgres_url)) as first,
        advisor_serve(tmp_path / "b", api, **_settings(postgres_url)),
    ):
        async with asyncio.timeout(DELIVERED_SECONDS):
            await api.wait_for("chat.postMessage", 40)
        await _kill(first)
        assert len(_nudges_per_person(api)) < people, "the kill came in the middle"
        await _until_everyone_has_one(api, people)
        await asyncio.sleep(3)  # past the lease: anything left over would be sent by now

    await _each_got_exactly_one(api, people, postgres_url)


WORKSPACES = ("TA", "TB", "TC", "TD")


async def test_at_slacks_limits_a_429_in_one_workspace_holds_up_no_other_and_none_is_lost(
    sqlite_url: str, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api, people = fake_slack_web_api, 25
    for team in WORKSPACES:
        await _nudges_due(sqlite_url, people, team)
    api.enforce_limits(Limits(per_workspace=10))
    # Workspace TA's first message meets a 429 that asks for two seconds' wait, then another.
    api.fail_next("chat.postMessage", retry_after=2, times=2, channel=_user(0, "TA"))
    database = Database(sqlite_url)
    try:
        sent = await _dispatch_all(database, api)
    finally:
        await database.dispose()

    per_person = _nudges_per_person(api)
    everyone = {_user(n, team) for team in WORKSPACES for n in range(people)}
    assert set(per_person) == everyone, "every nudge reached its person"
    assert set(per_person.values()) == {1}, "nobody got a nudge twice"
    assert sent.sent == len(everyone)
    posts = [call for call in api.calls if call.method == "chat.postMessage"]
    waited = next(i for i, call in enumerate(posts) if call.status == 429 and call.token == _A)
    # The nudge that met the 429 (another of TA's may have been on its way already).
    channel = posts[waited].params.get("channel")
    resumed = next(
        i
        for i, call in enumerate(posts[waited:], waited)
        if _delivered(call, _A) and call.params.get("channel") == channel
    )
    others = [call for call in posts[waited:resumed] if call.token != _A and call.status == 200]
    assert others, "the other workspaces went on sending while TA waited"


_A = "xoxb-TA"


async def test_a_workspace_that_sends_for_longer_than_the_lease_keeps_its_claims(
    sqlite_url: str, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api, people = fake_slack_web_api, 40
    await _nudges_due(sqlite_url, people)
    api.enforce_limits(Limits(per_workspace=10))
    database = Database(sqlite_url)
    lease = timedelta(seconds=1)  # ten messages' time: the 40 take four times as long
    try:
        sent = await asyncio.gather(
            _dispatch_all(database, api, worker="worker-1", lease=lease),
            _dispatch_all(database, api, worker="worker-2", lease=lease),
        )
    finally:
        await database.dispose()

    await _each_got_exactly_one(api, people, sqlite_url)
    assert sum(tally.sent for tally in sent) == people
    assert not api.called("conversations.history"), "no claim lapsed and was taken over"


def _delivered(call: Call, token: str) -> bool:
    return call.token == token and call.status == 200


async def _dispatch_all(
    database: Database,
    api: FakeSlackWebApi,
    *,
    worker: str = "worker-1",
    lease: timedelta = timedelta(minutes=5),
) -> Sent:
    """What `advisor serve` does with due nudges: one dispatcher, Slack clients per workspace
    that raise a 429 at once (the delivery waits it out for that workspace only)."""
    organisations = SqlaOrganisationDirectory(database)
    outbox = SqlaOutbox(database)

    async def client_for(org_id: int) -> tuple[Organisation, AsyncWebClient]:
        org = await organisations.get(org_id)
        assert org is not None
        token = f"xoxb-{org.key.removeprefix('slack:')}"
        return org, AsyncWebClient(token=token, base_url=api.api_url, retry_handlers=[])

    dispatcher = Dispatcher(
        organisations=organisations,
        tasks=SqlaTaskRepository(database),
        people=SqlaPeopleDirectory(database),
        outbox=outbox,
        delivery=SlackDelivery(client_for),
        clock=SystemClock(),
        worker=worker,
        lease=lease,
        claims=outbox,
    )
    async with asyncio.timeout(DELIVERED_SECONDS):
        return await dispatcher.dispatch()
