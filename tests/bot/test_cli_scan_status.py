"""`advisor scan status`: who has not finished the open scan, by name and never with what they
answered; and the kept demo, opened again by the name it prints."""

from __future__ import annotations

import asyncio
import re
import shlex
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import build_app
from bot.cli import main, org_key
from bot.settings import load_settings
from dialogs.delivery import Undeliverable
from dialogs.records import Invitee, Launch
from engine.bank import default_bank
from engine.vocabulary import Language

DEADLINE = datetime(2030, 5, 3, 15, 0, tzinfo=UTC)


@pytest.fixture
def database(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("ADVISOR_DATABASE_URL", sqlite_url)
    monkeypatch.chdir(tmp_path)
    return sqlite_url


def counts(status: str) -> dict[str, int]:
    """The status's counts, by label."""
    return {
        label: int(number)
        for label, number in re.findall(r"^(\S.*?)\s{2,}(\d+)$", status, re.MULTILINE)
    }


def advisor(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert printed.err == ""
    return printed.out


async def _running_scan(database: str, language: Language, *, launched: bool) -> None:
    """Acme's open scan: bob finished, ann began it, and, when it was launched, cem and dee
    were invited: dee's invitation did not arrive."""
    app = await build_app(load_settings(database_url=database))
    try:
        org = await app.organisations.ensure(org_key("Acme"), "Acme")
        await app.organisations.update_settings(org.id, replace(org.settings, language=language))
        now = app.clock.now()
        scan = await app.scans.open(org.id, bank_version=default_bank().version, now=now)
        first = default_bank().questions[0]
        for person in ("console:ann", "console:bob"):
            chosen = (first.options[0].id,)
            await app.scans.record_answer(org.id, scan.id, person, first.id, chosen, now=now)
        await app.scans.complete(org.id, scan.id, "console:bob", now=now)
        if launched:
            launches = app.activation.launches
            invited = [Invitee(f"console:{who}") for who in ("cem", "dee", "bob")]
            await launches.record(org.id, Launch(scan.id, "console:pm", DEADLINE), invited)
            failure = Undeliverable.PERSON_GONE
            await launches.mark_failed(org.id, scan.id, "console:dee", failure=failure)
    finally:
        await app.close()


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            Language.EN,
            [
                "== Participation in scan 1 ==",
                "",
                "Invited or begun   2",
                "Completed          1",
                "Not completed yet  1",
                "",
                "== Not completed yet ==",
                "",
                "ann",
                "The organisation's result appears when the scan closes.",
                "You see who still has to answer, never what anyone answered.",
            ],
        ),
        (
            Language.NL,
            [
                "== Deelname aan scan 1 ==",
                "",
                "Uitgenodigd of begonnen  2",
                "Afgerond                 1",
                "Nog niet afgerond        1",
                "",
                "== Nog niet afgerond ==",
                "",
                "ann",
                "Het resultaat van de organisatie verschijnt als de scan sluit.",
                "Je ziet wie nog moet antwoorden, nooit wat iemand antwoordde.",
            ],
        ),
    ],
)
def test_the_status_names_who_began_and_did_not_finish_in_the_organisations_language(
    database: str, capsys: pytest.CaptureFixture[str], language: Language, lines: list[str]
) -> None:
    asyncio.run(_running_scan(database, language, launched=False))

    status = advisor(capsys, "scan", "status", "--org", "Acme")

    assert status.splitlines()[: len(lines) - 2] == lines[:-2]
    for paragraph in lines[-2:]:
        assert paragraph in " ".join(status.split())
    assert "bob" not in status, "who finished is counted, not named"
    first = default_bank().questions[0]
    assert first.options[0].text(language) not in status, "an answer was shown"


def test_the_status_of_a_launched_scan_counts_the_invited_and_who_was_not_reached(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_running_scan(database, Language.EN, launched=True))

    status = advisor(capsys, "scan", "status", "--org", "Acme")

    assert counts(status) == {
        "Invited or begun": 4,  # ann, bob, cem, dee
        "Completed": 1,
        "Not completed yet": 2,
        "Invitation not delivered": 1,
    }
    pending = status.split("== Not completed yet ==", 1)[1].split("==", 1)[0]
    assert pending.split() == ["ann,", "cem"]
    unreached = status.split("== Invitation not delivered ==", 1)[1]
    assert "dee" in unreached
    assert "The organisation's result appears when the scan closes, on 2030-05-03 17:00" in (
        " ".join(status.split())
    )


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (Language.EN, "No scan is running. A scan opens as soon as someone begins it"),
        (Language.NL, "Er loopt geen scan. Een scan gaat open zodra iemand hem in de chat begint"),
    ],
)
def test_without_an_open_scan_the_status_says_so_and_how_one_opens(
    database: str, capsys: pytest.CaptureFixture[str], language: Language, said: str
) -> None:
    advisor(capsys, "org", "--org", "Acme Bakery", "--create", "--lang", language.value)

    status = " ".join(advisor(capsys, "scan", "status", "--org", "Acme Bakery").split())

    assert status.startswith(said)
    assert status.endswith("advisor scan new --org 'Acme Bakery'")


def test_the_kept_demo_opens_again_by_the_name_it_prints(
    database: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shown = advisor(capsys, "demo", "--keep", "--lang", "en")

    printed = re.search(r"^Demo: (.+?)\. A baseline", shown, re.MULTILINE)
    assert printed is not None
    name = printed.group(1)
    hint = shown.strip().splitlines()[-1]
    assert hint.endswith(f"advisor report --org {shlex.quote(name)}")
    report = tmp_path / "demo.html"
    assert advisor(capsys, "report", "--org", name, "--output", str(report)).strip() == str(report)
    assert name in report.read_text(encoding="utf-8")
    default = advisor(capsys, "report", "--org", name, "--format", "html").strip()
    assert default.startswith("report-bakkerij-de-gouden-korst-demo-"), "a file name, no spaces"
    assert (tmp_path / default).is_file()
    assert advisor(capsys, "org", "--org", name).startswith(f"{name}: threshold")
    assert advisor(capsys, "scan", "list", "--org", name.upper()).startswith("scan 1: closed")


def test_without_keep_the_demo_leaves_nothing_behind(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = advisor(capsys, "demo", "--lang", "nl")
    assert "advisor report" not in shown
    assert main(["org", "--org", "Bakkerij De Gouden Korst (demo)"]) == 2
    assert "there is no organisation called" in capsys.readouterr().err
