"""Adaptive Card forms for Teams: the week's figures and a team's launch, and their submits."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from bot.teams import phrases as teams_phrases
from bot.teams.render import (
    ADVISOR,
    CARD_CONTENT_TYPE,
    MAX_HEADING,
    MAX_LINE,
    MAX_TEXT,
    SCHEMA,
    VERSION,
    Element,
    _action_sets,
    _fit,
    _heading,
    _submit,
    _text_block,
)
from dialogs import phrases
from dialogs.campaigns import threshold_problem
from dialogs.records import MAXIMUM_THRESHOLD, MINIMUM_THRESHOLD
from engine.kpi import MAXIMUM, NOT_A_COUNT, KpiEntry, KpiError, Metric, entry, parse_count
from engine.text import Text
from engine.vocabulary import Language

FORM = "form"
"""The `advisor` kind of every form's submit; `form` in its data names the form."""
FIGURE_INPUT = "figure:"
"""Before a metric's name, the id of its input on the figures card."""
DEADLINE, THRESHOLD, REPORT_HERE = "deadline", "threshold", "report"
"""The launch card's input ids, and the keys of `launch_errors`."""
CANCEL = "cancel"
"""The `button` in a cancel's data; a save or launch sends no `button`."""
ON, OFF = "true", "false"
MIN_THRESHOLD, MAX_THRESHOLD = MINIMUM_THRESHOLD, MAXIMUM_THRESHOLD
MAX_TYPED = 40
"""Longer than any figure or threshold anyone types; a longer value is never read as a number."""
MAX_UNPLACED = 5
"""Errors for no field on the card, shown under the intro; more would only repeat the point."""


class Form(StrEnum):
    MEASURE = "measure"
    LAUNCH = "launch"
    SETTINGS = "settings"
    """Read by `bot.teams.settings`, which builds its card with `_card`."""


class FormError(ValueError):
    """A form submit this app did not render, or one whose data was tampered with."""


@dataclass(frozen=True)
class FormSubmit:
    """Which form was submitted, in which language, and whether it was its cancel button."""

    form: Form
    language: Language
    cancelled: bool


@dataclass(frozen=True)
class LaunchValues:
    """A launch card as submitted; the threshold as typed, checked by `launch_errors`."""

    language: Language
    deadline: date | None
    threshold: str
    report_here: bool


class FiguresValues(NamedTuple):
    """A figures card as submitted: the period and each figure as typed, checked by
    `check_figures`."""

    language: Language
    start: date
    end: date
    typed: dict[Metric, str]


Submission = FormSubmit | FiguresValues | LaunchValues
"""A form's submit as read: a cancel (the `FormSubmit` saying so), the figures or a launch."""


def measure_card(
    language: Language,
    metrics: Sequence[Metric],
    start: date,
    end: date,
    *,
    values: Mapping[Metric, str] | None = None,
    errors: Mapping[Metric, str] | None = None,
) -> dict[str, Any]:
    """The figures form: a number per metric the phase asks for, all optional.

    Args:
        language: the language of the texts, sent back in the submit.
        metrics: the figures asked for, in order.
        start, end: the period, sent back in the submit.
        values: the figures as typed, when the card is sent again after a failed check.
        errors: a message per figure, shown under its field (Teams has no modal errors).
    """
    typed = values or {}
    fields: list[tuple[str, Element]] = []
    for metric in metrics:
        field: Element = {
            "type": "Input.Number",
            "id": f"{FIGURE_INPUT}{metric.value}",
            "label": _fit(metric.label(language), MAX_LINE),
            "min": 0,
            "max": MAXIMUM,
            "isRequired": False,
            "errorMessage": NOT_A_COUNT(language),
        }
        number = _number(typed.get(metric, ""))
        if number is not None:
            field["value"] = number
        fields.append((metric.value, field))
    data = {
        ADVISOR: FORM,
        "form": Form.MEASURE.value,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "language": language.value,
    }
    return _card(
        language,
        phrases.MEASURE_TITLE,
        phrases.MEASURE_FORM_INTRO(language).format(start=start, end=end),
        fields,
        {metric.value: message for metric, message in (errors or {}).items()},
        _submit(phrases.SAVE(language), data, positive=True),
        Form.MEASURE,
    )


