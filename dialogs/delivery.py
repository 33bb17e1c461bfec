"""Why a message could not be delivered, in words a project manager can act on.

Each chat adapter sorts its platform's error codes into these kinds; the dialogs never see a
platform's codes. Every kind but UNAVAILABLE is permanent: the message is not tried again until
someone fixes it. UNAVAILABLE is the platform itself failing (server errors, timeouts, dropped
connections) after its client's own retries; it usually passes, so it says nothing about the
recipient.
"""

from __future__ import annotations

from enum import StrEnum

from dialogs import phrases
from engine.text import Text


class Undeliverable(StrEnum):
    PERSON_GONE = "person_gone"
    """The person's account is deactivated or removed, or cannot receive messages."""
    NO_ACCESS = "no_access"
    """The advisor is not in that channel, or cannot see it."""
    MISSING_PERMISSION = "missing_permission"
    """The app was installed without a permission this feature needs."""
    APP_REMOVED = "app_removed"
    """The app was removed from the workspace or its token was revoked."""
    OTHER = "other"
    """Anything else the platform refused; the advisor's log has the details."""
    UNAVAILABLE = "unavailable"
    """The platform did not answer, or answered with a server error, even after retrying."""

    @classmethod
    def read(cls, stored: str) -> Undeliverable:
        """A stored kind; anything unrecognised (an older row, say) reads as OTHER."""
        try:
            return cls(stored)
        except ValueError:
            return cls.OTHER

    @property
    def transient(self) -> bool:
        """Whether it may pass by itself, so trying again later makes sense."""
        return self is Undeliverable.UNAVAILABLE

    @property
    def explanation(self) -> Text:
        """What happened and who can fix it, addressed to the project manager."""
        return _EXPLANATIONS[self]


_EXPLANATIONS = {
    Undeliverable.PERSON_GONE: phrases.UNDELIVERABLE_PERSON_GONE,
    Undeliverable.NO_ACCESS: phrases.UNDELIVERABLE_NO_ACCESS,
    Undeliverable.MISSING_PERMISSION: phrases.UNDELIVERABLE_MISSING_PERMISSION,
    Undeliverable.APP_REMOVED: phrases.UNDELIVERABLE_APP_REMOVED,
    Undeliverable.OTHER: phrases.UNDELIVERABLE_OTHER,
    Undeliverable.UNAVAILABLE: phrases.UNDELIVERABLE_UNAVAILABLE,
}
