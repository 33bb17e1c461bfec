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

    def advisor(self, *, with_desk: bool = True, clock: FixedClock | None = None) -> Advisor:
        """A fresh runner over the same storage, as after a restart."""
        clock = clock or FixedClock()
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
    assert "The figures for week 2025-W01 (2024-12-30 to 2025-01-05)" in _said(begun)

    await _type(advisor, office.key, "12", "4000", "200", "35", "-")
    assert await office.kpis.series(office.key.org_id) == []

    saved = await _type(office.advisor(), office.key, "-")
    assert "Saved for week 2025-W01 (2024-12-30 to 2025-01-05). Engagement rate: 5.0%" in _said(
        saved
    )
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
        "Reach (people who saw the posts): I can't read 'lots' as a number. Type digits only, "
        "for example 1,250. 2/6 Reach (people who saw the posts)?"
    )
    assert await office.kpis.series(office.key.org_id) == []


async def test_stopping_halfway_records_nothing_and_the_next_measure_goes_on_with_the_draft(
    office: Office,
) -> None:
    advisor = office.advisor()
    await advisor.handle(office.key, CommandInvoked(Command.MEASURE), language=Language.EN)
    stopped = await _type(advisor, office.key, "12", "4000", "stop")
    assert _said(stopped) == (
        "Paused; nothing is saved yet. Your 2 figures for week 2025-W01 are kept as a draft: "
        "type 'measure' to go on."
    )
    assert await office.kpis.series(office.key.org_id) == []

    restarted = office.advisor()
    resumed = await _type(restarted, office.key, "measure")
    assert _said(resumed).endswith(
        "2 figures are in already. 3/6 Engagements (comments, reactions, shares, clicks)?"
    )
    await _type(restarted, office.key, "200", "-", "-", "-")
    (entry,) = await office.kpis.series(office.key.org_id)
    assert dict(entry.values) == {Metric.POSTS: 12, Metric.REACH: 4000, Metric.ENGAGEMENTS: 200}


async def test_leaving_halfway_keeps_the_draft_for_the_next_measure(office: Office) -> None:
    """The terminal closed (or the person walked off) without 'stop'."""
    await _type(office.advisor(), office.key, "measure", "12")
    resumed = await _type(office.advisor(), office.key, "meten")
    assert "1 figure is in already. 2/6 Reach" in _said(resumed)


async def test_any_past_week_is_measured_by_naming_it(office: Office) -> None:
    advisor = office.advisor()
    begun = await _type(advisor, office.key, "meten 2024 w50")
    assert "The figures for week 2024-W50 (2024-12-09 to 2024-12-15)" in _said(begun)
    await _type(advisor, office.key, "3", "-", "-", "-", "-", "-")
    assert await office.kpis.series(office.key.org_id) == [
        KpiEntry(date(2024, 12, 9), date(2024, 12, 15), {Metric.POSTS: 3})
    ]


@pytest.mark.parametrize("line", ["measure 2025-W02", "measure 2025-W03"])
async def test_a_week_not_over_yet_is_refused_and_nothing_begins(office: Office, line: str) -> None:
    refused = await _type(office.advisor(), office.key, line)
    assert "is not over yet; figures can be logged up to week 2025-W01" in _said(refused)
    after = await _type(office.advisor(), office.key, "12")
    assert _said(after) == "You are not taking the scan. Type 'scan' to start."


async def test_measuring_a_week_with_figures_shows_them_and_replaces_them(office: Office) -> None:
    advisor = office.advisor()
    await _type(advisor, office.key, "measure 2025-W01", "12", "4000", "-", "-", "-", "-")
    again = await _type(advisor, office.key, "measure 2025-W01")
    assert (
        "Week 2025-W01 has figures already: Posts published 12; Reach (people who saw the "
        "posts) 4,000. What you type now replaces all of them."
    ) in _said(again)
    await _type(advisor, office.key, "15", "-", "-", "-", "-", "-")
    assert await office.kpis.series(office.key.org_id) == [KpiEntry(*LAST_WEEK, {Metric.POSTS: 15})]


async def test_the_week_begun_is_recorded_though_the_week_turns_over(office: Office) -> None:
    await _type(office.advisor(), office.key, "measure", "12", "-", "-", "-", "-")
    week_later = FixedClock()
    week_later.advance(days=7)
    await _type(office.advisor(clock=week_later), office.key, "-")
    (entry,) = await office.kpis.series(office.key.org_id)
    assert (entry.start, entry.end) == LAST_WEEK


async def test_engagements_above_reach_are_recorded_only_after_a_yes(office: Office) -> None:
    advisor = office.advisor()
    asked = await _type(advisor, office.key, "measure", "12", "1,000", "5,000", "-", "-", "-")
    assert _said(asked) == (
        "Engagements (5,000) are higher than reach (1,000): an engagement rate above 100%. "
        "Save anyway? yes/no"
    )
    assert await office.kpis.series(office.key.org_id) == []
    await _type(office.advisor(), office.key, "yes")
    (entry,) = await office.kpis.series(office.key.org_id)
    assert entry.values[Metric.ENGAGEMENTS] == 5000


@pytest.mark.parametrize("line", ["10²", "abc", "∞", "1e999", "NaN", "-5"])
async def test_a_value_that_is_no_count_is_refused_by_the_runner_and_nothing_recorded(
    office: Office, line: str
) -> None:
    advisor = office.advisor()
    refused = await _type(advisor, office.key, "measure", line)
    assert _said(refused).startswith("Posts published")
    assert _said(refused).endswith("1/6 Posts published?")
    assert await office.kpis.series(office.key.org_id) == []


async def test_a_dutch_decimal_comma_is_not_read_as_a_larger_count(office: Office) -> None:
    advisor = office.advisor()
    await advisor.handle(office.key, CommandInvoked(Command.MEASURE), language=Language.NL)
    refused = await advisor.handle(office.key, TextReceived("3,5"))
    assert _said(refused).startswith("Gepubliceerde berichten: 3,5 is geen heel getal.")
    await advisor.handle(office.key, TextReceived("1.234"))
    for line in ("-", "-", "-", "-", "-"):
        await advisor.handle(office.key, TextReceived(line))
    (entry,) = await office.kpis.series(office.key.org_id)
    assert dict(entry.values) == {Metric.POSTS: 1234}


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


async def test_leaving_at_the_question_about_doubtful_figures_asks_it_again_on_measure(
    office: Office,
) -> None:
    await _type(office.advisor(), office.key, "measure", "1", "10", "50", "-", "-", "-")
    again = await _type(office.advisor(), office.key, "measure")
    assert _said(again).endswith("Save anyway? yes/no")
    await _type(office.advisor(), office.key, "nee")
    assert await office.kpis.series(office.key.org_id) == []


async def test_stop_sent_as_a_command_while_measuring_keeps_the_draft(office: Office) -> None:
    """'/advisor stop' in Slack arrives as a command, not as text."""
    advisor = office.advisor()
    await _type(advisor, office.key, "measure", "12")
    stopped = await advisor.handle(office.key, CommandInvoked(Command.STOP))
    assert _said(stopped).startswith("Paused; nothing is saved yet. Your 1 figure")
