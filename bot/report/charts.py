"""The report's charts, drawn with matplotlib from the plot specs in `content`.

matplotlib is imported when the first chart is drawn, not when this module is: a command that
never draws a chart never loads it. Each chart is a Figure with its own Agg canvas (no pyplot,
so no global state and no GUI backend), laid out by matplotlib's constrained layout so the
labels and the legend get the room they measure, not a guess. The title is not drawn: every
output writes it as text beside the picture, where it can be read, searched and copied.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.report import formats
from bot.report.content import Bars, Columns, Lines, Plot, Series, Tone, Unit
from bot.report.wrapping import wrap
from engine.vocabulary import Language

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

INK = "#1f2933"
MUTED = "#5f6b7a"
GRID = "#c8ced6"
COLOURS = {Tone.MAIN: "#3b6ea5", Tone.EARLIER: "#a9c1dc", Tone.SECOND: "#d08a2e"}
LABEL_SHARE = 0.34
"""Bar labels take at most this part of a chart's width, in as many lines as they need."""
PERIOD_TICKS = 6
PANEL_SHARE = 0.13
"""One panel of small multiples is this part of the chart's width high."""


@dataclass(frozen=True)
class Picture:
    """A drawn chart: PNG bytes and the size it is meant to be shown at."""

    png: bytes
    width: float
    """Inches, as is the height."""
    height: float


def draw(plot: Plot, *, width: float, font: float, dpi: int) -> Picture:
    """One chart as a PNG, `width` inches wide, its text `font` points at the base.

    Args:
        plot: what to draw.
        width: the chart's width in inches; its height follows from what it shows.
        font: the base font size in points; tick labels are a little smaller.
        dpi: pixels per inch of the PNG.
    """
    line = font * 1.4 / 72
    if isinstance(plot, Bars):
        labels = wrapped_labels(plot.labels, width, font)
        rows = max((label.count("\n") + 1 for label in labels), default=1)
        group = max(2.0 * line, rows * font * 0.85 * 1.25 / 72 + 0.8 * line)
        body = len(labels) * group
    elif isinstance(plot, Lines):
        # Each panel its own title line above it.
        labels, body = [], len(plot.series) * (width * PANEL_SHARE + 1.3 * line)
    else:
        labels, body = [], width * 0.28
    legend = 1.6 * line if _legend_shown(plot) else 0.0
    height = body + legend + 2.4 * line
    figure = _figure(width, height, dpi)
    match plot:
        case Bars():
            _draw_bars(figure.add_subplot(), plot, labels, font)
        case Columns():
            _draw_columns(figure.add_subplot(), plot, font)
        case Lines():
            _draw_lines(figure, plot, font)
    buffer = io.BytesIO()
    # No "Software" stamp: the same report gives the same bytes whatever the version.
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return Picture(buffer.getvalue(), width, height)


def _legend_shown(plot: Plot) -> bool:
    """Bars name their series when there are two to tell apart; each panel of lines is named
    by its own title."""
    return isinstance(plot, Bars) and len(plot.series) > 1


