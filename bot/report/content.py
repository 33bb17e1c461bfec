"""The management report as neutral blocks, in the report's language, before any layout.

Headings, paragraphs, facts and bullets are the chat's own (`dialogs.messages`); what only a
report needs is added here: tables, charts described as data, and a mark for what goes in the
one-image summary. Every output (`html`, `pdf`, `png`) lays these same blocks out, so what the
report says is decided once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.report import formats, phrases
from dialogs import phrases as chat_phrases
from dialogs.messages import Bullets, Facts, Heading, Paragraph
from dialogs.nudge_views import cross_check
from dialogs.report import ReportData, Response, ScanLine, TaskLine
from engine.kpi import KpiEntry, Metric
from engine.labels import label, phase_name
from engine.plan import Plan
from engine.scoring import OrgResult, RoleSegment, Withheld
from engine.tasks import Consistency
from engine.vocabulary import Dimension, Language, Role

__all__ = [
    "KPI_ROWS",
    "Bars",
    "Block",
    "Bullets",
    "Columns",
    "Document",
    "Doubt",
    "Facts",
    "Heading",
    "Key",
    "Lines",
    "Paragraph",
    "Plot",
    "Plotted",
    "Section",
    "Series",
    "Table",
    "Tone",
    "Unit",
    "document",
    "doubts",
    "texts",
    "timeline",
    "unwrap",
]

KPI_ROWS = 12
"""The KPI table shows the latest periods only; the charts show them all."""

# -- what a report holds beyond the chat's blocks --------------------------------------------------


@dataclass(frozen=True)
class Table:
    """Rows under a header; every row has a cell for every column."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


class Tone(StrEnum):
    """A series' part in a chart; each output picks the colour."""

    MAIN = "main"
    """The latest or the only figure."""
    EARLIER = "earlier"
    """What the main one is set against: the baseline, the longer window."""
    SECOND = "second"
    """A second, different measure on the same chart."""


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    """Values from 0 to 100."""


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    """None: nothing to show for that label or period."""
    tone: Tone
    written: tuple[str, ...] = ()
    """Each value as written beside its bar (bars only)."""


@dataclass(frozen=True)
class Bars:
    """Horizontal bars on a fixed scale, a group of bars per label."""

    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    maximum: float
    ticks: tuple[tuple[float, str], ...]
    """Where the scale is marked, and how each mark is written."""


@dataclass(frozen=True)
class Columns:
    """A count per period, as columns."""

    title: str
    periods: tuple[str, ...]
    values: tuple[float | None, ...]
    language: Language
    """For the numbers along the value axis."""


@dataclass(frozen=True)
class Lines:
    """Small multiples: one panel per series over the same periods, each on its own scale from
    zero, so that a small measure (engagements beside reach) is not flattened and no two lines
    on different scales seem to cross. A None is a gap: no point, and no line across it."""

    title: str
    periods: tuple[str, ...]
    series: tuple[Series, ...]
    unit: Unit
    language: Language


Plot = Bars | Columns | Lines


@dataclass(frozen=True)
class Key:
    """A block that also goes in the one-image summary: the headline facts, what a manager acts
    on, and the sentence that stands in for a section with nothing to show."""

    block: Paragraph | Facts | Heading | Bullets


Block = Heading | Paragraph | Facts | Bullets | Table | Bars | Columns | Lines | Key


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    language: Language
    sections: tuple[Section, ...]


def document(report: ReportData) -> Document:
    """The whole report as blocks, in the report's language."""
    language = report.language
    subtitle = phrases.SUBTITLE(language).format(
        organisation=report.organisation, date=formats.long_date(report.made_on, language)
    )
    return Document(
        title=phrases.TITLE(language),
        subtitle=subtitle,
        language=language,
        sections=(
            _summary(report),
            _next(report, language),
            _response(report.latest, report.response, language),
            _profile(report.latest, language),
            _agreement(report.latest, language),
            _gap(report.latest, language),
            _change(report.latest, report.baseline, language),
            _kpis(report.kpis, language),
            _consistency(report, language),
        ),
    )


