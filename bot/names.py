"""The names people and places go by, each asked of its own chat: for the report's file, which
no chat renders, so a chat id would reach the reader as it is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.console.render import CHANNEL as TERMINAL
from dialogs.ports import NameBook
from dialogs.records import place_of

__all__ = ["TEAMS", "TERMINAL", "ChannelNames", "TerminalNames"]

TEAMS = "teams"
"""Teams' channel (`bot.teams.surface.CHANNEL`), named here so its SDK is not loaded for it."""


class ChannelNames:
    """`dialogs.ports.NameBook` over every chat: each address is asked of the book of its
    channel (the part before its first colon), once each; a chat without a book names no one.

    Args:
        books: a book per channel (``slack``, ``teams``, ``console``); `add` brings more.
    """

    def __init__(self, books: Mapping[str, NameBook] | None = None) -> None:
        self._books = dict(books or {})

    def add(self, channel: str, book: NameBook) -> None:
        """A chat whose book exists only once it is served (Slack: its clients per workspace)."""
        self._books[channel] = book

    async def names(self, org_id: int, addresses: Sequence[str]) -> dict[str, str]:
        by_channel: dict[str, list[str]] = {}
        for address in dict.fromkeys(addresses):
            by_channel.setdefault(address.partition(":")[0], []).append(address)
        found: dict[str, str] = {}
        for channel, wanted in by_channel.items():
            book = self._books.get(channel)
            if book is not None:
                named = await book.names(org_id, wanted)
                found |= {address: named[address] for address in wanted if named.get(address)}
        return found


class TerminalNames:
    """`dialogs.ports.NameBook` for the terminal, where a person is the name they go by
    (``console:anne`` is anne) and there are no places."""

    async def names(self, org_id: int, addresses: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for address in addresses:
            channel, _, user = address.partition(":")
            if channel == TERMINAL and user and place_of(address) is None:
                found[address] = user
        return found
