"""No plain text puts a number before a plural noun or verb: that is what `Counted` is for.

A plain `Text` has one form, so "{missing} more are needed" reads "1 more are needed" as soon as
one person is missing. This guard reads every text the product says (the dialogs' phrases and
the bot's) and fails on a number placeholder next to a word that agrees with it, unless the
text is a `Counted` whose own number is the one in question.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import ModuleType

import pytest

import bot.console.chat
import bot.demo
import bot.report.phrases
import bot.teams.phrases
import dialogs.phrases
from dialogs.records import MINIMUM_THRESHOLD
from engine.text import Counted, Text, counted, text

MODULES = (dialogs.phrases, bot.report.phrases, bot.teams.phrases, bot.demo, bot.console.chat)

PLURALS = frozenset(
    {
        # Dutch nouns that have a singular ("keer" has none: "1 keer, 2 keer")
        *("mensen", "personen", "deelnemers", "respondenten", "uitgenodigden", "medewerkers"),
        *("dagen", "weken", "maanden", "jaren", "uren", "minuten", "periodes", "perioden"),
        *("taken", "stappen", "vragen", "antwoorden", "berichten", "herinneringen"),
        *("uitnodigingen", "scans", "rollen", "keren"),
        # English nouns
        *("people", "persons", "participants", "respondents", "invitees", "employees"),
        *("days", "weeks", "months", "years", "hours", "minutes", "periods", "times"),
        *("tasks", "steps", "questions", "answers", "posts", "reminders", "invitations"),
        *("roles",),
    }
)
PLURAL_VERBS = frozenset({"zijn", "hebben", "waren", "are", "have", "were"})
"""A plural verb agrees with the number after it too: "er zijn er nog {n} nodig"."""
FILLERS = frozenset({"er", "nog", "maar", "there", "still", "only"})
"""Words that may stand between such a verb and its number ("zijn er nog", "are still")."""

NOT_NUMBERS = frozenset(
    {
        *("areas", "cadence", "chart", "date", "deadline", "dimension", "dimensions", "due"),
        *("end", "first", "label", "language", "month", "name", "organisation", "owner"),
        *("period", "phase", "question", "reference", "start", "target", "team", "title"),
        *("until", "week", "when", "rate", "percent", "recent", "longer", "management"),
        *("employees", "weakest", "progress"),
    }
)
"""Placeholders that hold words (a name, a date, a share written out), never a bare number."""

NEVER_ONE = frozenset({"threshold"})
"""The anonymity threshold is at least MINIMUM_THRESHOLD, so always plural."""

COMPOSED = {
    "dialogs.phrases.STATUS_COUNTS": frozenset({"invited"}),
    "dialogs.phrases.ADOPTED": frozenset({"steps", "tasks"}),
    "bot.demo.INTRO": frozenset({"before", "after"}),
}
"""Placeholders that hold a Counted's own text ("8 people invited"), agreeing in itself."""

PENDING: dict[str, str] = {}
"""Texts whose callers are being rewritten elsewhere; each must still fail this guard (strict
xfail), so an entry goes as soon as its text is a Counted."""

_TOKEN = re.compile(r"\{(?P<slot>\w+)\}|(?P<digits>\d+)|(?P<word>[^\W\d_][\w'’-]*)|\S")
_WINDOW = 3


def disagreements(
    form: str, *, counted_n: bool = False, words: frozenset[str] = frozenset()
) -> list[str]:
    """Each number in `form` with a plural word next to it; `{n}` is exempt where `counted_n`
    (the plural form of a Counted) and the names in `words` hold text, not numbers."""
    tokens = [(m.lastgroup, m.group(m.lastgroup or 0)) for m in _TOKEN.finditer(form)]
    found = []
    for at, (kind, value) in enumerate(tokens):
        is_number = (kind == "slot" and _a_number(value, counted_n, words)) or (
            kind == "digits" and value == "1"
        )
        if not is_number:
            continue
        after = _words(tokens[at + 1 :])
        if (PLURALS | PLURAL_VERBS) & after or _verb_before(tokens[:at]) in PLURAL_VERBS:
            found.append(value)
    return found


def _a_number(slot: str, counted_n: bool, words: frozenset[str]) -> bool:
    exempt = NOT_NUMBERS | NEVER_ONE | words | ({"n"} if counted_n else set())
    return slot not in exempt


