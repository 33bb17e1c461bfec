"""The report's one-image summary: one tall PNG with the title, every section's key blocks (the
headline facts, next steps, what is due, flagged figures) and the charts.

1200 pixels wide, so Slack's preview shows it whole and the text stays legible. Text is set with
Pillow in the report's typeface and wrapped by its measured width; charts come from `charts`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from bot.report import charts, content, fonts
from bot.report.content import Block, Bullets, Document, Facts, Heading, Key, Plot
from bot.report.wrapping import wrap

DPI = 100
WIDTH = 1200
MARGIN = 50
INNER = WIDTH - 2 * MARGIN
FONT = 15.0
"""Points at `DPI`; every size below is in pixels."""
INK = "#1f2933"
MUTED = "#5f6b7a"

Draw = Callable[[Image.Image, ImageDraw.ImageDraw, int], None]
"""Draws a strip with its top at the given pixel row."""


@dataclass(frozen=True)
class Written:
    """One text as laid out: the lines it was wrapped into, and the width they were given."""

    text: str
    lines: tuple[str, ...]
    room: int
    """Pixels."""
    size: int
    bold: bool


@dataclass(frozen=True)
class Strip:
    """A horizontal slice of the image: a few lines of text, a row of facts, a chart."""

    height: int
    draw: Draw
    written: tuple[Written, ...] = ()
    """What it writes, for a reader of the layout (tests) rather than of the picture."""
    section: str | None = None
    """The section's title, on the strip that writes it."""

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(line for text in self.written for line in text.lines)


@dataclass(frozen=True)
class Box:
    """Where a section lies in the image: from its title's top down to the next section."""

    title: str
    top: int
    height: int
    """Pixels, as `top` is."""


def image(document: Document) -> bytes:
    """The summary of a report document as PNG bytes."""
    layout = strips(document)
    height = sum(strip.height for strip in layout) + 2 * MARGIN
    picture = Image.new("RGB", (WIDTH, height), "white")
    pen = ImageDraw.Draw(picture)
    top = MARGIN
    for strip in layout:
        strip.draw(picture, pen, top)
        top += strip.height
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def strips(document: Document) -> list[Strip]:
    """The image top to bottom: only the key blocks and the charts of each section."""
    layout = [
        _text(document.title, _px(FONT * 1.9), bold=True),
        _text(document.subtitle, _px(FONT * 1.15), colour=MUTED, after=0.8),
    ]
    for section in document.sections:
        blocks = [block for block in section.blocks if _in_image(block)]
        if not blocks:
            continue
        title = _text(section.title, _px(FONT * 1.4), bold=True, before=0.6)
        layout.append(replace(title, section=section.title))
        for block in blocks:
            layout += _block(block)
    return layout


def boxes(layout: Sequence[Strip]) -> list[Box]:
    """Each section's place in the image that `layout` makes, top to bottom."""
    found: list[Box] = []
    top = MARGIN
    for strip in layout:
        if strip.section is not None:
            found.append(Box(strip.section, top, 0))
        top += strip.height
        if found:
            found[-1] = replace(found[-1], height=top - found[-1].top)
    return found


def measure(text: str, size: int, *, bold: bool) -> float:
    """A text's width in pixels, as the image sets it."""
    return float(_font(size, bold=bold).getlength(text))


def _in_image(block: Block) -> bool:
    return isinstance(block, Key | content.Bars | content.Columns | content.Lines)


def _block(block: Block) -> list[Strip]:
    match content.unwrap(block):
        case content.Paragraph(text):
            return [_text(text, _px(FONT), after=0.4)]
        case Heading(text):
            return [_text(text, _px(FONT * 1.05), bold=True, before=0.2)]
        case Bullets(items):
            return [_bullet(item, _px(FONT)) for item in items]
        case Facts(rows):
            return _facts(rows)
        case content.Bars() | content.Columns() | content.Lines() as plot:
            return [_text(plot.title, _px(FONT * 1.05), bold=True), _chart(plot)]
    return []


def _px(points: float) -> int:
    return round(points * DPI / 72)


@cache
def _font(size: int, *, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fonts.path(fonts.BOLD if bold else fonts.REGULAR)), size)


def _lines(text: str, size: int, width: int, *, bold: bool = False) -> list[str]:
    return wrap(text, width, _font(size, bold=bold).getlength)


def _leading(size: int) -> int:
    return round(size * 1.4)


def _write(
    pen: ImageDraw.ImageDraw,
    x: int,
    top: int,
    lines: Sequence[str],
    size: int,
    *,
    bold: bool = False,
    colour: str = INK,
) -> None:
    font = _font(size, bold=bold)
    for number, line in enumerate(lines):
        pen.text((x, top + number * _leading(size)), line, font=font, fill=colour)


def _text(
    text: str,
    size: int,
    *,
    bold: bool = False,
    colour: str = INK,
    before: float = 0.0,
    after: float = 0.0,
) -> Strip:
    lines = _lines(text, size, INNER, bold=bold)
    leading = _leading(size)
    gap = round(before * leading)

    def draw(_: Image.Image, pen: ImageDraw.ImageDraw, top: int) -> None:
        _write(pen, MARGIN, top + gap, lines, size, bold=bold, colour=colour)

    height = gap + len(lines) * leading + round(after * leading)
    return Strip(height, draw, (Written(text, tuple(lines), INNER, size, bold),))


def _bullet(item: str, size: int) -> Strip:
    """A list item: the bullet in the margin of its own lines, which wrap under each other."""
    indent = round(size * 1.4)
    lines = _lines(item, size, INNER - indent)
    leading = _leading(size)

    def draw(_: Image.Image, pen: ImageDraw.ImageDraw, top: int) -> None:
        _write(pen, MARGIN, top, ["•"], size)
        _write(pen, MARGIN + indent, top, lines, size)

    height = len(lines) * leading + round(0.25 * leading)
    return Strip(height, draw, (Written(item, tuple(lines), INNER - indent, size, False),))


def _facts(rows: Sequence[tuple[str, str]]) -> list[Strip]:
    size = _px(FONT)
    bold = _font(size, bold=True)
    widest = max((round(bold.getlength(name)) for name, _ in rows), default=0)
    names = min(widest + size, INNER * 2 // 5)
    return [_fact(name, value, size, names) for name, value in rows]


def _fact(name: str, value: str, size: int, names: int) -> Strip:
    left = _lines(name, size, names - size, bold=True)
    right = _lines(value, size, INNER - names)

    def draw(_: Image.Image, pen: ImageDraw.ImageDraw, top: int) -> None:
        _write(pen, MARGIN, top, left, size, bold=True)
        _write(pen, MARGIN + names, top, right, size)

    height = max(len(left), len(right)) * _leading(size) + round(0.15 * _leading(size))
    written = (
        Written(name, tuple(left), names - size, size, True),
        Written(value, tuple(right), INNER - names, size, False),
    )
    return Strip(height, draw, written)


def _chart(plot: Plot) -> Strip:
    picture = charts.draw(plot, width=INNER / DPI, font=FONT, dpi=DPI)
    with Image.open(io.BytesIO(picture.png)) as opened:
        chart = opened.convert("RGB")
    gap = _leading(_px(FONT)) // 2

    def draw(canvas: Image.Image, _: ImageDraw.ImageDraw, top: int) -> None:
        canvas.paste(chart, (MARGIN, top))

    return Strip(chart.height + gap, draw)
