"""A campaign's rules, once for every chat: `CampaignRunner` over in-memory stores and a
`Publisher` that only records what was sent where (the chat's part, faked)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import pytest

from dialogs import phrases
from dialogs.campaigns import (
    PROGRESS_EVERY,
    REPUBLISH_WITHIN,
    Audience,
    CampaignRunner,
    Campaigns,
    Invited,
    LaunchRequest,
    PublisherFor,
    conversation,
)
from dialogs.delivery import Undeliverable
from dialogs.events import Command, CommandInvoked
from dialogs.messages import Chart, Heading, Paragraph, Places, Reply
from dialogs.records import Organisation, Scan, place
from engine.vocabulary import Language
from tests.dialogs.conftest import World, take_scan
from tests.fakes.memory import InMemoryLaunchRepository

EN, NL = Language.EN, Language.NL
MANAGER = "slack:UPM"
PLACE = place("slack", "C1")
THRESHOLD = 3
NAMES = ("ann", "bob", "cas", "dan")


# The outside world: a chat that records what it was asked to send


@dataclass(frozen=True)
class Sent:
    to: str
    reply: Reply
    pictures: bool
    place: bool = False


@dataclass
class RecordingPublisher:
    """Records every message by address; refuses the addresses in `refusals` with their kind;
    says a person's chat is set to `locales[person]`."""

    locales: dict[str, Language] = field(default_factory=dict)
    refusals: dict[str, Undeliverable] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    crash_after: int | None = None
    """Raise (the process stops) instead of sending once this many messages went out."""

    def refuse(self, address: str, kind: Undeliverable) -> None:
        self.refusals[address] = kind

    async def to_person(
        self, org: Organisation, respondent: str, reply: Reply, *, pictures: bool = False
    ) -> Undeliverable | None:
        return self._send(Sent(respondent, reply, pictures))

    async def to_place(
        self, org: Organisation, place: str, reply: Reply, *, pictures: bool = False
    ) -> Undeliverable | None:
        return self._send(Sent(place, reply, pictures, place=True))

    async def language(self, org: Organisation, respondent: str) -> Language | None:
        return self.locales.get(respondent)

    def _send(self, message: Sent) -> Undeliverable | None:
        if self.crash_after is not None and len(self.sent) >= self.crash_after:
            raise RuntimeError("the process stopped")
        if message.to in self.refusals:
            return self.refusals[message.to]
        self.sent.append(message)
        return None

    def to(self, address: str) -> list[Sent]:
        """What arrived at this address, in order."""
        return [message for message in self.sent if message.to == address]

    def addresses(self) -> list[str]:
        return [message.to for message in self.sent]


# A campaign over the fixture's stores


@dataclass
class Campaign:
    world: World
    launches: InMemoryLaunchRepository
    runner: CampaignRunner

    async def org(self, org_id: int) -> Organisation:
        """The organisation as stored now (a launch changes its settings)."""
        org = await self.world.organisations.get(org_id)
        assert org is not None
        return org

    def another_worker(self) -> CampaignRunner:
        """A second runner over the same stores, as on another process."""
        return _runner(self.world, self.launches)


def _runner(world: World, launches: InMemoryLaunchRepository) -> CampaignRunner:
    campaigns = Campaigns(
        organisations=world.organisations,
        scans=world.scans,
        launches=launches,
        clock=world.clock,
        bank_version=1,
    )
    return CampaignRunner(
        campaigns=campaigns, advisor=world.advisor(launches=launches), launches=launches
    )


@pytest.fixture
def campaign(world: World) -> Campaign:
    launches = InMemoryLaunchRepository(world.scans)
    return Campaign(world, launches, _runner(world, launches))


def people(*names: str, language: Language | None = None) -> tuple[Audience, ...]:
    return tuple(Audience(f"slack:{name}", None, language) for name in names)


async def launch(
    campaign: Campaign,
    audience: Sequence[Audience],
    *,
    org_id: int | None = None,
    deadline: datetime | None = None,
) -> tuple[Organisation, Scan]:
    """MANAGER launches the scan for `audience`, its result to go to PLACE too."""
    org_id = campaign.world.org_id if org_id is None else org_id
    request = LaunchRequest(MANAGER, tuple(audience), deadline, PLACE, THRESHOLD)
    scan = await campaign.runner.campaigns.launch(org_id, request)
    return await campaign.org(org_id), scan


