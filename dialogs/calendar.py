"""The organisation's calendar as a person reads and types it, in either language.

Business rules:
- Every field is text as someone would type it: working days as a range or a list of day
  names (Dutch or English, written out or abbreviated: ``ma-vr``, ``mon, tue, thu``), hours as
  ``09:00-17:30``, quiet hours the same or empty, the weekly cap a number, the country a
  two-letter code (or its name) or empty, days off as ISO dates.
- A field left out keeps its current value; a bad field is refused with a message under its
  name, in the person's language, and nothing changes until every field reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date, time
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import get_day_names

from dialogs import phrases
from engine.respect import MAXIMUM_CAP, Respect, country_code, supported_countries
from engine.text import Text
from engine.vocabulary import Language

FIELDS = ("working_days", "hours", "quiet_hours", "weekly_cap", "country", "days_off")
MAXIMUM_DAYS_OFF = 100
"""Own days off kept at once: enough for a few years of closing days."""

_RANGE = re.compile(r"\s*(?:-|–|—|t/m|tot en met|tot|to|until)\s*")
_SEPARATORS = re.compile(r"\s*(?:[,;/]|\s|\ben\b|\band\b)\s*")
_HOURS = re.compile(
    r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(?:-|–|—|tot|to|until)\s*(\d{1,2})(?:[:.](\d{2}))?\s*$"
)
_DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


def calendar_labels(language: Language) -> dict[str, tuple[str, str]]:
    """Each field's label and hint, for a form or a command's help."""
    texts: dict[str, tuple[Text, Text]] = {
        "working_days": (phrases.CALENDAR_WORKING_DAYS, phrases.CALENDAR_WORKING_DAYS_HINT),
        "hours": (phrases.CALENDAR_HOURS, phrases.CALENDAR_HOURS_HINT),
        "quiet_hours": (phrases.CALENDAR_QUIET_HOURS, phrases.CALENDAR_QUIET_HOURS_HINT),
        "weekly_cap": (phrases.CALENDAR_WEEKLY_CAP, phrases.CALENDAR_WEEKLY_CAP_HINT),
        "country": (phrases.CALENDAR_COUNTRY, phrases.CALENDAR_COUNTRY_HINT),
        "days_off": (phrases.CALENDAR_DAYS_OFF, phrases.CALENDAR_DAYS_OFF_HINT),
    }
    return {
        name: (label(language), hint(language).format(maximum=MAXIMUM_CAP))
        for name, (label, hint) in texts.items()
    }


def calendar_texts(respect: Respect, language: Language) -> dict[str, str]:
    """The calendar's current values as a person would type them, to fill a form."""
    quiet = respect.quiet_hours
    return {
        "working_days": _days_text(respect.working_days, language),
        "hours": _hours_text(respect.day_starts, respect.day_ends),
        "quiet_hours": "" if quiet is None else _hours_text(*quiet),
        "weekly_cap": str(respect.weekly_cap),
        "country": respect.country or "",
        "days_off": ", ".join(day.isoformat() for day in sorted(respect.holidays)),
    }


def read_calendar(
    values: Mapping[str, str], language: Language, base: Respect
) -> Respect | dict[str, str]:
    """The calendar `values` describe over `base` (fields left out keep base's values), or the
    errors by field name, in `language`."""
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {}
    for name, reader in _READERS.items():
        if name in values:
            try:
                changes.update(reader(values[name]))
            except _Unreadable as unreadable:
                errors[name] = unreadable.say(language)
    if errors:
        return errors
    quiet = changes.pop("quiet_hours", base.quiet_hours)
    calendar = replace(base, quiet_hours=None, **changes)
    try:
        return replace(calendar, quiet_hours=quiet)
    except ValueError:
        hours = _hours_text(calendar.day_starts, calendar.day_ends)
        return {"quiet_hours": phrases.CALENDAR_QUIET_OUTSIDE(language).format(hours=hours)}


def calendar_changes(before: Respect, after: Respect) -> list[str]:
    """The names of the fields that differ, for the audit trail."""
    old, new = calendar_texts(before, Language.EN), calendar_texts(after, Language.EN)
    return [name for name in FIELDS if old[name] != new[name]]


def country_choices(language: Language) -> list[tuple[str, str]]:
    """(code, name) of every country whose public holidays are known, by name."""
    return sorted(_country_names(language).items(), key=lambda choice: choice[1].casefold())


_Reader = Callable[[str], dict[str, Any]]
"""Reads one field's text into Respect's fields; raises _Unreadable."""


class _Unreadable(Exception):
    def __init__(self, phrase: Text, **values: Any) -> None:
        super().__init__(phrase.en)
        self.phrase, self.values = phrase, values

    def say(self, language: Language) -> str:
        return self.phrase(language).format(**self.values)


