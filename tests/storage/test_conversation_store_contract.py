"""The ConversationStore contract, for every backend."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from dialogs.ports import (
    AlreadyHandled,
    ConcurrentUpdate,
    Once,
    ScanClosed,
    StorageError,
    TurnAnswers,
)
from dialogs.records import Scan
from dialogs.state import CompleteSheet, Effect, RecordAnswer
from tests.storage.conftest import Backend


async def _org(backend: Backend, key: str = "console:acme") -> int:
    return (await backend.organisations.ensure(key, key)).id


async def test_a_new_conversation_loads_as_none(backend: Backend) -> None:
    assert await backend.conversations.load(await _org(backend), "alice") is None


async def test_a_new_conversation_is_saved_at_version_one(backend: Backend) -> None:
    org = await _org(backend)

    version = await backend.conversations.save(org, "alice", {"step": "intro"}, version=None)

    assert version == 1
    assert await backend.conversations.load(org, "alice") == ({"step": "intro"}, 1)


async def test_many_conversations_load_at_once_and_only_the_organisations_own(
    backend: Backend,
) -> None:
    org, other = await _org(backend), await _org(backend, "console:other")
    await backend.conversations.save(org, "alice", {"step": "intro"}, version=None)
    await backend.conversations.save(org, "bob", {"step": "intro"}, version=None)
    await backend.conversations.save(org, "bob", {"step": "q1"}, version=1)
    await backend.conversations.save(other, "carol", {"step": "intro"}, version=None)

    loaded = await backend.conversations.load_many(org, ["alice", "bob", "carol", "dave"])

    assert loaded == {"alice": ({"step": "intro"}, 1), "bob": ({"step": "q1"}, 2)}


async def test_each_save_moves_the_version_on_by_one(backend: Backend) -> None:
    org = await _org(backend)
    version = await backend.conversations.save(org, "alice", {"step": "intro"}, version=None)

    version = await backend.conversations.save(org, "alice", {"step": "q1"}, version=version)
    version = await backend.conversations.save(org, "alice", {"step": "q2"}, version=version)

    assert await backend.conversations.load(org, "alice") == ({"step": "q2"}, 3)


async def test_a_stale_save_raises_concurrent_update_and_changes_nothing(backend: Backend) -> None:
    org = await _org(backend)
    await backend.conversations.save(org, "alice", {"step": "intro"}, version=None)
    await backend.conversations.save(org, "alice", {"step": "q1"}, version=1)

    with pytest.raises(ConcurrentUpdate):
        await backend.conversations.save(org, "alice", {"step": "stale"}, version=1)

    assert await backend.conversations.load(org, "alice") == ({"step": "q1"}, 2)


async def test_saving_a_new_conversation_that_exists_raises_concurrent_update(
    backend: Backend,
) -> None:
    org = await _org(backend)
    await backend.conversations.save(org, "alice", {"step": "intro"}, version=None)

    with pytest.raises(ConcurrentUpdate):
        await backend.conversations.save(org, "alice", {"step": "other"}, version=None)

    assert await backend.conversations.load(org, "alice") == ({"step": "intro"}, 1)


async def test_saving_over_a_version_of_a_conversation_that_does_not_exist_raises(
    backend: Backend,
) -> None:
    org = await _org(backend)

    with pytest.raises(ConcurrentUpdate):
        await backend.conversations.save(org, "alice", {"step": "q1"}, version=1)

    assert await backend.conversations.load(org, "alice") is None


async def test_of_concurrent_saves_over_one_version_exactly_one_wins(backend: Backend) -> None:
    org = await _org(backend)
    await backend.conversations.save(org, "alice", {"step": "intro"}, version=None)

    results = await asyncio.gather(
        *(backend.conversations.save(org, "alice", {"by": n}, version=1) for n in range(4)),
        return_exceptions=True,
    )

    assert results.count(2) == 1
    assert all(isinstance(result, ConcurrentUpdate) for result in results if result != 2)
    saved = await backend.conversations.load(org, "alice")
    assert saved is not None
    assert results[saved[0]["by"]] == saved[1] == 2


async def test_state_comes_back_as_plain_json(backend: Backend) -> None:
    org = await _org(backend)
    state = {"answers": ("a", "b"), "count": 3, "nested": {"ok": True, "none": None}}

    await backend.conversations.save(org, "alice", state, version=None)

    assert await backend.conversations.load(org, "alice") == (
        {"answers": ["a", "b"], "count": 3, "nested": {"ok": True, "none": None}},
        1,
    )


async def test_state_that_is_not_json_raises_a_storage_error(backend: Backend) -> None:
    org = await _org(backend)

    with pytest.raises(StorageError):
        await backend.conversations.save(org, "alice", {"when": object()}, version=None)

    assert await backend.conversations.load(org, "alice") is None


async def test_conversations_with_one_key_in_two_organisations_are_separate(
    backend: Backend,
) -> None:
    acme, globex = await _org(backend, "console:acme"), await _org(backend, "console:globex")
    await backend.conversations.save(acme, "alice", {"org": "acme"}, version=None)

    assert await backend.conversations.load(globex, "alice") is None
    with pytest.raises(ConcurrentUpdate):
        await backend.conversations.save(globex, "alice", {"org": "intruder"}, version=1)
    assert await backend.conversations.save(globex, "alice", {"org": "globex"}, version=None) == 1
    assert await backend.conversations.load(acme, "alice") == ({"org": "acme"}, 1)
    assert await backend.conversations.load(globex, "alice") == ({"org": "globex"}, 1)


async def test_saving_for_an_unknown_organisation_raises_a_storage_error(backend: Backend) -> None:
    with pytest.raises(StorageError):
        await backend.conversations.save(404, "alice", {"step": "intro"}, version=None)


NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 23, 9, 5, tzinfo=UTC)


def _answering(scan_id: int, choice: str, *, complete: bool = False) -> TurnAnswers:
    effects: list[Effect] = [RecordAnswer(scan_id, "q1", (choice,))]
    if complete:
        effects.append(CompleteSheet(scan_id))
    return TurnAnswers("s:alice", tuple(effects), NOW)


async def test_a_turns_answers_are_saved_with_its_state(backend: Backend) -> None:
    org = await _org(backend)
    scan = await backend.scans.open(org, bank_version=1, now=NOW)

    await backend.conversations.save(
        org, "alice", {"at": 1}, version=None, answers=_answering(scan.id, "a", complete=True)
    )

    assert (await backend.scans.sheet(org, scan.id, "s:alice")).answers == {"q1": ("a",)}
    (finished,) = await backend.scans.participation(org, scan.id)
    assert finished.completed_at == NOW


async def _started(backend: Backend) -> tuple[int, Scan]:
    """An organisation with an open scan, and alice's conversation at version 1."""
    org = await _org(backend)
    scan = await backend.scans.open(org, bank_version=1, now=NOW)
    await backend.conversations.save(org, "alice", {"at": 0}, version=None)
    return org, scan


