"""A scan click is the hot path: the statements it sends to the database are counted, so a
needless one is noticed. On PostgreSQL every statement is a round trip, and a transaction
around several takes two more (BEGIN and COMMIT): there a click is one read and one write."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Engine, event

from bot.app import App, build_app
from bot.settings import load_settings
from dialogs.events import ChoiceSelected, ConversationKey, ConversationStarted
from dialogs.messages import ChoicePrompt, Reply

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


async def _statements_per_click(app: App) -> list[int]:
    statements: list[str] = []

    def sent(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    org = await app.organisations.ensure("console:click", "Click")
    key = ConversationKey("console", org.id, "ann", "ann")
    reply = await app.advisor.handle(key, ConversationStarted())
    counts = []
    # Every engine's: on a SQLite file the writes go through a writer thread's own.
    event.listen(Engine, "before_cursor_execute", sent)
    try:
        for _ in range(CLICKS):
            prompt = _prompt(reply)
            before = len(statements)
            reply = await app.advisor.handle(
                key, ChoiceSelected(prompt.prompt_id, (prompt.choices[0].id,))
            )
            counts.append(len(statements) - before)
    finally:
        event.remove(Engine, "before_cursor_execute", sent)
    stored = await app.scans.sheet(org.id, (await app.scans.current(org.id)).id, "console:ann")
    assert len(stored.answers) == CLICKS, "every click's answer is stored"
    return counts


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_click_on_postgresql_is_one_read_and_one_statement_that_writes(app: App) -> None:
    assert set(await _statements_per_click(app)) == {2}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_click_on_sqlite_reads_once_and_writes_its_state_and_answer(app: App) -> None:
    # The first answer also makes the person's response to the scan: one statement more.
    first, *later = await _statements_per_click(app)

    assert (first, set(later)) == (5, {3})
