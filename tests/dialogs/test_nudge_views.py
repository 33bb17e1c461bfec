"""What nudges and the digest say, and the one-click actions they carry."""

from __future__ import annotations

from datetime import datetime

from dialogs.events import Command, CommandInvoked, TaskAction
from dialogs.messages import Actions, People, Places
from dialogs.nudge_views import DIGEST_BUTTONS, Digest, DueLine, digest, task_nudge
from engine.nudges import NudgeKind
from engine.tasks import Consistency, Task
from engine.text import text
from engine.vocabulary import Language, TaskKind

START = datetime(2026, 11, 23, 10, 0)  # noqa: DTZ001 - a wall-clock time beside its zone


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
