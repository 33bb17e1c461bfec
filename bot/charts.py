"""A neutral `Chart` drawn as a PNG, big enough to read in a chat preview."""

from __future__ import annotations

import io
import textwrap

from dialogs.messages import Chart

WIDTH_INCHES = 12
HEIGHT_INCHES = 7
DPI = 100
"""1200 x 700 pixels: Slack's preview shows it whole and the text stays legible."""

BAR_COLOUR = "#3b6ea5"
MUTED = "#5f6b7a"
LABEL_WIDTH = 26
NOTE_WIDTH = 32


def render_chart(chart: Chart, *, language_note: str = "") -> bytes:
    """A horizontal bar chart on the 1 to 5 phase scale, as PNG bytes of a fixed size.

    Args:
        chart: the bars, top to bottom in the chart's order.
        language_note: a footnote in the reader's language (e.g. what the notes mean).
    """
    # Imported here, not at the top: matplotlib costs ~55 MB and ~0.2 s, and `advisor serve`
    # imports this module (through the Slack campaigns) whether or not it ever draws a chart.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.transforms import blended_transform_factory

    # A Figure with its own Agg canvas: no pyplot, so no global state and no GUI backend.
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(left=0.32, right=0.95, top=0.86, bottom=0.16 if language_note else 0.1)
    axes = figure.add_subplot()
    maximum = chart.maximum if chart.maximum > 0 else 5.0
    rows = range(len(chart.bars))
    values = [min(max(bar.value, 0.0), maximum) for bar in chart.bars]

    axes.barh(list(rows), values, height=0.6, color=BAR_COLOUR, zorder=2)
    axes.set_xlim(0, maximum)
    axes.set_ylim(len(chart.bars) - 0.4 if chart.bars else 1, -0.6)
    axes.set_xticks(range(1, int(maximum) + 1))
    axes.tick_params(axis="x", labelsize=16, length=0)
    axes.set_yticks([])
    axes.grid(axis="x", color="#c8ced6", linewidth=1, zorder=0)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)

    beside = blended_transform_factory(axes.transAxes, axes.transData)
    for row, bar, value in zip(rows, chart.bars, values, strict=True):
        axes.text(
            -0.02,
            row,
            _wrap(bar.label),
            transform=beside,
            ha="right",
            va="bottom" if bar.note else "center",
            fontsize=17,
        )
        if bar.note:
            axes.text(
                -0.02,
                row + 0.05,
                _wrap(bar.note, NOTE_WIDTH),
                transform=beside,
                ha="right",
                va="top",
                fontsize=12,
                color=MUTED,
            )
        inside = value > maximum * 0.15
        axes.text(
            value - 0.06 if inside else value + 0.06,
            row,
            bar.written,
            ha="right" if inside else "left",
            va="center",
            fontsize=16,
            fontweight="bold",
            color="white" if inside else "black",
            zorder=3,
        )

    figure.suptitle(chart.title, fontsize=22, fontweight="bold", x=0.02, ha="left")
    if language_note:
        figure.text(0.02, 0.03, _wrap(language_note, 140), fontsize=12, color=MUTED)

    buffer = io.BytesIO()
    # No "Software" stamp: the same chart gives the same bytes whatever the version.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _wrap(text: str, width: int = LABEL_WIDTH) -> str:
    return "\n".join(textwrap.wrap(text, width)[:2]) or " "
