"""SQLAlchemy implementations of the dialogs' storage ports."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date, datetime, time
from functools import partial
from typing import Any

from sqlalchemy import (
    JSON,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    func,
    insert,
    null,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import Executable

from dialogs.ports import (
    AlreadyHandled,
    ConcurrentUpdate,
    Once,
    ScanClosed,
    StorageError,
    TurnAnswers,
)
from dialogs.records import (
    DEFAULT_CALENDAR,
    MAXIMUM_THRESHOLD,
    Organisation,
    OrgSettings,
    Participation,
    Scan,
)
from dialogs.state import CompleteSheet, RecordAnswer
from engine.respect import Respect
from engine.sheet import AnswerSheet
from engine.vocabulary import Language
from storage.db import Database, UTCDateTime
from storage.models import (
    AnswerRow,
    ConversationRow,
    OrganisationRow,
    ResponseRow,
    ScanRow,
    SeenEventRow,
)
from storage.together import Together

TURN_SOURCE = "turn"
"""The `seen_events` source of the delivery keys that turns are saved with."""
LOAD_BATCH = 500
"""Conversations of one organisation `load_many` asks for in one call of its statement."""
Saved = dict[str, tuple[Mapping[str, Any], int]]
"""Conversations by key: each one's state and version."""
MAX_DELIVERY_ID = 200
"""The length of `seen_events.event_id`; a longer key is stored as its hash."""


class SqlaOrganisationDirectory:
    """Organisations by id or external key (`OrganisationDirectory`). Those asked for by id at
    once (a dispatch's groups, planning) are read together.

    Args:
        database: the database to use.
    """

    def __init__(self, database: Database) -> None:
        self._db = database
        self._by_id = Together(self._of)

    async def ensure(self, key: str, name: str) -> Organisation:
        async with self._db.session() as session:
            row = await session.scalar(_organisation(key))
            if row is None:
                await session.execute(
                    self._db.insert(OrganisationRow)
                    .values(key=key, name=name, **_settings_to_row(OrgSettings()))
                    .on_conflict_do_nothing(index_elements=["key"])
                )
                row = (await session.scalars(_organisation(key))).one()
            return _organisation_from_row(row)

    async def get(self, org_id: int) -> Organisation | None:
        return await self._by_id(org_id)

    async def _of(self, org_ids: list[int]) -> list[Organisation | None]:
        rows = await self._db.rows(_organisations_by_id, {"p_orgs": sorted(set(org_ids))})
        found = {row.id: _organisation_from_row(row) for row in rows}
        return [found.get(org_id) for org_id in org_ids]

    async def find(self, key: str) -> Organisation | None:
        async with self._db.session() as session:
            row = await session.scalar(_organisation(key))
            return None if row is None else _organisation_from_row(row)

    async def update_settings(self, org_id: int, settings: OrgSettings) -> Organisation:
        async with self._db.session() as session:
            row = await session.get(OrganisationRow, org_id)
            if row is None:
                raise StorageError(f"there is no organisation {org_id}")
            for column, value in _settings_to_row(settings).items():
                setattr(row, column, value)
            return _organisation_from_row(row)


