"""The organisation's calendar as people type it: read in Dutch or English, written back the
same way, and every mistake refused under its field, in the person's language."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs.calendar import (
    FIELDS,
    calendar_changes,
    calendar_labels,
    calendar_texts,
    country_choices,
    read_calendar,
)
from engine.respect import MAXIMUM_CAP, Respect
from engine.vocabulary import Language

NL, EN = Language.NL, Language.EN
OFFICE = Respect()
LUNCH = (time(12, 0), time(13, 0))


def read(values: dict[str, str], language: Language = EN, base: Respect = OFFICE) -> Respect:
    calendar = read_calendar(values, language, base)
    assert isinstance(calendar, Respect), calendar
    return calendar


def errors(values: dict[str, str], language: Language, base: Respect = OFFICE) -> dict[str, str]:
    calendar = read_calendar(values, language, base)
    assert isinstance(calendar, dict), calendar
    return calendar


def test_the_default_calendar_reads_as_people_write_it() -> None:
    assert calendar_texts(OFFICE, NL) == {
        "working_days": "ma-vr",
        "hours": "09:00-17:30",
        "quiet_hours": "",
        "weekly_cap": "5",
        "country": "",
        "days_off": "",
    }
    assert calendar_texts(OFFICE, EN)["working_days"] == "mon-fri"


def test_a_full_calendar_reads_back_in_both_languages() -> None:
    respect = Respect(
        working_days=frozenset({0, 1, 3}),
        day_starts=time(8, 30),
        day_ends=time(16, 0),
        holidays=frozenset({date(2026, 12, 31), date(2026, 12, 24)}),
        weekly_cap=3,
        quiet_hours=LUNCH,
        country="BE",
    )
    assert calendar_texts(respect, EN) == {
        "working_days": "mon, tue, thu",
        "hours": "08:30-16:00",
        "quiet_hours": "12:00-13:00",
        "weekly_cap": "3",
        "country": "BE",
        "days_off": "2026-12-24, 2026-12-31",
    }
    assert calendar_texts(respect, NL)["working_days"] == "ma, di, do"


@pytest.mark.parametrize(
    ("days", "language", "typed"),
    [
        ({6, 0, 1, 2, 3}, EN, "sun-thu"),
        ({0, 1, 2, 4}, NL, "ma-wo, vr"),
        (set(range(7)), NL, "ma-zo"),
        ({5}, EN, "sat"),
    ],
    ids=["a week wrapping round sunday", "a run and a day", "every day", "one day"],
)
def test_working_days_are_written_as_runs_and_single_days(
    days: set[int], language: Language, typed: str
) -> None:
    assert calendar_texts(Respect(working_days=frozenset(days)), language)["working_days"] == typed


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("ma-vr", {0, 1, 2, 3, 4}),
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("Maandag t/m Donderdag", {0, 1, 2, 3}),
        ("monday to thursday", {0, 1, 2, 3}),
        ("ma – vr", {0, 1, 2, 3, 4}),
        ("mon, tue, thu", {0, 1, 3}),
        ("ma, di en do", {0, 1, 3}),
        ("Mon Tues Thurs", {0, 1, 3}),
        ("zo-do", {6, 0, 1, 2, 3}),
        ("woensdag", {2}),
        ("wed; sat", {2, 5}),
        ("ma-wo, vr", {0, 1, 2, 4}),
    ],
)
def test_working_days_are_read_in_either_language(typed: str, days: set[int]) -> None:
    assert read({"working_days": typed}).working_days == frozenset(days)


@pytest.mark.parametrize(
    ("typed", "starts", "ends"),
    [
        ("09:00-17:30", time(9, 0), time(17, 30)),
        ("8:30 - 16", time(8, 30), time(16, 0)),
        ("9.00–17.00", time(9, 0), time(17, 0)),
        ("9 tot 17", time(9, 0), time(17, 0)),
        ("10 to 15:45", time(10, 0), time(15, 45)),
    ],
)
def test_working_hours_are_read_as_people_write_them(typed: str, starts: time, ends: time) -> None:
    calendar = read({"hours": typed})
    assert (calendar.day_starts, calendar.day_ends) == (starts, ends)


def test_quiet_hours_are_set_and_cleared() -> None:
    assert read({"quiet_hours": "12:00-13:00"}).quiet_hours == LUNCH
    assert read({"quiet_hours": "  "}, base=Respect(quiet_hours=LUNCH)).quiet_hours is None


def test_a_country_is_read_by_its_code_or_its_name_in_either_language() -> None:
    assert read({"country": "nl"}).country == "NL"
    assert read({"country": "UK"}).country == "GB", "an alias is the country it stands for"
    assert read({"country": "nld"}).country == "NL"
    assert read({"country": "Nederland"}).country == "NL"
    assert read({"country": "belgium"}).country == "BE"
    assert read({"country": ""}, base=Respect(country="NL")).country is None


def test_days_off_are_read_as_iso_or_dutch_dates() -> None:
    calendar = read({"days_off": "2026-12-24, 31-12-2026;2027-01-02 2027-01-02"})
    assert calendar.holidays == frozenset(
        {date(2026, 12, 24), date(2026, 12, 31), date(2027, 1, 2)}
    )
    assert read({"days_off": ""}, base=calendar).holidays == frozenset()


def test_the_weekly_cap_is_read() -> None:
    assert read({"weekly_cap": " 3 "}).weekly_cap == 3
    assert read({"weekly_cap": str(MAXIMUM_CAP)}).weekly_cap == MAXIMUM_CAP


def test_fields_left_out_keep_their_values() -> None:
    base = Respect(
        working_days=frozenset({1, 2}),
        quiet_hours=LUNCH,
        country="NL",
        holidays=frozenset({date(2026, 12, 24)}),
        weekly_cap=2,
    )
    assert read({}, base=base) == base
    assert read({"weekly_cap": "4"}, base=base) == Respect(
        working_days=frozenset({1, 2}),
        quiet_hours=LUNCH,
        country="NL",
        holidays=frozenset({date(2026, 12, 24)}),
        weekly_cap=4,
    )


ERRORS = [
    ("working_days", "ma-xx", "'xx'", "'xx'"),
    ("working_days", "m", "'m'", "'m'"),
    ("working_days", " , ", "minstens één werkdag", "at least one working day"),
    ("hours", "nine to five", "09:00-17:30", "09:00-17:30"),
    ("hours", "25:00-26:00", "09:00-17:30", "09:00-17:30"),
    ("hours", "17:00-09:00", "beginnen voordat", "start before it ends"),
    ("quiet_hours", "lunch", "12:00-13:00", "12:00-13:00"),
    ("quiet_hours", "13-12", "binnen de werktijden (09:00-17:30)", "within the working hours"),
    ("quiet_hours", "07:00-08:00", "binnen de werktijden", "within the working hours"),
    ("quiet_hours", "09:00-17:30", "deel van de werkdag", "part of the working day"),
    ("weekly_cap", "0", f"1 tot en met {MAXIMUM_CAP}", f"1 to {MAXIMUM_CAP}"),
    ("weekly_cap", str(MAXIMUM_CAP + 1), "heel getal", "whole number"),
    ("weekly_cap", "five", "heel getal", "whole number"),
    ("weekly_cap", "2.5", "heel getal", "whole number"),
    ("country", "XX", "'XX'", "'XX'"),
    ("country", "Atlantis", "'Atlantis'", "'Atlantis'"),
    ("days_off", "2026-13-01", "'2026-13-01'", "'2026-13-01'"),
    ("days_off", "kerst", "'kerst'", "'kerst'"),
]


@pytest.mark.parametrize(("field", "typed", "dutch", "english"), ERRORS)
def test_every_mistake_is_refused_under_its_field_in_the_persons_language(
    field: str, typed: str, dutch: str, english: str
) -> None:
    assert set(errors({field: typed}, NL)) == {field}
    said_nl, said_en = errors({field: typed}, NL)[field], errors({field: typed}, EN)[field]
    assert dutch in said_nl
    assert english in said_en
    assert said_nl != said_en


def test_too_many_days_off_are_refused() -> None:
    days = ", ".join(
        date.fromordinal(date(2026, 1, 1).toordinal() + n).isoformat() for n in range(101)
    )
    assert "100" in errors({"days_off": days}, EN)["days_off"]


def test_every_bad_field_is_named_at_once_and_nothing_is_read() -> None:
    found = errors({"working_days": "xx", "hours": "x", "country": "ZZ", "weekly_cap": "0"}, NL)
    assert set(found) == {"working_days", "hours", "country", "weekly_cap"}


def test_new_hours_that_leave_the_quiet_hours_outside_are_refused_under_quiet_hours() -> None:
    base = Respect(quiet_hours=LUNCH)
    found = errors({"hours": "13:00-17:00"}, EN, base)
    assert set(found) == {"quiet_hours"}
    assert "13:00-17:00" in found["quiet_hours"]
    assert read({"hours": "13:00-17:00", "quiet_hours": ""}, base=base).quiet_hours is None


calendars = st.builds(
    Respect,
    working_days=st.frozensets(st.integers(0, 6), min_size=1),
    day_starts=st.just(time(8, 0)),
    day_ends=st.sampled_from([time(17, 0), time(18, 30)]),
    holidays=st.frozensets(st.dates(date(2025, 1, 1), date(2030, 12, 31)), max_size=5),
    weekly_cap=st.integers(1, MAXIMUM_CAP),
    quiet_hours=st.sampled_from([None, LUNCH, (time(8, 0), time(9, 15))]),
    country=st.sampled_from([None, "NL", "BE", "GB", "DE"]),
)


@given(calendars, st.sampled_from(list(Language)))
def test_what_is_written_reads_back_as_the_same_calendar(
    respect: Respect, language: Language
) -> None:
    assert read(calendar_texts(respect, language), language, base=OFFICE) == respect


def test_the_changed_fields_are_named() -> None:
    after = Respect(country="NL", quiet_hours=LUNCH)
    assert calendar_changes(OFFICE, after) == ["quiet_hours", "country"]
    assert calendar_changes(after, after) == []


@pytest.mark.parametrize("language", list(Language))
def test_every_field_has_a_label_and_a_hint(language: Language) -> None:
    labels = calendar_labels(language)
    assert tuple(labels) == FIELDS
    assert all(label and hint for label, hint in labels.values())
    other = calendar_labels(NL if language is EN else EN)
    assert all(labels[name] != other[name] for name in FIELDS)
    assert str(MAXIMUM_CAP) in labels["weekly_cap"][1]


def test_the_country_choices_are_two_letter_codes_named_in_the_language_and_sorted() -> None:
    dutch, english = dict(country_choices(NL)), dict(country_choices(EN))
    assert dutch["NL"] == "Nederland"
    assert english["NL"] == "Netherlands"
    assert english["BE"] == "Belgium"
    assert set(dutch) == set(english)
    assert all(len(code) == 2 and code.isupper() for code in dutch)
    names = [name for _, name in country_choices(EN)]
    assert names == sorted(names, key=str.casefold)
    for code in dutch:
        assert read({"country": code}).country == code
