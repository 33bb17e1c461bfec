"""A scan click is the hot path: what it sends to the database is counted, so a needless
statement or round trip is noticed. On PostgreSQL every statement is a round trip, and a
transaction around several takes two more (BEGIN and COMMIT): there a click is one read and one
write, counted on the wire. On SQLite the statements SQLite runs are counted."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from bot.app import App, build_app
from bot.settings import load_settings
from dialogs.events import ChoiceSelected, ConversationKey, ConversationStarted
from dialogs.messages import ChoicePrompt, Reply
from tests.fakes.pg_wire import counting_proxy
from tests.storage.statements import is_statement, sqlite_statements

CLICKS = 5
STATEMENTS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"})


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[App]:
    app = await build_app(load_settings(database_url=database_url))
    try:
        yield app
    finally:
        await app.close()


def _prompts(reply: Reply) -> list[ChoicePrompt]:
    return [block for block in reply if isinstance(block, ChoicePrompt)]


async def _per_click(
    app: App, counted: Callable[[], int], clicks: int | None = CLICKS
) -> list[int]:
    """What `counted` counts during each of `clicks` clicks through the scan (None: through
    to its end, the last click completing the person's response)."""
    org = await app.organisations.ensure("console:click", "Click")
    key = ConversationKey("console", org.id, "ann", "ann")
    reply = await app.advisor.handle(key, ConversationStarted())
    counts = []
    while (clicks is None or len(counts) < clicks) and _prompts(reply):
        prompt = _prompts(reply)[-1]
        before = counted()
        reply = await app.advisor.handle(
            key, ChoiceSelected(prompt.prompt_id, (prompt.choices[0].id,))
        )
        counts.append(counted() - before)
    scan = await app.scans.current(org.id)
    stored = await app.scans.sheet(org.id, scan.id, "console:ann")
    assert len(stored.answers) == len(counts), "every click's answer is stored"
    (response,) = await app.scans.participation(org.id, scan.id)
    assert (response.completed_at is not None) is (clicks is None), "complete at the end"
    return counts


async def _statements_per_click(app: App) -> list[int]:
    """The statements SQLite ran during each click (`sqlite_statements`)."""
    async with sqlite_statements(app.database) as statements:
        return await _per_click(app, lambda: sum(map(_is_statement, statements)))


def _is_statement(traced: str) -> bool:
    """A statement of the click's own, not the driver's BEGIN, COMMIT or PRAGMA."""
    return is_statement(traced, STATEMENTS)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_every_click_on_postgresql_is_two_round_trips_a_read_and_a_write(
    database_url: str,
) -> None:
    async with counting_proxy(f"{database_url}?ssl=disable") as (proxied, trips):
        app = await build_app(load_settings(database_url=proxied))
        try:
            counts = await _per_click(app, lambda: trips.count, clicks=None)
        finally:
            await app.close()

    # Every click, the last one (which completes the response) too. The first two may also
    # prepare their statements on the connection, a trip each.
    assert len(counts) > CLICKS
    assert set(counts[2:]) == {2}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_click_on_sqlite_reads_once_and_writes_its_state_and_answer(app: App) -> None:
    # The first answer also makes the person's response to the scan: one statement more.
    first, *later = await _statements_per_click(app)

    assert (first, set(later)) == (5, {3})
