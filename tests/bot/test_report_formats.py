"""Dates, numbers and percentages in the report, as a Dutch and an English reader write them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.report import formats
from engine.labels import decimal
from engine.vocabulary import Language

NL, EN = Language.NL, Language.EN


@pytest.mark.parametrize(("language", "written"), [(NL, "14 maart 2025"), (EN, "14 March 2025")])
def test_a_long_date_names_the_month_day_first(language: Language, written: str) -> None:
    assert formats.long_date(date(2025, 3, 14), language) == written


@pytest.mark.parametrize(("language", "written"), [(NL, "3 okt 2025"), (EN, "3 Oct 2025")])
def test_a_short_date_abbreviates_the_month(language: Language, written: str) -> None:
    assert formats.short_date(date(2025, 10, 3), language) == written


@pytest.mark.parametrize(
    ("language", "start", "end", "written"),
    [
        (NL, date(2025, 1, 6), date(2025, 1, 12), "6–12 jan 2025"),
        (EN, date(2025, 1, 6), date(2025, 1, 12), "6 – 12 Jan 2025"),
        (NL, date(2025, 1, 27), date(2025, 2, 2), "27 jan – 2 feb 2025"),
        (EN, date(2025, 1, 27), date(2025, 2, 2), "27 Jan – 2 Feb 2025"),
        (NL, date(2024, 12, 30), date(2025, 1, 5), "30 dec 2024 – 5 jan 2025"),
        (EN, date(2024, 12, 30), date(2025, 1, 5), "30 Dec 2024 – 5 Jan 2025"),
        (NL, date(2025, 5, 1), date(2025, 5, 1), "1 mei 2025"),
    ],
)
def test_a_period_writes_its_shared_month_and_year_once(
    language: Language, start: date, end: date, written: str
) -> None:
    # CLDR sets the dash between thin spaces where both sides have a space in them.
    assert " ".join(formats.period(start, end, language).split()) == written


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [(2.5, "2,5", "2.5"), (3.0, "3", "3"), (2.45, "2,5", "2.5"), (-0.04, "0", "0")],
)
def test_a_decimal_has_one_place_with_a_comma_in_dutch(value: float, nl: str, en: str) -> None:
    assert formats.decimal(value, NL) == nl
    assert formats.decimal(value, EN) == en


@given(st.floats(min_value=-1000, max_value=1000, allow_nan=False), st.sampled_from(Language))
def test_a_decimal_in_the_report_reads_as_the_chat_writes_it(
    value: float, language: Language
) -> None:
    chat = decimal(value, language, keep_zero=False)

    assert formats.decimal(value, language) == ("0" if chat == "-0" else chat)


@pytest.mark.parametrize(
    ("delta", "nl", "en"), [(0.5, "+0,5", "+0.5"), (-1.0, "−1", "−1"), (0.04, "0", "0")]
)
def test_a_change_carries_its_sign(delta: float, nl: str, en: str) -> None:
    assert formats.signed(delta, NL) == nl
    assert formats.signed(delta, EN) == en


@pytest.mark.parametrize(
    ("value", "nl", "en"), [(1200, "1.200", "1,200"), (1234567.4, "1.234.567", "1,234,567")]
)
def test_a_count_groups_its_thousands_the_readers_way(value: float, nl: str, en: str) -> None:
    assert formats.count(value, NL) == nl
    assert formats.count(value, EN) == en


@pytest.mark.parametrize(
    ("share", "nl", "en"),
    [
        (0.75, "75%", "75%"),
        (0.075, "7,5%", "7.5%"),
        (0.0996, "10%", "10%"),
        (0.0, "0%", "0%"),
        (1.0, "100%", "100%"),
    ],
)
def test_a_percentage_has_a_decimal_only_under_ten(share: float, nl: str, en: str) -> None:
    assert formats.percent(share, NL) == nl
    assert formats.percent(share, EN) == en
