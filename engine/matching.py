"""Matching free-text questions to the advice base: in the question's language, or not at all.

A question is read in one language: the one its function words (and the topic words it uses)
point to, or the person's own when that evidence is weak. Its words are stemmed with that
language's Snowball stemmer, compounds are split into parts the base knows, and BM25 ranks the
topics.

Whether a question is answered at all depends on its evidence of the domain. A question that
names the medium (social, LinkedIn, a post) or another word only the domain uses (followers,
hashtag, employee advocacy) is about social media: words the base does not know say nothing
against it, and the topic that knows the other words is answered. A question without such a
word must be in the base's words: most of its informative words known, and the topic knowing
half of them, so a question about the weather or a meeting room gets no article rather than
the nearest one. Either way the topic must know one of its words that is not an everyday word
(or two everyday ones about the medium), and a domain word used in another sense (post a
letter, LinkedIn's share price, keep me posted) is no evidence of the domain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Any

import snowballstemmer

from engine.advice_base import AdviceBase, Topic
from engine.vocabulary import Language

MIN_SCORE = 2.0
"""Below this BM25 score a match is a guess; the advisor says it does not know instead."""
RUNNER_UP = 0.75
"""A second topic scoring at least this share of the best is offered as well."""
MIN_COVERAGE = 0.5
"""A question is answered only if the base's vocabulary holds at least this share of its
informative words: one known word in a question about something else is not a match."""
UBIQUITOUS = 0.5
"""A term in more than this share of the topics is, like social and media, the subject of the
whole base: it neither counts for nor against a question's coverage."""
MIN_PART = 4
"""The shortest stem that may be one part of a compound (a whole known word may be 3 letters:
app, crm, roi)."""
MAX_COMPOUND = 40
"""No real compound is longer; longer runs of letters are not split at all."""

