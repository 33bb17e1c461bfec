"""The audit trail, an organisation's leaving and retention: the ports and what they return.

Business rules:
- The audit trail records what a project manager or an operator did, who and when, and never
  an answer: a detail holds names of things (a setting, a format) and numbers only.
- An organisation whose app was removed is erased after a grace period unless it is installed
  again; erasing it leaves no row of it in any table.
- Retention anonymises the answer sheets of scans closed long enough ago (their aggregates stay
  true) and forgets records kept only to run the service; it never touches an open scan, and
  running it twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

ACTIONS = (
    "launch",
    "close",
    "settings",
    "threshold",
    "zone",
    "calendar",
    "export",
    "erasure",
    "reassign",
    "leaving",
    "retention",
)
"""The actions the audit trail records."""


@dataclass(frozen=True)
class AuditEntry:
    """One thing done: when, by whom (None: the advisor itself), what, and about what."""

    at: datetime
    actor: str | None
    action: str
    detail: Mapping[str, str | int]


@dataclass(frozen=True)
class Purged:
    """What one retention run removed or anonymised, by kind of record."""

    sheets: int = 0
    """Answer sheets whose respondent was replaced by an unlinkable token."""
    invitations: int = 0
    nudges: int = 0
    """Nudges delivered, dropped or failed long enough ago, and terminal messages read then."""
    seen_events: int = 0
    oauth_states: int = 0

    @property
    def total(self) -> int:
        return self.sheets + self.invitations + self.nudges + self.seen_events + self.oauth_states


class AuditLog(Protocol):
    async def record(
        self,
        org_id: int,
        actor: str | None,
        action: str,
        detail: Mapping[str, str | int],
        *,
        now: datetime,
    ) -> None:
        """Record that `actor` did `action` at `now`; `detail` never holds an answer.

        Raises:
            ValueError: `action` is not one of `ACTIONS`.
        """
        ...

    async def entries(self, org_id: int, *, limit: int = 200) -> list[AuditEntry]:
        """The organisation's latest `limit` entries, oldest first."""
        ...


class Leaving(Protocol):
    async def mark(self, org_id: int, *, now: datetime, reason: str = "removed") -> None:
        """The app was removed from the organisation's chat: it leaves, unless it returns.

        Marking again keeps the first moment, so the grace period is not extended. A new mark
        is recorded in the audit trail (``leaving``, with `reason`: the event that said so).
        """
        ...

    async def stay(self, org_id: int, *, now: datetime | None = None) -> None:
        """The app was installed again: the organisation is no longer leaving.

        With `now`, a cancelled leave is recorded in the audit trail.
        """
        ...

    async def due(self, *, before: datetime) -> list[int]:
        """The organisations that started leaving before `before`, to be erased."""
        ...

    async def forget_organisation(self, org_id: int) -> None:
        """Erase every row of the organisation, in every table; nothing if it is unknown."""
        ...


class Retention(Protocol):
    async def purge(
        self,
        *,
        now: datetime,
        sheets_closed_before: datetime,
        nudges_before: datetime,
        seen_before: datetime,
        states_before: datetime,
    ) -> Purged:
        """Anonymise and forget what is kept longer than needed; idempotent.

        Args:
            now: the current time.
            sheets_closed_before: answer sheets of scans closed before this lose their
                respondent, and those scans their invitations.
            nudges_before: nudges finished before this are forgotten.
            seen_before: delivery records seen before this are forgotten.
            states_before: OAuth states that expired before this are forgotten.
        """
        ...
