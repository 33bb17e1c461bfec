"""Logging a week's figures in chat: one metric at a time, as pure transitions.

Business rules:
- The figures are for one week (the desk's last full week, Monday to Sunday); the metrics are
  the ones the organisation's phase asks for, in that order. Both are passed in: the flow reads
  nothing and stores nothing.
- An answer is a whole number (spaces, dots or commas may separate thousands), '-' when it is
  not known (the metric is then left out of the week), or 'stop'.
- An answer that is no such number says why and asks the same metric again; nothing changes.
- 'stop' halfway ends the conversation and keeps none of the figures typed.
- After the last metric the figures are checked together (no more sharers than invitees): a
  refusal says why and asks again for the metric at fault, without its figure.
- A checked week is an effect (`RecordFigures`) the runner records; the reply names the week
  and, when reach is known, the engagement rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from dialogs import commands, phrases
from dialogs.desk import rate_note
from dialogs.events import Command
from dialogs.messages import Paragraph
from dialogs.state import DialogState, RecordFigures, Step, Transition
from engine.kpi import KpiError, Metric, parse_count
from engine.kpi import entry as kpi_entry
from engine.vocabulary import Language

UNKNOWN = "-"
"""Typed for a figure that is not known: the metric is left out of the week."""

Week = tuple[date, date]
"""The first and the last day measured, as `Desk.week_to_measure` gives them."""


def begin(state: DialogState, metrics: tuple[Metric, ...], week: Week) -> Transition:
    """Ask for the first metric of `week`, forgetting any figures typed before."""
    start, end = week
    measuring = replace(state, step=Step.MEASURING, position=0, figures={})
    intro = phrases.MEASURE_INTRO(state.language).format(start=start, end=end)
    return Transition(measuring, (Paragraph(intro), _prompt(metrics, 0, state.language)))


def typed(state: DialogState, line: str, metrics: tuple[Metric, ...], week: Week) -> Transition:
    """One typed answer to the metric the person is on: a number, '-' or 'stop'."""
    language, answer = state.language, line.strip()
    command = commands.parse(answer)
    if command is not None and command.command is Command.STOP:
        return Transition(ended(state), (Paragraph(phrases.MEASURE_STOPPED(language)),))
    # The phase, and so the metrics, may have changed since the person began.
    position = min(state.position, len(metrics) - 1)
    metric = metrics[position]
    figures = dict(state.figures)
    if answer != UNKNOWN:
        try:
            figures[metric.value] = parse_count(metric, answer)
        except KpiError as error:
            return _refused(state, error, metrics, position)
    if position + 1 < len(metrics):
        moved = replace(state, position=position + 1, figures=figures)
        return Transition(moved, (_prompt(metrics, position + 1, language),))
    return _finished(state, figures, metrics, week)


def _finished(
    state: DialogState, figures: Mapping[str, int], metrics: tuple[Metric, ...], week: Week
) -> Transition:
    """Every metric answered: the checked week to record, or back to the figure at fault."""
    start, end = week
    try:
        checked = kpi_entry(start, end, {Metric(name): value for name, value in figures.items()})
    except KpiError as error:
        back_to = metrics.index(error.field) if error.field in metrics else 0
        kept = {name: value for name, value in figures.items() if name != error.field}
        return _refused(replace(state, figures=kept), error, metrics, back_to)
    saved = phrases.MEASURE_SAVED(state.language).format(
        start=start, end=end, rate=rate_note(checked, state.language)
    )
    return Transition(ended(state), (Paragraph(saved),), (RecordFigures(checked),))


def _refused(
    state: DialogState, error: KpiError, metrics: tuple[Metric, ...], position: int
) -> Transition:
    """Why a figure cannot be right, and the question for it again."""
    asked = replace(state, position=position)
    again = _prompt(metrics, position, state.language)
    return Transition(asked, (Paragraph(error.phrase(state.language)), again))


def ended(state: DialogState) -> DialogState:
    """Out of the figures, keeping none of them."""
    return replace(state, step=Step.IDLE, position=0, figures={})


def _prompt(metrics: tuple[Metric, ...], position: int, language: Language) -> Paragraph:
    return Paragraph(
        phrases.MEASURE_PROMPT(language).format(
            number=position + 1, total=len(metrics), label=metrics[position].label(language)
        )
    )
