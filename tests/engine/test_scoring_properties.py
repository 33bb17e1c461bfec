"""Invariants of scoring, checked with generated organisations."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.scoring import OrgResult, Withheld, score
from engine.sheet import AnswerSheet
from engine.vocabulary import Dimension, Role
from tests.builders import sheet, tiny_bank

BANK = tiny_bank()

answers = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
respondents = st.builds(
    lambda phases, role: sheet(dict(zip(Dimension, phases, strict=True)), role),
    st.lists(answers, min_size=len(Dimension), max_size=len(Dimension)),
    st.one_of(st.none(), st.sampled_from(Role)),
)
organisations = st.lists(respondents, min_size=0, max_size=14)
thresholds = st.integers(min_value=3, max_value=8)


@settings(max_examples=150)
@given(organisations, thresholds, st.randoms(use_true_random=False))
def test_permuting_respondents_never_changes_the_result(
    sheets: list[AnswerSheet], threshold: int, rng: object
) -> None:
    shuffled = list(sheets)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
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
    assert after.overall >= before.overall
    for d, was in before.dimensions.items():
        assert after.dimensions[d].median >= was.median
        assert after.dimensions[d].phase >= was.phase


@settings(max_examples=200)
@given(organisations, thresholds)
def test_no_group_under_the_threshold_is_ever_shown(
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
    for segment in result.segments:
        assert segment.n >= threshold
        members = [s for s in sheets if s.get("role") == (segment.role.value,)]
        assert len(members) == segment.n
        for d in segment.medians:
            rated = [m for m in members if m.get(d.value) not in (None, ("dont_know",))]
            assert len(rated) >= threshold
    shown = {segment.role for segment in result.segments}
    for gap in result.role_gaps:
        assert {Role.MANAGEMENT, Role.EMPLOYEE} <= shown
        assert gap.size >= 1
