"""The database connection: one async engine per URL, driver errors turned into `StorageError`."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import namedtuple
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import (
    Connection,
    DateTime,
    Dialect,
    Select,
    String,
    Text,
    any_,
    bindparam,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement, ColumnElement, Executable
from sqlalchemy.types import TypeDecorator

from dialogs.ports import StorageError

if TYPE_CHECKING:
    import asyncpg  # type: ignore[import-untyped]

_ASYNC_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}
_SQLITE_BUSY_TIMEOUT_MS = 15_000
_POSTGRESQL_POOL = {"pool_size": 10, "max_overflow": 5}
"""Connections a process keeps to PostgreSQL for SQLAlchemy, and may open beyond that at a peak.
SQLAlchemy's default of 5 kept 50 people clicking at once opening and closing connections (a
new server process each) all the time."""
_HOT_CONNECTIONS = 30
"""Connections a process keeps to PostgreSQL for the hot path's statements (`Database.row` and
`rows`), beside SQLAlchemy's, all opened with the pool: at the start of a dispatch hundreds of
reads wait for a connection, and opening them one by one then (a server process each, and its
type lookups) held them up. A click holds one from sending its statement until the event loop comes
back to it, so 50 people clicking at once queued for 15 (p99 135 ms against 85 with 30). With
SQLAlchemy's 15 that is 45 a process at most: two stay within PostgreSQL's default of 100."""
S = TypeVar("S")
T = TypeVar("T")
_inside: ContextVar[bool] = ContextVar("inside_a_transaction", default=False)


class _TextArray(TypeDecorator[list[Any]]):
    """A list bound as text[] (each item as text), cast on the server where the column is not
    text. asyncpg knows text[] itself; any other array type, varchar[] and integer[] included,
    made each connection look it up in pg_type (a query of 30-40 ms on the server) the first
    time it met it: sixty lookups at the start of a dispatch on two processes."""

    impl = postgresql.ARRAY(Text)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> list[str] | None:
        return None if value is None else [str(item) for item in value]


class _JsonList(TypeDecorator[list[Any]]):
    """A list bound as one JSON text, read back as rows by SQLite's json_each: the statement
    is the same for any length, where an expanding IN is compiled anew for each."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(list(value))


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database; naive datetimes are refused.

    SQLite keeps no offset, so values are stored as UTC and given their zone back on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"a naive datetime cannot be stored: {value.isoformat()}")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Database:
    """An async SQLAlchemy engine and session factory for one database.

    Args:
        url: ``sqlite+aiosqlite:///path.db`` (embedded) or ``postgresql+asyncpg://...``;
            a URL without a driver gets the async one (``sqlite:///x.db`` means aiosqlite).
        echo: log every statement.

    Raises:
        StorageError: the URL is malformed or names another kind of database.
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = _async_url(url)
        self.safe_url = self.url.render_as_string(hide_password=True)
        self.backend = self.url.get_backend_name()
        pool = _POSTGRESQL_POOL if self.backend == "postgresql" else {}
        with self.errors():
            self.engine = create_async_engine(self.url, echo=echo, **pool)
        if self.backend == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _configure_sqlite)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._one_at_a_time = asyncio.Lock() if self.backend == "sqlite" else None
        self._reads = (
            self.engine.execution_options(isolation_level="AUTOCOMMIT")
            if self.backend == "postgresql"
            else self.engine
        )
        self._prepared: dict[Callable[[Database], Any], Any] = {}
        self._hot = _Hot(self.engine.dialect, self.url) if self.backend == "postgresql" else None
        self._driver_errors: tuple[type[Exception], ...] = (
            SQLAlchemyError,
            OSError,
            *_asyncpg_errors(self._hot),
        )
        file = self.backend == "sqlite" and self.url.database not in (None, "", ":memory:")
        self._writer = _SqliteThread(self.url, "sqlite-writer") if file else None
        self._reader = _SqliteThread(self.url, "sqlite-reader") if file else None
        self._reads_asked: list[tuple[_Raw, Mapping[str, Any], asyncio.Future[Any]]] = []
        self._raws: dict[Callable[[Database], Any], _Raw] = {}
        self._reading: asyncio.Future[None] | None = None

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on success, rolled back on any error."""
        async with self._turn():
            with self.errors():
                async with self.sessions.begin() as session:
                    yield session

    async def write(self, work: Callable[[Connection], T]) -> T:
        """`work(connection)` in one transaction, committed when it returns, rolled back when
        it raises: for the hot path's writes, which only run statements.

        On a SQLite file it runs in the process's one writer thread, on a connection of its
        own: the whole transaction is one hand-off, where each statement through aiosqlite is
        three or four (a cursor, the statement, its rows, closing it), and every hand-off waits
        its turn in a busy event loop while the write lock is held. Elsewhere it runs on the
        async engine (`AsyncConnection.run_sync`).
        """
        if self._writer is None:
            async with self._turn():
                with self.errors():
                    async with self.engine.begin() as connection:
                        return await connection.run_sync(work)
        async with self._turn():
            with self.errors():
                loop = asyncio.get_running_loop()
                return await loop.run_in_executor(self._writer.thread, self._writer.run, work)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        """A connection for a read that is one statement, so it needs no transaction: on
        PostgreSQL one round trip instead of three (BEGIN, the query, COMMIT); on SQLite it does
        not queue behind the process's writes (in WAL mode a reader blocks nobody)."""
        with self.errors():
            async with self._reads.connect() as connection:
                yield connection

    async def row(
        self, build: Callable[[Database], Executable], values: Mapping[str, Any]
    ) -> Sequence[Any] | None:
        """The first row of the statement `build` makes (once, as `prepared` does), run on its
        own without a transaction: for the hot path's statements that need no other.

        On PostgreSQL it runs on asyncpg itself, on connections of its own, prepared once per
        connection: SQLAlchemy's connection, execution context and result around a statement
        cost a click more than the statement. Values are converted by their bound types as
        SQLAlchemy converts them, and JSON comes back as it would. On a SQLite file it runs in
        a reader thread of its own with the reads asked for meanwhile, on sqlite3 itself.
        """
        statement = self.prepared(build)
        with self.errors():
            if self._hot is not None:
                return await self._hot.row(build, statement, values)
            if self._reader is not None:
                rows = await self._read_together(build, statement, values)
                return rows[0] if rows else None
            async with self.reading() as connection:
                return (await connection.execute(statement, values)).first()

    async def rows(
        self, build: Callable[[Database], Executable], values: Mapping[str, Any]
    ) -> Sequence[Any]:
        """Every row of the SELECT `build` makes (once, as `prepared` does), run on its own
        without a transaction, as `reading` runs a statement: for the reads a hot path makes
        many of (a nudge's group reads five, hundreds of groups at once).

        On PostgreSQL it runs on asyncpg itself, as `row` does, and the rows are converted by
        their columns' types and read by name as SQLAlchemy's are; a list is bound whole
        (`one_of`). SQLAlchemy's connection, pool, greenlet and result around each read made
        hundreds of workspaces' reads take seconds of the event loop. On a SQLite file it runs
        in the reader thread with the reads asked for meanwhile, on sqlite3 itself (compiled
        once, converted the same way); elsewhere on a reading connection.
        """
        statement = self.prepared(build)
        with self.errors():
            if self._hot is not None:
                return await self._hot.rows(build, statement, values)
            if self._reader is not None:
                return await self._read_together(build, statement, values)
            async with self.reading() as connection:
                return (await connection.execute(statement, values)).all()

    async def _read_together(
        self, build: Callable[[Database], Any], statement: Executable, values: Mapping[str, Any]
    ) -> Sequence[Any]:
        """`statement`'s rows, read in the reader thread with every other read asked for while
        one is under way: a dispatch starting asks for a thousand reads at once (hundreds of
        workspaces' groups and bots), and one hand-off each queued them one behind the other,
        each waiting for the thread and then for the event loop, so the last workspace began
        sending most of a second after the first."""
        asked: asyncio.Future[Sequence[Any]] = asyncio.get_running_loop().create_future()
        self._reads_asked.append((self._raw_for(build, statement), values, asked))
        if self._reading is None or self._reading.done():
            self._reading = asyncio.ensure_future(self._read_asked())
        return await asked

    async def _read_asked(self) -> None:
        assert self._reader is not None
        loop = asyncio.get_running_loop()
        while self._reads_asked:
            batch, self._reads_asked = self._reads_asked, []
            work = partial(_each, [(raw, values) for raw, values, _ in batch])
            try:
                outcomes = await loop.run_in_executor(self._reader.thread, self._reader.read, work)
            except Exception as error:  # the connection itself failed: every read with it
                outcomes = [error] * len(batch)
            for (_, _, asked), outcome in zip(batch, outcomes, strict=True):
                if asked.done():  # given up on meanwhile
                    continue
                if isinstance(outcome, BaseException):
                    asked.set_exception(outcome)
                else:
                    asked.set_result(outcome)

    def _raw_for(self, build: Callable[[Database], Any], statement: Executable) -> _Raw:
        raw = self._raws.get(build)
        if raw is None:
            dialect = self.engine.dialect
            raw = self._raws[build] = _Raw(
                _Compiled.of(statement, dialect), _Shape.of(statement, dialect)
            )
        return raw

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """On SQLite, one transaction of this process at a time (a task's nested ones ride on
        its own). SQLite has one writer: transactions that overlap wait for its lock in the
        driver's threads, which poll and sleep for up to 100 ms at a time, so under load most
        of a click was spent asleep. Queued here, the next one starts the moment the last one
        ends; another process still waits for the lock as before (busy_timeout)."""
        if self._one_at_a_time is None or _inside.get():
            yield
            return
        async with self._one_at_a_time:
            token = _inside.set(True)
            try:
                yield
            finally:
                _inside.reset(token)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        """A connection in one transaction, for schema work."""
        with self.errors():
            async with self.engine.begin() as connection:
                yield connection

    def prepared(self, build: Callable[[Database], S]) -> S:
        """The statement `build` makes for this database, made once: for the hot paths, where
        building a statement, and working out its cache key, cost more than running it. Its
        values are bound parameters, given when it is executed."""
        try:
            return cast("S", self._prepared[build])
        except KeyError:
            made = self._prepared[build] = build(self)
            return made

    def one_of(
        self, column: ColumnElement[Any] | InstrumentedAttribute[Any], name: str
    ) -> ColumnElement[bool]:
        """`column` is one of the list bound as `name`, for a statement `rows` runs: one array
        on PostgreSQL (``= ANY``), one JSON text on SQLite (``IN json_each``), so the statement
        is the same for any length and compiled once."""
        if self.backend == "postgresql":
            listed = bindparam(name, type_=_TextArray())
            if isinstance(column.type, String):
                return column == any_(listed)
            return column == any_(listed.cast(postgresql.ARRAY(column.type)))
        items = func.json_each(bindparam(name, type_=_JsonList())).table_valued("value")
        return column.in_(select(items.c.value).scalar_subquery())

    def insert(self, table: Any) -> sqlite.Insert | postgresql.Insert:
        """An INSERT for this dialect, with ``on_conflict_do_update``/``_do_nothing``."""
        if self.backend == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Turn driver and connection errors into `StorageError`, never naming the password."""
        try:
            yield
        except self._driver_errors as error:
            raise StorageError(self._describe(error)) from error

    async def open(self) -> None:
        """Connect now what is otherwise connected on first use (the hot path's pool on
        PostgreSQL), so the first clicks and the first dispatch after a start do not wait for
        thirty connections; `StorageError` unless the database answers."""
        if self._hot is not None:
            with self.errors():
                await self._hot.open()

    async def ping(self) -> None:
        """Raise `StorageError` unless the database answers."""
        async with self.connection() as connection:
            await connection.exec_driver_sql("SELECT 1")

    async def dispose(self) -> None:
        """Close every pooled connection."""
        with self.errors():
            await self.engine.dispose()
            if self._hot is not None:
                await self._hot.close()
            for thread in (self._writer, self._reader):
                if thread is not None:
                    await asyncio.get_running_loop().run_in_executor(None, thread.close)

    def _describe(self, error: BaseException) -> str:
        cause = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
        lines = str(cause).strip().splitlines()
        detail = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
        if self.url.password:
            detail = detail.replace(str(self.url.password), "***")
        return f"database {self.safe_url} failed: {detail}"


class _SqliteThread:
    """A thread of a SQLite file's own, with a synchronous engine of its own: the writer, whose
    transactions run one after the other, or the hot path's reader (in WAL mode it reads
    beside the writer), each piece of work one hand-off where a statement through aiosqlite is
    three or four."""

    def __init__(self, url: URL, name: str) -> None:
        self._name = name
        self.thread = self._start()
        self._engine = create_engine(url.set(drivername="sqlite+pysqlite"))
        event.listen(self._engine, "connect", _configure_sqlite)

    def run(self, work: Callable[[Connection], T]) -> T:
        """`work` in one transaction."""
        with self._engine.begin() as connection:
            return work(connection)

    def read(self, work: Callable[[Connection], T]) -> T:
        with self._engine.connect() as connection:
            return work(connection)

    def close(self) -> None:
        """Wait for the work under way and close the connection; later work (the engine is
        used again after `dispose`, as SQLAlchemy's may be) starts a thread anew."""
        done, self.thread = self.thread, self._start()
        done.shutdown(wait=True)
        self._engine.dispose()

    def _start(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._name)


@dataclass(frozen=True)
class _Raw:
    """A prepared statement as the reader thread runs it on sqlite3 itself: SQLAlchemy's
    execution context and result around each of a dispatch's thousand reads cost more than
    the read."""

    compiled: _Compiled
    shape: _Shape

    def rows(self, driver: sqlite3.Connection, values: Mapping[str, Any]) -> list[Any]:
        cursor = driver.execute(self.compiled.sql, self.compiled.arguments(values))
        try:
            found = cursor.fetchall()
            if self.shape.row is None:  # a textual statement: its columns come with its rows
                names = [column[0] for column in cursor.description or ()]
                return [_row_of(names)(row) for row in found]
            return self.shape.rows(found)
        finally:
            cursor.close()


def _each(
    reads: Sequence[tuple[_Raw, Mapping[str, Any]]], connection: Connection
) -> list[Sequence[Any] | Exception]:
    """Each read's rows, or the error it met (which fails that read only), as SQLAlchemy
    would raise it."""
    driver = cast("sqlite3.Connection", connection.connection.driver_connection)
    outcomes: list[Sequence[Any] | Exception] = []
    for raw, values in reads:
        try:
            outcomes.append(raw.rows(driver, values))
        except sqlite3.Error as error:
            outcomes.append(DBAPIError.instance(raw.compiled.sql, None, error, sqlite3.Error))
        except Exception as error:
            outcomes.append(error)
    return outcomes


class _Hot:
    """PostgreSQL through asyncpg directly, for `Database.row` and `rows`: a pool of its own,
    connected as SQLAlchemy connects, each statement compiled by SQLAlchemy once."""

    def __init__(self, dialect: Dialect, url: URL) -> None:
        self._dialect = dialect
        _, options = dialect.create_connect_args(url)
        self._options = {k: v for k, v in options.items() if k not in _SQLALCHEMY_OPTIONS}
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()
        self._compiled: dict[Callable[[Database], Any], _Compiled] = {}
        self._shapes: dict[Callable[[Database], Any], _Shape] = {}

    async def row(
        self, build: Callable[[Database], Any], statement: Executable, values: Mapping[str, Any]
    ) -> Sequence[Any] | None:
        compiled = self._compiled_for(build, statement)
        pool = self._pool or await self.open()
        row: Sequence[Any] | None = await pool.fetchrow(compiled.sql, *compiled.arguments(values))
        return row

    async def rows(
        self, build: Callable[[Database], Any], statement: Executable, values: Mapping[str, Any]
    ) -> list[Any]:
        compiled = self._compiled_for(build, statement)
        shape = self._shapes.get(build)
        if shape is None:
            shape = self._shapes[build] = _Shape.of(statement, self._dialect)
        pool = self._pool or await self.open()
        return shape.rows(await pool.fetch(compiled.sql, *compiled.arguments(values)))

    def _compiled_for(self, build: Callable[[Database], Any], statement: Executable) -> _Compiled:
        compiled = self._compiled.get(build)
        if compiled is None:
            compiled = self._compiled[build] = _Compiled.of(statement, self._dialect)
        return compiled

    async def open(self) -> asyncpg.Pool:
        import asyncpg

        async with self._opening:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    **self._options,
                    min_size=_HOT_CONNECTIONS,
                    max_size=_HOT_CONNECTIONS,
                    init=_json_as_sqlalchemy_reads_it,
                    reset=_nothing_to_reset,
                )
            return self._pool

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()


