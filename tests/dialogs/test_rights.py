"""The data-rights conversations: my data, forget me (confirmed first), privacy, export, audit."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import pytest

from dialogs.advisor import Advisor
from dialogs.audit import AuditEntry
from dialogs.commands import parse
from dialogs.events import Command, CommandInvoked, TextReceived
from dialogs.messages import Actions, Bullets, File, Heading, Paragraph, People, Reply
from dialogs.ports import Erased
from dialogs.rights import Formats, Keeping, Rights
from dialogs.state import DialogState, Step
from engine.tasks import Task
from engine.vocabulary import Language
from tests.dialogs.conftest import World, shipped_knowledge, take_scan


@dataclass
class RecordingDataRights:
    """A `DataRights` over the world's stores that records what it was asked; erasing forgets
    the person's conversations, as the SQL one does with every row naming them."""

    world: World
    erased: Erased = field(
        default_factory=lambda: Erased(
            answers_deleted=16,
            sheets_detached=1,
            tasks=(),
            heir=None,
            manager_cleared=False,
            manager=None,
        )
    )
    forgotten: list[tuple[str, str | None]] = field(default_factory=list)

    async def person(self, org_id: int, respondent: str) -> dict[str, Any]:
        scans = await self.world.scans.history(org_id)
        answers = {
            str(scan.number): dict(
                (await self.world.scans.sheet(org_id, scan.id, respondent)).answers
            )
            for scan in scans
        }
        return {"respondent": respondent, "answers": answers}

    async def forget_person(
        self, org_id: int, respondent: str, *, successor: str | None, now: datetime
    ) -> Erased:
        self.forgotten.append((respondent, successor))
        user = respondent.partition(":")[2]
        saved = self.world.conversations._saved
        for key in [k for k in saved if k[0] == org_id and k[1].endswith(f":{user}")]:
            del saved[key]
        return self.erased

    async def organisation(self, org_id: int) -> dict[str, Any]:
        return {"organisation": {"name": "Acme"}, "scans": [], "tasks": [], "figures": []}


@dataclass
class RecordingAuditLog:
    recorded: list[AuditEntry] = field(default_factory=list)

    async def record(
        self,
        org_id: int,
        actor: str | None,
        action: str,
        detail: Mapping[str, str | int],
        *,
        now: datetime,
    ) -> None:
        self.recorded.append(AuditEntry(now, actor, action, dict(detail)))

    async def entries(self, org_id: int, *, limit: int = 200) -> list[AuditEntry]:
        return self.recorded[-limit:]


@dataclass
class ListedTasks:
    tasks: list[Task] = field(default_factory=list)

    async def active(self, org_id: int, *, owner: str | None = None) -> list[Task]:
        return self.tasks


@dataclass
class Rig:
    world: World
    rights: RecordingDataRights
    audit: RecordingAuditLog
    advisor: Advisor

    async def say(self, user: str, line: str, language: Language = Language.EN) -> Reply:
        return await self.advisor.handle(
            self.world.key(user), TextReceived(line), language=language
        )

    async def state(self, user: str) -> DialogState | None:
        loaded = await self.world.conversations.load(
            self.world.org_id, self.world.key(user).storage_key
        )
        return None if loaded is None else DialogState.from_json(loaded[0])

    async def make_manager(self, user: str) -> None:
        org = await self.world.organisations.get(self.world.org_id)
        assert org is not None
        settings = replace(org.settings, manager=self.world.key(user).respondent)
        await self.world.organisations.update_settings(org.id, settings)


def _csv(document: Mapping[str, Any]) -> dict[str, bytes]:
    return {"results.csv": b"dimension\n", "tasks.csv": b"id\n"}


def _ics(tasks: list[Task], *, now: datetime, language: Language) -> bytes:
    return f"BEGIN:VCALENDAR {len(tasks)} {language}".encode()


@pytest.fixture
def rig(world: World) -> Rig:
    rights = RecordingDataRights(world)
    audit = RecordingAuditLog()
    handler = Rights(
        rights=rights,
        audit=audit,
        organisations=world.organisations,
        tasks=ListedTasks(),
        clock=world.clock,
        keeping=Keeping(retention_months=18, uninstall_grace_days=30),
        formats=Formats(csv=_csv, calendar=_ics),
    )
    advisor = Advisor(
        organisations=world.organisations,
        scans=world.scans,
        conversations=world.conversations,
        clock=world.clock,
        knowledge=shipped_knowledge(),
        rights=handler,
    )
    return Rig(world, rights, audit, advisor)


def _text(reply: Reply) -> str:
    return " ".join(b.text for b in reply if isinstance(b, Paragraph | Heading)) + " ".join(
        item for b in reply if isinstance(b, Bullets) for item in b.items
    )


def _files(reply: Reply) -> dict[str, File]:
    return {b.name: b for b in reply if isinstance(b, File)}


