"""The report as one self-contained HTML page: inline CSS, charts embedded as PNG, text escaped."""

from __future__ import annotations

import base64
from html import escape

from bot.report import charts
from bot.report.content import (
    Bars,
    Block,
    Bullets,
    Columns,
    Document,
    Facts,
    Heading,
    Key,
    Lines,
    Paragraph,
    Plot,
    Section,
    Table,
)

CHART_WIDTH = 9.7
"""Inches: 970 pixels, about the page's text column."""
CHART_FONT = 12.0
DPI = 100

_CSS = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2933;"
    "margin:0;background:#f5f7fa;line-height:1.45}"
    "main{max-width:60rem;margin:0 auto;padding:1.5rem 2rem;background:#fff}"
    "h1{margin-bottom:.2rem}.subtitle{color:#5f6b7a;margin-top:0}"
    "h2{border-bottom:1px solid #c8ced6;padding-bottom:.2rem;margin-top:2rem}"
    "table{border-collapse:collapse;margin:.5rem 0 1rem}"
    "th,td{text-align:left;padding:.25rem .8rem .25rem 0;vertical-align:top}"
    "thead th{border-bottom:1px solid #c8ced6}"
    "figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}"
    "img{max-width:100%;height:auto}"
)


def page(document: Document) -> str:
    """The whole document as an HTML page in the document's language."""
    title = f"{_e(document.title)}: {_e(document.subtitle)}"
    sections = "\n".join(_section(section) for section in document.sections)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{document.language.value}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<header><h1>{_e(document.title)}</h1>"
        f'<p class="subtitle">{_e(document.subtitle)}</p></header>\n'
        f"{sections}\n</main>\n</body>\n</html>\n"
    )


def _e(text: str) -> str:
    return escape(text, quote=True)


def _section(section: Section) -> str:
    blocks = "\n".join(_block(block) for block in section.blocks)
    return f"<section>\n<h2>{_e(section.title)}</h2>\n{blocks}\n</section>"


def _block(block: Block) -> str:
    match block:
        case Key(inner):
            return _block(inner)
        case Heading(text):
            return f"<h3>{_e(text)}</h3>"
        case Paragraph(text):
            return f"<p>{_e(text)}</p>"
        case Facts(rows):
            cells = "".join(
                f'<tr><th scope="row">{_e(name)}</th><td>{_e(value)}</td></tr>'
                for name, value in rows
            )
            return f'<table class="facts">{cells}</table>'
        case Table(header, rows):
            head = "".join(f'<th scope="col">{_e(cell)}</th>' for cell in header)
            body = "".join(
                "<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in rows
            )
            return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        case Bullets(items):
            return "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in items) + "</ul>"
        case Bars() | Columns() | Lines():
            return _figure(block)


def _figure(plot: Plot) -> str:
    picture = charts.draw(plot, width=CHART_WIDTH, font=CHART_FONT, dpi=DPI)
    encoded = base64.b64encode(picture.png).decode("ascii")
    return (
        f"<figure><figcaption>{_e(plot.title)}</figcaption>"
        f'<img src="data:image/png;base64,{encoded}" alt="{_e(plot.title)}"></figure>'
    )
