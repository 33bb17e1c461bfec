"""The read side: what a person may see of the scans, the result, the plan and the advice.

Business rules:
- The organisation's result comes only from a closed scan, compared with the closed scan
  before it; a running scan shows its participation, never a result.
- A person's own profile is of the running scan if they answered any of it, else of the
  latest closed one.
- The plan and the advice need a result that places the organisation in a phase.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from dialogs import phrases, views
from dialogs.events import ConversationKey
from dialogs.knowledge import Knowledge
from dialogs.messages import Paragraph, Reply
from dialogs.ports import LaunchRepository, OrganisationDirectory, ScanRepository
from dialogs.records import Organisation, Scan
from engine.advice import advise
from engine.kpi import Metric, metrics_for
from engine.plan import Plan, make_plan
from engine.scoring import OrgResult, Withheld, profile, score
from engine.sheet import AnswerSheet
from engine.text import Text
from engine.vocabulary import Language, Phase


@dataclass(frozen=True)
class Published:
    """The latest closed scan and its result, withheld or not, and the scan running now.

    A running scan has no result: scored after each new respondent, two results in a row
    would differ by exactly that person's answers.
    """

    scan: Scan | None
    result: OrgResult | Withheld | None
    running: Scan | None = None


@dataclass(frozen=True)
class Planned:
    """The organisation's latest result, placed in a phase, and the plan made from it."""

    result: OrgResult
    plan: Plan


