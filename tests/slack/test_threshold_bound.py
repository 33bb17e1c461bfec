"""The anonymity threshold runs from 3 to 25: above it, Slack's launch form and settings modal
say so in the form's language, and nothing is launched or saved."""

from __future__ import annotations

from typing import Any

import pytest

from dialogs import phrases
from engine.vocabulary import Language
from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import SlackWorld
from tests.slack.launch_form import launch_values

PM = "UPM"
CHANNEL = "C0TEAM"


def _settings_values(language: str, threshold: str) -> dict[str, Any]:
    return {
        "language": {"language": {"type": "static_select", "selected_option": {"value": language}}},
        "threshold": {"threshold": {"type": "number_input", "value": threshold}},
        "report": {"report": {"type": "conversations_select", "selected_conversation": None}},
    }


@pytest.mark.parametrize("threshold", ["26", "1000", "9" * 5000])
@pytest.mark.parametrize("language", list(Language))
async def test_a_launch_with_a_threshold_above_25_is_refused_in_the_modal_and_changes_nothing(
    world: SlackWorld, threshold: str, language: Language
) -> None:
    world.api.add_user(PM, locale="en-US")
    response = await world.slack.submit_view(
        PM, "launch", launch_values(CHANNEL, threshold, None), metadata=language.value
    )

    assert response.status == 200
    answer = await response.json()
    assert answer == {
        "response_action": "errors",
        "errors": {"threshold": phrases.THRESHOLD_OUT_OF_RANGE(language)},
    }
    await world.idle()
    assert world.api.called("chat.postMessage") == []
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is None or org.settings.anonymity_threshold == 5
    if org is not None:
        assert await world.core.scans.current(org.id) is None, "no scan was opened"


@pytest.mark.parametrize("threshold", ["26", "1000"])
async def test_settings_with_a_threshold_above_25_are_refused_and_nothing_is_saved(
    world: SlackWorld, threshold: str
) -> None:
    world.api.add_user(PM, locale="nl-NL")
    response = await world.slack.submit_view(
        PM, "settings", _settings_values("en", threshold), metadata="nl"
    )

    answer = await response.json()
    assert answer["errors"] == {"threshold": "De drempel ligt tussen 3 en 25."}
    await world.idle()
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is None or (org.settings.anonymity_threshold, org.settings.language) == (
        5,
        Language.NL,
    )


async def test_a_threshold_of_25_is_saved(world: SlackWorld) -> None:
    world.api.add_user(PM, locale="en-US")
    response = await world.slack.submit_view(
        PM, "settings", _settings_values("en", "25"), metadata="en"
    )

    assert response.status == 200
    await world.settled("chat.postMessage", 1)
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    assert org.settings.anonymity_threshold == 25


async def test_both_modals_tell_slack_the_threshold_runs_from_3_to_25(world: SlackWorld) -> None:
    world.api.add_user(PM, locale="en-US")
    await world.slack.slash(PM, "launch", response_url=world.api.response_url("launch"))
    await world.slack.slash(PM, "settings", response_url=world.api.response_url("settings"))
    opened = await world.settled("views.open", 2)

    for call in opened:
        (field,) = (b for b in call["view"]["blocks"] if b["block_id"] == "threshold")
        assert (field["element"]["min_value"], field["element"]["max_value"]) == ("3", "25")
        assert field["label"]["text"] == "Anonymity threshold (3 to 25)"


@pytest.mark.parametrize("threshold", ["0", "000", "2", "02"])
async def test_a_threshold_of_zeros_or_below_3_is_refused_as_too_low(
    world: SlackWorld, threshold: str
) -> None:
    world.api.add_user(PM, locale="en-US")
    response = await world.slack.submit_view(
        PM, "settings", _settings_values("en", threshold), metadata="en"
    )

    assert response.status == 200
    answer = await response.json()
    assert answer["errors"] == {"threshold": phrases.THRESHOLD_TOO_LOW(Language.EN)}
