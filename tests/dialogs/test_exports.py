"""The export formats: JSON that round-trips, CSV files Excel and `csv` read, an .ics calendars
import, its series the ones the advisor nudges about."""

# Tasks start at naive wall-clock times beside their zone, as engine.tasks.Task holds them.
# ruff: noqa: DTZ001

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar, Event

from dialogs.exports import json_bytes, organisation_csv_files, task_uid, tasks_ics
from engine.plan_catalogue import default_plan_catalogue
from engine.recurrence import LocalTime
from engine.tasks import Task
from engine.text import text
from engine.vocabulary import Language, TaskKind

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

SCHEMA = Path(__file__).parents[2] / "docs" / "schemas" / "organisation-export.schema.json"

RESULT: dict[str, Any] = {
    "withheld": False,
    "respondents": 9,
    "threshold": 5,
    "overall": 2,
    "progress": 0.4,
    "limiting": ["impact"],
    "dimensions": [
        {
            "dimension": "media",
            "phase": 3,
            "median": 2.5,
            "agreement": 0.75,
            "rated_by": 9,
            "dont_know": 0.0,
            "few_dont_know": False,
        },
        {
            "dimension": "impact",
            "phase": 1,
            "median": 1.0,
            "agreement": 0.5,
            "rated_by": None,
            "dont_know": None,
            "few_dont_know": True,
        },
    ],
    "unrated": ["technology"],
    "segments": [
        {"role": "employee", "respondents": 6, "overall": 2, "medians": {"media": 3.0}},
    ],
    "role_gaps": [],
    "obstacles": [
        {"term": "no_time", "count": 6, "common": True, "nearly_all": False, "few": False}
    ],
    "objectives": [],
    "goals": [],
    "changes": [],
}
EXPORT: dict[str, Any] = {
    "version": 1,
    "organisation": {
        "id": 3,
        "key": "slack:T0123",
        "name": "Bakkerij Één",
        "language": "nl",
        "time_zone": "Europe/Amsterdam",
        "anonymity_threshold": 5,
        "tolerance": 1,
    },
    "scans": [
        {
            "number": 1,
            "bank_version": 1,
            "opened_at": "2026-01-05T09:00:00+00:00",
            "closed_at": "2026-01-19T17:00:00+00:00",
            "deadline": "2026-01-19T17:00:00+00:00",
            "published_at": "2026-01-19T17:00:05+00:00",
            "participation": {"invited": 12, "started": 10, "completed": 9},
            "result": RESULT,
        },
        {
            "number": 2,
            "bank_version": 1,
            "opened_at": "2026-02-02T09:00:00+00:00",
            "closed_at": "2026-02-16T17:00:00+00:00",
            "deadline": None,
            "published_at": None,
            "participation": {"invited": None, "started": 4, "completed": 3},
            "result": {"withheld": True, "respondents": 3, "threshold": 5},
        },
        {
            "number": 3,
            "bank_version": 1,
            "opened_at": "2026-03-01T09:00:00+00:00",
            "closed_at": None,
            "deadline": None,
            "published_at": None,
            "participation": {"invited": 14, "started": 5, "completed": 3},
            "result": None,
        },
    ],
    "plan": {
        "phase": 2,
        "target": 3,
        "focus": ["impact"],
        "steps": [
            {
                "id": "editorial_calendar",
                "dimension": "way_of_working",
                "to_phase": 3,
                "owner": "project_team",
                "title": {"nl": "Maak een contentkalender", "en": "Make a calendar"},
            }
        ],
        "tasks": [
            {
                "id": "post",
                "kind": "post",
                "owner": "employee",
                "title": {"nl": "Plaats een bericht", "en": "Publish a post"},
                "cadence": {
                    "rule": "FREQ=WEEKLY;BYDAY=TU",
                    "label": {"nl": "wekelijks op dinsdag", "en": "weekly on Tuesday"},
                },
            }
        ],
    },
    "tasks": [
        {
            "id": 7,
            "key": "post",
            "kind": "post",
            "title": {"nl": "Plaats een bericht", "en": "Publish a post"},
            "owner": "slack:U1",
            "rule": "FREQ=WEEKLY;BYDAY=TU",
            "start": "2026-01-20T10:00:00",
            "zone": "Europe/Amsterdam",
            "adopted_at": "2026-01-19T18:00:00+00:00",
            "retired_at": None,
            "marks": [
                {
                    "occurrence": "2026-01-20T10:00:00",
                    "outcome": "done",
                    "marked_at": "2026-01-20T11:12:00",
                    "note": "",
                },
                {
                    "occurrence": "2026-01-27T10:00:00",
                    "outcome": "skipped",
                    "marked_at": "2026-01-27T08:00:00",
                    "note": 'ziek, daarna "vakantie"\nterug op 3 feb',
                },
            ],
        },
        {
            "id": 8,
            "key": "editorial_calendar",
            "kind": "step",
            "title": {"nl": "Maak een contentkalender", "en": "Make a calendar"},
            "owner": "teams:29:abc",
            "rule": None,
            "start": "2026-02-02T09:00:00",
            "zone": "Europe/Brussels",
            "adopted_at": "2026-01-19T18:00:00+00:00",
            "retired_at": None,
            "marks": [],
        },
    ],
    "figures": [
        {
            "period_start": "2026-02-23",
            "period_end": "2026-03-01",
            "figures": {"posts": 4, "reach": 1200},
            "entered_at": "2026-03-02T08:30:00+00:00",
        },
    ],
}


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_the_example_export_is_an_organisation_export_as_its_schema_says() -> None:
    jsonschema.validate(EXPORT, json.loads(SCHEMA.read_text(encoding="utf-8")))


