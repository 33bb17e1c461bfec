"""Files the advisor sends in the terminal chat (your data, an export) are saved, and where is
said; a folder that cannot be written is said in one line and the chat goes on."""

from __future__ import annotations

import io
import json
from pathlib import Path

from bot.app import build_app
from bot.console.chat import chat
from bot.settings import load_settings
from engine.vocabulary import Language


async def _chat(sqlite_url: str, lines: list[str], files: Path) -> str:
    app = await build_app(load_settings(database_url=sqlite_url))
    try:
        org = await app.organisations.ensure("console:acme", "Acme")
        screen = io.StringIO()
        typed = [f"{line}\n" for line in lines]
        await chat(
            app.advisor,
            org.id,
            "ann",
            language=Language.EN,
            read_line=lambda: typed.pop(0) if typed else "",
            out=screen,
            files=files,
        )
        return screen.getvalue()
    finally:
        await app.close()


async def test_my_data_is_saved_as_a_file_and_its_path_is_shown(
    sqlite_url: str, tmp_path: Path
) -> None:
    files = tmp_path / "files"
    shown = await _chat(sqlite_url, ["language en", "my data"], files)

    saved = files / "my-data.json"
    assert f"Saved: {saved}" in shown
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert "console:ann" in json.dumps(document)


async def test_a_folder_that_cannot_be_written_is_said_and_the_chat_goes_on(
    sqlite_url: str, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    shown = await _chat(sqlite_url, ["my data", "help"], blocked / "files")

    assert "Saved:" not in shown
    assert str(blocked / "files" / "my-data.json") in shown
    assert "Traceback" not in shown
    assert "Goodbye" in shown, "the chat went on to the end"
