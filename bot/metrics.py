"""Prometheus metrics: one registry per process (per `App`), served at `/metrics`.

No label holds a person, a token or free text: routes are the server's own paths, methods are
Web API method names, outcomes and kinds are closed vocabularies.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.logs import bind, bound
from dialogs.ports import (
    AlreadyHandled,
    ConcurrentUpdate,
    ConversationStore,
    Once,
    Outbox,
    ScanClosed,
    TurnAnswers,
)
from dialogs.records import Nudge
from dialogs.state import RecordAnswer
from engine.nudges import PlannedNudge
from engine.recurrence import LocalTime

CONTENT_TYPE = CONTENT_TYPE_LATEST
OTHER_ROUTE = "other"
"""The route label of a request no route matched (a 404): a path would be free text."""
OUTCOME_STORED, OUTCOME_NOT_STORED, OUTCOME_DUPLICATE = "stored", "not_stored", "duplicate"
CHATS = frozenset({"slack", "teams", "console"})
DROPPED_BECAUSE = {
    "the organisation is gone": "dropped_org_gone",
    "stale: too late to be useful": "dropped_stale",
    "no longer needed": "dropped_not_needed",
    "weekly cap reached": "dropped_weekly_cap",
}
"""The dispatcher's reasons for dropping a nudge, as label values."""


def chat_of(key: str) -> str:
    """The chat a storage key or respondent (`slack:U1`, `teams:...`) belongs to."""
    chat = key.partition(":")[0]
    return chat if chat in CHATS else "other"