async def launched_and_invited(
    campaign: Campaign,
    audience: Sequence[Audience],
    *,
    org_id: int | None = None,
    deadline: datetime | None = None,
) -> tuple[Organisation, Scan]:
    org, scan = await launch(campaign, audience, org_id=org_id, deadline=deadline)
    await campaign.runner.invite(org, scan.id, audience, RecordingPublisher())
    return org, scan


async def finish(campaign: Campaign, org: Organisation, respondent: str) -> None:
    """The person answers every question of the running scan, in the language they speak."""
    advisor = campaign.world.advisor(launches=campaign.launches)
    await take_scan(advisor, conversation(org.id, respondent), pick=1)


async def choose_language(
    campaign: Campaign, org: Organisation, respondent: str, language: Language
) -> None:
    """The person tells the advisor which language to speak ('language en')."""
    advisor = campaign.world.advisor(launches=campaign.launches)
    said = CommandInvoked(Command.LANGUAGE, language)
    await advisor.handle(conversation(org.id, respondent), said)


async def close(campaign: Campaign, org: Organisation) -> Scan:
    closed = await campaign.runner.close(org, MANAGER, org.settings.language)
    assert closed.scan is not None, closed.reply
    return closed.scan


async def publish(
    campaign: Campaign,
    org: Organisation,
    scan: Scan,
    publisher: RecordingPublisher,
    *,
    closed_by: str | None = None,
    runner: CampaignRunner | None = None,
) -> None:
    launch = await campaign.launches.get(org.id, scan.id)
    runner = runner or campaign.runner
    await runner.publish(org, scan, launch, publisher, closed_by=closed_by)


async def organisation(campaign: Campaign, key: str, language: Language = NL) -> Organisation:
    org = await campaign.world.organisations.ensure(key, key)
    return await campaign.world.organisations.update_settings(
        org.id, replace(org.settings, language=language)
    )


def invited_in(message: Sent) -> Language | None:
    """The language an invitation speaks, or None if the message is no invitation."""
    return next(
        (lang for lang in Language if message.reply[:1] == (Paragraph(phrases.INVITED(lang)),)),
        None,
    )


def result_ready(scan: Scan, language: Language) -> Paragraph:
    return Paragraph(phrases.RESULT_READY(language).format(number=scan.number))


def is_result(message: Sent, language: Language) -> bool:
    """The organisation's result, with its charts."""
    shows = Heading(phrases.ORG_TITLE(language)) in message.reply
    return shows and any(isinstance(block, Chart) for block in message.reply)


def own_views(publisher: RecordingPublisher, scan: Scan) -> dict[str, Language]:
    """Who got their own view beside the result, in which language."""
    return {
        message.to: lang
        for message in publisher.sent
        for lang in Language
        if message.reply[:1] == (result_ready(scan, lang),)
    }


async def status(campaign: Campaign, org: Organisation, scan: Scan) -> dict[str, object]:
    return {
        i.respondent: i.failure or ("invited" if i.invited_at else "not yet")
        for i in await campaign.launches.invitations(org.id, scan.id)
    }


# 1. Invitations


async def test_everyone_is_invited_once_in_their_own_language_and_a_refusal_is_recorded(
    campaign: Campaign,
) -> None:
    audience = (
        *people("ann", language=EN),
        *people("bob", language=NL),
        *people("cas"),  # the chat does not say: the organisation's language (Dutch)
        *people("dan", language=NL),
        *people("eve", language=EN),
    )
    org, scan = await launch(campaign, audience)
    await choose_language(campaign, org, "slack:dan", EN)  # their own choice beats the hint
    publisher = RecordingPublisher()
    publisher.refuse("slack:eve", Undeliverable.PERSON_GONE)

    counts = await campaign.runner.invite(org, scan.id, audience, publisher)

    assert counts == Invited(sent=4, failed=1)
    assert sorted(publisher.addresses()) == ["slack:ann", "slack:bob", "slack:cas", "slack:dan"]
    languages = {message.to: invited_in(message) for message in publisher.sent}
    assert languages == {"slack:ann": EN, "slack:bob": NL, "slack:cas": NL, "slack:dan": EN}
    assert not any(message.pictures for message in publisher.sent)
    assert await status(campaign, org, scan) == {
        "slack:ann": "invited",
        "slack:bob": "invited",
        "slack:cas": "invited",
        "slack:dan": "invited",
        "slack:eve": Undeliverable.PERSON_GONE,
    }


# 2. Resuming


