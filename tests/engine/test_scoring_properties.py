"""Invariants of scoring, checked with generated organisations."""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.bank import default_bank
from engine.scoring import (
    OrgResult,
    Withheld,
    minimum_assessed,
    phase_of,
    pooled,
    profile,
    score,
    votes_of,
)
from engine.sheet import AnswerSheet
from engine.simulation import noisy_respondent
from engine.vocabulary import Dimension, Phase, Role
from tests.builders import sheet, tiny_bank

BANK = tiny_bank()

answers = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
respondents = st.builds(
    lambda phases, role: sheet(dict(zip(Dimension, phases, strict=True)), role),
    st.lists(answers, min_size=len(Dimension), max_size=len(Dimension)),
    st.one_of(st.none(), st.sampled_from(Role)),
)
organisations = st.lists(respondents, min_size=0, max_size=18)
thresholds = st.integers(min_value=3, max_value=8)
tolerances = st.integers(min_value=0, max_value=2)


def _rated(members: list[AnswerSheet], dimension: Dimension) -> int:
    return sum(1 for m in members if m.get(dimension.value) not in (None, ("dont_know",)))


def _role(member: AnswerSheet) -> str | None:
    chosen = member.get("role")
    return chosen[0] if chosen else None


@settings(max_examples=150)
@given(organisations, thresholds, st.randoms(use_true_random=False))
def test_permuting_respondents_never_changes_the_result(
    sheets: list[AnswerSheet], threshold: int, rng: random.Random
) -> None:
    shuffled = list(sheets)
    rng.shuffle(shuffled)
    assert score(BANK, shuffled, threshold=threshold) == score(BANK, sheets, threshold=threshold)


@settings(max_examples=150)
@given(organisations, thresholds, st.data())
def test_raising_one_answer_never_lowers_a_median_or_the_overall_phase(
    sheets: list[AnswerSheet], threshold: int, data: st.DataObject
) -> None:
    raisable = [
        (i, d)
        for i, s in enumerate(sheets)
        for d in Dimension
        if (a := s.get(d.value)) and a[0] != "dont_know" and not a[0].endswith("_5")
    ]
    if not raisable:
        return
    index, dimension = data.draw(st.sampled_from(raisable))
    current = int(sheets[index].answers[dimension.value][0].rsplit("_", 1)[1])
    higher = data.draw(st.integers(min_value=current + 1, max_value=5))
    raised = list(sheets)
    raised[index] = sheets[index].with_answer(dimension.value, (f"{dimension.value}_{higher}",))

    before, after = (
        score(BANK, sheets, threshold=threshold),
        score(BANK, raised, threshold=threshold),
    )
    if isinstance(before, Withheld):
        assert isinstance(after, Withheld)
        return
    assert isinstance(after, OrgResult)
    assert (before.overall is None) == (after.overall is None)
    if before.overall is not None and after.overall is not None:
        assert after.overall >= before.overall
    for d, was in before.dimensions.items():
        assert after.dimensions[d].median >= was.median
        assert after.dimensions[d].phase >= was.phase


@settings(max_examples=300)
@given(organisations, thresholds)
def test_no_group_under_the_threshold_is_ever_shown_nor_follows_by_subtraction(
    sheets: list[AnswerSheet], threshold: int
) -> None:
    result = score(BANK, sheets, threshold=threshold)
    if len(sheets) < threshold:
        assert isinstance(result, Withheld)
        assert result.missing == threshold - len(sheets)
        return
    assert isinstance(result, OrgResult)
    assert result.respondents >= threshold
    assert all(s.n >= threshold for s in result.dimensions.values())
    shown = {segment.role for segment in result.segments}
    outside_all = [s for s in sheets if _role(s) not in {r.value for r in shown}]
    assert len(outside_all) == 0 or len(outside_all) >= threshold
    for segment in result.segments:
        members = [s for s in sheets if _role(s) == segment.role.value]
        others = [s for s in sheets if _role(s) != segment.role.value]
        assert len(members) == segment.n >= threshold
        assert len(others) >= threshold
        for d in segment.medians:
            assert _rated(members, d) >= threshold
            assert _rated(others, d) >= threshold
    for d in Dimension:
        showing = {s.role.value for s in result.segments if d in s.medians}
        if not showing:
            continue
        rest = [s for s in sheets if _role(s) not in showing]
        assert _rated(rest, d) == 0 or _rated(rest, d) >= threshold
    for gap in result.role_gaps:
        assert {Role.MANAGEMENT, Role.EMPLOYEE} <= shown
        assert gap.size >= 1
    for named in (*result.obstacles, *result.objectives, *result.goals):
        assert named.count is None or named.count >= threshold


@settings(max_examples=200)
@given(organisations, thresholds, tolerances)
def test_a_phase_needs_evidence_and_agrees_with_its_progress(
    sheets: list[AnswerSheet], threshold: int, tolerance: int
) -> None:
    result = score(BANK, sheets, threshold=threshold, tolerance=tolerance)
    if isinstance(result, Withheld):
        return
    enough = len(result.dimensions) >= minimum_assessed(tolerance)
    assert (result.overall is not None) == enough
    assert len(result.dimensions) > tolerance or result.overall is None
    if result.overall is None or result.overall is Phase.PERFORMANCE_DRIVEN:
        assert result.progress is None
        assert result.limiting == ()
        return
    assert result.progress is not None
    # Never all the way to the next phase without being in it.
    assert 0.0 <= result.progress < 1.0
    assert len(result.limiting) <= 2
    following = result.overall.next()
    assert following is not None
    assert all(result.dimensions[d].phase < following for d in result.limiting)


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    st.lists(st.integers(min_value=2, max_value=4), min_size=6, max_size=6),
    st.floats(min_value=0.05, max_value=0.5),
    st.integers(min_value=0, max_value=2**32),
)
def test_symmetric_noise_rates_a_respondent_as_often_too_low_as_too_high(
    truth: list[int], noise: float, seed: int
) -> None:
    """Answers slip one phase up or down alike; so must the respondent's dimension phases."""
    bank, rng = default_bank(), random.Random(seed)
    phases = dict(zip(Dimension, truth, strict=True))
    errors: Counter[int] = Counter()
    people = 3000
    for _ in range(people):
        mine = profile(bank, noisy_respondent(bank, phases, noise, rng))
        for dimension, rated in mine.dimensions.items():
            assert rated is not None
            errors[max(-1, min(1, rated - phases[dimension]))] += 1
    total = people * len(Dimension)
    assert abs(errors[-1] - errors[1]) / total <= 0.02, errors


phase_lists = st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=4)


@settings(max_examples=200)
@given(st.lists(phase_lists, min_size=1, max_size=40))
def test_pooling_distinct_votes_once_each_gives_the_exact_sum_of_every_vote(
    people: list[list[int]],
) -> None:
    votes = [votes_of(answers) for answers in people]
    naive: dict[int, Fraction] = {}
    for vote in votes:
        for phase, weight in vote.items():
            naive[phase] = naive.get(phase, Fraction(0)) + weight

    assert pooled(votes) == naive


@settings(max_examples=100)
@given(st.lists(phase_lists, min_size=1, max_size=4))
def test_a_person_s_phase_does_not_depend_on_the_order_of_their_answers(
    answers: list[list[int]],
) -> None:
    for dimension_answers in answers:
        vote = votes_of(dimension_answers)
        shuffled = votes_of(list(reversed(dimension_answers)))
        assert phase_of(vote, one_person=True) == phase_of(shuffled, one_person=True)
        assert vote == shuffled
