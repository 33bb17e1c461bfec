"""One organisation's chat making the advisor wait holds up that organisation's nudges only."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from dialogs.messages import Reply
from dialogs.nudging import CLAIM_GAP, SETTLING
from dialogs.records import NewTask, Nudge
from engine.respect import Respect
from engine.text import text
from engine.vocabulary import TaskKind
from storage.outbox import PER_ORGANISATION
from tests.nudges.conftest import AMSTERDAM, ANN, Activation, wall

OTHER = "console:otto"
WORKSPACES, PEOPLE_EACH = 6, 2 * PER_ORGANISATION - 5  # two claims, so two groups each


class OneWorkspaceWaits:
    """`Delivery` whose first organisation waits, as a chat answering 429 with a long
    Retry-After makes its sender wait, until another organisation's nudge has gone out."""

    def __init__(self, waiting_org: int) -> None:
        self.waiting_org = waiting_org
        self.others_sent = asyncio.Event()
        self.order: list[int] = []

    async def prepare(self, nudges: Sequence[Nudge]) -> None:
        pass

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
    dispatcher = activation.dispatcher(delivery=delivery)

    # Settled one after the other, the waiting organisation's nudge would block the run for
    # good; the guard only turns that hang into a failure.
    sent = await asyncio.wait_for(dispatcher.run(), timeout=30)

    assert sent.sent == len(delivery.order)
    assert set(delivery.order) == {other.id, activation.org.id}
    assert delivery.order[0] == other.id, "the other organisation did not wait"


class PacedChat:
    """`Delivery` that takes `pace` seconds for each message in an organisation, one after the
    other, as Slack's pace per workspace does; counts what it was given, and notes, as each
    nudge is handed to it, how many handed over before are still unsent (in all, and the most
    of one organisation's at any moment)."""

    def __init__(self, pace: float = 0.005) -> None:
        self.pace = pace
        self.sent = Counter[int]()
        self.unsent_when_handed: list[int] = []
        self.most_unsent = Counter[int]()
        self._unsent = 0
        self._unsent_of = Counter[int]()
        self._workspaces: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def prepare(self, nudges: Sequence[Nudge]) -> None:
        pass

    async def deliver(self, nudge: Nudge, reply: Reply) -> None:
        self.unsent_when_handed.append(self._unsent)
        self._unsent += 1
        self._unsent_of[nudge.org_id] += 1
        self.most_unsent[nudge.org_id] = max(
            self.most_unsent[nudge.org_id], self._unsent_of[nudge.org_id]
        )
        try:
            async with self._workspaces[nudge.org_id]:
                await asyncio.sleep(self.pace)
        finally:
            self._unsent -= 1
            self._unsent_of[nudge.org_id] -= 1
        self.sent[nudge.id] += 1

    async def delivered(self, nudge: Nudge) -> bool:
        return False