# -- JSON -----------------------------------------------------------------------------------------


def test_a_document_round_trips_through_json_with_its_dates_in_iso_8601() -> None:
    document = {
        "b": [1, 2.5, None, True],
        "a": {"name": "Zoë", "at": datetime(2026, 3, 29, 1, 30, tzinfo=UTC)},
        "day": date(2026, 3, 29),
    }

    read = json.loads(json_bytes(document).decode("utf-8"))

    assert read == {
        "a": {"name": "Zoë", "at": "2026-03-29T01:30:00+00:00"},
        "b": [1, 2.5, None, True],
        "day": "2026-03-29",
    }
    assert json.loads(json_bytes(EXPORT)) == EXPORT


def test_json_is_utf_8_with_sorted_keys_indented_by_two() -> None:
    written = json_bytes({"z": 1, "a": {"é": "ü"}})

    assert written == '{\n  "a": {\n    "é": "ü"\n  },\n  "z": 1\n}\n'.encode()


def test_json_refuses_what_has_no_json_form() -> None:
    with pytest.raises(TypeError, match="set"):
        json_bytes({"people": {"slack:U1"}})


# -- CSV ------------------------------------------------------------------------------------------


def test_there_is_one_csv_file_per_kind_each_with_a_byte_order_mark_and_a_header() -> None:
    files = organisation_csv_files(EXPORT)

    assert sorted(files) == [
        "figures.csv",
        "participation.csv",
        "plan.csv",
        "results.csv",
        "tasks.csv",
    ]
    for content in files.values():
        assert content.startswith(b"\xef\xbb\xbf")
        assert next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_results_hold_each_shown_figure_and_say_few_where_no_count_is_shown() -> None:
    rows = read_csv(organisation_csv_files(EXPORT)["results.csv"])

    columns = ("scan", "segment", "dimension", "phase", "median", "agreement", "n")
    assert [tuple(row[c] for c in columns) for row in rows] == [
        ("1", "all", "", "2", "", "", "9"),
        ("1", "all", "media", "3", "2.5", "0.75", "9"),
        ("1", "all", "impact", "1", "1.0", "0.5", "few"),
        ("1", "employee", "", "2", "", "", "6"),
        ("1", "employee", "media", "", "3.0", "", "6"),
        ("2", "all", "", "", "", "", "few"),
    ]


