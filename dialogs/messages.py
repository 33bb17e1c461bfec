"""The neutral reply tree that every channel renders in its own way."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from dialogs.events import ButtonEvent

MENTION = re.compile(r"<@person:([^<>\s]+)>")
"""A person named inside running text: each channel turns it into a name, never a raw id."""


def mention(respondent: str) -> str:
    """The token for a respondent (``slack:U0MGR``, ``teams:29:1abc``, ``terminal:anne``) inside
    a text; the channel that renders the reply puts the person's name in its place."""
    return f"<@person:{respondent}>"


def named(text: str, name: Callable[[str], str]) -> str:
    """The text with every mention replaced by ``name(respondent)``: how a channel resolves them."""
    return MENTION.sub(lambda match: name(match.group(1)), text)


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class People:
    """Respondents (``channel:user``), shown the channel's way: a Slack mention, a name."""

    respondents: tuple[str, ...]


@dataclass(frozen=True)
class Places:
    """Where messages go (a channel's address), shown the channel's way: a Slack link, a name."""

    addresses: tuple[str, ...]


@dataclass(frozen=True)
class Facts:
    """Label and value pairs."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Progress:
    current: int
    total: int
    label: str


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    detail: str = ""


@dataclass(frozen=True)
class ChoicePrompt:
    """A question with options; `selected` marks an earlier answer when someone goes back."""

    prompt_id: str
    text: str
    choices: tuple[Choice, ...]
    multiple: bool = False
    selected: tuple[str, ...] = ()
    hint: str = ""
    back_label: str = ""
    pause_label: str = ""
    submit_label: str = ""
    """Labels for the navigation a channel may show as buttons, in the prompt's language."""


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    note: str = ""
    figure: str = ""
    """The value as the reader writes it ("2,5" in Dutch); empty: one decimal, as in Python."""

    @property
    def written(self) -> str:
        return self.figure or f"{self.value:.1f}"


@dataclass(frozen=True)
class Chart:
    """A bar chart on the phase scale (1 to 5): a channel draws it or prints it as text."""

    title: str
    bars: tuple[Bar, ...]
    maximum: float = 5.0


@dataclass(frozen=True)
class File:
    """A document sent along (the management report): a channel uploads it or names it."""

    name: str
    title: str
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class Button:
    """One click that does what `typed` does: a button in chat, the words in a terminal."""

    label: str
    event: ButtonEvent
    typed: str


@dataclass(frozen=True)
class Actions:
    """One-click actions under a message, such as a nudge's done and snooze."""

    buttons: tuple[Button, ...]


Block = (
    Heading
    | Paragraph
    | Bullets
    | People
    | Places
    | Facts
    | Progress
    | ChoicePrompt
    | Chart
    | File
    | Actions
)
Reply = tuple[Block, ...]


def resolved(reply: Reply, name: Callable[[str], str]) -> Reply:
    """The reply with every mention in its texts written as ``name(respondent)``: what a channel
    that cannot show a mention of its own renders. `People` and `Places` are left to the
    channel, which names them its own way."""
    return tuple(_resolved(block, lambda text: named(text, name)) for block in reply)


def _resolved(block: Block, said: Callable[[str], str]) -> Block:
    match block:
        case Heading(text=text) | Paragraph(text=text):
            return replace(block, text=said(text))
        case Bullets(items=items):
            return Bullets(tuple(said(item) for item in items))
        case Facts(rows=rows):
            return Facts(tuple((said(label), said(value)) for label, value in rows))
        case Progress(label=label):
            return replace(block, label=said(label))
        case ChoicePrompt():
            choices = tuple(
                replace(choice, label=said(choice.label), detail=said(choice.detail))
                for choice in block.choices
            )
            return replace(
                block,
                text=said(block.text),
                hint=said(block.hint),
                choices=choices,
                back_label=said(block.back_label),
                pause_label=said(block.pause_label),
                submit_label=said(block.submit_label),
            )
        case Chart(title=title, bars=bars):
            shown = tuple(replace(bar, label=said(bar.label), note=said(bar.note)) for bar in bars)
            return replace(block, title=said(title), bars=shown)
        case File(title=title):
            return replace(block, title=said(title))
        case Actions(buttons=buttons):
            return Actions(tuple(replace(button, label=said(button.label)) for button in buttons))
        case People() | Places():
            return block


def mentioned(reply: Reply) -> tuple[str, ...]:
    """The distinct respondents mentioned anywhere in the reply's texts, in first-seen order: what
    a channel looks up (names, display names) before it renders."""
    found = (match.group(1) for t in _texts(reply) for match in MENTION.finditer(t))
    return tuple(dict.fromkeys(found))


def _texts(reply: Reply) -> Iterator[str]:
    """Every text a person could read in the reply."""
    for block in reply:
        match block:
            case Heading(text=text) | Paragraph(text=text):
                yield text
            case Bullets(items=items):
                yield from items
            case Facts(rows=rows):
                for label, value in rows:
                    yield label
                    yield value
            case Progress(label=label):
                yield label
            case ChoicePrompt():
                yield block.text
                for choice in block.choices:
                    yield choice.label
                    yield choice.detail
                yield from (block.hint, block.back_label, block.pause_label, block.submit_label)
            case Chart(title=title, bars=bars):
                yield title
                for bar in bars:
                    yield bar.label
                    yield bar.note
            case File(title=title):
                yield title
            case Actions(buttons=buttons):
                yield from (button.label for button in buttons)
            case People() | Places():
                pass


def headline(reply: Reply) -> str:
    """What a notification shows: the first heading, paragraph or question, else the first text
    of any block, on one line; "" for a reply without text."""
    leading = (
        b.text
        for b in reply
        if isinstance(b, Heading | Paragraph | ChoicePrompt) and b.text.strip()
    )
    anything = (text for b in reply if (text := _plain(b).strip()))
    return " ".join((next(leading, None) or next(anything, None) or "").split())


def _plain(block: Block) -> str:
    match block:
        case Heading(text=text) | Paragraph(text=text) | ChoicePrompt(text=text):
            return text
        case Bullets(items=items):
            return items[0] if items else ""
        case Facts(rows=rows):
            return " ".join(rows[0]) if rows else ""
        case People(respondents=respondents):
            return " ".join(mention(r) for r in respondents)
        case Places(addresses=addresses):
            return " ".join(addresses)
        case File(title=title) | Progress(label=title) | Chart(title=title):
            return title
        case Actions(buttons=buttons):
            return " ".join(button.label for button in buttons)