class SqlaScanRepository:
    """Scans and answers, every statement scoped by organisation (`ScanRepository`).

    Args:
        database: the database to use.
    """

    def __init__(self, database: Database) -> None:
        self._db = database

    async def current(self, org_id: int) -> Scan | None:
        async with self._db.session() as session:
            row = await session.scalar(_scans(org_id).where(ScanRow.closed_at.is_(None)))
            return None if row is None else _scan_from_row(row)

    async def open(self, org_id: int, *, bank_version: int, now: datetime) -> Scan:
        async with self._db.session() as session:
            current = await session.scalar(_scans(org_id).where(ScanRow.closed_at.is_(None)))
            if current is not None:
                raise StorageError(
                    f"organisation {org_id} already has an open scan (number {current.number})"
                )
            last = await session.scalar(
                select(func.max(ScanRow.number)).where(ScanRow.org_id == org_id)
            )
            rows = await session.scalars(
                insert(ScanRow)
                .values(
                    org_id=org_id, number=(last or 0) + 1, bank_version=bank_version, opened_at=now
                )
                .returning(ScanRow)
            )
            return _scan_from_row(rows.one())

    async def close(self, org_id: int, scan_id: int, *, now: datetime) -> Scan:
        async with self._db.session() as session:
            await session.execute(
                update(ScanRow)
                .where(ScanRow.id == scan_id, ScanRow.org_id == org_id, ScanRow.closed_at.is_(None))
                .values(closed_at=now)
            )
            row = await session.scalar(_scans(org_id).where(ScanRow.id == scan_id))
            if row is None:
                raise _not_found(org_id, scan_id)
            return _scan_from_row(row)

    async def history(self, org_id: int) -> list[Scan]:
        async with self._db.session() as session:
            rows = await session.scalars(_scans(org_id).order_by(ScanRow.number))
            return [_scan_from_row(row) for row in rows]

    async def record_answer(
        self,
        org_id: int,
        scan_id: int,
        respondent: str,
        question_id: str,
        option_ids: tuple[str, ...],
        *,
        now: datetime,
    ) -> None:
        answer = RecordAnswer(scan_id, question_id, option_ids)
        await self._db.write(partial(_record, self._db, org_id, respondent, now, (answer,)))

    async def complete(self, org_id: int, scan_id: int, respondent: str, *, now: datetime) -> None:
        completed = (CompleteSheet(scan_id),)
        await self._db.write(partial(_record, self._db, org_id, respondent, now, completed))

    async def sheet(self, org_id: int, scan_id: int, respondent: str) -> AnswerSheet:
        async with self._db.session() as session:
            rows = await session.execute(
                select(AnswerRow.question_id, AnswerRow.option_ids)
                .join(ResponseRow, ResponseRow.id == AnswerRow.response_id)
                .where(
                    AnswerRow.org_id == org_id,
                    ResponseRow.org_id == org_id,
                    ResponseRow.scan_id == scan_id,
                    ResponseRow.respondent == respondent,
                )
            )
            return AnswerSheet({question: tuple(options) for question, options in rows})

    async def sheets(
        self, org_id: int, scan_id: int, *, completed_only: bool = True
    ) -> list[AnswerSheet]:
        query = (
            select(ResponseRow.id, AnswerRow.question_id, AnswerRow.option_ids)
            .outerjoin(
                AnswerRow,
                and_(AnswerRow.response_id == ResponseRow.id, AnswerRow.org_id == org_id),
            )
            .where(ResponseRow.org_id == org_id, ResponseRow.scan_id == scan_id)
        )
        if completed_only:
            query = query.where(ResponseRow.completed_at.is_not(None))
        async with self._db.session() as session:
            rows = await session.execute(query)
        answers: dict[int, dict[str, tuple[str, ...]]] = defaultdict(dict)
        for response_id, question_id, option_ids in rows:
            sheet = answers[response_id]
            if question_id is not None:
                sheet[question_id] = tuple(option_ids)
        return sorted((AnswerSheet(sheet) for sheet in answers.values()), key=_content_order)

    async def participation(self, org_id: int, scan_id: int) -> list[Participation]:
        async with self._db.session() as session:
            rows = await session.execute(
                select(ResponseRow.respondent, ResponseRow.completed_at).where(
                    ResponseRow.org_id == org_id, ResponseRow.scan_id == scan_id
                )
            )
        return sorted(
            (Participation(respondent, completed_at) for respondent, completed_at in rows),
            key=lambda participant: participant.respondent,
        )


