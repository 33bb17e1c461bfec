"""The management report drawn three ways: an HTML page, one tall PNG and A4 pages of PDF.

The report is first put into neutral blocks (headings, paragraphs, facts, tables, bullets and
plots), in the report's language; each output then lays those blocks out in its own way.
"""

from __future__ import annotations

import base64
import html
import io
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from bot.report import phrases
from dialogs import phrases as chat_phrases
from dialogs.nudge_views import cross_check
from dialogs.report import ReportData, ScanLine, TaskLine
from engine.kpi import KpiEntry, Metric
from engine.labels import decimal, label, phase_name
from engine.plan import Plan
from engine.scoring import OrgResult, Withheld
from engine.tasks import Consistency
from engine.vocabulary import Dimension, Language

DPI = 100
INK = "#1f2933"
MUTED = "#5f6b7a"
GRID = "#c8ced6"
DARK = "#3b6ea5"
LIGHT = "#a9c1dc"
ACCENT = "#d08a2e"
LABEL_CHARS = 26
"""Bar labels wrap at this width, in two lines at most."""
KPI_ROWS = 12
"""The KPI table shows the latest periods only; the charts show them all."""
PERIOD_TICKS = 6


# -- the report as neutral blocks ------------------------------------------------------------------


@dataclass(frozen=True)
class _Heading:
    text: str


@dataclass(frozen=True)
class _Paragraph:
    text: str
    key: bool = False
    """Also shown in the one-image summary."""


@dataclass(frozen=True)
class _Facts:
    rows: tuple[tuple[str, str], ...]
    key: bool = False


@dataclass(frozen=True)
class _Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class _Plot:
    title: str
    draw: Callable[[Axes, float], None]
    """Draws into the axes with the given base font size."""
    rows: int = 0
    """Bars in a horizontal bar chart; 0 for a chart over time."""
    label_chars: int = 0
    legend: bool = False
    twin: bool = False
    """A second value axis on the right."""


_Block = _Heading | _Paragraph | _Facts | _Table | _Bullets | _Plot


@dataclass(frozen=True)
class _Section:
    title: str
    blocks: tuple[_Block, ...]


@dataclass(frozen=True)
class _Document:
    title: str
    subtitle: str
    language: Language
    sections: tuple[_Section, ...]


def _document(report: ReportData) -> _Document:
    language = report.language
    subtitle = phrases.SUBTITLE(language).format(
        organisation=report.organisation, date=_long_date(report.made_on, language)
    )
    return _Document(
        title=phrases.TITLE(language),
        subtitle=subtitle,
        language=language,
        sections=(
            _summary(report),
            _profile(report.latest, language),
            _change(report.latest, report.baseline, language),
            _kpis(report.kpis, language),
            _consistency(report, language),
            _next(report.plan, language),
        ),
    )


# -- at a glance -----------------------------------------------------------------------------------


def _summary(report: ReportData) -> _Section:
    language = report.language
    rows = (
        *_scan_facts(report.latest, language),
        *_baseline_facts(report.latest, report.baseline, language),
        *_task_facts(report, language),
        *_plan_facts(report.plan, language),
    )
    return _Section(phrases.SUMMARY_TITLE(language), (_Facts(rows, key=True),))


def _scan_facts(latest: ScanLine | None, language: Language) -> list[tuple[str, str]]:
    phase = phrases.FACT_PHASE(language)
    if latest is None:
        return [(phase, phrases.NO_RESULT_SHORT(language))]
    result = latest.result
    if isinstance(result, Withheld):
        return [(phase, phrases.TOO_FEW_SHORT(language, result.respondents))]
    rows = [
        (phase, _phase(result, language)),
        (phrases.FACT_RESPONDENTS(language).format(number=latest.number), str(result.respondents)),
    ]
    if result.limiting:
        rows.append((phrases.FACT_LIMITING(language), _names(result.limiting, language)))
    return rows


def _baseline_facts(
    latest: ScanLine | None, baseline: ScanLine | None, language: Language
) -> list[tuple[str, str]]:
    pair = _comparable(latest, baseline)
    if pair is None or baseline is None:
        return []
    before, after = pair
    heading = phrases.FACT_SINCE_BASELINE(language).format(number=baseline.number)
    return [(heading, f"{_phase(before, language)} → {_phase(after, language)}")]


def _task_facts(report: ReportData, language: Language) -> list[tuple[str, str]]:
    if not report.tasks:
        return []
    recent = report.team_recent
    return [(phrases.FACT_ON_TIME(language, recent.weeks), _on_time(recent, language))]


def _plan_facts(plan: Plan | None, language: Language) -> list[tuple[str, str]]:
    if plan is None or not plan.steps:
        return []
    return [(phrases.FACT_NEXT_STEP(language), plan.steps[0].title(language))]


# -- phase and profile -----------------------------------------------------------------------------


