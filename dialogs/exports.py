"""The export formats: JSON documents, an organisation's export as CSV files, tasks as iCalendar.

Pure functions from data to bytes; a chat or the terminal sends or writes them.

The organisation's export the CSV builders read is ``docs/schemas/organisation-export.schema.json``
(version 1). What they take from it (any other field is left out of every file)::

    {
      "scans": [
        {"number": 1, "opened_at", "closed_at", "deadline", "published_at",
         "participation": {"invited": 12 | null, "started": 10, "completed": 9},
         "result": null
           | {"withheld": true, "respondents": 3, "threshold": 5}
           | {"withheld": false, "respondents": 9, "overall": 3 | null,
              "dimensions": [{"dimension", "phase", "median", "agreement",
                              "rated_by": 9 | null}],
              "segments": [{"role", "respondents", "overall", "medians": {"media": 2.5}}]}}
      ],
      "plan": null
        | {"phase", "target",
           "steps": [{"id", "dimension", "to_phase", "owner", "title": {"nl", "en"}}],
           "tasks": [{"id", "kind", "owner", "title": {"nl", "en"},
                      "cadence": {"rule", "label": {"nl", "en"}}}]},
      "tasks": [{"id", "key", "kind", "title": {"nl", "en"}, "owner", "rule", "start", "zone",
                 "adopted_at", "retired_at",
                 "marks": [{"occurrence", "outcome", "marked_at", "note"}]}],
      "figures": [{"period_start", "period_end", "figures": {"posts": 4}, "entered_at"}]
    }

``results.csv`` has a row per scan, segment (``all`` or a role) and dimension, and a row with an
empty dimension for each segment's overall phase; ``n`` is how many the row stands for, or
``few`` where the product shows no count (a few did not know, or the whole scan was withheld
below the anonymity threshold: then its one row has only ``few``).

The CSV files are data, not prose: their headers are the schema's English field names in both
languages.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from engine.kpi import Metric
from engine.plan_catalogue import PlanCatalogue, default_plan_catalogue
from engine.tasks import Task
from engine.text import Text, text
from engine.vocabulary import Language

FEW = "few"
"""What a CSV says in place of a count below the anonymity threshold."""

PRODID = "-//SSRM advisor//Always-on tasks//EN"
EVENT_LENGTH = timedelta(minutes=30)
"""How long an event in the calendar blocks: a reminder's worth, not a meeting."""

CALENDAR_NAME = text("SSRM-adviseur: taken", "SSRM advisor: tasks")
HOW_OFTEN = text("Hoe vaak: {label}.", "How often: {label}.")
HOW_TO_MARK = text(
    "Afvinken in de chat met de adviseur: 'klaar {id}', of 'overslaan {id} reden'.",
    "Mark it in the advisor's chat: 'done {id}', or 'skip {id} reason'.",
)


def json_bytes(document: Mapping[str, Any]) -> bytes:
    """A JSON document as UTF-8: sorted keys, indented by 2, letters as they are, dates (and
    times) as ISO 8601, ending in a newline."""
    written = json.dumps(
        document, sort_keys=True, indent=2, ensure_ascii=False, default=_iso_or_refuse
    )
    return (written + "\n").encode("utf-8")


def _iso_or_refuse(value: object) -> str:
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no JSON form")


# -- an organisation's export as CSV ---------------------------------------------------------------

RESULT_COLUMNS = ("scan", "segment", "dimension", "phase", "median", "agreement", "n")
PARTICIPATION_COLUMNS = (
    "scan",
    "opened_at",
    "closed_at",
    "deadline",
    "published_at",
    "invited",
    "started",
    "completed",
)
PLAN_COLUMNS = (
    "phase",
    "target",
    "item",
    "id",
    "kind",
    "dimension",
    "to_phase",
    "owner",
    "title_nl",
    "title_en",
    "rule",
    "cadence_nl",
    "cadence_en",
)
TASK_COLUMNS = (
    "task",
    "key",
    "kind",
    "title_nl",
    "title_en",
    "owner",
    "rule",
    "start",
    "zone",
    "adopted_at",
    "retired_at",
    "occurrence",
    "outcome",
    "marked_at",
    "note",
)
FIGURE_COLUMNS = ("period_start", "period_end", *(metric.value for metric in Metric), "entered_at")
ALL = "all"
"""The segment of everyone who answered."""


def organisation_csv_files(export: Mapping[str, Any]) -> dict[str, bytes]:
    """An organisation's export as one CSV file per kind, by file name.

    ``results.csv`` (see the module's docstring); ``participation.csv`` a row per scan;
    ``plan.csv`` a row per step and task of the plan; ``tasks.csv`` a row per task and mark (a
    task without marks has one row with the mark's columns empty); ``figures.csv`` a row per
    period, a column per metric. UTF-8 with a byte order mark, so Excel reads the letters
    right; comma-separated, a header row first.
    """
    scans: Sequence[Row] = export.get("scans", ())
    return {
        "results.csv": _csv(RESULT_COLUMNS, _result_rows(scans)),
        "participation.csv": _csv(PARTICIPATION_COLUMNS, _participation_rows(scans)),
        "plan.csv": _csv(PLAN_COLUMNS, _plan_rows(export.get("plan"))),
        "tasks.csv": _csv(TASK_COLUMNS, _task_rows(export.get("tasks", ()))),
        "figures.csv": _csv(FIGURE_COLUMNS, _figure_rows(export.get("figures", ()))),
    }


