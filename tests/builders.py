"""Small, explicit test data: a one-question-per-dimension bank and sheets built from phases."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import yaml

from dialogs.ports import ScanRepository
from dialogs.records import Scan
from engine.bank import DONT_KNOW, QuestionBank, parse_bank
from engine.recurrence import LocalTime
from engine.sheet import AnswerSheet
from engine.vocabulary import Dimension, Goal, Objective, Obstacle, Phase, Role


def _t(word: str) -> dict[str, str]:
    return {"nl": word, "en": word}


def _context(kind: str, values: list[str]) -> dict[str, object]:
    return {
        "id": kind,
        "kind": kind,
        "prompt": _t(kind),
        "options": [{"id": v, "value": v, "label": _t(v), "text": _t(v)} for v in values],
    }


def tiny_bank() -> QuestionBank:
    """One phase question per dimension (options ``<dimension>_<phase>``) and the context items."""
    questions: list[dict[str, object]] = [_context("role", [r.value for r in Role])]
    for dimension in Dimension:
        questions.append(
            {
                "id": dimension.value,
                "kind": "phase",
                "dimension": dimension.value,
                "prompt": _t(dimension.value),
                "options": [
                    {
                        "id": f"{dimension.value}_{p}",
                        "phase": p,
                        "label": _t(str(p)),
                        "text": _t(str(p)),
                    }
                    for p in range(1, 6)
                ],
            }
        )
    questions.append(_context("obstacles", [o.value for o in Obstacle]))
    questions.append(_context("objectives", [o.value for o in Objective]))
    questions.append(_context("goals", [g.value for g in Goal]))
    return parse_bank(yaml.safe_dump({"version": 1, "questions": questions}), "tiny")


def sheet(
    phases: Mapping[Dimension, int | None],
    role: Role | None = None,
    obstacles: tuple[Obstacle, ...] = (),
) -> AnswerSheet:
    """A sheet for `tiny_bank`; None for a dimension means "I don't know"."""
    answers: dict[str, tuple[str, ...]] = {
        d.value: (f"{d.value}_{int(Phase(p))}",) if p is not None else (DONT_KNOW,)
        for d, p in phases.items()
    }
    if role is not None:
        answers["role"] = (role.value,)
    if obstacles:
        answers["obstacles"] = tuple(o.value for o in obstacles)
    return AnswerSheet(answers)


def uniform(phase: int, role: Role | None = None) -> AnswerSheet:
    return sheet(dict.fromkeys(Dimension, phase), role)


async def close_running_scan(scans: ScanRepository, org_id: int, *, now: datetime) -> Scan:
    """Close the organisation's running scan, as `advisor scan close` (or a chat's project
    manager, or a deadline) does: the organisation's result appears only then."""
    scan = await scans.current(org_id)
    assert scan is not None, "no scan is running"
    return await scans.close(org_id, scan.id, now=now)


def due_just_now(now: datetime, zone: str) -> datetime:
    """A wall-clock minute in `zone` that has come (`now` floored to the minute, a minute back
    unless that is yesterday): a task due then has its follow-up the next morning, never due in
    the same run, whatever the time of day. An hour back, it was due already past midnight."""
    local = LocalTime.of(now, zone).at.replace(second=0, microsecond=0)
    earlier = local - timedelta(minutes=1)
    return earlier if earlier.date() == local.date() else local