class SqlaConversationStore:
    """Dialog state as JSON with an optimistic version (`ConversationStore`).

    A turn's answers are written in the transaction that saves its state, so a turn that lost
    the race to another worker leaves no trace.

    Args:
        database: the database to use.
    """

    def __init__(self, database: Database) -> None:
        self._db = database
        self._scans = SqlaScanRepository(database)
        self._many = Together(self._many_of)

    async def load(self, org_id: int, key: str) -> tuple[Mapping[str, Any], int] | None:
        row = await self._db.row(_load_conversation, {"p_org": org_id, "p_key": key})
        return None if row is None else (row[0], row[1])

    async def load_many(
        self, org_id: int, keys: Collection[str]
    ) -> Mapping[str, tuple[Mapping[str, Any], int]]:
        """Many organisations' asked at once are read together."""
        found: dict[str, tuple[Mapping[str, Any], int]] = {}
        wanted = sorted(set(keys))
        for start in range(0, len(wanted), LOAD_BATCH):
            found.update(await self._many((org_id, tuple(wanted[start : start + LOAD_BATCH]))))
        return found

    async def _many_of(self, wanted: list[tuple[int, tuple[str, ...]]]) -> list[Saved]:
        """The saved conversations of each (organisation, keys) in `wanted`, in one statement."""
        values = {
            "p_orgs": sorted({org_id for org_id, _ in wanted}),
            "p_keys": sorted({key for _, keys in wanted for key in keys}),
        }
        stored = {
            (org_id, key): (state, version)
            for org_id, key, state, version in await self._db.rows(_load_conversations, values)
        }
        return [
            {key: stored[org_id, key] for key in keys if (org_id, key) in stored}
            for org_id, keys in wanted
        ]

    async def handled(self, org_id: int, once: str) -> bool:
        async with self._db.reading() as connection:
            seen = await connection.scalar(
                self._db.prepared(_seen_delivery),
                {"p_source": TURN_SOURCE, "p_event": delivery_id(org_id, once)},
            )
            return seen is not None

    async def save(
        self,
        org_id: int,
        key: str,
        state: Mapping[str, Any],
        *,
        version: int | None,
        answers: TurnAnswers | None = None,
        once: Once | None = None,
    ) -> int:
        if (
            self._db.backend == "postgresql"
            and version is not None
            and once is None
            and await self._save_at_once(org_id, key, state, version, answers)
        ):
            return version + 1
        await self._db.write(partial(_save, self._db, org_id, key, state, version, answers, once))
        return 1 if version is None else version + 1

    async def _save_at_once(
        self,
        org_id: int,
        key: str,
        state: Mapping[str, Any],
        version: int,
        answers: TurnAnswers | None,
    ) -> bool:
        """A scan click's save (the state moved on, with or without one answer, the last one
        completing the response) as a single statement: one round trip on PostgreSQL, where a
        transaction around three statements takes five. False when it changed nothing: another
        turn moved the conversation on, the scan is not open, or the turn is not of this shape;
        the transaction below then does it (or says why not), as it does every other save."""
        values = {"p_org": org_id, "p_key": key, "p_version": version, "p_state": dict(state)}
        statement: Callable[[Database], Executable] = _move_on_returning
        if answers is not None:
            match answers.effects:
                case (RecordAnswer(scan_id=scan_id, question_id=question, option_ids=options),):
                    statement = _move_on_with_answer
                case (
                    RecordAnswer(scan_id=scan_id, question_id=question, option_ids=options),
                    CompleteSheet(scan_id=completed),
                ) if completed == scan_id:
                    statement = _move_on_with_last_answer
                case _:
                    return False
            values |= {
                "p_scan": scan_id,
                "p_respondent": answers.respondent,
                "p_question": question,
                "p_options": list(options),
                "p_now": answers.now,
            }
        return await self._db.row(statement, values) is not None  # atomic on its own


# -- a turn's writes, run in one transaction by `Database.write` --------------------------------


def _save(
    db: Database,
    org_id: int,
    key: str,
    state: Mapping[str, Any],
    version: int | None,
    answers: TurnAnswers | None,
    once: Once | None,
    connection: Connection,
) -> None:
    # The conditional update comes first: on PostgreSQL it locks the conversation's row, so a
    # second worker's turn waits here and then finds the version moved on.
    if version is None:
        moved = connection.execute(
            db.prepared(_start_conversation),
            {"org_id": org_id, "key": key, "state": dict(state), "version": 1},
        )
    else:
        moved = connection.execute(
            db.prepared(_move_conversation_on),
            {
                "p_org": org_id,
                "p_key": key,
                "p_version": version,
                "state": dict(state),
                "version": version + 1,
            },
        )
    if moved.rowcount == 0:
        raise ConcurrentUpdate(
            f"conversation {key!r} of organisation {org_id} moved on from version {version}"
        )
    if answers is not None:
        _record(db, org_id, answers.respondent, answers.now, answers.effects, connection)
    if once is not None:
        seen = connection.execute(
            db.prepared(_see_delivery),
            {"source": TURN_SOURCE, "event_id": delivery_id(org_id, once.key), "seen_at": once.at},
        )
        if seen.rowcount == 0:
            raise AlreadyHandled(f"delivery {once.key!r} was handled before")


