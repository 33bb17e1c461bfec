"""The figures the project team logs per period, checked, and the rates derived from them.

Business rules:
- Counts are whole numbers from 0 up to a billion; a period runs from its first to its last day.
- Engagement rate = engagements / reach x 100 (reach is the number of people who saw the
  posts; engagements are reactions, comments, shares and clicks together). No reach, no rate.
- Advocacy participation = employees who shared / employees invited to share x 100; more
  sharers than invitees is refused.
- Leads and hires are asked from phase 5 (Performance-driven), where posts are traced to goals.
- A figure is read as the person writes numbers in their language (Babel's rule for the
  locale): in Dutch a point groups thousands and a comma starts decimals ("1.234" is one
  thousand two hundred thirty-four, "3,5" three and a half); in English the other way round
  ("1,234", "3.5"). Spaces and underscores may group thousands in both. Only the digits 0-9
  count: "10²", "∞", "1e999", "NaN" and words are no figure. A count has no decimals at all,
  so "3,5" in Dutch or "4.000" in English is refused as not whole rather than guessed at;
  negative counts and counts above a billion are refused too. Each refusal names the figure.
- Figures that can be typed but are hardly ever true are doubted, not refused: more
  engagements than reach (an engagement rate above 100%), more link clicks than engagements
  (clicks are part of them). The person confirms them before they are saved.
- A week is named the ISO way, "2026-W47" (a space, or a lowercase w, is fine too).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from engine.text import Text, text
from engine.vocabulary import Language, Phase

MAXIMUM = 1_000_000_000
MAX_TYPED = 40
"""Longer than any figure anyone types; a longer value is never read as a number."""
SHOWN_TYPED = 20
"""How much of a refused value a message repeats."""


class Metric(StrEnum):
    POSTS = "posts"
    REACH = "reach"
    ENGAGEMENTS = "engagements"
    LINK_CLICKS = "link_clicks"
    SHARERS = "sharers"
    INVITED = "invited"
    LEADS = "leads"
    HIRES = "hires"

    @property
    def label(self) -> Text:
        return _LABELS[self]

    @property
    def from_phase(self) -> Phase:
        return Phase.PERFORMANCE_DRIVEN if self in (Metric.LEADS, Metric.HIRES) else Phase.AD_HOC


_LABELS = {
    Metric.POSTS: text("Gepubliceerde berichten", "Posts published"),
    Metric.REACH: text(
        "Bereik (mensen die de berichten zagen)", "Reach (people who saw the posts)"
    ),
    Metric.ENGAGEMENTS: text(
        "Interacties (reacties, likes, shares, klikken)",
        "Engagements (comments, reactions, shares, clicks)",
    ),
    Metric.LINK_CLICKS: text("Klikken op links", "Link clicks"),
    Metric.SHARERS: text("Medewerkers die deelden", "Employees who shared"),
    Metric.INVITED: text("Medewerkers uitgenodigd om te delen", "Employees invited to share"),
    Metric.LEADS: text("Leads uit social media", "Leads from social media"),
    Metric.HIRES: text("Aannames via social media", "Hires through social media"),
}


class KpiError(ValueError):
    """A figure that cannot be right; `field` names it, `phrase` says why in both languages."""

    def __init__(self, field: Metric | None, phrase: Text) -> None:
        super().__init__(phrase.en)
        self.field = field
        self.phrase = phrase


NOT_A_COUNT = text(
    "Vul een heel getal in van 0 tot een miljard.", "Enter a whole number from 0 to a billion."
)
MORE_SHARERS_THAN_INVITED = text(
    "Er kunnen niet meer mensen gedeeld hebben dan er uitgenodigd zijn.",
    "More people cannot have shared than were invited.",
)
NOT_A_NUMBER = text(
    "{label}: '{typed}' kan ik niet als getal lezen. Typ alleen cijfers, bijvoorbeeld 1.250.",
    "{label}: I can't read '{typed}' as a number. Type digits only, for example 1,250.",
)
NOT_WHOLE = text(
    "{label}: {typed} is geen heel getal. Tel in hele aantallen; een punt scheidt duizendtallen "
    "(1.250), een komma begint decimalen.",
    "{label}: {typed} is not a whole number. Counts are whole; a comma separates thousands "
    "(1,250), a point starts decimals.",
)
NEGATIVE = text("{label} kan niet negatief zijn.", "{label} cannot be negative.")
TOO_LARGE = text(
    "{label}: {typed} is meer dan een miljard; dat kan niet kloppen.",
    "{label}: {typed} is more than a billion; that cannot be right.",
)
MORE_ENGAGEMENTS_THAN_REACH = text(
    "Er zijn meer interacties ({part}) dan bereik ({whole}): een engagement rate boven 100%.",
    "Engagements ({part}) are higher than reach ({whole}): an engagement rate above 100%.",
)
MORE_CLICKS_THAN_ENGAGEMENTS = text(
    "Er zijn meer klikken op links ({part}) dan interacties ({whole}), terwijl klikken bij de "
    "interacties horen.",
    "Link clicks ({part}) are higher than engagements ({whole}), though clicks are part of "
    "engagements.",
)
BAD_PERIOD = text(
    "Een periode begint op of voor de dag waarop ze eindigt.",
    "A period starts on or before the day it ends.",
)


@dataclass(frozen=True)
class KpiEntry:
    """One period's figures; metrics not asked (or not known) are absent."""

    start: date
    end: date
    values: Mapping[Metric, int]

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise KpiError(None, BAD_PERIOD)
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))

    @property
    def engagement_rate(self) -> float | None:
        return _percentage(self.values.get(Metric.ENGAGEMENTS), self.values.get(Metric.REACH))

    @property
    def advocacy_participation(self) -> float | None:
        return _percentage(self.values.get(Metric.SHARERS), self.values.get(Metric.INVITED))