def test_participation_has_a_row_per_scan_running_or_closed() -> None:
    rows = read_csv(organisation_csv_files(EXPORT)["participation.csv"])

    assert rows[0] == {
        "scan": "1",
        "opened_at": "2026-01-05T09:00:00+00:00",
        "closed_at": "2026-01-19T17:00:00+00:00",
        "deadline": "2026-01-19T17:00:00+00:00",
        "published_at": "2026-01-19T17:00:05+00:00",
        "invited": "12",
        "started": "10",
        "completed": "9",
    }
    assert [(r["scan"], r["closed_at"], r["invited"], r["completed"]) for r in rows[1:]] == [
        ("2", "2026-02-16T17:00:00+00:00", "", "3"),
        ("3", "", "14", "3"),
    ]


def test_the_plan_has_a_row_per_step_and_task_with_both_titles() -> None:
    rows = read_csv(organisation_csv_files(EXPORT)["plan.csv"])

    assert [(r["item"], r["id"], r["title_nl"], r["owner"], r["rule"]) for r in rows] == [
        ("step", "editorial_calendar", "Maak een contentkalender", "project_team", ""),
        ("task", "post", "Plaats een bericht", "employee", "FREQ=WEEKLY;BYDAY=TU"),
    ]
    assert {(r["phase"], r["target"]) for r in rows} == {("2", "3")}
    assert (rows[0]["dimension"], rows[0]["to_phase"]) == ("way_of_working", "3")
    assert (rows[1]["kind"], rows[1]["cadence_en"]) == ("post", "weekly on Tuesday")


def test_tasks_have_a_row_per_mark_and_a_task_without_marks_one_row() -> None:
    rows = read_csv(organisation_csv_files(EXPORT)["tasks.csv"])

    assert [(r["task"], r["occurrence"], r["outcome"]) for r in rows] == [
        ("7", "2026-01-20T10:00:00", "done"),
        ("7", "2026-01-27T10:00:00", "skipped"),
        ("8", "", ""),
    ]
    assert rows[1]["note"] == 'ziek, daarna "vakantie"\nterug op 3 feb'
    assert rows[1]["marked_at"] == "2026-01-27T08:00:00"
    assert rows[2] == {
        "task": "8",
        "key": "editorial_calendar",
        "kind": "step",
        "title_nl": "Maak een contentkalender",
        "title_en": "Make a calendar",
        "owner": "teams:29:abc",
        "rule": "",
        "start": "2026-02-02T09:00:00",
        "zone": "Europe/Brussels",
        "adopted_at": "2026-01-19T18:00:00+00:00",
        "retired_at": "",
        "occurrence": "",
        "outcome": "",
        "marked_at": "",
        "note": "",
    }


def test_figures_have_a_column_per_metric_empty_where_not_logged() -> None:
    (row,) = read_csv(organisation_csv_files(EXPORT)["figures.csv"])

    assert row == {
        "period_start": "2026-02-23",
        "period_end": "2026-03-01",
        "posts": "4",
        "reach": "1200",
        "engagements": "",
        "link_clicks": "",
        "sharers": "",
        "invited": "",
        "leads": "",
        "hires": "",
        "entered_at": "2026-03-02T08:30:00+00:00",
    }


def test_an_organisation_without_scans_plan_tasks_or_figures_gets_headers_only() -> None:
    empty = {**EXPORT, "scans": [], "plan": None, "tasks": [], "figures": []}

    files = organisation_csv_files(empty)

    assert all(read_csv(content) == [] for content in files.values())
    assert b"occurrence" in files["tasks.csv"]


# -- iCalendar ------------------------------------------------------------------------------------

CATALOGUE = default_plan_catalogue()
TEMPLATE = next(t for t in CATALOGUE.tasks if len(t.cadences) > 1)
CADENCE = next(iter(TEMPLATE.cadences.values()))
STEP = CATALOGUE.steps[0]