async def _answered_once(backend: Backend, *, complete: bool = False) -> tuple[int, Scan]:
    """An organisation with an open scan, and alice's conversation at version 2 after her
    answer "a" to q1 (`complete`: her last)."""
    org, scan = await _started(backend)
    await backend.conversations.save(
        org, "alice", {"at": 1}, version=1, answers=_answering(scan.id, "a", complete=complete)
    )
    return org, scan


async def test_the_last_answer_completes_the_response_as_the_state_moves_on(
    backend: Backend,
) -> None:
    org, scan = await _answered_once(backend)
    last = TurnAnswers(
        "s:alice", (RecordAnswer(scan.id, "q2", ("b",)), CompleteSheet(scan.id)), LATER
    )

    assert await backend.conversations.save(org, "alice", {"at": 2}, version=2, answers=last) == 3

    assert await backend.conversations.load(org, "alice") == ({"at": 2}, 3)
    sheet = await backend.scans.sheet(org, scan.id, "s:alice")
    assert sheet.answers == {"q1": ("a",), "q2": ("b",)}
    (finished,) = await backend.scans.participation(org, scan.id)
    assert finished.completed_at == LATER


async def test_a_first_answer_that_is_also_the_last_makes_a_complete_response(
    backend: Backend,
) -> None:
    org, scan = await _started(backend)

    await backend.conversations.save(
        org, "alice", {"at": 1}, version=1, answers=_answering(scan.id, "a", complete=True)
    )

    assert (await backend.scans.sheet(org, scan.id, "s:alice")).answers == {"q1": ("a",)}
    (finished,) = await backend.scans.participation(org, scan.id)
    assert finished.completed_at == NOW