def texts(block: Block) -> tuple[str, ...]:
    """Every text a block shows, in reading order: what no output may leave out."""
    match block:
        case Heading(text) | Paragraph(text):
            return (text,)
        case Facts(rows):
            return tuple(text for row in rows for text in row)
        case Bullets(items):
            return items
        case Table(header, rows):
            return (*header, *(cell for row in rows for cell in row if cell))
        case Bars(title, labels, series):
            return (title, *labels, *(s.name for s in series if s.name))
        case Columns(title, periods):
            return (title, *periods)
        case Lines(title, periods, series):
            return (title, *periods, *(s.name for s in series))
        case Key(inner):
            return texts(inner)


def unwrap(block: Block) -> Block:
    """The block itself, for an output that shows key blocks like any other."""
    return block.block if isinstance(block, Key) else block


# -- at a glance -----------------------------------------------------------------------------------


def _summary(report: ReportData) -> Section:
    language = report.language
    rows = (
        *_scan_facts(report.latest, language),
        *_baseline_facts(report.latest, report.baseline, language),
        *_task_facts(report, language),
        *_plan_facts(report.plan, language),
    )
    return Section(phrases.SUMMARY_TITLE(language), (Key(Facts(rows)),))


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


# -- response --------------------------------------------------------------------------------------


def _response(latest: ScanLine | None, response: Response | None, language: Language) -> Section:
    """Completed of invited, or of those who started when the scan was never sent out."""
    title = phrases.RESPONSE_TITLE(language)
    if latest is None or response is None:
        return Section(title, (Key(Paragraph(phrases.NO_RESPONSE(language))),))
    share = response.share
    if share is None:
        return Section(
            title, (Key(Paragraph(phrases.RESPONSE_NOBODY(language).format(number=latest.number))),)
        )
    percent = formats.percent(share, language)
    if response.invited:
        said = phrases.RESPONSE_INVITED(
            language, response.completed, invited=response.of, number=latest.number, percent=percent
        )
    else:
        said = phrases.RESPONSE_STARTED(
            language, response.completed, started=response.of, number=latest.number, percent=percent
        )
    return Section(title, (Key(Paragraph(said)),))


# -- phase and profile -----------------------------------------------------------------------------


def _profile(latest: ScanLine | None, language: Language) -> Section:
    title = phrases.PROFILE_TITLE(language)
    if latest is None:
        return Section(title, (Key(Paragraph(phrases.NO_RESULT(language))),))
    result = latest.result
    if isinstance(result, Withheld):
        return Section(title, (Key(Paragraph(_withheld(latest.number, result, language))),))
    intro = (
        phrases.PROFILE_INTRO if result.overall is not None else phrases.PROFILE_INTRO_NO_PHASE
    )(language, result.respondents, number=latest.number, phase=_phase(result, language))
    blocks: list[Block] = [Paragraph(intro), Paragraph(_progress(result, language))]
    if result.limiting:
        names = _names(result.limiting, language)
        blocks.append(Paragraph(phrases.PROFILE_LIMITING(language).format(dimensions=names)))
    if result.unrated:
        names = _names(result.unrated, language)
        blocks.append(Paragraph(phrases.UNRATED(language).format(dimensions=names)))
    if not result.dimensions:
        return Section(title, (*blocks, Key(Paragraph(phrases.NO_DIMENSIONS(language)))))
    return Section(
        title,
        (
            *blocks,
            _profile_table(result, language),
            _profile_plot(result, language),
            Paragraph(phrases.PROFILE_EXPLAINED(language)),
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
        target=phase_name(target, language), percent=formats.percent(result.progress, language)
    )


def _profile_table(result: OrgResult, language: Language) -> Table:
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
            formats.decimal(score.median, language),
            formats.percent(score.agreement, language),
            str(score.shown_n) if score.shown_n is not None else chat_phrases.NEARLY_ALL(language),
        )
        for dimension, score in result.dimensions.items()
    )
    return Table(header, rows)


