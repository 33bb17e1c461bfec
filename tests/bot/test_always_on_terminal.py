"""The always-on work in the terminal, as a project manager scripts it: after a scan, adopt the
plan, log the week's figures, tick tasks off, and render the management report."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.bank import default_bank
from tests.bot.test_cli import advisor

PEOPLE = ("ann", "bob", "cas")


def _scan(sqlite_url: str, person: str, pick: str, language: str) -> None:
    answers = "\n".join([pick] * len(default_bank())) + "\n"
    run = advisor(
        "chat", "--org", "Acme", "--user", person, "--lang", language,
        stdin=answers, database=sqlite_url,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize(
    ("language", "adopted", "saved", "done", "headings"),
    [
        (
            "en",
            "Plan adopted",
            "Engagement rate: 5.0%",
            "done. Thank you!",
            ("Phase and profile", "Tasks done on time"),
        ),
        (
            "nl",
            "Plan overgenomen",
            "Engagement rate: 5.0%",
            "gedaan. Dank je!",
            ("Fase en profiel", "Taken op tijd gedaan"),
        ),
    ],
)
def test_a_manager_adopts_the_plan_logs_figures_ticks_a_task_off_and_renders_the_report(
    sqlite_url: str,
    tmp_path: Path,
    language: str,
    adopted: str,
    saved: str,
    done: str,
    headings: tuple[str, ...],
) -> None:
    org = advisor(
        "org",
        "--org",
        "Acme",
        "--create",
        "--threshold",
        "3",
        "--lang",
        language,
        database=sqlite_url,
    )
    assert org.returncode == 0, org.stderr
    for number, person in enumerate(PEOPLE):
        _scan(sqlite_url, person, str(2 + number % 2), language)
    closed = advisor("scan", "close", "--org", "Acme", database=sqlite_url)
    assert closed.returncode == 0, closed.stderr

    adopt = "overnemen" if language == "nl" else "adopt"
    measure = "meten" if language == "nl" else "measure"
    tasks = "taken" if language == "nl" else "tasks"
    done_word = "klaar" if language == "nl" else "done"
    script = "\n".join(
        [
            adopt,
            tasks,
            measure,
            "12",
            "4000",
            "200",
            "35",
            "-",
            "-",
            f"{done_word} 1 https://example.org/post",
            tasks,
        ]
    )
    session = advisor(
        "chat", "--org", "Acme", "--user", "pm", "--lang", language,
        stdin=script + "\n", database=sqlite_url,
    )  # fmt: skip
    assert session.returncode == 0, session.stderr
    said = " ".join(session.stdout.split())  # the terminal wraps long lines
    assert adopted in said
    assert "#1 " in said
    assert saved in said
    assert done in said

    output = tmp_path / f"report.{language}.html"
    report = advisor(
        "report", "--org", "Acme", "--format", "html", "--output", str(output),
        database=sqlite_url,
    )  # fmt: skip
    assert report.returncode == 0, report.stderr
    html = output.read_text(encoding="utf-8")
    for heading in headings:
        assert heading in html
    assert html.count("data:image/png;base64,") >= 2, "the profile and the figures as charts"

    png = tmp_path / "report.png"
    assert (
        advisor(
            "report", "--org", "Acme", "--format", "png", "--output", str(png), database=sqlite_url
        ).returncode
        == 0
    )
    assert png.read_bytes().startswith(b"\x89PNG")

    nudges = advisor("nudges", "--org", "Acme", database=sqlite_url)
    assert nudges.returncode == 0, nudges.stderr
    assert "digest" in nudges.stdout
    assert "task_due" in nudges.stdout
    assert "pending: " in nudges.stdout.splitlines()[-1]
