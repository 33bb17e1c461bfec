"""What the organisation's result shows never counts a group under the threshold."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialogs import views
from dialogs.messages import Chart, Facts
from dialogs.records import Scan
from engine.scoring import OrgResult, score
from engine.vocabulary import Dimension, Language, Obstacle
from tests.builders import sheet, tiny_bank
from tests.dialogs.conftest import text_of

OPENED = datetime(2026, 11, 2, 9, tzinfo=UTC)
SCAN = Scan(1, 1, 1, 1, OPENED, closed_at=OPENED)


def _result(*people: dict[Dimension, int | None], obstacles: int = 0) -> OrgResult:
    sheets = [
        sheet(phases, obstacles=(Obstacle.NO_TIME,) if i < obstacles else ())
        for i, phases in enumerate(people)
    ]
    result = score(tiny_bank(), sheets, threshold=5)
    assert isinstance(result, OrgResult)
    return result


@pytest.mark.parametrize(
    ("language", "nearly", "few"),
    [
        (Language.EN, "all but a few", "a few"),
        (Language.NL, "op een paar na iedereen", "een paar"),
    ],
)
def test_an_obstacle_named_by_all_but_a_few_shows_no_count(
    language: Language, nearly: str, few: str
) -> None:
    everyone = dict.fromkeys(Dimension, 3)
    shown = text_of(views.org_result(SCAN, _result(*[everyone] * 12, obstacles=11), language))
    assert f"({nearly})" in shown
    assert "(11)" not in shown
    some = text_of(views.org_result(SCAN, _result(*[everyone] * 12, obstacles=6), language))
    assert "(6)" in some
    a_few = text_of(views.org_result(SCAN, _result(*[everyone] * 12, obstacles=2), language))
    assert f"({few})" in a_few


def test_one_person_who_did_not_know_is_never_counted() -> None:
    everyone = dict.fromkeys(Dimension, 3)
    unsure = {**everyone, Dimension.IMPACT: None}
    reply = views.org_result(SCAN, _result(*[everyone] * 6, unsure), Language.EN)
    (chart,) = [block for block in reply if isinstance(block, Chart)]
    impact = next(bar for bar in chart.bars if bar.label.startswith("Impact"))
    assert impact.note == "agreement 100%, a few don't know"
    media = next(bar for bar in chart.bars if bar.label == "Media")
    assert media.note.startswith("n=7,")


def test_dutch_figures_are_written_with_a_decimal_comma() -> None:
    half = {**dict.fromkeys(Dimension, 3), Dimension.SUPPORT: 4}
    people = [half] * 3 + [dict.fromkeys(Dimension, 3)] * 3
    reply = views.org_result(SCAN, _result(*people), Language.NL)
    (chart,) = [block for block in reply if isinstance(block, Chart)]
    support = next(bar for bar in chart.bars if bar.label.startswith("Draagvlak"))
    assert support.written == "3,5"


def test_a_result_without_any_dimension_shows_no_empty_chart() -> None:
    reply = views.org_result(SCAN, _result(*[dict.fromkeys(Dimension)] * 5), Language.EN)
    assert not any(isinstance(block, Chart) for block in reply)
    assert any(isinstance(block, Facts) for block in reply)
    assert "No phase yet" in text_of(reply)