# Words that tell the languages apart. Words both languages use (we, in, is, of, over, die, me,
# was, had, want, door) are left out: they are evidence of neither.
_FUNCTION_WORDS = {
    Language.NL: frozenset(
        "de het een en maar dat deze dit wat wie hoe waarom wanneer waar welk welke zijn waren "
        "wordt worden word kan kun kunt kunnen moet moeten mag mogen zal zullen zou zouden wil "
        "wilt willen wij ons onze jij je jou jouw jullie u uw hij zij ze ik mij mijn zich hun hen "
        "hem van voor met op aan bij naar om uit als dan ook nog er hier daar zo te tot veel "
        "meer heel erg hebben heb hebt heeft doen doe doet gaan gaat ga krijgen krijg krijgt "
        "maken maak maakt eigenlijk gewoon echt toch nou eens al alle nu wel iets omdat dus "
        "beter betere goed goede graag hoeveel hoelang geen niet nooit niets iemand iedereen "
        "alles zelf soort advies hoi hallo bedankt alsjeblieft elk elke ieder iedere ander "
        "andere zelfde ooit misschien terwijl zodat want erin eraan erop ermee erover ervoor "
        "eruit erna erom daarin daarmee daarover daarvoor daaraan daarop hierin hiermee "
        "hierover hiervoor ergens nergens overal sinds tijdens zonder onder tussen achter tegen "
        "binnen buiten rond rondom amper nauwelijks bijna haast wellicht waarschijnlijk gegaan "
        "gedaan gehad geweest geworden gekregen gemaakt zulke mezelf jezelf onszelf elkaar".split()
    ),
    Language.EN: frozenset(
        "the a an and or but that this these those what who how why when where which are were "
        "be been being do does did can could should would will shall may might must us our you "
        "your they them their i my he she it its for with on at to from by about than then also "
        "yes too very there here some any all just really please if into out up off much "
        "many more most only such better good get got have has having no not never nothing "
        "someone something anything anyone everyone everything himself herself themselves "
        "myself ourselves after before few kind sort advice hi hello thanks every each other "
        "another own still already yet ever anymore maybe perhaps whether because so as both "
        "either am let his her him hers mine yours ours theirs one ones whom whose while since "
        "until though although behind under between through without within across against "
        "around during among towards toward onto upon above below near somewhere anywhere "
        "nowhere everywhere actually basically barely hardly quite rather almost probably "
        "usually done doing down".split()
    ),
}
_SHARED_WORDS = frozenset(
    "we in is of over die me was had want door even via per tip tips ok hey".split()
)
_NEGATION = {
    Language.NL: {"geen": "niet", "nooit": "niet", "niets": "niet", "niks": "niet", "niet": "niet"},
    Language.EN: {"no": "not", "never": "not", "nothing": "not", "not": "not"},
}
"""Negations are kept, as one word: 'no time' and 'nobody shares' are what a topic is about."""
_PERMISSION = {Language.NL: {"mag": "mogen", "mogen": "mogen"}, Language.EN: dict[str, str]()}
"""Kept too, as one word: 'what may we post' and 'mag ik dat posten' ask about rules."""
_STOPWORDS = {
    language: (function | _SHARED_WORDS) - _NEGATION[language].keys() - _PERMISSION[language].keys()
    for language, function in _FUNCTION_WORDS.items()
}
"""Dropped before matching."""
_SUBJECT = frozenset(
    "social socials sociale media socialmedia linkedin facebook instagram twitter tiktok "
    "youtube".split()
)
"""Words that name the medium itself: every topic is about them, so they say that a question
is about social media, not which topic it is about."""
_POSTING = frozenset("post posts posting posted posten gepost postte".split())
"""Words for the medium's own act. Like the subject words they say that a question is about
social media ('what if someone posts something stupid'); unlike them, they are kept as terms:
how often to post is a topic."""
_DOMAIN = {
    Language.NL: frozenset(
        "volgers volger hashtag hashtags influencer influencers engagement ambassadeur "
        "ambassadeurs advocacy content contentkalender algoritme viraal likes liken liket "
        "geliket reposten repost".split()
    ),
    Language.EN: frozenset(
        "followers follower hashtag hashtags influencer influencers engagement ambassador "
        "ambassadors advocacy content algorithm viral repost reposts reposted retweet "
        "retweets".split()
    ),
}
"""Words only the domain uses: like the medium's name they say that a question is about social
media, and unlike it they also say which topic."""
_PLATFORMS = "(?:linkedin|facebook|instagram|twitter|tiktok|youtube|meta|x)"
_OTHER_SENSES = {
    Language.NL: (
        re.compile(r"\b(?:aandeel|aandelen|beurs|beurskoers|koers|aandeelhouders?|dividend)\b"),
        re.compile(r"\bsociale (?:zaken|dienst|zekerheid|huur|huurwoning|werkplaats)\b"),
        re.compile(rf"\b(?:directeur|eigenaar|oprichter|ceo|topman|baas) van {_PLATFORMS}\b"),
    ),
    Language.EN: (
        re.compile(r"\b(?:shareholders?|dividends?|nasdaq|ipo|stock market)\b"),
        re.compile(r"\b(?:stock|share|shares) (?:price|prices|value)\b"),
        re.compile(r"\bkeep (?:me|us|you|them|him|her|everyone|everybody) posted\b"),
        re.compile(r"\bsocial (?:security|event|events|worker|workers|club|drinks)\b"),
        re.compile(rf"\b(?:ceo|founder|founders|owner|owners|boss) of {_PLATFORMS}\b"),
    ),
}
"""Words in whose company a word of the medium or of the domain means something else: a
platform's shares or its chief executive, keeping someone posted, a social event. A question
with one of them is about that other thing, and gets no answer."""
_POSTED_ELSEWHERE = {
    Language.NL: (
        re.compile(
            r"\b(?:brief|brieven|pakket|pakketje|pakketjes|postzegels?|envelop|enveloppen|"
            r"postbode|brievenbus|aangetekend)\b"
        ),
        re.compile(r"\b(?:in|op|naar) (?:het )?(?:teams|slack|intranet|sharepoint|outlook)\b"),
    ),
    Language.EN: (
        re.compile(
            r"\b(?:letters?|parcels?|stamps?|envelopes?|postman|postage|mailbox|courier|"
            r"post office|by post)\b"
        ),
        re.compile(r"\b(?:in|on|to) (?:the )?(?:ms teams|slack|intranet|sharepoint|outlook)\b"),
        re.compile(r"\bteams (?:channel|chat|meeting|call)\b"),
    ),
}
"""The post and posting in another sense: letters and parcels, a message on the intranet or in
Teams. Unless the question names a platform or social media as well ('a letter from our CEO on
LinkedIn'), it is about that other thing, and gets no answer."""

