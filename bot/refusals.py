"""A request turned away at the door (Slack's or Teams'), before it reaches any turn."""

from __future__ import annotations

from aiohttp import web


class Refused(Exception):
    """The status and why; the reason names no content, so it is safe to log and to return."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    def response(self) -> web.Response:
        return web.json_response({"error": self.reason}, status=self.status)