def _record(
    db: Database,
    org_id: int,
    respondent: str,
    now: datetime,
    effects: Iterable[RecordAnswer | CompleteSheet],
    connection: Connection,
) -> None:
    for effect in effects:
        match effect:
            case RecordAnswer(scan_id=scan_id, question_id=question, option_ids=options):
                values = {
                    "p_org": org_id,
                    "p_scan": scan_id,
                    "p_respondent": respondent,
                    "p_question": question,
                    "p_options": list(options),
                    "p_now": now,
                }
                # The answer first: it needs the person's response to the scan, there from
                # their first answer on, so only a first answer (or one to a closed scan) takes
                # three statements.
                answered = connection.execute(db.prepared(_upsert_answer), values)
                if answered.rowcount == 0:
                    connection.execute(db.prepared(_start_response), values)
                    answered = connection.execute(db.prepared(_upsert_answer), values)
                if answered.rowcount == 0:
                    raise _refusal(connection, org_id, scan_id)
            case CompleteSheet(scan_id=scan_id):
                completed = connection.execute(
                    db.prepared(_complete_response),
                    {"p_org": org_id, "p_scan": scan_id, "p_respondent": respondent, "p_now": now},
                )
                if completed.rowcount == 0:
                    raise _refusal(connection, org_id, scan_id)


def _refusal(connection: Connection, org_id: int, scan_id: int) -> StorageError:
    number = connection.scalar(
        select(ScanRow.number).where(ScanRow.org_id == org_id, ScanRow.id == scan_id)
    )
    if number is None:
        return _not_found(org_id, scan_id)
    return ScanClosed(f"scan {number} of organisation {org_id} is closed")


# -- a turn's statements, made once per database (`Database.prepared`) -------------------------


def _organisations_by_id(db: Database) -> Executable:
    return select(OrganisationRow).where(db.one_of(OrganisationRow.id, "p_orgs"))


def _load_conversation(_: Database) -> Select[Mapping[str, Any], int]:
    return select(ConversationRow.state, ConversationRow.version).where(
        ConversationRow.org_id == bindparam("p_org"), ConversationRow.key == bindparam("p_key")
    )


def _load_conversations(db: Database) -> Executable:
    """The conversations of the organisations `p_orgs` among the keys `p_keys`."""
    columns = (ConversationRow.org_id, ConversationRow.key, ConversationRow.state)
    return select(*columns, ConversationRow.version).where(
        db.one_of(ConversationRow.org_id, "p_orgs"), db.one_of(ConversationRow.key, "p_keys")
    )


def _start_conversation(db: Database) -> Executable:
    """A new conversation's row (values: its columns), unless a concurrent turn made it first."""
    return db.insert(ConversationRow).on_conflict_do_nothing(index_elements=["org_id", "key"])


def _move_conversation_on(_: Database) -> Executable:
    """The new state and version (values: `state`, `version`), if still at `p_version`."""
    return update(ConversationRow).where(
        ConversationRow.org_id == bindparam("p_org"),
        ConversationRow.key == bindparam("p_key"),
        ConversationRow.version == bindparam("p_version"),
    )


def _move_on_returning(_: Database) -> Executable:
    return (
        update(ConversationRow)
        .where(
            ConversationRow.org_id == bindparam("p_org"),
            ConversationRow.key == bindparam("p_key"),
            ConversationRow.version == bindparam("p_version"),
        )
        .values(state=bindparam("p_state", type_=JSON), version=ConversationRow.version + 1)
        .returning(ConversationRow.version)
    )


def _move_on_with_answer(_: Database) -> Executable:
    """PostgreSQL: the state moved on and the answer stored, in one statement, or nothing."""
    return _moving_on_answering(completing=False)


def _move_on_with_last_answer(_: Database) -> Executable:
    """As `_move_on_with_answer`, and the response completed (its first completion kept)."""
    return _moving_on_answering(completing=True)