async def test_a_response_completed_again_keeps_its_first_completion(backend: Backend) -> None:
    org, scan = await _answered_once(backend, complete=True)
    again = TurnAnswers(
        "s:alice", (RecordAnswer(scan.id, "q1", ("b",)), CompleteSheet(scan.id)), LATER
    )

    await backend.conversations.save(org, "alice", {"at": 2}, version=2, answers=again)

    assert (await backend.scans.sheet(org, scan.id, "s:alice")).answers == {"q1": ("b",)}
    (finished,) = await backend.scans.participation(org, scan.id)
    assert finished.completed_at == NOW


async def test_a_last_answer_to_a_closed_scan_completes_nothing(backend: Backend) -> None:
    org, scan = await _answered_once(backend)
    await backend.scans.close(org, scan.id, now=NOW)

    with pytest.raises(ScanClosed):
        await backend.conversations.save(
            org, "alice", {"at": 2}, version=2, answers=_answering(scan.id, "b", complete=True)
        )

    assert await backend.conversations.load(org, "alice") == ({"at": 1}, 2)
    assert [p.completed_at for p in await backend.scans.participation(org, scan.id)] == [None]


async def test_a_turn_that_lost_the_race_records_none_of_its_answers(backend: Backend) -> None:
    org, scan = await _started(backend)
    await backend.conversations.save(
        org, "alice", {"at": 1}, version=1, answers=_answering(scan.id, "a")
    )

    with pytest.raises(ConcurrentUpdate):
        await backend.conversations.save(
            org, "alice", {"at": 1}, version=1, answers=_answering(scan.id, "b", complete=True)
        )

    assert (await backend.scans.sheet(org, scan.id, "s:alice")).answers == {"q1": ("a",)}
    assert [p.completed_at for p in await backend.scans.participation(org, scan.id)] == [None]


async def test_answers_to_a_closed_scan_save_neither_them_nor_the_state(backend: Backend) -> None:
    org, scan = await _started(backend)
    await backend.scans.close(org, scan.id, now=NOW)

    with pytest.raises(ScanClosed):
        await backend.conversations.save(
            org, "alice", {"at": 1}, version=1, answers=_answering(scan.id, "a")
        )

    assert await backend.conversations.load(org, "alice") == ({"at": 0}, 1)
    assert (await backend.scans.sheet(org, scan.id, "s:alice")).answers == {}


async def test_of_concurrent_answering_turns_only_the_winners_answer_is_kept(
    backend: Backend,
) -> None:
    org, scan = await _started(backend)

    results = await asyncio.gather(
        *(
            backend.conversations.save(
                org, "alice", {"by": n}, version=1, answers=_answering(scan.id, f"c{n}")
            )
            for n in range(4)
        ),
        return_exceptions=True,
    )

    (winner,) = [n for n, result in enumerate(results) if result == 2]
    sheet = await backend.scans.sheet(org, scan.id, "s:alice")
    assert sheet.answers == {"q1": (f"c{winner}",)}


async def test_a_turn_saved_with_a_delivery_key_is_known_as_handled(backend: Backend) -> None:
    org = await _org(backend)
    assert not await backend.conversations.handled(org, "slack:Ev1")

    await backend.conversations.save(
        org, "alice", {"step": "q1"}, version=None, once=Once("slack:Ev1", NOW)
    )

    assert await backend.conversations.handled(org, "slack:Ev1")
    assert not await backend.conversations.handled(org, "slack:Ev2")


async def test_a_second_save_with_the_same_delivery_key_changes_nothing(backend: Backend) -> None:
    org = await _org(backend)
    scan = await backend.scans.open(org, bank_version=1, now=NOW)
    await backend.conversations.save(
        org, "alice", {"step": "q1"}, version=None, once=Once("teams:a1", NOW)
    )
    answers = TurnAnswers("console:alice", (RecordAnswer(scan.id, "q1", ("a",)),), NOW)

    with pytest.raises(AlreadyHandled):
        await backend.conversations.save(
            org, "alice", {"step": "q2"}, version=1, answers=answers, once=Once("teams:a1", NOW)
        )

    assert await backend.conversations.load(org, "alice") == ({"step": "q1"}, 1)
    assert (await backend.scans.sheet(org, scan.id, "console:alice")).answers == {}


async def test_delivery_keys_belong_to_their_organisation(backend: Backend) -> None:
    acme, other = await _org(backend), await _org(backend, "console:other")
    long_key = "teams:" + "x" * 400
    await backend.conversations.save(
        acme, "alice", {"step": "q1"}, version=None, once=Once(long_key, NOW)
    )

    await backend.conversations.save(
        other, "alice", {"step": "q1"}, version=None, once=Once(long_key, NOW)
    )

    assert await backend.conversations.handled(other, long_key)