def _words(tokens: list[tuple[str | None, str]]) -> set[str]:
    """The next few words, up to a punctuation mark or another placeholder."""
    near: set[str] = set()
    for kind, value in tokens[:_WINDOW]:
        if kind != "word":
            break
        near.add(value.casefold())
    return near


def _verb_before(tokens: list[tuple[str | None, str]]) -> str:
    """The word before a number, past any fillers ("er zijn er nog {n}": "zijn")."""
    for kind, value in reversed(tokens):
        if kind != "word":
            return ""
        if value.casefold() not in FILLERS:
            return value.casefold()
    return ""


def _faults(value: Text | Counted, words: frozenset[str]) -> list[str]:
    if isinstance(value, Text):
        return [slot for form in (value.nl, value.en) for slot in disagreements(form, words=words)]
    one = [disagreements(form, words=words) for form in (value.one.nl, value.one.en)]
    other = [
        disagreements(form, counted_n=True, words=words)
        for form in (value.other.nl, value.other.en)
    ]
    return [slot for faults in (*one, *other) for slot in faults]


def _texts(module: ModuleType) -> Iterator[tuple[str, Text | Counted]]:
    for name, value in vars(module).items():
        if isinstance(value, Text | Counted):
            yield f"{module.__name__}.{name}", value
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, Text):
                    yield f"{module.__name__}.{name}[{index}]", item


def _cases() -> Iterator[object]:
    for module in MODULES:
        for name, value in _texts(module):
            marks = (
                [pytest.mark.xfail(strict=True, reason=PENDING[name])] if name in PENDING else []
            )
            yield pytest.param(name, value, marks=marks, id=name)


@pytest.mark.parametrize(("name", "value"), list(_cases()))
def test_no_text_puts_a_number_before_a_word_that_must_agree_with_it(
    name: str, value: Text | Counted
) -> None:
    assert _faults(value, COMPOSED.get(name, frozenset())) == [], f"{name}: use a Counted"


def test_every_pending_text_still_exists() -> None:
    names = {name for module in MODULES for name, _ in _texts(module)}
    assert set(PENDING) <= names, "remove the entries of texts that are gone from PENDING"


def test_the_threshold_is_never_one() -> None:
    assert MINIMUM_THRESHOLD > 1


@pytest.mark.parametrize(
    "old",
    [
        text(
            "Het resultaat van de organisatie verschijnt zodra {threshold} mensen de scan hebben "
            "ingevuld; er zijn er nog {missing} nodig. Zo blijft niemand herleidbaar.",
            "The organisation's result appears once {threshold} people have completed the scan; "
            "{missing} more are needed. That way no one can be singled out.",
        ),
        text("nog {missing} nodig, want er zijn er nog {missing}", "{missing} more are needed"),
        text("{done} van de {invited} uitgenodigden", "{done} of the {invited} people invited"),
        text("gestart voor {count} mensen", "launched for {count} people"),
        text("{steps} eenmalige stappen", "{steps} one-off steps"),
        text("{missed} taken op rij niet gedaan", "was missed {missed} times in a row"),
        text("Er zijn nog 1 antwoorden nodig", "1 more answers are needed"),
    ],
)
def test_the_guard_catches_a_number_that_meets_a_plural_in_either_language(old: Text) -> None:
    assert disagreements(old.nl)
    assert disagreements(old.en)


def test_the_guard_catches_a_plural_in_the_singular_form_of_a_counted() -> None:
    wrong = counted(nl=("nog {n} nodig", "nog {n} nodig"), en=("{n} more are needed", "{n} more"))

    assert _faults(wrong, frozenset()) == ["n"]


@pytest.mark.parametrize(
    "fine",
    [
        "Vraag {current} van {total}",
        "n={n}, agreement {agreement}%, don't know {dont_know}%",
        "Over {areas} zijn de antwoorden sterk verdeeld.",
        "Done on time: {recent} (4 weeks), {longer} (12 weeks).",
        "Er is nog 1 antwoord nodig.",
        "Type one number from 1 to {last}; nothing was saved.",
        "en die zijn er op {n} dimensie.",
    ],
)
def test_the_guard_leaves_numbers_that_need_no_agreement_alone(fine: str) -> None:
    assert disagreements(fine) == []