def _read_working_days(typed: str) -> dict[str, Any]:
    days: set[int] = set()
    for part in _SEPARATORS.split(_RANGE.sub("-", typed.strip().casefold())):
        if not part:
            continue
        first, _, last = part.partition("-")
        start = _weekday(first)
        end = _weekday(last) if last else start
        days.update((start + step) % 7 for step in range((end - start) % 7 + 1))
    if not days:
        raise _Unreadable(phrases.CALENDAR_NO_WORKING_DAY)
    return {"working_days": frozenset(days)}


def _weekday(word: str) -> int:
    """Monday 0 for a day's name or its start (two letters at least), Dutch or English."""
    if len(word) >= 2:
        found = {day for name, day in _day_names() if name.startswith(word)}
        if len(found) == 1:
            return found.pop()
    raise _Unreadable(phrases.CALENDAR_DAY_UNKNOWN, word=word)


def _read_hours(typed: str) -> dict[str, Any]:
    span = _span(typed)
    if span is None:
        raise _Unreadable(phrases.CALENDAR_HOURS_UNREADABLE)
    if span[0] >= span[1]:
        raise _Unreadable(phrases.CALENDAR_HOURS_BACKWARDS)
    return {"day_starts": span[0], "day_ends": span[1]}


def _read_quiet(typed: str) -> dict[str, Any]:
    if not typed.strip():
        return {"quiet_hours": None}
    span = _span(typed)
    if span is None:
        raise _Unreadable(phrases.CALENDAR_QUIET_UNREADABLE)
    return {"quiet_hours": span}


def _span(typed: str) -> tuple[time, time] | None:
    found = _HOURS.match(typed)
    if found is None:
        return None
    hour, minute, end_hour, end_minute = found.groups()
    try:
        return time(int(hour), int(minute or 0)), time(int(end_hour), int(end_minute or 0))
    except ValueError:
        return None


def _read_cap(typed: str) -> dict[str, Any]:
    cap = typed.strip()
    if not cap.isdigit() or not 1 <= int(cap) <= MAXIMUM_CAP:
        raise _Unreadable(phrases.CALENDAR_CAP_UNREADABLE, maximum=MAXIMUM_CAP)
    return {"weekly_cap": int(cap)}


def _read_country(typed: str) -> dict[str, Any]:
    name = typed.strip()
    if not name:
        return {"country": None}
    code = country_code(name) or _country_named(name)
    if code is None:
        raise _Unreadable(phrases.CALENDAR_COUNTRY_UNKNOWN, country=name)
    return {"country": code}


def _read_days_off(typed: str) -> dict[str, Any]:
    days = frozenset(_day_off(word) for word in re.split(r"[,;\s]+", typed.strip()) if word)
    if len(days) > MAXIMUM_DAYS_OFF:
        raise _Unreadable(phrases.CALENDAR_TOO_MANY_DAYS_OFF, maximum=MAXIMUM_DAYS_OFF)
    return {"holidays": days}


def _day_off(word: str) -> date:
    """An ISO date, or the Dutch way of writing it (24-12-2026)."""
    dutch = _DUTCH_DATE.match(word)
    try:
        if dutch is not None:
            day, month, year = (int(part) for part in dutch.groups())
            return date(year, month, day)
        return date.fromisoformat(word)
    except ValueError:
        raise _Unreadable(phrases.CALENDAR_DAY_OFF_UNREADABLE, word=word) from None


def _days_text(days: Iterable[int], language: Language) -> str:
    """Runs of three days or more as a range (``mon-fri``, ``sun-thu``), others listed."""
    chosen = set(days)
    names = get_day_names("abbreviated", locale=language.value)
    if len(chosen) == 7:
        return f"{names[0].casefold()}-{names[6].casefold()}"
    starts = sorted(day for day in chosen if (day - 1) % 7 not in chosen)
    parts: list[str] = []
    for start in starts:
        run = [start]
        while (run[-1] + 1) % 7 in chosen:
            run.append((run[-1] + 1) % 7)
        words = [names[day].casefold() for day in run]
        parts += [f"{words[0]}-{words[-1]}"] if len(run) >= 3 else words
    return ", ".join(parts)


def _hours_text(starts: time, ends: time) -> str:
    return f"{starts:%H:%M}-{ends:%H:%M}"


@cache
def _day_names() -> tuple[tuple[str, int], ...]:
    """Every weekday's full name in both languages, for reading a start of one."""
    return tuple(
        (name.casefold(), day)
        for language in Language
        for day, name in get_day_names("wide", locale=language.value).items()
    )


@cache
def _country_names(language: Language) -> dict[str, str]:
    territories = Locale(language.value).territories
    return {code: str(territories.get(code, code)) for code in supported_countries()}


def _country_named(name: str) -> str | None:
    """The code of a country written out in either language (``Nederland``, ``Belgium``)."""
    wanted = name.casefold()
    for language in Language:
        for code, known in _country_names(language).items():
            if known.casefold() == wanted:
                return code
    return None


_READERS: dict[str, _Reader] = {
    "working_days": _read_working_days,
    "hours": _read_hours,
    "quiet_hours": _read_quiet,
    "weekly_cap": _read_cap,
    "country": _read_country,
    "days_off": _read_days_off,
}