def _profile_plot(result: OrgResult, language: Language) -> Bars:
    labels = tuple(label(dimension, language) for dimension in result.dimensions)
    medians = tuple(score.median for score in result.dimensions.values())
    return _phase_bars(
        phrases.PROFILE_CHART(language), labels, (("", medians, Tone.MAIN),), language
    )


# -- agreement -------------------------------------------------------------------------------------


def _shown_result(latest: ScanLine | None) -> OrgResult | None:
    return latest.result if latest is not None and isinstance(latest.result, OrgResult) else None


def _agreement(latest: ScanLine | None, language: Language) -> Section:
    """How far people agree per dimension: the engine's consensus, beside the medians."""
    title = phrases.AGREEMENT_TITLE(language)
    result = _shown_result(latest)
    if result is None or not result.dimensions:
        return Section(title, (Key(Paragraph(phrases.NOTHING_TO_SHOW(language))),))
    scores = result.dimensions
    ranked = sorted(scores, key=lambda d: (-scores[d].agreement, list(Dimension).index(d)))
    most, least = ranked[0], ranked[-1]
    if most is least:
        said = phrases.AGREEMENT_ONE(language).format(
            dimension=label(most, language),
            percent=formats.percent(scores[most].agreement, language),
        )
    else:
        said = phrases.AGREEMENT_SPREAD(language).format(
            most=label(most, language),
            most_percent=formats.percent(scores[most].agreement, language),
            least=label(least, language),
            least_percent=formats.percent(scores[least].agreement, language),
        )
    shares = tuple(score.agreement for score in scores.values())
    chart = Bars(
        phrases.AGREEMENT_CHART(language),
        tuple(label(d, language) for d in scores),
        (
            Series(
                "",
                tuple(share * 100 for share in shares),
                Tone.MAIN,
                tuple(formats.percent(share, language) for share in shares),
            ),
        ),
        maximum=100.0,
        ticks=_percent_ticks(language),
    )
    return Section(
        title, (Key(Paragraph(said)), chart, Paragraph(phrases.PROFILE_EXPLAINED(language)))
    )


def _percent_ticks(language: Language) -> tuple[tuple[float, str], ...]:
    return tuple((float(mark), formats.percent(mark / 100, language)) for mark in range(0, 101, 25))


# -- management and employees ----------------------------------------------------------------------


def _gap(latest: ScanLine | None, language: Language) -> Section:
    """Management beside employees, per dimension, only as far as the engine shows the groups:
    a group (or everyone outside it) below the threshold is left out there already, so no
    figure here singles anyone out, directly or by subtraction."""
    title = phrases.GAP_TITLE(language)
    result = _shown_result(latest)
    if result is None:
        return Section(title, (Key(Paragraph(phrases.NOTHING_TO_SHOW(language))),))
    groups = {segment.role: segment for segment in result.segments}
    management, employees = groups.get(Role.MANAGEMENT), groups.get(Role.EMPLOYEE)
    if management is None or employees is None:
        hidden = phrases.GAP_HIDDEN(language).format(threshold=result.threshold)
        return Section(title, (Key(Paragraph(hidden)),))
    shared = [d for d in Dimension if d in management.medians and d in employees.medians]
    if not shared:
        return Section(title, (Key(Paragraph(phrases.GAP_NONE_SHARED(language))),))
    apart = [gap.dimension for gap in result.role_gaps if gap.dimension is not None]
    said = (
        phrases.GAP_APART(language).format(dimensions=_names(apart, language))
        if apart
        else phrases.GAP_CLOSE(language)
    )
    blocks: list[Block] = [
        Key(Paragraph(said)),
        _gap_table(management, employees, shared, language),
        _gap_plot(management, employees, shared, language),
        Paragraph(phrases.GAP_EXPLAINED(language)),
    ]
    left_out = [d for d in result.dimensions if d not in shared]
    if left_out:
        names = _names(left_out, language)
        blocks.append(Paragraph(phrases.GAP_NOT_COMPARED(language).format(dimensions=names)))
    return Section(title, tuple(blocks))


