"""`make bench`: every suite of issue 18 side by side in one run, `python -m bench [--quick]
[--json FILE]`.

Starts PostgreSQL with scripts/pg-test-server, runs each suite as a process of its own that
writes its figures as JSON (bench.clicks when it is there, bench.nudges, bench.scoring), prints
one table with ratios and whether each target was met, and writes it all to var/bench/latest.json
(the servers' logs to var/bench/logs/).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.databases import SERVER_URL
from bench.results import machine

ROOT = Path(__file__).resolve().parent.parent
LATEST = ROOT / "var" / "bench" / "latest.json"
LOGS = ROOT / "var" / "bench" / "logs"
"""The servers' logs of the latest run, for the suites that keep them."""
URL_LINE = "ADVISOR_TEST_POSTGRES_URL="


@dataclass(frozen=True)
class Suite:
    name: str
    module: str
    quick: tuple[str, ...]
    """Arguments that make the suite small enough for a quick look."""

    def present(self) -> bool:
        """Whether `python -m` can run it: a module, or a package with a __main__."""
        spec = importlib.util.find_spec(self.module)
        if spec is None or spec.submodule_search_locations is None:
            return spec is not None
        return importlib.util.find_spec(f"{self.module}.__main__") is not None


SUITES = (
    Suite("clicks", "bench.clicks", ("--quick",)),
    Suite("nudges", "bench.nudges", ("--scenarios", "1x100", "20x20")),
    Suite("scoring", "bench.scoring", ("--runs", "5")),
)


def postgres() -> str | None:
    """Start (or find running) the throwaway PostgreSQL server; its URL, or None."""
    try:
        started = subprocess.run(
            [str(ROOT / "scripts" / "pg-test-server")],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
    except (OSError, subprocess.SubprocessError) as failed:
        print(f"PostgreSQL could not be started ({failed}): its rows are left out", flush=True)
        return None
    for line in started.stdout.splitlines():
        if line.startswith(URL_LINE):
            return line.removeprefix(URL_LINE).strip()
    return SERVER_URL


def run(suite: Suite, folder: Path, *, quick: bool, postgres_url: str | None) -> dict[str, Any]:
    """Run one suite in its own process; its JSON document, or one that says it failed."""
    output = folder / f"{suite.name}.json"
    arguments = [sys.executable, "-m", suite.module, "--json", str(output)]
    accepted = _options(suite.module)
    if quick:
        arguments += [a for a in suite.quick if not a.startswith("--") or a in accepted]
    if suite.name == "nudges":
        arguments += ["--databases", "sqlite,postgresql" if postgres_url else "sqlite"]
    env = dict(os.environ)
    if postgres_url is not None:
        env["ADVISOR_TEST_POSTGRES_URL"] = postgres_url
        if "--postgres-url" in accepted:
            arguments += ["--postgres-url", postgres_url]
    if "--logs" in accepted:
        arguments += ["--logs", str(LOGS / suite.name)]
    print(f"== {suite.name}: {' '.join(arguments[1:])}", flush=True)
    began = time.monotonic()
    finished = subprocess.run(arguments, cwd=ROOT, env=env, check=False)
    seconds = time.monotonic() - began
    if finished.returncode != 0 or not output.exists():
        return {"suite": suite.name, "failed": finished.returncode, "seconds": seconds, "rows": []}
    document: dict[str, Any] = json.loads(output.read_text())
    document["seconds"] = seconds
    return document


def _options(module: str) -> set[str]:
    """The long options a suite's --help names, so only those it takes are passed."""
    shown = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return {word.strip(",[]") for word in shown.split() if word.startswith("--")}


def table(documents: list[dict[str, Any]]) -> str:
    width = max((len(r["name"]) for d in documents for r in d["rows"]), default=40)
    lines = [
        f"{'measure':<{width}} {'value':>10} {'unit':<6} {'reference':>10} {'ratio':>7} "
        f"{'target':>7} met"
    ]
    for document in documents:
        if "failed" in document:
            lines.append(f"{document['suite']}: FAILED (exit {document['failed']})")
        if document.get("skipped"):
            lines.append(f"{document['suite']}: not there yet, skipped")
        for row in document["rows"]:
            value = "none" if row["value"] is None else _figure(row["value"])
            met = {True: "yes", False: "NO", None: ""}[row["met"]]
            lines.append(
                f"{row['name']:<{width}} {value:>10} {row['unit']:<6} "
                f"{_figure(row['reference']):>10} {_figure(row['ratio'], 3):>7} "
                f"{_figure(row['target']):>7} {met}"
            )
    return "\n".join(lines)


def _figure(value: float | None, digits: int = 1) -> str:
    if value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a quick look")
    parser.add_argument("--json", type=Path, help="also write the combined figures here")
    args = parser.parse_args()
    started = datetime.datetime.now(datetime.UTC)
    postgres_url = postgres()
    documents = []
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        for suite in SUITES:
            if not suite.present():
                print(f"== {suite.name}: not there yet ({suite.module}), skipped", flush=True)
                documents.append({"suite": suite.name, "skipped": True, "rows": []})
                continue
            documents.append(run(suite, Path(folder), quick=args.quick, postgres_url=postgres_url))
    print()
    print(table(documents))
    combined = {
        "started": started.isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
        "suites": documents,
    }
    for path in (LATEST, args.json):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(combined, indent=2) + "\n")
    print(f"\nwritten to {LATEST.relative_to(ROOT)}")
    if any("failed" in document for document in documents):
        sys.exit(1)


if __name__ == "__main__":
    main()
