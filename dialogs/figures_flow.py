"""Logging a week's figures in chat: one metric at a time, as pure transitions; and the same
checks for the chats' forms.

Business rules:
- The figures are for one ISO week, Monday to Sunday: the last full week unless the person
  names another ('measure 2026-W47'); a week that is not over yet is refused. The metrics are
  the ones the organisation's phase asks for, in that order. Weeks and metrics are passed in:
  the flow reads nothing and stores nothing.
- A week that has figures already is corrected: its current values are shown, and what is
  typed replaces them all.
- An answer is a count as `engine.kpi.parse_count` reads it in the person's language, '-' when
  it is not known (the metric is then left out of the week), or 'stop'.
- An answer that is no count says why, naming the metric, and asks the same metric again;
  nothing changes.
- 'stop' (or 'pause') halfway keeps the figures typed as a draft and saves nothing; so does
  leaving the chat. The next 'measure' (or 'measure' naming the draft's week) goes on where
  the draft left off (after the last figure it holds, or at the question about figures in
  doubt if that was left unanswered); 'measure' naming another week discards the draft, and
  says so.
- After the last metric the figures are checked together: a refusal (more sharers than
  invitees) says why and asks again for the metric at fault, without its figure. Figures that
  are hardly ever true (`engine.kpi.doubts`) are saved only after a 'yes'; 'no' asks again for
  the figure in doubt.
- A week to save is an effect (`RecordFigures`) the runner records; the reply names the week
  and, when reach is known, the engagement rate.
- The forms (Slack's modal, Teams' card) are checked by `check_form`: the same reading and
  checks, every problem at once, a doubt saved once its box is ticked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from babel.numbers import format_decimal

from dialogs import commands, phrases
from dialogs.desk import rate_note
from dialogs.events import Command
from dialogs.messages import Paragraph
from dialogs.state import DialogState, RecordFigures, Step, Transition
from engine.kpi import (
    KpiEntry,
    KpiError,
    Metric,
    doubts,
    parse_count,
    parse_week,
    week_name,
    week_of,
)
from engine.kpi import entry as kpi_entry
from engine.text import Text
from engine.vocabulary import Language

UNKNOWN = "-"
"""Typed for a figure that is not known: the metric is left out of the week."""
RECENT_WEEKS = 12
"""How many weeks, the last full one first, a form offers to choose from."""
YES = frozenset({"yes", "y", "ja", "j"})
NO = frozenset({"no", "n", "nee"})
SHOWN_WEEK = 16
"""How much of a week that cannot be read a message repeats."""
STEPS = frozenset({Step.MEASURING, Step.CONFIRMING_FIGURES})
"""Where a typed line is an answer to the figures."""

Week = tuple[date, date]
"""The first and the last day measured, as `Desk.week_to_measure` gives them."""


def begin(
    state: DialogState,
    metrics: tuple[Metric, ...],
    week: Week,
    recorded: KpiEntry | None = None,
) -> Transition:
    """Ask for the first metric of `week` (or go on with the draft for it), showing the
    figures `recorded` for it before, which the new ones replace."""
    start, end = week
    language, name = state.language, week_name(start)
    if state.week == name and state.figures:
        return _resumed(state, metrics, week)
    said: list[Paragraph] = []
    if state.week and state.figures:
        dropped = phrases.MEASURE_DRAFT_DROPPED(language).format(week=state.week)
        said.append(Paragraph(dropped))
    measuring = replace(state, step=Step.MEASURING, position=0, figures={}, week=name)
    intro = phrases.MEASURE_INTRO(language).format(week=name, start=start, end=end)
    said.append(Paragraph(intro))
    if recorded is not None and recorded.values:
        current = phrases.MEASURE_CORRECTING(language).format(
            week=name, values=_listed(recorded, metrics, language)
        )
        said.append(Paragraph(current))
    return Transition(measuring, (*said, _prompt(metrics, 0, language)))


def typed(state: DialogState, line: str, metrics: tuple[Metric, ...], week: Week) -> Transition:
    """One typed answer: to the metric the person is on (a number, '-' or 'stop'), or to the
    question whether doubted figures are right."""
    language, answer = state.language, line.strip()
    command = commands.parse(answer)
    if command is not None and command.command is Command.STOP:
        return pause(state)
    if state.step is Step.CONFIRMING_FIGURES:
        return _confirming(state, answer, metrics, week)
    # The phase, and so the metrics, may have changed since the person began.
    position = min(state.position, len(metrics) - 1)
    metric = metrics[position]
    figures = dict(state.figures)
    if answer != UNKNOWN:
        try:
            figures[metric.value] = parse_count(metric, answer, language)
        except KpiError as error:
            return _refused(state, error.phrase, metrics, position)
    if position + 1 < len(metrics):
        moved = replace(state, position=position + 1, figures=figures)
        return Transition(moved, (_prompt(metrics, position + 1, language),))
    return _finished(replace(state, figures=figures), metrics, week)


def draft_week(state: DialogState) -> Week | None:
    """The week being measured, or of the draft kept; None when there is neither."""
    monday = parse_week(state.week) if state.week else None
    return week_of(monday) if monday is not None else None


def chosen_week(typed: str, latest: date) -> Week | Text:
    """The week named by `typed` ("2026-W47"), or why it cannot be measured: it is no week, or
    it starts after `latest`, the Monday of the last full week."""
    monday = parse_week(typed)
    if monday is None:
        shown = typed if len(typed) <= SHOWN_WEEK else f"{typed[:SHOWN_WEEK]}…"
        return _filled(phrases.MEASURE_WEEK_UNKNOWN, typed=shown, example=week_name(latest))
    if monday > latest:
        return _filled(
            phrases.MEASURE_WEEK_NOT_OVER, week=week_name(monday), latest=week_name(latest)
        )
    return week_of(monday)


def form_week(named: str, latest: date) -> date | Text:
    """The Monday a form opens on: of the week `named`, else of the last full week (whose
    Monday is `latest`); or why the week named cannot be measured."""
    chosen = chosen_week(named, latest) if named else week_of(latest)
    return chosen if isinstance(chosen, Text) else chosen[0]


def recent_weeks(latest: date, chosen: date | None = None) -> tuple[date, ...]:
    """The Mondays a form offers, the last full week first; `chosen`, if older, last."""
    weeks = tuple(latest - timedelta(weeks=back) for back in range(RECENT_WEEKS))
    return weeks if chosen is None or chosen in weeks else (*weeks, chosen)


def week_option(monday: date, language: Language) -> str:
    """A form's label for the week starting on `monday`."""
    start, end = week_of(monday)
    return phrases.MEASURE_WEEK_OPTION(language).format(week=week_name(start), start=start, end=end)


