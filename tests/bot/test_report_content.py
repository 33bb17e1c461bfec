"""The report's blocks are its single source: every text of every block reaches each output."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot.report import charts, content, phrases, png
from bot.report.render import to_html, to_pdf
from bot.report.wrapping import wrap
from dialogs.report import ReportData
from engine.crosscheck import PostingCheck
from engine.kpi import KpiEntry, Metric, entry
from engine.scoring import Withheld
from engine.tasks import Consistency
from engine.vocabulary import Language, Phase
from tests.bot.test_report_inventory import html_text
from tests.bot.test_report_pdf import pdf_text
from tests.bot.test_report_render import _results, bare_report, full_report

LONG_TASK = "Share the weekly customer story from the service desk on LinkedIn and the intranet"


def _weeks(count: int) -> tuple[KpiEntry, ...]:
    first = date(2024, 11, 25)
    return tuple(
        entry(
            first + timedelta(weeks=week),
            first + timedelta(weeks=week, days=6),
            {Metric.POSTS: week, Metric.REACH: 1_000 * week, Metric.SHARERS: 2, Metric.INVITED: 9},
        )
        for week in range(count)
    )


def _variants(language: Language) -> Iterator[tuple[str, ReportData]]:
    _, latest = _results()
    full = full_report(language)
    yield "full", full
    yield (
        "checked",
        replace(
            full,
            check=PostingCheck(Phase.EXPERIMENTATION, Consistency(8, 8, 3)),
            unreachable=("Ann de Vries", "#news"),
        ),
    )
    yield "fifteen weeks", replace(full, kpis=_weeks(15))
    yield "one week", replace(full, kpis=full.kpis[:1])
    yield "first scan", bare_report(language, latest)
    yield "no scan", bare_report(language)
    yield "withheld", bare_report(language, Withheld(2, 5))


VARIANTS = [
    pytest.param(report, id=f"{language.value}-{name}")
    for language in Language
    for name, report in _variants(language)
]


def _plain(text: str) -> str:
    return " ".join(text.split())


def _everything(document: content.Document) -> list[str]:
    """Every text of the document, but of a chart only its title: the labels, periods and
    legend are inside the chart's picture."""
    said = [document.title, document.subtitle]
    for section in document.sections:
        said.append(section.title)
        for block in section.blocks:
            texts = content.texts(block)
            plot = isinstance(block, content.Bars | content.Columns | content.Lines)
            said += texts[:1] if plot else texts
    return [_plain(text) for text in said]


def _missing(document: content.Document, shown: str) -> list[str]:
    return [text for text in _everything(document) if text not in shown]


@pytest.mark.parametrize("report", VARIANTS)
def test_every_text_of_every_block_is_on_the_page(report: ReportData) -> None:
    document = content.document(report)

    shown = html_text(to_html(report))

    assert _missing(document, shown) == []


@pytest.mark.parametrize("report", VARIANTS)
def test_every_text_of_every_block_is_in_the_pdf(report: ReportData) -> None:
    document = content.document(report)

    shown = _plain(pdf_text(to_pdf(report)))

    assert _missing(document, shown) == []


@pytest.mark.parametrize("report", VARIANTS)
def test_the_image_holds_every_key_block_and_every_chart(report: ReportData) -> None:
    document = content.document(report)
    wanted = [
        _plain(text)
        for section in document.sections
        for block in section.blocks
        if isinstance(block, content.Key | content.Bars | content.Columns | content.Lines)
        for text in content.texts(block)[: 1 if not isinstance(block, content.Key) else None]
    ]

    laid_out = _plain(" ".join(text for strip in png.strips(document) for text in strip.texts))

    assert [text for text in wanted if text not in laid_out] == []


@pytest.mark.parametrize("language", list(Language))
def test_the_image_leaves_the_tables_and_explanations_to_the_documents(language: Language) -> None:
    document = content.document(full_report(language))

    laid_out = " ".join(text for strip in png.strips(document) for text in strip.texts)

    assert phrases.COL_ANSWERS(language) not in laid_out
    assert phrases.PROFILE_EXPLAINED(language) not in laid_out
    assert phrases.SUMMARY_TITLE(language) in laid_out


def test_a_long_task_name_is_wrapped_in_its_chart_not_cut() -> None:
    width, font = 8.0, 12.0

    labels = charts.wrapped_labels([LONG_TASK, "Post"], width, font)

    assert labels[0].count("\n") >= 1
    assert " ".join(labels[0].split("\n")) == LONG_TASK
    assert labels[1] == "Post"


def test_wrapping_keeps_every_letter_and_breaks_only_where_it_must() -> None:
    def measure(text: str) -> float:
        return float(len(text))

    assert wrap("one two three four", 9, measure) == ["one two", "three", "four"]
    assert wrap("abcdefghij", 4, measure) == ["abcd", "efgh", "ij"]
    assert wrap("6\u2009–\u200912 Jan", 6, measure) == ["6\u2009–\u200912", "Jan"]
    assert wrap("", 5, measure) == [""]


@pytest.mark.parametrize(
    ("code", "absent"),
    [
        ("import bot.report.render", ("matplotlib", "reportlab", "babel", "PIL")),
        (
            "from bot.report.render import to_html, to_pdf\n"
            "from tests.bot.test_report_render import bare_report\n"
            "from engine.vocabulary import Language\n"
            "to_html(bare_report(Language.EN)); to_pdf(bare_report(Language.EN))",
            ("matplotlib",),
        ),
    ],
    ids=["on import", "for a report without charts"],
)
def test_matplotlib_is_loaded_only_to_draw_a_chart(code: str, absent: tuple[str, ...]) -> None:
    check = f"{code}\nimport sys\nprint(sorted({{m.split('.')[0] for m in sys.modules}}))"

    loaded = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    ).stdout

    assert [name for name in absent if f"'{name}'" in loaded] == []