def _profile(latest: ScanLine | None, language: Language) -> _Section:
    title = phrases.PROFILE_TITLE(language)
    if latest is None:
        return _Section(title, (_Paragraph(phrases.NO_RESULT(language), key=True),))
    result = latest.result
    if isinstance(result, Withheld):
        return _Section(title, (_Paragraph(_withheld(latest.number, result, language), key=True),))
    blocks: list[_Block] = [
        _Paragraph(
            (
                phrases.PROFILE_INTRO
                if result.overall is not None
                else phrases.PROFILE_INTRO_NO_PHASE
            )(language, result.respondents, number=latest.number, phase=_phase(result, language))
        ),
        _Paragraph(_progress(result, language)),
    ]
    if result.limiting:
        names = _names(result.limiting, language)
        blocks.append(_Paragraph(phrases.PROFILE_LIMITING(language).format(dimensions=names)))
    if result.unrated:
        names = _names(result.unrated, language)
        blocks.append(_Paragraph(phrases.UNRATED(language).format(dimensions=names)))
    if not result.dimensions:
        return _Section(title, (*blocks, _Paragraph(phrases.NO_DIMENSIONS(language), key=True)))
    return _Section(
        title,
        (
            *blocks,
            _profile_table(result, language),
            _profile_plot(result, language),
            _Paragraph(phrases.PROFILE_EXPLAINED(language)),
        ),
    )


def _withheld(number: int, result: Withheld, language: Language) -> str:
    return phrases.WITHHELD(language, result.respondents, number=number, threshold=result.threshold)


def _phase(result: OrgResult, language: Language) -> str:
    if result.overall is None:
        return phrases.NO_PHASE_SHORT(language)
    return phase_name(result.overall, language)


def _progress(result: OrgResult, language: Language) -> str:
    if result.overall is None:
        return phrases.NO_PHASE(language).format(minimum=result.minimum)
    target = result.overall.next()
    if target is None or result.progress is None:
        return phrases.PROFILE_TOP(language)
    return phrases.PROFILE_PROGRESS(language).format(
        target=phase_name(target, language), percent=_percent(result.progress * 100, language)
    )


def _profile_table(result: OrgResult, language: Language) -> _Table:
    header = (
        phrases.COL_DIMENSION(language),
        phrases.COL_PHASE(language),
        phrases.COL_MEDIAN(language),
        phrases.COL_AGREEMENT(language),
        phrases.COL_ANSWERS(language),
    )
    rows = tuple(
        (
            label(dimension, language),
            phase_name(score.phase, language),
            _decimal(score.median, language),
            _percent(score.agreement * 100, language),
            str(score.shown_n) if score.shown_n is not None else chat_phrases.NEARLY_ALL(language),
        )
        for dimension, score in result.dimensions.items()
    )
    return _Table(header, rows)


def _profile_plot(result: OrgResult, language: Language) -> _Plot:
    labels = [label(dimension, language) for dimension in result.dimensions]
    medians = [score.median for score in result.dimensions.values()]
    return _phase_bars(
        phrases.PROFILE_CHART(language), labels, [("", medians, DARK)], language, legend=False
    )


# -- change since the baseline ---------------------------------------------------------------------


def _comparable(
    latest: ScanLine | None, baseline: ScanLine | None
) -> tuple[OrgResult, OrgResult] | None:
    if latest is None or baseline is None:
        return None
    if isinstance(latest.result, OrgResult) and isinstance(baseline.result, OrgResult):
        return baseline.result, latest.result
    return None


def _change(latest: ScanLine | None, baseline: ScanLine | None, language: Language) -> _Section:
    title = phrases.CHANGE_TITLE(language)
    pair = _comparable(latest, baseline)
    if pair is None or latest is None or baseline is None:
        first = baseline is None and latest is not None and isinstance(latest.result, OrgResult)
        why = phrases.CHANGE_IS_BASELINE if first else phrases.CHANGE_NOT_COMPARABLE
        return _Section(title, (_Paragraph(why(language), key=True),))
    before, after = pair
    shared = [d for d in Dimension if d in before.dimensions and d in after.dimensions]
    if not shared:
        return _Section(title, (_Paragraph(phrases.CHANGE_NOTHING_SHARED(language), key=True),))
    intro = phrases.CHANGE_INTRO(language).format(before=baseline.number, after=latest.number)
    return _Section(
        title,
        (
            _Paragraph(intro),
            _change_table(before, after, shared, language),
            _change_plot(before, after, shared, (baseline.number, latest.number), language),
        ),
    )


def _change_table(
    before: OrgResult, after: OrgResult, shared: Sequence[Dimension], language: Language
) -> _Table:
    header = (
        phrases.COL_DIMENSION(language),
        phrases.COL_BASELINE(language),
        phrases.COL_LATEST(language),
        phrases.COL_CHANGE(language),
    )
    rows = tuple(
        (
            label(d, language),
            _decimal(before.dimensions[d].median, language),
            _decimal(after.dimensions[d].median, language),
            _signed(after.dimensions[d].median - before.dimensions[d].median, language),
        )
        for d in shared
    )
    return _Table(header, rows)


def _change_plot(
    before: OrgResult,
    after: OrgResult,
    shared: Sequence[Dimension],
    numbers: tuple[int, int],
    language: Language,
) -> _Plot:
    scan = phrases.LEGEND_SCAN(language)
    series = [
        (scan.format(number=numbers[0]), [before.dimensions[d].median for d in shared], LIGHT),
        (scan.format(number=numbers[1]), [after.dimensions[d].median for d in shared], DARK),
    ]
    labels = [label(d, language) for d in shared]
    return _phase_bars(phrases.CHANGE_CHART(language), labels, series, language, legend=True)


