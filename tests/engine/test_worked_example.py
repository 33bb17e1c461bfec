"""The worked example in docs/scoring.md, read from the document itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.bank import DONT_KNOW, QuestionKind, default_bank
from engine.scoring import OrgResult, gated_phase, score
from engine.sheet import AnswerSheet
from engine.vocabulary import Dimension, Phase, Role

DOC = Path(__file__).parents[2] / "docs" / "scoring.md"


def _tables() -> list[list[list[str]]]:
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if not set("".join(cells)) <= set("- "):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


BANK = default_bank()


def _example() -> tuple[list[list[str]], list[list[str]]]:
    answers, expected, *_ = _tables()
    return answers, expected


def _sheet(role: Role, cells: dict[Dimension, str]) -> AnswerSheet:
    """A cell such as "2/3" holds the answers to a dimension's two questions, "?" for don't know."""
    answers: dict[str, tuple[str, ...]] = {}
    for dimension, cell in cells.items():
        questions = BANK.phase_questions(dimension)
        typed = cell.split("/")
        assert len(typed) == len(questions), f"{dimension}: {cell}"
        for question, given in zip(questions, typed, strict=True):
            chosen = [o.id for o in question.options if given != "?" and o.phase == int(given)]
            answers[question.id] = (chosen[0],) if chosen else (DONT_KNOW,)
    role_question = next(q for q in BANK if q.kind is QuestionKind.ROLE)
    answers[role_question.id] = tuple(o.id for o in role_question.options if o.value == role)
    return AnswerSheet(answers)


def _result(threshold: int) -> OrgResult:
    answers, _ = _example()
    header, *rows = answers
    dimensions = [Dimension(name) for name in header[2:]]
    sheets = [_sheet(Role(row[1]), dict(zip(dimensions, row[2:], strict=True))) for row in rows]
    result = score(BANK, sheets, threshold=threshold, tolerance=1)
    assert isinstance(result, OrgResult)
    return result


def test_the_documented_dimension_scores_are_what_the_engine_computes() -> None:
    _, expected = _example()
    result = _result(threshold=5)
    for name, phase, median, n, dont_know, agreement in expected[1:]:
        computed = result.dimensions[Dimension(name)]
        assert computed.phase == int(phase)
        assert computed.median == float(median)
        assert computed.n == int(n)
        assert f"{round(computed.dont_know * 100)}%" == dont_know
        assert computed.agreement == pytest.approx(float(agreement), abs=0.005)


def test_the_documented_overall_phase_limiting_dimensions_and_progress_hold() -> None:
    result = _result(threshold=5)
    doc = DOC.read_text(encoding="utf-8")
    assert result.overall is Phase.EXPERIMENTATION
    assert "**3, Experimentation**" in doc
    assert result.limiting == (Dimension.TECHNOLOGY, Dimension.WAY_OF_WORKING)
    assert "**technology** (median 2.0), then **way_of_working** (2.5)" in doc
    assert result.progress is not None
    assert f"**{round(result.progress * 100)}%**" in doc
    assert "**17%**" in doc


def test_groups_of_three_stay_hidden_at_the_default_threshold() -> None:
    result = _result(threshold=5)
    assert result.segments == ()
    assert result.role_gaps == ()


def test_at_threshold_three_only_management_is_shown_as_documented() -> None:
    result = _result(threshold=3)
    assert [segment.role for segment in result.segments] == [Role.MANAGEMENT]
    assert result.role_gaps == ()
    assert "only **management** is shown" in DOC.read_text(encoding="utf-8")


def test_without_three_dimensions_the_documented_example_has_no_phase() -> None:
    answers, _ = _example()
    header, *rows = answers
    dimensions = [Dimension(name) for name in header[2:]]
    dropped = {Dimension.TECHNOLOGY, Dimension.IMPACT, Dimension.SUPPORT}
    sheets = [
        _sheet(
            Role(row[1]),
            {d: cell for d, cell in zip(dimensions, row[2:], strict=True) if d not in dropped},
        )
        for row in rows
    ]
    result = score(BANK, sheets, threshold=5)
    assert isinstance(result, OrgResult)
    assert (result.overall, result.progress) == (None, None)
    assert set(result.unrated) == dropped


def test_the_old_rule_would_have_read_phase_two() -> None:
    """The documented comparison: the lower answer, then the lower middle respondent."""
    answers, _ = _example()
    header, *rows = answers
    old: dict[Dimension, Phase] = {}
    for column, name in enumerate(header[2:], start=2):
        lowest = sorted(
            min(int(a) for a in row[column].split("/") if a != "?")
            for row in rows
            if row[column] != "?/?"
        )
        old[Dimension(name)] = Phase(lowest[(len(lowest) - 1) // 2])
    assert gated_phase(old) is Phase.BASIC_PUBLISHING
    assert (old[Dimension.WAY_OF_WORKING], old[Dimension.IMPACT]) == (2, 2)