@dataclass(frozen=True)
class _Compiled:
    """A statement as the driver runs it (asyncpg, or sqlite3 in the reader thread): its SQL,
    and how to make its positional arguments from values."""

    sql: str
    names: tuple[str, ...]
    defaults: Mapping[str, Any]
    converters: tuple[Callable[[Any], Any] | None, ...]

    @classmethod
    def of(cls, statement: Executable, dialect: Dialect) -> _Compiled:
        compiled = cast("SQLCompiler", cast("ClauseElement", statement).compile(dialect=dialect))
        names = tuple(compiled.positiontup or ())
        binds = [compiled.binds[name] for name in names]
        if any(bind.expanding for bind in binds):
            raise TypeError("a list of values takes Database.one_of here, not IN")
        given = compiled.params  # the values bound in the statement itself (literals)
        return cls(
            compiled.string,
            names,
            {
                name: given[name]
                for name, bind in zip(names, binds, strict=True)
                if not bind.required
            },
            tuple(bind.type.dialect_impl(dialect).bind_processor(dialect) for bind in binds),
        )

    def arguments(self, values: Mapping[str, Any]) -> list[Any]:
        given = [values[name] if name in values else self.defaults[name] for name in self.names]
        return [
            value if convert is None else convert(value)
            for value, convert in zip(given, self.converters, strict=True)
        ]


