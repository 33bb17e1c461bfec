"""Logging the week's figures through the turn runner: the flow's effect is recorded through the
desk once the last figure is in, and nothing before, over real storage (SQLite)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from dialogs.advisor import Advisor
from dialogs.desk import Desk
from dialogs.events import Command, CommandInvoked, ConversationKey, TextReceived
from dialogs.messages import Paragraph, Reply
from engine.kpi import KpiEntry, Metric
from engine.vocabulary import Language
from storage.activation import SqlaKpiRepository, SqlaPeopleDirectory, SqlaTaskRepository
from storage.db import Database
from storage.outbox import SqlaOutbox
from storage.repositories import (
    SqlaConversationStore,
    SqlaOrganisationDirectory,
    SqlaScanRepository,
)
from tests.dialogs.conftest import shipped_knowledge
from tests.fakes.clock import FixedClock

LAST_WEEK = (date(2024, 12, 30), date(2025, 1, 5))
"""The last full week before the fixed clock's Monday, 6 January 2025."""


@dataclass
class Office:
    database: Database
    kpis: SqlaKpiRepository
    key: ConversationKey

    def advisor(self, *, with_desk: bool = True) -> Advisor:
        """A fresh runner over the same storage, as after a restart."""
        clock = FixedClock()
        organisations = SqlaOrganisationDirectory(self.database)
        desk = Desk(
            organisations=organisations,
            tasks=SqlaTaskRepository(self.database),
            kpis=self.kpis,
            people=SqlaPeopleDirectory(self.database),
            outbox=SqlaOutbox(self.database),
            clock=clock,
        )
        return Advisor(
            organisations=organisations,
            scans=SqlaScanRepository(self.database),
            conversations=SqlaConversationStore(self.database),
            clock=clock,
            knowledge=shipped_knowledge(),
            desk=desk if with_desk else None,
        )


@pytest.fixture
async def office(sqlite_database: Database) -> Office:
    org = await SqlaOrganisationDirectory(sqlite_database).ensure("test:acme", "Acme")
    key = ConversationKey("test", org.id, "pm", "pm")
    return Office(sqlite_database, SqlaKpiRepository(sqlite_database), key)


def _said(reply: Reply) -> str:
    return " ".join(block.text for block in reply if isinstance(block, Paragraph))


async def _type(advisor: Advisor, key: ConversationKey, *lines: str) -> Reply:
    reply: Reply = ()
    for line in lines:
        reply = await advisor.handle(key, TextReceived(line), language=Language.EN)
    return reply


async def test_the_last_figure_records_the_week_and_nothing_is_recorded_before(
    office: Office,
) -> None:
    advisor = office.advisor()
    begun = await advisor.handle(office.key, CommandInvoked(Command.MEASURE), language=Language.EN)
    assert "The figures for 2024-12-30 to 2025-01-05" in _said(begun)

    await _type(advisor, office.key, "12", "4000", "200", "35", "-")
    assert await office.kpis.series(office.key.org_id) == []

    saved = await _type(office.advisor(), office.key, "-")
    assert "Saved for 2024-12-30 to 2025-01-05. Engagement rate: 5.0%" in _said(saved)
    assert await office.kpis.series(office.key.org_id) == [
        KpiEntry(
            *LAST_WEEK,
            {Metric.POSTS: 12, Metric.REACH: 4000, Metric.ENGAGEMENTS: 200, Metric.LINK_CLICKS: 35},
        )
    ]
    after = await _type(advisor, office.key, "12")
    assert _said(after) == "You are not taking the scan. Type 'scan' to start.", (
        "the figures are done with"
    )


async def test_a_refused_figure_records_nothing_and_asks_again(office: Office) -> None:
    advisor = office.advisor()
    await advisor.handle(office.key, CommandInvoked(Command.MEASURE), language=Language.EN)
    refused = await _type(advisor, office.key, "12", "lots")
    assert _said(refused) == (
        "Enter a whole number from 0 to a billion. 2/6 Reach (people who saw the posts)?"
    )
    assert await office.kpis.series(office.key.org_id) == []


async def test_stopping_halfway_records_nothing(office: Office) -> None:
    advisor = office.advisor()
    await advisor.handle(office.key, CommandInvoked(Command.MEASURE), language=Language.EN)
    stopped = await _type(advisor, office.key, "12", "4000", "stop")
    assert _said(stopped) == "Stopped; nothing was saved."
    assert await office.kpis.series(office.key.org_id) == []


async def test_a_conversation_left_measuring_by_a_runner_without_a_desk_says_so_and_ends(
    office: Office,
) -> None:
    await office.advisor().handle(office.key, CommandInvoked(Command.MEASURE), language=Language.EN)
    deskless = office.advisor(with_desk=False)
    refused = await _type(deskless, office.key, "12")
    assert "not available" in _said(refused)
    after = await _type(deskless, office.key, "12")
    assert _said(after) == "You are not taking the scan. Type 'scan' to start.", (
        "no longer measuring"
    )
