"""The management report drawn three ways: an HTML page, one tall PNG and A4 pages of PDF.

`content` puts the report into neutral blocks in the report's language; `html`, `png` and `pdf`
each lay those blocks out, with the charts from `charts`. Everything is imported when a report is
asked for, so importing this module loads neither matplotlib, ReportLab nor Babel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dialogs.report import ReportData


def to_html(report: ReportData) -> str:
    """One self-contained HTML page: inline CSS, charts embedded as PNG, every text escaped.

    Args:
        report: what the report holds; its language is the language of every text.
    """
    from bot.report import content, html

    return html.page(content.document(report))


def to_png(report: ReportData) -> bytes:
    """One tall PNG, 1200 pixels wide: the title, the headline facts and the charts.

    Args:
        report: what the report holds; its language is the language of every text.
    """
    from bot.report import content, png

    return png.image(content.document(report))


def to_pdf(report: ReportData) -> bytes:
    """The whole report on numbered A4 pages, text wrapped by the font's own metrics.

    Args:
        report: what the report holds; its language is the language of every text.
    """
    from bot.report import content, pdf

    return pdf.document(content.document(report), made_on=report.made_on)
