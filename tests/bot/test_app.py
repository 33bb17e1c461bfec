"""The composed advisor on a real database: SQLite (embedded) and PostgreSQL (production)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import event

from bot.app import App, build_app
from bot.settings import load_settings
from dialogs.events import ChoiceSelected, Command, CommandInvoked, ConversationKey
from dialogs.messages import Chart
from dialogs.records import Organisation
from dialogs.report import ReportData, gather
from engine.vocabulary import Language
from storage.db import Database
from storage.migrate import SchemaBehind, schema_status
from tests.builders import close_running_scan
from tests.dialogs.conftest import prompt_of, take_scan, text_of
from tests.fakes.clock import FixedClock


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[App]:
    built = await build_app(load_settings(database_url=database_url), clock=FixedClock())
    try:
        yield built
    finally:
        await built.close()


async def test_a_scan_of_five_people_publishes_a_result_plan_and_advice(app: App) -> None:
    org = await app.organisations.ensure("test:acme", "Acme")
    for number in range(5):
        key = ConversationKey("test", org.id, f"p{number}", f"p{number}")
        await take_scan(app.advisor, key, pick=number % 3)
    await close_running_scan(app.scans, org.id, now=app.clock.now())
    pm = ConversationKey("test", org.id, "pm", "pm")
    result = await app.advisor.handle(pm, CommandInvoked(Command.RESULTS), language=Language.EN)
    assert any(isinstance(block, Chart) for block in result)
    assert "Completed by" in text_of(result)
    plan = await app.advisor.handle(pm, CommandInvoked(Command.PLAN))
    assert "Always-on tasks" in text_of(plan)


async def _report(app: App, org: Organisation) -> ReportData:
    return await gather(
        org,
        advisor=app.advisor,
        tasks=app.activation.tasks,
        kpis=app.activation.kpis,
        people=app.activation.people,
        scans=app.scans,
        launches=app.activation.launches,
        now=app.clock.now(),
    )


async def test_the_report_shows_the_latest_closed_scan_and_not_the_one_running(
    app: App,
) -> None:
    org = await app.organisations.ensure("test:acme", "Acme")
    for scan_number, pick in ((1, 0), (2, 2)):
        for number in range(5):
            key = ConversationKey("test", org.id, f"p{scan_number}-{number}", f"p{number}")
            await take_scan(app.advisor, key, pick=pick)
        if scan_number == 1:
            await close_running_scan(app.scans, org.id, now=app.clock.now())

    data = await _report(app, org)
    assert data.latest is not None
    assert data.latest.number == 1, "scan 2 is running: its result appears when it closes"
    assert data.baseline is None

    await close_running_scan(app.scans, org.id, now=app.clock.now())
    data = await _report(app, org)
    assert data.latest is not None
    assert data.baseline is not None
    assert (data.latest.number, data.baseline.number) == (2, 1)


async def test_one_organisation_never_sees_anothers_answers(app: App) -> None:
    acme = await app.organisations.ensure("test:acme", "Acme")
    other = await app.organisations.ensure("test:other", "Other")
    for number in range(5):
        key = ConversationKey("test", acme.id, f"p{number}", f"p{number}")
        await take_scan(app.advisor, key)
    outsider = ConversationKey("test", other.id, "p0", "p0")
    reply = await app.advisor.handle(
        outsider, CommandInvoked(Command.RESULTS), language=Language.EN
    )
    assert "no scan yet" in text_of(reply)


async def test_with_auto_migration_off_an_empty_database_refuses_to_start(
    database_url: str,
) -> None:
    with pytest.raises(SchemaBehind, match="advisor db upgrade"):
        await build_app(load_settings(database_url=database_url, auto_migrate=False))
    database = Database(database_url)
    try:
        current, _ = await schema_status(database)
        assert current is None
    finally:
        await database.dispose()


async def test_an_answer_click_costs_no_more_than_four_statements(app: App) -> None:
    org = await app.organisations.ensure("test:acme", "Acme")
    key = ConversationKey("test", org.id, "ann", "ann")
    first = prompt_of(await app.advisor.handle(key, CommandInvoked(Command.SCAN)))
    statements: list[str] = []
    engine = app.database.engine.sync_engine

    def listener(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        await app.advisor.handle(key, ChoiceSelected(first.prompt_id, (first.choices[0].id,)))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) <= 4, statements
