"""The report's PDF read back from its bytes: valid A4 pages, every line inside the margins, no
text cut off.

The PDF is read here without a PDF library: the streams are inflated with zlib, each font's
ToUnicode map turns the drawn codes back into text, and each font's own /Widths give how wide
a drawn line is. So the checks see what a PDF viewer would draw, not what the layout meant to.
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass, field, replace
from datetime import date

import pytest

from bot.report import pdf
from bot.report.render import to_pdf
from dialogs.report import TaskLine
from engine.tasks import Consistency
from engine.vocabulary import Language
from tests.bot.test_report_render import CHARTS_IN_A_FULL_REPORT, bare_report, full_report

LANGUAGES = pytest.mark.parametrize("language", list(Language))
LONG_TITLE = (
    "Share the weekly customer story from the service desk on LinkedIn, Instagram and the "
    "intranet, with a photo and a question for the readers"
)
LONG_WORD = "Kwartaalcommunicatieplanningsoverlegverslagleggingsverantwoordelijkheidsverdeling"

# -- reading a PDF back ----------------------------------------------------------------------------

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.DOTALL)
_REFERENCE = rb"(\d+) 0 R"
_TOKEN = re.compile(
    rb"\s*(?:(?P<string>\()|(?P<hex><[0-9A-Fa-f\s]*>)|(?P<name>/[^\s/\[\]()<>]+)"
    rb"|(?P<number>[-+]?(?:\d+\.?\d*|\.\d+))|(?P<array>[\[\]])|(?P<dict><<|>>)"
    rb"|(?P<operator>[A-Za-z'\"*]+))"
)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


@dataclass(frozen=True)
class Line:
    """Text drawn from one starting point, as the viewer places it."""

    text: str
    x: float
    y: float
    width: float


@dataclass
class Page:
    lines: list[Line] = field(default_factory=list)
    images: int = 0


@dataclass
class _Font:
    first: int
    widths: list[float]
    codes: dict[int, str]

    def decode(self, data: bytes) -> tuple[str, float]:
        """The text and its width in thousandths of the font size."""
        text = "".join(self.codes.get(code, chr(code)) for code in data)
        width = sum(self._width(code) for code in data)
        return text, width

    def _width(self, code: int) -> float:
        index = code - self.first
        return self.widths[index] if 0 <= index < len(self.widths) else 0.0


def _objects(document: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Each object's dictionary and its stream, decoded."""
    objects = {}
    for match in _OBJECT.finditer(document):
        body = match.group(2)
        head, marker, rest = body.partition(b"stream")
        data = b""
        if marker:
            length = int(re.search(rb"/Length (\d+)", head).group(1))  # type: ignore[union-attr]
            data = rest.lstrip(b"\r\n")[:length]
            if b"/ASCII85Decode" in head:
                data = base64.a85decode(data.strip().removeprefix(b"<~").removesuffix(b"~>"))
            if b"/FlateDecode" in head:
                data = zlib.decompress(data)
        objects[int(match.group(1))] = (head, data)
    return objects


def _unicode_map(cmap: bytes) -> dict[int, str]:
    codes: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            codes[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.DOTALL):
        for low, high, start in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            for offset in range(int(high, 16) - int(low, 16) + 1):
                codes[int(low, 16) + offset] = chr(int(start, 16) + offset)
    return codes


def _fonts(resources: bytes, objects: dict[int, tuple[bytes, bytes]]) -> dict[bytes, _Font]:
    inline = re.search(rb"/Font\s*<<(.*?)>>", resources, re.DOTALL)
    if inline is None:
        reference = re.search(rb"/Font\s+" + _REFERENCE, resources)
        if reference is None:
            return {}
        listing = objects[int(reference.group(1))][0]
    else:
        listing = inline.group(1)
    fonts = {}
    for name, number in re.findall(rb"/([^\s/<>]+)\s+" + _REFERENCE, listing):
        head = objects[int(number)][0]
        first = re.search(rb"/FirstChar (\d+)", head)
        widths = re.search(rb"/Widths\s*\[(.*?)\]", head, re.DOTALL)
        cmap = re.search(rb"/ToUnicode " + _REFERENCE, head)
        fonts[b"/" + name] = _Font(
            int(first.group(1)) if first else 0,
            [float(w) for w in widths.group(1).split()] if widths else [],
            _unicode_map(objects[int(cmap.group(1))][1]) if cmap else {},
        )
    return fonts


def _string(stream: bytes, start: int) -> tuple[bytes, int]:
    """A literal string from just after its opening parenthesis; returns it and where it ends."""
    out, depth, at = bytearray(), 1, start
    while True:
        char = stream[at : at + 1]
        at += 1
        if char == b"\\":
            following = stream[at : at + 1]
            octal = re.match(rb"[0-7]{1,3}", stream[at : at + 3])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                at += len(octal.group())
            else:
                out += _ESCAPES.get(following, following)
                at += 1
            continue
        if char == b"(":
            depth += 1
        elif char == b")":
            depth -= 1
            if depth == 0:
                return bytes(out), at
        out += char


