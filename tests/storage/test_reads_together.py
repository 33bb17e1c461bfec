"""The reads a dispatch's groups make, asked for at once by many organisations, are one statement
of each kind, and each organisation still gets its own rows only: two organisations here know
a person by the same id, with different zones, tasks, marks, conversations and counts."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from dialogs.records import NewTask
from engine.tasks import Mark, Outcome
from engine.text import Text
from engine.vocabulary import TaskKind
from storage.activation import SqlaPeopleDirectory, SqlaTaskRepository
from storage.db import Database
from storage.installations import SqlaInstallationRepository
from storage.outbox import SENT, SqlaOutbox
from storage.repositories import SqlaConversationStore, SqlaOrganisationDirectory
from storage.secrets import SecretBox
from storage.together import Together
from tests.storage.statements import is_statement, sqlite_statements
from tests.storage.test_outbox_planning import NOW, ZONE, _due

PERSON = "console:p0"
"""Known to both organisations."""
ZONES = ("Europe/Amsterdam", "America/New_York")
START = datetime(2026, 11, 23, 9, 0)  # noqa: DTZ001 (wall-clock time in the task's zone)
"""A task's start and its marks, in the task's zone (naive)."""


async def _two_organisations(database: Database) -> list[int]:
    """Two organisations, each with PERSON in a zone of its own, one task each with one mark,
    a conversation with PERSON in a language of its own, and a nudge sent to PERSON (the
    second organisation two)."""
    directory, people = SqlaOrganisationDirectory(database), SqlaPeopleDirectory(database)
    tasks, outbox = SqlaTaskRepository(database), SqlaOutbox(database)
    conversations = SqlaConversationStore(database)
    orgs = []
    for n, zone in enumerate(ZONES):
        org = await directory.ensure(f"console:org{n}", f"Org {n}")
        await people.set_zone(org.id, PERSON, zone)
        title = Text(nl=f"Taak {n}", en=f"Task {n}")
        new = NewTask(f"post-{n}", TaskKind.POST, title, PERSON, None, START, ZONE)
        (task,) = await tasks.adopt(org.id, [new], by=PERSON, now=NOW)
        await tasks.mark(org.id, task.id, Mark(START, Outcome.DONE, START, f"note {n}"), by=PERSON)
        await conversations.save(org.id, PERSON, {"org": n}, version=None)
        await outbox.plan(org.id, _due(n + 1), now=NOW)
        orgs.append(org.id)
    claimed = await outbox.claim(now=NOW, worker="w", limit=10, lease=timedelta(minutes=5))
    for nudge in claimed:
        await outbox.finish(nudge.id, status=SENT, outcome=None, now=NOW)
    return orgs


async def test_each_organisation_reads_its_own_rows_when_many_are_read_together(
    database: Database,
) -> None:
    orgs = await _two_organisations(database)
    people, tasks = SqlaPeopleDirectory(database), SqlaTaskRepository(database)
    outbox, conversations = SqlaOutbox(database), SqlaConversationStore(database)
    directory = SqlaOrganisationDirectory(database)

    found = await asyncio.gather(*(people.many(org, [PERSON, "console:nobody"]) for org in orgs))
    active = await asyncio.gather(*(tasks.active(org) for org in orgs))
    every_task = [task.id for theirs in active for task in theirs]
    marks = await asyncio.gather(*(tasks.marks(org, every_task) for org in orgs))
    saved = await asyncio.gather(*(conversations.load_many(org, [PERSON]) for org in orgs))
    asked = [f"console:p{n}" for n in range(3)]
    since = NOW - timedelta(days=1)
    counts = await asyncio.gather(*(outbox.sent_counts(org, asked, since) for org in orgs))
    named = await asyncio.gather(*(directory.get(org) for org in [*orgs, max(orgs) + 1]))

    assert [theirs[PERSON].zone for theirs in found] == list(ZONES)
    assert [theirs["console:nobody"].zone for theirs in found] == [None, None]
    assert [[task.title.en for task in theirs] for theirs in active] == [["Task 0"], ["Task 1"]]
    assert [
        [mark.note for by_task in theirs.values() for mark in by_task.values()] for theirs in marks
    ] == [["note 0"], ["note 1"]], "a task of another organisation has no marks here"
    assert [theirs[PERSON][0] for theirs in saved] == [{"org": 0}, {"org": 1}]
    assert counts == [{"console:p0": 1}, {"console:p0": 1, "console:p1": 1}]
    assert [org.name if org else None for org in named] == ["Org 0", "Org 1", None]


def _document(team: str, token: str) -> dict[str, Any]:
    return {"team_id": team, "bot_token": token}


async def test_each_workspace_finds_its_own_latest_bot_when_many_look_at_once(
    database: Database,
) -> None:
    box = SecretBox.from_setting(SecretBox.generate_key())
    installations = SqlaInstallationRepository(database, box)
    for team in ("T1", "T2"):
        for n, moment in enumerate((NOW - timedelta(days=1), NOW)):
            document = _document(team, f"{team}-{n}")
            await installations.save("slack", None, team, None, document, moment)
    await installations.save("slack", None, "T1", "U1", _document("T1", "a user's"), NOW)
    await installations.save("teams", None, "T2", None, _document("T2", "another provider's"), NOW)

    found = await asyncio.gather(
        *(installations.find_bot("slack", None, team) for team in ("T1", "T2", "T3"))
    )

    assert [bot["bot_token"] if bot else None for bot in found] == ["T1-1", "T2-1", None]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
async def test_the_reads_of_a_hundred_organisations_asked_at_once_are_one_statement_each(
    database: Database,
) -> None:
    directory, people = SqlaOrganisationDirectory(database), SqlaPeopleDirectory(database)
    tasks, outbox = SqlaTaskRepository(database), SqlaOutbox(database)
    orgs = [(await directory.ensure(f"console:org{n}", f"Org {n}")).id for n in range(100)]
    reads: list[Callable[[int], Awaitable[object]]] = [
        directory.get,
        lambda org: people.many(org, [PERSON]),
        tasks.active,
        lambda org: tasks.marks(org, [1, 2]),
        lambda org: outbox.sent_counts(org, [PERSON], NOW),
    ]
    async with sqlite_statements(database) as traced:
        for read in reads:
            await asyncio.gather(*map(read, orgs))

    assert sum(is_statement(sql, {"SELECT"}) for sql in traced) == len(reads)


async def test_calls_made_in_one_turn_are_answered_by_one_load_in_the_order_asked() -> None:
    loads: list[list[int]] = []

    async def doubled(keys: list[int]) -> list[int]:
        loads.append(keys)
        return [key * 2 for key in keys]

    together = Together(doubled, most=3)

    answers = await asyncio.gather(*map(together, [5, 1, 5, 7, 2]))
    later = await together(5)

    assert answers == [10, 2, 10, 14, 4]
    assert loads == [[5, 1, 5], [7, 2], [5]], "at most `most` a load, and nothing kept after"
    assert later == 10


async def test_a_failed_load_fails_each_call_it_was_for_and_the_next_loads_again() -> None:
    failing = True

    async def load(keys: list[str]) -> list[str]:
        if failing:
            raise LookupError("the database is away")
        return keys

    together = Together(load)

    failed = await asyncio.gather(together("a"), together("b"), return_exceptions=True)
    failing = False

    assert [type(outcome) for outcome in failed] == [LookupError, LookupError]
    assert await together("c") == "c"
