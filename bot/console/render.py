"""Neutral replies as numbered plain text."""

from __future__ import annotations

import textwrap

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
)

WIDTH = 78
BAR_WIDTH = 20


def render(reply: Reply) -> str:
    """The reply as text, blocks separated by blank lines."""
    return "\n\n".join(_block(block) for block in reply) + "\n"


def _block(block: Block) -> str:
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
            return ", ".join(r.split(":", 1)[-1] for r in respondents)
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
        case File(title=title, name=name):
            return f"[{title}: {name}]"
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
