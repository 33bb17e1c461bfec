"""The turn runner: lock the conversation, load its state, advance, apply effects, save, reply."""

from __future__ import annotations

import asyncio
import shlex
import weakref
from dataclasses import dataclass, replace

from dialogs import commands, nudge_views, phrases, prompts, scan_flow, views
from dialogs.desk import Desk, rate_note
from dialogs.events import (
    ChoiceSelected,
    Command,
    CommandInvoked,
    ConversationKey,
    ConversationStarted,
    Event,
    TaskAction,
    TextReceived,
)
from dialogs.messages import Paragraph, Reply
from dialogs.ports import (
    AlreadyHandled,
    Clock,
    ConcurrentUpdate,
    ConversationStore,
    LaunchRepository,
    Once,
    OrganisationDirectory,
    ScanClosed,
    ScanRepository,
    StorageError,
    TurnAnswers,
)
from dialogs.records import Organisation, Scan
from dialogs.state import DialogState, Step, Transition
from engine.advice import advise
from engine.advice import answer as answer_question
from engine.advice_base import AdviceBase
from engine.bank import QuestionBank
from engine.crosscheck import posting_check
from engine.kpi import KpiError, Metric, metrics_for, parse_count
from engine.kpi import entry as kpi_entry
from engine.matching import TopicIndex
from engine.plan import make_plan
from engine.plan_catalogue import PlanCatalogue
from engine.scoring import OrgResult, Withheld, profile, score
from engine.sheet import AnswerSheet
from engine.tasks import Outcome
from engine.text import Text
from engine.vocabulary import Language, Phase

MAX_QUESTION_CHARACTERS = 1000
"""How much of a free-text question is matched against the advice base."""
TURN_ATTEMPTS = 3
"""A turn that lost an optimistic race is replayed on fresh state; effects are idempotent."""


@dataclass(frozen=True)
class Knowledge:
    """The engine's data, loaded once at start-up."""

    bank: QuestionBank
    catalogue: PlanCatalogue
    advice: AdviceBase
    index: TopicIndex


@dataclass(frozen=True)
class Published:
    """The latest closed scan and its result, withheld or not, and the scan running now.

    A running scan has no result: scored after each new respondent, two results in a row
    would differ by exactly that person's answers.
    """

    scan: Scan | None
    result: OrgResult | Withheld | None
    running: Scan | None = None


