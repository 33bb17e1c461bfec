"""Task numbers that are no task of the organisation's: every task command says so, on real
storage, and changes nothing (before, a number past SQLite's integers raised OverflowError)."""

from __future__ import annotations

import pytest

from dialogs.events import Command, ConversationKey, TaskAction
from dialogs.messages import Reply
from dialogs.records import NewTask
from engine.tasks import Outcome
from engine.text import text
from engine.vocabulary import Language, TaskKind
from tests.nudges.conftest import AMSTERDAM, ANN, Activation, wall

WEEKLY = "FREQ=WEEKLY;BYDAY=TU"
NOT_TASKS = [
    "999999999999999999999",
    str(2**31),
    str(2**63),
    "9" * 5000,
    "0",
    "-1",
    "+424242",
]


def _key(activation: Activation, user: str) -> ConversationKey:
    return ConversationKey("console", activation.org.id, user, user)


async def _commands(activation: Activation, typed: str, language: Language) -> list[Reply]:
    """What the project manager gets for every task command with `typed` as the number."""
    desk, manager = activation.desk(), _key(activation, "pm")
    return [
        await desk.mark(manager, typed, Outcome.DONE, language),
        await desk.mark(manager, f"{typed} no time this week", Outcome.SKIPPED, language),
        await desk.snooze(manager, typed, language),
        await desk.reassign(manager, f"{typed} bob", language),
    ]


async def _unchanged(activation: Activation) -> tuple[object, ...]:
    org_id = activation.org.id
    tasks = await activation.tasks.active(org_id)
    marks = await activation.tasks.marks(org_id, [task.id for task in tasks])
    return tuple(tasks), dict(marks), tuple(await activation.outbox.pending(org_id))


@pytest.mark.parametrize("typed", NOT_TASKS)
async def test_a_number_that_is_no_task_says_so_for_every_task_command(
    activation: Activation, typed: str
) -> None:
    await activation.adopt(ANN, WEEKLY, wall(2026, 11, 23, 10, 0), AMSTERDAM)
    await activation.planner().plan_all()
    before = await _unchanged(activation)

    english = await _commands(activation, typed, Language.EN)
    dutch = await _commands(activation, f"#{typed}", Language.NL)

    shown = typed[:24]
    assert all(f"There is no task #{shown}" in repr(reply) for reply in english), english
    assert all(f"Taak #{shown}" in repr(reply) for reply in dutch), dutch
    assert all("bestaat niet" in repr(reply) for reply in dutch), dutch
    assert await _unchanged(activation) == before


@pytest.mark.parametrize("task_id", [10**21, 2**31, 0])
async def test_a_button_for_a_task_that_is_not_there_says_so_and_changes_nothing(
    activation: Activation, task_id: int
) -> None:
    await activation.adopt(ANN, WEEKLY, wall(2026, 11, 23, 10, 0), AMSTERDAM)
    before = await _unchanged(activation)
    desk, ann = activation.desk(), _key(activation, "ann")
    for command in (Command.DONE, Command.SNOOZE):
        reply = await desk.act(ann, TaskAction(command, task_id), Language.EN)
        assert f"There is no task #{task_id}" in repr(reply)
    assert await _unchanged(activation) == before


async def test_another_organisation_s_task_is_no_task_here(activation: Activation) -> None:
    other = await activation.organisations.ensure("console:other", "Other")
    post = NewTask(
        "post_calendar",
        TaskKind.POST,
        text("Posten", "Post"),
        "console:them",
        WEEKLY,
        wall(2026, 11, 24, 10, 0),
        AMSTERDAM,
    )
    (theirs,) = await activation.tasks.adopt(
        other.id, [post], by="console:them", now=activation.clock.now()
    )
    replies = await _commands(activation, str(theirs.id), Language.EN)
    assert all(f"There is no task #{theirs.id}" in repr(reply) for reply in replies), replies
    assert await activation.tasks.marks(other.id, [theirs.id]) == {}
    assert (await activation.tasks.active(other.id)) == [theirs]