async def test_organisations_asking_for_more_at_about_the_same_time_share_one_claim(
    activation: Activation,
) -> None:
    await _due_in_workspaces(activation, WORKSPACES, PEOPLE_EACH)
    claims: list[str] = []

    def counted(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        if "row_number() OVER" in statement:  # a claim ranks the due nudges
            claims.append(statement)

    chat = PacedChat()
    dispatcher = activation.dispatcher(delivery=chat)
    loop = asyncio.get_running_loop()
    event.listen(activation.database.engine.sync_engine, "before_cursor_execute", counted)
    try:
        started = loop.time()
        sent = await dispatcher.dispatch()
        took = loop.time() - started
    finally:
        event.remove(activation.database.engine.sync_engine, "before_cursor_execute", counted)

    assert sent.sent == WORKSPACES * PEOPLE_EACH == len(chat.sent)
    assert set(chat.sent.values()) == {1}
    groups = WORKSPACES * -(-PEOPLE_EACH // PER_ORGANISATION)
    # Each group taken in hand asks for more: one claim a group without the gap between them.
    assert len(claims) <= 2 + took / CLAIM_GAP.total_seconds() < groups


async def test_a_workspace_is_handed_a_second_of_its_nudges_at_a_time(
    activation: Activation,
) -> None:
    """Handed all at once, every workspace's whole group was composed before most workspaces'
    first nudge went out."""
    await _due_in_workspaces(activation, 3, 3 * SETTLING)
    chat = PacedChat(pace=0.01)

    sent = await activation.dispatcher(delivery=chat).dispatch()

    assert sent.sent == 3 * 3 * SETTLING == len(chat.sent)
    assert set(chat.most_unsent.values()) == {SETTLING}


async def test_an_organisations_next_group_waits_at_its_chat_before_the_last_one_is_sent(
    activation: Activation,
) -> None:
    await activation.settings(manager=None)  # the people's nudges only, no digest
    people = PER_ORGANISATION + PER_ORGANISATION // 2  # two claims, so two groups
    posts = _one_off_posts(people)
    await activation.tasks.adopt(activation.org.id, posts, by=OTHER, now=activation.clock.now())
    activation.clock.set(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))
    await activation.planner().plan_all()
    # The first group takes a second to send: the next is claimed a CLAIM_GAP in.
    chat = PacedChat(pace=1 / PER_ORGANISATION)

    sent = await activation.dispatcher(delivery=chat).dispatch()

    assert sent.sent == people == len(chat.unsent_when_handed)
    # Handed over only once the first group was sent, the second would find nothing unsent:
    # the chat would stand idle while its reads were made.
    assert 0 not in chat.unsent_when_handed[1:]


class PreparedChat:
    """`Delivery` that notes, in order, the nudges it was asked to prepare for (taking a moment
    for it, as a workspace's lookup does) and each it delivered."""

    def __init__(self) -> None:
        self.happened: list[tuple[str, frozenset[int]]] = []

    async def prepare(self, nudges: Sequence[Nudge]) -> None:
        await asyncio.sleep(0.05)
        self.happened.append(("prepared", frozenset(nudge.id for nudge in nudges)))

    async def deliver(self, nudge: Nudge, reply: Reply) -> None:
        self.happened.append(("delivered", frozenset({nudge.id})))

    async def delivered(self, nudge: Nudge) -> bool:
        return False


async def test_each_group_is_prepared_for_before_its_first_nudge_is_delivered(
    activation: Activation,
) -> None:
    await _due_in_workspaces(activation, 3, 4)
    chat = PreparedChat()

    sent = await activation.dispatcher(delivery=chat).dispatch()

    prepared: set[int] = set()
    for what, nudges in chat.happened:
        if what == "prepared":
            prepared |= nudges
        else:
            assert nudges <= prepared, "delivered before its group was prepared for"
    assert sent.sent == 3 * 4 == len(prepared)


class WorkspacesSent:
    """`Delivery` that records which organisations it sent to, a little slowly."""

    def __init__(self) -> None:
        self.sent = Counter[int]()
        self.organisations: set[int] = set()

    async def prepare(self, nudges: Sequence[Nudge]) -> None:
        pass

    async def deliver(self, nudge: Nudge, reply: Reply) -> None:
        await asyncio.sleep(0.001)
        self.sent[nudge.id] += 1
        self.organisations.add(nudge.org_id)

    async def delivered(self, nudge: Nudge) -> bool:
        return False


async def test_two_workers_dispatching_at_once_each_send_half_of_the_workspaces(
    activation: Activation,
) -> None:
    people = PER_ORGANISATION - 5  # one group each: every workspace is claimed once
    await _due_in_workspaces(activation, WORKSPACES, people)
    chats = {worker: WorkspacesSent() for worker in ("worker-1", "worker-2")}
    dispatchers = [
        activation.dispatcher(worker, delivery=chat, alive=timedelta(minutes=1))
        for worker, chat in chats.items()
    ]
    for dispatcher in dispatchers:
        await dispatcher.attend()

    sent = await asyncio.gather(*(dispatcher.dispatch() for dispatcher in dispatchers))

    first, second = (chat.organisations for chat in chats.values())
    assert len(first) == len(second) == WORKSPACES // 2
    assert not first & second
    assert sum(tally.sent for tally in sent) == WORKSPACES * people
    delivered = sum((chat.sent for chat in chats.values()), Counter[int]())
    assert len(delivered) == WORKSPACES * people
    assert set(delivered.values()) == {1}, "no nudge sent twice"


async def _due_in_workspaces(activation: Activation, workspaces: int, people: int) -> None:
    """`workspaces` organisations (the activation's the first), each with a one-off post due
    for each of `people` people, planned and due now."""
    await activation.settings(manager=None)  # the people's nudges only, no digest
    organisations = [activation.org]
    for number in range(1, workspaces):
        org = await activation.organisations.ensure(f"console:org{number}", f"Org {number}")
        organisations.append(
            await activation.organisations.update_settings(
                org.id, replace(org.settings, time_zone=AMSTERDAM, respect=Respect())
            )
        )
    for org in organisations:
        await activation.tasks.adopt(
            org.id, _one_off_posts(people), by=OTHER, now=activation.clock.now()
        )
    activation.clock.set(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))  # 10:30 in Amsterdam
    await activation.planner().plan_all()


def _one_off_posts(people: int) -> list[NewTask]:
    """A one-off post for each of `people` people, due on Monday 23 November at 10:00."""
    return [
        NewTask(
            "post_calendar",
            TaskKind.POST,
            text("Post", "Post"),
            f"console:p{n}",
            None,
            wall(2026, 11, 23, 10, 0),
            AMSTERDAM,
        )
        for n in range(people)
    ]
