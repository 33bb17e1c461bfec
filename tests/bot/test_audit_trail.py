"""The audit trail `build_app` keeps: what a project manager did, who and when, never an answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from bot.app import build_app
from bot.settings import load_settings
from dialogs.campaigns import Audience, LaunchRequest
from dialogs.events import ConversationKey
from dialogs.ports import Publisher
from dialogs.records import NewTask, Organisation
from engine.text import text
from engine.vocabulary import Language, TaskKind
from tests.fakes.clock import FixedClock

PM = "slack:UPM"


async def test_launch_threshold_close_settings_and_reassignment_are_recorded(
    sqlite_url: str,
) -> None:
    clock = FixedClock(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
    app = await build_app(load_settings(database_url=sqlite_url), clock=clock)
    try:
        org = await app.organisations.ensure("slack:T1", "Acme")
        runner = app.campaigns()
        audience = tuple(Audience(f"slack:U{n}", None) for n in range(4))
        deadline = clock.now() + timedelta(days=3)
        await runner.campaigns.launch(org.id, LaunchRequest(PM, audience, deadline, None, 7))
        clock.advance(minutes=5)
        await runner.close(org, PM, Language.EN)
        await runner.campaigns.change_settings(
            org.id, PM, language=Language.EN, threshold=5, report_channel=None
        )
        await app.organisations.update_settings(org.id, replace(org.settings, manager=PM))
        start = datetime.combine(date(2026, 11, 30), time(10, 0))
        new = NewTask("post", TaskKind.POST, text("Posten", "Post"), PM, None, start, "UTC")
        (task,) = await app.activation.tasks.adopt(org.id, [new], by=PM, now=clock.now())
        await app.desk.reassign(
            ConversationKey("slack", org.id, "UPM", "UPM"), f"{task.id} @U2", Language.EN
        )

        entries = await app.audit.entries(org.id)

        assert [(e.action, e.actor, dict(e.detail)) for e in entries] == [
            ("launch", PM, {"scan": 1, "invited": 4}),
            ("threshold", PM, {"from": 5, "to": 7}),  # the default is 5
            ("close", PM, {"scan": 1}),
            ("settings", PM, {"language": "en", "report": "none"}),
            ("threshold", PM, {"from": 7, "to": 5}),
            ("reassign", PM, {"task": task.id}),
        ]
        assert entries[0].at < entries[2].at, "when, in order"
    finally:
        await app.close()


async def test_a_scan_closed_by_its_deadline_is_recorded_without_an_actor(
    sqlite_url: str,
) -> None:
    clock = FixedClock(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
    app = await build_app(load_settings(database_url=sqlite_url), clock=clock)
    try:
        org = await app.organisations.ensure("slack:T1", "Acme")
        runner = app.campaigns()
        audience = (Audience("slack:U1", None),)
        deadline = clock.now() + timedelta(hours=1)
        await runner.campaigns.launch(org.id, LaunchRequest(PM, audience, deadline, None, 3))
        clock.advance(hours=2)

        async def unreachable(_: Organisation) -> Publisher:
            raise LookupError("the app was removed")

        await runner.tick("slack", unreachable)

        (closed,) = [e for e in await app.audit.entries(org.id) if e.action == "close"]
        assert closed.actor is None
    finally:
        await app.close()
