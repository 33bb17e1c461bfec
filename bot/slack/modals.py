"""The project manager's modals: launching a scan and the organisation's settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.numbers import format_decimal

from dialogs import figures_flow, phrases
from dialogs.calendar import FIELDS, calendar_labels, calendar_texts, country_choices, read_calendar
from dialogs.campaigns import threshold_problem
from dialogs.records import (
    MAXIMUM_THRESHOLD,
    MINIMUM_THRESHOLD,
    OrgSettings,
    place_of,
    zone_known,
)
from engine.kpi import KpiEntry, Metric, week_name
from engine.respect import MAXIMUM_CAP, Respect
from engine.text import Text
from engine.vocabulary import Language

LAUNCH_CALLBACK = "launch"
SETTINGS_CALLBACK = "settings"
MEASURE_CALLBACK = "measure"
CHANNEL, USERGROUP, DEADLINE, THRESHOLD, REPORT = (
    "audience",
    "usergroup",
    "deadline",
    "threshold",
    "report",
)
LANGUAGE = "language"
ZONE = "zone"
NO_COUNTRY = "-"
"""The country choice for no public holidays (a select cannot be emptied once chosen)."""
MAX_ZONE, MAX_DAYS_OFF = 64, 1500
WEEK, CHECKED = "week", "checked"
"""The figures modal's week and the box confirming figures hardly ever true."""
MAX_FIGURE = 40
"""Longer than any figure anyone types."""
MAX_OPTIONS = 100
"""A static select holds at most 100 options."""
MAX_TITLE, MAX_BUTTON, MAX_OPTION = 24, 24, 75

View = dict[str, Any]


@dataclass(frozen=True)
class LaunchForm:
    """A launch modal as submitted; the threshold as typed, validated by the caller."""

    channel: str | None
    usergroup: str | None
    closing: date | None
    threshold: str
    report_to: str | None


def launch_modal(
    language: Language, threshold: int, usergroups: Sequence[tuple[str, str]] = ()
) -> View:
    """The launch form. `usergroups` (id, handle) become a choice beside the channel; without
    them (none in the workspace, or a plan without user groups) only a channel can be chosen."""
    audience = [
        _input(
            CHANNEL,
            phrases.LAUNCH_AUDIENCE(language),
            {
                "type": "conversations_select",
                "filter": {"include": ["public", "private"], "exclude_bot_users": True},
            },
            optional=bool(usergroups),
        )
    ]
    if usergroups:
        options = [_option(f"@{handle}", group) for group, handle in usergroups[:MAX_OPTIONS]]
        audience.append(
            _input(
                USERGROUP,
                phrases.LAUNCH_USERGROUP(language),
                {"type": "static_select", "options": options},
                optional=True,
            )
        )
    return _modal(
        LAUNCH_CALLBACK,
        language,
        phrases.LAUNCH_TITLE,
        phrases.LAUNCH_SUBMIT,
        [
            *audience,
            _input(
                DEADLINE, phrases.LAUNCH_DEADLINE(language), {"type": "datepicker"}, optional=True
            ),
            _threshold(language, threshold),
            _input(
                REPORT,
                phrases.LAUNCH_REPORT(language),
                {"type": "conversations_select", "filter": {"include": ["public", "private"]}},
                optional=True,
            ),
        ],
    )


def launch_form(view: View) -> LaunchForm:
    values = _values(view)
    chosen_date = values(DEADLINE).get("selected_date")
    usergroup = (values(USERGROUP).get("selected_option") or {}).get("value")
    return LaunchForm(
        channel=values(CHANNEL).get("selected_conversation") or None,
        usergroup=str(usergroup) if usergroup else None,
        closing=date.fromisoformat(chosen_date) if chosen_date else None,
        threshold=str(values(THRESHOLD).get("value") or ""),
        report_to=values(REPORT).get("selected_conversation") or None,
    )


@dataclass(frozen=True)
class SettingsForm:
    """A settings modal as submitted, as typed; validated by the caller. A field the view did
    not hold (an older modal) is left out of `calendar`, and `zone` is None: they keep their
    values."""

    language: str
    threshold: str
    report_to: str | None
    zone: str | None = None
    calendar: dict[str, str] = field(default_factory=dict)
    """The calendar's fields by name (`dialogs.calendar.FIELDS`), as `read_calendar` takes."""


