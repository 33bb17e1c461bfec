"""The job's floor for a scan click, as a careful engineer would write it with bolt.

Run: python -m bench.clicks.floor_app --port P --database URL --slack-api URL
--signing-secret S --token T

A click is: verify Slack's signature (bolt does), upsert the answer with one statement
committed before the acknowledgement, acknowledge, then update the message once on the one
pooled HTTP session. Bolt runs with `process_before_response` and the update is a task started
as the listener returns: bolt's default mode acknowledges from a task it polls every 10 ms.
The drivers are used directly with a statement prepared once (asyncpg caches it per
connection, sqlite3 too): nothing is compiled per click.
"""

from __future__ import annotations

import argparse
import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from slack_bolt.async_app import AsyncApp

from bench.clicks.answers import open_answers
from bench.clicks.bolt_server import pooled_client, run
from bench.clicks.synthetic import CHOICE_ACTION, next_blocks, parse_value


@asynccontextmanager
async def floor_app(options: argparse.Namespace) -> AsyncIterator[AsyncApp]:
    """A bolt app that stores each answer, acknowledges, and shows the next question."""
    async with open_answers(options.database) as answers, pooled_client(options) as client:
        app = AsyncApp(
            client=client, signing_secret=options.signing_secret, process_before_response=True
        )
        updating: set[asyncio.Task[Any]] = set()

        @app.action(re.compile(f"^{CHOICE_ACTION}"))
        async def on_choice(ack: Any, body: dict[str, Any]) -> None:
            question, option = parse_value(body["actions"][0]["value"])
            await answers.upsert(body["team"]["id"], body["user"]["id"], question, option)
            await ack()
            container = body["container"]
            update = client.chat_update(
                channel=container["channel_id"],
                ts=container["message_ts"],
                text="The next question",
                blocks=next_blocks(question),
            )
            task = asyncio.create_task(update)
            updating.add(task)
            task.add_done_callback(updating.discard)

        yield app
        await asyncio.gather(*updating, return_exceptions=True)


if __name__ == "__main__":
    run(floor_app)
