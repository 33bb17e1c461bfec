"""Scoring rules: the gate, the medians, agreement, anonymity and re-scans."""

from __future__ import annotations

import pytest

from engine.scoring import (
    OrgResult,
    Withheld,
    consensus,
    gated_phase,
    phase_of,
    pooled,
    profile,
    score,
    votes_of,
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


def _scored(*values: int | None, people: int = 5) -> OrgResult:
    result = score(BANK, [sheet(dict(zip(Dimension, values, strict=True)))] * people, threshold=5)
    assert isinstance(result, OrgResult)
    return result


def test_the_limiting_dimensions_are_the_lowest_below_the_next_phase() -> None:
    assert _scored(3, 3, 4, 2, 3, 4).limiting == (D.TECHNOLOGY,)


def test_the_weakest_link_names_at_most_two_dimensions() -> None:
    assert _scored(3, 2, 3, 2, 3, 4).limiting == (D.WAY_OF_WORKING, D.TECHNOLOGY)
    # One lowest, then three level with each other: naming two of the three would be arbitrary.
    assert _scored(3, 3, 3, 2, 3, 4).limiting == (D.TECHNOLOGY,)
    assert _scored(2, 3, 3, 3, 2, 2).limiting == ()


def test_on_equal_medians_the_dimension_where_fewer_reach_the_next_phase_limits_more() -> None:
    # Both medians are 3; on technology one of five already reaches 4, on impact two do, though
    # two people put impact at 2: technology needs more people to move to reach phase 4.
    def person(technology: int, impact: int) -> dict[Dimension, int | None]:
        return {**dict.fromkeys(Dimension, 4), D.TECHNOLOGY: technology, D.IMPACT: impact}

    sheets = [sheet(person(t, i)) for t, i in ((3, 2), (3, 2), (3, 3), (3, 4), (4, 4))]
    result = score(BANK, sheets, threshold=5)
    assert isinstance(result, OrgResult)
    assert result.dimensions[D.TECHNOLOGY].median == result.dimensions[D.IMPACT].median == 3.0
    assert result.overall is Phase.EXPERIMENTATION
    assert result.limiting == (D.TECHNOLOGY, D.IMPACT)


def test_every_dimension_level_names_no_weakest_link() -> None:
    assert _scored(3, 3, 3, 3, 3, 3).limiting == ()


def test_nothing_limits_an_organisation_in_the_last_phase() -> None:
    result = _scored(5, 5, 5, 5, 5, 5)
    assert (result.overall, result.limiting, result.progress) == (
        Phase.PERFORMANCE_DRIVEN,
        (),
        None,
    )


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([3], 3),
        ([3, 3, 2], 3),
        # A group exactly split, mean and median alike: the lower phase.
        ([2, 3], 2),
        ([3, 4], 3),
        ([3, 3, 3, 4, 4, 4], 3),
        # The median halfway, the mean to one side: the mean decides.
        ([2, 2, 3, 5], 3),
        ([1, 2, 3, 3], 2),
        # Management at 4, employees at 2: the middle is 3, and so is the phase.
        ([4, 4, 4, 2, 2, 2], 3),
    ],
)
def test_a_set_of_answers_points_to_its_rounded_median(answers: list[int], expected: int) -> None:
    assert phase_of(pooled(votes_of([a]) for a in answers)) == expected


@pytest.mark.parametrize(
    ("answers", "expected"), [((2, 3), 2), ((3, 4), 4), ((1, 2), 2), ((4, 5), 4), ((3, 3), 3)]
)
def test_one_persons_two_answers_a_phase_apart_go_to_the_even_phase(
    answers: tuple[int, int], expected: int
) -> None:
    # Every such pair is a perfect split; the even phase sends as many up as down.
    assert phase_of(votes_of(list(answers)), one_person=True) == expected


def test_each_respondent_weighs_one_however_many_items_they_answered() -> None:
    # One person answered 1 and 1, two others one item each at 3: two of three people say 3.
    votes = pooled([votes_of([1, 1]), votes_of([3]), votes_of([3])])
    assert phase_of(votes) == 3


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
    sheets = [uniform(4, Role.MANAGEMENT)] * 5 + [uniform(1, Role.EMPLOYEE)] * 5
    sheets += [uniform(1, Role.PROJECT_TEAM)] * 4 + [uniform(1)] * 1
    result = score(BANK, sheets, threshold=5)
    assert isinstance(result, OrgResult)
    # The project team (4) is hidden; management and employees each leave ten people outside,
    # but together they leave five: enough, so both are shown.
    assert [segment.role for segment in result.segments] == [Role.MANAGEMENT, Role.EMPLOYEE]
    smaller = score(BANK, sheets[:-1], threshold=5)
    assert isinstance(smaller, OrgResult)
    # Without the one unnamed respondent, the whole minus management and employees would be
    # the project team's four: employees (the later of two equal roles) are hidden as well.
    assert [segment.role for segment in smaller.segments] == [Role.MANAGEMENT]
    assert smaller.role_gaps == ()


