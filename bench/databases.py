"""Fresh PostgreSQL databases for a bench run, made on a server and dropped afterwards."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import AsyncIterator

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

SERVER_URL = "postgresql+asyncpg://postgres@127.0.0.1:54329/postgres"
"""Where scripts/pg-test-server serves."""


@contextlib.asynccontextmanager
async def fresh_postgres(server_url: str, prefix: str) -> AsyncIterator[str]:
    """A new, empty database on the server `server_url` points at; its URL (same driver)."""
    server = make_url(server_url)
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(admin)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        connection = await asyncpg.connect(admin)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()