def always_on(
    task_id: int, zone: str, start: datetime, rule: str = CADENCE.rule, owner: str = "slack:U1"
) -> Task:
    return Task(task_id, TEMPLATE.id, TEMPLATE.kind, TEMPLATE.title, owner, rule, start, zone)


AMSTERDAM = always_on(7, "Europe/Amsterdam", datetime(2026, 3, 10, 10, 0), "FREQ=WEEKLY;BYDAY=TU")
NEW_YORK = always_on(
    9, "America/New_York", datetime(2026, 2, 25, 9, 30), "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "u2"
)
MONTHLY = always_on(11, "Europe/Amsterdam", datetime(2026, 1, 5, 9, 0), "FREQ=MONTHLY;BYDAY=1MO")
ONE_OFF = Task(
    8,
    STEP.id,
    TaskKind.STEP,
    STEP.title,
    "slack:U3",
    None,
    datetime(2026, 4, 1, 14, 0),
    "Europe/Brussels",
)
TASKS = (AMSTERDAM, NEW_YORK, MONTHLY, ONE_OFF)


def events(content: bytes) -> dict[str, Event]:
    calendar = Calendar.from_ical(content)
    return {
        str(event["UID"]): event
        for event in calendar.walk("VEVENT")
        if isinstance(event, Event)  # walk() types them as Components
    }


def first_instants(event: Event, count: int) -> list[datetime]:
    start: datetime = event.decoded("DTSTART")
    written = event["RRULE"].to_ical()
    rule = written.decode() if isinstance(written, bytes) else str(written)
    series = rrulestr(rule, dtstart=start)
    found: list[datetime] = []
    for moment in series:
        found.append(moment.astimezone(UTC))
        if len(found) == count:
            return found
    return found


def engine_instants(task: Task, count: int) -> list[datetime]:
    """The occurrences as the nudge planner finds them: `Task.next_after`, in the task's zone."""
    found: list[datetime] = []
    moment = task.start - timedelta(seconds=1)
    while len(found) < count:
        following = task.next_after(moment)
        assert following is not None
        found.append(LocalTime(following, task.zone).instant())
        moment = following
    return found


@pytest.mark.parametrize(
    "task", [AMSTERDAM, NEW_YORK, MONTHLY], ids=lambda task: f"{task.zone}:{task.rule}"
)
def test_each_always_on_task_recurs_as_the_advisor_counts_its_occurrences(task: Task) -> None:
    event = events(tasks_ics(TASKS, now=NOW, language=Language.EN))[task_uid(task)]

    assert first_instants(event, 12) == engine_instants(task, 12)


def test_a_daylight_saving_change_keeps_the_time_on_the_owners_clock() -> None:
    event = events(tasks_ics([AMSTERDAM], now=NOW, language=Language.NL))[task_uid(AMSTERDAM)]

    before, after = first_instants(event, 4)[2:4]

    # Europe/Amsterdam moves to summer time on Sunday 29 March 2026.
    assert before == datetime(2026, 3, 24, 9, 0, tzinfo=UTC)
    assert after == datetime(2026, 3, 31, 8, 0, tzinfo=UTC)
    local = ZoneInfo("Europe/Amsterdam")
    assert before.astimezone(local).hour == after.astimezone(local).hour == 10


