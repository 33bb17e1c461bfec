"""The report on A4 pages, laid out by ReportLab's platypus with the font's real metrics.

Paragraphs and table cells wrap by measured width, a word too long for its column is split
rather than cut off, a table that runs over a page repeats its header, a heading stays with
what follows it, and a chart stays with its title. Charts are PNGs from `charts`, drawn at
print resolution.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from bot.report import charts, content, fonts
from bot.report.content import Block, Document, Plot

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 0.6 * 72
"""Points, as every length here."""
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
FONT_SIZE = 9.5
REGULAR = "ReportSans"
BOLD = "ReportSans-Bold"
CELL_PADDING = 3.0
DPI = 200
KEEP_ROWS = 15
"""A table this short moves to the next page whole; a longer one splits, its header repeated."""
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b7a")
GRID = colors.HexColor("#c8ced6")


def document(report: Document, *, made_on: date) -> bytes:
    """The PDF of a report document: same document, same bytes.

    Args:
        report: the report's blocks.
        made_on: the report's date, written as the PDF's creation date instead of the clock's,
            so that making the same report twice gives the same file.
    """
    buffer = io.BytesIO()
    # The frame has no padding of its own: the margins are where text may reach.
    frame = Frame(
        MARGIN,
        MARGIN,
        FRAME_WIDTH,
        PAGE_HEIGHT - 2 * MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        pageTemplates=[PageTemplate("page", [frame])],
        title=f"{report.title}: {report.subtitle}",
        author="",
        subject="",
        creator="",
        lang=report.language.value,
        invariant=1,
        initialFontName=_fonts(),
        initialFontSize=FONT_SIZE,
    )
    stamp = f"D:{made_on:%Y%m%d}000000Z"
    template.build(_story(report), canvasmaker=lambda *a, **k: _FolioCanvas(stamp, *a, **k))
    return buffer.getvalue()


def _story(report: Document) -> list[Flowable]:
    """The flowables of the whole report, top to bottom."""
    styles = _styles()
    flowables: list[Flowable] = [
        _paragraph(report.title, styles["title"]),
        _paragraph(report.subtitle, styles["subtitle"]),
    ]
    for section in report.sections:
        headings: list[Flowable] = [_paragraph(section.title, styles["section"])]
        for block in section.blocks:
            inner = content.unwrap(block)
            if isinstance(inner, content.Heading):
                headings.append(_paragraph(inner.text, styles["heading"]))
                continue
            flowables += _under(headings, _flowables(block, styles))
            headings = []
        flowables += headings
    return flowables


class _Part(NamedTuple):
    """A block's flowables, and whether a page break may fall between them."""

    flowables: list[Flowable]
    whole: bool = False


def _under(headings: list[Flowable], part: _Part) -> list[Flowable]:
    """Headings with the block under them. Platypus keeps a heading with the next flowable by
    itself, but not with a group kept whole (a short table, a chart), so such a group takes its
    headings in."""
    if part.whole:
        return [KeepTogether([*headings, *part.flowables])]
    return [*headings, *part.flowables]


