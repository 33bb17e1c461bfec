"""The terminal chat loop: works at a terminal and with answers piped on standard input.

Ctrl-C or Ctrl-D at the prompt leaves at once with a goodbye; every answer is saved as it is
given, so leaving loses nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
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
LineReader = Callable[[], str] | Callable[[], Awaitable[str]]
"""The next line typed, "" at the end of the input: read at once, or awaited."""
FILES = Path("advisor-files")
"""Where the chat saves the files it is sent (your data, an export), below the current folder."""


async def chat(
    advisor: Advisor,
    org_id: int,
    user: str,
    *,
    language: Language | None,
    read_line: LineReader,
    out: TextIO,
    files: Path = FILES,
) -> None:
    """Converse until the person leaves (an exit word, Ctrl-C) or the input ends (Ctrl-D); every
    answer is saved as it is given, and every file the advisor sends is written to `files`."""
    key = ConversationKey(channel=CHANNEL, org_id=org_id, conversation=user, user=user)
    reply = await advisor.handle(key, ConversationStarted(), language=language)
    prompt = _show(reply, await advisor.language_of(key, default=language), out)
    while True:
        try:
            line = await _next_line(read_line, out)
        except KeyboardInterrupt:
            break
        if line == "" or line.strip().lower() in EXIT_WORDS:
            break
        reply = await advisor.handle(key, to_event(line.rstrip("\n"), prompt))
        spoken = await advisor.language_of(key, default=language)
        prompt = _show(reply, spoken, out)
        _save(reply, files, spoken, out)
    spoken = await advisor.language_of(key, default=language)
    out.write("\n" + GOODBYE(spoken) + "\n")


async def _next_line(read_line: LineReader, out: TextIO) -> str:
    """The prompt, then the line typed at it; Ctrl-C once the prompt shows raises
    KeyboardInterrupt at once.

    A line from the terminal is read on the event loop's own thread, which has nothing else to
    do while the person types. On another thread a pending read cannot be stopped, and Python
    waits for it (for Enter) before it exits; and asyncio's own Ctrl-C only cancels the chat
    once the read returns. So from the prompt on, Ctrl-C raises as a Python program's does by
    default. A reader that awaits its line (a test's script) is awaited after that.
    """
    with ctrl_c_raises():
        out.write("> ")
        out.flush()
        line = read_line()
    return line if isinstance(line, str) else await line


@contextmanager
def ctrl_c_raises() -> Iterator[None]:
    """Within: Ctrl-C raises KeyboardInterrupt where the program is, as Python's default; for
    a wait on the terminal that asyncio's Ctrl-C (a cancel, seen only once the wait is over)
    could not end."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only: nothing to set up
        return
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if before is not None:
            signal.signal(signal.SIGINT, before)


def _show(reply: Reply, language: Language, out: TextIO) -> ChoicePrompt | None:
    """Print a reply in the conversation's `language` (colleagues from other chats are named
    in it); the prompt it ends with is the one numbers answer next."""
    out.write(render(reply, language=language))
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