# Words people use about anything, at work too. They count for a topic alongside other words it
# knows, but a single one never makes a match: 'what time is it' is not a question about having
# no time, nor 'how many employees do we have' one about employee advocacy.
_EVERYDAY = {
    Language.NL: frozenset(
        "tijd tijden dag dagen week weken maand maanden jaar jaren vandaag morgen gisteren "
        "vanavond ochtend avond nu uur minuut mensen persoon ding dingen manier nieuw nieuwe oud "
        "groot klein mooi leuk hulp helpen nodig weten denken zien kijken vinden gebruiken geven "
        "nemen zeggen vertellen komen houden zetten werk werken laat weer niet voorbeeld "
        "belangrijk belangrijkst moeite zorgen team volgende vorige komende laag hoog weinig "
        "aanraden raden adviseren medewerker medewerkers collega collega's personeel bedrijf "
        "organisatie weekend plan plannen betaald".split()
    ),
    Language.EN: frozenset(
        "time times day days week weeks month months year years today tomorrow yesterday "
        "tonight morning evening now hour minute people person thing things way lot new old big "
        "small little nice great best help need want like know think see look find use give "
        "take tell say go going come keep put make work job again not example important team "
        "next last coming low high came went made took gave told said kept found saw thought "
        "knew recommend suggest employee employees colleague colleagues staff company "
        "organisation organization business weekend plan plans paid".split()
    ),
}

_STEMMERS = {Language.NL: "dutch", Language.EN: "english"}
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_WORD = re.compile(r"'?[^\W\d_]+(?:'[^\W\d_]+)*|\d+")
_CLITICS = frozenset({"'s", "'t", "'n"})
"""Dutch 's (des), 't (het), 'n (een): "'s ochtends", "op 't werk"."""
_SUFFIXES = frozenset({"s", "re", "ve", "ll", "d", "m"})
"""What follows an apostrophe and is not part of the word: what's, we're, LinkedIn's, foto's."""
_CONTRACTED = {
    "can't": ("can", "not"),
    "won't": ("will", "not"),
    "shan't": ("shall", "not"),
    "cant": ("can", "not"),
    "wont": ("will", "not"),
    **{
        f"{verb}nt": (verb, "not")
        for verb in "do does did is are was were have has should would could".split()
    },
}
"""English negated contractions, and the same typed without the apostrophe (dont, doesnt)."""
_LINKS = ("s", "e", "en")
"""What Dutch puts between the parts of a compound: medewerker-s-betrokkenheid."""
_PARTICLES = frozenset("op aan mee uit in af door over terug bij vol weg toe na om samen".split())
"""The particles of Dutch separable verbs: 'zakt het in' is about something that 'inzakt'."""
_PRONOMINAL = frozenset("waar er daar hier".split())
"""Dutch splits these from their preposition too: 'waar moeten we over posten' asks 'waarover'."""
_PREPOSITIONS = _PARTICLES | {"voor"}
_SYNONYMS = {
    Language.NL: dict.fromkeys(("plaatsen", "plaatst", "geplaatst", "publiceren"), "posten"),
    Language.EN: dict.fromkeys(("publish", "publishes", "published", "publishing"), "post"),
}
"""Everyday words for what the base calls by one name."""
_LONGER = {Language.NL: "langer", Language.EN: "longer"}
"""'Not any more' is 'no longer' (niet meer, niet langer): what stopped is a topic, while
anymore and meer are function words. English anymore, and Dutch meer right after a negation or
niemand, are read as longer."""
_WHEN = {Language.NL: "wanneer", Language.EN: "when"}
_TIMING = {Language.NL: "tijdstip", Language.EN: "timing"}
"""A question that opens with when and is about posting asks for the moment to post."""