def _figure(width: float, height: float, dpi: int) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=dpi, facecolor="white", layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def wrapped_labels(labels: Sequence[str], width: float, font: float) -> list[str]:
    """Each label in lines that fit its share of the width, measured in the chart's own font."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measurer = TextToPath()
    prop = FontProperties(size=font * 0.85)

    def measure(text: str) -> float:
        # Points, as the font size is.
        return float(measurer.get_text_width_height_descent(text, prop, ismath=False)[0])

    room = width * 72 * LABEL_SHARE
    return ["\n".join(wrap(label, room, measure)) for label in labels]


def _draw_bars(axes: Axes, plot: Bars, labels: Sequence[str], font: float) -> None:
    """Horizontal bars, one group per label; a missing value gets its text but no bar."""
    thickness = 0.72 / len(plot.series)
    for position, series in enumerate(plot.series):
        offset = (position - (len(plot.series) - 1) / 2) * thickness
        for row, value in enumerate(series.values):
            drawn = min(max(value or 0.0, 0.0), plot.maximum)
            if value is not None:
                axes.barh(
                    row + offset,
                    drawn,
                    height=thickness * 0.9,
                    color=COLOURS[series.tone],
                    zorder=2,
                )
            axes.text(
                drawn + plot.maximum * 0.012,
                row + offset,
                series.written[row] if series.written else "",
                va="center",
                fontsize=font * 0.75,
                color=INK if value is not None else MUTED,
                parse_math=False,
            )
    axes.set_yticks(range(len(labels)), list(labels), fontsize=font * 0.85, parse_math=False)
    axes.set_ylim(len(labels) - 0.5, -0.5)
    axes.set_xlim(0, plot.maximum * 1.16)
    axes.set_xticks(
        [mark for mark, _ in plot.ticks],
        [written for _, written in plot.ticks],
        fontsize=font * 0.8,
    )
    axes.tick_params(length=0)
    axes.grid(axis="x", color=GRID, linewidth=0.8, zorder=0)
    _plain(axes)
    if len(plot.series) > 1:
        from matplotlib.patches import Patch

        handles = [Patch(color=COLOURS[s.tone], label=s.name) for s in plot.series]
        _legend(axes, handles, font)


def _draw_columns(axes: Axes, plot: Columns, font: float) -> None:
    drawn = [(row, value) for row, value in enumerate(plot.values) if value is not None]
    axes.bar(
        [row for row, _ in drawn],
        [value for _, value in drawn],
        0.6,
        color=COLOURS[Tone.MAIN],
        zorder=2,
    )
    _value_axis(axes, font, _written(Unit.COUNT, plot.language))
    _period_axis(axes, font, plot.periods)


def _draw_lines(figure: Figure, plot: Lines, font: float) -> None:
    """Small multiples: a panel per series, stacked on one period axis, each scaled from zero to
    its own values. A None is NaN, which matplotlib leaves out: no point, no line across it."""
    panels = figure.subplots(len(plot.series), 1, sharex=True, squeeze=False)[:, 0]
    for axes, series in zip(panels, plot.series, strict=True):
        axes.plot(
            range(len(plot.periods)),
            points(series),
            color=COLOURS[series.tone],
            marker="o",
            linewidth=2,
        )
        axes.set_title(series.name, loc="left", fontsize=font * 0.85, color=INK)
        _value_axis(axes, font, _written(plot.unit, plot.language))
        # Room above the highest point, so that no point sits on the panel's edge.
        highest = max((value for value in series.values if value is not None), default=0.0)
        axes.set_ylim(0, highest * 1.2 or 1.0)
        _period_axis(axes, font, plot.periods)


def points(series: Series) -> list[float]:
    """A series' values as plotted: NaN where there is nothing to show."""
    return [math.nan if value is None else value for value in series.values]


def _written(unit: Unit, language: Language) -> Callable[[float], str]:
    if unit is Unit.PERCENT:
        return lambda value: formats.percent(value / 100, language)
    return lambda value: formats.count(value, language)


def _period_axis(axes: Axes, font: float, periods: Sequence[str]) -> None:
    step = max(1, math.ceil(len(periods) / PERIOD_TICKS))
    ticks = list(range(0, len(periods), step))
    axes.set_xticks(ticks, [periods[tick] for tick in ticks], fontsize=font * 0.8)
    axes.set_xlim(-0.6, len(periods) - 0.4)
    axes.grid(axis="y", color=GRID, linewidth=0.8, zorder=0)


def _value_axis(axes: Axes, font: float, shown: Callable[[float], str]) -> None:
    from matplotlib.ticker import FuncFormatter

    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: shown(value)))
    axes.tick_params(labelsize=font * 0.8, length=0)
    _plain(axes)


def _plain(axes: Axes) -> None:
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(GRID)


def _legend(axes: Axes, handles: Sequence[object], font: float) -> None:
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
