"""`advisor export`, `advisor forget` and `advisor audit` as an operator runs them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from engine.bank import default_bank
from tests.bot.test_cli import advisor

SCAN = "\n".join(["2"] + ["3"] * (len(default_bank()) - 1)) + "\n"


def _scanned(database: str, *users: str) -> None:
    for user in users:
        run = advisor(
            "chat", "--org", "Acme", "--user", user, "--lang", "en", stdin=SCAN, database=database
        )
        assert run.returncode == 0, run.stderr


def _refused(run: object) -> str:
    assert run.returncode == 2
    stderr: str = run.stderr
    assert stderr.startswith("advisor: ")
    assert stderr.count("\n") == 1, "a refusal is one line"
    assert "Traceback" not in stderr
    return stderr


def test_a_persons_export_holds_their_answers_and_erasing_them_needs_a_confirmation(
    sqlite_url: str, tmp_path: Path
) -> None:
    _scanned(sqlite_url, "ann")
    run = advisor(
        "export", "--org", "Acme", "--user", "ann", "--output", str(tmp_path), database=sqlite_url
    )
    assert run.returncode == 0, run.stderr
    document = json.loads((tmp_path / "my-data.json").read_text(encoding="utf-8"))
    assert document["respondent"] == "console:ann"
    assert len(document["scans"][0]["answers"]) == len(default_bank())
    assert run.stdout.strip() == str(tmp_path / "my-data.json")

    piped = advisor("forget", "--org", "Acme", "--user", "ann", database=sqlite_url)
    assert "run it at a terminal to confirm, or pass --yes" in _refused(piped)
    still = advisor(
        "export", "--org", "Acme", "--user", "ann", "--output", str(tmp_path), database=sqlite_url
    )
    assert still.returncode == 0, "refusing to confirm erased something"

    erased = advisor("forget", "--org", "Acme", "--user", "ann", "--yes", database=sqlite_url)
    assert erased.returncode == 0, erased.stderr
    assert "erased ann:" in erased.stdout
    gone = advisor(
        "export", "--org", "Acme", "--user", "ann", "--output", str(tmp_path), database=sqlite_url
    )
    assert "there is no one called 'ann' in Acme" in _refused(gone)

    log = advisor("audit", "--org", "Acme", database=sqlite_url)
    assert log.returncode == 0, log.stderr
    assert f"erasure · answers_deleted={len(default_bank())}," in log.stdout
    assert "ann" not in log.stdout


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["export", "--org", "Nobody"], "there is no organisation called 'Nobody'"),
        (["export", "--org", "Acme", "--user", "zed"], "there is no one called 'zed' in Acme"),
        (["forget", "--org", "Nobody", "--yes"], "there is no organisation called 'Nobody'"),
        (["forget", "--org", "Acme", "--user", "zed", "--yes"], "there is no one called 'zed'"),
        (["audit", "--org", "Nobody"], "there is no organisation called 'Nobody'"),
    ],
)
def test_an_unknown_organisation_or_person_is_a_one_line_refusal(
    sqlite_url: str, tmp_path: Path, argv: list[str], said: str
) -> None:
    _scanned(sqlite_url, "ann")
    output = ["--output", str(tmp_path / "out")] if argv[0] == "export" else []
    run = advisor(*argv, *output, database=sqlite_url)
    assert said in _refused(run)
    assert not (tmp_path / "out").exists(), "a refused export made its folder"


def test_the_organisations_export_as_json_or_csv_with_the_calendar(
    sqlite_url: str, tmp_path: Path
) -> None:
    _scanned(sqlite_url, "ann")
    as_json = advisor(
        "export", "--org", "Acme", "--output", str(tmp_path / "json"), database=sqlite_url
    )
    assert as_json.returncode == 0, as_json.stderr
    assert sorted(p.name for p in (tmp_path / "json").iterdir()) == [
        "organisation.json",
        "tasks.ics",
    ]
    document = json.loads((tmp_path / "json" / "organisation.json").read_text(encoding="utf-8"))
    assert "console:ann" not in json.dumps(document)
    assert (tmp_path / "json" / "tasks.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")

    as_csv = advisor(
        "export",
        "--org",
        "Acme",
        "--format",
        "csv",
        "--output",
        str(tmp_path / "csv"),
        database=sqlite_url,
    )
    assert as_csv.returncode == 0, as_csv.stderr
    names = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert "tasks.ics" in names
    assert "organisation.json" not in names
    assert all(name.endswith((".csv", ".ics")) for name in names)
    assert len(names) >= 3

    log = advisor("audit", "--org", "Acme", database=sqlite_url)
    assert log.stdout.count(" · export · ") == 2


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("typed", "erased"), [("yes", True), ("no", False), ("", False)])
def test_at_a_terminal_forget_asks_and_only_yes_erases(
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    typed: str,
    erased: bool,
) -> None:
    _scanned(sqlite_url, "ann")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ADVISOR_DATABASE_URL", sqlite_url)
    monkeypatch.setattr("sys.stdin", _Terminal(typed + "\n"))
    code = main(["forget", "--org", "Acme", "--user", "ann"])
    out = capsys.readouterr().out
    assert "Erase everything about ann in Acme?" in out
    assert code == (0 if erased else 1)
    assert ("erased ann:" in out) is erased
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["export", "--org", "Acme", "--user", "ann"]) == (2 if erased else 0)


def test_forget_without_a_user_erases_the_whole_organisation(sqlite_url: str) -> None:
    _scanned(sqlite_url, "ann")
    piped = advisor("forget", "--org", "Acme", database=sqlite_url)
    assert "the organisation Acme" in _refused(piped)
    run = advisor("forget", "--org", "Acme", "--yes", database=sqlite_url)
    assert run.returncode == 0, run.stderr
    assert "erased Acme" in run.stdout
    assert "there is no organisation called 'Acme'" in _refused(
        advisor("audit", "--org", "Acme", database=sqlite_url)
    )