async def test_inviting_again_after_a_crash_invites_only_those_not_invited_or_refused(
    campaign: Campaign,
) -> None:
    audience = people("ann", "bob", "cas", "dan", "eve")
    org, scan = await launch(campaign, audience)
    crashing = RecordingPublisher(crash_after=2)
    crashing.refuse("slack:bob", Undeliverable.NO_ACCESS)
    with pytest.raises(RuntimeError):
        await campaign.runner.invite(org, scan.id, audience, crashing)
    assert crashing.addresses() == ["slack:ann", "slack:cas"]  # bob refused, dan never reached

    resumed = RecordingPublisher()
    counts = await campaign.another_worker().invite(org, scan.id, audience, resumed)

    assert resumed.addresses() == ["slack:dan", "slack:eve"]
    assert counts == Invited(sent=4, failed=1), "the counts include the run before the crash"
    assert (await status(campaign, org, scan))["slack:bob"] == Undeliverable.NO_ACCESS


async def test_someone_listed_twice_in_an_audience_is_invited_once(campaign: Campaign) -> None:
    """A person in both the chosen channel and the chosen group, say."""
    audience = people("ann", "bob", "ann")
    org, scan = await launch(campaign, audience)
    publisher = RecordingPublisher()

    counts = await campaign.runner.invite(org, scan.id, audience, publisher)

    assert publisher.addresses() == ["slack:ann", "slack:bob"]
    assert counts == Invited(sent=2, failed=0)


# 3. Progress


async def test_progress_is_reported_after_every_so_many_people_and_at_the_end(
    campaign: Campaign,
) -> None:
    assert PROGRESS_EVERY == 25
    audience = people(*(f"U{n:02}" for n in range(60)))
    org, scan = await launch(campaign, audience)
    publisher = RecordingPublisher()
    publisher.refuse("slack:U03", Undeliverable.PERSON_GONE)
    reported: list[Invited] = []

    async def progress(counts: Invited) -> None:
        reported.append(counts)

    await campaign.runner.invite(org, scan.id, audience, publisher, progress)

    assert reported == [Invited(24, 1), Invited(49, 1), Invited(59, 1)]


# 4. A closed scan


async def test_no_invitation_goes_out_for_a_scan_that_closed(campaign: Campaign) -> None:
    audience = people("ann", "bob")
    org, scan = await launch(campaign, audience)
    await close(campaign, org)
    publisher = RecordingPublisher()

    assert await campaign.runner.invite(org, scan.id, audience, publisher) is None
    assert publisher.sent == []


async def test_no_invitation_goes_out_for_an_earlier_scan_once_the_next_runs(
    campaign: Campaign,
) -> None:
    audience = people("ann", "bob")
    org, scan = await launch(campaign, audience)
    await close(campaign, org)
    await finish(campaign, org, "slack:someone")  # opens the next scan
    publisher = RecordingPublisher()

    assert await campaign.runner.invite(org, scan.id, audience, publisher) is None
    assert publisher.sent == []


# 5. Publishing


@pytest.mark.parametrize("closed_by", [None, "slack:UOTHER"], ids=["launcher", "closer"])
async def test_the_result_goes_to_the_manager_and_the_place_then_each_finisher_their_own(
    campaign: Campaign, closed_by: str | None
) -> None:
    audience = (*people("ann", "cas", "dan", language=EN), *people("bob", language=NL))
    org, scan = await launched_and_invited(campaign, audience)
    await choose_language(campaign, org, "slack:cas", NL)
    for name in ("ann", "bob", "cas"):  # dan does not finish
        await finish(campaign, org, f"slack:{name}")
    scan = await close(campaign, org)
    publisher = RecordingPublisher()

    await publish(campaign, org, scan, publisher, closed_by=closed_by)

    manager = closed_by or MANAGER
    (to_manager,) = publisher.to(manager)
    (to_place,) = publisher.to(PLACE)
    assert is_result(to_manager, org.settings.language)
    assert to_manager.pictures
    assert to_place.place
    assert to_place.pictures
    assert to_place.reply == to_manager.reply
    if closed_by is not None:
        assert publisher.to(MANAGER) == [], "the launcher did not close it"
    assert own_views(publisher, scan) == {"slack:ann": EN, "slack:bob": NL, "slack:cas": NL}
    assert publisher.to("slack:dan") == []
    own = [message for message in publisher.sent if message.to.removeprefix("slack:") in NAMES]
    assert len(own) == 3
    assert not any(message.pictures for message in own)
    assert publisher.sent.index(own[0]) > publisher.sent.index(to_place), "after the result"


