"""Free-text questions are matched to the advice base, or honestly not matched."""

from __future__ import annotations

import pytest

from engine.advice import answer
from engine.advice_base import default_advice_base
from engine.matching import TopicIndex, tokens
from engine.vocabulary import Language

BASE = default_advice_base()
INDEX = TopicIndex(BASE)


@pytest.mark.parametrize(
    ("question", "language", "topic"),
    [
        ("How do we get employees to share?", Language.EN, "employee_sharing"),
        ("hoe krijgen we medewerkers zover dat ze delen?", Language.NL, "employee_sharing"),
        ("hoe meten we ROI?", Language.NL, "measure_roi"),
        ("How do we measure the return on investment?", Language.EN, "measure_roi"),
        ("hoe krijg ik de directie mee?", Language.NL, "management_support"),
        ("How often should we post?", Language.EN, "content_calendar"),
        ("we hebben gewoon geen tijd", Language.NL, "time_shortage"),
        ("Should our CEO be on LinkedIn?", Language.EN, "executive_profiling"),
        ("onze dealers willen ook posten", Language.NL, "local_partners"),
        ("Nobody reacts to our posts", Language.EN, "low_engagement"),
        ("Can we find new staff through social media?", Language.EN, "recruitment"),
        ("hoe meten we ROI?", Language.EN, "measure_roi"),
    ],
)
def test_a_question_finds_its_topic_in_either_language(
    question: str, language: Language, topic: str
) -> None:
    matches = INDEX.search(question, language)
    assert matches, f"no match for {question!r}"
    assert matches[0].topic.id == topic


@pytest.mark.parametrize(
    "question", ["what is the capital of Peru", "wat eten we vanavond", "xyzzy", "ok"]
)
def test_an_unrelated_question_matches_nothing_rather_than_guessing(question: str) -> None:
    found = answer(INDEX, BASE, question, Language.EN)
    assert not found.matched
    assert found.known == BASE.topics


def test_stemming_makes_word_forms_meet() -> None:
    assert tokens("measuring", Language.EN) == tokens("measure", Language.EN)
    assert tokens("medewerkers", Language.NL) == tokens("medewerker", Language.NL)
