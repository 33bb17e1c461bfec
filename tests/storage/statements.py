"""Counting the statements SQLite runs, for the tests that hold a hot path to a number."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager

from sqlalchemy import Pool, event

from storage.db import Database


@asynccontextmanager
async def sqlite_statements(database: Database) -> AsyncIterator[list[str]]:
    """The statements SQLite runs from here on: those of its sqlite3 connections (the reader and
    writer threads'; the reader runs its statements on sqlite3 itself, beneath SQLAlchemy's
    events) as SQLite traces them, and those SQLAlchemy sends through aiosqlite. The
    database's connections are closed first, so every one from here on is traced."""
    statements: list[str] = []

    def traced(connection: object, _record: object) -> None:
        if isinstance(connection, sqlite3.Connection):
            connection.set_trace_callback(statements.append)

    def sent(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    engine = database.engine.sync_engine
    event.listen(Pool, "connect", traced)
    event.listen(engine, "before_cursor_execute", sent)
    try:
        await database.dispose()
        yield statements
    finally:
        event.remove(Pool, "connect", traced)
        event.remove(engine, "before_cursor_execute", sent)


def is_statement(traced: str, kinds: Collection[str]) -> bool:
    """Whether a traced statement is of one of `kinds` (SELECT, ...): not the driver's BEGIN,
    COMMIT or PRAGMA."""
    return traced.lstrip().split(" ", 1)[0].upper() in kinds
