"""What nudges and the digest say, and the one-click actions they carry."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from dialogs.events import Command, CommandInvoked, TaskAction
from dialogs.messages import Actions, Paragraph, People, Places, Reply, mention
from dialogs.nudge_views import (
    DIGEST_BUTTONS,
    Digest,
    DueLine,
    digest,
    escalation,
    task_nudge,
)
from engine.crosscheck import PostingCheck
from engine.nudges import NudgeKind
from engine.tasks import Consistency, Task
from engine.text import text
from engine.vocabulary import Language, Phase, TaskKind

START = datetime(2026, 11, 23, 10, 0)  # noqa: DTZ001 - a wall-clock time beside its zone
OWNER = mention("slack:U1")


def _task(number: int) -> Task:
    title = text(f"Taak {number}", f"Task {number}")
    return Task(number, "post", TaskKind.POST, title, "slack:U1", "FREQ=DAILY", START, "UTC")


def _digest(open_tasks: int, unreachable: tuple[str, ...] = ()) -> Digest:
    lines = tuple(DueLine(_task(n), START) for n in range(1, open_tasks + 1))
    nothing = Consistency(4, 0, 0)
    return Digest("2026-W48", lines, (), (), nothing, nothing, unreachable)


def test_a_task_nudge_offers_done_for_its_occurrence_and_snooze() -> None:
    *_, actions = task_nudge(_task(3), START, NudgeKind.TASK_DUE, Language.NL)

    assert isinstance(actions, Actions)
    assert [(b.label, b.event, b.typed) for b in actions.buttons] == [
        ("Klaar", TaskAction(Command.DONE, 3, START), "klaar 3"),
        ("Later", TaskAction(Command.SNOOZE, 3), "later 3"),
    ]


def test_the_digest_offers_done_for_the_first_open_tasks_then_the_list_and_the_figures() -> None:
    *_, actions = digest(_digest(DIGEST_BUTTONS + 2), Language.EN)

    assert isinstance(actions, Actions)
    events = [button.event for button in actions.buttons]
    assert events == [
        *(TaskAction(Command.DONE, n, START) for n in range(1, DIGEST_BUTTONS + 1)),
        CommandInvoked(Command.TASKS),
        CommandInvoked(Command.MEASURE),
    ]


def test_the_digest_names_unreachable_people_and_channels_each_their_own_way() -> None:
    reply = digest(_digest(0, ("slack:U9", "slack:#C0NEWS")), Language.EN)

    assert People(("slack:U9",)) in reply
    assert Places(("C0NEWS",)) in reply


def _said(reply: Reply) -> str:
    return " ".join(block.text for block in reply if isinstance(block, Paragraph))


@pytest.mark.parametrize(
    ("missed", "language", "said"),
    [
        (1, Language.EN, f"Task 3 ({OWNER}) was missed once. Perhaps it needs another owner"),
        (2, Language.EN, f"Task 3 ({OWNER}) was missed 2 times in a row. Perhaps"),
        (1, Language.NL, f"Taak 3 ({OWNER}) is 1 keer niet gedaan. Misschien past"),
        (2, Language.NL, f"Taak 3 ({OWNER}) is 2 keer op rij niet gedaan. Misschien past"),
    ],
)
def test_an_escalation_counts_one_miss_and_more(missed: int, language: Language, said: str) -> None:
    assert said in _said(escalation(_task(3), missed, language))


@pytest.mark.parametrize(
    ("counted", "language", "said"),
    [
        (1, Language.EN, "in the last 8 weeks 0 of the 1 post due went out on time."),
        (2, Language.EN, "in the last 8 weeks 0 of the 2 posts due went out on time."),
        (1, Language.NL, "berichten gingen de afgelopen 8 weken 0 van de 1 keer op tijd uit."),
        (2, Language.NL, "berichten gingen de afgelopen 8 weken 0 van de 2 keer op tijd uit."),
    ],
)
def test_the_digests_cross_check_counts_one_post_and_more(
    counted: int, language: Language, said: str
) -> None:
    check = PostingCheck(Phase.EXPERIMENTATION, Consistency(8, counted, 0))
    week = replace(_digest(0), check=check)

    assert said in _said(digest(week, language))
