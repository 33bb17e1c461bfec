"""A bench suite's figures as JSON rows, one schema for every suite that `python -m bench` runs.

{"suite": str, "machine": {...}, "rows": [{"name", "value", "unit", "reference", "ratio",
"target", "met"}]}: `reference` is what `value` is held against (a floor, an older version), its
`ratio` value / reference, and `target` the bound issue 18 sets (on the ratio where a reference
is given, else on the value), `met` whether the value keeps it (None without a target).
"""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

Bound = Literal["at_most", "at_least"]


@dataclass(frozen=True)
class Row:
    name: str
    value: float | None
    """None when there is no figure: a time never reached (the row's target is then not met)."""
    unit: str
    reference: float | None = None
    ratio: float | None = None
    target: float | None = None
    met: bool | None = None

    @classmethod
    def measured(
        cls,
        name: str,
        value: float | None,
        unit: str,
        *,
        reference: float | None = None,
        target: float | None = None,
        bound: Bound = "at_most",
    ) -> Row:
        """A row whose ratio and `met` follow from the figures: `target` bounds the ratio when
        there is a reference, else the value itself."""
        ratio = value / reference if reference and value is not None else None
        held = ratio if reference else value
        met = None
        if target is not None:
            met = held is not None and (held <= target if bound == "at_most" else held >= target)
        return cls(name, value, unit, reference, ratio, target, met)


def machine() -> dict[str, Any]:
    """What the figures were measured on: processor, cores, memory, Python."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    memory = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        first = meminfo.read_text().splitlines()[0].split()
        memory = int(first[1]) * 1024 if first[0] == "MemTotal:" else 0
    return {
        "processor": model or platform.processor(),
        "cores": os.cpu_count(),
        "memory_bytes": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def write(path: Path, suite: str, rows: list[Row], **more: Any) -> None:
    """Write a suite's rows (and anything else worth keeping, e.g. notes) as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"suite": suite, "machine": machine(), "rows": [asdict(r) for r in rows], **more}
    path.write_text(json.dumps(document, indent=2) + "\n")


def peak_rss(pid: int) -> int | None:
    """The most memory the process has held resident so far (VmHWM), in bytes; None off Linux or
    once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None
