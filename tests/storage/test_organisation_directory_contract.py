"""The OrganisationDirectory contract, for every backend."""

from __future__ import annotations

import asyncio
from datetime import date, time

import pytest

from dialogs.ports import StorageError
from dialogs.records import OrgSettings
from engine.respect import Respect
from engine.vocabulary import Language
from tests.storage.conftest import Backend


async def test_ensuring_a_new_key_creates_the_organisation_with_default_settings(
    backend: Backend,
) -> None:
    acme = await backend.organisations.ensure("console:acme", "Acme")

    assert (acme.key, acme.name, acme.settings) == ("console:acme", "Acme", OrgSettings())


async def test_ensuring_a_known_key_returns_the_same_organisation_unchanged(
    backend: Backend,
) -> None:
    first = await backend.organisations.ensure("slack:T1", "Acme")

    again = await backend.organisations.ensure("slack:T1", "Acme Renamed")

    assert again == first


async def test_ensuring_one_key_concurrently_creates_one_organisation(backend: Backend) -> None:
    results = await asyncio.gather(
        *(backend.organisations.ensure("teams:t1", "Acme") for _ in range(5))
    )

    assert len({organisation.id for organisation in results}) == 1


async def test_different_keys_are_different_organisations(backend: Backend) -> None:
    acme = await backend.organisations.ensure("console:acme", "Acme")
    globex = await backend.organisations.ensure("console:globex", "Globex")

    assert acme.id != globex.id


async def test_an_organisation_is_found_by_id_and_by_key(backend: Backend) -> None:
    acme = await backend.organisations.ensure("console:acme", "Acme")

    assert await backend.organisations.get(acme.id) == acme
    assert await backend.organisations.find("console:acme") == acme


async def test_an_unknown_organisation_is_none(backend: Backend) -> None:
    assert await backend.organisations.get(404) is None
    assert await backend.organisations.find("console:nobody") is None


async def test_updated_settings_are_kept(backend: Backend) -> None:
    acme = await backend.organisations.ensure("console:acme", "Acme")
    settings = OrgSettings(anonymity_threshold=7, tolerance=2, language=Language.EN)

    updated = await backend.organisations.update_settings(acme.id, settings)

    assert updated.settings == settings
    assert await backend.organisations.get(acme.id) == updated
    assert await backend.organisations.ensure("console:acme", "Acme") == updated


async def test_updating_an_unknown_organisation_raises_a_storage_error(backend: Backend) -> None:
    with pytest.raises(StorageError):
        await backend.organisations.update_settings(404, OrgSettings())


async def test_the_always_on_settings_are_kept(backend: Backend) -> None:
    org = await backend.organisations.ensure("console:acme", "Acme")
    respect = Respect(
        working_days=frozenset({0, 1, 2, 3}),
        day_starts=time(8, 30),
        day_ends=time(16, 0),
        holidays=frozenset({date(2026, 12, 24), date(2026, 12, 31)}),
        weekly_cap=3,
        quiet_hours=(time(12, 0), time(13, 0)),
        country="BE",
    )
    settings = OrgSettings(
        time_zone="America/New_York", manager="console:pm", escalate_after=3, respect=respect
    )

    await backend.organisations.update_settings(org.id, settings)

    stored = await backend.organisations.get(org.id)
    assert stored is not None
    assert stored.settings == settings


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        OrgSettings(time_zone="Mars/Olympus")