def words(sentence: str) -> list[str]:
    """The words of a sentence, lower-cased, with apostrophes resolved.

    Clitics and suffixes after an apostrophe are dropped (what's -> what, kpi's -> kpi,
    foto's -> foto, 's ochtends -> ochtends) and negated contractions open up (don't -> do not).
    """
    found: list[str] = []
    for word in _WORD.findall(sentence.lower().translate(_APOSTROPHES)):
        found.extend(_resolved(word))
    return found


def _resolved(word: str) -> Iterator[str]:
    if word in _CLITICS:
        return
    word = word.lstrip("'")
    if word in _CONTRACTED:
        yield from _CONTRACTED[word]
    elif word.endswith("n't"):
        yield word[:-3]
        yield "not"
    elif "'" in word:
        head, _, tail = word.rpartition("'")
        yield head.replace("'", "") if tail in _SUFFIXES else word.replace("'", "")
    else:
        yield word


def tokens(sentence: str, language: Language) -> list[str]:
    """The informative words of a sentence, stemmed: stop words dropped, negations kept."""
    return [_stem(language, word) for word in _informative(words(sentence), language)]


@cache
def _stemmer(language: Language) -> Any:
    return snowballstemmer.stemmer(_STEMMERS[language])


_UNSTEMMED = {Language.NL: frozenset[str](), Language.EN: frozenset({"busy", "timing"})}
"""Words the stemmer would merge with an everyday word of another meaning (busy with business,
timing with time)."""


@lru_cache(maxsize=4096)
def _stem(language: Language, word: str) -> str:
    # Building an index stems the same few hundred words thousands of times.
    if word in _UNSTEMMED[language]:
        return word
    return str(_stemmer(language).stemWord(word))


def _no_longer(language: Language, previous: str, word: str) -> bool:
    if language is Language.EN:
        return word == "anymore"
    return word == "meer" and (previous in _NEGATION[language] or previous == "niemand")


def _informative(found: Iterable[str], language: Language) -> Iterator[str]:
    previous = ""
    for word in found:
        if _no_longer(language, previous, word):
            yield _LONGER[language]
        elif word not in _STOPWORDS[language]:
            yield _NEGATION[language].get(word, _PERMISSION[language].get(word, word))
        previous = word


@dataclass(frozen=True)
class Match:
    topic: Topic
    score: float


class TopicIndex:
    """Per language, a BM25 index over each topic's title, example questions and keywords.

    Everything is built here, once (the BM25 scores with the first question that needs them); a
    search stems a handful of words and scores them.
    """

    def __init__(self, base: AdviceBase) -> None:
        self._languages = {language: _Index(base.topics, language) for language in Language}

    def language_of(self, question: str, fallback: Language) -> Language:
        """The language a question is written in, or `fallback` when the evidence is weak.

        Evidence for a language is a word only it uses: a function word (hoe, the, niet, not)
        or a word of the base's vocabulary that only that language has (werving, meeting is
        none). A language must have more such words than the other; a tie, or none at all, is
        weak evidence.
        """
        found = words(question)
        evidence = {
            language: sum(
                1
                for word in found
                if word in _FUNCTION_WORDS[language]
                or (
                    self._languages[language].knows(word)
                    and not self._known_elsewhere(word, language)
                )
            )
            for language in Language
        }
        best = max(Language, key=lambda language: (evidence[language], language is fallback))
        others = max(evidence[language] for language in Language if language is not best)
        return best if evidence[best] > others else fallback

    def _known_elsewhere(self, word: str, language: Language) -> bool:
        return any(
            other is not language and (word in _FUNCTION_WORDS[other] or index.knows(word))
            for other, index in self._languages.items()
        )

    def search(self, question: str, language: Language) -> tuple[Match, ...]:
        """The best topics for a question, best first; empty when nothing matches well.

        The question is read in its own language (see `language_of`), falling back to the
        person's `language`; it is never scored with the other language's stemmer.
        """
        asked_in = self.language_of(question, language)
        return self._languages[asked_in].search(words(question))


