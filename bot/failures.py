"""Unexpected failures, logged in one line with a reference the person (or client) is given.

The line names the exception's type and where it was raised, never its message: a message can
hold what a person typed. The full traceback goes to the debug log only.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from pathlib import Path


def new_reference() -> str:
    """A short id to quote to support, the same in the log and in what the person reads."""
    return uuid.uuid4().hex[:8]


def log_failure(log: logging.Logger, what: str, error: BaseException) -> str:
    """Log `error` as one line, ``what failed (reference R): Type at file:line in function``.

    Returns:
        The reference.
    """
    reference = new_reference()
    log.error("%s failed (reference %s): %s", what, reference, _where(error))
    log.debug("failure %s in full", reference, exc_info=error)
    return reference


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return type(error).__name__
    last = frames[-1]
    return f"{type(error).__name__} at {Path(last.filename).name}:{last.lineno} in {last.name}"