@dataclass(frozen=True)
class FormProblems:
    """Why a form's figures were not saved: a message per figure, and for the week."""

    figures: Mapping[Metric, str] = field(default_factory=dict)
    week: str | None = None
    doubted: bool = False
    """Some figures are hardly ever true: ticking the form's box saves them as they are."""


def check_form(
    language: Language,
    week: str,
    latest: date,
    typed: Mapping[Metric, str],
    *,
    confirmed: bool,
) -> KpiEntry | FormProblems:
    """A form's figures for `week` ("2026-W47") as the entry to save, or every problem at once.

    Each typed figure is read as in the chat; then the figures are checked together (no more
    sharers than invitees) and, unless `confirmed`, for figures hardly ever true.
    """
    chosen = chosen_week(week, latest)
    week_problem = chosen(language) if isinstance(chosen, Text) else None
    counts: dict[Metric, int] = {}
    errors: dict[Metric, str] = {}
    for metric, figure in typed.items():
        try:
            counts[metric] = parse_count(metric, figure, language)
        except KpiError as error:
            errors[metric] = error.phrase(language)
    if errors or isinstance(chosen, Text):
        return FormProblems(errors, week_problem)
    try:
        checked = kpi_entry(*chosen, counts)
    except KpiError as error:
        at_fault = error.field or next(iter(counts), Metric.POSTS)
        return FormProblems({at_fault: error.phrase(language)})
    doubted = () if confirmed else doubts(checked)
    if doubted:
        asked = {
            doubt.field: phrases.MEASURE_FORM_DOUBT(language).format(doubt=doubt.phrase(language))
            for doubt in doubted
        }
        return FormProblems(asked, doubted=True)
    return checked


def saved_text(checked: KpiEntry, language: Language) -> str:
    """What every chat says once a week's figures are saved."""
    return phrases.MEASURE_SAVED(language).format(
        week=week_name(checked.start),
        start=checked.start,
        end=checked.end,
        rate=rate_note(checked, language),
    )


def ended(state: DialogState) -> DialogState:
    """Out of the figures, keeping none of them."""
    return replace(state, step=Step.IDLE, position=0, figures={}, week="")