def _moving_on_answering(*, completing: bool) -> Executable:
    """The conversation moves on only while the scan is open; the response and the answer (and
    the completion) only once it has. Every part of a statement sees the same snapshot, so the
    response just made is read from `started`, an earlier one from the table, and a response
    made here is made complete where an earlier one is completed.
    """
    org, scan = bindparam("p_org", type_=Integer), bindparam("p_scan", type_=Integer)
    respondent, now = bindparam("p_respondent", type_=String), bindparam("p_now", type_=UTCDateTime)
    open_scan = (
        select(ScanRow.id)
        .where(ScanRow.id == scan, ScanRow.org_id == org, ScanRow.closed_at.is_(None))
        .cte("open_scan")
    )
    moved = (
        update(ConversationRow)
        .where(
            ConversationRow.org_id == org,
            ConversationRow.key == bindparam("p_key", type_=String),
            ConversationRow.version == bindparam("p_version", type_=Integer),
            select(open_scan.c.id).exists(),
        )
        .values(state=bindparam("p_state", type_=JSON), version=ConversationRow.version + 1)
        .returning(ConversationRow.version)
        .cte("moved")
    )
    started = (
        postgresql.insert(ResponseRow)
        .from_select(
            ["org_id", "scan_id", "respondent", "started_at", "completed_at"],
            select(org, open_scan.c.id, respondent, now, now if completing else null()).where(
                select(moved.c.version).exists()
            ),
        )
        .on_conflict_do_nothing(index_elements=["scan_id", "respondent"])
        .returning(ResponseRow.id)
        .cte("started")
    )
    response = (
        select(started.c.id)
        .union_all(
            select(ResponseRow.id).where(
                ResponseRow.org_id == org,
                ResponseRow.scan_id == scan,
                ResponseRow.respondent == respondent,
            )
        )
        .limit(1)
        .cte("response")
    )
    answer = postgresql.insert(AnswerRow).from_select(
        ["org_id", "response_id", "question_id", "option_ids", "answered_at"],
        select(
            org,
            response.c.id,
            bindparam("p_question", type_=String),
            bindparam("p_options", type_=JSON),
            now,
        ).where(select(moved.c.version).exists()),
    )
    answered = answer.on_conflict_do_update(
        index_elements=["response_id", "question_id"],
        set_={"option_ids": answer.excluded.option_ids, "answered_at": answer.excluded.answered_at},
    ).returning(AnswerRow.id)
    if not completing:
        return answered
    completed = (
        update(ResponseRow)
        .where(
            ResponseRow.org_id == org,
            ResponseRow.scan_id == scan,
            ResponseRow.respondent == respondent,
            select(moved.c.version).exists(),
        )
        .values(completed_at=func.coalesce(ResponseRow.completed_at, now))
        .cte("completed")
    )
    return answered.add_cte(completed)


def _seen_delivery(_: Database) -> Executable:
    return select(SeenEventRow.event_id).where(
        SeenEventRow.source == bindparam("p_source"), SeenEventRow.event_id == bindparam("p_event")
    )


def _see_delivery(db: Database) -> Executable:
    return db.insert(SeenEventRow).on_conflict_do_nothing()


def _new_response(*completed: ColumnElement[Any]) -> Select[Any]:
    """The row of a response to the scan `p_scan` by `p_respondent`, begun (and `completed`)
    `p_now`; none unless the scan is open and the organisation `p_org`'s own."""
    return select(
        bindparam("p_org", type_=Integer),
        ScanRow.id,
        bindparam("p_respondent", type_=String),
        bindparam("p_now", type_=UTCDateTime),
        *completed,
    ).where(
        ScanRow.id == bindparam("p_scan"),
        ScanRow.org_id == bindparam("p_org"),
        ScanRow.closed_at.is_(None),
    )


def _start_response(db: Database) -> Executable:
    """The respondent's response to the scan, if the scan is open and the org's own."""
    return (
        db.insert(ResponseRow)
        .from_select(["org_id", "scan_id", "respondent", "started_at"], _new_response())
        .on_conflict_do_nothing(index_elements=["scan_id", "respondent"])
    )


def _complete_response(db: Database) -> Executable:
    """The respondent's response completed (made if need be), if the scan is open; a response
    completed before keeps its first completion."""
    completion = db.insert(ResponseRow).from_select(
        ["org_id", "scan_id", "respondent", "started_at", "completed_at"],
        _new_response(bindparam("p_now", type_=UTCDateTime)),
    )
    return completion.on_conflict_do_update(
        index_elements=["scan_id", "respondent"],
        set_={
            "completed_at": func.coalesce(
                ResponseRow.completed_at, completion.excluded.completed_at
            )
        },
    )


