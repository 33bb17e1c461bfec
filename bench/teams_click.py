"""Benchmark of the Teams hot path: pressing an answer button on the scan's card, over HTTP.

Run: .venv/bin/python bench/teams_click.py [--database URL] [--people N] [--sql]
Each person installs the app in their 1:1 chat, says "scan" and answers every question by
pressing a button on the latest card, as Teams posts it (the Bot Connector is the tests' fake
on loopback). Prints the mean and 95th percentile per click (the POST and the work after it)
and the SQL statements one click costs; --sql also prints the statements of one click.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestServer
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hot_paths import report  # beside this file

from bot.app import build_app
from bot.server import build_web_app
from bot.settings import load_settings
from bot.teams.app import MESSAGES_PATH, build_teams_bot
from tests.fakes.bot_connector import FakeConnector, teams_member
from tests.teams.activities import card_submit, installed_personal, message
from tests.teams.teams_side import answer

MAX_QUESTIONS = 200


async def bench_clicks(url: str, people: int, show_sql: bool) -> None:
    settings = load_settings(database_url=url, teams=True)
    core = await build_app(settings)
    bot = build_teams_bot(settings, core)
    server = TestServer(build_web_app(core, None, bot), host="127.0.0.1")
    await server.start_server()
    endpoint = str(server.make_url(MESSAGES_PATH))
    executed: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        executed.append(statement)

    event.listen(core.database.engine.sync_engine, "before_cursor_execute", record)
    try:
        async with FakeConnector() as connector, aiohttp.ClientSession() as http:

            async def post(activity: dict[str, object]) -> None:
                async with http.post(endpoint, json=activity) as response:
                    assert response.status == 200, response.status
                await bot.surface.idle()

            clicks, per_click = [], []
            for number in range(people):
                person = teams_member(f"Bench Person{number}")
                conversation = connector.add_personal(person)
                common = {"user": person, "service_url": connector.service_url, "locale": "en-US"}
                for activity in installed_personal(**common):
                    await post(activity)
                await post(message("scan", conversation_id=conversation, **common))
                for step in range(MAX_QUESTIONS):
                    latest = connector.sent(conversation)[-1]
                    value = answer(latest, step)
                    if value is None:
                        break
                    click = card_submit(
                        value, reply_to_id=latest["id"], conversation_id=conversation, **common
                    )
                    before = len(executed)
                    start = time.perf_counter()
                    await post(click)
                    clicks.append(time.perf_counter() - start)
                    per_click.append(len(executed) - before)
                    if show_sql and number == people - 1 and step == 1:
                        print("SQL of one click (not the first):")
                        for statement in executed[before:]:
                            print("   ", " ".join(statement.split()))
                else:
                    raise RuntimeError("the scan never ended")
        report("answer a question (one click)", clicks)
        print(
            f"{'SQL statements per click':<34} mean {statistics.mean(per_click):.1f}"
            f"   max {max(per_click)}"
        )
    finally:
        await server.close()
        await core.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", help="a database URL (default: a fresh SQLite file)")
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--sql", action="store_true", help="print the statements of one click")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        asyncio.run(bench_clicks(url, args.people, args.sql))


if __name__ == "__main__":
    main()