def measure_submitted(value: Mapping[str, Any]) -> FiguresValues:
    """The language, the period and the typed figures of a figures submit.

    Blank figures are left out, and inputs for no metric are ignored.

    Raises:
        FormError: not a save of the figures card, or its data was tampered with.
    """
    language = _saved(value, Form.MEASURE)
    start, end = _date(value, "start"), _date(value, "end")
    if start is None or end is None or start > end:
        raise FormError("a figures submit needs a period from start to end")
    figures = {}
    for metric in Metric:
        typed = _optional_text(value, f"{FIGURE_INPUT}{metric.value}")
        if typed:
            figures[metric] = typed
    return FiguresValues(language, start, end, figures)


def check_figures(
    language: Language, start: date, end: date, typed: Mapping[Metric, str]
) -> KpiEntry | dict[Metric, str]:
    """The checked entry, or a message per figure that cannot be right, in `language`.

    Every typed figure is checked, so the card comes back with all its errors at once; the
    figures are checked together (no more sharers than invitees) once each is a count.
    Takes what `measure_submitted` returns: `check_figures(*measure_submitted(value))`.

    Raises:
        FormError: the period runs backwards (the card never sends that).
    """
    counts: dict[Metric, int] = {}
    errors: dict[Metric, str] = {}
    for metric, figure in typed.items():
        # parse_count hands these to int(), which refuses digits beyond ASCII and numbers of
        # thousands of digits with a bare ValueError.
        if not figure.isascii() or len(figure) > MAX_TYPED:
            errors[metric] = NOT_A_COUNT(language)
            continue
        try:
            counts[metric] = parse_count(metric, figure)
        except KpiError as error:
            errors[metric] = error.phrase(language)
    if errors:
        return errors
    try:
        return entry(start, end, counts)
    except KpiError as error:
        if error.field is None:
            raise FormError(str(error)) from error
        return {error.field: error.phrase(language)}