class Reading:
    """Reads the scans and launches for a person or a home page; changes nothing."""

    def __init__(
        self,
        *,
        organisations: OrganisationDirectory,
        scans: ScanRepository,
        knowledge: Knowledge,
        launches: LaunchRepository | None = None,
    ) -> None:
        self._organisations = organisations
        self._scans = scans
        self._knowledge = knowledge
        self._launches = launches

    async def organisation(self, org_id: int) -> Organisation:
        org = await self._organisations.get(org_id)
        if org is None:
            raise LookupError(f"no organisation with id {org_id}")
        return org

    async def overview(self, key: ConversationKey, language: Language) -> Reply:
        """Where the person stands (their scan, their view beside the organisation's) and what
        they can ask: for a home page."""
        bank = self._knowledge.bank
        scan = await self._scans.current(key.org_id)
        mine: Reply = views.my_scan(None, AnswerSheet(), False, bank, language)
        if scan is not None:
            sheet = await self._scans.sheet(key.org_id, scan.id, key.respondent)
            completed = any(
                p.respondent == key.respondent and p.completed_at is not None
                for p in await self._scans.participation(key.org_id, scan.id)
            )
            mine = views.my_scan(scan, sheet, completed, bank, language)
        return (*mine, *await self.results(key, language), *views.help_text(language))

    async def results(self, key: ConversationKey, language: Language) -> Reply:
        """The person's own profile, and the organisation's: the latest closed scan's result,
        and a running scan's participation only."""
        org = await self.organisation(key.org_id)
        published = await self.published(org)
        mine = await self._own_profile(org, published, key, language)
        if published.running is None:
            return (*mine, *views.org_result(published.scan, published.result, language))
        running = await self._participation(org, published.running, published.scan, key, language)
        if published.scan is None:
            return (*mine, *running)
        return (*mine, *running, *views.org_result(published.scan, published.result, language))

    async def planned(self, org_id: int) -> Planned | Text:
        """The plan from the organisation's latest result, or the phrase saying why there is
        none yet."""
        published = await self.published(await self.organisation(org_id))
        if not isinstance(published.result, OrgResult):
            return phrases.NEEDS_RESULT
        if published.result.overall is None:
            return phrases.NEEDS_PHASE
        return Planned(published.result, make_plan(published.result, self._knowledge.catalogue))

    async def plan(self, org_id: int, language: Language) -> Reply:
        """The plan from the organisation's latest result, or why there is none yet."""
        planned = await self.planned(org_id)
        if not isinstance(planned, Planned):
            return (Paragraph(planned(language)),)
        return views.plan(planned.plan, language)

    async def advice(self, org_id: int, language: Language) -> Reply:
        """Advice on the organisation's latest result and its plan, or why there is none yet."""
        planned = await self.planned(org_id)
        if not isinstance(planned, Planned):
            return (Paragraph(planned(language)),)
        knowledge = self._knowledge
        advice = advise(
            planned.result, planned.plan, knowledge.catalogue, knowledge.advice, language
        )
        return views.advice(advice, language)

    async def metrics(self, org_id: int) -> tuple[Metric, ...]:
        """The figures the organisation's phase asks for."""
        published = await self.published(await self.organisation(org_id))
        phase = published.result.overall if isinstance(published.result, OrgResult) else None
        return metrics_for(phase or Phase.AD_HOC)

    async def published(self, org: Organisation) -> Published:
        """The latest closed scan's result, compared with the closed scan before it, and the
        scan running now (whose result waits until it closes)."""
        history = await self._scans.history(org.id)
        running = next((scan for scan in reversed(history) if scan.is_open), None)
        closed = [scan for scan in history if not scan.is_open]
        if not closed:
            return Published(None, None, running)
        previous: OrgResult | None = None
        if len(closed) > 1:
            earlier = await self._score(org, closed[-2], None)
            previous = earlier if isinstance(earlier, OrgResult) else None
        return Published(closed[-1], await self._score(org, closed[-1], previous), running)

    async def history(self, org: Organisation) -> list[tuple[Scan, OrgResult | Withheld | None]]:
        """Every scan of the organisation, oldest first, with its result (or why it is
        withheld); None for a scan still running, whose result appears when it closes."""
        return [
            (scan, None if scan.is_open else await self._score(org, scan, None))
            for scan in await self._scans.history(org.id)
        ]

    async def _own_profile(
        self, org: Organisation, published: Published, key: ConversationKey, language: Language
    ) -> Reply:
        """The person's profile from the running scan if they answered any of it, else from
        the latest closed one; nothing if they answered neither."""
        for scan in (published.running, published.scan):
            if scan is None:
                continue
            sheet = await self._scans.sheet(org.id, scan.id, key.respondent)
            if sheet.answers:
                tolerance = org.settings.tolerance
                mine = profile(self._knowledge.bank, sheet, tolerance=tolerance)
                return views.own_profile(mine, language)
        return ()

    async def _participation(
        self,
        org: Organisation,
        running: Scan,
        earlier: Scan | None,
        key: ConversationKey,
        language: Language,
    ) -> Reply:
        """How many completed the running scan, of how many invited, until when, and how the
        project manager closes it in this person's channel."""
        completed = sum(
            p.completed_at is not None for p in await self._scans.participation(org.id, running.id)
        )
        invited: int | None = None
        closes: str | None = None
        launches = self._launches
        launch = await launches.get(org.id, running.id) if launches is not None else None
        if launches is not None and launch is not None:
            invited = len(await launches.invitations(org.id, running.id))
            if launch.deadline is not None:
                closes = views.moment(launch.deadline, org.settings.time_zone)
        how = phrases.HOW_TO_CLOSE.get(key.channel)
        return views.participation(
            running,
            completed,
            language,
            invited=invited,
            closes=closes,
            earlier=earlier,
            how_to_close=how(language).format(org=_quoted(org.name)) if how else None,
        )

    async def _score(
        self, org: Organisation, scan: Scan, previous: OrgResult | None
    ) -> OrgResult | Withheld:
        sheets = await self._scans.sheets(org.id, scan.id)
        return score(
            self._knowledge.bank,
            sheets,
            threshold=org.settings.anonymity_threshold,
            tolerance=org.settings.tolerance,
            previous=previous,
        )


def _quoted(word: str) -> str:
    """A name as typed in a shell command: in double quotes if it has spaces or the like."""
    return word if shlex.quote(word) == word else '"' + word.replace('"', '\\"') + '"'
