"""Teams shows people by the names it told the app: every person a reply names or mentions is
looked up in one read, and someone it never named is "a colleague", never their id."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event

from bot.teams.delivery import TeamsDelivery, addresses_in, names_in
from bot.teams.render import to_activity
from dialogs.messages import Bullets, Paragraph, People, Places, mention
from dialogs.records import Nudge
from engine.nudges import NudgeKind
from engine.recurrence import LocalTime
from engine.vocabulary import Language
from storage.db import Database
from storage.repositories import SqlaOrganisationDirectory
from storage.teams import SqlaTeamsConversations
from tests.fakes.clock import FixedClock

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ANN, BOB, EVA = "teams:29:1ann", "teams:29:1bob", "teams:29:1eva"
NEWS = "teams:#19:news@thread.tacv2"


def test_a_reply_names_its_people_its_places_and_whoever_it_mentions() -> None:
    reply = (People((ANN,)), Places((NEWS,)), Bullets((f"#3 Post ({mention(BOB)})",)))

    assert addresses_in(reply) == {ANN, NEWS, BOB}
    assert addresses_in((Paragraph("no one"),)) == set()


async def test_names_are_read_in_one_query_and_the_nameless_are_a_colleague(
    sqlite_database: Database,
) -> None:
    org = await SqlaOrganisationDirectory(sqlite_database).ensure("teams:tenant", "Acme")
    conversations = SqlaTeamsConversations(sqlite_database)
    for address, name in ((ANN, "Ann de Vries"), (BOB, None), (NEWS, "News")):
        await conversations.remember(org.id, address, {"id": address}, name=name, now=NOW)
    reply = (
        Paragraph(f"{mention(ANN)} and {mention(BOB)} have not answered; {mention(EVA)} has."),
        Places((NEWS,)),
    )
    statements: list[Any] = []

    def counted(*arguments: Any) -> None:
        statements.append(arguments)

    event.listen(sqlite_database.engine.sync_engine, "before_cursor_execute", counted)
    try:
        names = await names_in(conversations, org.id, reply)
    finally:
        event.remove(sqlite_database.engine.sync_engine, "before_cursor_execute", counted)
    [card] = to_activity(reply, names=names, language=Language.NL)["attachments"]
    shown = [element["text"] for element in card["content"]["body"]]

    assert len(statements) == 1
    assert names == {ANN: "Ann de Vries", NEWS: "News"}
    assert shown == ["Ann de Vries and een collega have not answered; een collega has.", "News"]


async def test_a_reply_that_names_no_one_reads_nothing(sqlite_database: Database) -> None:
    conversations = SqlaTeamsConversations(sqlite_database)

    assert await names_in(conversations, 1, (Paragraph("Hello"),)) == {}


class _Sent:
    """Stands in for the connector: keeps what would have gone to Teams."""

    def __init__(self) -> None:
        self.activities: list[Any] = []

    async def send(self, reference: Any, activities: Any) -> None:
        self.activities.extend(activities)


async def test_a_nudge_names_the_nameless_in_its_organisations_language(
    sqlite_database: Database,
) -> None:
    organisations = SqlaOrganisationDirectory(sqlite_database)
    org = await organisations.ensure("teams:tenant", "Acme")
    await organisations.update_settings(org.id, replace(org.settings, language=Language.NL))
    conversations = SqlaTeamsConversations(sqlite_database)
    await conversations.remember(org.id, ANN, {"id": "a:1ann"}, name="Ann de Vries", now=NOW)
    sent = _Sent()
    delivery = TeamsDelivery(
        sent,  # type: ignore[arg-type]
        conversations,
        FixedClock(NOW),
        organisations=organisations,
    )
    moment = LocalTime(datetime(2026, 11, 23, 10, 0), "UTC")  # noqa: DTZ001 - beside its zone
    nudge = Nudge(1, org.id, ANN, NudgeKind.DIGEST, "2026-W48", moment, moment, None, "pending")

    await delivery.deliver(nudge, (Bullets((f"#3 Post ({mention(BOB)}, {mention(ANN)})",)),))

    [activity] = sent.activities
    [block] = activity["attachments"][0]["content"]["body"]
    assert block["text"] == "• #3 Post (een collega, Ann de Vries)"