class _Index:
    """One language's vocabulary, compound splitter and BM25 index over the topics."""

    def __init__(self, topics: tuple[Topic, ...], language: Language) -> None:
        self._language = language
        self._topics = topics
        texts = [_texts(topic, language) for topic in topics]
        found = [word for parts in texts for part in parts for word in self._words(part)]
        self._surfaces = frozenset(found)
        self._stems = frozenset(self._stem(word) for word in found)
        self._everyday = frozenset(self._stem(word) for word in _EVERYDAY[language])
        self._forms = self._stems | self._everyday
        self._subject = frozenset(self._stem(word) for word in _SUBJECT)
        self._medium = self._subject | frozenset(self._stem(word) for word in _POSTING)
        self._posting = frozenset(self._stem(word) for word in _POSTING)
        self._domain = frozenset(self._stem(word) for word in _DOMAIN[language])
        documents = [
            [term for part in parts for word in self._words(part) for term in self.terms(word)]
            for parts in texts
        ]
        self._documents = documents
        self._vocabularies = [frozenset(document) for document in documents]
        self._terms = frozenset().union(*self._vocabularies)
        self._ubiquitous = frozenset(
            term
            for term in self._stems
            if sum(term in vocabulary for vocabulary in self._vocabularies)
            > UBIQUITOUS * len(topics)
        )
        self._negation = frozenset(self._stem(word) for word in _NEGATION[language].values())

    @cached_property
    def _bm25(self) -> Any:
        # Built on the first question that gets this far, not with the index: rank_bm25 imports
        # numpy, ~12 MB and ~40 ms that an idle `advisor serve` (or `advisor org`) never uses.
        from rank_bm25 import BM25Okapi

        return BM25Okapi(self._documents)

    def _words(self, sentence: str) -> Iterator[str]:
        return _informative(words(sentence), self._language)

    def _stem(self, word: str) -> str:
        return _stem(self._language, word)

    def knows(self, word: str) -> bool:
        """Whether a word, or each part of it as a compound, is in this language's topics."""
        return (
            word in self._surfaces
            or self._known_stem(word) in self._stems
            or len(self._parts(word)) > 1
        )

    def terms(self, word: str) -> tuple[str, ...]:
        """A word's stem, plus its parts' stems when it is a compound of known words. A part
        known only as an everyday word adds nothing (maandverslag is about a verslag): it
        names no topic, and the base's own compounds would otherwise make it one's term."""
        parts = self._parts(word)
        compound = parts if len(parts) > 1 else ()
        stems = (
            self._known_stem(word),
            *(self._known_stem(part) for part in compound if self._in_the_texts(part)),
        )
        return tuple(stem for stem in stems if stem not in self._subject)

    def _known_stem(self, word: str) -> str:
        """The stem, or the stem without a plural s the stemmer leaves on a loan word (Dutch
        posts, likes, tools), or in Dutch without the t of the present tense the stemmer leaves
        on a verb (vindt, komt, werkt)."""
        stem = self._stem(word)
        if stem in self._forms:
            return stem
        endings = "st" if self._language is Language.NL else "s"
        if word[-1:] in endings:
            shorter = self._stem(word[:-1])
            if shorter in self._forms:
                return shorter
        return stem

    def _parts(self, word: str) -> tuple[str, ...]:
        """The fewest known parts a word splits into, with linking letters between them;
        contentkalender -> content, kalender; medewerkersbetrokkenheid -> medewerker,
        betrokkenheid. A word that does not split has itself as its one part."""
        if not 2 * MIN_PART <= len(word) <= MAX_COMPOUND:
            return (word,)
        best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
        best[0] = ()
        for start in range(len(word)):
            so_far = best[start]
            if so_far is None:
                continue
            for end in range(start + 3, len(word) + 1 - (start == 0)):
                part = word[start:end]
                if self._is_part(part):
                    _keep_fewer(best, end, (*so_far, part))
                    for link in _LINKS:
                        if word.startswith(link, end):
                            _keep_fewer(best, end + len(link), (*so_far, part))
        split = best[len(word)]
        return split if split else (word,)

    def _is_part(self, part: str) -> bool:
        """A word of the topics' texts, or an everyday word: a compound's first part is often
        one (maandverslag, bedrijfsberichten), and it is known what it means."""
        return self._in_the_texts(part) or part in _EVERYDAY[self._language]

    def _in_the_texts(self, part: str) -> bool:
        return part in self._surfaces or (len(part) >= MIN_PART and part in self._stems)

    def search(self, found: list[str]) -> tuple[Match, ...]:
        asked = list(self._units(found))
        evidence = [frozenset(terms) - self._ubiquitous for terms in asked]
        evidence = [terms for terms in evidence if terms]
        about_the_domain = self._about_the_domain(found)
        content = self._content(evidence)
        if self._in_another_sense(found):
            return ()
        if about_the_domain:
            if not self._says_more_than_the_medium(evidence, self._posts(found)):
                return ()
        elif not self._in_the_base(content):
            return ()
        scores = self._bm25.get_scores([term for terms in asked for term in terms])
        ranked = sorted(
            (
                Match(topic, float(score))
                for topic, vocabulary, score in zip(
                    self._topics, self._vocabularies, scores, strict=True
                )
                if score >= MIN_SCORE
                and self._speaks_to(vocabulary, evidence, content, about_the_domain)
            ),
            key=lambda match: match.score,
            reverse=True,
        )
        if not ranked:
            return ()
        top = ranked[0].score
        return tuple(match for match in ranked[:2] if match.score >= RUNNER_UP * top)

    def _units(self, found: list[str]) -> Iterator[tuple[str, ...]]:
        """The terms of each informative word: synonyms replaced and, in Dutch, a separable
        verb also read joined to its particle when the base knows it so (zakt ... in is also
        inzakt, levert ... op also oplevert)."""
        dutch = self._language is Language.NL
        particles = sorted(_PARTICLES & set(found)) if dutch else []
        for word in _informative(found, self._language):
            word = _SYNONYMS[self._language].get(word, word)
            joined = [p + word for p in particles if self.knows(p + word)]
            yield tuple(term for form in (word, *joined) for term in self.terms(form))
        if found[:1] == [_WHEN[self._language]] and self._posts(found):
            yield self.terms(_TIMING[self._language])
        if dutch:
            for adverb in sorted(_PRONOMINAL & set(found)):
                for preposition in sorted(_PREPOSITIONS & set(found)):
                    if adverb + preposition not in found and self.knows(adverb + preposition):
                        yield self.terms(adverb + preposition)

    def _posts(self, found: list[str]) -> bool:
        return any(self._stem(word) in self._posting for word in found)

    def _about_the_domain(self, found: list[str]) -> bool:
        """Whether a question carries evidence of the domain: it names the medium (social,
        LinkedIn, a post) or uses a word only the domain uses (followers, hashtag), and no
        word says that it means something else by it (see `_in_another_sense`)."""
        return any(
            self._stem(word) in self._medium
            or any(self._known_stem(part) in self._domain for part in self._parts(word))
            for word in found
        )

    def _in_another_sense(self, found: list[str]) -> bool:
        """Whether a question uses a word of the domain in another sense: a platform's share
        price, keep me posted, a letter in the post (see `_OTHER_SENSES`, `_POSTED_ELSEWHERE`)."""
        sentence = " ".join(found)
        if any(sense.search(sentence) for sense in _OTHER_SENSES[self._language]):
            return True
        names_a_platform = any(self._stem(word) in self._subject for word in found)
        return not names_a_platform and any(
            sense.search(sentence) for sense in _POSTED_ELSEWHERE[self._language]
        )

    def _says_more_than_the_medium(self, evidence: list[frozenset[str]], posts: bool) -> bool:
        """Whether a question about the domain says what about it: a word the base knows that is
        not an everyday word, or two everyday ones (posting counting as one). 'We have no time
        to post' and 'get people to like our posts' do; 'can I watch YouTube at work' does
        not."""
        known = [terms & self._terms - self._medium - self._negation for terms in evidence]
        known = [terms for terms in known if terms]
        if any(terms - self._everyday for terms in known):
            return True
        return len(known) + posts > 1

    def _in_the_base(self, content: list[frozenset[str]]) -> bool:
        """Whether a question without evidence of the domain is in the base's words at all.

        At least MIN_COVERAGE of its informative words must be in some topic's vocabulary, and
        when only one is, the others must be known too: one word is too little to outweigh a
        word the base has never seen ('share my screen'). Everyday words count neither way; a
        question of nothing else is left to the topics (see `_strength`).
        """
        known = [terms for terms in content if terms & self._terms]
        if len(known) < MIN_COVERAGE * len(content):
            return False
        return len(known) > 1 or len(known) == len(content)

    def _content(self, evidence: list[frozenset[str]]) -> list[frozenset[str]]:
        """The words that say what a question is about: not everyday words, nor posting, which
        every topic is about."""
        plain = self._everyday | self._medium
        return [terms - plain for terms in evidence if terms - plain]

    def _speaks_to(
        self,
        vocabulary: frozenset[str],
        evidence: list[frozenset[str]],
        content: list[frozenset[str]],
        about_the_domain: bool,
    ) -> bool:
        """Whether a topic knows the question's words.

        It must know at least MIN_COVERAGE of the question's content words (those `search`
        counts), so that words the base knows from different topics do not add up to one
        ('where do I start my expense report'). In a question about the domain any word it
        knows is then enough, everyday words too: they are weak evidence only because questions
        about anything else use them, and this one is not about anything else ('nobody has time
        for our linkedin'). In any other question it must know a word that is not an everyday
        word, or two everyday ones in a question that negates ('no time'; 'what time is it' is
        not about having no time, nor 'how many colleagues work here' about anything the base
        covers). Posting alone says no more than the medium's name which topic a question is
        about."""
        hits = [terms & vocabulary - self._medium for terms in evidence]
        hits = [terms for terms in hits if terms]
        if about_the_domain:
            return any(terms - self._negation for terms in hits)
        covered = [terms for terms in content if terms & vocabulary]
        if len(covered) < MIN_COVERAGE * len(content):
            return False
        if any(terms - self._everyday for terms in hits):
            return True
        return len(hits) > 1 and any(self._negation & terms for terms in hits)


def _keep_fewer(best: list[tuple[str, ...] | None], at: int, parts: tuple[str, ...]) -> None:
    if at < len(best):
        known = best[at]
        if known is None or len(parts) < len(known):
            best[at] = parts


def _texts(topic: Topic, language: Language) -> list[str]:
    lang = language.value
    # Keywords count twice: they are what distinguishes one topic from its neighbours.
    keywords = [*getattr(topic.keywords, lang)]
    return [getattr(topic.title, lang), *getattr(topic.questions, lang), *keywords, *keywords]
