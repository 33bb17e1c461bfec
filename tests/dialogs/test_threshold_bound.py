"""The anonymity threshold runs from 3 to 25: a launch or a settings change above it is
refused with the reason, in both languages, and changes nothing."""

from __future__ import annotations

import pytest

from dialogs import phrases
from dialogs.campaigns import Audience, CampaignRefused, Campaigns, LaunchRequest
from dialogs.records import MAXIMUM_THRESHOLD, MINIMUM_THRESHOLD, OrgSettings
from engine.vocabulary import Language
from tests.dialogs.conftest import World
from tests.fakes.memory import InMemoryLaunchRepository

TOO_HIGH = [26, 1000]


def _campaigns(world: World) -> tuple[Campaigns, InMemoryLaunchRepository]:
    launches = InMemoryLaunchRepository(world.scans)
    campaigns = Campaigns(
        organisations=world.organisations,
        scans=world.scans,
        launches=launches,
        clock=world.clock,
        bank_version=1,
    )
    return campaigns, launches


def test_the_bounds_are_3_and_25() -> None:
    assert (MINIMUM_THRESHOLD, MAXIMUM_THRESHOLD) == (3, 25)
    assert OrgSettings(anonymity_threshold=25).anonymity_threshold == 25
    assert OrgSettings(anonymity_threshold=3).anonymity_threshold == 3


@pytest.mark.parametrize("threshold", [2, *TOO_HIGH])
def test_settings_outside_the_bounds_cannot_exist(threshold: int) -> None:
    with pytest.raises(ValueError, match="between 3 and 25"):
        OrgSettings(anonymity_threshold=threshold)


def test_the_message_says_the_bounds_in_both_languages() -> None:
    assert phrases.THRESHOLD_OUT_OF_RANGE(Language.EN) == "The threshold is between 3 and 25."
    assert phrases.THRESHOLD_OUT_OF_RANGE(Language.NL) == "De drempel ligt tussen 3 en 25."


@pytest.mark.parametrize("threshold", TOO_HIGH)
async def test_a_launch_above_25_is_refused_and_launches_nothing(
    world: World, threshold: int
) -> None:
    campaigns, launches = _campaigns(world)
    audience = (Audience("test:ann", None), Audience("test:bob", None))
    request = LaunchRequest("test:pm", audience, None, None, threshold)

    with pytest.raises(CampaignRefused) as refused:
        await campaigns.launch(world.org_id, request)

    assert refused.value.phrase == phrases.THRESHOLD_OUT_OF_RANGE
    assert await world.scans.history(world.org_id) == [], "no scan opened"
    assert await launches.managers(world.org_id) == set(), "no launch recorded"
    org = await world.organisations.get(world.org_id)
    assert org is not None
    assert org.settings == OrgSettings(), "no setting changed"


@pytest.mark.parametrize("threshold", TOO_HIGH)
async def test_settings_above_25_are_refused_and_nothing_is_saved(
    world: World, threshold: int
) -> None:
    campaigns, _ = _campaigns(world)

    with pytest.raises(CampaignRefused) as refused:
        await campaigns.change_settings(
            world.org_id,
            "test:pm",
            language=Language.EN,
            threshold=threshold,
            report_channel=None,
        )

    assert refused.value.phrase == phrases.THRESHOLD_OUT_OF_RANGE
    org = await world.organisations.get(world.org_id)
    assert org is not None
    assert org.settings == OrgSettings(), "not the language either"


async def test_a_threshold_of_25_is_saved(world: World) -> None:
    campaigns, _ = _campaigns(world)

    saved = await campaigns.change_settings(
        world.org_id, "test:pm", language=Language.EN, threshold=25, report_channel=None
    )

    assert saved.anonymity_threshold == 25
    org = await world.organisations.get(world.org_id)
    assert org is not None
    assert org.settings.anonymity_threshold == 25