class Metrics:
    """The advisor's metrics in a registry of their own, so tests can build several apps."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.http_requests = Counter(
            "advisor_http_requests",
            "HTTP requests answered, by route, method and status.",
            ["route", "method", "status"],
            registry=registry,
        )
        self.http_duration = Histogram(
            "advisor_http_request_duration_seconds",
            "Time from a request's arrival to its response, by route.",
            ["route"],
            registry=registry,
        )
        self.turns = Counter(
            "advisor_turns",
            "Turns run, by chat and outcome (stored, not_stored, duplicate).",
            ["chat", "outcome"],
            registry=registry,
        )
        self.answers_stored = Counter(
            "advisor_answers_stored",
            "Answers stored by turns, by chat.",
            ["chat"],
            registry=registry,
        )
        self.nudges = Counter(
            "advisor_nudges",
            "Nudges handled, by kind and outcome (sent, dropped_<reason>, failed, postponed).",
            ["kind", "outcome"],
            registry=registry,
        )
        self.oldest_due_nudge_age = Gauge(
            "advisor_oldest_due_nudge_age_seconds",
            "How long the oldest due, unsent nudge has been due (0 with none), per tick.",
            registry=registry,
        )
        self.web_api_calls = Counter(
            "advisor_web_api_calls",
            "Calls to a chat's Web API, by chat, method and outcome (ok, error, rate_limited).",
            ["chat", "method", "outcome"],
            registry=registry,
        )
        self.tick_duration = Histogram(
            "advisor_scheduler_tick_duration_seconds",
            "How long one scheduler tick (nudging, closing, keeping, jobs) took.",
            registry=registry,
        )
        self.db_pool_in_use = Gauge(
            "advisor_db_pool_connections_in_use",
            "Database connections checked out of the pool, read when scraped.",
            registry=registry,
        )

    def watch_pool(self, in_use: Callable[[], float]) -> None:
        """Read the pool's connections in use from `in_use` at each scrape."""
        self.db_pool_in_use.set_function(in_use)

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format."""
        return generate_latest(self.registry)


class MeasuredConversationStore:
    """A `ConversationStore` that counts the turns saved (stored, a duplicate delivery, not
    stored) and their answers. A save that lost a race is replayed, and one for a closed scan
    is saved again without its answers, so neither is counted itself.

    A turn loads first, so that is where its organisation is bound to the request's log lines.
    """

    def __init__(self, store: ConversationStore, metrics: Metrics) -> None:
        self._store = store
        self._metrics = metrics

    async def load(self, org_id: int, key: str) -> tuple[Mapping[str, Any], int] | None:
        bind(org_id=org_id)
        return await self._store.load(org_id, key)

    async def load_many(
        self, org_id: int, keys: Collection[str]
    ) -> Mapping[str, tuple[Mapping[str, Any], int]]:
        return await self._store.load_many(org_id, keys)

    async def handled(self, org_id: int, once: str) -> bool:
        seen = await self._store.handled(org_id, once)
        if seen:
            # Only the delivery's id is at hand here; the server bound the request's chat.
            chat = bound().get("chat", "other")
            self._metrics.turns.labels(chat if chat in CHATS else "other", OUTCOME_DUPLICATE).inc()
        return seen

    async def save(
        self,
        org_id: int,
        key: str,
        state: Mapping[str, Any],
        *,
        version: int | None,
        answers: TurnAnswers | None = None,
        once: Once | None = None,
    ) -> int:
        chat = chat_of(key)
        try:
            saved = await self._store.save(
                org_id, key, state, version=version, answers=answers, once=once
            )
        except AlreadyHandled:
            self._metrics.turns.labels(chat, OUTCOME_DUPLICATE).inc()
            raise
        except (ConcurrentUpdate, ScanClosed):
            raise
        except Exception:
            self._metrics.turns.labels(chat, OUTCOME_NOT_STORED).inc()
            raise
        self._metrics.turns.labels(chat, OUTCOME_STORED).inc()
        if answers is not None:
            count = sum(isinstance(effect, RecordAnswer) for effect in answers.effects)
            if count:
                self._metrics.answers_stored.labels(chat).inc(count)
        return saved


class MeasuredOutbox:
    """The dispatcher's `Outbox`, counting how each claimed nudge ended by kind and outcome."""

    def __init__(self, outbox: Outbox, metrics: Metrics) -> None:
        self._outbox = outbox
        self._metrics = metrics
        self._kinds: dict[int, str] = {}

    async def plan(self, org_id: int, nudges: Sequence[PlannedNudge], *, now: datetime) -> int:
        return await self._outbox.plan(org_id, nudges, now=now)

    async def claim(
        self,
        *,
        now: datetime,
        worker: str,
        limit: int,
        lease: timedelta,
        channel: str | None = None,
        alive: timedelta | None = None,
    ) -> list[Nudge]:
        claimed = await self._outbox.claim(
            now=now, worker=worker, limit=limit, lease=lease, channel=channel, alive=alive
        )
        self._kinds.update((nudge.id, nudge.kind.value) for nudge in claimed)
        return claimed

    async def attend(self, worker: str, *, now: datetime) -> None:
        await self._outbox.attend(worker, now=now)

    async def leave(self, worker: str) -> None:
        await self._outbox.leave(worker)

    async def finish(
        self, nudge_id: int, *, status: str, outcome: str | None, now: datetime
    ) -> None:
        await self._outbox.finish(nudge_id, status=status, outcome=outcome, now=now)
        if status == "dropped":
            label = DROPPED_BECAUSE.get(outcome or "", "dropped_other")
        else:
            label = status if status in ("sent", "failed") else "other"
        self._count(nudge_id, label)

    async def postpone(self, nudge_id: int, until: LocalTime) -> None:
        await self._outbox.postpone(nudge_id, until)
        self._count(nudge_id, "postponed")

    async def release(self, nudge_id: int, until: LocalTime) -> None:
        await self._outbox.release(nudge_id, until)
        self._count(nudge_id, "postponed")

    async def snooze(self, org_id: int, task_id: int, until: LocalTime) -> int:
        return await self._outbox.snooze(org_id, task_id, until)

    async def sent_since(self, org_id: int, recipient: str, since: datetime) -> int:
        return await self._outbox.sent_since(org_id, recipient, since)

    async def pending(self, org_id: int) -> list[Nudge]:
        return await self._outbox.pending(org_id)

    def _count(self, nudge_id: int, outcome: str) -> None:
        kind = self._kinds.pop(nudge_id, "other")
        self._metrics.nudges.labels(kind, outcome).inc()