def test_each_event_starts_in_its_tasks_zone_and_each_zone_gets_its_vtimezone() -> None:
    content = tasks_ics(TASKS, now=NOW, language=Language.EN)
    calendar = Calendar.from_ical(content)

    starts = {
        str(event["UID"]): event["DTSTART"].params.get("TZID") for event in calendar.walk("VEVENT")
    }
    assert starts == {
        task_uid(AMSTERDAM): "Europe/Amsterdam",
        task_uid(NEW_YORK): "America/New_York",
        task_uid(MONTHLY): "Europe/Amsterdam",
        task_uid(ONE_OFF): "Europe/Brussels",
    }
    zones = sorted(str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE"))
    assert zones == ["America/New_York", "Europe/Amsterdam", "Europe/Brussels"]
    assert str(calendar["PRODID"])
    assert str(calendar["VERSION"]) == "2.0"


def test_a_one_off_step_is_a_single_event_on_its_due_date() -> None:
    event = events(tasks_ics(TASKS, now=NOW, language=Language.EN))[task_uid(ONE_OFF)]

    assert "RRULE" not in event
    assert event.decoded("DTSTART") == datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
    assert event.decoded("DTEND") > event.decoded("DTSTART")
    assert STEP.why(Language.EN) in str(event["DESCRIPTION"])


def test_a_newer_export_keeps_each_tasks_uid_so_importing_it_updates_the_events() -> None:
    earlier = events(tasks_ics(TASKS, now=NOW, language=Language.EN))
    later = events(tasks_ics(reversed(TASKS), now=NOW + timedelta(days=30), language=Language.EN))

    assert sorted(earlier) == sorted(later) == sorted(task_uid(task) for task in TASKS)
    assert len(set(earlier)) == len(TASKS)
    assert earlier[task_uid(AMSTERDAM)].decoded("DTSTAMP") == NOW
    assert later[task_uid(AMSTERDAM)].decoded("DTSTAMP") == NOW + timedelta(days=30)


@pytest.mark.parametrize("language", list(Language))
def test_the_summary_and_description_are_in_the_language_asked(language: Language) -> None:
    event = events(tasks_ics([MONTHLY], now=NOW, language=language))[task_uid(MONTHLY)]

    assert str(event["SUMMARY"]) == TEMPLATE.title(language)
    description = str(event["DESCRIPTION"])
    assert TEMPLATE.description(language) in description
    assert ("klaar 11" if language is Language.NL else "done 11") in description


def test_the_description_says_how_often_where_the_rule_is_the_catalogues() -> None:
    task = always_on(12, "Europe/Amsterdam", datetime(2026, 3, 2, 9, 0))
    changed = always_on(13, "Europe/Amsterdam", datetime(2026, 3, 2, 9, 0), "FREQ=DAILY")
    found = events(tasks_ics([task, changed], now=NOW, language=Language.EN))

    assert CADENCE.label(Language.EN) in str(found[task_uid(task)]["DESCRIPTION"])
    assert "How often" not in str(found[task_uid(changed)]["DESCRIPTION"])


def test_a_task_the_catalogue_no_longer_holds_still_gets_its_event() -> None:
    retired = Task(
        14,
        "gone",
        TaskKind.POST,
        text("Oud", "Old"),
        "slack:U1",
        "FREQ=WEEKLY",
        datetime(2026, 3, 2, 9, 0),
        "Europe/Amsterdam",
    )
    event = events(tasks_ics([retired], now=NOW, language=Language.EN))[task_uid(retired)]

    assert str(event["SUMMARY"]) == "Old"
    assert "done 14" in str(event["DESCRIPTION"])


def test_no_tasks_make_an_empty_calendar_that_still_parses() -> None:
    calendar = Calendar.from_ical(tasks_ics([], now=NOW, language=Language.NL))

    assert calendar.walk("VEVENT") == []
    assert str(calendar["PRODID"])


def test_a_field_the_columns_do_not_name_never_reaches_a_file() -> None:
    leaky = json.loads(json_bytes(EXPORT))
    leaky["scans"][0]["result"]["dimensions"][0]["respondent"] = "slack:U-SECRET"
    leaky["scans"][0]["participation"]["respondents"] = ["slack:U-SECRET"]
    leaky["plan"]["steps"][0]["adopted_by"] = "slack:U-SECRET"
    leaky["figures"][0]["entered_by"] = "slack:U-SECRET"

    files = organisation_csv_files(leaky)

    assert not [name for name, content in files.items() if b"U-SECRET" in content]
    assert files == organisation_csv_files(EXPORT)
