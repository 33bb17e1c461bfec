"""The figures the project team logs per period, checked, and the rates derived from them.

Business rules:
- Counts are whole numbers from 0 up to a billion; a period runs from its first to its last day.
- Engagement rate = engagements / reach x 100 (reach is the number of people who saw the
  posts; engagements are reactions, comments, shares and clicks together). No reach, no rate.
- Advocacy participation = employees who shared / employees invited to share x 100; more
  sharers than invitees is refused.
- Leads and hires are asked from phase 5 (Performance-driven), where posts are traced to goals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from engine.text import Text, text
from engine.vocabulary import Phase

MAXIMUM = 1_000_000_000


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


def parse_count(metric: Metric, typed: str) -> int:
    """A typed figure: digits, with spaces, dots or commas as thousands separators allowed."""
    cleaned = typed.strip().replace(" ", "").replace(".", "").replace(",", "").replace("_", "")
    if not cleaned.isdigit() or int(cleaned) > MAXIMUM:
        raise KpiError(metric, NOT_A_COUNT)
    return int(cleaned)


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
