"""Nudge fan-out against Slack's limits: `python -m bench.nudges [--json FILE] [--scenarios 1x1000
200x50] [--databases sqlite,postgresql] [--postgres-url URL]`.

SQLite is served by one `advisor serve`, PostgreSQL by two sharing the outbox. The time runs from
the first claim to the last nudge's arrival; the floor is what the fake's limits allow.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

from bench.databases import SERVER_URL
from bench.nudges.run import Outcome, Scenario, lean, measure
from bench.results import Row, write

SCENARIOS = ("1x1000", "200x50")
TARGETS = {"1x1000": 1.1, "200x50": 1.2}
"""Issue 18: time within this many times the floor."""
MB = 1024 * 1024


def rows(outcome: Outcome, lean_seconds: float | None = None) -> list[Row]:
    name = f"nudges {outcome.scenario.name} {outcome.database} ({outcome.processes} proc)"
    floor = outcome.scenario.floor
    measured = [
        Row.measured(
            f"{name}: first claim to last delivery",
            outcome.seconds,
            "s",
            reference=floor,
            target=TARGETS.get(outcome.scenario.name),
        ),
        Row.measured(
            f"{name}: time vs the lean sender",
            outcome.seconds,
            "s",
            reference=lean_seconds,
        ),
        Row.measured(
            f"{name}: delivered",
            outcome.delivered,
            "nudges",
            reference=outcome.due,
            target=1,
            bound="at_least",
        ),
        Row.measured(f"{name}: duplicates", outcome.duplicates, "nudges", target=0),
        Row.measured(f"{name}: lost", outcome.lost, "nudges", target=0),
        Row.measured(f"{name}: 429 answers", outcome.rate_limited, "calls"),
        Row.measured(f"{name}: claimed more than once", outcome.reclaimed, "nudges"),
        Row.measured(f"{name}: start-up (to /healthz)", outcome.startup, "s"),
        Row.measured(f"{name}: machine load average (2 cores)", outcome.load, "procs"),
    ]
    if outcome.from_start is not None:
        measured.append(
            Row.measured(f"{name}: process start to last delivery", outcome.from_start, "s")
        )
    if outcome.rss:
        measured.append(Row.measured(f"{name}: server peak RSS", max(outcome.rss) / MB, "MB"))
    return measured


def lean_row(scenario: Scenario, seconds: float) -> Row:
    return Row.measured(
        f"nudges {scenario.name}: lean sender through the same fake (no advisor)",
        seconds,
        "s",
        reference=scenario.floor,
    )


def table(outcomes: list[Outcome]) -> str:
    lines = [
        f"{'scenario':<10} {'database':<11} {'proc':>4} {'time s':>8} {'floor s':>8} {'ratio':>6} "
        f"{'target':>6} {'delivered':>9} {'dup':>4} {'lost':>5} {'429s':>6} {'RSS MB':>7} "
        f"{'setup s':>7} {'load':>5}  ended"
    ]
    for o in outcomes:
        ratio = o.seconds / o.scenario.floor if o.seconds is not None else None
        target = TARGETS.get(o.scenario.name)
        lines.append(
            f"{o.scenario.name:<10} {o.database:<11} {o.processes:>4} "
            f"{_figure(o.seconds):>8} {o.scenario.floor:>8.1f} {_figure(ratio, 2):>6} "
            f"{_figure(target, 1):>6} {o.delivered:>9} {o.duplicates:>4} {o.lost:>5} "
            f"{o.rate_limited:>6} {_figure(max(o.rss, default=0) / MB, 0):>7} {o.setup:>7.1f} "
            f"{o.load:>5.1f}  "
            f"{o.ended}"
        )
    return "\n".join(lines)


def _figure(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


async def run(args: argparse.Namespace) -> tuple[list[Outcome], dict[str, float]]:
    outcomes, leans = [], {}
    for name in args.scenarios:
        scenario = Scenario.parse(name)
        seconds, refused = await lean(scenario)
        print(
            f"{name}: the lean sender takes {seconds:.1f} s against a floor of "
            f"{scenario.floor:.1f} s ({refused} 429s)",
            flush=True,
        )
        leans[scenario.name] = seconds
        for database in args.databases:
            outcome = await measure(
                scenario,
                database,
                postgres_url=args.postgres_url,
                give_up_after=args.give_up_after,
                keep=args.logs,
            )
            print(table([outcome]).splitlines()[-1], flush=True)
            outcomes.append(outcome)
    return outcomes, leans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), metavar="WxN")
    parser.add_argument(
        "--databases", type=lambda v: v.split(","), default=["sqlite", "postgresql"]
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("ADVISOR_TEST_POSTGRES_URL", SERVER_URL),
        help="a server where a fresh database is made for each run",
    )
    parser.add_argument("--give-up-after", type=float, help="seconds (default 300 + 10 x floor)")
    parser.add_argument("--logs", type=Path, help="keep the servers' logs in this folder")
    args = parser.parse_args()
    outcomes, leans = asyncio.run(run(args))
    print(table(outcomes))
    if args.json:
        write(
            args.json,
            "nudges",
            [
                *(lean_row(Scenario.parse(name), seconds) for name, seconds in leans.items()),
                *(row for o in outcomes for row in rows(o, leans.get(o.scenario.name))),
            ],
            calls={f"{o.scenario.name} {o.database}": o.methods for o in outcomes},
            ended={f"{o.scenario.name} {o.database}": o.ended for o in outcomes},
        )


if __name__ == "__main__":
    main()
