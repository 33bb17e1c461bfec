"""Matching free-text questions to the advice base: Snowball stemming and BM25 ranking."""

from __future__ import annotations

import re
from dataclasses import dataclass

import snowballstemmer
from rank_bm25 import BM25Okapi

from engine.advice_base import AdviceBase, Topic
from engine.vocabulary import Language

MIN_SCORE = 2.0
"""Below this BM25 score a match is a guess; the advisor says it does not know instead."""
RUNNER_UP = 0.75
"""A second topic scoring at least this share of the best is offered as well."""

_STOPWORDS = {
    Language.NL: frozenset(
        "de het een en of maar dat die dit deze wat wie hoe waarom wanneer waar welk welke is zijn "
        "was waren wordt worden word kan kun kunnen moet moeten mag zal zullen wil willen we wij "
        "ons onze jij je jullie u hij zij ze ik mij me mijn van voor met op in aan bij naar om uit "
        "over door als dan ook nog niet geen wel er hier daar zo te tot veel meer beter goed "
        "iets zich krijgen doen maken hebben heb heeft".split()
    ),
    Language.EN: frozenset(
        "the a an and or but that this these those what who how why when where which is are was "
        "were be been being do does did can could should would will shall may might must we us "
        "our you your they them their i me my he she it its of for with on in at to from by about "
        "as than then also not no yes so too very more better good get make have has had there "
        "here some any".split()
    ),
}
_STEMMERS = {Language.NL: "dutch", Language.EN: "english"}
_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


def tokens(sentence: str, language: Language) -> list[str]:
    """Lower-cased, stop words dropped, stemmed."""
    words = [w for w in _WORD.findall(sentence.lower()) if w not in _STOPWORDS[language]]
    stemmer = snowballstemmer.stemmer(_STEMMERS[language])
    return [str(stem) for stem in stemmer.stemWords(words)]


@dataclass(frozen=True)
class Match:
    topic: Topic
    score: float


class TopicIndex:
    """A BM25 index per language over each topic's title, example questions and keywords."""

    def __init__(self, base: AdviceBase) -> None:
        self._topics = base.topics
        self._indexes = {
            language: BM25Okapi([_document(topic, language) for topic in base.topics])
            for language in Language
        }

    def search(self, question: str, language: Language) -> tuple[Match, ...]:
        """The best topics for a question, best first; empty when nothing matches well.

        The question is also tried in the other language, since people mix them.
        """
        best: dict[str, Match] = {}
        for lang in (language, *(other for other in Language if other is not language)):
            query = tokens(question, lang)
            if not query:
                continue
            for topic, value in zip(
                self._topics, self._indexes[lang].get_scores(query), strict=True
            ):
                if value > best.get(topic.id, Match(topic, 0.0)).score:
                    best[topic.id] = Match(topic, float(value))
        ranked = sorted(best.values(), key=lambda match: match.score, reverse=True)
        if not ranked or ranked[0].score < MIN_SCORE:
            return ()
        top = ranked[0].score
        return tuple(m for m in ranked[:2] if m.score >= max(MIN_SCORE, RUNNER_UP * top))


def _document(topic: Topic, language: Language) -> list[str]:
    lang = language.value
    parts = [getattr(topic.title, lang), *getattr(topic.questions, lang)]
    # Keywords count twice: they are what distinguishes one topic from its neighbours.
    parts += [*getattr(topic.keywords, lang)] * 2
    return [token for part in parts for token in tokens(part, language)]
