"""The shipped data files load, and a broken one is reported by file, item and field."""

from __future__ import annotations

import pytest
import yaml

from engine.advice_base import default_advice_base, parse_advice_base
from engine.bank import DONT_KNOW, QuestionKind, default_bank, parse_bank
from engine.catalogue import CatalogueError, read_packaged
from engine.plan_catalogue import default_plan_catalogue, parse_plan_catalogue
from engine.text import counted
from engine.vocabulary import Dimension, Language, Phase, TaskKind


def test_the_shipped_bank_fits_a_chat_scan() -> None:
    bank = default_bank()
    assert 15 <= len(bank) <= 20
    assert {q.kind for q in bank} == set(QuestionKind)
    for dimension in Dimension:
        assert len(bank.phase_questions(dimension)) >= 2


def test_every_phase_question_offers_each_phase_once_in_order() -> None:
    for question in default_bank():
        if question.kind is QuestionKind.PHASE:
            assert [o.phase for o in question.options] == list(Phase)


def test_the_shipped_plan_catalogue_and_advice_base_load() -> None:
    catalogue = default_plan_catalogue()
    assert {task.kind for task in catalogue.tasks} == set(TaskKind) - {TaskKind.STEP}
    assert len(default_advice_base().topics) >= 14


def _bank_with(change: str) -> str:
    raw, _ = read_packaged("bank.yaml")
    data = yaml.safe_load(raw)
    question = next(q for q in data["questions"] if q["kind"] == "phase")
    if change == "phase":
        question["options"][2]["phase"] = 9
    elif change == "label":
        question["options"][0]["label"]["en"] = "x" * 41
    elif change == "dont_know":
        question["options"][0]["id"] = DONT_KNOW
    elif change == "duplicate":
        data["questions"].append(dict(question))
    return yaml.safe_dump(data, allow_unicode=True)


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        ("phase", ["bank.yaml", "question '", "field 'options.2.phase'"]),
        ("label", ["bank.yaml", "question '", "label.en is longer than 40"]),
        ("dont_know", ["bank.yaml", "'dont_know' is added to every question"]),
        ("duplicate", ["bank.yaml", "appears twice"]),
    ],
)
def test_a_broken_bank_names_the_file_the_question_and_the_field(
    change: str, fragments: list[str]
) -> None:
    with pytest.raises(CatalogueError) as raised:
        parse_bank(_bank_with(change), "engine/data/bank.yaml")
    for fragment in fragments:
        assert fragment in str(raised.value)


def test_a_bank_that_is_not_yaml_says_so() -> None:
    with pytest.raises(CatalogueError, match=r"bank\.yaml: not valid YAML"):
        parse_bank("questions: [", "bank.yaml")


def test_a_plan_catalogue_missing_a_step_says_which() -> None:
    raw, _ = read_packaged("plan.yaml")
    data = yaml.safe_load(raw)
    data["steps"] = [
        s for s in data["steps"] if not (s["dimension"] == "impact" and s["to_phase"] == 4)
    ]
    with pytest.raises(CatalogueError, match="no step leads impact to phase 4"):
        parse_plan_catalogue(yaml.safe_dump(data, allow_unicode=True), "plan.yaml")


def test_a_task_with_a_broken_recurrence_rule_is_named() -> None:
    raw, _ = read_packaged("plan.yaml")
    data = yaml.safe_load(raw)
    task = data["tasks"][0]
    first = next(iter(task["cadences"]))
    task["cadences"][first]["rule"] = "FREQ=SOMETIMES"
    with pytest.raises(
        CatalogueError, match=rf"task '{task['id']}', field 'cadences.{first}.rule'"
    ):
        parse_plan_catalogue(yaml.safe_dump(data, allow_unicode=True), "plan.yaml")


def test_an_advice_base_without_a_tip_for_an_obstacle_says_which() -> None:
    raw, _ = read_packaged("advice.yaml")
    data = yaml.safe_load(raw)
    del data["obstacles"]["no_time"]
    with pytest.raises(CatalogueError, match="obstacles lacks a tip for no_time"):
        parse_advice_base(yaml.safe_dump(data, allow_unicode=True), "advice.yaml")


def test_a_counted_text_is_singular_for_one_and_plural_for_every_other_number() -> None:
    people = counted(nl=("{n} persoon", "{n} mensen"), en=("{n} person", "{n} people"))
    assert [people(Language.EN, n) for n in (0, 1, 2)] == ["0 people", "1 person", "2 people"]
    assert [people(Language.NL, n) for n in (0, 1, 2)] == ["0 mensen", "1 persoon", "2 mensen"]
