"""Free-text questions are matched to the advice base, or honestly not matched."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from engine.advice import answer
from engine.advice_base import default_advice_base
from engine.matching import TopicIndex, tokens, words
from engine.vocabulary import Language

BASE = default_advice_base()
INDEX = TopicIndex(BASE)
REFUSE = "refuse"


@dataclass(frozen=True)
class Asked:
    question: str
    expected: str
    written_in: Language
    person: Language


def _question_set() -> dict[str, list[Asked]]:
    raw = yaml.safe_load((Path(__file__).parent / "questions.yaml").read_text(encoding="utf-8"))
    return {
        group: [
            Asked(row[0], row[1], Language(lang), Language(row[2] if len(row) > 2 else lang))
            for lang, rows in by_language.items()
            for row in rows
        ]
        for group, by_language in raw.items()
    }


QUESTIONS = _question_set()


def _first(asked: Asked) -> str:
    matches = INDEX.search(asked.question, asked.person)
    return matches[0].topic.id if matches else REFUSE


@dataclass(frozen=True)
class Precision:
    on_topic: int
    right: int
    off_topic: int
    answered: list[str]
    wrong: list[str]

    @property
    def share(self) -> float:
        return self.right / self.on_topic

    def line(self, label: str) -> str:
        return (
            f"{label}: on topic {self.right}/{self.on_topic} ({self.share:.0%}), "
            f"off topic answered {len(self.answered)}/{self.off_topic}"
        )


def _measure(questions: list[Asked]) -> Precision:
    got = [(asked, _first(asked)) for asked in questions]
    on = [(asked, first) for asked, first in got if asked.expected != REFUSE]
    off = [(asked, first) for asked, first in got if asked.expected == REFUSE]
    return Precision(
        on_topic=len(on),
        right=sum(first == asked.expected for asked, first in on),
        off_topic=len(off),
        answered=[f"{a.question!r} -> {first}" for a, first in off if first != REFUSE],
        wrong=[
            f"{a.question!r} -> {first}, not {a.expected}" for a, first in on if first != a.expected
        ],
    )


def _report(group: str) -> Precision:
    whole = _measure(QUESTIONS[group])
    print(whole.line(f"{group}, both languages"))
    for language in Language:
        print(
            _measure([a for a in QUESTIONS[group] if a.written_in is language]).line(
                f"{group}, asked in {language.value}"
            )
        )
    return whole


def test_the_question_set_is_large_bilingual_and_has_off_topic_questions() -> None:
    everything = [asked for group in QUESTIONS.values() for asked in group]
    dutch = [asked for asked in everything if asked.written_in is Language.NL]
    known = {topic.id for topic in BASE.topics} | {REFUSE}
    assert len(everything) >= 60
    assert 0.4 <= len(dutch) / len(everything) <= 0.6
    assert sum(asked.expected == REFUSE for asked in everything) >= 15
    assert {asked.expected for asked in everything} <= known
    assert len(QUESTIONS["held_out"]) >= 15


def test_tuned_questions_find_their_topic_and_off_topic_ones_find_none() -> None:
    measured = _report("tuning")
    assert not measured.answered, measured.answered
    assert measured.share >= 0.95, measured.wrong


HELD_OUT = [group for group in QUESTIONS if group != "tuning"]


@pytest.mark.parametrize("group", HELD_OUT)
def test_held_out_off_topic_questions_are_never_answered(group: str) -> None:
    """A held-out group was never tuned against; its on-topic precision is printed (the
    matcher refuses rather than guesses, so that is where it falls short), and an off-topic
    answer there would be a guess."""
    measured = _report(group)
    print(f"{group} misses:", *measured.wrong, sep="\n  ")
    assert not measured.answered, measured.answered


def test_on_topic_precision_over_all_groups_is_printed() -> None:
    """Printed, not asserted: a bound the tuning group alone holds up would say little about
    the held-out group (tests/engine/questions.yaml)."""
    measured = _measure([asked for group in QUESTIONS.values() for asked in group])
    print(measured.line("all groups"))
    assert not measured.answered, measured.answered


@pytest.mark.parametrize(
    "question", ["what is the capital of Peru", "wat eten we vanavond", "xyzzy", "ok"]
)
def test_an_unrelated_question_matches_nothing_rather_than_guessing(question: str) -> None:
    found = answer(INDEX, BASE, question, Language.EN)
    assert not found.matched
    assert found.known == BASE.topics


@pytest.mark.parametrize(
    ("question", "person", "language"),
    [
        ("hoe meten we ROI?", Language.EN, Language.NL),
        ("How do we measure ROI?", Language.NL, Language.EN),
        ("werving?", Language.EN, Language.NL),
        ("contentkalender", Language.EN, Language.NL),
        ("can you book a meeting room", Language.NL, Language.EN),
        ("ROI", Language.EN, Language.EN),
        ("ROI", Language.NL, Language.NL),
        ("xyzzy", Language.NL, Language.NL),
    ],
)
def test_a_question_is_read_in_its_own_language_or_else_the_persons(
    question: str, person: Language, language: Language
) -> None:
    assert INDEX.language_of(question, person) is language


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("what's the weather?", ["what", "the", "weather"]),
        ("Which KPI's?", ["which", "kpi"]),
        ("LinkedIn’s reach", ["linkedin", "reach"]),
        ("foto's en video's", ["foto", "en", "video"]),
        ("'s ochtends op 't werk", ["ochtends", "op", "werk"]),
        ("we don't share", ["we", "do", "not", "share"]),
        ("we dont share", ["we", "do", "not", "share"]),
        ("can't", ["can", "not"]),
    ],
)
def test_apostrophes_leave_the_word_and_drop_what_follows_it(
    sentence: str, expected: list[str]
) -> None:
    assert words(sentence) == expected


def test_an_apostrophe_no_longer_makes_a_word_of_its_s() -> None:
    assert "s" not in tokens("what's the weather", Language.EN)
    assert tokens("kpi's", Language.NL) == tokens("kpi", Language.NL)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("socialemediabeleid?", "control_guidelines"),
        ("medewerkersbetrokkenheid", "employee_sharing"),
        ("contentplanning", "content_calendar"),
    ],
)
def test_a_dutch_compound_finds_its_topic_through_its_parts(question: str, topic: str) -> None:
    matches = INDEX.search(question, Language.NL)
    assert matches, f"no match for {question!r}"
    assert matches[0].topic.id == topic


def test_a_separable_dutch_verb_is_read_whole() -> None:
    matches = INDEX.search("zakt het weer in?", Language.NL)
    assert [m.topic.id for m in matches][:1] == ["always_on"]


def test_stemming_makes_word_forms_meet() -> None:
    assert tokens("measuring", Language.EN) == tokens("measure", Language.EN)
    assert tokens("medewerkers", Language.NL) == tokens("medewerker", Language.NL)


@pytest.mark.parametrize(
    ("question", "person", "topic"),
    [
        ("our posts get barely any views or likes", Language.EN, "low_engagement"),
        ("we hebben niemand die tijd heeft voor onze linkedin", Language.NL, "time_shortage"),
        ("how do we get more followers", Language.EN, "kpis"),
    ],
)
def test_words_the_base_does_not_know_do_not_refuse_a_question_about_the_domain(
    question: str, person: Language, topic: str
) -> None:
    matches = INDEX.search(question, person)
    assert [match.topic.id for match in matches][:1] == [topic]


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("can you post this letter for me", Language.EN),
        ("kun je deze brief posten?", Language.NL),
        ("what is linkedin's share price", Language.EN),
        ("hoe staat de koers van linkedin", Language.NL),
        ("keep me posted on the report", Language.EN),
        ("who is the CEO of LinkedIn", Language.EN),
        ("can you post the minutes in the teams channel", Language.EN),
        ("is the social event still on", Language.EN),
        ("de post is nog niet bezorgd", Language.NL),
        ("can i watch youtube at work", Language.EN),
    ],
)
def test_a_domain_word_in_another_sense_or_alone_is_no_evidence(
    question: str, person: Language
) -> None:
    assert INDEX.search(question, person) == ()


def test_a_letter_on_linkedin_is_still_about_linkedin() -> None:
    assert INDEX.search("should we post a letter from our ceo on linkedin?", Language.EN)


@pytest.mark.parametrize(
    ("question", "person", "topic"),
    [
        ("we started strong but nobody posts anymore", Language.EN, "always_on"),
        ("na een maand postte niemand meer", Language.NL, "always_on"),
    ],
)
def test_no_longer_is_read_as_having_stopped(question: str, person: Language, topic: str) -> None:
    assert tokens("nobody posts anymore", Language.EN)[-1] == "longer"
    assert tokens("niemand meer", Language.NL)[-1] == "langer"
    matches = INDEX.search(question, person)
    assert topic in [match.topic.id for match in matches]


@pytest.mark.parametrize(
    ("question", "person"),
    [("when should we post on linkedin?", Language.EN), ("wanneer moeten we posten?", Language.NL)],
)
def test_when_to_post_asks_for_the_moment(question: str, person: Language) -> None:
    matches = INDEX.search(question, person)
    assert [match.topic.id for match in matches][:1] == ["content_calendar"]
