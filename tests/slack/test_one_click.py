"""One click on a nudge or the digest: done for the occurrence it was sent for, snooze, more."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from dialogs.records import NewTask, Organisation
from engine.tasks import Task
from engine.text import text
from engine.vocabulary import Language, TaskKind
from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import SlackWorld

MONDAY_TEN = datetime(2026, 11, 23, 10, 0)  # noqa: DTZ001 - a wall-clock time in the task's zone


async def _team(world: SlackWorld) -> tuple[Organisation, Task]:
    """A manager (UPM) and an owner (UOWN) whose weekly post is due now, Monday 10:00."""
    for user in ("UPM", "UOWN"):
        world.api.add_user(user, locale="en-US")
    org = await world.core.organisations.ensure(f"slack:{TEAM_ID}", "Acme")
    org = await world.core.organisations.update_settings(
        org.id, replace(org.settings, manager="slack:UPM", language=Language.EN)
    )
    title = text("Wekelijkse post", "Weekly post")
    new = NewTask("post", TaskKind.POST, title, "slack:UOWN", "FREQ=WEEKLY", MONDAY_TEN, "UTC")
    (task,) = await world.core.activation.tasks.adopt(
        org.id, [new], by="slack:UPM", now=world.clock.now()
    )
    world.clock.set(datetime.fromisoformat("2026-11-23T10:05:00+00:00"))
    return org, task


def _button(message: dict[str, Any], label: str) -> dict[str, Any]:
    for block in message["blocks"]:
        for element in block.get("elements", ()):
            if element.get("type") == "button" and element["text"]["text"].startswith(label):
                return dict(element)
    raise AssertionError(f"no button {label!r} in {message['blocks']}")


async def _click(
    world: SlackWorld, user: str, message: dict[str, Any], button: dict[str, Any]
) -> dict[str, Any]:
    """Click, and return the advisor's answer: the next message it posts."""
    before = len(world.api.called("chat.postMessage"))
    response = await world.slack.click(user, message, button)
    assert response.status == 200
    return (await world.settled("chat.postMessage", before + 1))[-1]


async def _marked(world: SlackWorld, org: Organisation, task: Task) -> list[datetime]:
    return list((await world.core.activation.tasks.marks(org.id, [task.id])).get(task.id, {}))


async def test_done_on_a_task_nudge_marks_that_occurrence_once_however_often_it_is_clicked(
    world: SlackWorld,
) -> None:
    org, task = await _team(world)
    await world.send_due_nudges()
    nudge = world.api.latest("DUOWN")
    done = _button(nudge, "Done")

    first = await _click(world, "UOWN", nudge, done)
    second = await _click(world, "UOWN", nudge, done)

    assert await _marked(world, org, task) == [MONDAY_TEN]
    assert f"#{task.id} Weekly post" in first["text"]
    assert first["channel"] == "DUOWN"
    assert "marked already" in second["text"]
    assert world.api.called("chat.update") == []  # the nudge stays readable as it was


async def test_snooze_on_a_task_nudge_moves_its_reminders_to_the_next_working_morning(
    world: SlackWorld,
) -> None:
    await _team(world)
    await world.send_due_nudges()
    nudge = world.api.latest("DUOWN")

    reply = await _click(world, "UOWN", nudge, _button(nudge, "Snooze"))

    assert "2026-11-24 09:00" in reply["text"]


async def test_someone_else_clicking_a_forwarded_done_button_changes_nothing(
    world: SlackWorld,
) -> None:
    org, task = await _team(world)
    world.api.add_user("UOTHER", locale="en-US")
    await world.send_due_nudges()
    nudge = world.api.latest("DUOWN")

    reply = await _click(world, "UOTHER", nudge, _button(nudge, "Done"))

    assert "belongs to someone else" in reply["text"]
    assert await _marked(world, org, task) == []


async def test_a_done_button_for_a_time_the_task_is_not_due_marks_nothing(
    world: SlackWorld,
) -> None:
    org, task = await _team(world)
    await world.send_due_nudges()
    nudge = world.api.latest("DUOWN")
    forged = {**_button(nudge, "Done"), "value": f"done {task.id} 2026-11-24T03:17"}

    reply = await _click(world, "UOWN", nudge, forged)

    assert "nothing open" in reply["text"]
    assert await _marked(world, org, task) == []


async def test_the_digest_offers_done_per_open_task_the_task_list_and_the_figures_form(
    world: SlackWorld,
) -> None:
    org, task = await _team(world)
    await world.send_due_nudges()
    digest = world.api.latest("DUPM")
    assert "Your week" in digest["text"]

    done = await _click(world, "UPM", digest, _button(digest, f"Done: #{task.id}"))
    listed = await _click(world, "UPM", digest, _button(digest, "All tasks"))
    await world.slack.click("UPM", digest, _button(digest, "Log figures"))
    (opened,) = await world.settled("views.open", 1)

    assert "Weekly post" in done["text"]
    assert await _marked(world, org, task) == [MONDAY_TEN]
    assert "Weekly post" in listed["text"] or any(
        "Weekly post" in str(block) for block in listed["blocks"]
    )
    assert opened["view"]["callback_id"] == "measure"