def settings_modal(language: Language, settings: OrgSettings) -> View:
    """The organisation's language (for results and first conversations), threshold, the
    channel that gets the monthly report beside the project manager, its time zone and its
    calendar: working days and hours, quiet hours, the weekly cap, the country whose public
    holidays are days off, and its own days off."""
    choices = [_option(phrases.LANGUAGE_NAME(choice), choice.value) for choice in Language]
    current = next(o for o in choices if o["value"] == settings.language.value)
    report: dict[str, Any] = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"]},
    }
    channel = place_of(settings.report_channel) if settings.report_channel else None
    if channel:
        report["initial_conversation"] = channel
    zone = {"type": "plain_text_input", "max_length": MAX_ZONE, "initial_value": settings.time_zone}
    return _modal(
        SETTINGS_CALLBACK,
        language,
        phrases.SETTINGS_TITLE,
        phrases.SAVE,
        [
            _input(
                LANGUAGE,
                phrases.SETTINGS_LANGUAGE(language),
                {"type": "static_select", "options": choices, "initial_option": current},
                optional=False,
            ),
            _threshold(language, settings.anonymity_threshold),
            _input(REPORT, phrases.SETTINGS_REPORT(language), report, optional=True),
            _hinted(
                _input(ZONE, phrases.CALENDAR_ZONE(language), zone, optional=False),
                phrases.CALENDAR_ZONE_HINT(language),
            ),
            *_calendar_blocks(language, settings.respect),
        ],
    )


def _calendar_blocks(language: Language, respect: Respect) -> list[dict[str, Any]]:
    """A block per calendar field, named as the field, filled with its current value."""
    typed, labels = calendar_texts(respect, language), calendar_labels(language)
    elements: dict[str, dict[str, Any]] = {
        name: {"type": "plain_text_input", "max_length": 100} for name in FIELDS
    }
    elements["weekly_cap"] = {
        "type": "number_input",
        "is_decimal_allowed": False,
        "min_value": "1",
        "max_value": str(MAXIMUM_CAP),
    }
    elements["days_off"] = {
        "type": "plain_text_input",
        "multiline": True,
        "max_length": MAX_DAYS_OFF,
    }
    elements["country"] = _countries(language, respect.country)
    blocks = []
    for name in FIELDS:
        element = elements[name]
        if typed[name] and element["type"] != "static_select":
            element["initial_value"] = typed[name]
        label, hint = labels[name]
        if name == "country":  # chosen, not typed
            hint = phrases.CALENDAR_COUNTRY_CHOICE_HINT(language)
        optional = name in ("quiet_hours", "days_off")
        blocks.append(_hinted(_input(name, label, element, optional=optional), hint))
    return blocks


def _countries(language: Language, chosen: str | None) -> dict[str, Any]:
    """Every country with known public holidays, grouped by initial (a group holds at most
    100 options, a select 100 groups), after the choice of none."""
    none = _option(phrases.CALENDAR_COUNTRY_NONE(language), NO_COUNTRY)
    groups: dict[str, list[dict[str, Any]]] = {"–": [none]}
    for code, name in country_choices(language):
        groups.setdefault(name[:1].upper(), []).append(_option(f"{name} ({code})", code))
    options = [option for group in groups.values() for option in group]
    initial = next(o for o in options if o["value"] == (chosen or NO_COUNTRY))
    return {
        "type": "static_select",
        "option_groups": [
            {"label": _plain(initial_letter, MAX_OPTION), "options": group[:MAX_OPTIONS]}
            for initial_letter, group in groups.items()
        ][:MAX_OPTIONS],
        "initial_option": initial,
    }


def _hinted(block: dict[str, Any], hint: str) -> dict[str, Any]:
    return {**block, "hint": _plain(hint, 2000)}


def settings_form(view: View) -> SettingsForm:
    values = _values(view)
    held = view.get("state", {}).get("values", {})
    chosen = (values(LANGUAGE).get("selected_option") or {}).get("value")
    calendar = {name: str(values(name).get("value") or "") for name in FIELDS if name in held}
    if "country" in held:
        country = (values("country").get("selected_option") or {}).get("value")
        calendar["country"] = "" if country in (None, NO_COUNTRY) else str(country)
    return SettingsForm(
        language=str(chosen or ""),
        threshold=str(values(THRESHOLD).get("value") or ""),
        report_to=values(REPORT).get("selected_conversation") or None,
        zone=str(values(ZONE).get("value") or "").strip() if ZONE in held else None,
        calendar=calendar,
    )


def modal_language(view: View) -> Language:
    """The language the modal was opened in (kept in its private metadata)."""
    try:
        return Language(str(view.get("private_metadata") or Language.EN).split("|")[0])
    except ValueError:
        return Language.EN


def _modal(callback: str, language: Language, title: Text, submit: Text, blocks: list[Any]) -> View:
    return {
        "type": "modal",
        "callback_id": callback,
        "private_metadata": language.value,
        "title": _plain(title(language), MAX_TITLE),
        "submit": _plain(submit(language), MAX_BUTTON),
        "close": _plain(phrases.CANCEL(language), MAX_BUTTON),
        "blocks": blocks,
    }


def _threshold(language: Language, threshold: int) -> dict[str, Any]:
    return _input(
        THRESHOLD,
        phrases.LAUNCH_THRESHOLD(language),
        {
            "type": "number_input",
            "is_decimal_allowed": False,
            "min_value": str(MINIMUM_THRESHOLD),
            "max_value": str(MAXIMUM_THRESHOLD),
            "initial_value": str(threshold),
        },
        optional=False,
    )


