"""Every contract test runs against the in-memory fakes, SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dialogs.ports import ConversationStore, OrganisationDirectory, ScanRepository
from storage.db import Database
from storage.repositories import (
    SqlaConversationStore,
    SqlaOrganisationDirectory,
    SqlaScanRepository,
)
from tests.fakes.memory import (
    InMemoryConversationStore,
    InMemoryOrganisationDirectory,
    InMemoryScanRepository,
)

SQL_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@dataclass(frozen=True)
class Backend:
    organisations: OrganisationDirectory
    scans: ScanRepository
    conversations: ConversationStore


@pytest.fixture(params=["memory", *SQL_BACKENDS])
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "memory":
        organisations = InMemoryOrganisationDirectory()
        scans = InMemoryScanRepository(organisations)
        return Backend(organisations, scans, InMemoryConversationStore(organisations, scans))
    database: Database = request.getfixturevalue(f"{request.param}_database")
    return Backend(
        SqlaOrganisationDirectory(database),
        SqlaScanRepository(database),
        SqlaConversationStore(database),
    )


@pytest.fixture(params=SQL_BACKENDS)
def database(request: pytest.FixtureRequest) -> Database:
    """A migrated SQL database, SQLite and PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_database")


@pytest.fixture(params=SQL_BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty SQL database, SQLite and PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")
