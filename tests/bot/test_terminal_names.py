"""The terminal names people: a terminal respondent by their name, anyone else as a colleague."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from bot.console.render import render
from dialogs.events import Command, TaskAction
from dialogs.messages import (
    Actions,
    Bullets,
    Button,
    Choice,
    ChoicePrompt,
    Facts,
    Heading,
    Paragraph,
    People,
    Progress,
    mention,
)
from dialogs.nudge_views import Digest, DueLine, digest
from engine.tasks import Consistency, Task
from engine.text import text
from engine.vocabulary import Language, TaskKind

START = datetime(2026, 11, 23, 10, 0)  # noqa: DTZ001 - a wall-clock time beside its zone
COLLEAGUE = {Language.NL: "een collega", Language.EN: "a colleague"}
ANNE, SLACK, TEAMS = "console:anne", "slack:U0MGR", "teams:29:1eXsIzmQpKOA061_p8us"
_RAW = re.compile(r"U0MGR|29:1eXs|<@person:|slack:|teams:|console:")


@pytest.mark.parametrize("language", list(Language))
def test_a_terminal_person_is_shown_by_name_and_another_chats_person_as_a_colleague(
    language: Language,
) -> None:
    said = f"#2 now belongs to {mention(ANNE)}, not {mention(SLACK)} or {mention(TEAMS)}."

    shown = render((Paragraph(said),), language=language)

    colleague = COLLEAGUE[language]
    assert shown == f"#2 now belongs to anne, not {colleague} or {colleague}.\n"


@pytest.mark.parametrize("language", list(Language))
def test_no_text_on_the_terminal_shows_a_chat_id(language: Language) -> None:
    people = f"{mention(ANNE)} {mention(SLACK)} {mention(TEAMS)}"
    reply = (
        Heading(f"Tasks of {people}"),
        Paragraph(people),
        Bullets((people,)),
        Facts(((people, people),)),
        Progress(1, 2, people),
        ChoicePrompt("who", people, (Choice("a", people, people),), hint=people),
        People((ANNE, SLACK, TEAMS)),
        Actions((Button(people, TaskAction(Command.DONE, 1), "done 1"),)),
    )

    shown = render(reply, language=language)

    assert not _RAW.search(shown), shown
    assert shown.count("anne") == 10  # every text but the button, which shows what to type
    assert COLLEAGUE[language] in shown


def test_a_digest_line_on_the_terminal_names_its_owner() -> None:
    task = Task(1, "post", TaskKind.POST, text("Post", "Post"), SLACK, None, START, "UTC")
    mine = Task(2, "post", TaskKind.POST, text("Post", "Post"), ANNE, None, START, "UTC")
    lines = (DueLine(task, START), DueLine(mine, START))
    week = Digest("2026-W48", lines, (), (), Consistency(4, 4, 4), Consistency(4, 4, 4), ())

    shown = render(digest(week, Language.EN), language=Language.EN)

    assert f"- #1 Post ({START:%Y-%m-%d %H:%M}, a colleague)" in shown
    assert f"- #2 Post ({START:%Y-%m-%d %H:%M}, anne)" in shown
