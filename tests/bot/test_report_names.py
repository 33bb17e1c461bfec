"""`advisor report` writes people by name: a terminal person by the name they go by, a Teams
person by the name Teams last told, and anyone no chat names here (a Slack person, without
Slack's app) by a neutral word; a chat id never reaches the file."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import build_app
from bot.cli import main, org_key
from bot.settings import load_settings
from dialogs.delivery import Undeliverable
from dialogs.records import NewTask
from engine.text import text
from engine.vocabulary import Language, TaskKind
from storage.teams import SqlaTeamsConversations
from tests.bot.test_report_pdf import pdf_text
from tests.slack.test_no_raw_ids import raw_ids
from tests.slack.test_report_names import COLLEAGUE, readable

BRAM = "teams:29:1eXsIzmQpKOA061_p8us"
OWNERS = ("console:pm", BRAM, "slack:U0ANN")
TEAM_CHANNEL = "teams:#19:f00d@thread.tacv2"
A_CHANNEL = {Language.NL: "een kanaal", Language.EN: "a channel"}


async def _acme(database: str, language: Language) -> None:
    """Acme's tasks, owned by the project manager at the terminal, Bram in Teams and Ann in
    Slack; Bram and a Teams channel no name was stored for refused messages."""
    app = await build_app(load_settings(database_url=database))
    try:
        org = await app.organisations.ensure(org_key("Acme"), "Acme")
        await app.organisations.update_settings(org.id, replace(org.settings, language=language))
        now = app.clock.now()
        teams = SqlaTeamsConversations(app.database)
        await teams.remember(org.id, BRAM, {"id": "a:1"}, name="Bram Jansen", now=now)
        await teams.remember(org.id, TEAM_CHANNEL, {"id": "19:f00d"}, name=None, now=now)
        new = [
            NewTask(f"post{n}", TaskKind.POST, text(f"Post {n}", f"Post {n}"), owner,
                    "FREQ=WEEKLY", now - timedelta(weeks=2), "UTC")
            for n, owner in enumerate(OWNERS, start=1)
        ]  # fmt: skip
        await app.activation.tasks.adopt(org.id, new, by="console:pm", now=now)
        for refused in (BRAM, TEAM_CHANNEL):
            await app.activation.people.set_unreachable(
                org.id, refused, Undeliverable.PERSON_GONE, now=now
            )
    finally:
        await app.close()


def _report(tmp_path: Path, form: str, capsys: pytest.CaptureFixture[str]) -> bytes:
    output = tmp_path / f"report.{form}"
    code = main(["report", "--org", "Acme", "--format", form, "--output", str(output)])
    assert code == 0, capsys.readouterr().err
    return output.read_bytes()


@pytest.mark.parametrize("language", list(Language))
def test_the_report_written_at_the_terminal_names_people_and_shows_no_chat_id(
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    language: Language,
) -> None:
    monkeypatch.setenv("ADVISOR_DATABASE_URL", sqlite_url)
    asyncio.run(_acme(sqlite_url, language))

    page = _report(tmp_path, "html", capsys).decode()
    document = _report(tmp_path, "pdf", capsys)

    for name, shown in (("html", readable(page)), ("pdf", pdf_text(document))):
        assert "Bram Jansen" in shown, name
        assert " pm " in f" {shown} ", name
        assert COLLEAGUE[language] in shown, name  # Ann: Slack is not asked from here
        assert A_CHANNEL[language] in shown, name
        assert raw_ids({"text": shown}) == [], name
    for address in (*OWNERS, TEAM_CHANNEL):
        assert address not in page
    for chat_id in ("29:1eXsIzmQpKOA061_p8us", "U0ANN", "19:f00d"):
        assert chat_id not in readable(page)
