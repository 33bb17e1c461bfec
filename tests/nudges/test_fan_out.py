"""One organisation's chat making the advisor wait holds up that organisation's nudges only."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

from dialogs.messages import Reply
from dialogs.nudging import Dispatcher
from dialogs.records import NewTask, Nudge
from engine.respect import Respect
from engine.text import text
from engine.vocabulary import TaskKind
from tests.nudges.conftest import AMSTERDAM, ANN, Activation, wall

OTHER = "console:otto"


class OneWorkspaceWaits:
    """`Delivery` whose first organisation waits, as a chat answering 429 with a long
    Retry-After makes its sender wait, until another organisation's nudge has gone out."""

    def __init__(self, waiting_org: int) -> None:
        self.waiting_org = waiting_org
        self.others_sent = asyncio.Event()
        self.order: list[int] = []

    async def deliver(self, nudge: Nudge, reply: Reply) -> None:
        if nudge.org_id == self.waiting_org:
            await self.others_sent.wait()
        self.order.append(nudge.org_id)
        if nudge.org_id != self.waiting_org:
            self.others_sent.set()

    async def delivered(self, nudge: Nudge) -> bool:
        return False


async def test_a_workspace_that_makes_the_sender_wait_holds_up_only_its_own_nudges(
    activation: Activation,
) -> None:
    other = await activation.organisations.ensure("console:other", "Other")
    other = await activation.organisations.update_settings(
        other.id, replace(other.settings, manager=OTHER, time_zone=AMSTERDAM, respect=Respect())
    )
    await activation.adopt(ANN, "FREQ=WEEKLY;BYDAY=MO", wall(2026, 11, 23, 10, 0), AMSTERDAM)
    new = NewTask(
        "post_calendar",
        TaskKind.POST,
        text("Post", "Post"),
        OTHER,
        "FREQ=WEEKLY;BYDAY=MO",
        wall(2026, 11, 23, 10, 0),
        AMSTERDAM,
    )
    await activation.tasks.adopt(other.id, [new], by=OTHER, now=activation.clock.now())
    activation.clock.set(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))
    await activation.planner().plan_all()
    delivery = OneWorkspaceWaits(activation.org.id)
    dispatcher = Dispatcher(
        organisations=activation.organisations,
        tasks=activation.tasks,
        people=activation.people,
        outbox=activation.outbox,
        delivery=delivery,
        clock=activation.clock,
        worker="worker-1",
    )

    # Settled one after the other, the waiting organisation's nudge would block the run for
    # good; the guard only turns that hang into a failure.
    sent = await asyncio.wait_for(dispatcher.run(), timeout=30)

    assert sent.sent == len(delivery.order)
    assert set(delivery.order) == {other.id, activation.org.id}
    assert delivery.order[0] == other.id, "the other organisation did not wait"