def _gap_table(
    management: RoleSegment, employees: RoleSegment, shared: Sequence[Dimension], language: Language
) -> Table:
    header = (
        phrases.COL_DIMENSION(language),
        phrases.COL_MANAGEMENT(language),
        phrases.COL_EMPLOYEES(language),
        phrases.COL_CHANGE_GAP(language),
    )
    pairs = [(label(d, language), management.medians[d], employees.medians[d]) for d in shared]
    if management.overall is not None and employees.overall is not None:
        overall = (float(management.overall), float(employees.overall))
        pairs.append((phrases.OVERALL_PHASE(language), *overall))
    rows = tuple(
        (
            name,
            formats.decimal(high, language),
            formats.decimal(low, language),
            formats.signed(high - low, language),
        )
        for name, high, low in pairs
    )
    return Table(header, rows)


def _gap_plot(
    management: RoleSegment, employees: RoleSegment, shared: Sequence[Dimension], language: Language
) -> Bars:
    series = (
        (
            phrases.COL_MANAGEMENT(language),
            tuple(management.medians[d] for d in shared),
            Tone.MAIN,
        ),
        (
            phrases.COL_EMPLOYEES(language),
            tuple(employees.medians[d] for d in shared),
            Tone.SECOND,
        ),
    )
    labels = tuple(label(d, language) for d in shared)
    return _phase_bars(phrases.GAP_CHART(language), labels, series, language)


# -- change since the baseline ---------------------------------------------------------------------


def _comparable(
    latest: ScanLine | None, baseline: ScanLine | None
) -> tuple[OrgResult, OrgResult] | None:
    if latest is None or baseline is None:
        return None
    if isinstance(latest.result, OrgResult) and isinstance(baseline.result, OrgResult):
        return baseline.result, latest.result
    return None


def _change(latest: ScanLine | None, baseline: ScanLine | None, language: Language) -> Section:
    title = phrases.CHANGE_TITLE(language)
    pair = _comparable(latest, baseline)
    if pair is None or latest is None or baseline is None:
        first = baseline is None and latest is not None and isinstance(latest.result, OrgResult)
        why = phrases.CHANGE_IS_BASELINE if first else phrases.CHANGE_NOT_COMPARABLE
        return Section(title, (Key(Paragraph(why(language))),))
    before, after = pair
    shared = [d for d in Dimension if d in before.dimensions and d in after.dimensions]
    if not shared:
        return Section(title, (Key(Paragraph(phrases.CHANGE_NOTHING_SHARED(language))),))
    intro = phrases.CHANGE_INTRO(language).format(before=baseline.number, after=latest.number)
    return Section(
        title,
        (
            Paragraph(intro),
            _change_table(before, after, shared, language),
            _change_plot(before, after, shared, (baseline.number, latest.number), language),
        ),
    )


def _change_table(
    before: OrgResult, after: OrgResult, shared: Sequence[Dimension], language: Language
) -> Table:
    header = (
        phrases.COL_DIMENSION(language),
        phrases.COL_BASELINE(language),
        phrases.COL_LATEST(language),
        phrases.COL_CHANGE(language),
    )
    rows = tuple(
        (
            label(d, language),
            formats.decimal(before.dimensions[d].median, language),
            formats.decimal(after.dimensions[d].median, language),
            formats.signed(after.dimensions[d].median - before.dimensions[d].median, language),
        )
        for d in shared
    )
    return Table(header, rows)


def _change_plot(
    before: OrgResult,
    after: OrgResult,
    shared: Sequence[Dimension],
    numbers: tuple[int, int],
    language: Language,
) -> Bars:
    scan = phrases.LEGEND_SCAN(language)
    series = (
        (
            scan.format(number=numbers[0]),
            tuple(before.dimensions[d].median for d in shared),
            Tone.EARLIER,
        ),
        (
            scan.format(number=numbers[1]),
            tuple(after.dimensions[d].median for d in shared),
            Tone.MAIN,
        ),
    )
    labels = tuple(label(d, language) for d in shared)
    return _phase_bars(phrases.CHANGE_CHART(language), labels, series, language)