@dataclass(frozen=True)
class _Shape:
    """How SQLAlchemy hands back a SELECT's rows: each column converted by its type (a UTC
    datetime given its zone), the row read by position or by name (``row.task_id``). A
    textual statement's columns are known only from its rows, and are left as they come."""

    row: Callable[[Iterable[Any]], Any] | None
    converters: tuple[Callable[[Any], Any] | None, ...] = ()

    @classmethod
    def of(cls, statement: Executable, dialect: Dialect) -> _Shape:
        if not isinstance(statement, Select):
            return cls(None)
        columns = list(statement.selected_columns)
        return cls(
            _row_of([column.key or "" for column in columns]),
            tuple(
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for column in columns
            ),
        )

    def rows(self, records: Sequence[Any]) -> list[Any]:
        """The driver's rows (asyncpg's records, sqlite3's tuples) as SQLAlchemy's."""
        if self.row is None:
            row = _row_of(list(records[0].keys())) if records else tuple
            return [row(record) for record in records]
        if not any(self.converters):
            return [self.row(record) for record in records]
        return [
            self.row(
                value if convert is None else convert(value)
                for value, convert in zip(record, self.converters, strict=True)
            )
            for record in records
        ]


def _row_of(names: list[str]) -> Callable[[Iterable[Any]], Any]:
    """A row type read by position or by these names (any that are not identifiers renamed)."""
    made: Any = cast("Any", namedtuple)("Row", names, rename=True)  # the names are data
    return cast("Callable[[Iterable[Any]], Any]", made._make)


