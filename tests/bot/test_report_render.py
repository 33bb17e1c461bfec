"""The management report as HTML, PNG and PDF: every section in the reader's language."""

from __future__ import annotations

import base64
import html
import re
import struct
from dataclasses import replace
from datetime import date, timedelta
from functools import cache

import pytest

from bot.report import formats, phrases
from bot.report.render import to_html, to_pdf, to_png
from dialogs.nudge_views import cross_check
from dialogs.report import ReportData, ScanLine, TaskLine
from engine.bank import default_bank
from engine.crosscheck import PostingCheck
from engine.kpi import KpiEntry, Metric, entry
from engine.labels import label, phase_name
from engine.plan import make_plan
from engine.plan_catalogue import default_plan_catalogue
from engine.scoring import OrgResult, Withheld, score
from engine.simulation import Persona, crowd
from engine.tasks import Consistency, team_consistency
from engine.vocabulary import Dimension, Language, Phase, Role

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EMBEDDED_PNG = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
PDF_PAGE = re.compile(rb"/Type\s*/Page\b")
PDF_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")
A4_POINTS = (595.0, 842.0)
CHARTS_IN_A_FULL_REPORT = 8
"""Profile, agreement, management beside employees, change since the baseline, posts, reach and
engagements, rates, consistency."""
CHARTS_OF_A_RESULT = 3
"""Profile, agreement, management beside employees: what one scan's result draws."""
LANGUAGES = pytest.mark.parametrize("language", list(Language))

_MANAGEMENT = Persona(Role.MANAGEMENT, dict.fromkeys(Dimension, 4), goals=("sales",))
_STAFF = Persona(Role.EMPLOYEE, {**dict.fromkeys(Dimension, 2), Dimension.IMPACT: 1}, unsure=0.3)


@cache
def _results() -> tuple[OrgResult, OrgResult]:
    bank = default_bank()
    sheets = crowd(bank, [(_MANAGEMENT, 6), (_STAFF, 7)], seed=11)
    baseline = _shown(score(bank, sheets[:6] + sheets[-6:], threshold=5))
    latest = _shown(score(bank, sheets, threshold=5, previous=baseline))
    return baseline, latest


def _shown(result: OrgResult | Withheld) -> OrgResult:
    assert isinstance(result, OrgResult)
    return result


def _kpis() -> tuple[KpiEntry, ...]:
    first = date(2025, 1, 6)
    return tuple(
        entry(
            first + timedelta(weeks=week),
            first + timedelta(weeks=week, days=6),
            {
                Metric.POSTS: 3 + week,
                Metric.REACH: 1_200 + 900 * week,
                Metric.ENGAGEMENTS: 45 + 5 * week * week,
                Metric.SHARERS: 4 + week,
                Metric.INVITED: 20,
            },
        )
        for week in range(5)
    )


def _tasks() -> tuple[TaskLine, ...]:
    return (
        TaskLine("Post on LinkedIn", "ann", Consistency(4, 4, 3), Consistency(12, 12, 10), 2),
        TaskLine("Log the figures", "bob", Consistency(4, 1, 1), Consistency(12, 3, 2), 1),
        TaskLine("Train the ambassadors", "cas", Consistency(4, 0, 0), Consistency(12, 0, 0), 0),
    )


def full_report(language: Language, organisation: str = "Acme Care") -> ReportData:
    baseline, latest = _results()
    tasks = _tasks()
    return ReportData(
        organisation=organisation,
        language=language,
        made_on=date(2025, 3, 14),
        latest=ScanLine(2, latest),
        baseline=ScanLine(1, baseline),
        kpis=_kpis(),
        tasks=tasks,
        team_recent=team_consistency((task.recent for task in tasks), 4),
        team_longer=team_consistency((task.longer for task in tasks), 12),
        plan=make_plan(latest, default_plan_catalogue()),
    )