@cache
def _fonts() -> str:
    """Registers the typeface once per process; returns the regular face's name."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(fonts.path(fonts.REGULAR))))
    pdfmetrics.registerFont(TTFont(BOLD, str(fonts.path(fonts.BOLD))))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)
    return REGULAR


@cache
def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    base = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=FONT_SIZE,
        leading=FONT_SIZE * 1.35,
        textColor=INK,
        spaceAfter=FONT_SIZE * 0.6,
        # ReportLab squeezes spaces by 5% by default to fit a line, which pushes a ragged line
        # past the margin.
        spaceShrinkage=0,
    )

    def like(name: str, **changes: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    cell = FONT_SIZE * 0.95
    return {
        "body": base,
        "title": like("title", fontName=BOLD, fontSize=FONT_SIZE * 1.9, leading=FONT_SIZE * 2.3),
        "subtitle": like(
            "subtitle", fontSize=FONT_SIZE * 1.15, textColor=MUTED, spaceAfter=FONT_SIZE
        ),
        "section": like(
            "section",
            fontName=BOLD,
            fontSize=FONT_SIZE * 1.4,
            leading=FONT_SIZE * 1.8,
            spaceBefore=FONT_SIZE * 1.2,
            keepWithNext=1,
        ),
        "heading": like(
            "heading", fontName=BOLD, fontSize=FONT_SIZE * 1.1, spaceBefore=4, keepWithNext=1
        ),
        "chart": like("chart", fontName=BOLD, fontSize=FONT_SIZE * 1.05, keepWithNext=1),
        "bullet": like("bullet", leftIndent=FONT_SIZE * 1.5, bulletIndent=0, spaceAfter=2),
        "cell": like("cell", fontSize=cell, leading=cell * 1.3, spaceAfter=0),
        "cell_bold": like(
            "cell_bold", fontName=BOLD, fontSize=cell, leading=cell * 1.3, spaceAfter=0
        ),
        "fact": like("fact", spaceAfter=0),
        "fact_name": like("fact_name", fontName=BOLD, spaceAfter=0),
    }


def _paragraph(text: str, style: ParagraphStyle, **extra: Any) -> Paragraph:
    # Platypus reads markup; the report's texts (an organisation's name, a task's) are plain.
    return Paragraph(escape(text), style, **extra)


def _flowables(block: Block, styles: dict[str, ParagraphStyle]) -> _Part:
    gap = Spacer(1, FONT_SIZE * 0.6)
    match content.unwrap(block):
        case content.Paragraph(text):
            return _Part([_paragraph(text, styles["body"])])
        case content.Facts(rows):
            return _Part([_facts(rows, styles), gap])
        case content.Table(header, rows):
            return _Part([_table(header, rows, styles), gap], whole=len(rows) <= KEEP_ROWS)
        case content.Bullets(items):
            return _Part([_paragraph(item, styles["bullet"], bulletText="•") for item in items])
        case content.Bars() | content.Columns() | content.Lines() as plot:
            return _Part(_chart(plot, styles), whole=True)
    # Headings are placed by `_story`, with what follows them; a Key holds no other Key.
    raise AssertionError(block)


def _facts(rows: Sequence[tuple[str, str]], styles: dict[str, ParagraphStyle]) -> Table:
    name_style, value_style = styles["fact_name"], styles["fact"]
    widest = max((_width(name, name_style) for name, _ in rows), default=0.0)
    names = min(widest + 3 * CELL_PADDING, FRAME_WIDTH * 0.45)
    cells = [[_paragraph(name, name_style), _paragraph(value, value_style)] for name, value in rows]
    table = Table(cells, colWidths=[names, FRAME_WIDTH - names], hAlign="LEFT")
    table.setStyle(TableStyle([*_padding(), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], styles: dict[str, ParagraphStyle]
) -> Table:
    head_style, cell_style = styles["cell_bold"], styles["cell"]
    widths = column_widths(
        [[_width(cell, head_style) for cell in header]]
        + [[_width(cell, cell_style) for cell in row] for row in rows],
        [[_longest_word(cell, head_style) for cell in header]]
        + [[_longest_word(cell, cell_style) for cell in row] for row in rows],
        FRAME_WIDTH,
    )
    cells = [[_paragraph(cell, head_style) for cell in header]] + [
        [_paragraph(cell, cell_style) for cell in row] for row in rows
    ]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                *_padding(),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, GRID),
            ]
        )
    )
    return table


def column_widths(
    natural: Sequence[Sequence[float]], words: Sequence[Sequence[float]], room: float
) -> list[float]:
    """Each column as wide as its widest cell; when the table would not fit, only the widest
    columns are narrowed, all to one width, so that as few cells as possible wrap. No column gets
    narrower than its longest word, unless those words cannot all fit side by side.

    Args:
        natural: each cell's text width on one line, row by row.
        words: each cell's longest word.
        room: the width the table may take.
    """
    # A point to spare: a text exactly as wide as its column would wrap on rounding.
    pad = 2 * CELL_PADDING + 1
    columns = range(len(natural[0]))
    wide = [max(row[c] for row in natural) + pad for c in columns]
    if sum(wide) <= room:
        return wide
    least = [max(row[c] for row in words) + pad for c in columns]
    if sum(least) >= room:
        # The longest words do not fit side by side: the narrow columns still keep their
        # width, and platypus splits the long words between letters in the others.
        least = [0.0 for _ in columns]

    def capped(cap: float) -> list[float]:
        return [min(high, max(low, cap)) for low, high in zip(least, wide, strict=True)]

    # The widest cap that fits, by bisection: the total grows with the cap.
    low, high = 0.0, max(wide)
    for _ in range(50):
        middle = (low + high) / 2
        low, high = (middle, high) if sum(capped(middle)) <= room else (low, middle)
    return capped(low)


def _padding() -> list[tuple[Any, ...]]:
    return [
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2 * CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING * 0.7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING * 0.7),
    ]


def _width(text: str, style: ParagraphStyle) -> float:
    # As platypus sets it: it breaks at any space, Babel's thin ones too, and joins the words
    # with plain spaces.
    plain = " ".join(text.split())
    return float(pdfmetrics.stringWidth(plain, style.fontName, style.fontSize))


def _longest_word(text: str, style: ParagraphStyle) -> float:
    return max((_width(word, style) for word in text.split()), default=0.0)


def _chart(plot: Plot, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    picture = charts.draw(plot, width=FRAME_WIDTH / 72, font=FONT_SIZE, dpi=DPI)
    image = Image(io.BytesIO(picture.png), width=picture.width * 72, height=picture.height * 72)
    image.hAlign = "LEFT"
    return [_paragraph(plot.title, styles["chart"]), image, Spacer(1, FONT_SIZE * 0.8)]


class _FolioCanvas(Canvas):
    """Numbers each page "2/5": the total is known only once every page is laid out, so the
    pages are kept until the document is saved."""

    def __init__(self, stamp: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setDateFormatter(lambda *_: stamp)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # ReportLab's own page reset, unstubbed

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(REGULAR, FONT_SIZE * 0.8)
            self.setFillColor(MUTED)
            self.drawRightString(PAGE_WIDTH - MARGIN, MARGIN * 0.6, f"{number}/{total}")
            super().showPage()
        super().save()
