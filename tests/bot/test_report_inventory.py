"""What the full report says, listed from its data, found in the HTML page and the PDF alike.

The list is made from `ReportData` and the phrases, not from the report's own content blocks,
so a block that goes missing anywhere on the way to a page is caught here.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest

from bot.report import phrases
from bot.report.render import to_html, to_pdf
from dialogs import phrases as chat_phrases
from dialogs.report import ReportData
from engine.labels import label, phase_name
from engine.scoring import OrgResult
from engine.vocabulary import Language
from tests.bot.test_report_pdf import pdf_text
from tests.bot.test_report_render import full_report

LANGUAGES = pytest.mark.parametrize("language", list(Language))
MADE_ON = {Language.NL: "14 maart 2025", Language.EN: "14 March 2025"}
"""The fixture's date, as a reader writes it."""
COUNTS = {
    Language.NL: ("1.200", "2.100", "3.000", "3.900", "4.800"),
    Language.EN: ("1,200", "2,100", "3,000", "3,900", "4,800"),
}
"""The fixture's reach per period, with the reader's thousands separator."""


class _PageText(HTMLParser):
    """The words a reader sees on the page, and the names of its pictures."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "title"):
            self._hidden += 1
        if tag == "img":
            self.parts.append(dict(attrs).get("alt") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_text(page: str) -> str:
    parser = _PageText()
    parser.feed(page)
    return _plain(" ".join(parser.parts))


def _plain(text: str) -> str:
    return " ".join(text.split())


def inventory(report: ReportData) -> list[str]:
    """Every text the full report must show: headings, facts, cells, sentences and chart titles."""
    language = report.language
    assert report.latest is not None
    assert report.plan is not None
    result = report.latest.result
    assert isinstance(result, OrgResult)
    assert result.overall is not None
    said = [
        phrases.TITLE(language),
        phrases.SUBTITLE(language).format(organisation=report.organisation, date=MADE_ON[language]),
        *(
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
        ),
        phrases.FACT_PHASE(language),
        phrases.FACT_RESPONDENTS(language).format(number=report.latest.number),
        phrases.FACT_LIMITING(language),
        ", ".join(label(d, language) for d in result.limiting),
        phrases.FACT_SINCE_BASELINE(language).format(number=1),
        phrases.FACT_ON_TIME(language, 4),
        phrases.FACT_NEXT_STEP(language),
        phase_name(result.overall, language),
        phrases.PROFILE_INTRO(
            language,
            result.respondents,
            number=report.latest.number,
            phase=phase_name(result.overall, language),
        ),
        *(label(dimension, language) for dimension in result.dimensions),
        *(phase_name(score.phase, language) for score in result.dimensions.values()),
        chat_phrases.NEARLY_ALL(language),
        *(
            column(language)
            for column in (
                phrases.COL_DIMENSION,
                phrases.COL_PHASE,
                phrases.COL_MEDIAN,
                phrases.COL_AGREEMENT,
                phrases.COL_ANSWERS,
                phrases.COL_BASELINE,
                phrases.COL_LATEST,
                phrases.COL_CHANGE,
                phrases.COL_PERIOD,
                phrases.COL_POSTS,
                phrases.REACH,
                phrases.ENGAGEMENTS,
                phrases.ENGAGEMENT_RATE,
                phrases.ADVOCACY,
                phrases.COL_TASK,
                phrases.COL_OWNER,
                phrases.COL_STREAK,
                phrases.TEAM,
                phrases.NOTHING_DUE,
                phrases.STEPS,
                phrases.COL_MANAGEMENT,
                phrases.COL_EMPLOYEES,
                phrases.COL_CHANGE_GAP,
                phrases.GAP_EXPLAINED,
                phrases.ALWAYS_ON,
            )
        ),
        phrases.COL_WEEKS(language, 4),
        phrases.COL_WEEKS(language, 12),
        phrases.PROFILE_EXPLAINED(language),
        phrases.CHANGE_INTRO(language).format(before=1, after=report.latest.number),
        phrases.KPI_EXPLAINED(language),
        phrases.TASKS_EXPLAINED(language),
        *COUNTS[language],
        *(task.title for task in report.tasks),
        *(task.owner for task in report.tasks),
        phrases.PLAN_INTRO(language).format(
            phase=phase_name(report.plan.phase, language),
            target=phase_name(report.plan.target, language) if report.plan.target else "",
        ),
        *(
            phrases.STEP_LINE(language).format(
                title=step.title(language),
                dimension=label(step.dimension, language),
                owner=label(step.owner, language),
            )
            for step in report.plan.steps
        ),
        *(
            phrases.TASK_LINE(language).format(
                title=task.template.title(language),
                cadence=task.cadence.label(language),
                owner=label(task.owner, language),
            )
            for task in report.plan.tasks
        ),
    ]
    return [_plain(text) for text in said]


CHART_TITLES = (
    phrases.PROFILE_CHART,
    phrases.AGREEMENT_CHART,
    phrases.GAP_CHART,
    phrases.CHANGE_CHART,
    phrases.POSTS_CHART,
    phrases.REACH_CHART,
    phrases.RATES_CHART,
    phrases.TASKS_CHART,
)

OUTPUTS: dict[str, Callable[[ReportData], str]] = {
    "html": lambda report: html_text(to_html(report)),
    "pdf": lambda report: _plain(pdf_text(to_pdf(report))),
}


@LANGUAGES
@pytest.mark.parametrize("output", list(OUTPUTS))
def test_every_text_of_the_full_report_is_in_each_document(language: Language, output: str) -> None:
    report = full_report(language)

    shown = OUTPUTS[output](report)

    missing = [text for text in inventory(report) if text not in shown]
    assert missing == []


@LANGUAGES
@pytest.mark.parametrize("output", list(OUTPUTS))
def test_every_chart_is_named_in_each_document(language: Language, output: str) -> None:
    shown = OUTPUTS[output](full_report(language))

    for title in CHART_TITLES:
        assert _plain(title(language)) in shown