def bare_report(language: Language, result: OrgResult | Withheld | None = None) -> ReportData:
    """No baseline, no figures, no tasks and no plan."""
    return ReportData(
        organisation="Acme Care",
        language=language,
        made_on=date(2025, 3, 14),
        latest=ScanLine(1, result) if result is not None else None,
        baseline=None,
        kpis=(),
        tasks=(),
        team_recent=Consistency(4, 0, 0),
        team_longer=Consistency(12, 0, 0),
        plan=None,
    )


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always comes first."""
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def embedded_pngs(page: str) -> list[bytes]:
    return [base64.b64decode(data) for data in EMBEDDED_PNG.findall(page)]


def _headings(language: Language) -> list[str]:
    return [
        title(language)
        for title in (
            phrases.SUMMARY_TITLE,
            phrases.RESPONSE_TITLE,
            phrases.PROFILE_TITLE,
            phrases.AGREEMENT_TITLE,
            phrases.GAP_TITLE,
            phrases.CHANGE_TITLE,
            phrases.KPI_TITLE,
            phrases.TASKS_TITLE,
            phrases.NEXT_TITLE,
        )
    ]


# -- HTML ------------------------------------------------------------------------------------------


@LANGUAGES
def test_the_page_is_in_the_reports_language_with_every_section_heading(
    language: Language,
) -> None:
    page = to_html(full_report(language))

    assert f'<html lang="{language.value}">' in page
    assert phrases.TITLE(language) in page
    for heading in _headings(language):
        assert f"<h2>{heading}</h2>" in page


@LANGUAGES
def test_the_page_names_the_phase_and_every_rated_dimension(language: Language) -> None:
    _, latest = _results()

    page = to_html(full_report(language))

    assert latest.overall is not None
    assert phase_name(latest.overall, language) in page
    for dimension in latest.dimensions:
        assert label(dimension, language) in page


@LANGUAGES
def test_the_page_carries_the_plan_steps_in_its_language(language: Language) -> None:
    report = full_report(language)
    assert report.plan is not None
    assert report.plan.steps

    page = to_html(report)

    for step in report.plan.steps:
        assert html.escape(step.title(language)) in page
    for task in report.plan.tasks:
        assert html.escape(task.template.title(language)) in page


@LANGUAGES
def test_every_chart_is_embedded_as_a_png(language: Language) -> None:
    pictures = embedded_pngs(to_html(full_report(language)))

    assert len(pictures) == CHARTS_IN_A_FULL_REPORT
    assert all(picture.startswith(PNG_SIGNATURE) for picture in pictures)


@LANGUAGES
def test_a_hostile_organisation_name_is_escaped(language: Language) -> None:
    page = to_html(full_report(language, organisation='<script>alert("x")</script> & Co'))

    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page


@LANGUAGES
def test_the_page_says_when_the_figures_were_logged_and_the_tasks_were_done(
    language: Language,
) -> None:
    page = to_html(full_report(language))

    assert (
        phrases.KPI_INTRO(
            language,
            5,
            first=_long(date(2025, 1, 6), language),
            last=_long(date(2025, 2, 9), language),
        )
        in page
    )
    assert phrases.ON_TIME_CELL(language).format(percent="75%", on_time=3, counted=4) in page
    assert phrases.NOTHING_DUE(language) in page


@LANGUAGES
def test_the_page_sets_perceived_practice_beside_posting_and_names_whom_the_chat_refused(
    language: Language,
) -> None:
    report = full_report(language)
    assert report.latest is not None
    assert isinstance(report.latest.result, OrgResult)
    check = PostingCheck(Phase.EXPERIMENTATION, Consistency(8, 8, 3))
    page = to_html(replace(report, check=check, unreachable=("Ann de Vries", "#news")))

    assert html.escape(cross_check(check, language)) in page
    assert phrases.UNREACHABLE(language) in page
    assert "Ann de Vries" in page
    assert "#news" in page
    assert phrases.UNREACHABLE(language) not in to_html(report)


@LANGUAGES
def test_a_report_with_nothing_logged_says_so_and_draws_no_empty_charts(
    language: Language,
) -> None:
    _, latest = _results()

    page = to_html(bare_report(language, latest))

    assert phrases.NO_KPIS(language) in page
    assert phrases.NO_TASKS(language) in page
    assert phrases.NO_PLAN(language) in page
    assert phrases.CHANGE_IS_BASELINE(language) in page
    assert len(embedded_pngs(page)) == CHARTS_OF_A_RESULT


@LANGUAGES
def test_a_report_without_any_scan_says_there_is_no_result_yet(language: Language) -> None:
    page = to_html(bare_report(language))

    assert phrases.NO_RESULT(language) in page
    assert embedded_pngs(page) == []


@LANGUAGES
def test_a_scan_closed_with_too_few_says_so_without_asking_for_more(language: Language) -> None:
    page = to_html(bare_report(language, Withheld(respondents=2, threshold=5)))

    said = "closed with 2 participants" if language is Language.EN else "sloot met 2 deelnemers"
    assert said in page
    assert "more answer" not in page
    assert "nog 3" not in page
    assert phrases.COL_MEDIAN(language) not in page
    assert embedded_pngs(page) == []


@LANGUAGES
def test_one_participant_is_said_in_the_singular(language: Language) -> None:
    page = to_html(bare_report(language, Withheld(respondents=1, threshold=5)))

    said = "closed with 1 participant;" if language is Language.EN else "sloot met 1 deelnemer;"
    assert said in page


@LANGUAGES
def test_a_chart_whose_figures_were_never_logged_is_replaced_by_a_sentence(
    language: Language,
) -> None:
    posts_only = tuple(
        KpiEntry(kpi.start, kpi.end, {Metric.POSTS: kpi.values[Metric.POSTS]}) for kpi in _kpis()
    )
    report = replace(full_report(language), kpis=posts_only)

    page = to_html(report)

    for chart in (phrases.REACH_CHART, phrases.RATES_CHART):
        assert phrases.NOT_LOGGED(language).format(chart=chart(language)) in page
    assert len(embedded_pngs(page)) == CHARTS_IN_A_FULL_REPORT - 2


def _long(day: date, language: Language) -> str:
    return formats.long_date(day, language)


# -- PNG and PDF -----------------------------------------------------------------------------------


@LANGUAGES
def test_the_image_is_a_tall_png_1200_pixels_wide(language: Language) -> None:
    png = to_png(full_report(language))

    assert png.startswith(PNG_SIGNATURE)
    width, height = png_size(png)
    assert width == 1200
    assert height > width


@LANGUAGES
def test_the_image_of_an_empty_report_is_still_a_png_1200_pixels_wide(language: Language) -> None:
    png = to_png(bare_report(language))

    assert png.startswith(PNG_SIGNATURE)
    assert png_size(png)[0] == 1200


def test_the_same_report_gives_the_same_image() -> None:
    report = full_report(Language.NL)

    assert to_png(report) == to_png(report)


def test_more_content_makes_a_taller_image() -> None:
    _, latest = _results()

    bare = png_size(to_png(bare_report(Language.EN, latest)))
    full = png_size(to_png(full_report(Language.EN)))

    assert full[1] > bare[1]


@LANGUAGES
def test_the_pdf_is_a_pdf_of_a4_pages(language: Language) -> None:
    document = to_pdf(full_report(language))

    assert document.startswith(b"%PDF")
    boxes = PDF_MEDIA_BOX.findall(document)
    assert boxes
    for width, height in boxes:
        assert float(width) == pytest.approx(A4_POINTS[0], abs=1)
        assert float(height) == pytest.approx(A4_POINTS[1], abs=1)


def test_a_long_report_runs_over_several_pdf_pages() -> None:
    document = to_pdf(full_report(Language.EN))

    assert len(PDF_PAGE.findall(document)) >= 2


@LANGUAGES
def test_an_empty_or_withheld_report_still_makes_a_pdf(language: Language) -> None:
    assert to_pdf(bare_report(language)).startswith(b"%PDF")
    assert to_pdf(bare_report(language, Withheld(2, 5))).startswith(b"%PDF")


def test_the_same_report_gives_the_same_pdf_dated_the_report_not_the_clock() -> None:
    report = full_report(Language.EN)

    document = to_pdf(report)

    assert document == to_pdf(report)
    assert b"/CreationDate (D:20250314000000Z)" in document


def test_a_name_with_dollar_signs_and_markup_draws_as_written() -> None:
    report = full_report(Language.EN, organisation="$Acme$ <b>{0}</b> 100%")

    assert to_png(report).startswith(PNG_SIGNATURE)
    assert to_pdf(report).startswith(b"%PDF")
