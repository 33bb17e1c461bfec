"""Log lines as text or as one JSON object a line, with the context bound to a request.

`bind(org_id=..., chat=...)` adds to the context of the running task (and of the tasks it
starts); the server's middleware binds `request_id` and `route` for each request. Only closed
vocabularies and ids the advisor made go into the context: never a token, a secret or an answer.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Literal

LogFormat = Literal["json", "text"]
REQUEST_ID_HEADER = "X-Request-Id"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_context: ContextVar[dict[str, str]] = ContextVar("advisor_log_context", default={})  # noqa: B039 - never mutated, only replaced


def bind(**fields: str | int | None) -> None:
    """Add `fields` to the log context of this task and the tasks it starts (None is left out)."""
    added = {name: str(value) for name, value in fields.items() if value is not None}
    _context.set({**_context.get(), **added})


def bound() -> dict[str, str]:
    """The log context of this task."""
    return dict(_context.get())


def request_id(given: str | None) -> str:
    """`given` when it is a sane token (≤ 64 of A-Z a-z 0-9 . _ -), else a new one."""
    if given is not None and _SANE_REQUEST_ID.fullmatch(given):
        return given
    return secrets.token_hex(8)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message, bound context."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_context.get(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure(log_format: LogFormat) -> None:
    """Write every log line in `log_format` (text keeps the handlers' own format)."""
    if log_format == "json":
        for handler in logging.getLogger().handlers:
            handler.setFormatter(JsonFormatter())
