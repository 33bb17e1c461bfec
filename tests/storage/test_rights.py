"""Data rights on SQLite and PostgreSQL: a person's export and erasure, an organisation's export."""

# Naive datetimes here are wall-clock times beside their zone (tasks, marks, nudges).
# ruff: noqa: DTZ001

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy import MetaData, select, update

from dialogs.ports import ConcurrentUpdate
from dialogs.records import Invitee, Launch, NewTask, OrgSettings
from dialogs.state import DialogState, Step
from engine.kpi import KpiEntry, Metric
from engine.nudges import NudgeKind, PlannedNudge
from engine.plan_catalogue import default_plan_catalogue
from engine.recurrence import LocalTime
from engine.scoring import score
from engine.sheet import AnswerSheet
from engine.tasks import Mark, Outcome
from engine.text import text
from engine.vocabulary import Language, Role, TaskKind
from storage.activation import SqlaInbox, SqlaKpiRepository, SqlaPeopleDirectory, SqlaTaskRepository
from storage.db import Database
from storage.installations import SqlaInstallationRepository
from storage.jobs import SqlaJobQueue
from storage.launches import SqlaEventLog, SqlaLaunchRepository
from storage.models import AnswerRow, AuditRow, JobRow, ResponseRow, TaskRow
from storage.outbox import SqlaOutbox
from storage.repositories import (
    SqlaConversationStore,
    SqlaOrganisationDirectory,
    SqlaScanRepository,
)
from storage.rights import ERASED, SqlaDataRights
from storage.secrets import SecretBox
from storage.teams import SqlaTeamsConversations
from tests.builders import tiny_bank, uniform

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
BOX = SecretBox(["Qm9vbGVhbi1zb3VwLWZvci10aGUtdGVzdHMtb25seSE="])
SCHEMAS = Path(__file__).parents[2] / "docs" / "schemas"
BANK = tiny_bank()
THRESHOLD = 3


@dataclass(frozen=True)
class Who:
    """The person to erase, as one chat writes them, and their colleagues in that chat."""

    channel: str
    org_key: str
    prefix: str
    """How the chat's user ids begin: Slack's ``U0``, Teams' ``29:1``."""
    conversation: str
    name: str = "Zoë Jansen"
    aad: str = "aad-zoe-7f3c"

    @property
    def user(self) -> str:
        return self.id("ZOE42")

    @property
    def respondent(self) -> str:
        return f"{self.channel}:{self.user}"

    def id(self, short: str) -> str:
        return f"{self.prefix}{short}"

    def colleague(self, short: str) -> str:
        return f"{self.channel}:{self.id(short)}"

    @property
    def manager(self) -> str:
        return self.colleague("PM001")

    @property
    def answering(self) -> tuple[str, ...]:
        """Everyone who answered the closed scan: the person and four colleagues."""
        return (self.respondent, *(self.colleague(n) for n in ("BOB01", "CAS01", "DEE01", "EVA01")))

    @property
    def traces(self) -> tuple[str, ...]:
        """What would link a row to the person: their ids, their name, their directory id."""
        return (self.respondent, self.user, self.name, self.aad)


SLACK = Who("slack", "slack:T0ACME", "U0", "D0ZOE42")
TEAMS = Who("teams", "teams:tenant-1", "29:1", "a:1zoe-personal")


@pytest.fixture(params=[pytest.param(SLACK, id="slack"), pytest.param(TEAMS, id="teams")])
def who(request: pytest.FixtureRequest) -> Who:
    who: Who = request.param
    return who


@dataclass(frozen=True)
class World:
    """An organisation where the person has left a trace in every table."""

    org_id: int
    closed: int
    """The closed scan everyone answered, the person among them."""
    running: int
    """The open scan the person answered part of."""
    their_task: int
    their_old_task: int
    """A task of theirs, retired."""
    managers_task: int


def _rights(database: Database) -> SqlaDataRights:
    return SqlaDataRights(database, bank=BANK, catalogue=default_plan_catalogue())


