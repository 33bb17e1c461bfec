"""The terminal chat loop: works at a terminal and with answers piped on standard input."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TextIO

from bot.console.inbound import last_prompt, to_event
from bot.console.render import render
from dialogs.advisor import Advisor
from dialogs.events import ConversationKey, ConversationStarted
from dialogs.messages import ChoicePrompt, Reply
from engine.text import text
from engine.vocabulary import Language

CHANNEL = "console"
GOODBYE = text(
    "Tot ziens. Alles wat je hebt beantwoord is bewaard.",
    "Goodbye. Everything you answered is saved.",
)
EXIT_WORDS = frozenset({"exit", "quit", "doei", "klaar", "bye"})


async def chat(
    advisor: Advisor,
    org_id: int,
    user: str,
    *,
    language: Language | None,
    read_line: Callable[[], str],
    out: TextIO,
) -> None:
    """Converse until the person leaves or the input ends; every answer is saved as it is given."""
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
    spoken = await advisor.language_of(key, default=language)
    out.write("\n" + GOODBYE(spoken) + "\n")


def _show(reply: Reply, out: TextIO) -> ChoicePrompt | None:
    """Print a reply; the prompt it ends with is the one numbers answer next."""
    out.write(render(reply))
    out.flush()
    return last_prompt(reply)