def _upsert_answer(db: Database) -> Executable:
    """One answer, replacing an earlier one to the question; nothing when the scan is closed."""
    answer = db.insert(AnswerRow).from_select(
        ["org_id", "response_id", "question_id", "option_ids", "answered_at"],
        select(
            bindparam("p_org", type_=Integer),
            ResponseRow.id,
            bindparam("p_question", type_=String),
            bindparam("p_options", type_=JSON),
            bindparam("p_now", type_=UTCDateTime),
        )
        .join(
            ScanRow, and_(ScanRow.id == ResponseRow.scan_id, ScanRow.org_id == bindparam("p_org"))
        )
        .where(
            ResponseRow.org_id == bindparam("p_org"),
            ResponseRow.scan_id == bindparam("p_scan"),
            ResponseRow.respondent == bindparam("p_respondent"),
            ScanRow.closed_at.is_(None),
        ),
    )
    return answer.on_conflict_do_update(
        index_elements=["response_id", "question_id"],
        set_={"option_ids": answer.excluded.option_ids, "answered_at": answer.excluded.answered_at},
    )


def delivery_id(org_id: int, once: str) -> str:
    """A delivery key as stored: the organisation's, and never longer than the column."""
    scoped = f"{org_id}/{once}"
    if len(scoped) <= MAX_DELIVERY_ID:
        return scoped
    return f"{org_id}/sha256:{hashlib.sha256(once.encode()).hexdigest()}"


def _settings_to_row(settings: OrgSettings) -> dict[str, Any]:
    return {
        "anonymity_threshold": settings.anonymity_threshold,
        "tolerance": settings.tolerance,
        "language": settings.language.value,
        "time_zone": settings.time_zone,
        "manager": settings.manager,
        "escalate_after": settings.escalate_after,
        "respect": None
        if settings.respect == DEFAULT_CALENDAR
        else _respect_to_json(settings.respect),
        "report_channel": settings.report_channel,
    }


def _organisation_from_row(row: OrganisationRow | Row[Any]) -> Organisation:
    return Organisation(
        id=row.id,
        key=row.key,
        name=row.name,
        settings=OrgSettings(
            # Stored before the upper bound existed, a higher threshold reads as the highest
            # allowed, rather than making the organisation unreadable.
            anonymity_threshold=min(row.anonymity_threshold, MAXIMUM_THRESHOLD),
            tolerance=row.tolerance,
            language=Language(row.language),
            time_zone=row.time_zone,
            manager=row.manager,
            escalate_after=row.escalate_after,
            respect=DEFAULT_CALENDAR if row.respect is None else _respect_from_json(row.respect),
            report_channel=row.report_channel,
        ),
    )


def _respect_to_json(respect: Respect) -> dict[str, Any]:
    return {
        "working_days": sorted(respect.working_days),
        "day_starts": respect.day_starts.isoformat("minutes"),
        "day_ends": respect.day_ends.isoformat("minutes"),
        "holidays": sorted(day.isoformat() for day in respect.holidays),
        "weekly_cap": respect.weekly_cap,
        "quiet_hours": None
        if respect.quiet_hours is None
        else [moment.isoformat("minutes") for moment in respect.quiet_hours],
        "country": respect.country,
    }


def _respect_from_json(document: Mapping[str, Any]) -> Respect:
    """A stored calendar; documents from before quiet hours and countries read as without."""
    quiet = document.get("quiet_hours")
    return Respect(
        working_days=frozenset(document["working_days"]),
        day_starts=time.fromisoformat(document["day_starts"]),
        day_ends=time.fromisoformat(document["day_ends"]),
        holidays=frozenset(date.fromisoformat(day) for day in document["holidays"]),
        weekly_cap=document["weekly_cap"],
        quiet_hours=None
        if quiet is None
        else (time.fromisoformat(quiet[0]), time.fromisoformat(quiet[1])),
        country=document.get("country"),
    )


def _scan_from_row(row: ScanRow) -> Scan:
    return Scan(
        id=row.id,
        org_id=row.org_id,
        number=row.number,
        bank_version=row.bank_version,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
    )


def _organisation(key: str) -> Select[OrganisationRow]:
    return select(OrganisationRow).where(OrganisationRow.key == key)


def _scans(org_id: int) -> Select[ScanRow]:
    return select(ScanRow).where(ScanRow.org_id == org_id)


def _not_found(org_id: int, scan_id: int) -> StorageError:
    return StorageError(f"organisation {org_id} has no scan {scan_id}")


def _content_order(sheet: AnswerSheet) -> list[tuple[str, tuple[str, ...]]]:
    """Sheets sorted by what they say, so their order cannot be matched to participation."""
    return sorted(sheet.answers.items())
