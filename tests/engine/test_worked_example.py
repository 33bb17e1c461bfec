"""The worked example in docs/scoring.md, read from the document itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.scoring import OrgResult, score
from engine.vocabulary import Dimension, Phase, Role
from tests.builders import sheet, tiny_bank

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


def _example() -> tuple[list[list[str]], list[list[str]]]:
    answers, expected = _tables()
    return answers, expected


def _result(threshold: int) -> OrgResult:
    answers, _ = _example()
    header, *rows = answers
    dimensions = [Dimension(name) for name in header[2:]]
    sheets = [
        sheet(
            {
                d: None if cell == "?" else int(cell)
                for d, cell in zip(dimensions, row[2:], strict=True)
            },
            Role(row[1]),
        )
        for row in rows
    ]
    result = score(tiny_bank(), sheets, threshold=threshold, tolerance=1)
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
    assert result.overall is Phase.BASIC_PUBLISHING
    assert result.limiting == (Dimension.TECHNOLOGY, Dimension.IMPACT)
    assert round(result.progress * 100) == 67
    assert "**2, Basic publishing**" in DOC.read_text(encoding="utf-8")


def test_groups_of_three_stay_hidden_at_the_default_threshold() -> None:
    result = _result(threshold=5)
    assert result.segments == ()
    assert result.role_gaps == ()


def test_at_threshold_three_the_documented_role_gap_appears() -> None:
    result = _result(threshold=3)
    flagged = {(gap.dimension, gap.management, gap.employees) for gap in result.role_gaps}
    assert flagged == {
        (Dimension.WAY_OF_WORKING, 3.0, 2.0),
        (Dimension.SUPPORT, 4.0, 3.0),
    }