def _phase_bars(
    title: str,
    labels: tuple[str, ...],
    series: Sequence[tuple[str, tuple[float | None, ...], Tone]],
    language: Language,
) -> Bars:
    return Bars(
        title,
        labels,
        tuple(
            Series(name, values, tone, tuple(_value_or_nothing(v, language) for v in values))
            for name, values, tone in series
        ),
        maximum=5.0,
        ticks=tuple((float(mark), formats.decimal(mark, language)) for mark in range(1, 6)),
    )


# -- figures over time -----------------------------------------------------------------------------


class Plotted(StrEnum):
    """What the figure charts plot, each from a week's logged figures."""

    POSTS = "posts"
    REACH = "reach"
    ENGAGEMENTS = "engagements"
    RATE = "rate"
    ADVOCACY = "advocacy"


_FROM_METRIC = {
    Metric.POSTS: frozenset({Plotted.POSTS}),
    Metric.REACH: frozenset({Plotted.REACH, Plotted.RATE}),
    Metric.ENGAGEMENTS: frozenset({Plotted.ENGAGEMENTS, Plotted.RATE}),
    Metric.SHARERS: frozenset({Plotted.ADVOCACY}),
    Metric.INVITED: frozenset({Plotted.ADVOCACY}),
}
"""What a wrong figure spoils: the figure itself and the rate made from it."""


@dataclass(frozen=True)
class Doubt:
    """A period's figures that cannot be right, why, and what the charts leave out for it."""

    entry: KpiEntry
    reasons: tuple[str, ...]
    left_out: frozenset[Plotted]


def doubts(entry: KpiEntry, language: Language) -> Doubt | None:
    """Figures no real week has: a negative count, more engagements than people reached (a
    rate above 100%), more employees sharing than were asked. Which of the two figures is
    wrong cannot be told, so both are left out of the charts, and the rate made from them."""
    values = entry.values
    reasons: list[str] = []
    left_out: set[Plotted] = set()
    for metric, value in values.items():
        if value < 0:
            reasons.append(
                phrases.FLAG_NEGATIVE(language).format(
                    figure=metric.label(language), value=formats.count(value, language)
                )
            )
            left_out |= _FROM_METRIC.get(metric, frozenset())
    reach, engagements = values.get(Metric.REACH), values.get(Metric.ENGAGEMENTS)
    if reach is not None and engagements is not None and engagements > reach >= 0:
        rate = entry.engagement_rate
        reasons.append(
            phrases.FLAG_ABOVE_REACH(language).format(
                engagements=formats.count(engagements, language),
                reach=formats.count(reach, language),
                rate=phrases.MISSING(language) if rate is None else _rate(rate, language),
            )
        )
        left_out |= {Plotted.REACH, Plotted.ENGAGEMENTS, Plotted.RATE}
    sharers, invited = values.get(Metric.SHARERS), values.get(Metric.INVITED)
    if sharers is not None and invited is not None and sharers > invited >= 0:
        share = entry.advocacy_participation
        reasons.append(
            phrases.FLAG_ABOVE_INVITED(language).format(
                sharers=formats.count(sharers, language),
                invited=formats.count(invited, language),
                rate=phrases.MISSING(language) if share is None else _rate(share, language),
            )
        )
        left_out.add(Plotted.ADVOCACY)
    if not reasons:
        return None
    return Doubt(entry, tuple(reasons), frozenset(left_out))


