"""A delivery channel that records what it was asked to send, and can refuse someone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from dialogs.delivery import Undeliverable
from dialogs.messages import Reply
from dialogs.nudging import DeliveryFailed
from dialogs.ports import Clock
from dialogs.records import Nudge
from engine.nudges import NudgeKind


@dataclass(frozen=True)
class Delivered:
    recipient: str
    kind: NudgeKind
    occurrence: str
    at: datetime
    reply: Reply


@dataclass
class RecordingDelivery:
    """`Delivery` that keeps every nudge it was given, in order."""

    clock: Clock
    delivered_nudges: list[Delivered] = field(default_factory=list)
    refuse: dict[str, Undeliverable] = field(default_factory=dict)
    """Recipients the channel refuses for good, and why."""
    asked_after_crash: int = 0

    async def prepare(self, nudges: Sequence[Nudge]) -> None:
        pass

    async def deliver(self, nudge: Nudge, reply: Reply) -> None:
        if nudge.recipient in self.refuse:
            raise DeliveryFailed(self.refuse[nudge.recipient])
        self.delivered_nudges.append(
            Delivered(nudge.recipient, nudge.kind, nudge.occurrence, self.clock.now(), reply)
        )

    async def delivered(self, nudge: Nudge) -> bool:
        self.asked_after_crash += 1
        return any(
            (d.recipient, d.kind, d.occurrence) == (nudge.recipient, nudge.kind, nudge.occurrence)
            for d in self.delivered_nudges
        )

    def to(self, recipient: str) -> list[Delivered]:
        return [d for d in self.delivered_nudges if d.recipient == recipient]
