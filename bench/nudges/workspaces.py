"""The bench's world before the clock starts: workspaces installed over OAuth, their people, and
each person's nudge due in the outbox, written through the advisor's own stores."""

from __future__ import annotations

import time as clock
from datetime import UTC, datetime, time

from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import func, select

from bench.nudges.fake import token_for
from bot.app import SystemClock
from bot.slack.app import BOT_SCOPES
from bot.slack.oauth import SqlaSlackInstallationStore
from dialogs.nudging import Planner
from dialogs.records import NewTask
from engine.respect import Respect
from engine.text import text
from engine.vocabulary import TaskKind
from storage.activation import SqlaPeopleDirectory, SqlaTaskRepository
from storage.db import Database
from storage.installations import SqlaInstallationRepository
from storage.migrate import prepare
from storage.models import NudgeRow
from storage.outbox import PENDING, SqlaOutbox
from storage.repositories import SqlaOrganisationDirectory
from storage.secrets import SecretBox
from tests.builders import due_just_now

ZONE = "Europe/Amsterdam"
ALWAYS = Respect(working_days=frozenset(range(7)), day_starts=time(0, 0), day_ends=time(23, 59, 59))
"""The bench runs on the real clock: any moment is a fine moment for a nudge."""
TITLE = text("Post from the calendar", "Post from the calendar")


def team_id(number: int) -> str:
    return f"T{number:07d}"


def user_id(number: int) -> str:
    return f"U{number:06d}"


async def plant(database_url: str, encryption_key: str, workspaces: int, nudges: int) -> list[int]:
    """`workspaces` workspaces with the app installed, each with `nudges` people whose one-off
    task came due a minute ago, planned: the ids of the nudges now due."""
    database = Database(database_url)
    try:
        await prepare(database, auto_upgrade=True)
        organisations = SqlaOrganisationDirectory(database)
        tasks = SqlaTaskRepository(database)
        store = SqlaSlackInstallationStore(
            SqlaInstallationRepository(database, SecretBox.from_setting(encryption_key))
        )
        now = SystemClock()
        planner = Planner(
            organisations=organisations,
            tasks=tasks,
            people=SqlaPeopleDirectory(database),
            outbox=SqlaOutbox(database),
            clock=now,
        )
        # Due just now: the follow-up comes the next morning (midnight, as every moment is fine
        # here), so it is not due too. Due an hour ago, every follow-up was due as well from
        # midnight in ZONE on: twice the nudges the scenario and its floor count.
        due = due_just_now(now.now(), ZONE)
        for number in range(workspaces):
            team = team_id(number)
            org = await organisations.ensure(f"slack:{team}", f"Bench {team}")
            org = await organisations.update_settings(
                org.id, type(org.settings)(time_zone=ZONE, respect=ALWAYS)
            )
            await store.async_save(_installation(team))
            people = [
                NewTask(
                    "post_calendar", TaskKind.POST, TITLE, f"slack:{user_id(n)}", None, due, ZONE
                )
                for n in range(nudges)
            ]
            await tasks.adopt(org.id, people, by=f"slack:{user_id(0)}", now=now.now())
            await planner.plan(org.id)
        async with database.session() as session:
            planned = select(NudgeRow.id).where(
                NudgeRow.status == PENDING, NudgeRow.deliver_at <= now.now()
            )
            return sorted(await session.scalars(planned))
    finally:
        await database.dispose()


async def claims(database_url: str, nudge_ids: list[int]) -> tuple[datetime | None, int]:
    """When the first of these nudges was claimed, as far as the rows tell (each keeps only its
    latest claim: renewed, or taken again after its lease), and how many were claimed more than
    once."""
    database = Database(database_url)
    try:
        async with database.session() as session:
            earliest = select(func.min(NudgeRow.claimed_at)).where(NudgeRow.id.in_(nudge_ids))
            found: datetime | None = await session.scalar(earliest)
            again = select(func.count()).where(NudgeRow.id.in_(nudge_ids), NudgeRow.attempts > 1)
            reclaimed = int(await session.scalar(again) or 0)
        if found is not None and found.tzinfo is None:
            found = found.replace(tzinfo=UTC)
        return found, reclaimed
    finally:
        await database.dispose()


def _installation(team: str) -> Installation:
    return Installation(
        app_id="A0BENCH",
        team_id=team,
        team_name=f"Bench {team}",
        bot_token=token_for(team),
        bot_id=f"B{team}",
        bot_user_id=f"UBOT{team}",
        bot_scopes=list(BOT_SCOPES),
        user_id=f"UADMIN{team}",
        installed_at=clock.time(),
    )
