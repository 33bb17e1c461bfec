"""Scoring rules: the gate, the medians, agreement, anonymity and re-scans."""

from __future__ import annotations

import pytest

from engine.scoring import (
    OrgResult,
    Withheld,
    consensus,
    gated_phase,
    limiting_dimensions,
    lower_median,
    profile,
    score,
)
from engine.vocabulary import Dimension, Obstacle, Phase, Role
from tests.builders import sheet, tiny_bank, uniform

BANK = tiny_bank()
D = Dimension


def _phases(*values: int) -> dict[Dimension, Phase]:
    return {d: Phase(v) for d, v in zip(Dimension, values, strict=True)}


@pytest.mark.parametrize(
    ("values", "tolerance", "expected"),
    [
        ((3, 3, 3, 3, 3, 3), 1, 3),
        ((3, 3, 3, 3, 3, 2), 1, 3),
        ((3, 3, 3, 3, 2, 2), 1, 2),
        ((3, 3, 3, 3, 3, 2), 0, 2),
        ((5, 5, 5, 5, 5, 1), 1, 2),
        ((5, 5, 5, 5, 5, 3), 1, 4),
        ((5, 5, 5, 5, 3, 3), 2, 4),
        ((1, 5, 5, 5, 5, 5), 2, 2),
    ],
)
def test_the_overall_phase_is_as_mature_as_the_weakest_link(
    values: tuple[int, ...], tolerance: int, expected: int
) -> None:
    assert gated_phase(_phases(*values), tolerance=tolerance) == expected


def test_the_limiting_dimensions_are_the_lowest_below_the_next_phase() -> None:
    phases = _phases(3, 3, 4, 2, 3, 4)
    assert limiting_dimensions(phases, gated_phase(phases)) == (D.TECHNOLOGY,)


def test_nothing_limits_an_organisation_in_the_last_phase() -> None:
    assert limiting_dimensions(_phases(5, 5, 5, 5, 5, 5), Phase.PERFORMANCE_DRIVEN) == ()


@pytest.mark.parametrize(
    ("values", "expected"), [([3], 3), ([2, 3], 2), ([1, 2, 3, 4], 2), ([4, 1, 5], 4)]
)
def test_the_lower_median_takes_the_lower_of_two_middle_values(
    values: list[int], expected: int
) -> None:
    assert lower_median(values) == expected


@pytest.mark.parametrize(
    ("phases", "expected"),
    [([3, 3, 3], 1.0), ([1, 5], 0.0), ([1, 1, 5, 5], 0.0), ([2, 3], 0.807355)],
)
def test_agreement_is_one_when_all_agree_and_zero_for_opposed_camps(
    phases: list[int], expected: float
) -> None:
    assert consensus(phases) == pytest.approx(expected, abs=1e-6)


def test_a_respondent_who_only_does_not_know_has_no_phase() -> None:
    mine = profile(BANK, sheet(dict.fromkeys(Dimension)))
    assert mine.overall is None
    assert set(mine.dimensions.values()) == {None}


def test_a_respondents_profile_reads_their_role_and_obstacles() -> None:
    mine = profile(
        BANK,
        sheet(dict.fromkeys(Dimension, 2), Role.EMPLOYEE, (Obstacle.NO_TIME, Obstacle.UNCLEAR_ROI)),
    )
    assert mine.role is Role.EMPLOYEE
    assert mine.obstacles == {Obstacle.NO_TIME, Obstacle.UNCLEAR_ROI}
    assert mine.overall is Phase.BASIC_PUBLISHING


def test_below_the_threshold_the_result_says_how_many_more_are_needed() -> None:
    result = score(BANK, [uniform(3)] * 3, threshold=5)
    assert result == Withheld(respondents=3, threshold=5)
    assert result.missing == 2


def test_a_dimension_too_few_could_rate_is_not_shown_and_does_not_gate() -> None:
    sheets = [sheet({**dict.fromkeys(Dimension, 4), D.IMPACT: None})] * 4 + [uniform(1)]
    result = score(BANK, sheets, threshold=5)
    assert isinstance(result, OrgResult)
    assert D.IMPACT not in result.dimensions
    assert result.unrated == (D.IMPACT,)
    assert result.overall is Phase.COLLABORATE


def test_a_small_role_is_not_shown_and_no_role_gap_is_flagged() -> None:
    sheets = [uniform(4, Role.MANAGEMENT)] * 5 + [uniform(1, Role.EMPLOYEE)] * 4
    result = score(BANK, sheets, threshold=5)
    assert isinstance(result, OrgResult)
    assert [segment.role for segment in result.segments] == [Role.MANAGEMENT]
    assert result.role_gaps == ()


def test_management_and_employees_a_phase_apart_are_flagged() -> None:
    sheets = [uniform(4, Role.MANAGEMENT)] * 5 + [uniform(2, Role.EMPLOYEE)] * 5
    result = score(BANK, sheets, threshold=5)
    assert isinstance(result, OrgResult)
    assert {gap.dimension for gap in result.role_gaps} == {*Dimension, None}
    assert all(gap.size == 2 for gap in result.role_gaps)


def test_a_rescan_shows_the_change_per_dimension_since_the_previous_scan() -> None:
    baseline = score(BANK, [uniform(2)] * 5, threshold=5)
    assert isinstance(baseline, OrgResult)
    assert baseline.changes == ()
    follow_up = score(BANK, [uniform(3)] * 5, threshold=5, previous=baseline)
    assert isinstance(follow_up, OrgResult)
    assert {(c.dimension, c.delta) for c in follow_up.changes} == {(d, 1.0) for d in Dimension}


def test_obstacles_are_counted_for_the_whole_organisation() -> None:
    sheets = [sheet(dict.fromkeys(Dimension, 2), obstacles=(Obstacle.NO_TIME,))] * 4 + [
        sheet(dict.fromkeys(Dimension, 2), obstacles=(Obstacle.NO_TIME, Obstacle.NO_SUPPORT))
    ]
    result = score(BANK, sheets, threshold=5)
    assert isinstance(result, OrgResult)
    assert result.obstacles == {Obstacle.NO_TIME: 5, Obstacle.NO_SUPPORT: 1}


def test_obstacles_named_equally_often_keep_the_vocabularys_order() -> None:
    # A set's order depends on the process's string hashing; five tied obstacles would come
    # out in the vocabulary's order by chance once in 120 runs.
    everything = tuple(reversed(Obstacle))
    result = score(
        BANK, [sheet(dict.fromkeys(Dimension, 2), obstacles=everything)] * 5, threshold=5
    )
    assert isinstance(result, OrgResult)
    assert list(result.obstacles) == list(Obstacle)
