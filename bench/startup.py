"""What starting the advisor costs, beside `python -c pass` measured in the same run.

Run: .venv/bin/python bench/startup.py [--runs N] [--serve-runs M]

Measures, each as the median of its runs, in fresh processes: `python -c pass`, `advisor --help`,
`advisor serve` from its start to the first 200 on /readyz (on an up-to-date SQLite database, as
a restart finds it; and once on a new one, which it migrates first), and the resident memory
(VmRSS) of `advisor serve` a second after it is ready, serving Slack alone and Slack with Teams.
Slack gets dummy credentials and an API address on loopback where nothing listens, so nothing
leaves the machine (an idle server calls no API). Prints a table with each figure's ratio to
`python -c pass`, whose memory is read as it exits, and the targets of issue 14: `--help` within
10 times `python -c pass`, idle `advisor serve` without Teams at most 110 MB.

Measured on the 2-core development machine (2026-12-01, with other work running beside it),
after SecretBox stopped loading cryptography for a single-token Slack server:

    python -c pass                            17 ms     1.0x    10.6 MB    1.0x
    advisor --help                            37 ms     2.2x
    advisor serve to ready                   980 ms    57.6x
    advisor serve to ready, new database     1.32 s    77.8x
    advisor serve idle, Slack                                   89.8 MB    8.5x
    advisor serve idle, Slack and Teams                        115.4 MB   10.9x

Before issue 14 (b5d730b, the same hour): `advisor --help` 1.14 s (60x), serve to ready 1.73 s,
idle with Slack 145.6 MB, with Slack and Teams 161.7 MB. What an idle Slack server holds, by
package imported one by one in the server's order: SQLAlchemy 25 MB, aiohttp 10 MB, pydantic
9 MB, cryptography 6 MB (since imported only with an encryption key), the Slack SDKs 6 MB,
the advisor's own modules 6 MB, ssl 4 MB, snowballstemmer 3 MB; besides the interpreter's 11 MB
the rest (~7 MB) is the loaded bank, advice and indexes, the event loop and its connections.
The first free-text question that is scored adds numpy (~12 MB, for BM25).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PYTHON = sys.executable
ADVISOR = str(Path(sys.executable).with_name("advisor"))
SLACK = {
    "ADVISOR_SLACK_SIGNING_SECRET": "bench-signing-secret",
    "ADVISOR_SLACK_BOT_TOKEN": "xoxb-bench-token",
}
TEAMS = {"ADVISOR_TEAMS": "true"}
"""Teams without an app id: the Bot Framework Emulator's mode, allowed on loopback."""
READY_SECONDS = 60
SETTLE_SECONDS = 1.0
"""After /readyz answers, the background work's first ticks run; memory is read after them."""
HELP_RATIO = 10
IDLE_MB = 110
RSS_OF_PASS = "print(next(l.split()[1] for l in open('/proc/self/status') if l[:6] == 'VmRSS:'))"
"""`python -c pass` that prints its resident memory in kB as it ends."""


def median_seconds(command: list[str], runs: int) -> float:
    """The median wall time of `command` run to its end `runs` times."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(folder: Path, **settings: str) -> dict[str, str]:
    """This environment without any ADVISOR_ setting, a database in `folder`, and `settings`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("ADVISOR_")}
    env["ADVISOR_DATABASE_URL"] = f"sqlite+aiosqlite:///{folder / 'advisor.db'}"
    env["ADVISOR_SLACK_API_URL"] = f"http://127.0.0.1:{free_port()}/api/"
    return {**env, **settings}


def serve_until_ready(folder: Path, settings: dict[str, str]) -> tuple[float, int]:
    """Start `advisor serve`, and return the seconds to its first ready answer and its idle RSS
    in kB; then stop it with SIGTERM, as a service manager does."""
    port = free_port()
    env = environment(folder, ADVISOR_PORT=str(port), **settings)
    start = time.perf_counter()
    # The console script execs the interpreter itself, so this pid is the server's.
    process = subprocess.Popen(
        [ADVISOR, "serve"],
        env=env,
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        ready = _until_ready(process, port) - start
        time.sleep(SETTLE_SECONDS)
        return ready, _rss_kb(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(READY_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _until_ready(process: subprocess.Popen[bytes], port: int) -> float:
    deadline = time.perf_counter() + READY_SECONDS
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            assert process.stderr is not None
            sys.exit(f"advisor serve exited: {process.stderr.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as answer:
                if answer.status == 200:
                    return time.perf_counter()
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.01)
    sys.exit(f"advisor serve was not ready within {READY_SECONDS} s")


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def migrated(folder: Path) -> None:
    """Bring the database in `folder` up to date with `advisor db upgrade`."""
    subprocess.run(
        [ADVISOR, "db", "upgrade"],
        env=environment(folder),
        cwd=folder,
        stdout=subprocess.DEVNULL,
        check=True,
    )


def median_serve(runs: int, settings: dict[str, str], folder: Path) -> tuple[float, int]:
    """The median seconds to ready and median idle RSS of `runs` servers, one after another."""
    results = [serve_until_ready(folder, settings) for _ in range(runs)]
    return (
        statistics.median(seconds for seconds, _ in results),
        int(statistics.median(rss for _, rss in results)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of the short commands")
    parser.add_argument("--serve-runs", type=int, default=3, help="runs of each advisor serve")
    args = parser.parse_args()
    if not Path(ADVISOR).exists():
        sys.exit(f"no {ADVISOR}: install the advisor first (make install)")

    with tempfile.TemporaryDirectory(prefix="advisor-bench-") as scratch:
        (up_to_date := Path(scratch, "up-to-date")).mkdir()
        (new := Path(scratch, "new")).mkdir()
        migrated(up_to_date)
        passing = median_seconds([PYTHON, "-c", "pass"], args.runs)
        passing_kb = int(subprocess.run([PYTHON, "-c", RSS_OF_PASS], capture_output=True).stdout)
        helping = median_seconds([ADVISOR, "--help"], args.runs)
        ready, slack_kb = median_serve(args.serve_runs, SLACK, up_to_date)
        first, _ = serve_until_ready(new, SLACK)
        _, teams_kb = median_serve(args.serve_runs, {**SLACK, **TEAMS}, up_to_date)

    rows: list[tuple[str, float | None, int | None]] = [
        ("python -c pass", passing, passing_kb),
        ("advisor --help", helping, None),
        ("advisor serve to ready", ready, None),
        ("advisor serve to ready, new database", first, None),
        ("advisor serve idle, Slack", None, slack_kb),
        ("advisor serve idle, Slack and Teams", None, teams_kb),
    ]
    for name, seconds, kb in rows:
        timing = "" if seconds is None else f"{_duration(seconds):>9} {seconds / passing:7.1f}x"
        memory = "" if kb is None else f"{kb / 1024:7.1f} MB {kb / passing_kb:6.1f}x"
        print(f"{name:<38}{timing:<19}{memory}".rstrip())
    print(
        f"targets: --help {helping / passing:.1f}x python -c pass (at most {HELP_RATIO}x): "
        f"{_met(helping / passing <= HELP_RATIO)}; idle serve without Teams "
        f"{slack_kb / 1024:.1f} MB (at most {IDLE_MB} MB): {_met(slack_kb / 1024 <= IDLE_MB)}"
    )


def _duration(seconds: float) -> str:
    return f"{seconds * 1e3:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _met(met: bool) -> str:
    return "met" if met else "NOT MET"


if __name__ == "__main__":
    main()