class Advisor:
    """Handles one person's turns, whatever the channel."""

    def __init__(
        self,
        *,
        organisations: OrganisationDirectory,
        scans: ScanRepository,
        conversations: ConversationStore,
        clock: Clock,
        knowledge: Knowledge,
        desk: Desk | None = None,
        launches: LaunchRepository | None = None,
    ) -> None:
        self._desk = desk
        self._launches = launches
        self._organisations = organisations
        self._scans = scans
        self._conversations = conversations
        self._clock = clock
        self.knowledge = knowledge
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def handle(
        self,
        key: ConversationKey,
        event: Event,
        *,
        language: Language | None = None,
        once: str | None = None,
    ) -> Reply:
        """Run one turn; when this returns, what the turn changed is stored.

        Args:
            language: the channel's hint for a conversation's first turn.
            once: the platform's id for this delivery, when it may deliver it again (Slack
                retries an event, Teams redelivers an activity). The turn is then saved with
                it, and a delivery already handled gets an empty reply and changes nothing.
        """
        if self._desk is not None and isinstance(event, TextReceived | CommandInvoked):
            await self._desk.reachable_again(key)  # not on a button click: the hot path
        lock = self._locks.setdefault(f"{key.org_id}:{key.storage_key}", asyncio.Lock())
        async with lock:
            for attempt in range(TURN_ATTEMPTS):
                if once is not None and await self._conversations.handled(key.org_id, once):
                    return ()
                try:
                    return await self._turn(key, event, language, once)
                except ConcurrentUpdate:
                    if attempt == TURN_ATTEMPTS - 1:
                        raise
                except AlreadyHandled:
                    return ()
        raise AssertionError("unreachable")

    async def overview(self, key: ConversationKey, *, language: Language | None = None) -> Reply:
        """Where the person stands (their scan, their view beside the organisation's) and what
        they can ask: for a home page. Reads only; `language` is the hint for a new person."""
        language = await self.language_of(key, default=language)
        scan = await self._scans.current(key.org_id)
        mine: Reply = views.my_scan(None, AnswerSheet(), False, self.knowledge.bank, language)
        if scan is not None:
            sheet = await self._scans.sheet(key.org_id, scan.id, key.respondent)
            completed = any(
                p.respondent == key.respondent and p.completed_at is not None
                for p in await self._scans.participation(key.org_id, scan.id)
            )
            mine = views.my_scan(scan, sheet, completed, self.knowledge.bank, language)
        results = await self._results(key, DialogState(language=language))
        return (*mine, *results, *views.help_text(language))

    async def language_of(
        self, key: ConversationKey, *, default: Language | None = None
    ) -> Language:
        """The language the conversation speaks; for a new one `default`, else the org's."""
        loaded = await self._conversations.load(key.org_id, key.storage_key)
        if loaded is not None:
            return DialogState.from_json(loaded[0]).language
        return default or (await self._organisation(key.org_id)).settings.language

    async def _turn(
        self, key: ConversationKey, event: Event, language: Language | None, once: str | None
    ) -> Reply:
        loaded = await self._conversations.load(key.org_id, key.storage_key)
        if loaded is None:
            if language is None:
                language = (await self._organisation(key.org_id)).settings.language
            state, version = DialogState(language=language), None
        else:
            state, version = DialogState.from_json(loaded[0]), loaded[1]
        transition = await self._advance(key, state, event)
        answers = (
            TurnAnswers(key.respondent, transition.effects, self._clock.now())
            if transition.effects
            else None
        )
        unchanged = transition.state == state and version is not None and answers is None
        if unchanged and once is None:
            return transition.replies
        seen = None if once is None else Once(once, self._clock.now())
        try:
            await self._conversations.save(
                key.org_id,
                key.storage_key,
                transition.state.to_json(),
                version=version,
                answers=answers,
                once=seen,
            )
        except ScanClosed:
            closed = replace(transition.state, step=Step.IDLE, scan_id=None)
            transition = Transition(closed, (Paragraph(phrases.SCAN_CLOSED(state.language)),))
            await self._conversations.save(
                key.org_id, key.storage_key, closed.to_json(), version=version, once=seen
            )
        return transition.replies

    async def _advance(self, key: ConversationKey, state: DialogState, event: Event) -> Transition:
        bank = self.knowledge.bank
        match event:
            case ConversationStarted():
                return await self._start_scan(key, state)
            case ChoiceSelected() if state.step is Step.SCANNING:
                return scan_flow.choose(state, event, bank)
            case ChoiceSelected():
                return await self._click_outside_scan(key, state, event)
            case CommandInvoked():
                return await self._command(key, state, event)
            case TaskAction():
                if self._desk is None:
                    return _say(state, phrases.DESK_UNAVAILABLE)
                return Transition(state, await self._desk.act(key, event, state.language))
            case TextReceived(text=line) if state.step is Step.MEASURING:
                return await self._measuring(key, state, line)
            case TextReceived(text=line):
                if not line.strip():
                    return _say(state, phrases.EMPTY_INPUT)
                if state.step is Step.SCANNING:
                    answered = scan_flow.typed(state, line, bank)
                    if answered is not None:
                        return answered
                if line.strip().isdigit():
                    return _say(state, phrases.SCAN_NOT_RUNNING)
                command = commands.parse(line)
                if command is not None:
                    return await self._command(key, state, command)
                return self._question(state, line)

    async def _command(
        self, key: ConversationKey, state: DialogState, event: CommandInvoked
    ) -> Transition:
        bank = self.knowledge.bank
        language = state.language
        match event.command:
            case Command.SCAN:
                return await self._start_scan(key, state)
            case Command.BACK if state.scan_id is not None and state.position > 0:
                return scan_flow.back(state, bank)
            case Command.BACK:
                return _say(state, phrases.SCAN_NOT_RUNNING)
            case Command.STOP if state.step is Step.SCANNING:
                return scan_flow.pause(state)
            case Command.STOP:
                return _say(state, phrases.SCAN_NOT_RUNNING)
            case Command.HELP:
                return Transition(state, views.help_text(language))
            case Command.LANGUAGE:
                return _switch_language(state, event.argument)
            case Command.RESULTS:
                return Transition(state, await self._results(key, state))
            case Command.ADVICE if event.argument:
                return self._question(state, event.argument)
            case Command.PLAN | Command.ADVICE:
                replies = await self._plan_or_advice(key.org_id, language, event.command)
                return Transition(state, replies)
            case _:
                return await self._at_desk(key, state, event)

    async def _at_desk(
        self, key: ConversationKey, state: DialogState, event: CommandInvoked
    ) -> Transition:
        """Tasks and figures: the always-on work after a scan."""
        language, desk, argument = state.language, self._desk, event.argument
        if desk is None:
            return _say(state, phrases.DESK_UNAVAILABLE)
        match event.command:
            case Command.TASKS:
                listed = await desk.list_tasks(key, language)
                org = await self._organisation(key.org_id)
                result = (await self.published(org)).result
                if org.settings.manager == key.respondent and isinstance(result, OrgResult):
                    check = posting_check(result, await desk.posting(key.org_id))
                    if check is not None and check.disagrees:
                        listed += (Paragraph(nudge_views.cross_check(check, language)),)
                return Transition(state, listed)
            case Command.ADOPT:
                published = await self.published(await self._organisation(key.org_id))
                if not isinstance(published.result, OrgResult):
                    return _say(state, phrases.NEEDS_RESULT)
                if published.result.overall is None:
                    return _say(state, phrases.NEEDS_PHASE)
                plan = make_plan(published.result, self.knowledge.catalogue)
                return Transition(state, await desk.adopt(key, plan, language, argument))
            case Command.DONE:
                return Transition(state, await desk.mark(key, argument, Outcome.DONE, language))
            case Command.SKIP:
                return Transition(state, await desk.mark(key, argument, Outcome.SKIPPED, language))
            case Command.SNOOZE:
                return Transition(state, await desk.snooze(key, argument, language))
            case Command.AWAY:
                return Transition(state, await desk.away(key, argument, language))
            case Command.REASSIGN:
                return Transition(state, await desk.reassign(key, argument, language))
            case _:
                return await self._start_measuring(key, state)

    async def _click_outside_scan(
        self, key: ConversationKey, state: DialogState, event: ChoiceSelected
    ) -> Transition:
        """A scan's button pressed while not scanning: say so, and whether that scan closed."""
        prompt = prompts.read(event.prompt_id)
        if prompt is not None and prompt.scan_id is not None:
            scan = await self._scans.current(key.org_id)
            if scan is None or scan.id != prompt.scan_id:
                return _say(state, phrases.BUTTON_SCAN_CLOSED)
        return _say(state, phrases.SCAN_NOT_RUNNING)

    async def metrics(self, org_id: int) -> tuple[Metric, ...]:
        """The figures the organisation's phase asks for."""
        published = await self.published(await self._organisation(org_id))
        phase = published.result.overall if isinstance(published.result, OrgResult) else None
        return metrics_for(phase or Phase.AD_HOC)

    async def _start_measuring(self, key: ConversationKey, state: DialogState) -> Transition:
        assert self._desk is not None
        start, end = await self._desk.week_to_measure(key.org_id)
        measuring = replace(state, step=Step.MEASURING, position=0, figures={})
        intro = phrases.MEASURE_INTRO(state.language).format(start=start, end=end)
        metrics = await self.metrics(key.org_id)
        return Transition(measuring, (Paragraph(intro), _figure_prompt(metrics, 0, state.language)))

    async def _measuring(self, key: ConversationKey, state: DialogState, line: str) -> Transition:
        """One typed figure: a number, '-' for unknown, or stop."""
        assert self._desk is not None
        language, typed = state.language, line.strip()
        command = commands.parse(typed)
        if command is not None and command.command is Command.STOP:
            stopped = replace(state, step=Step.IDLE, position=0, figures={})
            return Transition(stopped, (Paragraph(phrases.MEASURE_STOPPED(language)),))
        metrics = await self.metrics(key.org_id)
        metric = metrics[min(state.position, len(metrics) - 1)]
        figures = dict(state.figures)
        if typed != "-":
            try:
                figures[metric.value] = parse_count(metric, typed)
            except KpiError as error:
                again = _figure_prompt(metrics, state.position, language)
                return Transition(state, (Paragraph(error.phrase(language)), again))
        position = state.position + 1
        if position < len(metrics):
            moved = replace(state, position=position, figures=figures)
            return Transition(moved, (_figure_prompt(metrics, position, language),))
        start, end = await self._desk.week_to_measure(key.org_id)
        try:
            checked = kpi_entry(start, end, {Metric(name): v for name, v in figures.items()})
        except KpiError as error:
            back_to = metrics.index(error.field) if error.field in metrics else 0
            figures.pop(error.field.value if error.field else "", None)
            moved = replace(state, position=back_to, figures=figures)
            again = _figure_prompt(metrics, back_to, language)
            return Transition(moved, (Paragraph(error.phrase(language)), again))
        await self._desk.record(key, checked)
        saved = phrases.MEASURE_SAVED(language).format(
            start=start, end=end, rate=rate_note(checked, language)
        )
        done = replace(state, step=Step.IDLE, position=0, figures={})
        return Transition(done, (Paragraph(saved),))

    async def _start_scan(self, key: ConversationKey, state: DialogState) -> Transition:
        scan = await self._scans.current(key.org_id) or await self._open_scan(key.org_id)
        sheet = await self._scans.sheet(key.org_id, scan.id, key.respondent)
        return scan_flow.begin(state, scan, sheet, self.knowledge.bank)

    async def _open_scan(self, org_id: int) -> Scan:
        """Open the organisation's first (or next) scan; if someone just did, use theirs."""
        try:
            return await self._scans.open(
                org_id, bank_version=self.knowledge.bank.version, now=self._clock.now()
            )
        except StorageError:
            opened = await self._scans.current(org_id)
            if opened is None:
                raise
            return opened

    def _question(self, state: DialogState, line: str) -> Transition:
        knowledge = self.knowledge
        # A question is a sentence or two; matching costs grow with its length, and a 40,000
        # character message (Slack's most) took over 2 s. Its opening says what it is about.
        asked = line[:MAX_QUESTION_CHARACTERS]
        found = answer_question(knowledge.index, knowledge.advice, asked, state.language)
        replies = views.answer(found, state.language)
        if state.step is Step.SCANNING:
            replies += scan_flow.shown(state, knowledge.bank)
        return Transition(state, replies)

    async def _results(self, key: ConversationKey, state: DialogState) -> Reply:
        """The person's own profile (of the running scan, else of the latest closed one), and
        the organisation's: the latest closed scan's result, and a running scan's
        participation only."""
        org = await self._organisation(key.org_id)
        published = await self.published(org)
        language = state.language
        mine: Reply = ()
        for scan in (published.running, published.scan):
            if scan is None:
                continue
            sheet = await self._scans.sheet(org.id, scan.id, key.respondent)
            if sheet.answers:
                mine = views.own_profile(
                    profile(self.knowledge.bank, sheet, tolerance=org.settings.tolerance),
                    language,
                )
                break
        if published.running is None:
            return (*mine, *views.org_result(published.scan, published.result, language))
        running = await self._participation(org, published.running, published.scan, key, language)
        if published.scan is None:
            return (*mine, *running)
        return (*mine, *running, *views.org_result(published.scan, published.result, language))

    async def _participation(
        self,
        org: Organisation,
        running: Scan,
        earlier: Scan | None,
        key: ConversationKey,
        language: Language,
    ) -> Reply:
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

    async def plan(self, org_id: int, language: Language) -> Reply:
        """The plan from the organisation's latest result, or why there is none yet."""
        return await self._plan_or_advice(org_id, language, Command.PLAN)

    async def _plan_or_advice(self, org_id: int, language: Language, command: Command) -> Reply:
        published = await self.published(await self._organisation(org_id))
        if not isinstance(published.result, OrgResult):
            return (Paragraph(phrases.NEEDS_RESULT(language)),)
        if published.result.overall is None:
            return (Paragraph(phrases.NEEDS_PHASE(language)),)
        knowledge = self.knowledge
        the_plan = make_plan(published.result, knowledge.catalogue)
        if command is Command.PLAN:
            return views.plan(the_plan, language)
        return views.advice(
            advise(published.result, the_plan, knowledge.catalogue, knowledge.advice, language),
            language,
        )

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

    async def _score(
        self, org: Organisation, scan: Scan, previous: OrgResult | None
    ) -> OrgResult | Withheld:
        sheets = await self._scans.sheets(org.id, scan.id)
        return score(
            self.knowledge.bank,
            sheets,
            threshold=org.settings.anonymity_threshold,
            tolerance=org.settings.tolerance,
            previous=previous,
        )

    async def _organisation(self, org_id: int) -> Organisation:
        org = await self._organisations.get(org_id)
        if org is None:
            raise LookupError(f"no organisation with id {org_id}")
        return org


def _say(state: DialogState, phrase: Text) -> Transition:
    return Transition(state, (Paragraph(phrase(state.language)),))


def _quoted(word: str) -> str:
    """A name as typed in a shell command: in double quotes if it has spaces or the like."""
    return word if shlex.quote(word) == word else '"' + word.replace('"', '\\"') + '"'


def _switch_language(state: DialogState, argument: str) -> Transition:
    try:
        language = Language(argument.strip().lower())
    except ValueError:
        return _say(state, phrases.LANGUAGE_UNKNOWN)
    switched = replace(state, language=language)
    return Transition(switched, (Paragraph(phrases.LANGUAGE_SET(language)),))


def _figure_prompt(metrics: tuple[Metric, ...], position: int, language: Language) -> Paragraph:
    metric = metrics[position]
    return Paragraph(
        phrases.MEASURE_PROMPT(language).format(
            number=position + 1, total=len(metrics), label=metric.label(language)
        )
    )