def _reference(who: Who, conversation: str, *, user: str) -> dict[str, Any]:
    return {
        "activityId": "1701",
        "bot": {"id": "28:advisor", "name": "SSRM advisor"},
        "channelId": "msteams",
        "conversation": {"id": conversation, "tenantId": "tenant-1"},
        "serviceUrl": "https://smba.example/emea/",
        "user": {"id": user, "name": who.name, "aadObjectId": who.aad, "role": "user"},
    }


async def _answer(
    scans: SqlaScanRepository,
    org_id: int,
    scan_id: int,
    respondent: str,
    sheet: AnswerSheet,
    *,
    now: datetime,
    complete: bool = True,
) -> None:
    for question, options in sheet.answers.items():
        await scans.record_answer(org_id, scan_id, respondent, question, options, now=now)
    if complete:
        await scans.complete(org_id, scan_id, respondent, now=now)


async def _seed(database: Database, who: Who) -> World:
    """The person in every table there is: answers to a closed and an open scan, invitations,
    conversations, a person record, tasks, marks, figures, nudges, inbox items, audit entries,
    a job, a delivery key, Teams references and (in Slack) installations; their name where
    the chat gives it, and their id in the texts and documents about them."""
    organisations = SqlaOrganisationDirectory(database)
    scans = SqlaScanRepository(database)
    launches = SqlaLaunchRepository(database)
    zoe, bob, pm = who.respondent, who.colleague("BOB01"), who.manager
    org = await organisations.ensure(who.org_key, "Acme")
    await organisations.update_settings(
        org.id, OrgSettings(anonymity_threshold=THRESHOLD, manager=pm)
    )

    closed = await scans.open(org.id, bank_version=1, now=NOW - 30 * DAY)
    await launches.record(
        org.id,
        Launch(closed.id, pm, NOW - 20 * DAY, f"{who.channel}:#C0GENERAL"),
        [Invitee(person, "Europe/Amsterdam", NOW - 28 * DAY) for person in who.answering],
    )
    roles = [Role.EMPLOYEE, Role.EMPLOYEE, Role.MANAGEMENT, Role.EMPLOYEE, Role.MANAGEMENT]
    for person, phase, role in zip(who.answering, [4, 3, 3, 2, 3], roles, strict=True):
        await launches.mark_invited(org.id, closed.id, person, now=NOW - 29 * DAY)
        await _answer(scans, org.id, closed.id, person, uniform(phase, role), now=NOW - 25 * DAY)
    await scans.close(org.id, closed.id, now=NOW - 20 * DAY)
    await launches.claim_publication(org.id, closed.id, now=NOW - 20 * DAY)

    running = await scans.open(org.id, bank_version=1, now=NOW - 2 * DAY)
    await launches.record(org.id, Launch(running.id, zoe), [Invitee(zoe), Invitee(bob)])
    partial = AnswerSheet({"role": ("employee",), "media": ("media_3",)})
    await _answer(scans, org.id, running.id, zoe, partial, now=NOW - DAY, complete=False)
    await _answer(scans, org.id, running.id, bob, uniform(3), now=NOW - DAY)

    conversations = SqlaConversationStore(database)
    state = DialogState(
        Language.NL, Step.SCANNING, scan_id=running.id, position=2, sheet=partial
    ).to_json()
    for conversation in (who.conversation, "C0GENERAL"):
        key = f"{who.channel}:{conversation}:{who.user}"
        await conversations.save(org.id, key, state, version=None)
    await conversations.save(
        org.id,
        f"{who.channel}:D0PM:{who.id('PM001')}",
        DialogState(Language.EN).to_json(),
        version=None,
    )

    people = SqlaPeopleDirectory(database)
    await people.set_zone(org.id, zoe, "Europe/Brussels")
    await people.pause(org.id, zoe, date(2026, 12, 24))
    await people.set_zone(org.id, pm, "Europe/Amsterdam")

    tasks = SqlaTaskRepository(database)
    start = datetime(2026, 11, 2, 10, 0)
    adopted = await tasks.adopt(
        org.id,
        [
            NewTask(
                "post",
                TaskKind.POST,
                text("Posten", "Post"),
                zoe,
                "FREQ=WEEKLY;BYDAY=MO",
                start,
                "Europe/Amsterdam",
            ),
            NewTask(
                "train",
                TaskKind.TRAIN,
                text("Trainen", "Train"),
                zoe,
                "FREQ=MONTHLY",
                start,
                "Europe/Amsterdam",
            ),
            NewTask(
                "report",
                TaskKind.REPORT,
                text("Rapporteren", "Report"),
                pm,
                "FREQ=MONTHLY",
                start,
                "Europe/Amsterdam",
            ),
        ],
        by=zoe,
        now=NOW - 10 * DAY,
    )
    theirs, old, managers = (task.id for task in adopted)
    await tasks.mark(
        org.id,
        theirs,
        Mark(start, Outcome.DONE, datetime(2026, 11, 2, 11, 0), f"{who.name} posted it"),
        by=zoe,
    )
    await tasks.mark(
        org.id,
        managers,
        Mark(start, Outcome.SKIPPED, datetime(2026, 11, 2, 12, 0), f"asked {who.user}"),
        by=zoe,
    )
    await SqlaKpiRepository(database).record(
        org.id,
        KpiEntry(date(2026, 11, 2), date(2026, 11, 8), {Metric.POSTS: 3}),
        by=zoe,
        now=NOW - 9 * DAY,
    )

    due = LocalTime(datetime(2026, 12, 7, 10, 0), "Europe/Brussels")
    stale = LocalTime(datetime(2026, 12, 14, 10, 0), "Europe/Brussels")
    outbox = SqlaOutbox(database)
    await outbox.plan(
        org.id,
        [
            PlannedNudge(
                zoe, NudgeKind.TASK_DUE, f"task:{theirs}:2026-12-07T10:00", due, stale, theirs
            ),
            PlannedNudge(
                pm, NudgeKind.ESCALATION, f"task:{theirs}:2026-11-30T10:00", due, stale, theirs
            ),
        ],
        now=NOW - DAY,
    )
    inbox = SqlaInbox(database)
    await inbox.put(org.id, zoe, "Time to post", nudge_id=None, now=NOW - DAY)
    await inbox.put(
        org.id, pm, f"#{theirs} Post (2026-11-30 10:00, {who.user})", nudge_id=None, now=NOW
    )

    queue = SqlaJobQueue(database)
    view = {"id": "V0LAUNCH", "users": [who.user, who.id("BOB01")], "note": f"for {who.name}"}
    await queue.put(
        org.id, "launch", "launch:V0LAUNCH", {"manager": who.user, "view": view}, now=NOW - 2 * DAY
    )
    await SqlaEventLog(database).first_seen(who.channel, f"{zoe}/click", now=NOW - DAY)
    await SqlaEventLog(database).first_seen(who.channel, "Ev0SOMEONEELSE", now=NOW - DAY)

    teams = SqlaTeamsConversations(database)
    await teams.remember(
        org.id,
        zoe,
        _reference(who, who.conversation, user=who.user),
        name=who.name,
        now=NOW - 3 * DAY,
    )
    await teams.remember(
        org.id,
        f"{who.channel}:#19:general",
        _reference(who, "19:general", user=who.user),
        name="General",
        now=NOW - 3 * DAY,
    )
    if who.channel == "slack":
        installations = SqlaInstallationRepository(database, BOX)
        await installations.save(
            "slack", None, "T0ACME", None, {"bot_token": "xoxb-bot"}, NOW - 40 * DAY
        )
        await installations.save(
            "slack",
            None,
            "T0ACME",
            who.user,
            {"user_id": who.user, "user_token": "xoxp-zoe"},
            NOW - 40 * DAY,
        )

    async with database.session() as session:
        session.add_all(
            [
                AuditRow(
                    org_id=org.id,
                    at=NOW - 2 * DAY,
                    actor=zoe,
                    action="launch",
                    detail={"scan": 2, "invited": [zoe, bob]},
                ),
                AuditRow(
                    org_id=org.id,
                    at=NOW - DAY,
                    actor=pm,
                    action="reassign",
                    detail={"task": theirs, "to": zoe, "said": f"for {who.name}"},
                ),
            ]
        )
        await session.execute(
            update(JobRow).values(progress={"people": [{"id": who.user, "locale": "nl"}]})
        )
        await session.execute(update(TaskRow).where(TaskRow.id == old).values(retired_at=NOW))
    return World(org.id, closed.id, running.id, theirs, old, managers)