def launch_card(
    language: Language,
    threshold: int,
    *,
    team_name: str,
    values: LaunchValues | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The launch form for a team, posted in one of its channels for the project manager.

    Args:
        language: the language of the texts, sent back in the submit.
        threshold: the organisation's anonymity threshold, the field's default.
        team_name: the team whose members are invited.
        values: the form as submitted, when it is sent again after a failed check.
        errors: a message per input id (`DEADLINE`, `THRESHOLD`), shown under that field.
    """
    deadline: Element = {
        "type": "Input.Date",
        "id": DEADLINE,
        "label": _fit(phrases.LAUNCH_DEADLINE(language), MAX_LINE),
        "isRequired": False,
    }
    if values is not None and values.deadline is not None:
        deadline["value"] = values.deadline.isoformat()
    minimum: Element = {
        "type": "Input.Number",
        "id": THRESHOLD,
        "label": _fit(phrases.LAUNCH_THRESHOLD(language), MAX_LINE),
        "min": MIN_THRESHOLD,
        "max": MAX_THRESHOLD,
        "isRequired": True,
        # Teams shows this for a value outside min and max alike.
        "errorMessage": phrases.THRESHOLD_OUT_OF_RANGE(language),
    }
    number = _number(values.threshold) if values is not None else threshold
    if number is not None:
        minimum["value"] = number
    report_here = values.report_here if values is not None else True
    toggle: Element = {
        "type": "Input.Toggle",
        "id": REPORT_HERE,
        "title": _fit(teams_phrases.LAUNCH_REPORT_HERE(language), MAX_LINE),
        "valueOn": ON,
        "valueOff": OFF,
        "value": ON if report_here else OFF,
        "wrap": True,
    }
    data = {ADVISOR: FORM, "form": Form.LAUNCH.value, "language": language.value}
    team = _fit(team_name, MAX_HEADING)
    return _card(
        language,
        phrases.LAUNCH_TITLE,
        teams_phrases.LAUNCH_TEAM_INTRO(language).format(team=team),
        [(DEADLINE, deadline), (THRESHOLD, minimum), (REPORT_HERE, toggle)],
        errors or {},
        _submit(phrases.LAUNCH_SUBMIT(language), data, positive=True),
        Form.LAUNCH,
    )


def launch_submitted(value: Mapping[str, Any]) -> LaunchValues:
    """The launch card's values as submitted; `launch_errors` checks them.

    Raises:
        FormError: not a launch, or its data was tampered with.
    """
    language = _saved(value, Form.LAUNCH)
    report = value.get(REPORT_HERE)
    if report not in (ON, OFF):
        raise FormError(f"a launch submit's {REPORT_HERE!r} must be {ON!r} or {OFF!r}")
    return LaunchValues(
        language=language,
        deadline=_date(value, DEADLINE),
        threshold=_optional_text(value, THRESHOLD),
        report_here=report == ON,
    )


def launch_errors(values: LaunchValues, today: date) -> dict[str, str]:
    """A message per input id that cannot be right, in the form's language; empty when valid.

    Business rules:
    - The anonymity threshold is a whole number from 3 to 25.
    - A deadline, if any, falls after today.
    """
    errors = {}
    if (problem := threshold_problem(values.threshold)) is not None:
        errors[THRESHOLD] = problem(values.language)
    if values.deadline is not None and values.deadline <= today:
        errors[DEADLINE] = phrases.DEADLINE_PAST(values.language)
    return errors


def form_submit(value: Mapping[str, Any]) -> FormSubmit:
    """Which form a submit with `advisor` `FORM` comes from, its language, and if it cancels.

    Raises:
        FormError: not a form this app rendered.
    """
    if not isinstance(value, Mapping) or value.get(ADVISOR) != FORM:
        raise FormError(f"not a form submit: its {ADVISOR!r} is not {FORM!r}")
    try:
        form = Form(_optional_text(value, "form"))
        language = Language(_optional_text(value, "language"))
    except ValueError as error:
        raise FormError("a form submit without a known form and language") from error
    button = value.get("button")
    if button not in (None, CANCEL):
        raise FormError("a form submit with an unknown button")
    return FormSubmit(form, language, cancelled=button == CANCEL)


def submitted(value: Mapping[str, Any]) -> Submission:
    """What a form's submit says: cancelled, or the figures or launch as sent.

    Raises:
        FormError: not a form this app rendered, or its data was tampered with.
    """
    submit = form_submit(value)
    if submit.cancelled:
        return submit
    if submit.form is Form.MEASURE:
        return measure_submitted(value)
    return launch_submitted(value)


def form_activity(card: Mapping[str, Any]) -> dict[str, Any]:
    """A Bot Framework message activity holding a form card, its title as the summary."""
    return {
        "type": "message",
        "summary": card["fallbackText"],
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": dict(card)}],
    }


def _card(
    language: Language,
    title: Text,
    intro: str,
    fields: list[tuple[str, Element]],
    errors: Mapping[str, str],
    save: Element,
    form: Form,
) -> dict[str, Any]:
    """A form: title, intro, each field with its error under it, and save and cancel buttons.

    Errors for no field on the card go under the intro, with a line saying nothing happened.
    """
    placed = {name for name, _ in fields}
    unplaced = list(dict.fromkeys(m for name, m in errors.items() if name not in placed))
    body = [_heading(title(language)), _text_block(_fit(intro, MAX_TEXT))]
    if errors:
        body.append(_error(teams_phrases.FORM_CHECK_MARKED(language), bold=True))
        body += [_error(message) for message in unplaced[:MAX_UNPLACED]]
    for name, field in fields:
        body.append(field)
        if name in errors:
            body.append(_error(errors[name]))
    cancel = {
        **_submit(
            phrases.CANCEL(language),
            {ADVISOR: FORM, "form": form.value, "language": language.value, "button": CANCEL},
        ),
        # A cancel must not be held up by the form's own checks, nor carry what was typed.
        "associatedInputs": "none",
    }
    body += _action_sets([save, cancel])
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "fallbackText": _fit(title(language), MAX_HEADING),
        "body": body,
        "actions": [],
    }


def _error(message: str, *, bold: bool = False) -> Element:
    block = _text_block(_fit(message, MAX_LINE), bold=bold, spacing="Small")
    block["color"] = "attention"
    return block


def _number(typed: str) -> int | float | None:
    """A typed value as the number an Input.Number shows again; None if it is not one."""
    typed = typed.strip()
    if not typed or len(typed) > MAX_TYPED:
        return None
    try:
        number = float(typed)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


def _saved(value: Mapping[str, Any], form: Form) -> Language:
    submit = form_submit(value)
    if submit.form is not form:
        raise FormError(f"a {submit.form} submit where a {form} was expected")
    if submit.cancelled:
        raise FormError(f"a cancelled {form} is not a save")
    return submit.language


def _optional_text(value: Mapping[str, Any], key: str) -> str:
    """An input's value, stripped; "" when blank or not sent (Teams may leave blanks out)."""
    typed = value.get(key, "")
    if not isinstance(typed, str):
        raise FormError(f"a form submit's {key!r} must be text")
    return typed.strip()


def _date(value: Mapping[str, Any], key: str) -> date | None:
    typed = _optional_text(value, key)
    if not typed:
        return None
    try:
        return date.fromisoformat(typed)
    except ValueError as error:
        raise FormError(f"a form submit's {key!r} must be a date like 2026-12-31") from error
