"""People appear in running text as mention tokens, which each channel renders as a name."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

import pytest

from dialogs.desk import Desk
from dialogs.events import Command, ConversationKey, TaskAction
from dialogs.messages import (
    MENTION,
    Actions,
    Bar,
    Bullets,
    Button,
    Chart,
    Choice,
    ChoicePrompt,
    Facts,
    File,
    Heading,
    Paragraph,
    People,
    Progress,
    Reply,
    headline,
    mention,
    mentioned,
    named,
    resolved,
)
from dialogs.nudge_views import Digest, DueLine, digest, escalation
from dialogs.records import NewTask
from engine.tasks import Consistency, Task
from engine.text import text
from engine.vocabulary import Language, TaskKind
from storage.activation import SqlaKpiRepository, SqlaPeopleDirectory, SqlaTaskRepository
from storage.db import Database
from storage.outbox import SqlaOutbox
from storage.repositories import SqlaOrganisationDirectory
from tests.fakes.clock import FixedClock

ANN = "slack:U0ANN"
MGR = "slack:U0MGR"
TEAMS = "teams:29:1eXsIzmQpKOA061_p8us"
ANNE = "terminal:anne"


def test_a_mention_is_a_token_that_gives_back_its_respondent() -> None:
    for respondent in (ANN, TEAMS, ANNE):
        token = mention(respondent)

        match = MENTION.fullmatch(token)

        assert match is not None
        assert match.group(1) == respondent


def test_named_replaces_every_token_and_leaves_the_rest_of_the_text() -> None:
    text = f"#2 now belongs to {mention(ANN)}; {mention(TEAMS)} and {mention(ANN)} were asked."

    names = {ANN: "Ann", TEAMS: "Tom"}

    shown = named(text, names.__getitem__)

    assert shown == "#2 now belongs to Ann; Tom and Ann were asked."


def test_named_leaves_a_text_without_tokens_as_it_is() -> None:
    assert named("No one <@here> (U0MGR)", lambda _: "x") == "No one <@here> (U0MGR)"


def _everywhere(people: list[str]) -> Reply:
    """A reply that mentions each of the 16 people in another kind of text."""
    t = [mention(p) for p in people]
    event = TaskAction(Command.DONE, 1)
    return (
        Heading(f"{t[0]} heading"),
        Paragraph(f"{t[1]} and {t[0]}"),
        Bullets((f"task {t[2]}",)),
        Facts(((t[3], f"value {t[4]}"),)),
        Progress(1, 2, t[5]),
        ChoicePrompt(
            "q",
            f"ask {t[6]}",
            (Choice("a", t[7], f"detail {t[8]}"),),
            hint=t[9],
            back_label=t[10],
        ),
        Chart(t[11], (Bar(t[12], 1.0, t[13]),)),
        File("f.pdf", t[14], b""),
        Actions((Button(t[15], event, "done"),)),
        People(("slack:UNOTTEXT",)),
    )


PEOPLE = [f"slack:U{n:05d}" for n in range(16)]


def test_mentioned_finds_people_in_every_kind_of_text_once_in_first_seen_order() -> None:
    assert mentioned(_everywhere(PEOPLE)) == tuple(PEOPLE)


def test_resolved_names_every_mention_and_leaves_people_blocks_to_the_channel() -> None:
    reply = resolved(_everywhere(PEOPLE), lambda respondent: f"name-{respondent[-2:]}")

    assert mentioned(reply) == ()
    assert "<@person:" not in repr(reply)
    assert all(f"name-{n:02d}" in repr(reply) for n in range(16))
    assert reply[-1] == People(("slack:UNOTTEXT",))


def test_a_reply_without_mentions_mentions_no_one() -> None:
    assert mentioned((Paragraph("Hello"), People((ANN,)))) == ()


def test_the_headline_keeps_tokens_for_the_channel_to_resolve() -> None:
    assert headline((Paragraph(f"Task for {mention(MGR)}"),)) == f"Task for {mention(MGR)}"
    assert headline((People((ANN, TEAMS)),)) == f"{mention(ANN)} {mention(TEAMS)}"


# Each dialog that names a person names them by a token, never by the id

START = datetime(2026, 11, 23, 10, 0)  # noqa: DTZ001 - a wall-clock time beside its zone
_RAW = re.compile(r"\bU0ANN\b|\b29:1eXs")


def _bare(text: str) -> str:
    """The text without its tokens: what would be left of an id shown raw."""
    return MENTION.sub("", text)


def _task(number: int, owner: str) -> Task:
    title = text(f"Post {number}", f"Post {number}")
    return Task(number, "post", TaskKind.POST, title, owner, "FREQ=WEEKLY", START, "UTC")


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("owner", [ANN, TEAMS])
def test_the_digest_and_an_escalation_name_the_owner_by_a_token(
    owner: str, language: Language
) -> None:
    line = DueLine(_task(1, owner), START)
    week = Digest(
        "2026-W48", (line,), (line,), (), Consistency(4, 4, 3), Consistency(12, 12, 9), ()
    )

    for reply in (digest(week, language), escalation(_task(1, owner), 2, language)):
        assert owner in mentioned(reply)
        assert not any(_RAW.search(_bare(t)) for t in _said(reply))


@pytest.fixture
async def desk(sqlite_database: Database) -> tuple[Desk, SqlaTaskRepository, int]:
    organisations = SqlaOrganisationDirectory(sqlite_database)
    org = await organisations.ensure("slack:T0ACME", "Acme")
    await organisations.update_settings(org.id, replace(org.settings, manager=MGR))
    tasks = SqlaTaskRepository(sqlite_database)
    people = SqlaPeopleDirectory(sqlite_database)
    new = NewTask("post", TaskKind.POST, text("Post", "Post"), TEAMS, "FREQ=WEEKLY", START, "UTC")
    await tasks.adopt(org.id, [new], by=MGR, now=FixedClock().now())
    made = Desk(
        organisations=organisations,
        tasks=tasks,
        kpis=SqlaKpiRepository(sqlite_database),
        people=people,
        outbox=SqlaOutbox(sqlite_database),
        clock=FixedClock(),
    )
    return made, tasks, org.id


@pytest.mark.parametrize("language", list(Language))
async def test_the_task_list_and_a_reassignment_name_the_owner_by_a_token(
    desk: tuple[Desk, SqlaTaskRepository, int], language: Language
) -> None:
    made, tasks, org_id = desk
    manager = ConversationKey("slack", org_id, "D0MGR", "U0MGR")
    (task,) = await tasks.active(org_id)

    listed = await made.list_tasks(manager, language)
    moved = await made.reassign(manager, f"{task.id} <@U0ANN|ann>", language)

    assert mentioned(listed) == (TEAMS,)
    assert mentioned(moved) == (ANN,)
    assert not any(_RAW.search(_bare(t)) for t in (*_said(listed), *_said(moved)))


def _said(reply: Reply) -> list[str]:
    return [t for block in reply for t in _texts_of(block)]


def _texts_of(block: object) -> tuple[str, ...]:
    match block:
        case Heading(text=t) | Paragraph(text=t):
            return (t,)
        case Bullets(items=items):
            return items
        case _:
            return ()
