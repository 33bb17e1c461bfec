"""The organisation's zone and calendar in Slack's settings modal: shown as they are, saved,
shown again as saved, and every mistake shown under its own block (through the fake Slack)."""

from __future__ import annotations

import json
from datetime import date, time
from typing import Any

import pytest

from bot.slack.modals import NO_COUNTRY, settings_form, settings_modal
from dialogs.records import OrgSettings
from engine.respect import Respect
from engine.vocabulary import Language
from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import SlackWorld
from tests.slack.test_render import assert_modal_within_slack_limits

PM = "UPM"


async def _open(world: SlackWorld) -> dict[str, Any]:
    before = len(world.api.called("views.open"))
    await world.slack.slash(PM, "settings", response_url=world.api.response_url("settings"))
    opened = await world.settled("views.open", before + 1)
    view = opened[-1]["view"]
    return json.loads(view) if isinstance(view, str) else view  # type: ignore[no-any-return]


def _blocks(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block["block_id"]: block for block in view["blocks"] if "block_id" in block}


def _typed(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def _values(**calendar: str | None) -> dict[str, Any]:
    """A whole settings modal as Slack submits it: every block, the calendar's as given."""
    fields = {
        "zone": "Europe/Amsterdam",
        "working_days": "ma-vr",
        "hours": "09:00-17:30",
        "quiet_hours": None,
        "weekly_cap": "5",
        "country": NO_COUNTRY,
        "days_off": None,
        **calendar,
    }
    values: dict[str, Any] = {
        "language": {"language": {"type": "static_select", "selected_option": {"value": "nl"}}},
        "threshold": {"threshold": {"type": "number_input", "value": "5"}},
        "report": {"report": {"type": "conversations_select", "selected_conversation": None}},
    }
    for name, value in fields.items():
        if name == "country":
            element = {"type": "static_select", "selected_option": {"value": value}}
        elif name == "weekly_cap":
            element = {"type": "number_input", "value": value}
        else:
            element = _typed(value)
        values[name] = {name: element}
    return values


async def test_the_manager_sees_the_calendar_saves_a_new_one_and_sees_it_again(
    world: SlackWorld,
) -> None:
    world.api.add_user(PM, locale="nl-NL", tz="Europe/Amsterdam")
    shown = _blocks(await _open(world))
    assert shown["zone"]["element"]["initial_value"] == "Europe/Amsterdam"
    assert shown["working_days"]["element"]["initial_value"] == "ma-vr"
    assert shown["hours"]["element"]["initial_value"] == "09:00-17:30"
    assert "initial_value" not in shown["quiet_hours"]["element"]
    # Never set: the Netherlands' public holidays, as the zone is Amsterdam's.
    assert shown["country"]["element"]["initial_option"]["value"] == "NL"
    assert shown["country"]["hint"]["text"] == (
        "Op de officiële feestdagen van het gekozen land komen geen herinneringen."
    )

    answer = await world.slack.submit_view(
        PM,
        "settings",
        _values(
            zone="America/New_York",
            working_days="ma t/m do",
            hours="8:00-16:00",
            quiet_hours="12:00-13:00",
            weekly_cap="3",
            country="US",
            days_off="2026-12-24, 31-12-2026",
        ),
        metadata="nl",
    )
    assert answer.status == 200
    saved = await world.settled("chat.postMessage", 1)
    said = json.dumps(saved[-1], ensure_ascii=False)
    assert "Werkdagen ma-do, werktijden 08:00-16:00 (America/New_York)" in said
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    assert org.settings.time_zone == "America/New_York"
    assert org.settings.respect == Respect(
        working_days=frozenset({0, 1, 2, 3}),
        day_starts=time(8, 0),
        day_ends=time(16, 0),
        holidays=frozenset({date(2026, 12, 24), date(2026, 12, 31)}),
        weekly_cap=3,
        quiet_hours=(time(12, 0), time(13, 0)),
        country="US",
    )
    actions = [entry.action for entry in await world.core.audit.entries(org.id)]
    assert "zone" in actions
    assert "calendar" in actions

    again = _blocks(await _open(world))
    assert again["zone"]["element"]["initial_value"] == "America/New_York"
    assert again["working_days"]["element"]["initial_value"] == "ma-do"
    assert again["quiet_hours"]["element"]["initial_value"] == "12:00-13:00"
    assert again["weekly_cap"]["element"]["initial_value"] == "3"
    assert again["country"]["element"]["initial_option"]["value"] == "US"
    assert again["days_off"]["element"]["initial_value"] == "2026-12-24, 2026-12-31"


async def test_every_bad_field_is_shown_under_its_block_and_nothing_changes(
    world: SlackWorld,
) -> None:
    await _open(world)
    response = await world.slack.submit_view(
        PM,
        "settings",
        _values(
            zone="Mars/Olympus",
            working_days="maandag-xx",
            hours="laat",
            quiet_hours="18:00-19:00",
            weekly_cap="0",
            country="XX",
            days_off="morgen",
        ),
        metadata="en",
    )
    errors = (await response.json())["errors"]

    assert set(errors) == {"zone", "working_days", "hours", "weekly_cap", "country", "days_off"}
    assert "Mars/Olympus" in errors["zone"]
    assert "'xx'" in errors["working_days"]
    assert "'morgen'" in errors["days_off"]
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    assert org.settings == OrgSettings(), "nothing was saved"


async def test_quiet_hours_outside_the_working_hours_are_shown_under_quiet_hours(
    world: SlackWorld,
) -> None:
    response = await world.slack.submit_view(
        PM, "settings", _values(quiet_hours="18:00-19:00"), metadata="nl"
    )

    errors = (await response.json())["errors"]
    assert set(errors) == {"quiet_hours"}
    assert "binnen de werktijden (09:00-17:30)" in errors["quiet_hours"]


@pytest.mark.parametrize("language", list(Language))
def test_a_full_calendar_fits_in_slacks_limits_and_reads_back(language: Language) -> None:
    respect = Respect(
        quiet_hours=(time(12, 0), time(13, 0)),
        country="GB",
        holidays=frozenset(date.fromordinal(date(2026, 1, 1).toordinal() + n) for n in range(100)),
    )
    view = settings_modal(language, OrgSettings(language=language, respect=respect))
    assert_modal_within_slack_limits(view)

    values: dict[str, Any] = {}
    for block in view["blocks"]:
        element = block["element"]
        if element["type"] == "static_select":
            state = {"selected_option": element["initial_option"]}
        elif element["type"] == "conversations_select":
            state = {"selected_conversation": None}
        else:
            state = {"value": element.get("initial_value")}
        values[block["block_id"]] = {block["block_id"]: state}
    form = settings_form({"state": {"values": values}})
    assert form.zone == "Europe/Amsterdam"
    assert form.calendar["country"] == "GB"
    assert form.calendar["days_off"].count(",") == 99
