"""Logging figures in the terminal chat: a value that is no count gets a message and the chat
goes on (no traceback), a Dutch decimal comma is not read as a larger count, quitting halfway
keeps a draft the next 'measure' goes on with, and figures hardly ever true wait for a yes."""

from __future__ import annotations

from tests.bot.test_cli import advisor


def _chat(database: str, language: str, *lines: str) -> str:
    session = advisor(
        "chat", "--org", "Acme", "--user", "pm", "--lang", language,
        stdin="\n".join(lines) + "\n", database=database,
    )  # fmt: skip
    assert session.returncode == 0, session.stderr
    assert "Traceback" not in session.stderr
    return " ".join(session.stdout.split())  # the terminal wraps long lines


def test_10_squared_gets_a_message_and_the_chat_goes_on(sqlite_url: str) -> None:
    said = _chat(sqlite_url, "en", "measure", "10²", "∞", "12", "help")

    assert "Posts published: I can't read '10²' as a number." in said
    assert "Posts published: I can't read '∞' as a number." in said
    assert "2/6 Reach (people who saw the posts)?" in said
    assert "Goodbye." in said


def test_a_dutch_decimal_comma_is_refused_not_read_as_35(sqlite_url: str) -> None:
    said = _chat(sqlite_url, "nl", "meten", "3,5")

    assert "Gepubliceerde berichten: 3,5 is geen heel getal." in said
    assert "1/6 Gepubliceerde berichten?" in said


def test_quitting_halfway_keeps_a_draft_the_next_chat_goes_on_with(sqlite_url: str) -> None:
    _chat(sqlite_url, "en", "measure", "12", "quit")

    said = _chat(sqlite_url, "en", "measure", "1,000", "5,000", "-", "-", "-")
    assert "1 figure is in already. 2/6 Reach" in said
    assert (
        "Engagements (5,000) are higher than reach (1,000): an engagement rate above 100%. "
        "Save anyway? yes/no"
    ) in said
    assert "Saved for week" not in said

    # The new chat began with the scan; the draft goes on after its last figure.
    saved = _chat(sqlite_url, "en", "measure", "-", "-", "-", "yes")
    assert "3 figures are in already. 4/6 Link clicks?" in saved
    assert "Save anyway? yes/no" in saved
    assert "Saved for week" in saved