def _plotted(entry: KpiEntry | None, what: Plotted, doubt: Doubt | None) -> float | None:
    """A period's value on a chart; None (a gap) for a week with no figures, a figure not
    logged, or one that cannot be right."""
    if entry is None or (doubt is not None and what in doubt.left_out):
        return None
    match what:
        case Plotted.RATE:
            return entry.engagement_rate
        case Plotted.ADVOCACY:
            return entry.advocacy_participation
        case Plotted.POSTS:
            return _number(entry.values.get(Metric.POSTS))
        case Plotted.REACH:
            return _number(entry.values.get(Metric.REACH))
        case Plotted.ENGAGEMENTS:
            return _number(entry.values.get(Metric.ENGAGEMENTS))


def timeline(entries: Sequence[KpiEntry]) -> tuple[tuple[date, KpiEntry | None], ...]:
    """Every week from the first logged one to the last, None for a week without figures, so a
    missing week is a gap on the time axis. Periods that are not whole weeks on one weekly grid
    are shown as logged: there is no week to miss."""
    first = entries[0].start
    weekly = all(
        (entry.start - first).days % 7 == 0 and (entry.end - entry.start).days < 7
        for entry in entries
    )
    if not weekly:
        return tuple((entry.start, entry) for entry in entries)
    by_start = {entry.start: entry for entry in entries}
    weeks = (entries[-1].start - first).days // 7 + 1
    starts = (first + timedelta(weeks=week) for week in range(weeks))
    return tuple((start, by_start.get(start)) for start in starts)


def _kpis(entries: Sequence[KpiEntry], language: Language) -> Section:
    title = phrases.KPI_TITLE(language)
    if not entries:
        return Section(title, (Key(Paragraph(phrases.NO_KPIS(language))),))
    slots = timeline(entries)
    periods = tuple(formats.short_date(start, language) for start, _ in slots)
    # A period is known by its first day: figures logged again for it replace the earlier ones.
    found = {entry.start: doubts(entry, language) for entry in entries}

    def values(what: Plotted) -> tuple[float | None, ...]:
        return tuple(_plotted(e, what, found[e.start] if e else None) for _, e in slots)

    blocks: list[Block] = [Paragraph(_kpi_intro(entries, language))]
    missing = [start for start, entry in slots if entry is None]
    if missing:
        weeks = ", ".join(formats.short_date(start, language) for start in missing)
        blocks.append(Key(Paragraph(phrases.MISSING_WEEKS(language, len(missing), weeks=weeks))))
    blocks += [
        _posts_plot(values(Plotted.POSTS), periods, language),
        _lines_plot(
            phrases.REACH_CHART(language),
            periods,
            (
                Series(phrases.REACH(language), values(Plotted.REACH), Tone.MAIN),
                Series(phrases.ENGAGEMENTS(language), values(Plotted.ENGAGEMENTS), Tone.SECOND),
            ),
            Unit.COUNT,
            language,
        ),
        _lines_plot(
            phrases.RATES_CHART(language),
            periods,
            (
                Series(phrases.ENGAGEMENT_RATE(language), values(Plotted.RATE), Tone.MAIN),
                Series(phrases.ADVOCACY(language), values(Plotted.ADVOCACY), Tone.SECOND),
            ),
            Unit.PERCENT,
            language,
        ),
        *_flagged([doubt for doubt in found.values() if doubt is not None], language),
        *_kpi_table(entries, language),
        Paragraph(phrases.KPI_EXPLAINED(language)),
    ]
    return Section(title, tuple(blocks))


def _flagged(found: Sequence[Doubt], language: Language) -> tuple[Block, ...]:
    if not found:
        return ()
    lines = tuple(
        phrases.FLAG_LINE(language).format(
            period=_period(doubt.entry, language), why="; ".join(doubt.reasons)
        )
        for doubt in found
    )
    return (
        Key(Heading(phrases.FLAGGED_TITLE(language))),
        Key(Paragraph(phrases.FLAGGED_INTRO(language))),
        Key(Bullets(lines)),
    )


def _kpi_intro(entries: Sequence[KpiEntry], language: Language) -> str:
    if len(entries) == 1:
        return phrases.KPI_ONE_PERIOD(language).format(period=_period(entries[0], language))
    return phrases.KPI_INTRO(
        language,
        len(entries),
        first=formats.long_date(entries[0].start, language),
        last=formats.long_date(entries[-1].end, language),
    )


