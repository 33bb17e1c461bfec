"""Prometheus metrics: one registry per process (per `App`), served at `/metrics`.

No label holds a person, a token or free text: routes are the server's own paths, methods are
Web API method names, outcomes and kinds are closed vocabularies.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST
OTHER_ROUTE = "other"
"""The route label of a request no route matched (a 404): a path would be free text."""
OUTCOME_STORED, OUTCOME_NOT_STORED, OUTCOME_DUPLICATE = "stored", "not_stored", "duplicate"


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
