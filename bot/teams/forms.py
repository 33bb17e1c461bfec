"""Adaptive Card forms for Teams: the week's figures and a team's launch, and their submits."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from babel.numbers import format_decimal

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
from dialogs import figures_flow, phrases
from dialogs.campaigns import threshold_problem
from dialogs.records import MAXIMUM_THRESHOLD, MINIMUM_THRESHOLD
from engine.kpi import KpiEntry, Metric, week_name
from engine.text import Text
from engine.vocabulary import Language

FORM = "form"
"""The `advisor` kind of every form's submit; `form` in its data names the form."""
FIGURE_INPUT = "figure:"
"""Before a metric's name, the id of its input on the figures card."""
WEEK, CHECKED = "week", "checked"
"""The figures card's week, and its box confirming figures hardly ever true."""
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
    """A figures card as submitted: the week chosen ("2026-W47"), each figure as typed, and
    whether its box confirms figures hardly ever true; checked by `check_figures`."""

    language: Language
    week: str
    typed: dict[Metric, str]
    confirmed: bool


Submission = FormSubmit | FiguresValues | LaunchValues
"""A form's submit as read: a cancel (the `FormSubmit` saying so), the figures or a launch."""


def measure_card(
    language: Language,
    metrics: Sequence[Metric],
    weeks: Sequence[date],
    chosen: date,
    *,
    recorded: KpiEntry | None = None,
    values: Mapping[Metric, str] | None = None,
    problems: figures_flow.FormProblems | None = None,
) -> dict[str, Any]:
    """The figures form: the week, and a text field per metric the phase asks for, all
    optional. The figures are text, read as the person writes numbers (as in the chat): a
    number input would read "3,5" by the client's rules, not theirs.

    Args:
        language: the language of the texts, sent back in the submit.
        metrics: the figures asked for, in order.
        weeks: the Mondays of the weeks to choose from; `chosen` is picked.
        recorded: the figures stored for the chosen week, shown to be corrected.
        values: the figures as typed, when the card is sent again after a failed check.
        problems: why it failed, shown under each field (Teams has no modal errors); a doubt
            brings the box that confirms the figures as they are.
    """
    shown = dict(values or {})
    if recorded is not None and values is None:
        shown = {m: format_decimal(v, locale=language.value) for m, v in recorded.values.items()}
    week: Element = {
        "type": "Input.ChoiceSet",
        "id": WEEK,
        "label": _fit(phrases.MEASURE_WEEK(language), MAX_LINE),
        "style": "compact",
        "isRequired": True,
        "choices": [
            {"title": figures_flow.week_option(monday, language), "value": week_name(monday)}
            for monday in weeks
        ],
        "value": week_name(chosen),
    }
    fields: list[tuple[str, Element]] = [(WEEK, week)]
    for metric in metrics:
        field: Element = {
            "type": "Input.Text",
            "id": f"{FIGURE_INPUT}{metric.value}",
            "label": _fit(metric.label(language), MAX_LINE),
            "isRequired": False,
            "maxLength": MAX_TYPED,
        }
        if shown.get(metric):
            field["value"] = shown[metric]
        fields.append((metric.value, field))
    found = problems.figures if problems is not None else {}
    errors = {metric.value: message for metric, message in found.items()}
    if problems is not None and problems.week is not None:
        errors[WEEK] = problems.week
    if problems is not None and problems.doubted:
        checked: Element = {
            "type": "Input.Toggle",
            "id": CHECKED,
            "title": _fit(phrases.MEASURE_CHECKED(language), MAX_LINE),
            "valueOn": ON,
            "valueOff": OFF,
            "value": OFF,
            "wrap": True,
        }
        fields.append((CHECKED, checked))
        errors[CHECKED] = phrases.MEASURE_CHECK_TO_SAVE(language)
    data = {ADVISOR: FORM, "form": Form.MEASURE.value, "language": language.value}
    return _card(
        language,
        phrases.MEASURE_TITLE,
        phrases.MEASURE_FORM_INTRO(language),
        fields,
        errors,
        _submit(phrases.SAVE(language), data, positive=True),
        Form.MEASURE,
    )


def measure_submitted(value: Mapping[str, Any]) -> FiguresValues:
    """The language, the week, the typed figures and the confirming box of a figures submit.

    Blank figures are left out, and inputs for no metric are ignored; the week is checked by
    `check_figures`, as any typed value.

    Raises:
        FormError: not a save of the figures card, or its data was tampered with.
    """
    language = _saved(value, Form.MEASURE)
    figures = {}
    for metric in Metric:
        typed = _optional_text(value, f"{FIGURE_INPUT}{metric.value}")
        if typed:
            figures[metric] = typed
    confirmed = _optional_text(value, CHECKED) == ON
    return FiguresValues(language, _optional_text(value, WEEK), figures, confirmed)


def check_figures(values: FiguresValues, latest: date) -> KpiEntry | figures_flow.FormProblems:
    """The entry to save, or every problem at once, checked as in the chat; `latest` is the
    Monday of the last full week, the latest that may be measured."""
    return figures_flow.check_form(
        values.language, values.week, latest, values.typed, confirmed=values.confirmed
    )


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
