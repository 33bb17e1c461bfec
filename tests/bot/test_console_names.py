"""At the terminal a colleague from another chat is named by a word in the conversation's
language, never by their chat id."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from bot.app import build_app
from bot.cli import org_key
from bot.console.chat import chat
from bot.settings import load_settings
from dialogs.records import NewTask
from engine.text import text
from engine.vocabulary import Language, TaskKind

WORDS = {
    Language.NL: ("taken", "een collega", "a colleague"),
    Language.EN: ("tasks", "a colleague", "een collega"),
}


@pytest.mark.parametrize("language", list(Language))
async def test_the_task_list_names_a_slack_colleague_in_the_chats_language(
    sqlite_url: str, language: Language
) -> None:
    app = await build_app(load_settings(database_url=sqlite_url))
    try:
        org = await app.organisations.ensure(org_key("Acme"), "Acme")
        await app.organisations.update_settings(
            org.id, replace(org.settings, manager="console:pm", language=language)
        )
        now = app.clock.now()
        new = [
            NewTask(f"post{n}", TaskKind.POST, text(f"Post {n}", f"Post {n}"), owner,
                    "FREQ=WEEKLY", now, "UTC")
            for n, owner in enumerate(("slack:U0ANN", "console:pm"), start=1)
        ]  # fmt: skip
        await app.activation.tasks.adopt(org.id, new, by="console:pm", now=now)
        typed, word, other = WORDS[language]
        lines = iter([f"{typed}\n", ""])
        out = io.StringIO()

        await chat(app.advisor, org.id, "pm", language=None, read_line=lambda: next(lines), out=out)
    finally:
        await app.close()

    said = out.getvalue()
    assert f"({word})" in said, said
    assert "(pm)" in said
    assert other not in said
    assert "U0ANN" not in said
