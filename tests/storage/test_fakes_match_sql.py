"""The in-memory fakes and the SQL repositories agree on any sequence of scan operations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs.ports import OrganisationDirectory, ScanRepository, StorageError
from storage.db import Database
from storage.repositories import SqlaOrganisationDirectory, SqlaScanRepository
from tests.fakes.memory import InMemoryOrganisationDirectory, InMemoryScanRepository

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

_scan = st.integers(0, 3)
_foreign = st.sampled_from([False, False, False, True])
"""Mostly the scan's own organisation; sometimes the other one, which must see nothing."""
_respondent = st.sampled_from(["alice", "bob"])
_operation = st.one_of(
    st.tuples(st.just("open"), st.integers(0, 1)),
    st.tuples(st.just("close"), _scan, _foreign),
    st.tuples(
        st.just("answer"),
        _scan,
        _foreign,
        _respondent,
        st.sampled_from(["q1", "q2"]),
        st.lists(st.sampled_from(["a", "b", "dont_know"]), max_size=2, unique=True),
    ),
    st.tuples(st.just("complete"), _scan, _foreign, _respondent),
)


async def _run(
    organisations: OrganisationDirectory, scans: ScanRepository, operations: list[tuple[Any, ...]]
) -> list[object]:
    """Apply the operations, returning everything a caller could observe."""
    run = uuid4().hex
    orgs = [(await organisations.ensure(f"{run}:{n}", "Org")).id for n in range(2)]
    opened: list[tuple[int, int]] = []
    seen: list[object] = []
    for step, (action, *args) in enumerate(operations):
        now = START + timedelta(minutes=step)
        if action == "open":
            org, scan = orgs[args[0]], -1
        else:
            owner, scan = opened[args[0] % len(opened)] if opened else (0, -1)
            org = orgs[1 - owner if args[1] else owner]
        try:
            if action == "open":
                opened.append((args[0], (await scans.open(org, bank_version=1, now=now)).id))
            elif action == "close":
                await scans.close(org, scan, now=now)
            elif action == "answer":
                await scans.record_answer(org, scan, args[2], args[3], tuple(args[4]), now=now)
            else:
                await scans.complete(org, scan, args[2], now=now)
            seen.append(None)
        except StorageError as error:
            seen.append(type(error).__name__)
    for org in orgs:
        seen.append([(s.number, s.opened_at, s.closed_at) for s in await scans.history(org)])
        for _, scan in opened:
            seen.append(await scans.participation(org, scan))
            seen.append(await scans.sheets(org, scan))
            seen.append(await scans.sheets(org, scan, completed_only=False))
            seen.append([await scans.sheet(org, scan, who) for who in ("alice", "bob")])
    return seen


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(operations=st.lists(_operation, max_size=20))
async def test_the_fakes_behave_like_sql_for_any_sequence_of_scan_operations(
    database: Database, operations: list[tuple[Any, ...]]
) -> None:
    memory = InMemoryOrganisationDirectory()

    expected = await _run(memory, InMemoryScanRepository(memory), operations)
    actual = await _run(
        SqlaOrganisationDirectory(database), SqlaScanRepository(database), operations
    )

    assert actual == expected
