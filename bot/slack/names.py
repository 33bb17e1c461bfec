"""The names Slack people and channels go by, for what Slack does not render (the report's file).

A message can say ``<@U0ANN>`` and let Slack show the name; a PDF cannot, so the name is asked
of Slack itself: `users.info` for a person, `conversations.info` for a channel, through the
workspace's own bot token. Each is asked once per distinct address, and what Slack said is kept
for a few minutes, so one report (or a few in a row) costs one call per person. Whatever Slack
will not say (a missing scope, a person gone, Slack down, no installation any more) leaves that
name unknown: the report writes a neutral word, never the id, and never fails for it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.delivery import ClientFor
from bot.slack.errors import FAILURES, code
from dialogs.records import place_of

log = logging.getLogger(__name__)
CHANNEL = "slack"
KEPT_SECONDS = 300.0
"""How long a name Slack gave (or said it has none for) is trusted: people rarely rename."""


class SlackNames:
    """`dialogs.ports.NameBook` for Slack: display names, ``#channel`` for a channel.

    Args:
        client_for: the organisation's Web API client (its workspace's bot token).
        clock: seconds on a monotonic clock, for how long a name is kept.
    """

    def __init__(
        self, client_for: ClientFor, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._client_for = client_for
        self._clock = clock
        self._kept: dict[tuple[int, str], tuple[float, str | None]] = {}

    async def names(self, org_id: int, addresses: Sequence[str]) -> dict[str, str]:
        wanted = [a for a in dict.fromkeys(addresses) if a.partition(":")[0] == CHANNEL]
        asked = [a for a in wanted if self._fresh(org_id, a) is None]
        if asked:
            await self._ask(org_id, asked)
        found = {}
        for address in wanted:
            kept = self._fresh(org_id, address)
            if kept is not None and kept[1] is not None:
                found[address] = kept[1]
        return found

    def _fresh(self, org_id: int, address: str) -> tuple[float, str | None] | None:
        kept = self._kept.get((org_id, address))
        return kept if kept is not None and kept[0] > self._clock() else None

    async def _ask(self, org_id: int, addresses: Sequence[str]) -> None:
        """Ask Slack for each address; one log line for all that it would not name."""
        try:
            _, client = await self._client_for(org_id)
        except LookupError:
            log.info("no Slack installation to ask names of: %d shown without", len(addresses))
            return
        failed: list[str] = []
        for address in addresses:
            try:
                name = await _name(client, address)
            except FAILURES as error:
                failed.append(code(error))
                continue
            self._kept[(org_id, address)] = (self._clock() + KEPT_SECONDS, name)
        if failed:
            reasons = ", ".join(sorted(set(failed)))
            log.warning("Slack would not name %d of %d: %s", len(failed), len(addresses), reasons)


async def _name(client: AsyncWebClient, address: str) -> str | None:
    """The name Slack shows for a person or channel; None when Slack has none for it.

    Raises:
        One of `errors.FAILURES` when Slack will not answer.
    """
    channel = place_of(address)
    if channel is not None:
        info = await client.conversations_info(channel=channel)
        named = str((info.get("channel") or {}).get("name") or "")
        return f"#{named}" if named else None
    info = await client.users_info(user=address.partition(":")[2])
    return _display_name(info.get("user") or {})


def _display_name(user: dict[str, Any]) -> str | None:
    """What Slack shows: the display name a person chose, else their full name, else the handle."""
    profile: dict[str, Any] = user.get("profile") or {}
    for name in (
        profile.get("display_name"),
        profile.get("real_name"),
        user.get("real_name"),
        user.get("name"),
    ):
        if name and str(name).strip():
            return str(name).strip()
    return None