def _phase_bars(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], str]],
    language: Language,
    *,
    legend: bool,
) -> _Plot:
    draw = partial(
        _draw_bars,
        labels=labels,
        series=series,
        maximum=5.0,
        ticks=(1, 2, 3, 4, 5),
        shown=partial(_value_or_nothing, language=language),
        tick=partial(_decimal, language=language),
    )
    return _Plot(title, draw, rows=len(labels), label_chars=_longest(labels), legend=legend)


# -- figures over time -----------------------------------------------------------------------------


def _kpis(entries: Sequence[KpiEntry], language: Language) -> _Section:
    title = phrases.KPI_TITLE(language)
    if not entries:
        return _Section(title, (_Paragraph(phrases.NO_KPIS(language), key=True),))
    periods = [_short_date(entry.start, language) for entry in entries]
    blocks = (
        _Paragraph(_kpi_intro(entries, language)),
        _posts_plot(entries, periods, language),
        _reach_plot(entries, periods, language),
        _rates_plot(entries, periods, language),
        *_kpi_table(entries, language),
        _Paragraph(phrases.KPI_EXPLAINED(language)),
    )
    return _Section(title, blocks)


def _kpi_intro(entries: Sequence[KpiEntry], language: Language) -> str:
    if len(entries) == 1:
        return phrases.KPI_ONE_PERIOD(language).format(period=_period(entries[0], language))
    return phrases.KPI_INTRO(
        language,
        len(entries),
        first=_long_date(entries[0].start, language),
        last=_long_date(entries[-1].end, language),
    )


def _posts_plot(entries: Sequence[KpiEntry], periods: Sequence[str], language: Language) -> _Block:
    title = phrases.POSTS_CHART(language)
    posts = [entry.values.get(Metric.POSTS) for entry in entries]
    if all(value is None for value in posts):
        return _not_logged(title, language)
    draw = partial(_draw_columns, periods=periods, values=posts, language=language)
    return _Plot(title, draw)


def _reach_plot(entries: Sequence[KpiEntry], periods: Sequence[str], language: Language) -> _Block:
    title = phrases.REACH_CHART(language)
    series = _present(
        (phrases.REACH(language), [entry.values.get(Metric.REACH) for entry in entries], DARK),
        (
            phrases.ENGAGEMENTS(language),
            [entry.values.get(Metric.ENGAGEMENTS) for entry in entries],
            ACCENT,
        ),
    )
    if not series:
        return _not_logged(title, language)
    draw = partial(_draw_lines, periods=periods, series=series, language=language, percent=False)
    return _Plot(title, draw, legend=True, twin=len(series) == 2)


def _rates_plot(entries: Sequence[KpiEntry], periods: Sequence[str], language: Language) -> _Block:
    title = phrases.RATES_CHART(language)
    series = _present(
        (phrases.ENGAGEMENT_RATE(language), [entry.engagement_rate for entry in entries], DARK),
        (phrases.ADVOCACY(language), [entry.advocacy_participation for entry in entries], ACCENT),
    )
    if not series:
        return _not_logged(title, language)
    draw = partial(_draw_lines, periods=periods, series=series, language=language, percent=True)
    return _Plot(title, draw, legend=True)


_Series = tuple[str, Sequence[float | None], str]


def _present(*series: _Series) -> tuple[_Series, ...]:
    return tuple(line for line in series if any(value is not None for value in line[1]))


def _not_logged(chart: str, language: Language) -> _Paragraph:
    return _Paragraph(phrases.NOT_LOGGED(language).format(chart=chart), key=True)


def _kpi_table(entries: Sequence[KpiEntry], language: Language) -> tuple[_Block, ...]:
    shown = entries[-KPI_ROWS:]
    header = (
        phrases.COL_PERIOD(language),
        phrases.COL_POSTS(language),
        phrases.REACH(language),
        phrases.ENGAGEMENTS(language),
        phrases.ENGAGEMENT_RATE(language),
        phrases.ADVOCACY(language),
    )
    rows = tuple(_kpi_row(entry, language) for entry in shown)
    table = _Table(header, rows)
    if len(shown) < len(entries):
        return (_Paragraph(phrases.KPI_TABLE_LATEST(language, len(shown))), table)
    return (table,)


def _kpi_row(entry: KpiEntry, language: Language) -> tuple[str, ...]:
    counts = (
        _count_or_missing(entry.values.get(metric), language)
        for metric in (Metric.POSTS, Metric.REACH, Metric.ENGAGEMENTS)
    )
    rates = (
        _percent_or_missing(rate, language)
        for rate in (entry.engagement_rate, entry.advocacy_participation)
    )
    return (_period(entry, language), *counts, *rates)


# -- consistency -----------------------------------------------------------------------------------