async def test_a_result_published_by_two_workers_is_sent_once(campaign: Campaign) -> None:
    audience = people("ann", "bob", "cas")
    org, scan = await launched_and_invited(campaign, audience)
    for person in audience:
        await finish(campaign, org, person.respondent)
    scan = await close(campaign, org)
    publisher = RecordingPublisher()

    await publish(campaign, org, scan, publisher)
    await publish(campaign, org, scan, publisher, runner=campaign.another_worker())

    assert sorted(publisher.addresses()) == sorted(
        [MANAGER, PLACE, "slack:ann", "slack:bob", "slack:cas"]
    )


# 6. A place that refuses


@pytest.mark.parametrize(
    ("choice", "locale", "org_language", "told_in"),
    [
        (NL, EN, EN, NL),
        (None, EN, NL, EN),
        (None, None, EN, EN),
    ],
    ids=["their own choice", "their chat's locale", "the organisation's"],
)
async def test_a_place_that_refuses_the_result_is_told_to_the_manager_in_their_language(
    campaign: Campaign,
    choice: Language | None,
    locale: Language | None,
    org_language: Language,
    told_in: Language,
) -> None:
    org = await organisation(campaign, "slack:T1", org_language)
    audience = people("ann", "bob", "cas")
    org, scan = await launched_and_invited(campaign, audience, org_id=org.id)
    for person in audience:
        await finish(campaign, org, person.respondent)
    if choice is not None:
        await choose_language(campaign, org, MANAGER, choice)
    scan = await close(campaign, org)
    publisher = RecordingPublisher(locales={MANAGER: locale} if locale else {})
    publisher.refuse(PLACE, Undeliverable.NO_ACCESS)

    await publish(campaign, org, scan, publisher)

    result, told = publisher.to(MANAGER)
    assert is_result(result, org_language)
    assert told.reply == (
        Paragraph(phrases.NOT_PUBLISHED(told_in).format(number=scan.number)),
        Places((PLACE,)),
        Paragraph(Undeliverable.NO_ACCESS.explanation(told_in)),
    )
    assert not any(message.place for message in publisher.sent)


# 7. Below the threshold


async def test_below_the_threshold_only_the_manager_hears_there_is_no_result_to_show(
    campaign: Campaign,
) -> None:
    audience = people("ann", "bob", "cas", "dan")
    org, scan = await launched_and_invited(campaign, audience)
    await finish(campaign, org, "slack:ann")
    await finish(campaign, org, "slack:bob")  # two of the three needed
    scan = await close(campaign, org)
    publisher = RecordingPublisher()

    await publish(campaign, org, scan, publisher)

    (told,) = publisher.sent
    assert told.to == MANAGER
    language = org.settings.language
    too_few = phrases.ORG_TOO_FEW(language, 2, number=scan.number, threshold=THRESHOLD)
    assert Paragraph(too_few) in told.reply
    assert not any(isinstance(block, Chart) for block in told.reply)


# 8. The tick


def reaching(
    *publishers: tuple[Organisation, RecordingPublisher],
) -> tuple[PublisherFor, list[int]]:
    """A `PublisherFor` that knows these organisations' chats, and records whom it was asked for;
    any other organisation's app was removed (LookupError)."""
    known = {org.id: publisher for org, publisher in publishers}
    asked: list[int] = []

    async def publisher_for(org: Organisation) -> RecordingPublisher:
        asked.append(org.id)
        if org.id not in known:
            raise LookupError(f"{org.key} is not installed")
        return known[org.id]

    return publisher_for, asked


async def past_deadline(campaign: Campaign, org_key: str) -> Organisation:
    """A new organisation whose launched scan all three people finished, and whose deadline
    the clock has not reached yet."""
    org = await organisation(campaign, org_key)
    deadline = campaign.world.clock.now() + timedelta(days=2)
    audience = people("ann", "bob", "cas")
    org, _ = await launched_and_invited(campaign, audience, org_id=org.id, deadline=deadline)
    for person in audience:
        await finish(campaign, org, person.respondent)
    return org


async def closed_at(campaign: Campaign, org: Organisation) -> datetime | None:
    return (await campaign.world.scans.history(org.id))[-1].closed_at


