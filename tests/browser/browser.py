"""Rendering Adaptive Cards in Chromium with Microsoft's own renderer (`render.js`).

Needs Debian's chromium and `npm ci` in this folder (`scripts/browser-test-deps` does both).
Without them the browser tests fail under CI (CI=true) and are skipped, loudly, elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
CHROMIUM = Path(os.environ.get("ADVISOR_CHROMIUM", "/usr/bin/chromium"))
WIDTHS = (320, 540)
"""A phone, and Teams' message column on a laptop (render.js draws every card at both)."""
RENDER_TIMEOUT = 600
_HOW = "run scripts/browser-test-deps (Debian's chromium and `npm ci` in tests/browser)"


@dataclass(frozen=True)
class Shown:
    """What one card showed at one width."""

    name: str
    width: int
    warnings: list[str]
    cut: list[dict[str, str]]
    """Each text a reader could not read in full: its kind (button, text, fact, input)."""
    hidden: int
    """Buttons the card holds that the renderer did not show (an overflow menu, or dropped)."""
    text: str
    """The visible text, as the reader sees it."""


def missing() -> str | None:
    """Why the browser cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "no node"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM}"
    for package in ("adaptivecards", "playwright-core", "markdown-it"):
        if not (HERE / "node_modules" / package).is_dir():
            return f"no {package} in tests/browser/node_modules"
    return None


def require_browser() -> None:
    """Fail (under CI=true) or skip loudly when the browser cannot run."""
    why = missing()
    if why is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}, and CI=true needs the browser tests: {_HOW}", pytrace=False)
    pytest.skip(f"BROWSER TESTS SKIPPED: {why}; {_HOW}")


def render(
    cards: Sequence[tuple[str, dict[str, Any]]], screenshots: Path | None = None
) -> list[Shown]:
    """Every card at every width in one browser; PNGs of each into `screenshots` if given."""
    with tempfile.TemporaryDirectory() as folder:
        given, results = Path(folder) / "cards.json", Path(folder) / "results.json"
        given.write_text(json.dumps([{"name": n, "card": c} for n, c in cards]), "utf-8")
        command = ["node", str(HERE / "render.js"), str(given), str(results)]
        if screenshots is not None:
            screenshots.mkdir(parents=True, exist_ok=True)
            command.append(str(screenshots))
        subprocess.run(command, check=True, timeout=RENDER_TIMEOUT, cwd=HERE)
        return [Shown(**shown) for shown in json.loads(results.read_text("utf-8"))]
