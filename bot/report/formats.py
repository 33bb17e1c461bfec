"""Dates, numbers and percentages as a Dutch or an English reader writes them, from Babel's CLDR.

British English for the English report: day before month ("14 March 2025"), as in the Dutch.
Numbers round as `engine.labels.decimal` does, so the report and the chat never disagree on a
median: Python rounds first, Babel only writes the result.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date, format_interval
from babel.numbers import format_decimal, format_percent

from engine.vocabulary import Language

_LOCALES = {Language.NL: "nl_NL", Language.EN: "en_GB"}
MINUS = "−"
"""A real minus sign for a change, so a fall reads as clearly as a rise."""


def locale(language: Language) -> str:
    """The CLDR locale the report uses for a language."""
    return _LOCALES[language]


def long_date(day: date, language: Language) -> str:
    """14 maart 2025 / 14 March 2025."""
    return format_date(day, "long", locale=locale(language))


def short_date(day: date, language: Language) -> str:
    """14 mrt 2025 / 14 Mar 2025: the periods along a chart's axis."""
    return format_date(day, "medium", locale=locale(language))


def period(start: date, end: date, language: Language) -> str:
    """A logged period, its year and month written once where they are shared: 6–12 jan 2025."""
    if start == end:
        return short_date(start, language)
    return format_interval(start, end, "yMMMd", locale=locale(language))


def decimal(value: float, language: Language) -> str:
    """One decimal, none when it is zero: 2,5 / 2.5, and 3 for 3.0."""
    # Adding 0.0 turns a rounded -0.0 into 0.0, which Babel would write as "-0".
    return format_decimal(round(value, 1) + 0.0, format="0.#", locale=locale(language))


def signed(delta: float, language: Language) -> str:
    """A change with its sign: +0,5, −1, and 0 for what rounds to no change."""
    if round(delta, 1) == 0:
        return "0"
    return ("+" if delta > 0 else MINUS) + decimal(abs(delta), language)


def count(value: float, language: Language) -> str:
    """A whole number with the reader's thousands separator: 1.200 / 1,200."""
    return format_decimal(round(value), locale=locale(language))


def percent(share: float, language: Language) -> str:
    """A share (0.75) as a percentage: 75%; under 10% with one decimal, so 7,5% stays 7,5%."""
    hundredths = share * 100
    if abs(hundredths) < 10:
        return format_percent(
            (round(hundredths, 1) + 0.0) / 100, format="0.#%", locale=locale(language)
        )
    return format_percent(round(hundredths) / 100, format="#,##0%", locale=locale(language))