def _input(block: str, label: str, element: dict[str, Any], *, optional: bool) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block,
        "optional": optional,
        "label": _plain(label, 2000),
        "element": {**element, "action_id": block},
    }


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": _plain(label, MAX_OPTION), "value": value}


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…"}


def _values(view: View) -> Any:
    values = view.get("state", {}).get("values", {})

    def value(block: str) -> dict[str, Any]:
        found = values.get(block, {}).get(block, {})
        return dict(found) if isinstance(found, dict) else {}

    return value


def measure_modal(
    language: Language,
    metrics: Sequence[Metric],
    weeks: Sequence[date],
    chosen: date,
    recorded: KpiEntry | None = None,
) -> View:
    """The week (a choice of `weeks`, their Mondays, `chosen` first picked) and a text field
    per figure the phase asks for, all optional ('not known' is a blank), filled with the
    figures `recorded` for the chosen week, which saving replaces; and the box that confirms
    figures hardly ever true.

    The figures are text, read as the person writes numbers (`engine.kpi.parse_count`), the
    same as in the chat: a number input would read "3,5" by Slack's rules, not theirs."""
    intro = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": phrases.MEASURE_FORM_INTRO(language)},
    }
    options = [
        _option(figures_flow.week_option(monday, language), week_name(monday))
        for monday in weeks[:MAX_OPTIONS]
    ]
    picked = next(o for o in options if o["value"] == week_name(chosen))
    week = _input(
        WEEK,
        phrases.MEASURE_WEEK(language),
        {"type": "static_select", "options": options, "initial_option": picked},
        optional=False,
    )
    fields = []
    for metric in metrics:
        element: dict[str, Any] = {"type": "plain_text_input", "max_length": MAX_FIGURE}
        if recorded is not None and metric in recorded.values:
            element["initial_value"] = format_decimal(
                recorded.values[metric], locale=language.value
            )
        fields.append(_input(metric.value, metric.label(language), element, optional=True))
    checked = _input(
        CHECKED,
        phrases.MEASURE_CHECK(language),
        {"type": "checkboxes", "options": [_option(phrases.MEASURE_CHECKED(language), CHECKED)]},
        optional=True,
    )
    blocks = [intro, week, *fields, checked]
    return _modal(MEASURE_CALLBACK, language, phrases.MEASURE_TITLE, phrases.SAVE, blocks)


def measure_values(view: View) -> tuple[str, dict[Metric, str], bool]:
    """The week chosen ("2026-W47"), the typed figures (blank ones left out), and whether the
    box confirming figures hardly ever true is ticked."""
    values = _values(view)
    option = values(WEEK).get("selected_option")
    week = str(option.get("value") or "") if isinstance(option, dict) else ""
    typed = {metric: str(values(metric.value).get("value") or "").strip() for metric in Metric}
    ticked = values(CHECKED).get("selected_options") or []
    confirmed = any(isinstance(o, dict) and o.get("value") == CHECKED for o in ticked)
    return week, {metric: value for metric, value in typed.items() if value}, confirmed


def measure_errors(problems: figures_flow.FormProblems, language: Language) -> dict[str, str]:
    """A figures form's problems as Slack's errors, by block."""
    errors = {metric.value: message for metric, message in problems.figures.items()}
    if problems.week is not None:
        errors[WEEK] = problems.week
    if problems.doubted:
        errors[CHECKED] = phrases.MEASURE_CHECK_TO_SAVE(language)
    return errors


def launch_errors(view: View, today: date) -> dict[str, str]:
    """Field errors for the launch modal, in its language; empty when it is valid."""
    language, form = modal_language(view), launch_form(view)
    errors = {}
    if (problem := threshold_problem(form.threshold)) is not None:
        errors[THRESHOLD] = problem(language)
    if form.channel is None and form.usergroup is None:
        errors[CHANNEL] = phrases.AUDIENCE_MISSING(language)
    if form.closing is not None and form.closing <= today:
        errors[DEADLINE] = phrases.DEADLINE_PAST(language)
    return errors


def settings_errors(view: View) -> dict[str, str]:
    """Field errors for the settings modal, in its language; empty when it is valid."""
    language, form = modal_language(view), settings_form(view)
    errors = {}
    if (problem := threshold_problem(form.threshold)) is not None:
        errors[THRESHOLD] = problem(language)
    if form.language not in {choice.value for choice in Language}:
        errors[LANGUAGE] = phrases.LANGUAGE_UNKNOWN_CHOICE(language)
    if form.zone is not None and not zone_known(form.zone):
        errors[ZONE] = phrases.CALENDAR_ZONE_UNKNOWN(language).format(zone=form.zone)
    calendar = read_calendar(form.calendar, language, Respect())
    if isinstance(calendar, dict):
        errors.update(calendar)
    return errors