def _posts_plot(
    posts: tuple[float | None, ...], periods: tuple[str, ...], language: Language
) -> Block:
    title = phrases.POSTS_CHART(language)
    if all(value is None for value in posts):
        return _not_logged(title, language)
    return Columns(title, periods, posts, language)


def _lines_plot(
    title: str,
    periods: tuple[str, ...],
    series: tuple[Series, ...],
    unit: Unit,
    language: Language,
) -> Block:
    shown = _present(*series)
    if not shown:
        return _not_logged(title, language)
    return Lines(title, periods, shown, unit, language)


def _rate(hundredths: float, language: Language) -> str:
    return formats.percent(hundredths / 100, language)


def _number(value: int | None) -> float | None:
    return None if value is None else float(value)


def _present(*series: Series) -> tuple[Series, ...]:
    return tuple(line for line in series if any(value is not None for value in line.values))


def _not_logged(chart: str, language: Language) -> Key:
    return Key(Paragraph(phrases.NOT_LOGGED(language).format(chart=chart)))


def _kpi_table(entries: Sequence[KpiEntry], language: Language) -> tuple[Block, ...]:
    shown = entries[-KPI_ROWS:]
    header = (
        phrases.COL_PERIOD(language),
        phrases.COL_POSTS(language),
        phrases.REACH(language),
        phrases.ENGAGEMENTS(language),
        phrases.ENGAGEMENT_RATE(language),
        phrases.ADVOCACY(language),
    )
    table = Table(header, tuple(_kpi_row(entry, language) for entry in shown))
    if len(shown) < len(entries):
        return (Paragraph(phrases.KPI_TABLE_LATEST(language, len(shown))), table)
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


def _period(entry: KpiEntry, language: Language) -> str:
    return formats.period(entry.start, entry.end, language)


# -- consistency -----------------------------------------------------------------------------------


def _consistency(report: ReportData, language: Language) -> Section:
    title = phrases.TASKS_TITLE(language)
    if not report.tasks:
        return Section(title, (Key(Paragraph(phrases.NO_TASKS(language))),))
    blocks: list[Block] = [
        _consistency_table(report, language),
        _consistency_plot(report, language),
        Paragraph(phrases.TASKS_EXPLAINED(language)),
    ]
    if report.check is not None and report.check.disagrees:
        blocks.append(Key(Paragraph(cross_check(report.check, language))))
    if report.unreachable:
        blocks.append(Paragraph(phrases.UNREACHABLE(language)))
        blocks.append(Bullets(report.unreachable))
    return Section(title, tuple(blocks))


def _consistency_table(report: ReportData, language: Language) -> Table:
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
    return Table(header, (*rows, team))


def _task_row(task: TaskLine, language: Language) -> tuple[str, ...]:
    return (
        task.title,
        task.owner,
        _on_time(task.recent, language),
        _on_time(task.longer, language),
        str(task.streak),
    )


def _consistency_plot(report: ReportData, language: Language) -> Block:
    lines = [(task.title, task.recent, task.longer) for task in report.tasks]
    lines.append((phrases.TEAM(language), report.team_recent, report.team_longer))
    if all(recent.counted == 0 and longer.counted == 0 for _, recent, longer in lines):
        return Key(Paragraph(phrases.NOTHING_DUE_YET(language)))
    weeks = phrases.LEGEND_WEEKS
    shares = (
        (weeks(language, report.team_recent.weeks), [r for _, r, _ in lines], Tone.MAIN),
        (weeks(language, report.team_longer.weeks), [lo for _, _, lo in lines], Tone.EARLIER),
    )
    series = tuple(
        Series(
            name,
            tuple(_hundredths(c) for c in window),
            tone,
            tuple(_percent_or_nothing_due(c, language) for c in window),
        )
        for name, window, tone in shares
    )
    return Bars(
        phrases.TASKS_CHART(language),
        tuple(title for title, _, _ in lines),
        series,
        maximum=100.0,
        ticks=_percent_ticks(language),
    )


