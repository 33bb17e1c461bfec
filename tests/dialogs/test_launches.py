"""Launching a scan: two launches at once make one, and the other launcher is told why."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from dialogs import phrases
from dialogs.campaigns import Audience, CampaignRefused, Campaigns, LaunchRequest
from dialogs.ports import OrganisationDirectory
from dialogs.records import Launch, Scan
from tests.dialogs.conftest import World
from tests.fakes.memory import InMemoryLaunchRepository, InMemoryScanRepository


class _Together:
    """Lets the first `count` callers through only once all of them have arrived."""

    def __init__(self, count: int) -> None:
        self._barrier = asyncio.Barrier(max(count, 1))
        self._left = count

    async def meet(self) -> None:
        if self._left:
            self._left -= 1
            await self._barrier.wait()


class _ScansLookedAtTogether(InMemoryScanRepository):
    def __init__(self, organisations: OrganisationDirectory, together: _Together) -> None:
        super().__init__(organisations)
        self._together = together

    async def current(self, org_id: int) -> Scan | None:
        found = await super().current(org_id)
        await self._together.meet()
        return found


class _LaunchesLookedAtTogether(InMemoryLaunchRepository):
    def __init__(self, scans: InMemoryScanRepository, together: _Together) -> None:
        super().__init__(scans)
        self._together = together

    async def get(self, org_id: int, scan_id: int) -> Launch | None:
        found = await super().get(org_id, scan_id)
        await self._together.meet()
        return found


@dataclass
class _Launching:
    campaigns: Campaigns
    launches: InMemoryLaunchRepository
    scans: InMemoryScanRepository


def _launching(world: World, *, at_scan: int = 0, at_launch: int = 0) -> _Launching:
    """Campaigns whose first `at_scan` launches all look for the open scan, and first
    `at_launch` for its launch, before any of them opens or records one: as launches on two
    workers can."""
    scans = _ScansLookedAtTogether(world.organisations, _Together(at_scan))
    launches = _LaunchesLookedAtTogether(scans, _Together(at_launch))
    campaigns = Campaigns(
        organisations=world.organisations,
        scans=scans,
        launches=launches,
        clock=world.clock,
        bank_version=1,
    )
    return _Launching(campaigns, launches, scans)


def _request(manager: str, threshold: int) -> LaunchRequest:
    audience = tuple(Audience(f"test:{manager}-{n}", None) for n in range(3))
    return LaunchRequest(f"test:{manager}", audience, None, None, threshold)


async def _both(launching: _Launching, org_id: int) -> list[Scan | BaseException]:
    return await asyncio.gather(
        launching.campaigns.launch(org_id, _request("ann", 4)),
        launching.campaigns.launch(org_id, _request("bob", 6)),
        return_exceptions=True,
    )


@pytest.mark.parametrize("running", [False, True], ids=["no scan yet", "a scan people started"])
async def test_two_launches_at_once_make_one_and_the_other_launcher_is_told(
    world: World, running: bool
) -> None:
    launching = _launching(world, at_scan=0 if running else 2, at_launch=2 if running else 0)
    if running:
        await launching.scans.open(world.org_id, bank_version=1, now=world.clock.now())

    outcomes = await _both(launching, world.org_id)

    (scan,) = [outcome for outcome in outcomes if isinstance(outcome, Scan)]
    (refused,) = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert isinstance(refused, CampaignRefused)
    assert refused.phrase == phrases.JUST_LAUNCHED
    assert [s.id for s in await launching.scans.history(world.org_id)] == [scan.id]
    launch = await launching.launches.get(world.org_id, scan.id)
    assert launch is not None
    winner = launch.launched_by.removeprefix("test:")
    invited = {i.respondent for i in await launching.launches.invitations(world.org_id, scan.id)}
    assert invited == {f"test:{winner}-{n}" for n in range(3)}
    org = await world.organisations.get(world.org_id)
    assert org is not None
    assert org.settings.anonymity_threshold == {"ann": 4, "bob": 6}[winner], "the loser's unset"


async def test_a_launch_after_a_launch_is_refused_as_already_running(world: World) -> None:
    launching = _launching(world)
    scan = await launching.campaigns.launch(world.org_id, _request("ann", 3))
    with pytest.raises(CampaignRefused) as refused:
        await launching.campaigns.launch(world.org_id, _request("ann", 5))
    assert refused.value.phrase == phrases.ALREADY_LAUNCHED
    assert await launching.launches.get(world.org_id, scan.id) == Launch(scan.id, "test:ann")
    org = await world.organisations.get(world.org_id)
    assert org is not None
    assert org.settings.anonymity_threshold == 3, "a refused launch changes no setting"