def _consistency(report: ReportData, language: Language) -> _Section:
    title = phrases.TASKS_TITLE(language)
    if not report.tasks:
        return _Section(title, (_Paragraph(phrases.NO_TASKS(language), key=True),))
    blocks: list[_Block] = [
        _consistency_table(report, language),
        _consistency_plot(report, language),
        _Paragraph(phrases.TASKS_EXPLAINED(language)),
    ]
    if report.check is not None and report.check.disagrees:
        blocks.append(_Paragraph(cross_check(report.check, language), key=True))
    if report.unreachable:
        blocks.append(_Paragraph(phrases.UNREACHABLE(language)))
        blocks.append(_Bullets(tuple(_address(r) for r in report.unreachable)))
    return _Section(title, tuple(blocks))


def _address(recipient: str) -> str:
    """A person's or a place's address as a reader knows it: ``ann``, ``#C0123``."""
    return recipient.split(":", 1)[-1]


def _consistency_table(report: ReportData, language: Language) -> _Table:
    header = (
        phrases.COL_TASK(language),
        phrases.COL_OWNER(language),
        phrases.COL_WEEKS(language, report.team_recent.weeks),
        phrases.COL_WEEKS(language, report.team_longer.weeks),
        phrases.COL_STREAK(language),
    )
    rows = tuple(_task_row(task, language) for task in report.tasks)
    team = (
        phrases.TEAM(language),
        "",
        _on_time(report.team_recent, language),
        _on_time(report.team_longer, language),
        phrases.MISSING(language),
    )
    return _Table(header, (*rows, team))


def _task_row(task: TaskLine, language: Language) -> tuple[str, ...]:
    return (
        task.title,
        task.owner,
        _on_time(task.recent, language),
        _on_time(task.longer, language),
        str(task.streak),
    )


def _consistency_plot(report: ReportData, language: Language) -> _Block:
    lines = [(task.title, task.recent, task.longer) for task in report.tasks]
    lines.append((phrases.TEAM(language), report.team_recent, report.team_longer))
    if all(recent.counted == 0 and longer.counted == 0 for _, recent, longer in lines):
        return _Paragraph(phrases.NOTHING_DUE_YET(language), key=True)
    weeks = phrases.LEGEND_WEEKS
    series = [
        (weeks(language, report.team_recent.weeks), [_share(r) for _, r, _ in lines], DARK),
        (weeks(language, report.team_longer.weeks), [_share(lo) for _, _, lo in lines], LIGHT),
    ]
    labels = [title for title, _, _ in lines]
    draw = partial(
        _draw_bars,
        labels=labels,
        series=series,
        maximum=100.0,
        ticks=(0, 25, 50, 75, 100),
        shown=partial(_percent_or_nothing_due, language=language),
        tick=partial(_percent, language=language),
    )
    title = phrases.TASKS_CHART(language)
    return _Plot(title, draw, rows=len(labels), label_chars=_longest(labels), legend=True)


def _share(consistency: Consistency) -> float | None:
    share = consistency.share
    return None if share is None else share * 100


def _on_time(consistency: Consistency, language: Language) -> str:
    share = consistency.share
    if share is None:
        return phrases.NOTHING_DUE(language)
    return phrases.ON_TIME_CELL(language).format(
        percent=_percent(share * 100, language),
        on_time=consistency.on_time,
        counted=consistency.counted,
    )


# -- what comes next -------------------------------------------------------------------------------


def _next(plan: Plan | None, language: Language) -> _Section:
    title = phrases.NEXT_TITLE(language)
    if plan is None:
        return _Section(title, (_Paragraph(phrases.NO_PLAN(language), key=True),))
    blocks: list[_Block] = [_Paragraph(_plan_intro(plan, language), key=True)]
    blocks.append(_Heading(phrases.STEPS(language)))
    steps = tuple(
        phrases.STEP_LINE(language).format(
            title=step.title(language),
            dimension=label(step.dimension, language),
            owner=label(step.owner, language),
        )
        for step in plan.steps
    )
    blocks.append(_Bullets(steps) if steps else _Paragraph(phrases.NO_STEPS(language)))
    if plan.tasks:
        tasks = tuple(
            phrases.TASK_LINE(language).format(
                title=task.template.title(language),
                cadence=task.cadence.label(language),
                owner=label(task.owner, language),
            )
            for task in plan.tasks
        )
        blocks += [_Heading(phrases.ALWAYS_ON(language)), _Bullets(tasks)]
    return _Section(title, tuple(blocks))


def _plan_intro(plan: Plan, language: Language) -> str:
    here = phase_name(plan.phase, language)
    if plan.target is None:
        return phrases.PLAN_INTRO_TOP(language).format(phase=here)
    return phrases.PLAN_INTRO(language).format(phase=here, target=phase_name(plan.target, language))


# -- words and numbers -----------------------------------------------------------------------------


def _names(dimensions: Sequence[Dimension], language: Language) -> str:
    return ", ".join(label(d, language) for d in dimensions)


def _long_date(day: date, language: Language) -> str:
    return f"{day.day} {phrases.MONTHS[day.month - 1](language)} {day.year}"


def _short_date(day: date, language: Language) -> str:
    return f"{day.day} {phrases.MONTHS_SHORT[day.month - 1](language)} {day.year}"


