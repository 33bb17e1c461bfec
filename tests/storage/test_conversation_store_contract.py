"""The ConversationStore contract, for every backend."""

from __future__ import annotations

import asyncio

import pytest

from dialogs.ports import ConcurrentUpdate, StorageError
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
