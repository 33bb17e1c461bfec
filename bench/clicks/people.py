"""The simulated people: each has one message on screen and clicks an answer on it."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from yarl import URL

from bench.clicks.fake_slack import TEAM_ID
from tests.slack.scan_messages import buttons, checkbox_state
from tests.slack.slack_side import block_actions, direct_message_event, event_callback, sign

FORM = "application/x-www-form-urlencoded"


@dataclass
class Person:
    """Someone in a scan: the message (`channel`, `ts`) that shows their current question."""

    user: str
    channel: str
    ts: str
    blocks: list[dict[str, Any]]
    pick: int = 1

    def next_click(self) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The button to press on the question shown and the form's state (ticked boxes for
        a many-answer question); None once the message asks nothing (the scan's end)."""
        message = {"blocks": self.blocks}
        choices = buttons(message)
        if choices:
            return choices[min(self.pick, len(choices) - 2)], {}
        state, submit = checkbox_state(message, picks=2)
        return (submit, state) if submit else None

    def request(self, secret: str) -> tuple[bytes, dict[str, str]]:
        """The signed `block_actions` request Slack sends for the next click."""
        click = self.next_click()
        if click is None:
            raise ValueError(f"{self.user} has nothing left to click")
        action, state = click
        message = {"ts": self.ts, "channel": self.channel, "blocks": self.blocks}
        payload = block_actions(TEAM_ID, self.user, message, action, state)
        # yarl's quoter (aiohttp's, in C) form-encodes in a third of urlencode's time: the
        # generator must not be what limits the clicks.
        body = URL.build(query={"payload": json.dumps(payload)}).raw_query_string.encode()
        return body, {"Content-Type": FORM, **sign(secret, body, int(time.time()))}


def user_id(number: int) -> str:
    return f"U{number:06d}"


def scan_request(user: str, secret: str) -> tuple[bytes, dict[str, str]]:
    """The signed Events API delivery of `user` writing "scan" to the app: how a person
    starts the scan in a direct message."""
    envelope = event_callback(TEAM_ID, direct_message_event(user, "scan"))
    body = json.dumps(envelope).encode()
    return body, {"Content-Type": "application/json", **sign(secret, body, int(time.time()))}