@pytest.mark.parametrize(
    ("line", "command", "argument"),
    [
        ("my data", Command.MY_DATA, ""),
        ("Mijn gegevens", Command.MY_DATA, ""),
        ("export my data", Command.MY_DATA, ""),
        ("forget me", Command.FORGET, ""),
        ("Vergeet mij!", Command.FORGET, ""),
        ("delete me", Command.FORGET, ""),
        ("delete my data", Command.FORGET, ""),
        ("verwijder mij", Command.FORGET, ""),
        ("forget me, hand over to @ann", Command.FORGET, "hand over to @ann"),
        ("privacy", Command.PRIVACY, ""),
        ("export", Command.EXPORT, ""),
        ("exporteren", Command.EXPORT, ""),
        ("audit", Command.AUDIT, ""),
        ("logboek", Command.AUDIT, ""),
    ],
)
def test_the_data_rights_words_are_commands(line: str, command: Command, argument: str) -> None:
    assert parse(line) == CommandInvoked(command, argument)


@pytest.mark.parametrize("line", ["my data is wrong, why?", "privacy of my answers?", "forget it"])
def test_a_sentence_that_merely_starts_like_one_stays_a_question(line: str) -> None:
    assert parse(line) is None


@pytest.mark.parametrize(
    ("line", "language", "said"),
    [
        ("my data", Language.EN, "everything the advisor keeps"),
        ("mijn gegevens", Language.NL, "alles wat de advisor"),
    ],
)
async def test_my_data_is_a_json_file_of_the_persons_answers(
    rig: Rig, line: str, language: Language, said: str
) -> None:
    await take_scan(rig.advisor, rig.world.key("ann"), language=language)
    reply = await rig.say("ann", line, language)
    document = json.loads(_files(reply)["my-data.json"].content)
    assert document["respondent"] == "test:ann"
    assert len(document["answers"]["1"]) == len(shipped_knowledge().bank.questions)
    assert said in _text(reply)


async def test_forget_me_asks_first_and_erases_nothing_until_confirmed(rig: Rig) -> None:
    await take_scan(rig.advisor, rig.world.key("ann"))
    reply = await rig.say("ann", "forget me")
    assert rig.rights.forgotten == []
    assert "Are you sure?" in _text(reply)
    buttons = next(b for b in reply if isinstance(b, Actions)).buttons
    assert [b.event for b in buttons] == [CommandInvoked(Command.ERASE)]
    assert buttons[0].typed == "yes, forget me"
    state = await rig.state("ann")
    assert state is not None
    assert state.step is Step.FORGETTING


@pytest.mark.parametrize("line", ["no", "yes", "forget me", "yes please", "nee"])
async def test_anything_but_the_confirmation_cancels_and_changes_nothing(
    rig: Rig, line: str
) -> None:
    await take_scan(rig.advisor, rig.world.key("ann"))
    await rig.say("ann", "forget me")
    reply = await rig.say("ann", line)
    assert rig.rights.forgotten == []
    assert rig.audit.recorded == []
    assert "Cancelled: nothing was erased." in _text(reply)
    state = await rig.state("ann")
    assert state is not None
    assert state.step is Step.IDLE


async def test_another_command_while_confirming_cancels_it(rig: Rig) -> None:
    await rig.say("ann", "forget me")
    reply = await rig.advisor.handle(rig.world.key("ann"), CommandInvoked(Command.RESULTS))
    assert rig.rights.forgotten == []
    assert "Cancelled" in _text(reply)


@pytest.mark.parametrize(
    ("ask", "confirm", "language", "said"),
    [
        ("forget me", "Yes, forget me", Language.EN, "I have forgotten you"),
        ("vergeet mij", "ja, vergeet mij", Language.NL, "ik ben je vergeten"),
    ],
)
async def test_the_confirmation_erases_the_person_and_the_conversation_starts_afresh(
    rig: Rig, ask: str, confirm: str, language: Language, said: str
) -> None:
    await take_scan(rig.advisor, rig.world.key("ann"), language=language)
    await rig.say("ann", ask, language)
    reply = await rig.say("ann", confirm, language)
    assert rig.rights.forgotten == [("test:ann", None)]
    assert said in _text(reply)
    assert "16" in _text(reply)
    assert await rig.state("ann") is None, "the turn saved state naming the person again"
    [entry] = rig.audit.recorded
    assert (entry.actor, entry.action) == (None, "erasure")
    assert all(isinstance(value, int) for value in entry.detail.values())
    assert "ann" not in repr(entry)


async def test_the_button_confirms_and_a_stale_one_erases_nothing(rig: Rig) -> None:
    key = rig.world.key("ann")
    stale = await rig.advisor.handle(key, CommandInvoked(Command.ERASE), language=Language.EN)
    assert rig.rights.forgotten == []
    assert "nothing to confirm" in _text(stale)
    await rig.say("ann", "forget me")
    await rig.advisor.handle(key, CommandInvoked(Command.ERASE))
    assert rig.rights.forgotten == [("test:ann", None)]


