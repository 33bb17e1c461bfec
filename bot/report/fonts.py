"""The report's typeface outside the charts: DejaVu Sans, the one matplotlib draws charts with.

The files ship inside matplotlib's package data, so a page and its charts match without a
second font package; the package is found without being imported, as importing matplotlib
is slow and a page without charts does not need it. DejaVu covers every character the report
writes (→, −, the thin spaces Babel puts in a period) and the names people give their tasks.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"


def path(name: str) -> Path:
    """Where one of the font files is; FileNotFoundError when matplotlib is not installed."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("matplotlib, which carries the report's fonts, is not installed")
    file = Path(spec.submodule_search_locations[0], "mpl-data", "fonts", "ttf", name)
    if not file.is_file():
        raise FileNotFoundError(file)
    return file