def test_a_role_whose_complement_is_below_the_threshold_is_not_shown() -> None:
    # Eight people, five of them managers: showing management would show the other three.
    sheets = [uniform(4, Role.MANAGEMENT)] * 5 + [uniform(1, Role.EMPLOYEE)] * 3
    result = score(BANK, sheets, threshold=5)
    assert isinstance(result, OrgResult)
    assert result.segments == ()


def test_too_few_dimensions_with_answers_give_no_phase_and_no_progress() -> None:
    only_support = {**dict.fromkeys(Dimension), D.SUPPORT: 4}
    result = score(BANK, [sheet(only_support)] * 6, threshold=5)
    assert isinstance(result, OrgResult)
    assert (result.overall, result.progress, result.limiting) == (None, None, ())
    assert result.unrated == tuple(d for d in Dimension if d is not D.SUPPORT)
    nobody_knows = score(BANK, [sheet(dict.fromkeys(Dimension))] * 6, threshold=5)
    assert isinstance(nobody_knows, OrgResult)
    assert (nobody_knows.overall, nobody_knows.progress) == (None, None)
    four = {**dict.fromkeys(Dimension, 3), D.IMPACT: None, D.SUPPORT: None}
    enough = score(BANK, [sheet(four)] * 5, threshold=5)
    assert isinstance(enough, OrgResult)
    assert enough.overall is Phase(3)


def test_a_respondent_with_too_few_dimensions_has_no_phase() -> None:
    mine = profile(BANK, sheet({**dict.fromkeys(Dimension), D.SUPPORT: 1}))
    assert mine.overall is None
    assert mine.dimensions[D.SUPPORT] is Phase.AD_HOC


def test_medians_of_three_everywhere_read_phase_three_not_two() -> None:
    sheets = [uniform(4, Role.MANAGEMENT)] * 5 + [uniform(2, Role.EMPLOYEE)] * 5
    result = score(BANK, sheets, threshold=5)
    assert isinstance(result, OrgResult)
    assert {s.median for s in result.dimensions.values()} == {3.0}
    assert result.overall is Phase(3)
    assert result.progress == 0.0


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
    plain = sheet(dict.fromkeys(Dimension, 2))
    sheets = [sheet(dict.fromkeys(Dimension, 2), obstacles=(Obstacle.NO_TIME,))] * 4 + [
        sheet(dict.fromkeys(Dimension, 2), obstacles=(Obstacle.NO_TIME, Obstacle.NO_SUPPORT))
    ]
    result = score(BANK, [*sheets, *[plain] * 5], threshold=5)
    assert isinstance(result, OrgResult)
    # Five of ten named no time: five did, five did not, both enough to count. One named
    # no support: "a few".
    assert [(n.term, n.count, n.nearly_all) for n in result.obstacles] == [
        (Obstacle.NO_TIME, 5, False),
        (Obstacle.NO_SUPPORT, None, False),
    ]


def test_an_obstacle_nearly_everyone_named_is_not_counted_either() -> None:
    # Eleven of twelve would say exactly one person did not name it; twelve of twelve would
    # say what everyone answered.
    named = sheet(dict.fromkeys(Dimension, 2), obstacles=(Obstacle.NO_TIME,))
    for named_by in (11, 12):
        sheets = [named] * named_by + [sheet(dict.fromkeys(Dimension, 2))] * (12 - named_by)
        result = score(BANK, sheets, threshold=5)
        assert isinstance(result, OrgResult)
        (mention,) = result.obstacles
        assert (mention.count, mention.nearly_all, mention.common) == (None, True, True)


def test_obstacles_named_equally_often_keep_the_vocabularys_order() -> None:
    # A set's order depends on the process's string hashing; five tied obstacles would come
    # out in the vocabulary's order by chance once in 120 runs.
    everything = tuple(reversed(Obstacle))
    result = score(
        BANK, [sheet(dict.fromkeys(Dimension, 2), obstacles=everything)] * 5, threshold=5
    )
    assert isinstance(result, OrgResult)
    assert [named.term for named in result.obstacles] == list(Obstacle)


def test_obstacles_a_few_named_come_after_the_counted_ones_in_the_vocabularys_order() -> None:
    first, second, *_, last = list(Obstacle)
    sheets = [sheet(dict.fromkeys(Dimension, 2), obstacles=(last,))] * 5
    sheets += [sheet(dict.fromkeys(Dimension, 2), obstacles=(first,))] * 1
    sheets += [sheet(dict.fromkeys(Dimension, 2), obstacles=(second,))] * 4
    sheets += [sheet(dict.fromkeys(Dimension, 2))] * 2
    result = score(BANK, sheets, threshold=5)
    assert isinstance(result, OrgResult)
    assert [(n.term, n.count) for n in result.obstacles] == [
        (last, 5),
        (first, None),
        (second, None),
    ]
    # Four of twelve is a third, but a count under the threshold is never flagged as common:
    # "a few, yet a third" would give the hidden count away.
    assert [n.common for n in result.obstacles] == [True, False, False]