_SQLALCHEMY_OPTIONS = frozenset(
    {"async_creator_fn", "prepared_statement_cache_size", "prepared_statement_name_func"}
)
"""Connect arguments SQLAlchemy's dialect takes for itself rather than passing to asyncpg."""


async def _json_as_sqlalchemy_reads_it(connection: asyncpg.Connection) -> None:
    """JSON as SQLAlchemy's asyncpg dialect codes it: text its JSON type has serialised on the
    way in, a document parsed on the way out."""
    await connection.set_type_codec(
        "json",
        encoder=str.encode,
        decoder=lambda data: json.loads(data.decode()),
        schema="pg_catalog",
        format="binary",
    )


async def _nothing_to_reset(_: asyncpg.Connection) -> None:
    """These connections run single statements only: no transaction, lock, cursor, listener
    or setting outlives one, so the default reset (a query of its own, a second round trip for
    every statement) has nothing to undo."""


def _asyncpg_errors(hot: _Hot | None) -> tuple[type[Exception], ...]:
    if hot is None:
        return ()
    import asyncpg

    return (asyncpg.PostgresError, asyncpg.InterfaceError)


def _async_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except (SQLAlchemyError, ValueError) as error:
        raise StorageError("the database URL is malformed") from error
    backend = parsed.get_backend_name()
    driver = _ASYNC_DRIVERS.get(backend)
    if driver is None or parsed.drivername not in {backend, f"{backend}+{driver}"}:
        supported = " or ".join(f"{name}+{driver}://" for name, driver in _ASYNC_DRIVERS.items())
        shown = parsed.render_as_string(hide_password=True)
        raise StorageError(f"unsupported database {shown}: use {supported}")
    return parsed.set(drivername=f"{backend}+{driver}")


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()
