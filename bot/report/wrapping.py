"""Breaking text into lines by its measured width, never dropping a letter."""

from __future__ import annotations

from collections.abc import Callable


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Lines no wider than `width` as `measure` counts it, broken at spaces.

    Only plain spaces break a line: the no-break and thin spaces that Babel puts in a date stay.
    A word wider than a line on its own is broken between letters rather than cut, so every
    letter of a long task name is still there.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in (part for part in paragraph.split(" ") if part):
            joined = f"{line} {word}" if line else word
            if measure(joined) <= width:
                line = joined
                continue
            if line:
                lines.append(line)
            pieces = _letters(word, width, measure)
            lines += pieces[:-1]
            line = pieces[-1]
        lines.append(line)
    return lines


def _letters(word: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """A word in pieces that each fit, at least one letter a piece."""
    pieces: list[str] = []
    while len(word) > 1 and measure(word) > width:
        cut = 1
        while cut < len(word) - 1 and measure(word[: cut + 1]) <= width:
            cut += 1
        pieces.append(word[:cut])
        word = word[cut:]
    return [*pieces, word]
