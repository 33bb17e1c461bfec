"""Scoring a large organisation: `python -m bench.scoring [--json FILE] [--respondents N]`.

The median of `--runs` scorings of one crowd (one persona, as bench/hot_paths.py scores it),
beside the same crowd scored by e4dd33b's engine/scoring.py (read from git, before issue 18's
work on scoring) in the same run, so the ratio between them is measured on one machine at one
moment. Without git, or that commit, the reference is skipped and said so.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.results import Row, write
from engine.bank import default_bank
from engine.scoring import score
from engine.simulation import Persona, crowd
from engine.vocabulary import Dimension, Role

REFERENCE = "e4dd33b"
TARGET_MS = 150
"""Issue 18: 10,000 respondents in at most 150 ms."""
THRESHOLD = 5


def reference_score() -> Callable[..., Any] | None:
    """`score` from REFERENCE's engine/scoring.py, or None (with a line saying why)."""
    try:
        source = subprocess.run(
            ["git", "show", f"{REFERENCE}:engine/scoring.py"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as missing:
        print(f"no reference: git cannot show {REFERENCE}:engine/scoring.py ({missing})")
        return None
    name = f"bench_reference_scoring_{REFERENCE}"
    module = types.ModuleType(name)
    module.__file__ = f"{REFERENCE}:engine/scoring.py"
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    found: Callable[..., Any] = module.score
    return found


def median_ms(scorer: Callable[..., Any], *args: Any, runs: int) -> tuple[float, Any]:
    """The median time of `runs` calls in milliseconds, and what the last call returned."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = scorer(*args, threshold=THRESHOLD)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--respondents", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    bank = default_bank()
    persona = Persona(Role.EMPLOYEE, dict.fromkeys(Dimension, 3))
    sheets = crowd(bank, [(persona, args.respondents)], seed=7)
    now_ms, now = median_ms(score, bank, sheets, runs=args.runs)
    old = reference_score()
    old_ms, same = None, None
    if old is not None:
        old_ms, then = median_ms(old, bank, sheets, runs=args.runs)
        # The reference's classes are copies of today's: alike when their fields are.
        same = repr(then) == repr(now)

    name = f"scoring {args.respondents} respondents (median of {args.runs})"
    rows = [Row.measured(name, now_ms, "ms", target=TARGET_MS)]
    if old_ms is not None:
        rows.append(
            Row.measured(f"{name} against {REFERENCE}'s scoring", now_ms, "ms", reference=old_ms)
        )
    print(f"{name}: {now_ms:.1f} ms (target <= {TARGET_MS} ms)")
    if old_ms is not None:
        print(
            f"{REFERENCE}'s scoring: {old_ms:.1f} ms; ratio {now_ms / old_ms:.3f}; "
            f"the same result: {'yes' if same else 'NO'}"
        )
    if args.json:
        write(args.json, "scoring", rows, same_result_as_reference=same)


if __name__ == "__main__":
    main()
