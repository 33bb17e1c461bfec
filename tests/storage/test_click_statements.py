"""A scan click is the hot path: what it sends to the database is counted, so a needless
statement or round trip is noticed. On PostgreSQL every statement is a round trip, and a
transaction around several takes two more (BEGIN and COMMIT): there a click is one read and one
write, counted on the wire. On SQLite the statements SQLAlchemy runs are counted."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import Engine, event

from bot.app import App, build_app
from bot.settings import load_settings
from dialogs.events import ChoiceSelected, ConversationKey, ConversationStarted
from dialogs.messages import ChoicePrompt, Reply
from tests.fakes.pg_wire import counting_proxy

CLICKS = 5


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[App]:
    app = await build_app(load_settings(database_url=database_url))
    try:
        yield app
    finally:
        await app.close()


def _prompt(reply: Reply) -> ChoicePrompt:
    return [block for block in reply if isinstance(block, ChoicePrompt)][-1]


async def _per_click(app: App, counted: Callable[[], int]) -> list[int]:
    """What `counted` counts during each of CLICKS clicks through the scan."""
    org = await app.organisations.ensure("console:click", "Click")
    key = ConversationKey("console", org.id, "ann", "ann")
    reply = await app.advisor.handle(key, ConversationStarted())
    counts = []
    for _ in range(CLICKS):
        prompt = _prompt(reply)
        before = counted()
        reply = await app.advisor.handle(
            key, ChoiceSelected(prompt.prompt_id, (prompt.choices[0].id,))
        )
        counts.append(counted() - before)
    stored = await app.scans.sheet(org.id, (await app.scans.current(org.id)).id, "console:ann")
    assert len(stored.answers) == CLICKS, "every click's answer is stored"
    return counts


async def _statements_per_click(app: App) -> list[int]:
    statements: list[str] = []

    def sent(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    # Every engine's: on a SQLite file the writes go through a writer thread's own.
    event.listen(Engine, "before_cursor_execute", sent)
    try:
        return await _per_click(app, lambda: len(statements))
    finally:
        event.remove(Engine, "before_cursor_execute", sent)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_click_on_postgresql_is_two_round_trips_a_read_and_a_write(
    database_url: str,
) -> None:
    async with counting_proxy(f"{database_url}?ssl=disable") as (proxied, trips):
        app = await build_app(load_settings(database_url=proxied))
        try:
            counts = await _per_click(app, lambda: trips.count)
        finally:
            await app.close()

    # The first two clicks also prepare their statements on the connection: a trip each.
    assert set(counts[2:]) == {2}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_click_on_sqlite_reads_once_and_writes_its_state_and_answer(app: App) -> None:
    # The first answer also makes the person's response to the scan: one statement more.
    first, *later = await _statements_per_click(app)

    assert (first, set(later)) == (5, {3})
