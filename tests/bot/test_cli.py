"""The `advisor` command as a person runs it: a scripted terminal scan and the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.app import build_app
from bot.cli import org_key, parser
from bot.commands import COMMANDS
from bot.settings import load_settings
from engine.bank import default_bank
from engine.nudges import NudgeKind, PlannedNudge
from engine.recurrence import LocalTime

ROOT = Path(__file__).parents[2]


def advisor(
    *args: str, stdin: str = "", database: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ADVISOR_DATABASE_URL": database, "PYTHONWARNINGS": "error"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


@pytest.mark.parametrize(
    ("language", "phase_line", "dimension"),
    [
        ("en", "In your view the organisation is in Phase 3", "Way of working"),
        ("nl", "Volgens jou zit de organisatie in Fase 3", "Werkwijze"),
    ],
)
def test_a_scripted_terminal_scan_prints_the_persons_phase_and_profile(
    sqlite_url: str, language: str, phase_line: str, dimension: str
) -> None:
    answers = "\n".join(["2"] + ["3"] * (len(default_bank()) - 1)) + "\n"
    run = advisor(
        "chat",
        "--org",
        "Acme",
        "--user",
        "ann",
        "--lang",
        language,
        stdin=answers,
        database=sqlite_url,
    )
    assert run.returncode == 0, run.stderr
    assert phase_line in run.stdout
    profile = run.stdout.split(phase_line, 1)[1]
    assert dimension in profile
    assert run.stderr == ""


def test_a_scan_interrupted_by_the_end_of_input_resumes_where_it_stopped(sqlite_url: str) -> None:
    first = advisor(
        "chat",
        "--org",
        "Acme",
        "--user",
        "bob",
        "--lang",
        "en",
        stdin="1\n2\n",
        database=sqlite_url,
    )
    assert first.returncode == 0, first.stderr
    assert "Everything you answered is saved" in first.stdout
    second = advisor(
        "chat", "--org", "Acme", "--user", "bob", "--lang", "en", stdin="", database=sqlite_url
    )
    assert "we continue at question 3" in second.stdout


def test_switching_language_in_the_chat_also_switches_the_goodbye(sqlite_url: str) -> None:
    run = advisor(
        "chat",
        "--org",
        "Acme",
        "--user",
        "di",
        "--lang",
        "nl",
        stdin="taal en\n",
        database=sqlite_url,
    )
    assert run.returncode == 0, run.stderr
    assert "I'll speak English from now on." in run.stdout
    assert run.stdout.rstrip().endswith("Goodbye. Everything you answered is saved.")


def test_bad_input_at_the_prompt_gets_a_clear_message(sqlite_url: str) -> None:
    run = advisor(
        "chat", "--org", "Acme", "--user", "cy", "--lang", "en", stdin="42\n\n", database=sqlite_url
    )
    assert "That is not one of the options" in run.stdout
    assert "I received nothing" in run.stdout


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "A baseline six months ago (12 people) and a new scan (16 people)",
                "Organisation's phase",
                "Profile per dimension",
                "agreement",
                "Weakest link",
                "Management and employees see it differently",
                "Plan: from",
                "Always-on tasks",
                "Advice: the next step",
                "Change since the previous scan",
            ],
        ),
        (
            "nl",
            [
                "Een nulmeting half jaar geleden (12 mensen) en een nieuwe scan (16 mensen)",
                "Fase van de organisatie",
                "Profiel per dimensie",
                "eensgezindheid",
                "Zwakste schakel",
                "Management en medewerkers zien het anders",
                "Plan: van",
                "Always-on: vaste taken",
                "Advies: de volgende stap",
                "Verandering sinds de vorige scan",
            ],
        ),
    ],
)
def test_the_demo_shows_the_whole_product(
    sqlite_url: str, language: str, expected: list[str]
) -> None:
    run = advisor("demo", "--lang", language, database=sqlite_url)
    assert run.returncode == 0, run.stderr
    for fragment in expected:
        assert fragment in run.stdout, fragment


def test_a_malformed_setting_stops_start_up_naming_it(sqlite_url: str) -> None:
    run = advisor("chat", "--org", "A", "--user", "b", database="mysql://nope")
    assert run.returncode == 2
    assert "ADVISOR_DATABASE_URL" in run.stderr
    assert "Traceback" not in run.stderr


async def test_advisor_nudges_lists_what_was_not_sent_and_why(sqlite_url: str) -> None:
    app = await build_app(load_settings(database_url=sqlite_url))
    try:
        org = await app.organisations.ensure(org_key("Acme"), "Acme")
        when = LocalTime(datetime(2026, 11, 23, 9, 0), "Europe/Amsterdam")  # noqa: DTZ001
        planned = PlannedNudge("console:ann", NudgeKind.DIGEST, "2026-W48", when, when)
        outbox = app.activation.outbox
        await outbox.plan(org.id, [planned], now=when.instant())
        (claimed,) = await outbox.claim(
            now=when.instant(), worker="w", limit=1, lease=timedelta(minutes=5)
        )
        stale = "stale: too late to be useful"
        await outbox.finish(claimed.id, status="dropped", outcome=stale, now=when.instant())
    finally:
        await app.close()

    listed = advisor("nudges", "--org", "Acme", database=sqlite_url)

    assert listed.returncode == 0, listed.stderr
    (line,) = [line for line in listed.stdout.splitlines() if "2026-W48" in line]
    assert "digest" in line
    assert "ann" in line
    assert line.endswith("dropped: stale: too late to be useful")
    assert "dropped: 1" in listed.stdout.splitlines()[-1]


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["start"],
        ["chat", "--org", "Acme", "--user", "ann"],
        ["demo"],
        ["org", "--org", "Acme"],
        ["report", "--org", "Acme"],
        ["nudges", "--org", "Acme"],
        ["scan", "list", "--org", "Acme"],
        ["scan", "status", "--org", "Acme"],
        ["org", "--org", "Acme", "--create", "--working-days", "mon-thu"],
        ["serve"],
        ["teams-package", "--app-id", "x", "--host", "advisor.example.org"],
        ["db", "status"],
    ],
    ids=lambda argv: " ".join(argv) or "no-command",
)
def test_every_command_the_parser_offers_is_one_the_commands_run(argv: list[str]) -> None:
    assert parser().parse_args(argv).command in COMMANDS
