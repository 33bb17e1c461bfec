"""What a manager acts on, in every format: next steps and what is due, the response, agreement,
management beside employees, and the weekly figures with their gaps and doubtful weeks.

The organisation has management a phase or more ahead of its employees, a week whose
engagements exceed its reach (a 500% rate), a week without figures, and task and step names
long enough to need wrapping.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, timedelta
from functools import cache

import pytest

from bot.app import App, build_app
from bot.report import charts, content, formats, phrases, png
from bot.report.render import to_html, to_pdf
from bot.settings import load_settings
from dialogs.records import Invitee, Launch
from dialogs.report import ReportData, Response, ScanLine, TaskLine, gather
from engine.kpi import KpiEntry, Metric, entry
from engine.labels import label
from engine.plan import make_plan
from engine.plan_catalogue import default_plan_catalogue
from engine.scoring import OrgResult, score
from engine.tasks import Consistency, team_consistency
from engine.vocabulary import Dimension, Language, Role
from tests.bot.test_report_inventory import html_text
from tests.bot.test_report_pdf import pdf_text
from tests.builders import close_running_scan, sheet, tiny_bank, uniform
from tests.fakes.clock import FixedClock

LANGUAGES = pytest.mark.parametrize("language", list(Language))
THRESHOLD = 5
FIRST_WEEK = date(2025, 1, 6)
MISSING_WEEK = 3
OUTLIER_WEEK = 1
WEEKS = 6
LONG_TASK = (
    "Share the weekly customer story from the service desk on LinkedIn, Instagram and the "
    "intranet, with a photo and a question for the readers"
)
MADE_ON = date(2025, 2, 14)


@cache
def _result(employees: int = 6) -> OrgResult:
    """Management at phase 4 everywhere; employees at 2, but at 4 on management support."""
    lagging = {**dict.fromkeys(Dimension, 2), Dimension.SUPPORT: 4}
    sheets = [uniform(4, Role.MANAGEMENT) for _ in range(5)]
    sheets += [sheet(lagging, Role.EMPLOYEE) for _ in range(employees)]
    sheets += [uniform(3, Role.PROJECT_TEAM) for _ in range(5)]
    result = score(tiny_bank(), sheets, threshold=THRESHOLD)
    assert isinstance(result, OrgResult)
    return result


def _kpis() -> tuple[KpiEntry, ...]:
    """Six weeks: the second claims 1,500 engagements on a reach of 300, the fourth is missing."""
    logged = []
    for week in range(WEEKS):
        if week == MISSING_WEEK:
            continue
        reach, engagements = (300, 1_500) if week == OUTLIER_WEEK else (1_200 + 100 * week, 90)
        start = FIRST_WEEK + timedelta(weeks=week)
        values = {
            Metric.POSTS: 3,
            Metric.REACH: reach,
            Metric.ENGAGEMENTS: engagements,
            Metric.SHARERS: 3,
            Metric.INVITED: 12,
        }
        logged.append(entry(start, start + timedelta(days=6), values))
    return tuple(logged)


def _tasks() -> tuple[TaskLine, ...]:
    return (
        TaskLine(LONG_TASK, "ann", Consistency(4, 4, 2), Consistency(12, 12, 6), 0, MADE_ON),
        TaskLine(
            "Log the figures",
            "bob",
            Consistency(4, 2, 2),
            Consistency(12, 6, 5),
            2,
            MADE_ON - timedelta(days=3),
        ),
    )


def report(language: Language, *, employees: int = 6) -> ReportData:
    result = _result(employees)
    tasks = _tasks()
    return ReportData(
        organisation="Acme Care",
        language=language,
        made_on=MADE_ON,
        latest=ScanLine(1, result),
        baseline=None,
        kpis=_kpis(),
        tasks=tasks,
        team_recent=team_consistency((task.recent for task in tasks), 4),
        team_longer=team_consistency((task.longer for task in tasks), 12),
        plan=make_plan(result, default_plan_catalogue()),
        response=Response(16, 20, invited=True),
    )


def _section(document: content.Document, title: str) -> content.Section:
    return next(section for section in document.sections if section.title == title)


def _plots(document: content.Document) -> list[content.Plot]:
    return [
        block
        for section in document.sections
        for block in section.blocks
        if isinstance(block, content.Bars | content.Columns | content.Lines)
    ]


def _line(document: content.Document, name: str) -> content.Series:
    return next(
        series
        for plot in _plots(document)
        if isinstance(plot, content.Lines)
        for series in plot.series
        if series.name == name
    )


def _plain(text: str) -> str:
    return " ".join(text.split())


def _outlier_period(language: Language) -> str:
    start = FIRST_WEEK + timedelta(weeks=OUTLIER_WEEK)
    return formats.period(start, start + timedelta(days=6), language)


def _said(language: Language) -> list[str]:
    """A sentence of each new section, as the reader sees it."""
    result = _result()
    document = content.document(report(language))
    flagged = content.texts(
        next(
            block
            for block in _section(document, phrases.KPI_TITLE(language)).blocks
            if isinstance(content.unwrap(block), content.Bullets)
        )
    )
    return [
        phrases.RESPONSE_INVITED(
            language, 16, invited=20, number=1, percent=formats.percent(0.8, language)
        ),
        phrases.GAP_APART(language).format(
            dimensions=", ".join(
                label(gap.dimension, language)
                for gap in result.role_gaps
                if gap.dimension is not None
            )
        ),
        *(title(language) for title in (phrases.AGREEMENT_CHART, phrases.FLAGGED_TITLE)),
        phrases.DUE_TITLE(language),
        *flagged,
        phrases.MISSING_WEEKS(
            language,
            1,
            weeks=formats.short_date(FIRST_WEEK + timedelta(weeks=MISSING_WEEK), language),
        ),
    ]


# -- every section in every format -----------------------------------------------------------------


def test_the_organisation_has_a_management_employee_gap() -> None:
    result = _result()

    apart = {gap.dimension for gap in result.role_gaps}

    assert Dimension.MEDIA in apart
    assert Dimension.SUPPORT not in apart


@LANGUAGES
def test_the_page_holds_every_new_section(language: Language) -> None:
    shown = html_text(to_html(report(language)))

    for title in (phrases.NEXT_TITLE, phrases.RESPONSE_TITLE, phrases.AGREEMENT_TITLE):
        assert title(language) in shown
    assert phrases.GAP_TITLE(language) in shown
    assert [text for text in _said(language) if _plain(text) not in shown] == []


@LANGUAGES
def test_the_pdf_holds_every_new_section(language: Language) -> None:
    shown = _plain(pdf_text(to_pdf(report(language))))

    for title in (phrases.NEXT_TITLE, phrases.RESPONSE_TITLE, phrases.AGREEMENT_TITLE):
        assert _plain(title(language)) in shown
    assert _plain(phrases.GAP_TITLE(language)) in shown
    assert [text for text in _said(language) if _plain(text) not in shown] == []


@LANGUAGES
def test_the_image_lays_out_every_section_under_its_heading(language: Language) -> None:
    document = content.document(report(language))

    placed = png.boxes(png.strips(document))

    assert [box.title for box in placed] == [section.title for section in document.sections]
    assert all(box.height > 0 for box in placed)
    for above, below in itertools.pairwise(placed):
        assert above.top + above.height == below.top


@LANGUAGES
def test_the_image_shows_the_steps_what_is_due_and_the_flagged_week(language: Language) -> None:
    data = report(language)
    document = content.document(data)

    laid_out = _plain(" ".join(text.text for s in png.strips(document) for text in s.written))

    assert data.plan is not None
    assert data.plan.steps
    for step in data.plan.steps:
        assert _plain(step.title(language)) in laid_out
    assert [text for text in _said(language) if _plain(text) not in laid_out] == []


@LANGUAGES
def test_no_text_in_the_image_is_cut_or_runs_past_its_room(language: Language) -> None:
    document = content.document(report(language))

    written = [text for strip in png.strips(document) for text in strip.written]

    assert any(len(text.lines) > 1 for text in written)
    for text in written:
        for line in text.lines:
            assert png.measure(line, text.size, bold=text.bold) <= text.room, line
        # Wrapping breaks at spaces, or between letters for a word too long for a line.
        assert "".join(text.lines).replace(" ", "") == text.text.replace(" ", "")


# -- figures that cannot be right, and weeks without figures ---------------------------------------


@LANGUAGES
def test_an_implausible_week_is_flagged_with_its_reason_and_not_plotted(language: Language) -> None:
    document = content.document(report(language))

    rate = _line(document, phrases.ENGAGEMENT_RATE(language))
    reach = _line(document, phrases.REACH(language))
    engagements = _line(document, phrases.ENGAGEMENTS(language))

    for series in (rate, reach, engagements):
        assert series.values[OUTLIER_WEEK] is None
        assert math.isnan(charts.points(series)[OUTLIER_WEEK])
    assert all(value is None or 0 <= value <= 100 for value in rate.values)
    # 90 engagements on a reach of 1,200, 1,400, 1,600 and 1,700.
    assert [round(v, 1) for v in rate.values if v is not None] == [7.5, 6.4, 5.6, 5.3]
    flagged = phrases.FLAG_LINE(language).format(
        period=_outlier_period(language),
        why=phrases.FLAG_ABOVE_REACH(language).format(
            engagements=formats.count(1_500, language),
            reach=formats.count(300, language),
            rate=formats.percent(5.0, language),
        ),
    )
    assert _plain(flagged) in html_text(to_html(report(language)))


def test_the_flag_writes_its_numbers_as_a_dutch_reader_does() -> None:
    shown = html_text(to_html(report(Language.NL)))

    assert "meer interacties (1.500) dan bereik (300), een interactiegraad van 500%" in shown


def test_a_negative_figure_and_more_sharers_than_invited_are_flagged() -> None:
    odd = KpiEntry(
        FIRST_WEEK,
        FIRST_WEEK + timedelta(days=6),
        {Metric.POSTS: -2, Metric.SHARERS: 9, Metric.INVITED: 4},
    )

    doubt = content.doubts(odd, Language.EN)

    assert doubt is not None
    assert doubt.left_out == {content.Plotted.POSTS, content.Plotted.ADVOCACY}
    assert doubt.reasons[0] == phrases.FLAG_NEGATIVE(Language.EN).format(
        figure=Metric.POSTS.label(Language.EN), value="-2"
    )
    assert (
        doubt.reasons[1]
        == "more employees sharing (9) than were asked (4), a participation of 225%"
    )
    assert content.doubts(_kpis()[0], Language.EN) is None


@LANGUAGES
def test_a_missing_week_is_a_gap_on_a_continuous_weekly_axis(language: Language) -> None:
    document = content.document(report(language))

    posts = next(plot for plot in _plots(document) if isinstance(plot, content.Columns))
    lines = [plot for plot in _plots(document) if isinstance(plot, content.Lines)]

    weeks = tuple(
        formats.short_date(FIRST_WEEK + timedelta(weeks=week), language) for week in range(WEEKS)
    )
    assert posts.periods == weeks
    assert posts.values[MISSING_WEEK] is None
    assert len(lines) == 2
    for plot in lines:
        assert plot.periods == weeks
        for series in plot.series:
            assert series.values[MISSING_WEEK] is None
            assert math.isnan(charts.points(series)[MISSING_WEEK])
            assert series.values[MISSING_WEEK + 1] is not None


def test_periods_that_are_not_weeks_are_shown_as_logged() -> None:
    months = tuple(
        entry(date(2025, month, 1), date(2025, month, 28), {Metric.POSTS: month})
        for month in (1, 3)
    )

    assert [slot for _, slot in content.timeline(months)] == list(months)


@LANGUAGES
def test_reach_engagements_and_rates_each_get_their_own_panel(language: Language) -> None:
    document = content.document(report(language))

    lines = [plot for plot in _plots(document) if isinstance(plot, content.Lines)]

    assert [[s.name for s in plot.series] for plot in lines] == [
        [phrases.REACH(language), phrases.ENGAGEMENTS(language)],
        [phrases.ENGAGEMENT_RATE(language), phrases.ADVOCACY(language)],
    ]
    picture = charts.draw(lines[0], width=8.0, font=10.0, dpi=50)
    assert (
        picture.height
        > charts.draw(
            replace(lines[0], series=lines[0].series[:1]), width=8.0, font=10.0, dpi=50
        ).height
    )


# -- long names, the groups and the response -------------------------------------------------------


@LANGUAGES
def test_a_long_task_name_appears_whole_in_every_format(language: Language) -> None:
    data = report(language)
    document = content.document(data)

    written = [text for strip in png.strips(document) for text in strip.written]
    due = [text for text in written if LONG_TASK in text.text]
    labels = charts.wrapped_labels([LONG_TASK], 9.7, 12.0)

    assert LONG_TASK in html_text(to_html(data))
    assert LONG_TASK in _plain(pdf_text(to_pdf(data)))
    assert due
    assert all(len(text.lines) > 1 for text in due)
    assert " ".join(labels[0].split("\n")) == LONG_TASK


@LANGUAGES
def test_what_is_due_says_which_task_is_overdue(language: Language) -> None:
    document = content.document(report(language))

    blocks = _section(document, phrases.NEXT_TITLE(language)).blocks
    heading = blocks.index(content.Key(content.Heading(phrases.DUE_TITLE(language))))
    due = content.texts(blocks[heading + 1])

    late = formats.short_date(MADE_ON - timedelta(days=3), language)
    assert due[0] == phrases.OVERDUE_LINE(language).format(
        title="Log the figures", owner="bob", date=late
    )
    assert due[1] == phrases.DUE_LINE(language).format(
        title=LONG_TASK, owner="ann", date=formats.short_date(MADE_ON, language)
    )


@LANGUAGES
def test_groups_below_the_threshold_are_never_set_side_by_side(language: Language) -> None:
    data = report(language, employees=THRESHOLD - 1)
    document = content.document(data)

    gap = _section(document, phrases.GAP_TITLE(language))
    page = html_text(to_html(data))

    assert content.texts(gap.blocks[0]) == (
        phrases.GAP_HIDDEN(language).format(threshold=THRESHOLD),
    )
    assert len(gap.blocks) == 1
    assert phrases.GAP_CHART(language) not in page


@LANGUAGES
def test_the_gap_table_sets_management_beside_employees(language: Language) -> None:
    document = content.document(report(language))

    table = next(
        block
        for block in _section(document, phrases.GAP_TITLE(language)).blocks
        if isinstance(block, content.Table)
    )

    rows = {row[0]: row[1:] for row in table.rows}
    assert rows[label(Dimension.MEDIA, language)] == ("4", "2", "+2")
    assert rows[label(Dimension.SUPPORT, language)] == ("4", "4", "0")


@pytest.mark.parametrize(
    ("language", "response", "said"),
    [
        (
            Language.EN,
            Response(1, 13, invited=True),
            "Scan 1: 1 of the 13 invited finished it (7.7%).",
        ),
        (
            Language.NL,
            Response(1, 13, invited=True),
            "Scan 1: 1 van de 13 genodigden vulde hem helemaal in (7,7%).",
        ),
        (
            Language.NL,
            Response(12, 16, invited=True),
            "Scan 1: 12 van de 16 genodigden vulden hem helemaal in (75%).",
        ),
        (
            Language.EN,
            Response(15, 16, invited=False),
            "counts those who began it: 15 of the 16 finished it (94%).",
        ),
        (
            Language.NL,
            Response(1, 3, invited=False),
            "wie eraan begon: 1 van de 3 maakte hem af (33%).",
        ),
        (Language.EN, Response(0, 0, invited=False), "Nobody started scan 1."),
    ],
)
def test_the_response_says_of_whom_it_counts(
    language: Language, response: Response, said: str
) -> None:
    document = content.document(replace(report(language), response=response))

    section = _section(document, phrases.RESPONSE_TITLE(language))

    assert said in content.texts(section.blocks[0])[0]


# -- what `gather` counts -------------------------------------------------------------------------


@pytest.fixture
async def app(sqlite_url: str) -> AsyncIterator[App]:
    built = await build_app(load_settings(database_url=sqlite_url), clock=FixedClock())
    try:
        yield built
    finally:
        await built.close()


async def _gathered(app: App, *, launched: bool) -> ReportData:
    """A closed scan: four invited (when launched), two of them finished, one more started."""
    org = await app.organisations.ensure("test:acme", "Acme")
    now = app.clock.now()
    scan = await app.scans.open(org.id, bank_version=1, now=now)
    if launched:
        invited = [f"test:p{number}" for number in range(4)]
        await app.activation.launches.record(
            org.id, Launch(scan.id, "test:pm"), [Invitee(person) for person in invited]
        )
    question = app.advisor.knowledge.bank.questions[0]
    for number, finished in ((0, True), (1, True), (2, False), (9, True)):
        respondent = f"test:p{number}"
        await app.scans.record_answer(
            org.id, scan.id, respondent, question.id, (question.options[0].id,), now=now
        )
        if finished:
            await app.scans.complete(org.id, scan.id, respondent, now=now)
    await close_running_scan(app.scans, org.id, now=now)
    return await gather(
        org,
        advisor=app.advisor,
        tasks=app.activation.tasks,
        kpis=app.activation.kpis,
        people=app.activation.people,
        scans=app.scans,
        launches=app.activation.launches,
        now=now,
    )


async def test_gather_counts_the_invited_who_finished(app: App) -> None:
    data = await _gathered(app, launched=True)

    assert data.response == Response(2, 4, invited=True)


async def test_gather_counts_those_who_started_when_nobody_was_invited(app: App) -> None:
    data = await _gathered(app, launched=False)

    assert data.response == Response(3, 4, invited=False)
