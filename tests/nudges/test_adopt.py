"""Adopting the plan, all of it or the numbered items chosen, and more of it later."""

from __future__ import annotations

import pytest

from dialogs import views
from dialogs.events import ConversationKey
from dialogs.messages import Bullets, Paragraph, Reply
from engine.plan import Plan, make_plan
from engine.plan_catalogue import default_plan_catalogue
from engine.scoring import OrgResult, score
from engine.vocabulary import Language
from tests.builders import tiny_bank, uniform
from tests.nudges.conftest import Activation


def _plan() -> Plan:
    result = score(tiny_bank(), [uniform(2)] * 5, threshold=5)
    assert isinstance(result, OrgResult)
    return make_plan(result, default_plan_catalogue())


def _key(activation: Activation) -> ConversationKey:
    return ConversationKey("console", activation.org.id, "pm", "pm")


def _said(reply: Reply) -> str:
    return " ".join(block.text for block in reply if isinstance(block, Paragraph))


async def _adopted_keys(activation: Activation) -> list[str]:
    return sorted(task.key for task in await activation.tasks.active(activation.org.id))


def test_the_plan_numbers_its_steps_then_its_tasks_and_says_how_to_adopt_part() -> None:
    plan = _plan()
    reply = views.plan(plan, Language.EN)

    numbered = [item for block in reply if isinstance(block, Bullets) for item in block.items]
    total = len(plan.steps) + len(plan.tasks)
    assert [item.split(".", 1)[0] for item in numbered] == [str(n) for n in range(1, total + 1)]
    assert "'adopt 1,3'" in _said(reply)


async def test_adopting_some_numbers_adopts_those_and_more_can_follow_later(
    activation: Activation,
) -> None:
    plan = _plan()
    desk, key = activation.desk(), _key(activation)
    first_task = len(plan.steps) + 1

    some = await desk.adopt(key, plan, Language.EN, f"1, {first_task}")
    again = await desk.adopt(key, plan, Language.EN, "1")
    rest = await desk.adopt(key, plan, Language.EN)

    chosen = sorted([plan.steps[0].id, plan.tasks[0].template.id])
    assert "1 one-off step and 1 always-on task," in _said(some)
    assert "adopted already" in _said(again)
    assert f"{len(plan.steps) - 1} one-off steps" in _said(rest)
    everything = sorted([s.id for s in plan.steps] + [t.template.id for t in plan.tasks])
    assert await _adopted_keys(activation) == everything
    assert set(chosen) <= set(everything)


@pytest.mark.parametrize(
    ("steps", "tasks", "language", "said"),
    [
        (1, 0, Language.EN, "Plan adopted: 1 one-off step and 0 always-on tasks, with you"),
        (2, 1, Language.EN, "Plan adopted: 2 one-off steps and 1 always-on task, with you"),
        (1, 2, Language.EN, "Plan adopted: 1 one-off step and 2 always-on tasks, with you"),
        (1, 0, Language.NL, "Plan overgenomen: 1 eenmalige stap en 0 vaste taken, met jou"),
        (2, 1, Language.NL, "Plan overgenomen: 2 eenmalige stappen en 1 vaste taak, met jou"),
        (1, 2, Language.NL, "Plan overgenomen: 1 eenmalige stap en 2 vaste taken, met jou"),
    ],
)
async def test_what_was_adopted_is_counted_in_the_singular_and_the_plural(
    activation: Activation, steps: int, tasks: int, language: Language, said: str
) -> None:
    plan = _plan()
    assert len(plan.steps) >= 2
    assert len(plan.tasks) >= 2
    first_task = len(plan.steps) + 1
    chosen = [*range(1, steps + 1), *range(first_task, first_task + tasks)]

    reply = await activation.desk().adopt(
        _key(activation), plan, language, ",".join(map(str, chosen))
    )

    assert said in _said(reply)


async def test_a_range_adopts_each_number_in_it(activation: Activation) -> None:
    plan = _plan()

    await activation.desk().adopt(_key(activation), plan, Language.EN, "1-2")

    assert await _adopted_keys(activation) == sorted(step.id for step in plan.steps[:2])


@pytest.mark.parametrize("chosen", ["0", "99", "2-1", "one", "1,x", "3-"])
async def test_a_number_off_the_plan_says_which_exist_and_adopts_nothing(
    activation: Activation, chosen: str
) -> None:
    plan = _plan()

    reply = await activation.desk().adopt(_key(activation), plan, Language.EN, chosen)

    total = len(plan.steps) + len(plan.tasks)
    assert f"(1 to {total})" in _said(reply)
    assert await _adopted_keys(activation) == []
