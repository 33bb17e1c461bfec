"""The report is a file no chat renders: people and places in it are written by the names their
own chat gives them (Slack's `users.info` and `conversations.info`, Teams' stored names), and
anyone no chat names by a neutral word, never by a chat id."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.report.render import to_html, to_pdf
from bot.slack.app import web_client
from bot.slack.names import KEPT_SECONDS, SlackNames
from dialogs.delivery import Undeliverable
from dialogs.records import NewTask, Organisation
from dialogs.report import ReportData, gather
from engine.text import text
from engine.vocabulary import Language, TaskKind
from storage.teams import SqlaTeamsConversations
from tests.bot.test_report_pdf import pdf_text
from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import TOKEN, SlackWorld
from tests.slack.test_no_raw_ids import raw_ids

ANN, GONE = "U0ANN", "U0GONE"
BRAM = "teams:29:1eXsIzmQpKOA061_p8us"
OWNERS = (f"slack:{ANN}", BRAM, f"slack:{GONE}")
NEWS, SHUT = "slack:#C0NEWS", "slack:#C0SHUT"
COLLEAGUE = {Language.NL: "een collega", Language.EN: "a colleague"}
A_CHANNEL = {Language.NL: "een kanaal", Language.EN: "a channel"}


class _Readable(HTMLParser):
    """The text of a page a person reads: its text and its images' descriptions, not its
    styles or the pictures' bytes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("style", "script")
        self.parts += [value or "" for name, value in attrs if name in ("alt", "title")]

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def readable(page: str) -> str:
    parser = _Readable()
    parser.feed(page)
    return " ".join(parser.parts)


async def _organisation(world: SlackWorld, language: Language) -> Organisation:
    """Weekly tasks owned by a person in Slack, one in Teams and one Slack no longer knows; a
    named channel and one Slack will not show refused messages, as did the person in Teams."""
    world.api.add_user(ANN, name="Ann de Vries")
    world.api.name_channel("C0NEWS", "news")
    org = await world.core.organisations.ensure(f"slack:{TEAM_ID}", "Acme")
    org = await world.core.organisations.update_settings(
        org.id, replace(org.settings, language=language)
    )
    now = world.clock.now()
    await SqlaTeamsConversations(world.core.database).remember(
        org.id, BRAM, {"conversation": {"id": "a:1"}}, name="Bram Jansen", now=now
    )
    new = [
        NewTask(
            f"post{n}",
            TaskKind.POST,
            text(f"Post {n}", f"Post {n}"),
            owner,
            "FREQ=WEEKLY",
            (now - timedelta(weeks=2)).replace(tzinfo=None),  # a wall-clock start in UTC
            "UTC",
        )
        for n, owner in enumerate(OWNERS, start=1)
    ]
    await world.core.activation.tasks.adopt(org.id, new, by=f"slack:{ANN}", now=now)
    for refused in (BRAM, NEWS, SHUT):
        await world.core.activation.people.set_unreachable(
            org.id, refused, Undeliverable.PERSON_GONE, now=now
        )
    return org


async def _report(world: SlackWorld, org: Organisation) -> ReportData:
    core = world.core
    return await gather(
        org,
        advisor=core.advisor,
        tasks=core.activation.tasks,
        kpis=core.activation.kpis,
        people=core.activation.people,
        scans=core.scans,
        launches=core.activation.launches,
        now=core.clock.now(),
        names=core.names,  # as `advisor serve` builds it: Slack's joins with its app
    )


