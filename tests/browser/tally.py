"""Counts what the browser test fails on, per card kind, and writes screenshots of chosen cards.

    .venv/bin/python -m tests.browser.tally                      # counts for every card
    .venv/bin/python -m tests.browser.tally --png /tmp/cards welcome digest "typed 'tasks'"
    git show e4dd33b:bot/teams/render.py > /tmp/render_before.py
    .venv/bin/python -m tests.browser.tally --renderer /tmp/render_before.py --png /tmp/before

Given words, only the cards whose kind contains one of them are counted. With --png, they are
drawn at 320 and 540 px into that folder (one PNG per card and width). With --renderer, they are
drawn by that copy of bot/teams/render.py instead (an older one, to compare before and after).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from dialogs.messages import Reply
from engine.vocabulary import Language
from tests.browser import browser, cards
from tests.browser.test_teams_cards import RAW_ID


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", type=Path, help="write screenshots of the cards into this folder")
    parser.add_argument("kinds", nargs="*", help="only the cards whose kind contains one of these")
    parser.add_argument("--renderer", type=Path, help="draw with this copy of render.py")
    arguments = parser.parse_args()
    if arguments.renderer:
        cards.card_of = _drawn_by(arguments.renderer)
    chosen = [
        kind
        for kind in cards.catalogue()
        if not arguments.kinds or any(word in kind.kind for word in arguments.kinds)
    ]
    shown = browser.render([(kind.name, kind.card) for kind in chosen], arguments.png)
    totals: Counter[str] = Counter()
    for result in shown:
        counts = Counter(f"cut {cut['kind']}" for cut in result.cut)
        counts["raw id"] = len(RAW_ID.findall(result.text))
        counts["buttons not shown"] = result.hidden
        counts["renderer warnings"] = len(result.warnings)
        totals.update(counts)
        if +counts:
            line = ", ".join(f"{what} {n}" for what, n in sorted((+counts).items()))
            print(f"{result.name} at {result.width} px: {line}")
    print(f"{len(shown)} renderings of {len(chosen)} cards:", dict(sorted((+totals).items())))


def _drawn_by(path: Path) -> Any:
    """`cards.card_of` with another render.py, which may not know a language yet."""
    spec = importlib.util.spec_from_file_location("render_compared", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"not a Python file: {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)

    def card_of(reply: Reply, language: Language) -> cards.Card:
        names = {a: cards.NAMES[a] for a in cards.addresses_in(reply) if a in cards.NAMES}
        return module.to_card(reply, names=names, **cards.LABELS[language])  # type: ignore[no-any-return]

    return card_of


if __name__ == "__main__":
    main()