def _multiply(m: list[float], n: list[float]) -> list[float]:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    ]


def _read_page(stream: bytes, fonts: dict[bytes, _Font], page: Page) -> None:
    """Runs the text and image operators of one content stream."""
    ctm: list[float] = [1.0, 0, 0, 1, 0, 0]
    stack: list[list[float]] = []
    matrix = line_matrix = [1.0, 0, 0, 1, 0, 0]
    font, size, leading = None, 0.0, 0.0
    operands: list[object] = []
    current: Line | None = None
    at = 0

    def finish() -> None:
        nonlocal current
        if current is not None and current.text:
            page.lines.append(current)
        current = None

    def show(data: bytes) -> None:
        nonlocal current, matrix
        assert font is not None
        text, thousandths = font.decode(data)
        advance = thousandths / 1000 * size
        placed = _multiply(matrix, ctm)
        if current is None:
            current = Line("", placed[4], placed[5], 0.0)
        current = Line(
            current.text + text, current.x, current.y, current.width + advance * placed[0]
        )
        matrix = _multiply([1, 0, 0, 1, advance, 0], matrix)

    def move(dx: float, dy: float) -> None:
        nonlocal matrix, line_matrix
        finish()
        line_matrix = _multiply([1, 0, 0, 1, dx, dy], line_matrix)
        matrix = line_matrix

    while (token := _TOKEN.match(stream, at)) is not None and token.end() > at:
        at = token.end()
        kind = token.lastgroup
        value = token.group(kind or 0)
        if kind == "string":
            data, at = _string(stream, at)
            operands.append(data)
        elif kind == "hex":
            operands.append(bytes.fromhex(value.strip(b"<>").decode()))
        elif kind == "number":
            operands.append(float(value))
        elif kind == "name":
            operands.append(value)
        elif kind == "operator":
            name = value.decode()
            numbers = [v for v in operands if isinstance(v, float)]
            if name == "q":
                stack.append(ctm)
            elif name == "Q":
                ctm = stack.pop()
            elif name == "cm":
                ctm = _multiply(numbers[-6:], ctm)
            elif name == "BT":
                matrix = line_matrix = [1.0, 0, 0, 1, 0, 0]
            elif name == "ET":
                finish()
            elif name == "Tf":
                font, size = fonts[operands[-2]], numbers[-1]  # type: ignore[index]
            elif name == "TL":
                leading = numbers[-1]
            elif name == "Tm":
                finish()
                matrix = line_matrix = numbers[-6:]
            elif name in ("Td", "TD"):
                move(numbers[-2], numbers[-1])
                if name == "TD":
                    leading = -numbers[-1]
            elif name == "T*":
                move(0, -leading)
            elif name == "Tj":
                show(operands[-1])  # type: ignore[arg-type]
            elif name == "TJ":
                for part in operands:
                    if isinstance(part, bytes):
                        show(part)
            elif name == "'":
                move(0, -leading)
                show(operands[-1])  # type: ignore[arg-type]
            elif name == "Do":
                page.images += 1
            operands = []
    finish()


def read(document: bytes) -> list[Page]:
    """The pages of a PDF, in order, with the text lines and pictures each draws."""
    objects = _objects(document)
    pages = []
    for number in sorted(objects):
        head = objects[number][0]
        if not re.search(rb"/Type\s*/Page\b", head):
            continue
        resources = re.search(rb"/Resources\s*(<<.*>>|" + _REFERENCE + rb")", head, re.DOTALL)
        assert resources is not None
        listing = resources.group(1)
        if resources.group(2):
            listing = objects[int(resources.group(2))][0]
        fonts = _fonts(listing, objects)
        page = Page()
        for content in re.findall(_REFERENCE, head.split(b"/Contents", 1)[1][:40]):
            _read_page(objects[int(content)][1], fonts, page)
        pages.append(page)
    return pages


def pdf_text(document: bytes) -> str:
    """All text of a PDF in drawing order, lines joined by spaces, without the page numbers."""
    return " ".join(
        line.text for page in read(document) for line in page.lines if line.y > pdf.MARGIN
    )


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _long_named(language: Language) -> bytes:
    report = full_report(language, organisation=f"{LONG_WORD} {LONG_WORD}")
    task = TaskLine(LONG_TITLE, LONG_WORD, Consistency(4, 2, 1), Consistency(12, 6, 3), 0)
    word = TaskLine(LONG_WORD * 2, "dee", Consistency(4, 1, 1), Consistency(12, 3, 3), 3)
    return to_pdf(replace(report, tasks=(*report.tasks, task, word)))


