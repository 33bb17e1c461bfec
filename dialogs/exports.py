"""The export formats: JSON documents, an organisation's export as CSV files, tasks as iCalendar.

Pure functions from data to bytes; a chat or the terminal sends or writes them.

The organisation's export these builders read (the shape of
``docs/schemas/organisation-export.schema.json``; a field not listed is ignored, and dates may
be ISO 8601 strings or ``date``/``datetime`` values)::

    {
      "organisation": {"name": "Acme", ...},
      "scans": [
        {
          "number": 1, "opened_at": "...", "closed_at": "..." | null,
          "participation": {"invited": 12, "completed": 9},
          "result": null | {
            "respondents": 9, "threshold": 5, "overall": 3 | null,
            "rows": [
              {"dimension": "media" | null, "segment": "all" | "<role>",
               "phase": 3 | null, "median": 2.5 | null, "n": 9 | null}
            ]
          },
          "plan": null | {
            "phase": 2, "target": 3 | null,
            "steps": [{"id": "...", "dimension": "...", "to_phase": 3, "title": {"nl", "en"}}],
            "tasks": [{"id": "...", "kind": "...", "rule": "FREQ=...", "label": {"nl", "en"}}]
          }
        }
      ],
      "tasks": [
        {"id": 7, "key": "...", "kind": "...", "title": {"nl", "en"}, "owner": "...",
         "rule": "FREQ=..." | null, "start": "...", "zone": "Europe/Amsterdam",
         "marks": [{"occurrence": "...", "outcome": "done" | "skipped", "at": "...",
                    "note": "..."}]}
      ],
      "figures": [{"start": "2026-03-02", "end": "2026-03-08", "values": {"posts": 4, ...}}]
    }

A result row's ``n`` is null where the group is smaller than the anonymity threshold (a few
did not know, or a role with too few people): the CSV says ``few``. A row whose dimension is
null is the segment's overall phase.

The CSV files are data, not prose: their headers are English field names in both languages.
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

RESULT_COLUMNS = ("scan", "dimension", "segment", "phase", "median", "n")
PARTICIPATION_COLUMNS = ("scan", "opened_at", "closed_at", "invited", "completed")
PLAN_COLUMNS = (
    "scan",
    "phase",
    "target",
    "item",
    "id",
    "dimension",
    "to_phase",
    "title_nl",
    "title_en",
    "rule",
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
    "occurrence",
    "outcome",
    "marked_at",
    "note",
)
FIGURE_COLUMNS = ("start", "end", *(metric.value for metric in Metric))


def organisation_csv_files(export: Mapping[str, Any]) -> dict[str, bytes]:
    """An organisation's export as one CSV file per kind, by file name.

    ``results.csv`` a row per scan, dimension and segment; ``participation.csv`` a row per
    scan; ``plan.csv`` a row per step and task of each scan's plan; ``tasks.csv`` a row per
    task and mark (a task without marks has one row with the mark's columns empty);
    ``figures.csv`` a row per period. UTF-8 with a byte order mark, so Excel reads the
    letters right; comma-separated, a header row first.
    """
    scans: Sequence[Mapping[str, Any]] = export.get("scans", ())
    return {
        "results.csv": _csv(RESULT_COLUMNS, _result_rows(scans)),
        "participation.csv": _csv(PARTICIPATION_COLUMNS, _participation_rows(scans)),
        "plan.csv": _csv(PLAN_COLUMNS, _plan_rows(scans)),
        "tasks.csv": _csv(TASK_COLUMNS, _task_rows(export.get("tasks", ()))),
        "figures.csv": _csv(FIGURE_COLUMNS, _figure_rows(export.get("figures", ()))),
    }


Row = Mapping[str, Any]


def _result_rows(scans: Iterable[Row]) -> Iterator[Row]:
    for scan in scans:
        result = scan.get("result")
        for row in result.get("rows", ()) if result else ():
            n = row.get("n")
            yield {**row, "scan": scan["number"], "n": FEW if n is None else n}


def _participation_rows(scans: Iterable[Row]) -> Iterator[Row]:
    for scan in scans:
        yield {**scan, **scan.get("participation", {}), "scan": scan["number"]}


def _plan_rows(scans: Iterable[Row]) -> Iterator[Row]:
    for scan in scans:
        plan = scan.get("plan")
        if not plan:
            continue
        around = {"scan": scan["number"], "phase": plan.get("phase"), "target": plan.get("target")}
        for step in plan.get("steps", ()):
            yield {**step, **around, **_titles(step.get("title")), "item": "step"}
        for task in plan.get("tasks", ()):
            yield {**task, **around, **_titles(task.get("label")), "item": "task"}


def _task_rows(tasks: Iterable[Row]) -> Iterator[Row]:
    for task in tasks:
        described = {**task, "task": task["id"], **_titles(task.get("title"))}
        marks: Sequence[Row] = task.get("marks", ())
        if not marks:
            yield described
        for mark in marks:
            yield {
                **described,
                "occurrence": mark.get("occurrence"),
                "outcome": mark.get("outcome"),
                "marked_at": mark.get("at"),
                "note": mark.get("note"),
            }


def _figure_rows(figures: Iterable[Row]) -> Iterator[Row]:
    for period in figures:
        yield {**period.get("values", {}), "start": period["start"], "end": period["end"]}


def _titles(title: Mapping[str, str] | None) -> Row:
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