# -- walking the whole database -----------------------------------------------------------------


def _as_text(table: str, column: str, value: Any) -> str:
    """A stored value as text a person could be read from: JSON as its characters, a sealed
    installation document opened."""
    if table == "installations" and column == "document":
        return BOX.decrypt(value).decode()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


async def _every_value(database: Database) -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every value of every table of the migrated schema,
    read from the database itself: a table added later is walked too."""
    metadata = MetaData()
    found: list[tuple[str, str, str]] = []
    async with database.connection() as connection:
        await connection.run_sync(metadata.reflect)
        for table in metadata.sorted_tables:
            for row in (await connection.execute(select(table))).mappings():
                found.extend(
                    (table.name, column, _as_text(table.name, column, value))
                    for column, value in row.items()
                    if value is not None
                )
    return found


def _where(values: list[tuple[str, str, str]], *needles: str) -> set[tuple[str, str]]:
    return {(table, column) for table, column, text in values if any(n in text for n in needles)}


async def test_after_erasure_no_row_of_any_table_holds_their_id_or_name(
    database: Database, who: Who
) -> None:
    world = await _seed(database, who)
    before = _where(await _every_value(database), *who.traces)
    # The seed reaches every table that can hold a person, so the walk below proves something.
    assert {table for table, _ in before} >= {
        "responses",
        "invitations",
        "conversations",
        "people",
        "tasks",
        "task_marks",
        "kpi_entries",
        "nudges",
        "inbox",
        "teams_conversations",
        "launches",
        "audit_log",
        "jobs",
        "seen_events",
    } | ({"installations"} if who.channel == "slack" else set())

    await _rights(database).forget_person(world.org_id, who.respondent, successor=None, now=NOW)

    assert _where(await _every_value(database), *who.traces) == set()


async def test_erasure_keeps_what_belongs_to_others(database: Database) -> None:
    world = await _seed(database, SLACK)
    await _rights(database).forget_person(world.org_id, SLACK.respondent, successor=None, now=NOW)

    scans = SqlaScanRepository(database)
    bob = SLACK.colleague("BOB01")
    assert [p.respondent for p in await scans.participation(world.org_id, world.running)] == [bob]
    conversations = SqlaConversationStore(database)
    assert await conversations.load(world.org_id, "slack:D0PM:U0PM001") is not None
    assert (await SqlaPeopleDirectory(database).get(world.org_id, SLACK.manager)).zone == (
        "Europe/Amsterdam"
    )
    assert [n.recipient for n in await SqlaOutbox(database).pending(world.org_id)] == [
        SLACK.manager
    ]
    installations = SqlaInstallationRepository(database, BOX)
    assert await installations.find_bot("slack", None, "T0ACME") == {"bot_token": "xoxb-bot"}
    assert await installations.find_user("slack", None, "T0ACME", SLACK.user) is None
    teams = SqlaTeamsConversations(database)
    assert await teams.addresses(world.org_id) == ["slack:#19:general"]
    reference = await teams.reference(world.org_id, "slack:#19:general")
    assert reference is not None
    assert reference["conversation"]["id"] == "19:general"
    assert reference["user"]["id"].startswith(ERASED)
    assert await SqlaEventLog(database).first_seen("slack", "Ev0SOMEONEELSE", now=NOW) is False


# -- answers ------------------------------------------------------------------------------------


async def test_erasing_from_a_closed_scan_keeps_its_result_and_an_unlinkable_sheet(
    database: Database,
) -> None:
    world = await _seed(database, SLACK)
    scans = SqlaScanRepository(database)
    sheets = await scans.sheets(world.org_id, world.closed)
    result = score(BANK, sheets, threshold=THRESHOLD)
    exported = (await _rights(database).organisation(world.org_id))["scans"][0]

    erased = await _rights(database).forget_person(
        world.org_id, SLACK.respondent, successor=None, now=NOW
    )

    assert erased.sheets_detached == 1
    assert await scans.sheets(world.org_id, world.closed) == sheets
    assert score(BANK, await scans.sheets(world.org_id, world.closed), threshold=THRESHOLD) == (
        result
    )
    assert (await _rights(database).organisation(world.org_id))["scans"][0] == exported
    closed_at = NOW - 20 * DAY
    async with database.session() as session:
        kept = (
            await session.scalars(
                select(ResponseRow).where(
                    ResponseRow.scan_id == world.closed, ResponseRow.respondent.startswith(ERASED)
                )
            )
        ).one()
        answered = set(
            await session.scalars(
                select(AnswerRow.answered_at).where(AnswerRow.response_id == kept.id)
            )
        )
    # Every moment of the kept sheet is the scan's close, not the minute the person clicked.
    assert (kept.started_at, kept.completed_at) == (closed_at, closed_at)
    assert answered == {closed_at}
    values = await _every_value(database)
    # The kept sheet's token is its own: no other row carries it.
    assert _where(values, kept.respondent) == {("responses", "respondent")}
    assert sum(kept.respondent in text for _, _, text in values) == 1


async def test_erasing_from_an_open_scan_removes_the_answers_and_the_participation(
    database: Database,
) -> None:
    world = await _seed(database, SLACK)
    scans, launches = SqlaScanRepository(database), SqlaLaunchRepository(database)

    erased = await _rights(database).forget_person(
        world.org_id, SLACK.respondent, successor=None, now=NOW
    )

    assert erased.answers_deleted == 2
    bob = SLACK.colleague("BOB01")
    assert [p.respondent for p in await scans.participation(world.org_id, world.running)] == [bob]
    assert await scans.sheets(world.org_id, world.running, completed_only=False) == [uniform(3)]
    assert await scans.sheet(world.org_id, world.running, SLACK.respondent) == AnswerSheet()
    assert [i.respondent for i in await launches.invitations(world.org_id, world.running)] == [bob]


async def test_erasing_someone_unknown_is_not_refused(database: Database) -> None:
    world = await _seed(database, SLACK)
    rights = _rights(database)

    nobody = await rights.forget_person(world.org_id, "slack:U0NOBODY", successor=None, now=NOW)
    nowhere = await rights.forget_person(9999, SLACK.respondent, successor=None, now=NOW)

    assert (nobody.answers_deleted, nobody.sheets_detached, nobody.tasks) == (0, 0, ())
    assert (nobody.heir, nobody.manager, nobody.manager_cleared) == (
        SLACK.manager,
        SLACK.manager,
        False,
    )
    assert (nowhere.answers_deleted, nowhere.sheets_detached, nowhere.tasks) == (0, 0, ())


async def test_a_turn_that_read_a_state_naming_them_before_erasure_cannot_write_it_back(
    database: Database,
) -> None:
    world = await _seed(database, SLACK)
    conversations = SqlaConversationStore(database)
    key = f"slack:D0HANDOVER:{SLACK.id('PM001')}"
    handing_over = DialogState(Language.EN, successor=SLACK.respondent).to_json()
    await conversations.save(world.org_id, key, handing_over, version=None)
    loaded = await conversations.load(world.org_id, key)
    assert loaded is not None

    await _rights(database).forget_person(world.org_id, SLACK.respondent, successor=None, now=NOW)

    with pytest.raises(ConcurrentUpdate):  # the turn is run again, on the scrubbed state
        await conversations.save(world.org_id, key, dict(loaded[0]), version=loaded[1])
    after = await conversations.load(world.org_id, key)
    assert after is not None
    assert SLACK.respondent not in json.dumps(after[0])


# -- tasks and the project manager --------------------------------------------------------------


async def test_their_tasks_go_to_the_project_manager(database: Database) -> None:
    world = await _seed(database, SLACK)
    tasks = SqlaTaskRepository(database)

    erased = await _rights(database).forget_person(
        world.org_id, SLACK.respondent, successor=None, now=NOW
    )

    assert (erased.tasks, erased.heir, erased.manager_cleared) == (
        (world.their_task,),
        SLACK.manager,
        False,
    )
    assert [t.id for t in await tasks.active(world.org_id, owner=SLACK.manager)] == [
        world.their_task,
        world.managers_task,
    ]
    old = await tasks.get(world.org_id, world.their_old_task)
    assert old is not None
    assert old.owner.startswith(ERASED)
    marks = await tasks.marks(world.org_id, [world.their_task])
    assert [m.note for m in marks[world.their_task].values()] == ["(erased) posted it"]


async def test_erasing_the_project_manager_hands_over_to_the_successor(
    database: Database,
) -> None:
    world = await _seed(database, SLACK)
    successor = SLACK.colleague("BOB01")
    tasks = SqlaTaskRepository(database)

    erased = await _rights(database).forget_person(
        world.org_id, SLACK.manager, successor=successor, now=NOW
    )

    assert (erased.manager_cleared, erased.manager, erased.heir) == (True, successor, successor)
    assert erased.tasks == (world.managers_task,)
    org = await SqlaOrganisationDirectory(database).get(world.org_id)
    assert org is not None
    assert org.settings.manager == successor
    assert [t.id for t in await tasks.active(world.org_id, owner=successor)] == [
        world.managers_task
    ]
    launches = SqlaLaunchRepository(database)
    assert await launches.managers(world.org_id) == {successor, SLACK.respondent}
    assert _where(await _every_value(database), SLACK.manager, "U0PM001") == set()


async def test_erasing_the_project_manager_without_a_successor_leaves_none(
    database: Database,
) -> None:
    world = await _seed(database, SLACK)
    tasks = SqlaTaskRepository(database)

    erased = await _rights(database).forget_person(
        world.org_id, SLACK.manager, successor=None, now=NOW
    )

    assert (erased.manager_cleared, erased.manager, erased.heir) == (True, None, None)
    assert erased.tasks == (world.managers_task,)
    org = await SqlaOrganisationDirectory(database).get(world.org_id)
    assert org is not None
    assert org.settings.manager is None
    assert world.managers_task not in [t.id for t in await tasks.active(world.org_id)]
    launch = await SqlaLaunchRepository(database).get(world.org_id, world.closed)
    assert launch is not None
    assert launch.launched_by.startswith(ERASED)
    assert _where(await _every_value(database), SLACK.manager, "U0PM001") == set()


# -- exports ------------------------------------------------------------------------------------


def _validate(document: dict[str, Any], schema: str) -> None:
    loaded = json.loads((SCHEMAS / schema).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator
    validator.check_schema(loaded)
    # Through JSON and back: the document is what a file would hold.
    validator(loaded, format_checker=validator.FORMAT_CHECKER).validate(
        json.loads(json.dumps(document))
    )


async def test_a_persons_export_holds_their_data_and_validates(
    database: Database, who: Who
) -> None:
    world = await _seed(database, who)
    rights = _rights(database)

    mine = await rights.person(world.org_id, who.respondent)

    _validate(mine, "person-export.schema.json")
    closed, running = mine["scans"]
    assert [a["question"] for a in running["answers"]] == ["role", "media"]
    assert running["result"] is None
    assert closed["result"]["overall"] == 4
    assert closed["result"]["role"] == "employee"
    assert [i["scan"] for i in mine["invitations"]] == [1, 2]
    assert [c["step"] for c in mine["conversations"]] == ["scanning", "scanning"]
    assert mine["person"] == {
        "name": who.name,
        "zone": "Europe/Brussels",
        "away_until": "2026-12-24",
        "unreachable": None,
        "unreachable_since": None,
        "project_manager": False,
    }
    assert [t["id"] for t in mine["tasks"]] == [world.their_task, world.their_old_task]
    assert [m["note"] for m in mine["tasks"][0]["marks"]] == [f"{who.name} posted it"]
    assert [n["kind"] for n in mine["nudges"]] == ["task_due"]
    assert len(mine["inbox"]) == 1
    assert [a["scan"] for a in mine["actions"]["launches"]] == [2]
    assert [a["action"] for a in mine["actions"]["audit"]] == ["launch"]
    assert [t["name"] for t in mine["teams"]] == [who.name]
    installations = mine["slack_installations"]
    assert len(installations) == (1 if who.channel == "slack" else 0)
    # Never a token, and nothing of anyone else's answers.
    assert "xox" not in json.dumps(mine)
    assert who.colleague("BOB01") not in json.dumps(mine["scans"])

    await rights.forget_person(world.org_id, who.respondent, successor=None, now=NOW)
    after = await rights.person(world.org_id, who.respondent)
    _validate(after, "person-export.schema.json")
    assert [after[part] for part in ("scans", "invitations", "conversations", "tasks")] == [
        [],
        [],
        [],
        [],
    ]


async def test_an_unknown_organisation_has_no_export(database: Database) -> None:
    with pytest.raises(LookupError):
        await _rights(database).person(9999, SLACK.respondent)
    with pytest.raises(LookupError):
        await _rights(database).organisation(9999)


def _strings(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, key
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, path)


async def test_an_organisations_export_validates_and_names_no_one_but_task_owners(
    database: Database, who: Who
) -> None:
    world = await _seed(database, who)

    export = await _rights(database).organisation(world.org_id)

    _validate(export, "organisation-export.schema.json")
    closed, running = export["scans"]
    assert closed["participation"] == {"invited": 5, "started": 5, "completed": 5}
    assert running["participation"] == {"invited": 2, "started": 2, "completed": 1}
    assert running["result"] is None
    result = closed["result"]
    assert (result["withheld"], result["respondents"], result["overall"]) == (False, 5, 3)
    assert {s["role"] for s in result["segments"]} <= {"employee", "management"}
    assert export["plan"]["phase"] == 3
    assert [t["id"] for t in export["tasks"]] == [
        world.their_task,
        world.their_old_task,
        world.managers_task,
    ]
    assert export["figures"][0]["figures"] == {"posts": 3}
    answering = [(p, p.partition(":")[2]) for p in who.answering if p != who.manager]
    named = [
        (path, value)
        for path, value in _strings(export)
        if any(person in value or user in value for person, user in answering)
    ]
    assert named
    assert {path for path, _ in named} == {("tasks", "owner")}
    # No answer is in it: not one option of a phase question, as a sheet holds it.
    options = {o.id for q in BANK for o in q.options if q.dimension is not None}
    assert {value for _, value in _strings(export)} & options == set()


async def test_a_scan_below_the_threshold_is_exported_withheld(database: Database) -> None:
    organisations, scans = SqlaOrganisationDirectory(database), SqlaScanRepository(database)
    org = await organisations.ensure("slack:T0SMALL", "Small")
    scan = await scans.open(org.id, bank_version=1, now=NOW - 2 * DAY)
    for person in ("slack:U0A", "slack:U0B"):
        await _answer(scans, org.id, scan.id, person, uniform(2), now=NOW - DAY)
    await scans.close(org.id, scan.id, now=NOW)

    export = await _rights(database).organisation(org.id)

    _validate(export, "organisation-export.schema.json")
    assert export["scans"][0]["result"] == {"withheld": True, "respondents": 2, "threshold": 5}
    assert export["scans"][0]["participation"] == {"invited": None, "started": 2, "completed": 2}
    assert export["plan"] is None
