"""The bench's figures: a table to read, and bench.results rows with issue 18's targets.

A row's `reference` is the floor app's figure from the same run where there is one, so its
`ratio` is the advisor's against the floor's; a target bounds the ratio where there is a
reference, else the value.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from bench.clicks.runner import Loop, Run
from bench.clicks.servers import Subject
from bench.results import Row

RSS_TARGET_MB = 150.0
THROUGHPUT_TARGETS = {"postgresql": 0.5, "sqlite": 0.3}
"""At least this times the floor's clicks a second, closed loop."""
P99_TARGETS = {"postgresql": 2.0}
"""At most this times the floor's p99 until the update, closed loop."""
CONTENDED = 0.25
"""Cores other programs may use during a run before its times are not to be trusted."""
SATURATED = 0.9
"""A load generator using this much of a core may be what limits the clicks."""


def _floor_of(run: Run, runs: list[Run]) -> Run | None:
    return next(
        (
            other
            for other in runs
            if other.subject is Subject.FLOOR
            and other.database == run.database
            and other.loop is run.loop
        ),
        None,
    )


def _finite(value: float) -> float:
    return round(value, 3) if not math.isnan(value) else 0.0


def rows(runs: list[Run]) -> list[Row]:
    """Every run's figures (the advisor's against the floor's), then issue 18's targets."""
    found: list[Row] = []
    for run in runs:
        floor = _floor_of(run, runs) if run.subject is Subject.ADVISOR else None
        found += _run_rows(run, floor)
    return found + costs(runs) + targets(runs)


_FIGURES: tuple[tuple[str, Callable[[Run], float], str], ...] = (
    ("throughput", lambda r: r.throughput, "/s"),
    ("p50 until update", lambda r: r.until_update_ms(0.5), "ms"),
    ("p99 until update", lambda r: r.until_update_ms(0.99), "ms"),
    ("CPU per click", lambda r: r.cpu_ms_per_click, "ms"),
    ("PostgreSQL CPU per click", lambda r: r.database_ms_per_click, "ms"),
    ("RSS peak", lambda r: r.rss_peak_mb, "MB"),
    ("RSS steady", lambda r: r.rss_steady_mb, "MB"),
)
_OPEN_FIGURES: tuple[tuple[str, Callable[[Run], float], str], ...] = (
    ("lag after ack p50", lambda r: r.lag_ms(0.5), "ms"),
    ("lag after ack p99", lambda r: r.lag_ms(0.99), "ms"),
    ("senders waiting for someone to click", lambda r: r.stalled_seconds, "s"),
)


def _run_rows(run: Run, floor: Run | None) -> list[Row]:
    figures = _FIGURES + (_OPEN_FIGURES if run.loop is Loop.OPEN else ())
    found = [
        Row.measured(
            f"clicks {run.name} {label}",
            _finite(figure(run)),
            unit,
            reference=None if floor is None else _finite(figure(floor)),
        )
        for label, figure, unit in figures
    ]
    found += [
        Row.measured(f"clicks {run.name} generator CPU", _finite(run.generator_load), "cores"),
        Row.measured(f"clicks {run.name} other programs' CPU", _finite(run.others_load), "cores"),
        Row.measured(f"clicks {run.name} lost", run.lost, "clicks"),
        Row.measured(f"clicks {run.name} not answered 200", _refused(run), "clicks"),
        Row.measured(
            f"clicks {run.name} Web API calls per click", _finite(run.api_calls_per_click), "calls"
        ),
    ]
    if run.subject is not Subject.ACK:
        found.append(
            Row.measured(
                f"clicks {run.name} answers stored", run.stored, "rows", reference=run.expected
            )
        )
    return found


def targets(runs: list[Run]) -> list[Row]:
    """Issue 18's: the advisor's throughput and p99 against the floor's, closed loop; its RSS."""
    found = []
    for run in runs:
        floor = _floor_of(run, runs)
        if run.subject is not Subject.ADVISOR or run.loop is not Loop.CLOSED or floor is None:
            continue
        if run.database in THROUGHPUT_TARGETS:
            found.append(
                Row.measured(
                    f"target: advisor/floor throughput, {run.database} closed loop",
                    _finite(run.throughput),
                    "/s",
                    reference=_finite(floor.throughput),
                    target=THROUGHPUT_TARGETS[run.database],
                    bound="at_least",
                )
            )
        if run.database in P99_TARGETS:
            found.append(
                Row.measured(
                    f"target: advisor/floor p99 until update, {run.database} closed loop",
                    _finite(run.until_update_ms(0.99)),
                    "ms",
                    reference=_finite(floor.until_update_ms(0.99)),
                    target=P99_TARGETS[run.database],
                )
            )
    advisor = [run.rss_peak_mb for run in runs if run.subject is Subject.ADVISOR]
    if advisor:
        found.append(
            Row.measured(
                "target: advisor RSS peak under click load",
                _finite(max(advisor)),
                "MB",
                target=RSS_TARGET_MB,
            )
        )
    return found