async def test_the_tick_closes_a_scan_past_its_deadline_and_publishes_it_once(
    campaign: Campaign,
) -> None:
    org = await past_deadline(campaign, "slack:T1")
    publisher = RecordingPublisher()
    publisher_for, _ = reaching((org, publisher))

    await campaign.runner.tick("slack", publisher_for)
    assert publisher.sent == [], "not before the deadline"
    assert await closed_at(campaign, org) is None

    campaign.world.clock.advance(days=3)
    await campaign.runner.tick("slack", publisher_for)
    campaign.world.clock.advance(hours=1)
    await campaign.runner.tick("slack", publisher_for)
    await campaign.another_worker().tick("slack", publisher_for)

    assert await closed_at(campaign, org) is not None
    assert sorted(publisher.addresses()) == sorted(
        [MANAGER, PLACE, "slack:ann", "slack:bob", "slack:cas"]
    )
    assert is_result(publisher.to(MANAGER)[0], org.settings.language)


async def test_a_scan_whose_chat_is_gone_is_closed_anyway_and_not_closed_again(
    campaign: Campaign,
) -> None:
    org = await past_deadline(campaign, "slack:T1")
    publisher_for, asked = reaching()  # the app was removed
    campaign.world.clock.advance(days=3)

    await campaign.runner.tick("slack", publisher_for)

    closed = await closed_at(campaign, org)
    assert closed is not None
    assert await campaign.runner.campaigns.due_for_closing("slack") == []
    campaign.world.clock.advance(hours=1)
    await campaign.runner.tick("slack", publisher_for)
    assert await closed_at(campaign, org) == closed
    assert asked, "the tick did look for the chat"


async def test_a_result_nobody_published_after_closing_is_published_by_the_next_tick(
    campaign: Campaign,
) -> None:
    org = await past_deadline(campaign, "slack:T1")
    await close(campaign, org)  # and the process stopped before publishing
    campaign.world.clock.advance(hours=20)
    publisher = RecordingPublisher()
    publisher_for, _ = reaching((org, publisher))

    await campaign.runner.tick("slack", publisher_for)
    await campaign.runner.tick("slack", publisher_for)

    assert sorted(publisher.addresses()) == sorted(
        [MANAGER, PLACE, "slack:ann", "slack:bob", "slack:cas"]
    )


async def test_a_result_left_unpublished_for_over_a_day_is_not_sent_late(
    campaign: Campaign,
) -> None:
    org = await past_deadline(campaign, "slack:T1")
    await close(campaign, org)
    campaign.world.clock.advance(seconds=REPUBLISH_WITHIN.total_seconds() + 60)
    publisher = RecordingPublisher()
    publisher_for, _ = reaching((org, publisher))

    await campaign.runner.tick("slack", publisher_for)

    assert publisher.sent == []


async def test_a_chats_tick_leaves_the_organisations_of_another_chat_alone(
    campaign: Campaign,
) -> None:
    slack = await past_deadline(campaign, "slack:T1")
    teams = await past_deadline(campaign, "teams:T2")
    unpublished = await past_deadline(campaign, "teams:T3")
    await close(campaign, unpublished)
    campaign.world.clock.advance(days=3)
    to_slack, to_teams = RecordingPublisher(), RecordingPublisher()
    publisher_for, asked = reaching((slack, to_slack), (teams, to_teams), (unpublished, to_teams))

    await campaign.runner.tick("slack", publisher_for)

    assert asked == [slack.id]
    assert await closed_at(campaign, slack) is not None
    assert await closed_at(campaign, teams) is None
    assert to_teams.sent == []
    assert MANAGER in to_slack.addresses()


# 9. The manager's home


async def test_the_launcher_sees_participation_and_the_plan_at_home_and_nobody_else_does(
    campaign: Campaign,
) -> None:
    audience = people("ann", "bob")
    org, scan = await launched_and_invited(campaign, audience)
    await finish(campaign, org, "slack:ann")
    advisor = campaign.world.advisor(launches=campaign.launches)

    home = await campaign.runner.manager_home(org, MANAGER, EN)

    assert home[0] == Heading(phrases.STATUS_TITLE(EN).format(number=scan.number))
    counts = phrases.STATUS_COUNTS(EN, 1, invited=phrases.STATUS_INVITED(EN, 2))
    assert Paragraph(counts) in home
    plan = await advisor.plan(org.id, EN)
    assert home[-len(plan) :] == plan
    for someone_else in ("slack:ann", "slack:bob", "slack:UOTHER"):
        assert await campaign.runner.manager_home(org, someone_else, EN) == ()