@pytest.mark.parametrize("language", list(Language))
async def test_the_report_names_people_from_slack_and_teams_and_never_shows_an_id(
    world: SlackWorld, language: Language
) -> None:
    report = await _report(world, await _organisation(world, language))

    page, document = to_html(report), to_pdf(report)
    for name, shown in (("html", readable(page)), ("pdf", pdf_text(document))):
        assert "Ann de Vries" in shown, name
        assert "Bram Jansen" in shown, name
        assert "#news" in shown, name
        assert COLLEAGUE[language] in shown, name  # the owner Slack does not know
        assert A_CHANNEL[language] in shown, name  # the channel Slack will not show
        assert raw_ids({"text": shown}) == [], name
    for address in (*OWNERS, NEWS, SHUT):
        assert address not in page
        assert address.partition(":")[2] not in readable(page)
    assert [task.owner for task in report.tasks] == [
        "Ann de Vries",
        "Bram Jansen",
        COLLEAGUE[language],
    ]
    assert report.unreachable == ("#news", "Bram Jansen", A_CHANNEL[language])


async def test_without_a_name_book_everyone_is_a_colleague(world: SlackWorld) -> None:
    org = await _organisation(world, Language.EN)
    core = world.core

    report = await gather(
        org,
        advisor=core.advisor,
        tasks=core.activation.tasks,
        kpis=core.activation.kpis,
        people=core.activation.people,
        scans=core.scans,
        launches=core.activation.launches,
        now=core.clock.now(),
    )

    assert [task.owner for task in report.tasks] == ["a colleague"] * 3
    assert report.unreachable == ("a colleague", "2 channels")
    assert world.api.called("users.info") == []


# Slack's side: each name asked once, kept a while, and a refusal is an unknown name


class _Clock:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


def _names(world: SlackWorld, org: Organisation, clock: _Clock) -> SlackNames:
    client = web_client(world.core.settings, TOKEN)

    async def client_for(org_id: int) -> tuple[Organisation, AsyncWebClient]:
        assert org_id == org.id
        return org, client

    return SlackNames(client_for, clock=clock)


async def test_slack_is_asked_once_per_person_while_the_name_is_kept(world: SlackWorld) -> None:
    org = await _organisation(world, Language.EN)
    clock = _Clock()
    names = _names(world, org, clock)
    wanted = [f"slack:{ANN}", f"slack:{ANN}", NEWS, BRAM, "console:anne"]

    assert await names.names(org.id, wanted) == {f"slack:{ANN}": "Ann de Vries", NEWS: "#news"}
    assert await names.names(org.id, wanted) == {f"slack:{ANN}": "Ann de Vries", NEWS: "#news"}
    assert len(world.api.called("users.info")) == 1
    assert len(world.api.called("conversations.info")) == 1

    clock.seconds += KEPT_SECONDS + 1
    world.api.add_user(ANN, name="Ann Jansen")
    assert await names.names(org.id, wanted) == {f"slack:{ANN}": "Ann Jansen", NEWS: "#news"}
    assert len(world.api.called("users.info")) == 2


async def test_a_name_slack_refuses_is_unknown_and_one_log_line(
    world: SlackWorld, caplog: pytest.LogCaptureFixture
) -> None:
    org = await _organisation(world, Language.EN)
    names = _names(world, org, _Clock())
    world.api.fail_next("users.info", "missing_scope", status=200, times=2)

    with caplog.at_level(logging.INFO, logger="bot.slack.names"):
        found = await names.names(org.id, [f"slack:{ANN}", f"slack:{GONE}", NEWS])

    assert found == {NEWS: "#news"}
    (line,) = caplog.records
    assert "missing_scope" in line.getMessage()
    assert TOKEN not in line.getMessage()
    # A refusal is not kept: the next report asks again, and gets the name.
    assert await names.names(org.id, [f"slack:{ANN}"]) == {f"slack:{ANN}": "Ann de Vries"}


async def test_a_workspace_without_an_installation_names_no_one(world: SlackWorld) -> None:
    org = await _organisation(world, Language.EN)

    async def no_installation(org_id: int) -> tuple[Organisation, AsyncWebClient]:
        raise LookupError(f"organisation {org_id} has no Slack installation")

    names = SlackNames(no_installation)

    assert await names.names(org.id, [f"slack:{ANN}"]) == {}