HEADER = (
    f"{'run':<26}{'clicks/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'lag50':>8}{'lag99':>8}"
    f"{'CPU ms':>8}{'PG ms':>7}{'RSS pk':>8}{'RSS st':>8}{'gen':>6}{'other':>6}{'!200':>6}"
    f"{'lost':>6}{'calls':>6}  stored"
)


LEGEND = (
    "p50/p99: until the update reached the fake (ack-only: the ack); lag: the update after the"
    " ack (open loop); CPU ms: the server's per click; PG ms: its PostgreSQL backends' per click;"
    " RSS pk/st: VmHWM and median VmRSS under load (MB); gen, other: cores used by the load"
    " generator and by other programs; !200: clicks not answered 200 (503: stored late); calls:"
    " Web API calls per click"
)


def _refused(run: Run) -> int:
    return sum(count for status, count in run.statuses.items() if status != 200)


def line(run: Run) -> str:
    """One run as a line of the table."""
    lag50, lag99 = (
        (f"{run.lag_ms(0.5):8.0f}", f"{run.lag_ms(0.99):8.0f}")
        if run.loop is Loop.OPEN
        else (f"{'':8}", f"{'':8}")
    )
    refused = _refused(run)
    stored = "" if run.subject is Subject.ACK else f"{run.stored}/{run.expected}"
    saturated = " generator saturated" if run.generator_load >= SATURATED else ""
    name = run.name if run.repetition == 1 else f"{run.name} #{run.repetition}"
    return (
        f"{name:<26}{run.throughput:9.0f}{run.until_update_ms(0.5):9.1f}"
        f"{run.until_update_ms(0.99):9.1f}{lag50}{lag99}{run.cpu_ms_per_click:8.2f}"
        f"{run.database_ms_per_click:7.2f}{run.rss_peak_mb:8.0f}{run.rss_steady_mb:8.0f}"
        f"{run.generator_load:6.2f}{run.others_load:6.2f}{refused:6d}{run.lost:6d}"
        f"{run.api_calls_per_click:6.2f}"
        f"  {stored}{saturated}"
    )


def costs(runs: list[Run]) -> list[Row]:
    """The advisor's CPU per click (its server's and its PostgreSQL backends') against the
    floor's: what another program on the machine changes least."""
    found = []
    for run in runs:
        floor = _floor_of(run, runs)
        if run.subject is not Subject.ADVISOR or floor is None:
            continue
        found.append(
            Row.measured(
                f"advisor/floor CPU per click (server, database), {run.database} {run.loop} loop",
                _finite(_cost(run)),
                "ms",
                reference=_finite(_cost(floor)),
            )
        )
    return found


def spreads(every: list[Run]) -> list[Row]:
    """For runs of more than one round: their lowest and highest throughput."""
    rounds: dict[str, list[float]] = {}
    for run in every:
        rounds.setdefault(run.name, []).append(run.throughput)
    found = []
    for name, figures in rounds.items():
        if len(figures) > 1:
            found += [
                Row.measured(
                    f"clicks {name} throughput, lowest of {len(figures)}",
                    _finite(min(figures)),
                    "/s",
                ),
                Row.measured(
                    f"clicks {name} throughput, highest of {len(figures)}",
                    _finite(max(figures)),
                    "/s",
                ),
            ]
    return found


def _cost(run: Run) -> float:
    return run.cpu_ms_per_click + run.database_ms_per_click


def summary(runs: list[Run]) -> str:
    """The CPU ratios, the targets and a warning if other programs took CPU, a line each."""
    lines = [
        f"advisor/floor, {run.database} {run.loop} loop: throughput"
        f" {run.throughput / floor.throughput:.3f} x, p99 until update"
        f" {run.until_update_ms(0.99) / floor.until_update_ms(0.99):.2f} x, CPU per click"
        f" (server, database) {_cost(run) / _cost(floor):.1f} x"
        for run in runs
        for floor in [_floor_of(run, runs)]
        if run.subject is Subject.ADVISOR and floor is not None
    ]
    for row in targets(runs):
        ratio = "" if row.ratio is None else f" = {row.ratio:.3f} x floor's"
        verdict = {True: "met", False: "NOT met", None: "n/a"}[row.met]
        bound = ">=" if "throughput" in row.name else "<="
        lines.append(
            f"{row.name}: {row.value:g} {row.unit}{ratio}"
            f" (target {bound} {row.target:g}: {verdict})"
        )
    busiest = max((run.others_load for run in runs), default=0.0)
    if busiest >= CONTENDED:
        lines.append(
            f"WARNING: other programs used up to {busiest:.2f} cores during a run: throughput"
            " and latency (and so their ratios) reflect the CPU left over, not the code;"
            " CPU per click is the steadier figure"
        )
    return "\n".join(lines)
