"""The plan aims at the weakest link; the advice shows the evidence it rests on."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine.advice import Advice, advise
from engine.advice_base import default_advice_base, parse_advice_base
from engine.catalogue import CatalogueError, read_packaged
from engine.labels import label
from engine.plan import MAX_STEPS, make_plan, standing
from engine.plan_catalogue import default_plan_catalogue, parse_plan_catalogue
from engine.scoring import OrgResult, score
from engine.sheet import AnswerSheet
from engine.vocabulary import (
    Dimension,
    Goal,
    Language,
    Objective,
    Obstacle,
    Phase,
    Role,
    TaskKind,
)
from tests.builders import sheet, tiny_bank, uniform

BANK = tiny_bank()
CATALOGUE = default_plan_catalogue()
BASE = default_advice_base()
D = Dimension
EN, NL = Language.EN, Language.NL
A_FEW = {EN: "a few", NL: "een paar"}


def _result(*sheets_: AnswerSheet, threshold: int = 5) -> OrgResult:
    result = score(BANK, list(sheets_), threshold=threshold)
    assert isinstance(result, OrgResult)
    return result


def _advice(result: OrgResult, language: Language = EN) -> Advice:
    return advise(result, make_plan(result, CATALOGUE), CATALOGUE, BASE, language)


def _everything(advice: Advice) -> list[str]:
    return [advice.headline, *advice.reasons, *advice.actions]


def _lagging_technology() -> OrgResult:
    phases = {**dict.fromkeys(Dimension, 3), D.TECHNOLOGY: 1}
    return _result(*[sheet(phases)] * 5)


def _practice_at_4_support_at_2() -> OrgResult:
    phases = {**dict.fromkeys(Dimension, 4), D.SUPPORT: 2}
    return _result(*[sheet(phases, Role.MANAGEMENT)] * 5, *[sheet(phases, Role.EMPLOYEE)] * 5)


# -- the plan --------------------------------------------------------------------------------------


def test_steps_start_with_the_limiting_dimension_one_phase_at_a_time() -> None:
    result = _lagging_technology()
    assert result.overall is Phase.BASIC_PUBLISHING
    plan = make_plan(result, CATALOGUE)
    assert plan.target is Phase.EXPERIMENTATION
    assert plan.focus == (D.TECHNOLOGY,)
    assert plan.steps[0].dimension is D.TECHNOLOGY
    assert plan.steps[0].to_phase is Phase.BASIC_PUBLISHING
    assert len(plan.steps) <= MAX_STEPS


def test_always_on_tasks_fit_the_phase_with_its_cadence() -> None:
    early = make_plan(_result(*[uniform(1)] * 5), CATALOGUE)
    late = make_plan(_result(*[uniform(5)] * 5), CATALOGUE)
    assert {TaskKind.POST, TaskKind.MEASURE, TaskKind.RESCAN} <= {
        t.template.kind for t in early.tasks
    }
    assert len(late.tasks) > len(early.tasks)
    for task in early.tasks:
        assert task.template.from_phase <= Phase.AD_HOC
        assert task.cadence == task.template.cadence_for(Phase.AD_HOC)


def test_a_performance_driven_organisation_gets_tasks_and_no_steps() -> None:
    result = _result(*[uniform(5)] * 5)
    plan = make_plan(result, CATALOGUE)
    assert plan.target is None
    assert plan.steps == ()
    advice = _advice(result)
    assert "highest phase" in advice.headline
    assert advice.outlook is None


@pytest.mark.parametrize(
    ("others", "lagging", "expected"),
    [
        ([4, 4, 4, 4, 4], 2, 4),
        ([3, 3, 3, 4, 4], 2, 3),
        ([2, 2, 4, 4, 4], 2, 4),
        ([2, 2, 2, 4, 4], 2, 2),
        ([3, 3, 3, 3, 3], 3, 3),
    ],
)
def test_where_the_rest_stands_is_what_more_than_half_of_the_others_reach(
    others: list[int], lagging: int, expected: int
) -> None:
    phases = {d: Phase(p) for d, p in zip(list(Dimension)[:5], others, strict=True)}
    phases[D.SUPPORT] = Phase(lagging)
    assert standing(phases, D.SUPPORT, Phase(min([*others, lagging]))) is Phase(expected)


def test_lagging_support_in_an_organisation_at_4_gets_no_first_pilot_step() -> None:
    result = _practice_at_4_support_at_2()
    plan = make_plan(result, CATALOGUE)
    assert result.limiting == (D.SUPPORT,)
    support_steps = [step for step in plan.steps if step.dimension is D.SUPPORT]
    assert support_steps[0].id == "support_back_the_ambassadors"
    assert "support_project_manager" not in {step.id for step in plan.steps}
    for language in Language:
        advice = _advice(result, language)
        for text_ in [*(s.title(language) for s in plan.steps), *advice.actions]:
            assert "pilot" not in text_.lower()
            assert "projectleider" not in text_
            assert "project manager" not in text_


def test_an_organisation_starting_out_still_gets_its_pilot() -> None:
    plan = make_plan(_result(*[uniform(2)] * 5), CATALOGUE)
    assert "support_project_manager" in {step.id for step in plan.steps}


def test_every_step_the_plan_gives_fits_where_the_rest_of_the_organisation_stands() -> None:
    for others in range(1, 6):
        for lagging in range(1, others + 1):
            phases = {**dict.fromkeys(Dimension, others), D.IMPACT: lagging}
            result = _result(*[sheet(phases)] * 5)
            assert result.overall is not None
            plan = make_plan(result, CATALOGUE)
            rest = {d: s.phase for d, s in result.dimensions.items()}
            for step in plan.steps:
                assert step.fits(standing(rest, step.dimension, result.overall))


# -- the headline ----------------------------------------------------------------------------------


def test_the_advice_names_the_phase_the_progress_and_the_weakest_link_with_its_median() -> None:
    result = _lagging_technology()
    plan = make_plan(result, CATALOGUE)
    for language, weakest in (
        (EN, "Technology (median 1.0)"),
        (NL, "Technologie (mediaan 1,0)"),
    ):
        advice = _advice(result, language)
        assert weakest in advice.headline
        assert plan.steps[0].title(language).rstrip(".") in advice.actions[0]


def test_with_every_dimension_level_no_single_one_is_named_the_weakest_link() -> None:
    result = _result(*[uniform(3)] * 6)
    assert result.limiting == ()
    for language, words in (
        (EN, "No single dimension holds you back: all are level, at median 3.0."),
        (NL, "alle staan gelijk, op mediaan 3,0."),
    ):
        advice = _advice(result, language)
        assert words in advice.headline
        assert "-" not in advice.headline.split(".")[-2]
        assert not any(label(d, language) in advice.headline for d in Dimension)


def test_with_three_tied_below_the_rest_the_headline_counts_them() -> None:
    phases = {**dict.fromkeys(Dimension, 3), D.MEDIA: 2, D.PROFILES: 2, D.IMPACT: 2}
    result = _result(*[sheet(phases)] * 5)
    assert result.limiting == ()
    advice = _advice(result)
    assert "3 dimensions share the lowest median, 2.0" in advice.headline
    assert any("Media, Application (profiles) and Impact" in r for r in advice.reasons)


# -- every reason shows its figure -----------------------------------------------------------------


def test_a_limiting_dimension_names_its_median_and_how_many_rated_it() -> None:
    for language, words in (
        (EN, "Technology holds you back: median 1.0, rated by 5 people (agreement 100%)."),
        (NL, "Technologie houdt jullie tegen: mediaan 1,0, beoordeeld door 5 mensen"),
    ):
        assert any(words in r for r in _advice(_lagging_technology(), language).reasons)


def test_lagging_management_support_is_called_the_precondition_with_its_figures() -> None:
    reasons = _advice(_practice_at_4_support_at_2()).reasons
    assert any(
        "Management support: median 2.0, rated by 10 people" in r
        and "The rest of the organisation already stands at phase 4" in r
        for r in reasons
    )


def test_a_role_gap_names_both_medians() -> None:
    result = _result(*[uniform(4, Role.MANAGEMENT)] * 5, *[uniform(2, Role.EMPLOYEE)] * 5)
    for language, gap in (
        (EN, "Media (management 4.0, employees 2.0)"),
        (NL, "Media (management 4,0, medewerkers 2,0)"),
    ):
        advice = _advice(result, language)
        assert BASE.role_gap(language) in advice.actions
        assert any(gap in r for r in advice.reasons)
    assert any("management phase 4, employees phase 2" in r for r in _advice(result).reasons)


def test_an_obstacle_many_named_brings_its_tip_saying_which_and_how_often() -> None:
    named = [sheet(dict.fromkeys(Dimension, 2), obstacles=(Obstacle.FEAR_OF_CONTROL,))] * 7
    result = _result(*named, *[uniform(2)] * 5)
    for language, reason, action in (
        (
            EN,
            "'fear of losing control' was named as an obstacle by 7 of 12 respondents.",
            "Against 'fear of losing control': ",
        ),
        (
            NL,
            "'angst voor controleverlies' is als obstakel genoemd door 7 van de 12 respondenten.",
            "Tegen 'angst voor controleverlies': ",
        ),
    ):
        advice = _advice(result, language)
        tip = BASE.obstacles[Obstacle.FEAR_OF_CONTROL].at(Phase.BASIC_PUBLISHING)(language)
        assert reason in advice.reasons
        assert action + tip in advice.actions
        assert not any(label(Obstacle.NO_TIME, language) in a for a in advice.actions)


def test_an_obstacle_a_third_named_but_fewer_than_the_threshold_is_not_acted_on() -> None:
    """4 of 12 is a third yet below 5: acting on it would tell that exactly 4 named it."""
    named = [sheet(dict.fromkeys(Dimension, 2), obstacles=(Obstacle.NO_TIME,))] * 4
    result = _result(*named, *[uniform(2)] * 8)
    assert result.obstacles[0].count is None
    assert not result.obstacles[0].common
    for language in Language:
        said = _everything(_advice(result, language))
        assert not any(label(Obstacle.NO_TIME, language) in t for t in said)
        for phase in Phase:
            tip = BASE.obstacles[Obstacle.NO_TIME].at(phase)(language)
            assert not any(tip in t for t in said)


def test_spread_and_unknown_name_their_agreement_and_their_share() -> None:
    split = [uniform(1)] * 3 + [uniform(5)] * 3
    advice = _advice(_result(*split))
    assert BASE.low_agreement(EN) in advice.actions
    assert any(re.search(r"Media \(agreement \d+%\)", r) for r in advice.reasons)
    unsure = {**dict.fromkeys(Dimension, 3), D.IMPACT: None}
    advice = _advice(_result(*[uniform(3)] * 10, *[sheet(unsure)] * 5))
    assert any("Impact and measurement (33% don't know)" in r for r in advice.reasons)
    # Three of ten would count a group under the threshold: "a few", and no share.
    advice = _advice(_result(*[uniform(3)] * 7, *[sheet(unsure)] * 3))
    assert any("Impact and measurement (a few don't know)" in r for r in advice.reasons)
    assert not any("30%" in r for r in advice.reasons)


def _organisations() -> st.SearchStrategy[list[AnswerSheet]]:
    phase = st.one_of(st.none(), st.integers(1, 5))
    person = st.builds(
        _person,
        st.fixed_dictionaries({d: phase for d in Dimension}),
        st.sampled_from([None, *Role]),
        st.sets(st.sampled_from(list(Obstacle)), max_size=3),
        st.sets(st.sampled_from(list(Objective)), max_size=2),
        st.sets(st.sampled_from(list(Goal)), max_size=2),
    )
    return st.lists(person, min_size=5, max_size=16)


def _person(
    phases: dict[Dimension, int | None],
    role: Role | None,
    obstacles: set[Obstacle],
    objectives: set[Objective],
    goals: set[Goal],
) -> AnswerSheet:
    answers = sheet(phases, role, tuple(sorted(obstacles)))
    if objectives:
        answers = answers.with_answer("objectives", tuple(sorted(objectives)))
    if goals:
        answers = answers.with_answer("goals", tuple(sorted(goals)))
    return answers


def _advised(people: list[AnswerSheet], language: Language) -> tuple[OrgResult, Advice]:
    result = _result(*people)
    assume(result.overall is not None)
    return result, _advice(result, language)


@settings(max_examples=150, deadline=None)
@given(_organisations(), st.sampled_from(list(Language)))
def test_every_reason_for_any_organisation_names_a_figure(
    people: list[AnswerSheet], language: Language
) -> None:
    _, advice = _advised(people, language)
    for reason in advice.reasons:
        assert re.search(r"\d", reason) or A_FEW[language] in reason, reason
    assert sum(label(d, language) in advice.headline for d in Dimension) <= 2


@settings(max_examples=150, deadline=None)
@given(_organisations(), st.sampled_from(list(Language)))
def test_no_number_below_the_threshold_ever_stands_next_to_an_obstacle(
    people: list[AnswerSheet], language: Language
) -> None:
    result, advice = _advised(people, language)
    for mention in result.obstacles:
        name = f"'{label(mention.term, language)}'"
        for said in _everything(advice):
            if name not in said:
                continue
            numbers = {int(n) for n in re.findall(r"\b\d+\b", said)}
            if mention.count is None:
                # Named by all but a few: no count, either of those who did or who did not.
                assert mention.nearly_all
                assert numbers <= {result.respondents}, said
                continue
            assert result.threshold <= mention.count <= result.respondents - result.threshold
            assert numbers <= {mention.count, result.respondents}, said


# -- advice for the phase the organisation is in -------------------------------------------------


def test_an_organisation_at_phase_5_is_never_told_to_record_a_baseline() -> None:
    everything_named = [
        _person(
            dict.fromkeys(Dimension, 5), None, {Obstacle.UNCLEAR_ROI}, set(Objective), set(Goal)
        )
    ] * 6
    result = _result(*everything_named)
    assert result.overall is Phase.PERFORMANCE_DRIVEN
    for language, baseline in ((EN, "baseline"), (NL, "nulmeting")):
        advice = _advice(result, language)
        assert any("unclear" in a or "onduidelijk" in a for a in advice.actions)
        assert not any(baseline in said.lower() for said in _everything(advice))
    for tips in (*BASE.obstacles.values(), *BASE.objectives.values(), *BASE.goals.values()):
        for language, baseline in ((EN, "baseline"), (NL, "nulmeting")):
            assert baseline not in tips.at(Phase.PERFORMANCE_DRIVEN)(language).lower()


def test_an_organisation_starting_out_with_unclear_return_is_told_to_record_a_baseline() -> None:
    named = [sheet(dict.fromkeys(Dimension, 1), obstacles=(Obstacle.UNCLEAR_ROI,))] * 5
    assert any("baseline" in a for a in _advice(_result(*named)).actions)


def test_each_obstacle_tip_changes_with_the_phase() -> None:
    for tips in BASE.obstacles.values():
        assert tips.at(Phase.AD_HOC) != tips.at(Phase.PERFORMANCE_DRIVEN)


# -- the catalogues stay whole ---------------------------------------------------------------------


def _advice_data() -> dict[str, object]:
    raw, _ = read_packaged("advice.yaml")
    data: dict[str, object] = yaml.safe_load(raw)
    return data


@pytest.mark.parametrize(
    ("phases", "fragment"),
    [
        ([[1, 2], [4, 5]], "cover phases 1 to 5, each once"),
        ([[1, 3], [3, 5]], "cover phases 1 to 5, each once"),
        ([[3, 1], [4, 5]], "lowest first"),
    ],
)
def test_tips_whose_phases_leave_a_gap_or_overlap_are_refused(
    phases: list[list[int]], fragment: str
) -> None:
    data = _advice_data()
    obstacles = data["obstacles"]
    assert isinstance(obstacles, dict)
    obstacles["no_time"] = [{"phases": p, "nl": "tip", "en": "tip"} for p in phases]
    with pytest.raises(CatalogueError, match=fragment):
        parse_advice_base(yaml.safe_dump(data, allow_unicode=True), "advice.yaml")


def test_a_tip_without_its_dutch_text_is_refused() -> None:
    data = _advice_data()
    obstacles = data["obstacles"]
    assert isinstance(obstacles, dict)
    obstacles["no_time"] = [{"phases": [1, 5], "en": "tip"}]
    with pytest.raises(CatalogueError, match="no_time"):
        parse_advice_base(yaml.safe_dump(data, allow_unicode=True), "advice.yaml")


def test_a_plan_without_a_step_for_a_lagging_dimension_says_where_it_stands() -> None:
    raw, _ = read_packaged("plan.yaml")
    data = yaml.safe_load(raw)
    data["steps"] = [s for s in data["steps"] if s["id"] != "support_back_the_ambassadors"]
    for step in data["steps"]:
        if step["id"] == "support_leaders_go_first":
            step["standing"] = [1, 3]
    with pytest.raises(
        CatalogueError,
        match="no step leads support to phase 3 in an organisation standing at phase 4",
    ):
        parse_plan_catalogue(yaml.safe_dump(data, allow_unicode=True), "plan.yaml")


def test_a_step_whose_standing_could_never_occur_is_refused() -> None:
    raw, _ = read_packaged("plan.yaml")
    data = yaml.safe_load(raw)
    step = next(s for s in data["steps"] if s["to_phase"] == 5)
    step["standing"] = [1, 2]
    with pytest.raises(CatalogueError, match=rf"step '{step['id']}'.*standing ends below"):
        parse_plan_catalogue(yaml.safe_dump(data, allow_unicode=True), "plan.yaml")


def test_a_reason_never_counts_the_few_who_did_not_know() -> None:
    # Technology holds the organisation back; one of six did not know about it.
    low = {**dict.fromkeys(Dimension, 3), D.TECHNOLOGY: 2}
    unsure = {**low, D.TECHNOLOGY: None}
    result = _result(*[sheet(low)] * 5, sheet(unsure))
    assert result.limiting[0] is D.TECHNOLOGY
    reason = next(r for r in _advice(result).reasons if r.startswith("Technology"))
    assert "rated by all but a few (who don't know)" in reason
    assert "5 people" not in reason
    dutch = next(r for r in _advice(result, NL).reasons if r.startswith("Technologie"))
    assert "beoordeeld door op een paar na iedereen" in dutch


def test_management_support_ahead_of_the_organisation_is_not_called_a_brake() -> None:
    ahead = {**dict.fromkeys(Dimension, 3), D.TECHNOLOGY: 2, D.SUPPORT: 4}
    reasons = _advice(_result(*[sheet(ahead)] * 5)).reasons
    assert not any("Management sets the pace" in r for r in reasons)
    level = {**ahead, D.SUPPORT: 3}
    assert any(
        "Management sets the pace" in r for r in _advice(_result(*[sheet(level)] * 5)).reasons
    )
