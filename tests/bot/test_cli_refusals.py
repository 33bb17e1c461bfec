"""What the `advisor` command refuses: one line naming what is wrong, exit 2, no traceback, and
nothing changed; an unknown organisation is never made up on the way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import EXIT_INTERRUPTED, EXIT_PIPE_CLOSED, main
from tests.bot.test_cli import ROOT


@pytest.fixture
def database(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """The commands' database, in a folder of the test's own."""
    monkeypatch.setenv("ADVISOR_DATABASE_URL", sqlite_url)
    monkeypatch.chdir(tmp_path)
    return sqlite_url


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """What `advisor ARGV` says on refusing, checked to be one line and exit 2."""
    code = main(list(argv))
    printed = capsys.readouterr()
    assert code == 2, printed
    assert printed.err.startswith("advisor: "), printed.err
    assert printed.err.count("\n") == 1, f"a refusal is one line: {printed.err!r}"
    assert "Traceback" not in printed.err
    return printed.err


def shown(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    printed = capsys.readouterr()
    assert code == 0, printed.err
    return printed.out


COMMANDS_OF_AN_ORGANISATION = [
    ["org"],
    ["org", "--threshold", "4"],
    ["report"],
    ["nudges"],
    ["scan", "list"],
    ["scan", "new"],
    ["scan", "status"],
    ["export"],
    ["forget", "--yes"],
    ["audit"],
]


@pytest.mark.parametrize("command", COMMANDS_OF_AN_ORGANISATION, ids=" ".join)
def test_an_unknown_organisation_is_refused_with_how_to_create_it_and_not_created(
    database: str, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    said = refused(capsys, *command, "--org", "Foo Bar")
    assert "there is no organisation called 'Foo Bar'" in said
    assert "advisor org --org 'Foo Bar' --create" in said
    assert "no organisation called 'Foo Bar'" in refused(capsys, "org", "--org", "Foo Bar")


@pytest.mark.parametrize(
    "command", [*COMMANDS_OF_AN_ORGANISATION, ["org", "--create"], ["chat", "--user", "ann"]]
)
@pytest.mark.parametrize("name", ["", "   "])
def test_an_organisation_without_a_name_is_refused_even_where_one_is_created(
    database: str, capsys: pytest.CaptureFixture[str], command: list[str], name: str
) -> None:
    assert refused(capsys, *command, "--org", name) == "advisor: --org needs a name\n"


def test_org_create_makes_the_organisation_the_other_commands_then_find(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    created = shown(capsys, "org", "--org", "Foo", "--create", "--threshold", "4")
    assert created.startswith("Foo: threshold 4,")
    assert shown(capsys, "org", "--org", " foo ").startswith("Foo: threshold 4,")
    assert "scan" not in shown(capsys, "scan", "list", "--org", "Foo")


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--threshold", "0", "the anonymity threshold is between 3 and 25"),
        ("--threshold", "2", "the anonymity threshold is between 3 and 25"),
        ("--threshold", "26", "the anonymity threshold is between 3 and 25"),
        ("--tolerance", "3", "the tolerance is 0, 1 or 2 dimensions"),
        ("--zone", "", "unknown time zone ''"),
        ("--zone", "Mars/Olympus_Mons", "unknown time zone 'Mars/Olympus_Mons'"),
        ("--zone", "../../etc/passwd", "unknown time zone '../../etc/passwd'"),
        ("--manager", "", "--manager needs a name"),
        ("--manager", "slack:U1", "--manager 'slack:U1': a name at the terminal has no colon"),
    ],
)
def test_a_bad_setting_is_refused_and_changes_nothing(
    database: str, capsys: pytest.CaptureFixture[str], option: str, value: str, said: str
) -> None:
    assert refused(capsys, "org", "--org", "Foo", "--create", option, value) == f"advisor: {said}\n"
    assert "no organisation called 'Foo'" in refused(capsys, "org", "--org", "Foo"), "created"
    shown(capsys, "org", "--org", "Foo", "--create", "--threshold", "4")
    assert refused(capsys, "org", "--org", "Foo", option, value) == f"advisor: {said}\n"
    assert shown(capsys, "org", "--org", "Foo").startswith("Foo: threshold 4, tolerance 1,")


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["chat", "--user", ""], "--user needs a name"),
        (["chat", "--user", "ann\tbob"], "--user: a name is one line of at most 200 characters"),
        (["chat", "--user", "x" * 201], "--user: a name is one line of at most 200 characters"),
        (["chat", "--user", "slack:U1"], "--user 'slack:U1': a name at the terminal has no colon"),
        (["export", "--user", ""], "--user needs a name"),
        (["export", "--user", "slack:"], "--user 'slack:': write a name (ann) or a chat's id"),
        (["forget", "--user", "", "--yes"], "--user needs a name"),
        (["forget", "--user", ":U1", "--yes"], "--user ':U1': write a name (ann) or a chat's id"),
        (["forget", "--user", "ann", "--successor", " ", "--yes"], "--successor needs a name"),
    ],
)
def test_a_missing_or_malformed_person_is_refused_before_anything_is_read_or_erased(
    database: str, capsys: pytest.CaptureFixture[str], command: list[str], said: str
) -> None:
    shown(capsys, "org", "--org", "Foo", "--create")
    assert refused(capsys, *command, "--org", "Foo").startswith(f"advisor: {said}")
    assert shown(capsys, "org", "--org", "Foo").startswith("Foo:"), "the organisation was erased"


@pytest.mark.parametrize(
    ("output", "said"),
    [
        ("missing/report.html", "--output missing/report.html: there is no folder missing"),
        (".", "--output . is a folder: name the file to write in it"),
        ("/dev/full", "cannot write /dev/full: No space left on device"),
    ],
    ids=["a-missing-folder", "a-folder", "a-full-disk"],
)
def test_a_report_that_cannot_be_written_where_asked_is_one_line(
    database: str, capsys: pytest.CaptureFixture[str], output: str, said: str
) -> None:
    shown(capsys, "org", "--org", "Foo", "--create")
    assert refused(capsys, "report", "--org", "Foo", "--output", output) == f"advisor: {said}\n"
    assert not Path("missing").exists(), "no folder is made for a typo"


def test_an_export_into_a_file_is_one_line(
    database: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shown(capsys, "org", "--org", "Foo", "--create")
    (tmp_path / "taken").write_text("a file, not a folder")
    said = refused(capsys, "export", "--org", "Foo", "--output", "taken/export")
    assert said.startswith("advisor: --output taken/export: cannot write taken/export:")


def test_a_database_that_is_not_one_is_one_line_naming_the_setting(
    database: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "advisor.db").write_bytes(b"not a database, " * 100)
    assert "ADVISOR_DATABASE_URL" in refused(capsys, "org", "--org", "Foo", "--create")


def test_ctrl_c_during_a_command_is_one_line_and_exit_130(
    database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(_: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("bot.commands.run", interrupted)
    assert main(["nudges", "--org", "Foo"]) == EXIT_INTERRUPTED
    printed = capsys.readouterr()
    assert printed.err == "advisor: interrupted\n"


def test_a_reader_that_went_away_ends_the_command_quietly(sqlite_url: str) -> None:
    """`advisor nudges | head -1` when head has already gone: no traceback, nothing said."""
    env = {**os.environ, "ADVISOR_DATABASE_URL": sqlite_url, "PYTHONWARNINGS": "error"}
    advisor = [sys.executable, "-m", "bot"]
    subprocess.run(
        [*advisor, "org", "--org", "Acme", "--create"], env=env, cwd=ROOT, check=True, timeout=120
    )
    reading, writing = os.pipe()
    os.close(reading)  # the reader is gone before the advisor writes a line
    try:
        run = subprocess.run(
            [*advisor, "nudges", "--org", "Acme"],
            stdout=writing,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
    finally:
        os.close(writing)
    assert run.returncode == EXIT_PIPE_CLOSED
    assert run.stderr == ""


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["org", "--org", "Foo", "--threshold", "abc"], "advisor org: argument --threshold:"),
        (["scan", "bogus", "--org", "Foo"], "advisor scan: argument action: invalid choice:"),
        (["report"], "advisor report: the following arguments are required: --org"),
        (["frobnicate"], "advisor: argument COMMAND: invalid choice: 'frobnicate'"),
    ],
)
def test_a_mistyped_command_line_is_one_line_pointing_at_the_help(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    printed = capsys.readouterr().err
    assert printed.startswith(said)
    assert printed.endswith("--help)\n")
    assert printed.count("\n") == 1, printed
