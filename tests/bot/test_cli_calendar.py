"""`advisor org`'s calendar: working days, hours, quiet hours, weekly cap, country and days off
as a person types them; each bad one refused on a line of its own in the organisation's
language, nothing changed; a new calendar moves the nudges still to send, and the audit log
says which fields changed."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest

from bot.app import build_app
from bot.cli import main, org_key
from bot.settings import load_settings
from engine.nudges import NudgeKind, PlannedNudge
from engine.recurrence import LocalTime

MONDAY = LocalTime(datetime(2030, 1, 7, 10, 0), "Europe/Amsterdam")  # noqa: DTZ001 - wall clock
DEFAULT_CALENDAR = (
    "calendar: working days mon-fri, hours 09:00-17:30, quiet hours -, weekly cap 5, "
    "country NL, days off -"
)


@pytest.fixture
def database(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("ADVISOR_DATABASE_URL", sqlite_url)
    monkeypatch.chdir(tmp_path)
    return sqlite_url


def advisor(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    code = main(list(argv))
    printed = capsys.readouterr()
    assert code == 0, printed.err
    return printed.out.splitlines()


def test_the_calendar_is_shown_and_changed_as_typed_in_either_language(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert advisor(capsys, "org", "--org", "Acme", "--create")[1] == DEFAULT_CALENDAR

    changed = advisor(
        capsys, "org", "--org", "Acme",
        "--working-days", "ma-do", "--hours", "8:30-16:00", "--quiet-hours", "12:00-13:00",
        "--weekly-cap", "3", "--country", "België", "--days-off", "24-12-2030, 2030-12-31",
    )  # fmt: skip

    assert changed[1] == (
        "calendar: working days mon-thu, hours 08:30-16:00, quiet hours 12:00-13:00, "
        "weekly cap 3, country BE, days off 2030-12-24, 2030-12-31"
    )
    cleared = advisor(capsys, "org", "--org", "Acme", "--quiet-hours", "", "--country", "")
    assert "quiet hours -, weekly cap 3, country -," in cleared[1]
    audit = "\n".join(advisor(capsys, "audit", "--org", "Acme"))
    assert "calendar · changed=working_days,hours,quiet_hours,weekly_cap,country,days_off" in (
        audit
    )


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            [
                "advisor: --hours: The working day has to start before it ends.",
                "advisor: --weekly-cap: The number of reminders per week is a whole number "
                "from 1 to 50.",
                "advisor: --country: I don't know the public holidays of 'Narnia'. Use a "
                "two-letter country code such as NL, BE or GB, or leave it empty.",
            ],
        ),
        (
            "nl",
            [
                "advisor: --hours: De werkdag moet beginnen voordat hij eindigt.",
                "advisor: --weekly-cap: Het aantal herinneringen per week is een heel getal "
                "van 1 tot en met 50.",
                "advisor: --country: Van 'Narnia' ken ik de feestdagen niet. Gebruik een "
                "landcode van twee letters, zoals NL, BE of GB, of laat het veld leeg.",
            ],
        ),
    ],
)
def test_each_bad_calendar_option_is_a_line_in_the_organisations_language_and_changes_nothing(
    database: str, capsys: pytest.CaptureFixture[str], language: str, said: list[str]
) -> None:
    advisor(capsys, "org", "--org", "Acme", "--create", "--lang", language)

    bad = ("--hours", "17:00-09:00", "--weekly-cap", "lots", "--country", "Narnia")
    code = main(["org", "--org", "Acme", "--working-days", "tue-fri", *bad])

    printed = capsys.readouterr()
    assert code == 2
    assert printed.err.splitlines() == said
    assert "Traceback" not in printed.err
    assert advisor(capsys, "org", "--org", "Acme")[1] == DEFAULT_CALENDAR


def test_a_bad_calendar_for_a_new_organisation_creates_nothing(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["org", "--org", "Acme", "--create", "--working-days", "someday"]) == 2
    assert "--working-days" in capsys.readouterr().err
    assert main(["org", "--org", "Acme"]) == 2
    assert "there is no organisation called 'Acme'" in capsys.readouterr().err


async def _reminder_on_a_monday(database: str) -> None:
    app = await build_app(load_settings(database_url=database))
    try:
        org = await app.organisations.ensure(org_key("Acme"), "Acme")
        reminder = PlannedNudge("console:ann", NudgeKind.SCAN_REMINDER, "1", MONDAY, MONDAY)
        await app.activation.outbox.plan(org.id, [reminder], now=MONDAY.instant())
    finally:
        await app.close()


async def _pending(database: str) -> list[LocalTime]:
    app = await build_app(load_settings(database_url=database))
    try:
        org = await app.organisations.find(org_key("Acme"))
        assert org is not None
        return [nudge.deliver_at for nudge in await app.activation.outbox.pending(org.id)]
    finally:
        await app.close()


def test_a_new_calendar_moves_the_nudges_still_to_send(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_reminder_on_a_monday(database))

    shown = advisor(capsys, "org", "--org", "Acme", "--working-days", "tue-fri")

    assert shown[2] == "1 nudge still to send moved to the new zone and calendar"
    (moved,) = asyncio.run(_pending(database))
    assert moved == LocalTime(datetime(2030, 1, 8, 9, 0), "Europe/Amsterdam")  # noqa: DTZ001
    unchanged = advisor(capsys, "org", "--org", "Acme", "--working-days", "tue-fri")
    assert len(unchanged) == 2, "nothing changed, nothing moved"
