"""The plan aims at the weakest link; the advice is grounded in what the result says."""

from __future__ import annotations

from engine.advice import advise
from engine.advice_base import default_advice_base
from engine.plan import MAX_STEPS, make_plan
from engine.plan_catalogue import default_plan_catalogue
from engine.scoring import OrgResult, score
from engine.vocabulary import Dimension, Language, Obstacle, Phase, Role, TaskKind
from tests.builders import sheet, tiny_bank, uniform

BANK = tiny_bank()
CATALOGUE = default_plan_catalogue()
BASE = default_advice_base()
D = Dimension


def _result(*sheets_: object, threshold: int = 5) -> OrgResult:
    result = score(BANK, list(sheets_), threshold=threshold)  # type: ignore[arg-type]
    assert isinstance(result, OrgResult)
    return result


def _lagging_technology() -> OrgResult:
    phases = {**dict.fromkeys(Dimension, 3), D.TECHNOLOGY: 1}
    return _result(*[sheet(phases)] * 5)


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
    plan = make_plan(_result(*[uniform(5)] * 5), CATALOGUE)
    assert plan.target is None
    assert plan.steps == ()
    advice = advise(_result(*[uniform(5)] * 5), plan, CATALOGUE, BASE, Language.EN)
    assert "highest phase" in advice.headline


def test_the_advice_names_the_phase_the_progress_and_the_weakest_link() -> None:
    result = _lagging_technology()
    plan = make_plan(result, CATALOGUE)
    for language, weakest in ((Language.EN, "Technology"), (Language.NL, "Technologie")):
        advice = advise(result, plan, CATALOGUE, BASE, language)
        assert weakest in advice.headline
        assert plan.steps[0].title(language).rstrip(".") in advice.actions[0]


def test_obstacles_that_many_name_bring_their_tips() -> None:
    named = [sheet(dict.fromkeys(Dimension, 2), obstacles=(Obstacle.FEAR_OF_CONTROL,))] * 5
    result = _result(*named)
    advice = advise(result, make_plan(result, CATALOGUE), CATALOGUE, BASE, Language.EN)
    assert BASE.obstacles[Obstacle.FEAR_OF_CONTROL](Language.EN) in advice.actions
    assert BASE.obstacles[Obstacle.NO_TIME](Language.EN) not in advice.actions


def test_a_role_gap_brings_the_advice_to_talk_it_through() -> None:
    result = _result(*[uniform(4, Role.MANAGEMENT)] * 5, *[uniform(2, Role.EMPLOYEE)] * 5)
    advice = advise(result, make_plan(result, CATALOGUE), CATALOGUE, BASE, Language.EN)
    assert BASE.role_gap(Language.EN) in advice.actions
    assert any("Management and employees see this differently" in r for r in advice.reasons)


def test_lagging_management_support_is_called_the_precondition() -> None:
    phases = {**dict.fromkeys(Dimension, 3), D.SUPPORT: 2}
    result = _result(*[sheet(phases)] * 5)
    advice = advise(result, make_plan(result, CATALOGUE), CATALOGUE, BASE, Language.EN)
    assert any("Management support" in reason for reason in advice.reasons)


def test_strong_disagreement_is_pointed_out() -> None:
    split = [uniform(1)] * 3 + [uniform(5)] * 3
    result = _result(*split)
    advice = advise(result, make_plan(result, CATALOGUE), CATALOGUE, BASE, Language.EN)
    assert BASE.low_agreement(Language.EN) in advice.actions