# -- the document ----------------------------------------------------------------------------------


@LANGUAGES
def test_the_pdf_is_complete_and_each_page_is_numbered_of_the_total(language: Language) -> None:
    document = to_pdf(full_report(language))

    pages = read(document)

    assert document.startswith(b"%PDF-")
    assert document.rstrip().endswith(b"%%EOF")
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        folios = [line for line in page.lines if line.y < pdf.MARGIN]
        assert [line.text for line in folios] == [f"{number}/{len(pages)}"]


@LANGUAGES
def test_every_chart_is_drawn_as_a_picture_under_its_title(language: Language) -> None:
    pages = read(to_pdf(full_report(language)))

    assert sum(page.images for page in pages) == CHARTS_IN_A_FULL_REPORT


def test_the_pdf_is_dated_the_day_of_the_report_and_says_its_language() -> None:
    report = replace(full_report(Language.NL), made_on=date(2026, 11, 30))

    document = to_pdf(report)

    assert b"/CreationDate (D:20261130000000Z)" in document
    assert b"/Lang (nl)" in document


def test_reading_the_pdf_back_finds_a_sentence_exactly_as_written() -> None:
    """The reader in this file must itself be right for the checks below to mean anything."""
    report = full_report(Language.EN, organisation="Ann & Bob <Care> → 100% (ltd)")

    text = pdf_text(to_pdf(report))

    assert "Ann & Bob <Care> → 100% (ltd), 14 March 2025" in text


# -- the layout ------------------------------------------------------------------------------------


@LANGUAGES
@pytest.mark.parametrize("make", [lambda lang: to_pdf(full_report(lang)), _long_named])
def test_every_line_lies_within_the_page_margins(language: Language, make: object) -> None:
    document = make(language)  # type: ignore[operator]
    right = pdf.PAGE_WIDTH - pdf.MARGIN

    lines = [line for page in read(document) for line in page.lines]

    assert lines
    outside = [
        line for line in lines if line.x < pdf.MARGIN - 0.01 or line.x + line.width > right + 0.01
    ]
    assert outside == []


@LANGUAGES
def test_a_long_task_name_is_wrapped_not_cut(language: Language) -> None:
    text = pdf_text(_long_named(language))

    assert " ".join(LONG_TITLE.split()) in " ".join(text.split())
    squeezed = _squeezed(text)
    assert _squeezed(LONG_WORD * 2) in squeezed
    # Twice in the subtitle's organisation, once as an owner, twice in the one-word task.
    assert squeezed.count(LONG_WORD) >= 5


def test_a_table_fits_the_page_by_narrowing_only_its_widest_columns() -> None:
    natural = [[40.0, 300.0, 200.0], [30.0, 250.0, 100.0]]
    words = [[40.0, 60.0, 50.0], [30.0, 80.0, 40.0]]

    widths = pdf.column_widths(natural, words, 400.0)

    assert sum(widths) == pytest.approx(400.0, abs=0.01)
    assert widths[0] == pytest.approx(40.0 + 2 * pdf.CELL_PADDING + 1)
    assert widths[1] == pytest.approx(widths[2], abs=0.01)


def test_a_table_that_fits_keeps_each_column_as_wide_as_its_text() -> None:
    widths = pdf.column_widths([[10.0, 20.0]], [[10.0, 20.0]], 400.0)

    pad = 2 * pdf.CELL_PADDING + 1
    assert widths == [10.0 + pad, 20.0 + pad]


def test_columns_never_get_narrower_than_their_longest_word_when_the_words_fit() -> None:
    natural = [[300.0, 300.0, 300.0]]
    words = [[120.0, 20.0, 20.0]]

    widths = pdf.column_widths(natural, words, 300.0)

    assert widths[0] >= 120.0
    assert sum(widths) <= 300.0 + 0.01


@LANGUAGES
def test_a_report_without_a_scan_is_one_numbered_page(language: Language) -> None:
    pages = read(to_pdf(bare_report(language)))

    assert len(pages) == 1
    assert [line.text for line in pages[0].lines if line.y < pdf.MARGIN] == ["1/1"]


def test_when_long_words_cannot_fit_the_narrow_columns_still_keep_their_width() -> None:
    natural = [[400.0, 400.0, 50.0, 50.0]]
    words = [[400.0, 400.0, 20.0, 20.0]]

    widths = pdf.column_widths(natural, words, 500.0)

    pad = 2 * pdf.CELL_PADDING + 1
    assert widths[2:] == [50.0 + pad, 50.0 + pad]
    assert widths[0] == pytest.approx(widths[1], abs=0.01)
    assert sum(widths) == pytest.approx(500.0, abs=0.01)
