"""Nudges claimed as the time to send them ends: put back untried, sent later without first
asking the channel whether an earlier attempt got through (Slack's conversations.history,
about 50 a minute), unless one may have."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from engine.respect import Respect
from tests.nudges.conftest import AMSTERDAM, ANN, Activation, wall

ALWAYS = Respect(working_days=frozenset(range(7)), day_starts=time(0, 0), day_ends=time(23, 59, 59))
"""The nudge bench's calendar: every day, all day, but (stored to the minute) not 23:59."""
PEOPLE = [f"console:person{number:02d}" for number in range(30)]


async def test_nudges_claimed_in_the_last_minute_of_the_day_are_sent_at_midnight_unasked(
    activation: Activation,
) -> None:
    await activation.settings(manager=None, respect=ALWAYS)
    for person in PEOPLE:
        await activation.adopt(person, None, wall(2026, 12, 1, 23, 50), AMSTERDAM)
    activation.clock.set(datetime(2026, 12, 1, 22, 55, tzinfo=UTC))  # 23:55 in Amsterdam
    await activation.planner().plan_all()

    activation.clock.set(datetime(2026, 12, 1, 22, 59, 30, tzinfo=UTC))  # the day is over
    last_minute = await activation.dispatcher().dispatch()
    activation.clock.set(datetime(2026, 12, 1, 23, 0, 1, tzinfo=UTC))  # just past midnight
    midnight = await activation.dispatcher().dispatch()

    assert last_minute.postponed == len(PEOPLE), "none may arrive then: all claimed, put back"
    assert midnight.sent == 2 * len(PEOPLE), "each one's nudge and its follow-up, due now"
    assert activation.delivery.asked_after_crash == 0, "none of them had been sent"


async def test_a_nudge_put_back_after_a_crash_still_asks_whether_it_got_through(
    activation: Activation,
) -> None:
    await activation.settings(manager=None)
    await activation.adopt(ANN, None, wall(2026, 11, 23, 17, 0), AMSTERDAM)
    activation.clock.set(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))  # 17:00 in Amsterdam
    await activation.planner().plan_all()
    died = await activation.outbox.claim(
        now=activation.clock.now(), worker="dead", limit=10, lease=timedelta(minutes=5)
    )
    assert died  # it may have been sent: the worker was killed before marking it

    activation.clock.set(datetime(2026, 11, 23, 16, 30, tzinfo=UTC))  # 17:30: the day is over
    evening = await activation.dispatcher().run()
    activation.clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))  # 09:00 the next morning
    morning = await activation.dispatcher().run()

    assert evening.postponed == 1
    assert morning.sent == 2, "the nudge and its follow-up, due this morning"
    assert activation.delivery.asked_after_crash == 1, "the nudge the dead worker had"
    assert [d.kind for d in activation.delivery.to(ANN)].count(died[0].kind) == 1