def _resumed(state: DialogState, metrics: tuple[Metric, ...], week: Week) -> Transition:
    """Go on with the draft for `week`: after the last figure it holds, or at the question
    about figures in doubt when the person left there."""
    start, end = week
    answered = [metrics.index(Metric(name)) for name in state.figures if Metric(name) in metrics]
    position = max(answered, default=-1) + 1
    if state.step is Step.CONFIRMING_FIGURES:
        position = len(metrics)
    resumed = replace(state, step=Step.MEASURING, position=min(position, len(metrics) - 1))
    said = phrases.MEASURE_RESUMED(
        state.language, len(state.figures), week=state.week, start=start, end=end
    )
    if position >= len(metrics):  # every figure was in: check them again, as at the end
        finished = _finished(resumed, metrics, week)
        return replace(finished, replies=(Paragraph(said), *finished.replies))
    return Transition(resumed, (Paragraph(said), _prompt(metrics, position, state.language)))


def pause(state: DialogState) -> Transition:
    """Stopped halfway: the figures typed stay as a draft (none were saved)."""
    if not state.figures:
        stopped = ended(state)
        return Transition(stopped, (Paragraph(phrases.MEASURE_STOPPED(state.language)),))
    paused = replace(state, step=Step.IDLE)
    said = phrases.MEASURE_PAUSED(state.language, len(state.figures), week=state.week)
    return Transition(paused, (Paragraph(said),))


def _finished(state: DialogState, metrics: tuple[Metric, ...], week: Week) -> Transition:
    """Every metric answered: the checked week to record, the question whether figures in
    doubt are right, or back to the figure at fault."""
    start, end = week
    figures = state.figures
    try:
        checked = kpi_entry(start, end, {Metric(name): value for name, value in figures.items()})
    except KpiError as error:
        back_to = metrics.index(error.field) if error.field in metrics else 0
        kept = {name: value for name, value in figures.items() if name != error.field}
        return _refused(replace(state, figures=kept), error.phrase, metrics, back_to)
    doubted = doubts(checked)
    if doubted:
        asking = replace(state, step=Step.CONFIRMING_FIGURES)
        said = " ".join(doubt.phrase(state.language) for doubt in doubted)
        question = f"{said} {phrases.MEASURE_CONFIRM(state.language)}"
        return Transition(asking, (Paragraph(question),))
    return _saved(state, checked)


def _confirming(
    state: DialogState, answer: str, metrics: tuple[Metric, ...], week: Week
) -> Transition:
    """Yes saves the figures in doubt as they are; no asks again for the first of them."""
    word = answer.lower().strip("!.")
    if word not in YES | NO:
        return Transition(state, (Paragraph(phrases.MEASURE_YES_OR_NO(state.language)),))
    start, end = week
    checked = kpi_entry(start, end, {Metric(name): value for name, value in state.figures.items()})
    if word in YES:
        return _saved(state, checked)
    doubted = doubts(checked)
    field = doubted[0].field if doubted else metrics[-1]
    back_to = metrics.index(field) if field in metrics else len(metrics) - 1
    kept = {name: value for name, value in state.figures.items() if name != field}
    again = replace(state, step=Step.MEASURING, position=back_to, figures=kept)
    correct = Paragraph(phrases.MEASURE_CORRECT(state.language))
    return Transition(again, (correct, _prompt(metrics, back_to, state.language)))


def _saved(state: DialogState, checked: KpiEntry) -> Transition:
    said = saved_text(checked, state.language)
    return Transition(ended(state), (Paragraph(said),), (RecordFigures(checked),))


def _refused(
    state: DialogState, why: Text, metrics: tuple[Metric, ...], position: int
) -> Transition:
    """Why a figure cannot be right, and the question for it again."""
    asked = replace(state, step=Step.MEASURING, position=position)
    again = _prompt(metrics, position, state.language)
    return Transition(asked, (Paragraph(why(state.language)), again))


def _listed(recorded: KpiEntry, metrics: tuple[Metric, ...], language: Language) -> str:
    """The figures stored for a week, in the order asked, as the person writes numbers."""
    shown = [m for m in metrics if m in recorded.values]
    shown += [m for m in recorded.values if m not in metrics]
    return "; ".join(
        f"{metric.label(language)} {format_decimal(recorded.values[metric], locale=language.value)}"
        for metric in shown
    )


def _filled(phrase: Text, **values: str) -> Text:
    """`phrase` with `values` filled in, in both languages."""
    return Text(**{language.value: phrase(language).format(**values) for language in Language})


def _prompt(metrics: tuple[Metric, ...], position: int, language: Language) -> Paragraph:
    return Paragraph(
        phrases.MEASURE_PROMPT(language).format(
            number=position + 1, total=len(metrics), label=metrics[position].label(language)
        )
    )
