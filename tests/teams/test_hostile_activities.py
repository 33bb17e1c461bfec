"""Generated hostile requests against the advisor's `/api/messages` over HTTP, with an app id: each
refused as it deserves, none answered 5xx, none leaving a traceback in the log, no refusal
changing the database or calling Teams, each activity delivered again handled once, and a
person's scan still working afterwards. Run with ``-s`` to see the categories and statuses."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from typing import Any

import pytest
from sqlalchemy import MetaData, Select, func, select

from tests.fakes.bot_connector import personal_conversation_id
from tests.teams.activities import USER, card_submit, installed_personal
from tests.teams.conftest import TeamsWorld
from tests.teams.hostile import STRATEGIES, Hostile, hostile_activities, said
from tests.teams.teams_side import answer, texts

PER_CATEGORY = 126
"""Eight categories: 1,008 generated requests, and more sends for the duplicates."""
AT_LEAST = 1000


class RowCounts:
    """How many rows every table of the advisor's database holds: what a refusal must leave."""

    def __init__(self, world: TeamsWorld) -> None:
        self._database = world.core.database
        self._count: Select[Any] | None = None

    async def read(self) -> tuple[int, ...]:
        async with self._database.connection() as connection:
            if self._count is None:
                metadata = MetaData()
                await connection.run_sync(metadata.reflect)
                self._count = select(
                    *(
                        select(func.count()).select_from(table).scalar_subquery()
                        for table in metadata.sorted_tables
                    )
                )
            return tuple((await connection.execute(self._count)).one())


async def _send(world: TeamsWorld, hostile: Hostile) -> int:
    assert world.tokens is not None
    headers = {}
    authorisation = hostile.authorisation.make(world.tokens, world.connector.service_url)
    if authorisation is not None:
        headers["Authorization"] = authorisation
    if hostile.content_type is not None:
        headers["Content-Type"] = hostile.content_type
    async with world.http.post(world.url, data=hostile.body, headers=headers) as response:
        status = response.status
    await world.bot.surface.idle()
    return status


async def test_hostile_activities_are_refused_cleanly_and_a_card_click_still_works(
    signed_world: TeamsWorld, caplog: pytest.LogCaptureFixture
) -> None:
    world = signed_world
    chat = world.connector.add_personal(USER)
    su = world.connector.service_url
    for activity in installed_personal(user=USER, service_url=su, locale="en-US"):
        assert await world.post(activity) == 200
    requests = hostile_activities(su, chat, PER_CATEGORY)
    counts = RowCounts(world)
    assert len(requests) >= AT_LEAST
    caplog.set_level(logging.INFO)

    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    wrong: list[str] = []
    for hostile in requests:
        rows, calls = await counts.read(), len(world.connector.requests)
        replies = len(world.connector.sent(chat))
        got = [await _send(world, hostile) for _ in range(hostile.sends)]
        statuses[hostile.category].update(got)
        if any(status != hostile.expected for status in got):
            wrong.append(f"{hostile.category} / {hostile.label}: {got} {hostile.body[:120]!r}")
        elif hostile.refused:
            if await counts.read() != rows:
                wrong.append(f"{hostile.category} / {hostile.label} changed the database")
            if len(world.connector.requests) != calls:
                wrong.append(f"{hostile.category} / {hostile.label} called Teams")
        elif len(world.connector.sent(chat)) != replies + 1:
            wrong.append(f"{hostile.label}: {len(world.connector.sent(chat)) - replies} replies")

    print(f"\n{len(requests)} generated requests, {sum(h.sends for h in requests)} sends:")
    for category in STRATEGIES:
        shown = ", ".join(f"{status}: {n}" for status, n in sorted(statuses[category].items()))
        print(f"  {category:<28} {shown}")
    assert wrong == []
    assert not any(status >= 500 for counted in statuses.values() for status in counted)
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info], "no traceback at any level"
    assert "eyJ" not in caplog.text, "no token in the log"

    # Afterwards the person's scan works as ever: a card, a click, the next question.
    assert await world.post(said(su, chat, "scan")) == 200
    card = world.connector.sent(chat)[-1]
    value = answer(card, 0)
    assert value is not None, texts(card)
    click = card_submit(value, reply_to_id=card["id"], conversation_id=chat, service_url=su)
    assert await world.post(click) == 200
    assert world.connector.updates[-1].activity_id == card["id"]
    assert texts(world.connector.sent(chat)[-1]) != texts(card)
    assert chat == personal_conversation_id(str(USER["id"]))
