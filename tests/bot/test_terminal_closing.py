"""The terminal: the organisation's result appears once `advisor scan close` closed the scan,
and the chat says so while it runs; `advisor org` refuses a threshold outside 3 to 25."""

from __future__ import annotations

import pytest

from engine.bank import default_bank
from tests.bot.test_cli import advisor


def _said(run_stdout: str) -> str:
    return " ".join(run_stdout.split())  # the terminal wraps long lines


def _scan(sqlite_url: str, person: str) -> None:
    answers = "\n".join(["2"] * len(default_bank())) + "\n"
    run = advisor(
        "chat", "--org", "Acme", "--user", person, "--lang", "en",
        stdin=answers, database=sqlite_url,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr


def _results(sqlite_url: str, person: str, line: str = "results") -> str:
    run = advisor(
        "chat", "--org", "Acme", "--user", person, "--lang", "en",
        stdin=f"{line}\n", database=sqlite_url,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return _said(run.stdout)


def test_the_terminal_shows_participation_until_the_scan_is_closed_then_the_result(
    sqlite_url: str,
) -> None:
    assert (
        advisor(
            "org", "--org", "Acme", "--create", "--threshold", "3", database=sqlite_url
        ).returncode
        == 0
    )
    for person in ("ann", "bob", "cem"):
        _scan(sqlite_url, person)

    running = _results(sqlite_url, "pm")
    assert "Scan 1 is running" in running
    assert "So far 3 people have completed the scan." in running
    assert "'advisor scan close --org Acme'" in running
    assert "Completed by" not in running
    helped = _results(sqlite_url, "pm", "help")
    assert (
        "results: your profile and the organisation's (which appears when the scan closes)"
        in helped
    )

    closed = advisor("scan", "close", "--org", "Acme", database=sqlite_url)
    assert closed.returncode == 0, closed.stderr
    assert "scan 1 closed" in closed.stdout

    # Opening the chat starts the next scan; the closed one's result is shown beside it.
    after = _results(sqlite_url, "pm")
    assert "The organisation" in after
    assert "Completed by 3" in after
    assert "Scan 2 is running" in after
    assert "below is the result of scan 1" in after


@pytest.mark.parametrize("threshold", ["2", "26", "1000"])
def test_advisor_org_refuses_a_threshold_outside_3_to_25_and_changes_nothing(
    sqlite_url: str, threshold: str
) -> None:
    refused = advisor(
        "org", "--org", "Acme", "--create", "--threshold", threshold, database=sqlite_url
    )

    assert refused.returncode == 2
    assert "between 3 and 25" in refused.stderr
    shown = advisor("org", "--org", "Acme", "--create", database=sqlite_url)
    assert "threshold 5," in shown.stdout
