"""The click benchmark of issue 18: `advisor serve` against the job's floor and an ack-only app.

Run: .venv/bin/python -m bench.clicks [--clicks N] [--concurrency C]
[--only advisor,floor,ack] [--databases sqlite,postgresql] [--loops closed,open]
[--postgres-url URL] [--json FILE] [--logs DIR] [--repeat N] [--quick]

Each click is a signed block_actions POST; it is done when the app's chat.update of that
click's message reached the fake Slack in this process (the ack-only app's, at its ack).
Closed loop: C clients, each clicking its person's next question once the last update came.
Open loop: C senders, each sending a click as soon as its last was acknowledged; the update
is waited for on the side, and its lag after the ack reported. Each run gets a fresh process
and database; without --postgres-url, scripts/pg-test-server is started and used.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from bench.clicks.report import HEADER, LEGEND, line, rows, spreads, summary
from bench.clicks.runner import Loop, Options, Run, bench, medians
from bench.clicks.servers import Subject
from bench.results import machine, write

QUICK_CLICKS = 300


def options(argv: list[str] | None = None) -> tuple[Options, Path | None]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clicks", type=int, default=Options.clicks)
    parser.add_argument("--concurrency", type=int, default=Options.concurrency)
    parser.add_argument("--warmup", type=int, default=Options.warmup, help="untimed clicks first")
    parser.add_argument("--only", default="advisor,floor,ack")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--loops", default="closed,open")
    parser.add_argument("--postgres-url", default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--repeat", type=int, default=Options.repeat, help="rounds; figures are the median's"
    )
    parser.add_argument("--logs", type=Path, default=None, help="keep the servers' logs here")
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_CLICKS} clicks, for a quick look"
    )
    parsed = parser.parse_args(argv)
    databases = tuple(_listed(parsed.databases))
    unknown = set(databases) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown databases: {', '.join(sorted(unknown))}")
    try:
        chosen = Options(
            clicks=QUICK_CLICKS if parsed.quick else parsed.clicks,
            concurrency=parsed.concurrency,
            warmup=parsed.warmup,
            subjects=tuple(Subject(name) for name in _listed(parsed.only)),
            databases=databases,
            loops=tuple(Loop(name) for name in _listed(parsed.loops)),
            postgres_url=parsed.postgres_url,
            logs=parsed.logs,
            repeat=parsed.repeat,
        )
    except ValueError as error:
        parser.error(str(error))
    return chosen, parsed.json


def _listed(names: str) -> list[str]:
    return [name.strip() for name in names.split(",") if name.strip()]


def main(argv: list[str] | None = None) -> int:
    chosen, json_file = options(argv)
    print(
        f"{chosen.clicks} clicks at concurrency {chosen.concurrency} "
        f"(after {chosen.warmup} untimed), {machine()}, load average {os.getloadavg()}"
    )
    print(HEADER)

    def report(run: Run) -> None:
        print(line(run), flush=True)

    failures: list[str] = []

    def failed(why: str) -> None:
        print(f"FAILED {why}", flush=True)
        failures.append(why.partition(":")[0])

    every = asyncio.run(bench(chosen, report, failed))
    runs = medians(every)
    if chosen.repeat > 1:
        print(f"the round with the median throughput of each run, of {chosen.repeat}:")
        for run in runs:
            print(line(run))
    print(LEGEND)
    print(summary(runs))
    if json_file is not None:
        write(
            json_file,
            "clicks",
            rows(runs) + spreads(every),
            rounds=chosen.repeat,
            failed_runs=failures,
            load_average=list(os.getloadavg()),
        )
    incomplete = {run.name for run in every if run.lost or run.stored != run.expected}
    incomplete.update(failures)
    if incomplete:
        print(
            f"failed, or clicks lost or answers missing, in: {', '.join(sorted(incomplete))}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
