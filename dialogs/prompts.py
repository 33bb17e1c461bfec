"""A scan question's prompt id: which scan and which question its buttons were shown for.

Channels carry the id in a button and hand it back untouched; only this module reads it. It is
short and never holds ``|`` (Slack joins a button's value as ``prompt|choice``).
"""

from __future__ import annotations

from dataclasses import dataclass

_IN = "@"
_LONGEST_SCAN_ID = 18
"""Digits; a longer number is no scan of ours (and stays clear of int()'s digit limit)."""


@dataclass(frozen=True)
class ScanPrompt:
    """What a scan question's buttons were shown for."""

    question_id: str
    scan_id: int | None
    """None for a button sent before prompts carried their scan (a bare question id)."""


def prompt_id(scan_id: int, question_id: str) -> str:
    """The id of `question_id`'s prompt in scan `scan_id`, such as ``role@12``."""
    return f"{question_id}{_IN}{scan_id}"


def read(prompt: str) -> ScanPrompt | None:
    """What `prompt_id` made, a bare question id of the older form, or None if malformed."""
    question_id, found, scan = prompt.rpartition(_IN)
    if not found:
        return ScanPrompt(prompt, None) if prompt else None
    if not question_id or not scan.isascii() or not scan.isdigit() or len(scan) > _LONGEST_SCAN_ID:
        return None
    return ScanPrompt(question_id, int(scan))