def _hundredths(consistency: Consistency) -> float | None:
    share = consistency.share
    return None if share is None else share * 100


def _on_time(consistency: Consistency, language: Language) -> str:
    share = consistency.share
    if share is None:
        return phrases.NOTHING_DUE(language)
    return phrases.ON_TIME_CELL(language).format(
        percent=formats.percent(share, language),
        on_time=consistency.on_time,
        counted=consistency.counted,
    )


# -- what comes next -------------------------------------------------------------------------------


def _next(report: ReportData, language: Language) -> Section:
    """What a manager acts on: the one-off steps towards the next phase, and what is due of
    the tasks people took on; the always-on tasks of the plan follow in the documents only."""
    title = phrases.NEXT_TITLE(language)
    plan = report.plan
    blocks: list[Block] = []
    if plan is None:
        blocks.append(Key(Paragraph(phrases.NO_PLAN(language))))
    else:
        blocks += [Key(Paragraph(_plan_intro(plan, language))), *_steps(plan, language)]
    blocks += _due(report.tasks, report.made_on, language)
    if plan is not None and plan.tasks:
        tasks = tuple(
            phrases.TASK_LINE(language).format(
                title=task.template.title(language),
                cadence=task.cadence.label(language),
                owner=label(task.owner, language),
            )
            for task in plan.tasks
        )
        blocks += [Heading(phrases.ALWAYS_ON(language)), Bullets(tasks)]
    return Section(title, tuple(blocks))


def _steps(plan: Plan, language: Language) -> tuple[Block, ...]:
    if plan.target is None:
        return ()
    if not plan.steps:
        return (Key(Paragraph(phrases.NO_STEPS(language))),)
    steps = tuple(
        phrases.STEP_LINE(language).format(
            title=step.title(language),
            dimension=label(step.dimension, language),
            owner=label(step.owner, language),
        )
        for step in plan.steps
    )
    return (Key(Heading(phrases.STEPS(language))), Key(Bullets(steps)))


def _due(tasks: Sequence[TaskLine], today: date, language: Language) -> tuple[Block, ...]:
    """The adopted tasks by the day they are due, the overdue ones first and said so."""
    dated = sorted(
        ((task.due, task) for task in tasks if task.due is not None), key=lambda pair: pair[0]
    )
    if not dated:
        return ()
    lines = tuple(
        (phrases.OVERDUE_LINE if day < today else phrases.DUE_LINE)(language).format(
            title=task.title, owner=task.owner, date=formats.short_date(day, language)
        )
        for day, task in dated
    )
    return (Key(Heading(phrases.DUE_TITLE(language))), Key(Bullets(lines)))


def _plan_intro(plan: Plan, language: Language) -> str:
    here = phase_name(plan.phase, language)
    if plan.target is None:
        return phrases.PLAN_INTRO_TOP(language).format(phase=here)
    return phrases.PLAN_INTRO(language).format(phase=here, target=phase_name(plan.target, language))


# -- words and numbers -----------------------------------------------------------------------------


def _names(dimensions: Sequence[Dimension], language: Language) -> str:
    return ", ".join(label(d, language) for d in dimensions)


def _count_or_missing(value: int | None, language: Language) -> str:
    return phrases.MISSING(language) if value is None else formats.count(value, language)


def _percent_or_missing(value: float | None, language: Language) -> str:
    """KPI rates are percentages already (0 to 100)."""
    return phrases.MISSING(language) if value is None else formats.percent(value / 100, language)


def _value_or_nothing(value: float | None, language: Language) -> str:
    return "" if value is None else formats.decimal(value, language)


def _percent_or_nothing_due(consistency: Consistency, language: Language) -> str:
    share = consistency.share
    return phrases.NOTHING_DUE(language) if share is None else formats.percent(share, language)