Row = Mapping[str, Any]


def _result_rows(scans: Iterable[Row]) -> Iterator[Row]:
    for scan in scans:
        result: Row | None = scan.get("result")
        if result is None:
            continue
        number = scan["number"]
        if result.get("withheld"):
            yield {"scan": number, "segment": ALL, "n": FEW}
            continue
        everyone = {"scan": number, "segment": ALL}
        yield {**everyone, "phase": result.get("overall"), "n": result.get("respondents")}
        for score in result.get("dimensions", ()):
            rated_by = score.get("rated_by")
            yield {**score, **everyone, "n": FEW if rated_by is None else rated_by}
        for segment in result.get("segments", ()):
            role = {"scan": number, "segment": segment["role"], "n": segment.get("respondents")}
            yield {**role, "phase": segment.get("overall")}
            for dimension, median in segment.get("medians", {}).items():
                yield {**role, "dimension": dimension, "median": median}


def _participation_rows(scans: Iterable[Row]) -> Iterator[Row]:
    for scan in scans:
        yield {**scan, **scan.get("participation", {}), "scan": scan["number"]}


def _plan_rows(plan: Row | None) -> Iterator[Row]:
    if not plan:
        return
    around = {"phase": plan.get("phase"), "target": plan.get("target")}
    for step in plan.get("steps", ()):
        yield {**step, **around, **_titles(step.get("title")), "item": "step"}
    for task in plan.get("tasks", ()):
        cadence: Row = task.get("cadence") or {}
        label: Row = cadence.get("label") or {}
        yield {
            **task,
            **around,
            **_titles(task.get("title")),
            "item": "task",
            "rule": cadence.get("rule"),
            "cadence_nl": label.get("nl"),
            "cadence_en": label.get("en"),
        }


def _task_rows(tasks: Iterable[Row]) -> Iterator[Row]:
    for task in tasks:
        described = {**task, "task": task["id"], **_titles(task.get("title"))}
        marks: Sequence[Row] = task.get("marks", ())
        if not marks:
            yield described
        for mark in marks:
            yield {**described, **mark}


def _figure_rows(figures: Iterable[Row]) -> Iterator[Row]:
    for period in figures:
        yield {**period.get("figures", {}), **period}


def _titles(title: Row | None) -> Row:
    return {"title_nl": title.get("nl"), "title_en": title.get("en")} if title else {}


def _csv(columns: Sequence[str], rows: Iterable[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([_cell(row.get(column)) for column in columns] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# -- always-on tasks as iCalendar ------------------------------------------------------------------


def tasks_ics(
    tasks: Iterable[Task],
    *,
    now: datetime,
    language: Language,
    catalogue: PlanCatalogue | None = None,
) -> bytes:
    """The tasks as an iCalendar file to import into or subscribe to from Outlook or Google.

    - An always-on task is one recurring event: its RRULE from the task's first possible
      occurrence, at its due time on the clock of the task's zone, so the series is the one
      the advisor nudges about and a daylight-saving change keeps the time on the clock. The
      task's zone is its owner's (the adopter's when adopted): a calendar shows the event at
      the same moment in whatever zone it is viewed in.
    - A one-off step is a single event on its due date.
    - Each event's UID is the task's, so importing a newer file updates the events instead
      of adding them again; DTSTAMP is `now` (aware).
    - The summary is the task's title, the description its purpose from the plan catalogue,
      how often, and how to mark it, in `language`.
    - Each zone used gets its VTIMEZONE, which Outlook needs.
    """
    found = catalogue or default_plan_catalogue()
    purposes = _purposes(found)
    labels = _cadence_labels(found)
    listed = sorted(tasks, key=lambda task: task.id)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME(language))
    for task in listed:
        calendar.add_component(
            _event(task, now, language, purposes.get(task.key), labels.get((task.key, task.rule)))
        )
    if listed:
        calendar.add_missing_timezones(first_date=min(task.start.date() for task in listed))
    return bytes(calendar.to_ical())


def task_uid(task: Task) -> str:
    """A task's event id, the same in every export of it."""
    return f"task-{task.id}@ssrm-advisor"


def _event(
    task: Task, now: datetime, language: Language, purpose: Text | None, label: Text | None
) -> Event:
    zone = ZoneInfo(task.zone)
    start = task.start.replace(tzinfo=zone)
    event = Event()
    event.add("uid", task_uid(task))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("summary", task.title(language))
    event.add("dtstart", start)
    event.add("dtend", (task.start + EVENT_LENGTH).replace(tzinfo=zone))
    if task.rule is not None:
        event.add("rrule", vRecur.from_ical(task.rule))
    lines = [
        purpose(language) if purpose else None,
        HOW_OFTEN(language).format(label=label(language)) if label else None,
        HOW_TO_MARK(language).format(id=task.id),
    ]
    event.add("description", "\n\n".join(line for line in lines if line))
    return event


def _purposes(catalogue: PlanCatalogue) -> dict[str, Text]:
    """What each task and step is for, by catalogue id."""
    why: dict[str, Text] = {step.id: step.why for step in catalogue.steps}
    return why | {task.id: task.description for task in catalogue.tasks}


def _cadence_labels(catalogue: PlanCatalogue) -> Mapping[tuple[str, str | None], Text]:
    return {
        (task.id, cadence.rule): cadence.label
        for task in catalogue.tasks
        for cadence in task.cadences.values()
    }
