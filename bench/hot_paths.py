"""Benchmarks of the hot paths: a scan answer (the click) and scoring a large organisation.

Run: .venv/bin/python bench/hot_paths.py [--database URL] [--answers N]
Prints the mean and 95th percentile per operation and the SQL statements one answer costs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from bot.app import build_app
from bot.settings import load_settings
from dialogs.events import ChoiceSelected, ConversationKey, ConversationStarted
from dialogs.messages import ChoicePrompt
from engine.bank import default_bank
from engine.scoring import score
from engine.simulation import Persona, crowd
from engine.vocabulary import Dimension, Role


def report(name: str, seconds: list[float]) -> None:
    ordered = sorted(seconds)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(
        f"{name:<34} n={len(seconds):<5} mean {statistics.mean(seconds) * 1e3:8.2f} ms"
        f"   p95 {p95 * 1e3:8.2f} ms"
    )


def bench_scoring(respondents: int) -> None:
    bank = default_bank()
    persona = Persona(Role.EMPLOYEE, dict.fromkeys(Dimension, 3))
    sheets = crowd(bank, [(persona, respondents)], seed=7)
    runs = []
    for _ in range(20):
        start = time.perf_counter()
        score(bank, sheets, threshold=5)
        runs.append(time.perf_counter() - start)
    report(f"score {respondents} respondents", runs)


async def bench_answers(url: str, people: int) -> None:
    app = await build_app(load_settings(database_url=url))
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(app.database.engine.sync_engine, "before_cursor_execute", count)
    try:
        org = await app.organisations.ensure("bench:org", "Bench")
        clicks, per_click = [], []
        for person in range(people):
            key = ConversationKey("bench", org.id, f"p{person}", f"p{person}")
            reply = await app.advisor.handle(key, ConversationStarted())
            while prompts := [b for b in reply if isinstance(b, ChoicePrompt)]:
                prompt = prompts[-1]
                before = statements
                start = time.perf_counter()
                reply = await app.advisor.handle(
                    key, ChoiceSelected(prompt.prompt_id, (prompt.choices[0].id,))
                )
                clicks.append(time.perf_counter() - start)
                per_click.append(statements - before)
        report("answer a question (one click)", clicks)
        print(
            f"{'SQL statements per click':<34} mean {statistics.mean(per_click):.1f}"
            f"   max {max(per_click)}"
        )
    finally:
        await app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", help="a database URL (default: a fresh SQLite file)")
    parser.add_argument("--people", type=int, default=20)
    args = parser.parse_args()
    bench_scoring(1000)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        asyncio.run(bench_answers(url, args.people))


if __name__ == "__main__":
    main()