async def test_a_project_manager_names_who_takes_over(rig: Rig) -> None:
    await rig.make_manager("pm")
    rig.rights.erased = replace(
        rig.rights.erased, tasks=(3, 4), heir="test:ann", manager_cleared=True, manager="test:ann"
    )
    asked = await rig.say("pm", "forget me, hand over to @ann")
    assert "The project manager's role goes to <@person:test:ann>." in _text(asked)
    reply = await rig.say("pm", "yes, forget me")
    assert rig.rights.forgotten == [("test:pm", "test:ann")]
    assert "Your tasks now belong to <@person:test:ann>: 2 tasks." in _text(reply)
    assert "The project manager's role goes to <@person:test:ann>." in _text(reply)


async def test_a_project_manager_may_name_the_successor_in_the_confirmation(rig: Rig) -> None:
    await rig.make_manager("pm")
    asked = await rig.say("pm", "vergeet mij", Language.NL)
    assert "Je bent de projectmanager" in _text(asked)
    await rig.say("pm", "ja, vergeet mij, draag over aan @bob", Language.NL)
    assert rig.rights.forgotten == [("test:pm", "test:bob")]


async def test_a_project_manager_without_successor_leaves_the_organisation_without_one(
    rig: Rig,
) -> None:
    await rig.make_manager("pm")
    rig.rights.erased = replace(rig.rights.erased, manager_cleared=True, tasks=(1,))
    await rig.say("pm", "forget me")
    reply = await rig.say("pm", "yes, forget me")
    assert rig.rights.forgotten == [("test:pm", None)]
    assert "The organisation has no project manager now" in _text(reply)
    assert "Your tasks were stopped" in _text(reply)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            Language.EN,
            ["at least 5 people", "more than 18 months ago", "after 30 days", "'forget me'"],
        ),
        (
            Language.NL,
            ["minstens 5 mensen", "langer dan 18 maanden", "na 30 dagen", "'vergeet mij'"],
        ),
    ],
)
async def test_privacy_says_what_is_kept_who_sees_it_and_for_how_long(
    rig: Rig, language: Language, said: list[str]
) -> None:
    shown = _text(await rig.say("ann", "privacy", language))
    for part in said:
        assert part in shown


@pytest.mark.parametrize("line", ["export", "audit", "logboek"])
async def test_someone_else_is_told_who_can_export_or_read_the_log(rig: Rig, line: str) -> None:
    await rig.make_manager("pm")
    reply = await rig.say("ann", line)
    assert People(("test:pm",)) in reply
    assert _files(reply) == {}
    assert rig.audit.recorded == []


async def test_without_a_project_manager_nobody_exports(rig: Rig) -> None:
    reply = await rig.say("ann", "exporteren", Language.NL)
    assert "heeft de organisatie nog niet" in _text(reply)


async def test_the_project_manager_exports_json_csv_and_calendar_files(rig: Rig) -> None:
    await rig.make_manager("pm")
    reply = await rig.say("pm", "export")
    files = _files(reply)
    assert set(files) == {"organisation.json", "results.csv", "tasks.csv", "tasks.ics"}
    assert json.loads(files["organisation.json"].content)["organisation"]["name"] == "Acme"
    [entry] = rig.audit.recorded
    assert (entry.actor, entry.action) == ("test:pm", "export")


@pytest.mark.parametrize(
    ("language", "title"), [(Language.EN, "Audit log"), (Language.NL, "Logboek")]
)
async def test_the_audit_log_lists_time_actor_action_and_detail(
    rig: Rig, language: Language, title: str
) -> None:
    await rig.make_manager("pm")
    await rig.say("pm", "export")
    await rig.say("ann", "forget me")
    await rig.say("ann", "yes, forget me")
    await rig.say("pm", f"language {language}")
    reply = await rig.say("pm", "audit")
    assert Heading(title) in reply
    lines = next(b for b in reply if isinstance(b, Bullets)).items
    assert lines[0].startswith("2025-01-06 10:00 · <@person:test:pm> · export · files=4")
    by_advisor = "the advisor" if language is Language.EN else "de advisor"
    assert lines[1].startswith(f"2025-01-06 10:00 · {by_advisor} · erasure · answers_deleted=16")


async def test_help_lists_the_data_rights(rig: Rig) -> None:
    shown = _text(await rig.say("ann", "help"))
    assert "my data" in shown
    assert "forget me" in shown
    assert "privacy" in shown


async def test_without_rights_the_commands_say_they_are_not_available(world: World) -> None:
    reply = await world.advisor().handle(
        world.key("ann"), TextReceived("delete me"), language=Language.EN
    )
    assert "not available here" in _text(reply)
