"""Neutral replies as numbered plain text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from functools import partial

from dialogs import phrases
from dialogs.messages import (
    Actions,
    Block,
    Bullets,
    Chart,
    ChoicePrompt,
    Facts,
    File,
    Heading,
    Paragraph,
    People,
    Places,
    Progress,
    Reply,
    resolved,
)
from engine.vocabulary import Language

WIDTH = 78
BAR_WIDTH = 20
CHANNEL = "console"
"""The terminal's respondents are ``console:NAME``, NAME being what the person is called."""

Name = Callable[[str], str]


def render(reply: Reply, *, language: Language = Language.EN) -> str:
    """The reply as text, blocks separated by blank lines; people named in it by their names
    (a colleague from another chat by a neutral word in `language`, never by a chat id)."""
    name = partial(person, language=language)
    return "\n\n".join(_block(block, name) for block in resolved(reply, name)) + "\n"


def person(respondent: str, *, language: Language) -> str:
    """A terminal respondent's name; anyone else (a Slack or Teams id) as "a colleague"."""
    channel, _, user = respondent.partition(":")
    return user if channel == CHANNEL and user else phrases.COLLEAGUE(language)


def _block(block: Block, name: Name) -> str:
    """One block as text, the people in its texts already named (`resolved`)."""
    match block:
        case Heading(text=text):
            return f"== {text} =="
        case Paragraph(text=text):
            return textwrap.fill(text, WIDTH)
        case Bullets(items=items):
            return "\n".join(
                textwrap.fill(item, WIDTH, initial_indent="- ", subsequent_indent="  ")
                for item in items
            )
        case People(respondents=respondents):
            return ", ".join(name(respondent) for respondent in respondents)
        case Places(addresses=addresses):
            return ", ".join(addresses)
        case Facts(rows=rows):
            width = max((len(name) for name, _ in rows), default=0)
            return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)
        case Progress(current=current, total=total, label=label):
            done = round(BAR_WIDTH * current / total)
            return f"{label}  [{'#' * done}{'.' * (BAR_WIDTH - done)}]"
        case ChoicePrompt():
            return _prompt(block)
        case Chart():
            return _chart(block)
        case File(title=title, name=file_name):
            return f"[{title}: {file_name}]"
        case Actions(buttons=buttons):
            return "  ".join(f"[{button.typed}]" for button in buttons)


def _prompt(prompt: ChoicePrompt) -> str:
    lines = [textwrap.fill(prompt.text, WIDTH)]
    for number, choice in enumerate(prompt.choices, start=1):
        mark = "*" if choice.id in prompt.selected else " "
        text = choice.detail or choice.label
        lines.append(
            textwrap.fill(
                text, WIDTH, initial_indent=f"{mark} {number:>2}. ", subsequent_indent="      "
            )
        )
    if prompt.hint:
        lines.append(f"({prompt.hint})")
    return "\n".join(lines)


def _chart(chart: Chart) -> str:
    width = max((len(bar.label) for bar in chart.bars), default=0)
    lines = [chart.title]
    for bar in chart.bars:
        filled = round(BAR_WIDTH * bar.value / chart.maximum)
        value = bar.written
        lines.append(
            f"{bar.label.ljust(width)}  {'█' * filled}{'·' * (BAR_WIDTH - filled)}  "
            f"{value}  {bar.note}".rstrip()
        )
    return "\n".join(lines)
