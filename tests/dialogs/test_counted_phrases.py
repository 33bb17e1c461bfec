"""Counted phrases whose singular no view reaches yet, in both languages."""

from __future__ import annotations

import pytest

from dialogs import phrases
from engine.vocabulary import Language


@pytest.mark.parametrize(
    ("respondents", "language", "said"),
    [
        (1, Language.EN, "Scan 2 has closed, but 1 person completed it and a result needs"),
        (2, Language.EN, "Scan 2 has closed, but 2 people completed it and a result needs"),
        (1, Language.NL, "Scan 2 is gesloten, maar 1 persoon vulde hem in en een resultaat"),
        (2, Language.NL, "Scan 2 is gesloten, maar 2 mensen vulden hem in en een resultaat"),
    ],
)
def test_a_closed_scan_with_too_few_counts_one_person_and_more(
    respondents: int, language: Language, said: str
) -> None:
    assert said in phrases.ORG_TOO_FEW(language, respondents, number=2, threshold=5)


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
