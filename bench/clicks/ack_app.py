"""A bolt app that only acknowledges a click: the ceiling of bolt on aiohttp itself.

Run: python -m bench.clicks.ack_app --port P --database URL --slack-api URL
--signing-secret S --token T (the database is ignored).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from slack_bolt.async_app import AsyncApp

from bench.clicks.bolt_server import pooled_client, run


@asynccontextmanager
async def ack_app(options: argparse.Namespace) -> AsyncIterator[AsyncApp]:
    """A bolt app that acknowledges every button and does nothing else (before it returns:
    bolt's default mode acknowledges from a task it polls every 10 ms)."""
    async with pooled_client(options) as client:
        app = AsyncApp(
            client=client, signing_secret=options.signing_secret, process_before_response=True
        )

        @app.action(re.compile(".+"))
        async def on_click(ack: Any) -> None:
            await ack()

        yield app


if __name__ == "__main__":
    run(ack_app)
