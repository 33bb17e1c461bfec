"""A typed line as a neutral event: numbers answer the prompt on screen, the rest is text."""

from __future__ import annotations

import re

from dialogs.events import ChoiceSelected, Event, TextReceived
from dialogs.messages import ChoicePrompt, Reply

_NUMBERS = re.compile(r"^\s*\d+(\s*[,;\s]\s*\d+)*\s*$")
NO_SUCH_CHOICE = "#none"
"""Stands in for a number that is not on the list, so the dialog can say so."""


def last_prompt(reply: Reply) -> ChoicePrompt | None:
    return next((b for b in reversed(reply) if isinstance(b, ChoicePrompt)), None)


def to_event(line: str, prompt: ChoicePrompt | None) -> Event:
    if prompt is None or not _NUMBERS.match(line):
        return TextReceived(line)
    numbers = [int(n) for n in re.findall(r"\d+", line)]
    ids = tuple(
        prompt.choices[n - 1].id if 1 <= n <= len(prompt.choices) else NO_SUCH_CHOICE
        for n in numbers
    )
    return ChoiceSelected(prompt_id=prompt.prompt_id, choice_ids=ids)
