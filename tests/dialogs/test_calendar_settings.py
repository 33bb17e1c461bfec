"""A new zone or calendar asks for re-planning once, with the settings from before; the same
ones ask nothing; a re-planning that fails leaves the saved settings saved."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from dialogs.campaigns import Campaigns
from dialogs.ports import StorageError
from dialogs.records import DEFAULT_CALENDAR, OrgSettings
from engine.respect import Respect
from engine.vocabulary import Language
from tests.dialogs.conftest import World
from tests.fakes.memory import InMemoryLaunchRepository

PM = "console:pm"


@dataclass
class RecordingReplanner:
    asked: list[tuple[int, OrgSettings]] = field(default_factory=list)
    fails: bool = False

    async def replan(self, org_id: int, before: OrgSettings) -> int:
        self.asked.append((org_id, before))
        if self.fails:
            raise StorageError("the database went away")
        return 3


def _campaigns(world: World, replanner: RecordingReplanner) -> Campaigns:
    return Campaigns(
        organisations=world.organisations,
        scans=world.scans,
        launches=InMemoryLaunchRepository(world.scans),
        clock=world.clock,
        bank_version=1,
        replanner=replanner,
    )


async def _change(campaigns: Campaigns, world: World, **calendar: object) -> OrgSettings:
    return await campaigns.change_settings(
        world.org_id, PM, language=Language.NL, threshold=5, report_channel=None, **calendar
    )  # type: ignore[arg-type]


async def test_a_new_calendar_is_re_planned_once_from_the_settings_before(world: World) -> None:
    replanner = RecordingReplanner()
    campaigns = _campaigns(world, replanner)
    before = (await world.organisations.get(world.org_id)).settings  # type: ignore[union-attr]

    saved = await _change(
        campaigns, world, time_zone="Europe/Brussels", respect=Respect(country="BE")
    )

    assert (saved.time_zone, saved.respect) == ("Europe/Brussels", Respect(country="BE"))
    assert replanner.asked == [(world.org_id, before)]


@pytest.mark.parametrize(
    "unchanged",
    [{}, {"time_zone": "Europe/Amsterdam"}, {"respect": DEFAULT_CALENDAR}],
    ids=["nothing said", "the same zone", "the same calendar"],
)
async def test_the_same_zone_and_calendar_ask_no_re_planning(
    world: World, unchanged: dict[str, object]
) -> None:
    replanner = RecordingReplanner()

    await _change(_campaigns(world, replanner), world, **unchanged)

    assert replanner.asked == []


async def test_a_failed_re_planning_keeps_the_saved_settings(world: World) -> None:
    replanner = RecordingReplanner(fails=True)

    saved = await _change(_campaigns(world, replanner), world, respect=Respect(country="BE"))

    stored = await world.organisations.get(world.org_id)
    assert stored is not None
    assert stored.settings == saved
    assert saved.respect.country == "BE"
    assert len(replanner.asked) == 1