def metrics_for(phase: Phase) -> tuple[Metric, ...]:
    """What the project team is asked to log in this phase, in the order asked."""
    return tuple(metric for metric in Metric if metric.from_phase <= phase)


def parse_count(metric: Metric, typed: str, language: Language) -> int:
    """A typed figure, read as `language` writes numbers (see the module's rules).

    Raises:
        KpiError: no count, naming `metric` and what was typed, in both languages.
    """
    cleaned = _GROUPING.sub("", typed.strip())
    if len(cleaned) > MAX_TYPED or not _DIGITS.fullmatch(cleaned):
        raise _refusal(metric, NOT_A_NUMBER, typed)
    try:
        number = parse_decimal(cleaned.replace("−", "-"), locale=language.value, strict=True)
    except NumberFormatError as error:
        raise _refusal(metric, NOT_A_NUMBER, typed) from error
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < 0:  # any decimals typed, even "4,0"
        raise _refusal(metric, NOT_WHOLE, typed)
    if number < 0:
        raise _refusal(metric, NEGATIVE, typed)
    if number > MAXIMUM:
        raise _refusal(metric, TOO_LARGE, typed)
    return int(number)


_GROUPING = re.compile(r"[\s_]+")
"""Spaces (any kind, such as the no-break space) and underscores between digit groups."""
_DIGITS = re.compile(r"[-−]?[0-9][0-9.,]*")
"""ASCII digits with the locale's separators, perhaps after a minus sign: nothing else."""


def _refusal(metric: Metric, why: Text, typed: str) -> KpiError:
    shown = typed.strip()
    shown = shown if len(shown) <= SHOWN_TYPED else f"{shown[:SHOWN_TYPED]}…"
    said = {
        language.value: why(language).format(label=metric.label(language), typed=shown)
        for language in Language
    }
    return KpiError(metric, Text(**said))


@dataclass(frozen=True)
class Doubt:
    """Figures that can be typed but are hardly ever true; `field` is the one to check."""

    field: Metric
    phrase: Text


def doubts(checked: KpiEntry) -> tuple[Doubt, ...]:
    """What in a checked entry the person should confirm before it is saved."""
    values, found = checked.values, []
    for part, whole, why in _DOUBTED:
        if part in values and whole in values and values[part] > values[whole]:
            said = {
                language.value: why(language).format(
                    part=format_decimal(values[part], locale=language.value),
                    whole=format_decimal(values[whole], locale=language.value),
                )
                for language in Language
            }
            found.append(Doubt(part, Text(**said)))
    return tuple(found)


_DOUBTED = (
    (Metric.ENGAGEMENTS, Metric.REACH, MORE_ENGAGEMENTS_THAN_REACH),
    (Metric.LINK_CLICKS, Metric.ENGAGEMENTS, MORE_CLICKS_THAN_ENGAGEMENTS),
)
"""(part, whole, why): a part larger than its whole is doubted."""


def parse_week(typed: str) -> date | None:
    """The Monday of an ISO week typed as "2026-W47" ("2026 W47", "2026w47"); None if it is
    no week (week 53 exists only in some years)."""
    found = _WEEK.fullmatch(typed.strip())
    if found is None:
        return None
    try:
        return date.fromisocalendar(int(found["year"]), int(found["week"]), 1)
    except ValueError:
        return None


def week_name(day: date) -> str:
    """The ISO week `day` falls in, as "2026-W47"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_of(monday: date) -> tuple[date, date]:
    """The first and last day of the week starting on `monday`."""
    return monday, monday + timedelta(days=6)


_WEEK = re.compile(r"(?P<year>[0-9]{4})\s*-?\s*[wW]\s*(?P<week>[0-9]{1,2})")


def entry(start: date, end: date, values: Mapping[Metric, int]) -> KpiEntry:
    """A checked entry: every count in range, no more sharers than invitees."""
    for metric, value in values.items():
        if not 0 <= value <= MAXIMUM:
            raise KpiError(metric, NOT_A_COUNT)
    sharers, invited = values.get(Metric.SHARERS), values.get(Metric.INVITED)
    if sharers is not None and invited is not None and sharers > invited:
        raise KpiError(Metric.SHARERS, MORE_SHARERS_THAN_INVITED)
    return KpiEntry(start, end, values)


def _percentage(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return 100 * part / whole
