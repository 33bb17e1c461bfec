"""The application's records: organisations and scans, as the ports hand them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dialogs.delivery import Undeliverable
from engine.nudges import ESCALATE_AFTER, NudgeKind
from engine.recurrence import LocalTime
from engine.respect import Respect
from engine.text import Text
from engine.vocabulary import Language, TaskKind

DEFAULT_ZONE = "Europe/Amsterdam"
DEFAULT_CALENDAR = Respect(country="NL")
"""Office hours on weekdays without the Netherlands' public holidays, as the default zone is
Amsterdam's: an organisation that never set its calendar gets no nudge on Christmas Day."""

DEFAULT_THRESHOLD = 5
MINIMUM_THRESHOLD = 3
"""No group smaller than this is ever shown, whatever an organisation configures."""
MAXIMUM_THRESHOLD = 25
"""Above this a threshold hides the result from most teams for good, and every group by role
with it: a typo, not a policy (docs/scoring.md, Privacy)."""


@dataclass(frozen=True)
class OrgSettings:
    anonymity_threshold: int = DEFAULT_THRESHOLD
    tolerance: int = 1
    """How many dimensions may sit one phase below the overall phase."""
    language: Language = Language.NL
    time_zone: str = DEFAULT_ZONE
    """Where the weekly digest's Monday 09:00 is, and anyone's zone until their own is known."""
    manager: str | None = None
    """The project manager (a respondent id) who gets the digest and escalations."""
    escalate_after: int = ESCALATE_AFTER
    respect: Respect = DEFAULT_CALENDAR
    report_channel: str | None = None
    """Where the monthly report goes beside the manager: a place address (``slack:#C0123``)."""

    def __post_init__(self) -> None:
        if not threshold_allowed(self.anonymity_threshold):
            raise ValueError(
                f"the anonymity threshold is between {MINIMUM_THRESHOLD} and {MAXIMUM_THRESHOLD}"
            )
        if not 0 <= self.tolerance <= 2:
            raise ValueError("the tolerance is 0, 1 or 2 dimensions")
        if not zone_known(self.time_zone):
            raise ValueError(f"unknown time zone {self.time_zone!r}")
        if self.escalate_after < 1:
            raise ValueError("escalate after at least one missed occurrence")
        if self.report_channel is not None and place_of(self.report_channel) is None:
            raise ValueError(f"not a channel's address: {self.report_channel!r}")


def zone_known(zone: str) -> bool:
    """Whether `zone` names a time zone of the tz database (``Europe/Amsterdam``)."""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def threshold_allowed(threshold: int) -> bool:
    """Whether an organisation may set this anonymity threshold."""
    return MINIMUM_THRESHOLD <= threshold <= MAXIMUM_THRESHOLD


PLACE_MARK = "#"
"""Marks a recipient that is a place (a channel) rather than a person: ``slack:#C0123``."""


def place(channel: str, conversation: str) -> str:
    """The recipient address of a conversation in a channel (Slack's ``C0123``)."""
    return f"{channel}:{PLACE_MARK}{conversation}"


def place_of(recipient: str) -> str | None:
    """The conversation a place address names, or None for a person."""
    _, _, rest = recipient.partition(":")
    if rest.startswith(PLACE_MARK) and len(rest) > len(PLACE_MARK):
        return rest[len(PLACE_MARK) :]
    return None


@dataclass(frozen=True)
class Organisation:
    id: int
    key: str
    """A stable external key, e.g. ``console:acme`` or ``slack:T0123``."""
    name: str
    settings: OrgSettings


@dataclass(frozen=True)
class Scan:
    id: int
    org_id: int
    number: int
    """1 for the baseline (nulmeting), then 2, 3, ... per organisation."""
    bank_version: int
    opened_at: datetime
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_baseline(self) -> bool:
        return self.number == 1


@dataclass(frozen=True)
class Participation:
    """Whether a respondent finished; never what they answered."""

    respondent: str
    completed_at: datetime | None


@dataclass(frozen=True)
class Launch:
    """How a scan was launched: by whom, until when, and where its result goes."""

    scan_id: int
    launched_by: str
    deadline: datetime | None = None
    report_to: str | None = None
    """A channel address of the launching chat, e.g. a Slack channel id."""


@dataclass(frozen=True)
class Invitee:
    respondent: str
    time_zone: str | None = None
    remind_at: datetime | None = None


@dataclass(frozen=True)
class ScanReminder:
    """A reminder to plan: someone invited to a launched scan who has not finished it."""

    org_id: int
    scan_id: int
    respondent: str
    time_zone: str | None
    remind_at: datetime
    deadline: datetime | None


@dataclass(frozen=True)
class Invitation:
    """One person's invitation; says nothing of what they answered."""

    respondent: str
    remind_at: datetime | None
    invited_at: datetime | None
    reminded_at: datetime | None
    failure: Undeliverable | None
    completed: bool


@dataclass(frozen=True)
class Person:
    """What the advisor knows of someone in order to nudge them well."""

    respondent: str
    zone: str | None = None
    paused_until: date | None = None
    """The last day they are away."""
    unreachable: Undeliverable | None = None
    """Set when a channel refused them for good; cleared when they next write to the advisor."""


@dataclass(frozen=True)
class Nudge:
    """One row of the outbox."""

    id: int
    org_id: int
    recipient: str
    kind: NudgeKind
    occurrence: str
    deliver_at: LocalTime
    stale_at: LocalTime
    task_id: int | None
    status: str
    outcome: str | None = None
    attempts: int = 0
    """Claims so far: more than one means a worker may have sent it before it crashed."""


@dataclass(frozen=True)
class NewTask:
    """A task to adopt from the plan: `Task` before storage gives it an id."""

    key: str
    kind: TaskKind
    title: Text
    owner: str
    rule: str | None
    start: datetime
    zone: str
