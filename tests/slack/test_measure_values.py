"""What the figures modal's submit reads, whatever a tampered or odd view holds."""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack.modals import WEEK, measure_values
from engine.kpi import Metric


def _view(week: Any) -> dict[str, Any]:
    reach = Metric.REACH.value
    return {
        "state": {
            "values": {
                WEEK: {WEEK: {"type": "static_select", "selected_option": week}},
                reach: {reach: {"type": "plain_text_input", "value": " 1200 "}},
            }
        }
    }


def test_the_chosen_week_and_the_typed_figures_are_read() -> None:
    week, typed, confirmed = measure_values(_view({"value": "2026-W47"}))

    assert (week, typed, confirmed) == ("2026-W47", {Metric.REACH: "1200"}, False)


@pytest.mark.parametrize("week", [None, "2026-W47", ["2026-W47"], 47])
def test_a_week_that_is_no_option_reads_as_none_chosen(week: object) -> None:
    assert measure_values(_view(week))[0] == ""