def _period(entry: KpiEntry, language: Language) -> str:
    start, end = entry.start, entry.end
    if start == end:
        return _short_date(start, language)
    if start.year != end.year:
        return f"{_short_date(start, language)} – {_short_date(end, language)}"
    if start.month != end.month:
        month = phrases.MONTHS_SHORT[start.month - 1](language)
        return f"{start.day} {month} – {_short_date(end, language)}"
    return f"{start.day}–{_short_date(end, language)}"


def _decimal(value: float, language: Language) -> str:
    return decimal(value, language, keep_zero=False)


def _signed(delta: float, language: Language) -> str:
    if round(delta, 1) == 0:
        return "0"
    return ("+" if delta > 0 else "−") + _decimal(abs(delta), language)


def _count(value: float, language: Language) -> str:
    written = f"{round(value):,}"
    return written.replace(",", ".") if language is Language.NL else written


def _percent(value: float, language: Language) -> str:
    return f"{_decimal(value, language) if value < 10 else round(value)}%"


def _count_or_missing(value: int | None, language: Language) -> str:
    return phrases.MISSING(language) if value is None else _count(value, language)


def _percent_or_missing(value: float | None, language: Language) -> str:
    return phrases.MISSING(language) if value is None else _percent(value, language)


def _value_or_nothing(value: float | None, language: Language) -> str:
    return "" if value is None else _decimal(value, language)


def _percent_or_nothing_due(value: float | None, language: Language) -> str:
    return phrases.NOTHING_DUE(language) if value is None else _percent(value, language)


def _longest(labels: Sequence[str]) -> int:
    return min(max((len(text) for text in labels), default=1), LABEL_CHARS)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, max(width, 4), break_long_words=True) or [""]


# -- charts ----------------------------------------------------------------------------------------


def _draw_bars(
    axes: Axes,
    font: float,
    *,
    labels: Sequence[str],
    series: Sequence[_Series],
    maximum: float,
    ticks: Sequence[float],
    shown: Callable[[float | None], str],
    tick: Callable[[float], str],
) -> None:
    """Horizontal bars, one group per label; a missing value gets its text but no bar."""
    thickness = 0.72 / len(series)
    for position, (_, values, colour) in enumerate(series):
        offset = (position - (len(series) - 1) / 2) * thickness
        for row, value in enumerate(values):
            if value is not None:
                bar = min(max(value, 0.0), maximum)
                axes.barh(row + offset, bar, height=thickness * 0.9, color=colour, zorder=2)
            axes.text(
                min(max(value or 0.0, 0.0), maximum) + maximum * 0.012,
                row + offset,
                shown(value),
                va="center",
                fontsize=font * 0.75,
                color=INK if value is not None else MUTED,
                parse_math=False,
            )
    wrapped = ["\n".join(_wrap(text, LABEL_CHARS)[:2]) for text in labels]
    axes.set_yticks(range(len(labels)), wrapped, fontsize=font * 0.85, parse_math=False)
    axes.set_ylim(len(labels) - 0.5, -0.5)
    axes.set_xlim(0, maximum * 1.16)
    axes.set_xticks(list(ticks), [tick(value) for value in ticks], fontsize=font * 0.8)
    axes.tick_params(length=0)
    axes.grid(axis="x", color=GRID, linewidth=0.8, zorder=0)
    _plain(axes)
    if len(series) > 1:
        handles = [Patch(color=colour, label=name) for name, _, colour in series]
        _legend(axes, handles, font)


def _draw_columns(
    axes: Axes,
    font: float,
    *,
    periods: Sequence[str],
    values: Sequence[int | None],
    language: Language,
) -> None:
    drawn = [(row, value) for row, value in enumerate(values) if value is not None]
    axes.bar([row for row, _ in drawn], [value for _, value in drawn], 0.6, color=DARK, zorder=2)
    _value_axis(axes, font, partial(_count, language=language))
    _period_axis(axes, font, periods)


def _draw_lines(
    axes: Axes,
    font: float,
    *,
    periods: Sequence[str],
    series: Sequence[_Series],
    language: Language,
    percent: bool,
) -> None:
    """One line per series; with two series of counts, the second gets its own axis on the
    right, since engagements are a small fraction of reach."""
    shown = partial(_percent if percent else _count, language=language)
    handles: list[Line2D] = []
    drawn_on: list[Axes] = []
    for position, (name, values, colour) in enumerate(series):
        own = axes.twinx() if position and not percent else axes
        points = [math.nan if value is None else value for value in values]
        (line,) = own.plot(
            range(len(points)), points, color=colour, marker="o", linewidth=2, label=name
        )
        handles.append(line)
        if own not in drawn_on:
            drawn_on.append(own)
    # Only once everything is drawn: fixing the bottom at 0 also fixes the top.
    for own in drawn_on:
        _value_axis(own, font, shown)
    if len(drawn_on) > 1:
        for own, (_, _, colour) in zip(drawn_on, series, strict=True):
            own.tick_params(axis="y", labelcolor=colour)
    _period_axis(axes, font, periods)
    _legend(axes, handles, font)


