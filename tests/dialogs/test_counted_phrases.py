"""Counted phrases whose singular no view reaches yet, in both languages."""

from __future__ import annotations

import pytest

from dialogs import phrases
from engine.vocabulary import Language


@pytest.mark.parametrize(
    ("missing", "language", "said"),
    [
        (1, Language.EN, "once 5 people have completed the scan; 1 more person is needed."),
        (2, Language.EN, "once 5 people have completed the scan; 2 more people are needed."),
        (1, Language.NL, "zodra 5 mensen de scan hebben ingevuld; er is er nog 1 nodig."),
        (2, Language.NL, "zodra 5 mensen de scan hebben ingevuld; er zijn er nog 2 nodig."),
    ],
)
def test_the_withheld_result_counts_one_missing_person_and_more(
    missing: int, language: Language, said: str
) -> None:
    assert said in phrases.ORG_AWAITING(language, missing, threshold=5)


@pytest.mark.parametrize(
    ("questions", "language", "said"),
    [
        (1, Language.EN, "You've answered 0 of the 1 question of scan 2."),
        (16, Language.EN, "You've answered 1 of the 16 questions of scan 2."),
        (1, Language.NL, "Je hebt 0 van de 1 vraag van scan 2 beantwoord."),
        (16, Language.NL, "Je hebt 1 van de 16 vragen van scan 2 beantwoord."),
    ],
)
def test_partway_through_counts_one_question_and_more(
    questions: int, language: Language, said: str
) -> None:
    answered = min(1, questions - 1)

    assert said in phrases.MY_SCAN_PARTWAY(language, questions, answered=answered, number=2)


@pytest.mark.parametrize(
    ("people", "language", "said"),
    [
        (1, Language.EN, "1 person"),
        (2, Language.EN, "2 people"),
        (1, Language.NL, "1 persoon"),
        (2, Language.NL, "2 mensen"),
    ],
)
def test_people_are_one_person_or_more_people(people: int, language: Language, said: str) -> None:
    assert phrases.PEOPLE(language, people) == said
