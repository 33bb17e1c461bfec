"""The terminal chat loop: works at a terminal and with answers piped on standard input."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.console.inbound import last_prompt, to_event
from bot.console.render import render
from dialogs.advisor import Advisor
from dialogs.events import ConversationKey, ConversationStarted
from dialogs.messages import ChoicePrompt, File, Reply
from engine.text import text
from engine.vocabulary import Language

CHANNEL = "console"
GOODBYE = text(
    "Tot ziens. Alles wat je hebt beantwoord is bewaard.",
    "Goodbye. Everything you answered is saved.",
)
SAVED = text("Opgeslagen: {path}", "Saved: {path}")
EXIT_WORDS = frozenset({"exit", "quit", "doei", "klaar", "bye"})
FILES = Path("advisor-files")
"""Where the chat saves the files it is sent (your data, an export), below the current folder."""


async def chat(
    advisor: Advisor,
    org_id: int,
    user: str,
    *,
    language: Language | None,
    read_line: Callable[[], str],
    out: TextIO,
    files: Path = FILES,
) -> None:
    """Converse until the person leaves or the input ends; every answer is saved as it is given,
    and every file the advisor sends is written to `files`."""
    key = ConversationKey(channel=CHANNEL, org_id=org_id, conversation=user, user=user)
    reply = await advisor.handle(key, ConversationStarted(), language=language)
    prompt = _show(reply, out)
    while True:
        out.write("> ")
        out.flush()
        line = await asyncio.to_thread(read_line)
        if line == "" or line.strip().lower() in EXIT_WORDS:
            break
        reply = await advisor.handle(key, to_event(line.rstrip("\n"), prompt))
        prompt = _show(reply, out)
        _save(reply, files, await advisor.language_of(key, default=language), out)
    spoken = await advisor.language_of(key, default=language)
    out.write("\n" + GOODBYE(spoken) + "\n")


def _show(reply: Reply, out: TextIO) -> ChoicePrompt | None:
    """Print a reply; the prompt it ends with is the one numbers answer next."""
    out.write(render(reply))
    out.flush()
    return last_prompt(reply)


def _save(reply: Reply, folder: Path, language: Language, out: TextIO) -> None:
    """Write the reply's files into `folder` and say where; a file that cannot be written is
    said in one line, and the chat goes on."""
    for block in reply:
        if not isinstance(block, File):
            continue
        path = folder / Path(block.name).name  # a name, never a path of its own
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(block.content)
        except OSError as error:
            out.write(f"{path}: {error.strerror or error}\n")
            continue
        out.write(SAVED(language).format(path=path) + "\n")
    out.flush()