def _period_axis(axes: Axes, font: float, periods: Sequence[str]) -> None:
    step = max(1, math.ceil(len(periods) / PERIOD_TICKS))
    ticks = list(range(0, len(periods), step))
    axes.set_xticks(ticks, [periods[tick] for tick in ticks], fontsize=font * 0.8)
    axes.set_xlim(-0.6, len(periods) - 0.4)
    axes.grid(axis="y", color=GRID, linewidth=0.8, zorder=0)


def _value_axis(axes: Axes, font: float, shown: Callable[[float], str]) -> None:
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: shown(value)))
    axes.tick_params(labelsize=font * 0.8, length=0)
    _plain(axes)


def _plain(axes: Axes) -> None:
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(GRID)


def _legend(axes: Axes, handles: Sequence[Patch | Line2D], font: float) -> None:
    axes.legend(
        handles=list(handles),
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=len(handles),
        frameon=False,
        fontsize=font * 0.8,
        borderaxespad=0.3,
        handlelength=1.5,
    )


# -- laying blocks out on a sheet ------------------------------------------------------------------


@dataclass(frozen=True)
class _Sheet:
    width: float
    """Inches, as are the margin and the heights below."""
    margin: float
    font: float

    @property
    def inner(self) -> float:
        return self.width - 2 * self.margin

    @property
    def line(self) -> float:
        return _line(self.font)


_IMAGE = _Sheet(width=12.0, margin=0.5, font=15.0)
"""1200 pixels wide: Slack's preview shows it whole and the text stays legible."""
_A4 = _Sheet(width=8.27, margin=0.6, font=9.5)
_A4_HEIGHT = 11.69
_HTML_CHART = _Sheet(width=10.0, margin=0.15, font=12.0)


@dataclass(frozen=True)
class _Strip:
    """A horizontal slice of a page that is never split: a line of text, a row, a chart."""

    height: float
    draw: Callable[[Figure, float], None]
    """Draws with its top at the given height, in inches from the bottom of the figure."""
    keep_with_next: bool = False


def _line(font: float) -> float:
    return font * 1.4 / 72


def _chars(width: float, font: float) -> int:
    """How many characters of this size fit in `width` inches, on average."""
    return int(width / (font * 0.58 / 72))


def _strips(document: _Document, sheet: _Sheet, *, brief: bool) -> list[_Strip]:
    strips = [
        _text_strip(sheet, [document.title], sheet.font * 1.9, bold=True),
        _text_strip(sheet, [document.subtitle], sheet.font * 1.15, colour=MUTED, after=0.8),
    ]
    for section in document.sections:
        blocks = [block for block in section.blocks if not brief or _in_image(block)]
        if not blocks:
            continue
        heading = _text_strip(sheet, [section.title], sheet.font * 1.4, bold=True, before=0.6)
        strips.append(_keep(heading))
        for block in blocks:
            strips += _block_strips(block, sheet)
    return strips


def _in_image(block: _Block) -> bool:
    if isinstance(block, _Plot):
        return True
    if isinstance(block, _Paragraph | _Facts):
        return block.key
    return False


def _keep(strip: _Strip) -> _Strip:
    return _Strip(strip.height, strip.draw, keep_with_next=True)


def _block_strips(block: _Block, sheet: _Sheet) -> list[_Strip]:
    match block:
        case _Heading(text):
            return [_keep(_text_strip(sheet, [text], sheet.font * 1.1, bold=True, before=0.3))]
        case _Paragraph(text):
            size = sheet.font
            return [_text_strip(sheet, _wrap(text, _chars(sheet.inner, size)), size, after=0.4)]
        case _Facts(rows):
            return _facts_strips(rows, sheet)
        case _Table(header, rows):
            return _table_strips(header, rows, sheet)
        case _Bullets(items):
            return [_bullet_strip(item, sheet) for item in items]
        case _Plot():
            return [_plot_strip(block, sheet)]


def _text_strip(
    sheet: _Sheet,
    lines: Sequence[str],
    size: float,
    *,
    bold: bool = False,
    colour: str = INK,
    before: float = 0.0,
    after: float = 0.0,
) -> _Strip:
    line = _line(size)

    def draw(figure: Figure, top: float) -> None:
        _write(figure, sheet.margin, top - before * line, lines, size, bold=bold, colour=colour)

    return _Strip((before + len(lines) + after) * line, draw)


