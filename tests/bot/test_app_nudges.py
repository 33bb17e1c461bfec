"""The nudges `build_app` wires up: in each person's language, and the monthly report as a PNG."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

from bot.app import build_app
from bot.settings import load_settings
from dialogs.events import Command, CommandInvoked, ConversationKey
from dialogs.messages import File
from dialogs.records import NewTask
from engine.nudges import NudgeKind
from engine.text import text
from engine.vocabulary import Language, TaskKind
from tests.fakes.clock import FixedClock
from tests.fakes.delivery import RecordingDelivery


async def test_a_task_nudge_comes_in_the_language_its_owner_speaks(sqlite_url: str) -> None:
    clock = FixedClock(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
    app = await build_app(load_settings(database_url=sqlite_url), clock=clock)
    try:
        org = await app.organisations.ensure("org:acme", "Acme")  # Dutch by default
        assert org.settings.language is Language.NL
        await app.advisor.handle(
            ConversationKey("console", org.id, "ann", "ann"),
            CommandInvoked(Command.HELP),
            language=Language.EN,
        )
        start = datetime.combine(date(2026, 11, 24), time(10, 0))
        for owner in ("console:ann", "console:bob"):
            task = NewTask("post", TaskKind.POST, text("Posten", "Post"), owner, None, start, "UTC")
            await app.activation.tasks.adopt(org.id, [task], by=owner, now=clock.now())
        await app.activation.planner.plan(org.id)
        clock.set(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
        delivery = RecordingDelivery(clock)

        await app.dispatcher(delivery, worker="test").run()

        (ann,) = delivery.to("console:ann")
        (bob,) = delivery.to("console:bob")
        assert "due today" in repr(ann.reply)
        assert "vandaag" in repr(bob.reply), "no conversation yet: the organisation's language"
    finally:
        await app.close()


async def test_the_monthly_report_is_rendered_as_a_png_for_the_manager(sqlite_url: str) -> None:
    clock = FixedClock(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    app = await build_app(load_settings(database_url=sqlite_url), clock=clock)
    try:
        org = await app.organisations.ensure("org:acme", "Acme")
        await app.organisations.update_settings(org.id, replace(org.settings, manager="console:pm"))
        start = datetime.combine(date(2026, 12, 1), time(10, 0))
        task = NewTask(
            "post", TaskKind.POST, text("Posten", "Post"), "console:pm", None, start, "UTC"
        )
        await app.activation.tasks.adopt(org.id, [task], by="console:pm", now=clock.now())
        clock.set(datetime(2026, 12, 1, 8, 30, tzinfo=UTC))
        await app.activation.planner.plan(org.id)
        delivery = RecordingDelivery(clock)

        await app.dispatcher(delivery, worker="test").run()

        (report,) = [d for d in delivery.to("console:pm") if d.kind is NudgeKind.REPORT]
        (attached,) = [block for block in report.reply if isinstance(block, File)]
        assert attached.content.startswith(b"\x89PNG")
        assert attached.name == "report-2026-12.png"
    finally:
        await app.close()


async def test_the_project_manager_is_told_once_of_each_task_a_forgotten_person_owned(
    sqlite_url: str,
) -> None:
    clock = FixedClock(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
    app = await build_app(load_settings(database_url=sqlite_url), clock=clock)
    try:
        org = await app.organisations.ensure("org:acme", "Acme")
        await app.organisations.update_settings(org.id, replace(org.settings, manager="console:pm"))
        start = datetime.combine(date(2026, 11, 30), time(10, 0))
        task = NewTask(
            "post", TaskKind.POST, text("Posten", "Post"), "console:ann", None, start, "UTC"
        )
        (adopted,) = await app.activation.tasks.adopt(
            org.id, [task], by="console:ann", now=clock.now()
        )

        erased = await app.rights.erase(org.id, "console:ann", successor=None)
        assert erased.tasks == (adopted.id,)
        assert erased.heir == "console:pm"
        delivery = RecordingDelivery(clock)
        await app.dispatcher(delivery, worker="test").run()
        await app.dispatcher(delivery, worker="test").run()

        handed = [d for d in delivery.to("console:pm") if d.kind is NudgeKind.HANDOVER]
        assert len(handed) == 1, "told once"
        said = repr(handed[0].reply)
        assert f"#{adopted.id}" in said
        assert "Posten" in said
        assert "ann" not in said, "who was forgotten is not named"
        assert delivery.to("console:ann") == []
    finally:
        await app.close()