def _facts_strips(rows: Sequence[tuple[str, str]], sheet: _Sheet) -> list[_Strip]:
    room = _chars(sheet.inner, sheet.font)
    label_chars = min(max((len(name) for name, _ in rows), default=1) + 2, room * 2 // 5)
    cells = [
        (_wrap(name, label_chars - 2), _wrap(value, room - label_chars)) for name, value in rows
    ]
    offsets = (0.0, label_chars * sheet.inner / room)
    return [_row_strip(sheet, offsets, row, bold=(True, False)) for row in cells]


def _table_strips(
    header: Sequence[str], rows: Sequence[Sequence[str]], sheet: _Sheet
) -> list[_Strip]:
    size = sheet.font * 0.95
    room = _chars(sheet.inner, size)
    widths = _column_widths([header, *rows], room)
    offsets = tuple(sum(widths[:column]) * sheet.inner / room for column in range(len(widths)))

    def cells(row: Sequence[str]) -> list[list[str]]:
        return [_wrap(cell, width - 2) for cell, width in zip(row, widths, strict=True)]

    head = _row_strip(sheet, offsets, cells(header), bold=(True,) * len(header), size=size)
    return [
        _keep(_underlined(head, sheet)),
        *(_row_strip(sheet, offsets, cells(row), size=size) for row in rows),
        _Strip(0.4 * sheet.line, _nothing),
    ]


def _column_widths(rows: Sequence[Sequence[str]], room: int) -> list[int]:
    """Characters per column: as wide as the widest cell; when that is too wide, each column
    keeps its longest word and the rest of the room goes to the columns that want more."""
    columns = range(len(rows[0]))
    natural = [max(len(row[column]) for row in rows) + 2 for column in columns]
    if sum(natural) <= room:
        return natural
    least = [max(len(word) for row in rows for word in [*row[c].split(), ""]) + 2 for c in columns]
    spare, wanted = room - sum(least), sum(natural) - sum(least)
    if spare <= 0:
        return least
    return [low + (high - low) * spare // wanted for low, high in zip(least, natural, strict=True)]


def _row_strip(
    sheet: _Sheet,
    offsets: Sequence[float],
    cells: Sequence[Sequence[str]],
    *,
    bold: Sequence[bool] = (),
    size: float | None = None,
) -> _Strip:
    size = size or sheet.font
    heavy = list(bold) + [False] * (len(cells) - len(bold))

    def draw(figure: Figure, top: float) -> None:
        for offset, lines, weight in zip(offsets, cells, heavy, strict=True):
            _write(figure, sheet.margin + offset, top, lines, size, bold=weight)

    return _Strip(max(len(lines) for lines in cells) * _line(size), draw)


def _underlined(strip: _Strip, sheet: _Sheet) -> _Strip:
    def draw(figure: Figure, top: float) -> None:
        strip.draw(figure, top)
        y = top - strip.height + 0.15 * sheet.line
        figure.add_artist(
            Line2D(
                [sheet.margin, sheet.width - sheet.margin],
                [y, y],
                transform=figure.dpi_scale_trans,
                color=GRID,
                linewidth=0.8,
            )
        )

    return _Strip(strip.height + 0.3 * sheet.line, draw)


def _bullet_strip(item: str, sheet: _Sheet) -> _Strip:
    indent = 1.5 * sheet.font / 72
    lines = _wrap(item, _chars(sheet.inner - indent, sheet.font))

    def draw(figure: Figure, top: float) -> None:
        _write(figure, sheet.margin, top, ["•"], sheet.font)
        _write(figure, sheet.margin + indent, top, lines, sheet.font)

    return _Strip((len(lines) + 0.25) * sheet.line, draw)


def _nothing(figure: Figure, top: float) -> None:
    """A gap draws nothing."""


def _write(
    figure: Figure,
    x: float,
    top: float,
    lines: Sequence[str],
    size: float,
    *,
    bold: bool = False,
    colour: str = INK,
) -> None:
    # One text per line, so the spacing is exactly what the layout counted; no mathtext, so a
    # name with dollar signs is drawn as written.
    for number, text in enumerate(lines):
        figure.text(
            x,
            top - number * _line(size),
            text,
            transform=figure.dpi_scale_trans,
            fontsize=size,
            fontweight="bold" if bold else "normal",
            color=colour,
            va="top",
            ha="left",
            parse_math=False,
        )


def _plot_geometry(plot: _Plot, width: float, font: float) -> tuple[float, tuple[float, ...]]:
    """The strip's height, and the axes' left, bottom, width and height inside it (inches)."""
    line = _line(font)
    title = 1.5 * line
    legend = 1.4 * line if plot.legend else 0.0
    bottom = 1.9 * line
    if plot.rows:
        left = min(plot.label_chars, LABEL_CHARS) * font * 0.85 * 0.6 / 72 + line
        body = plot.rows * 2.0 * line
    else:
        left, body = 4.5 * line, width * 0.28
    right = 4.5 * line if plot.twin else 1.2 * line
    height = title + legend + body + bottom + 0.6 * line
    return height, (left, bottom + 0.6 * line, width - left - right, body)


def _plot_strip(plot: _Plot, sheet: _Sheet) -> _Strip:
    height, _ = _plot_geometry(plot, sheet.inner, sheet.font)
    return _Strip(height, partial(_draw_plot, plot=plot, sheet=sheet))


def _draw_plot(figure: Figure, top: float, *, plot: _Plot, sheet: _Sheet) -> None:
    height, (left, bottom, width, body) = _plot_geometry(plot, sheet.inner, sheet.font)
    _write(figure, sheet.margin, top, [plot.title], sheet.font * 1.05, bold=True)
    page_width, page_height = figure.get_size_inches()
    base = top - height
    rect = (
        (sheet.margin + left) / page_width,
        (base + bottom) / page_height,
        width / page_width,
        body / page_height,
    )
    plot.draw(figure.add_axes(rect), sheet.font)


def _figure(width: float, height: float) -> Figure:
    # A Figure with its own Agg canvas: no pyplot, so no global state and no GUI backend.
    figure = Figure(figsize=(width, height), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    return figure


def _page(strips: Sequence[_Strip], sheet: _Sheet, height: float) -> Figure:
    figure = _figure(sheet.width, height)
    top = height - sheet.margin
    for strip in strips:
        strip.draw(figure, top)
        top -= strip.height
    return figure


def _paginate(strips: Sequence[_Strip], room: float) -> list[list[_Strip]]:
    """Fill pages top down; a heading moves to the next page with what follows it."""
    pages: list[list[_Strip]] = [[]]
    used = 0.0
    for position, strip in enumerate(strips):
        following = strips[position + 1] if position + 1 < len(strips) else None
        needed = strip.height + (following.height if strip.keep_with_next and following else 0)
        if pages[-1] and used + needed > room:
            pages.append([])
            used = 0.0
        pages[-1].append(strip)
        used += strip.height
    return pages


# -- the three outputs -----------------------------------------------------------------------------


def to_png(report: ReportData) -> bytes:
    """One tall PNG, 1200 pixels wide: the title, the headline facts and the charts.

    Args:
        report: what the report holds; its language is the language of every text.
    """
    strips = _strips(_document(report), _IMAGE, brief=True)
    height = sum(strip.height for strip in strips) + 2 * _IMAGE.margin
    figure = _page(strips, _IMAGE, height)
    buffer = io.BytesIO()
    # No "Software" stamp: the same report gives the same bytes whatever the version.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def to_pdf(report: ReportData) -> bytes:
    """The whole report on A4 pages, charts as vector graphics.

    Args:
        report: what the report holds; its language is the language of every text.
    """
    document = _document(report)
    pages = _paginate(_strips(document, _A4, brief=False), _A4_HEIGHT - 2 * _A4.margin)
    buffer = io.BytesIO()
    # No creation date or producer: the same report gives the same bytes.
    metadata = {
        "Title": f"{document.title}: {document.subtitle}",
        "Creator": None,
        "Producer": None,
        "CreationDate": None,
    }
    with PdfPages(buffer, metadata=metadata) as pdf:
        for number, strips in enumerate(pages, start=1):
            figure = _page(strips, _A4, _A4_HEIGHT)
            folio = f"{number}/{len(pages)}"
            _write(figure, _A4.width - _A4.margin, _A4.margin * 0.6, [folio], _A4.font * 0.8)
            pdf.savefig(figure)
    return buffer.getvalue()


def to_html(report: ReportData) -> str:
    """One self-contained HTML page: inline CSS, charts embedded as PNG, every text escaped.

    Args:
        report: what the report holds; its language is the language of every text.
    """
    document = _document(report)
    sections = "\n".join(_html_section(section) for section in document.sections)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{document.language.value}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(document.title)}: {_e(document.subtitle)}</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<header><h1>{_e(document.title)}</h1>"
        f'<p class="subtitle">{_e(document.subtitle)}</p></header>\n'
        f"{sections}\n</main>\n</body>\n</html>\n"
    )


_CSS = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2933;"
    "margin:0;background:#f5f7fa}"
    "main{max-width:60rem;margin:0 auto;padding:1.5rem 2rem;background:#fff}"
    "h1{margin-bottom:.2rem}.subtitle{color:#5f6b7a;margin-top:0}"
    "h2{border-bottom:1px solid #c8ced6;padding-bottom:.2rem;margin-top:2rem}"
    "table{border-collapse:collapse;margin:.5rem 0 1rem}"
    "th,td{text-align:left;padding:.25rem .8rem .25rem 0;vertical-align:top}"
    "thead th{border-bottom:1px solid #c8ced6}"
    "figure{margin:1rem 0}img{max-width:100%;height:auto}"
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html_section(section: _Section) -> str:
    blocks = "\n".join(_html_block(block) for block in section.blocks)
    return f"<section>\n<h2>{_e(section.title)}</h2>\n{blocks}\n</section>"


def _html_block(block: _Block) -> str:
    match block:
        case _Heading(text):
            return f"<h3>{_e(text)}</h3>"
        case _Paragraph(text):
            return f"<p>{_e(text)}</p>"
        case _Facts(rows):
            cells = "".join(
                f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in rows
            )
            return f'<table class="facts">{cells}</table>'
        case _Table(header, rows):
            head = "".join(f'<th scope="col">{_e(cell)}</th>' for cell in header)
            body = "".join(
                "<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in rows
            )
            return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        case _Bullets(items):
            return "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in items) + "</ul>"
        case _Plot():
            return _html_plot(block)


def _html_plot(plot: _Plot) -> str:
    height, _ = _plot_geometry(plot, _HTML_CHART.inner, _HTML_CHART.font)
    figure = _figure(_HTML_CHART.width, height + 2 * _HTML_CHART.margin)
    _draw_plot(figure, height + _HTML_CHART.margin, plot=plot, sheet=_HTML_CHART)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<figure><img src="data:image/png;base64,{encoded}" alt="{_e(plot.title)}"></figure>'
