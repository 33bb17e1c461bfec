"""Which command does what, given where the person is in their conversation.

Business rules:
- A typed line is, in this order: an answer to the scan's current question (while scanning),
  a bare number outside a scan (which says no scan is running), a command, or a question.
- 'scan' starts the organisation's running scan, opening one if none runs, and resumes it
  where the person left off.
- 'back' goes to the previous question of the person's scan (also of one they paused or
  finished), and on its first question says so; 'stop' pauses a scan that is running.
  Anywhere else both say no scan is running.
- 'advice' with words after it is a question for the advice base; alone it is advice on the
  organisation's result, as 'plan' is its plan.
- Tasks and figures need the desk; without one, they say it is not available. 'measure'
  takes the week named ('measure 2026-W47'), else the draft's, else last week's (`figures_flow`);
  'stop' while measuring keeps a draft.
- Adopting the plan needs a result placed in a phase.
- The project manager's task list warns when the posting record contradicts the phase rated.
- A question is matched by its opening (`MAX_QUESTION_CHARACTERS`).
- A scan's button pressed outside a scan answers nothing, and says whether that scan closed.
- While 'forget me' waits for its confirmation, a typed line is its answer (`rights`); any
  other command or button cancels it first, and does nothing else.
"""

from __future__ import annotations

from dataclasses import replace

from dialogs import commands, figures_flow, nudge_views, phrases, prompts, scan_flow, views
from dialogs.desk import Desk
from dialogs.events import ChoiceSelected, Command, CommandInvoked, ConversationKey
from dialogs.knowledge import Knowledge
from dialogs.messages import Paragraph, Reply
from dialogs.ports import Clock, ScanRepository, StorageError
from dialogs.reading import Planned, Reading
from dialogs.records import Scan
from dialogs.rights import Rights
from dialogs.state import DialogState, Step, Transition
from engine.advice import answer as answer_question
from engine.crosscheck import posting_check
from engine.kpi import week_of
from engine.scoring import OrgResult
from engine.tasks import Outcome
from engine.text import Text
from engine.vocabulary import Language

MAX_QUESTION_CHARACTERS = 1000
"""How much of a free-text question is matched against the advice base."""


class Router:
    """Carries out a person's commands; the turn runner stores what they change."""

    def __init__(
        self,
        *,
        reading: Reading,
        scans: ScanRepository,
        clock: Clock,
        knowledge: Knowledge,
        desk: Desk | None = None,
        rights: Rights | None = None,
    ) -> None:
        self._rights = rights
        self._reading = reading
        self._scans = scans
        self._clock = clock
        self._knowledge = knowledge
        self._desk = desk

    async def command(
        self, key: ConversationKey, state: DialogState, event: CommandInvoked
    ) -> Transition:
        """What `event` does for someone in `state`."""
        bank, language, reading = self._knowledge.bank, state.language, self._reading
        if state.step is Step.FORGETTING and event.command is not Command.ERASE:
            state = replace(state, step=Step.IDLE, successor="")
            return say(state, phrases.FORGET_CANCELLED)
        if event.command in _RIGHTS:
            if self._rights is None:
                return say(state, phrases.RIGHTS_UNAVAILABLE)
            return await self._rights.command(key, state, event)
        match event.command:
            case Command.SCAN:
                return await self.start_scan(key, state)
            case Command.BACK if state.step is Step.SCANNING or _paused_after_first(state):
                return scan_flow.back(state, bank)
            case Command.STOP if state.step is Step.SCANNING:
                return scan_flow.pause(state, bank)
            case Command.STOP if state.step in figures_flow.STEPS:
                return figures_flow.pause(state)
            case Command.BACK | Command.STOP:
                return say(state, phrases.SCAN_NOT_RUNNING)
            case Command.HELP:
                return Transition(state, views.help_text(language))
            case Command.LANGUAGE:
                return _switch_language(state, event.argument)
            case Command.RESULTS:
                return Transition(state, await reading.results(key, language))
            case Command.ADVICE if event.argument:
                return self._question(state, event.argument)
            case Command.ADVICE:
                return Transition(state, await reading.advice(key.org_id, language))
            case Command.PLAN:
                return Transition(state, await reading.plan(key.org_id, language))
            case _:
                return await self._at_desk(key, state, event)

    async def start_scan(self, key: ConversationKey, state: DialogState) -> Transition:
        """Begin or resume the running scan; the organisation's first (or next) if none runs."""
        scan = await self._scans.current(key.org_id) or await self._open_scan(key.org_id)
        sheet = await self._scans.sheet(key.org_id, scan.id, key.respondent)
        return scan_flow.begin(state, scan, sheet, self._knowledge.bank)

    async def typed(self, key: ConversationKey, state: DialogState, line: str) -> Transition:
        """A typed line outside the figures: an answer to the scan's question, a command, or a
        question for the advice base."""
        if state.step is Step.FORGETTING and self._rights is not None:
            return await self._rights.confirming(key, state, line)
        if not line.strip():
            return say(state, phrases.EMPTY_INPUT)
        if state.step is Step.SCANNING:
            answered = scan_flow.typed(state, line, self._knowledge.bank)
            if answered is not None:
                return answered
        if line.strip().isdigit():
            return say(state, phrases.SCAN_NOT_RUNNING)
        command = commands.parse(line)
        if command is not None:
            return await self.command(key, state, command)
        managing = commands.managing(line)
        where = phrases.WHERE_TO_MANAGE.get(key.channel)
        if managing is not None and not managing.argument and where is not None:
            return self._aside(state, (Paragraph(where(state.language)),))
        return self._question(state, line)

    async def click_outside_scan(
        self, key: ConversationKey, state: DialogState, event: ChoiceSelected
    ) -> Transition:
        """A scan's button pressed while not scanning: say so, and whether that scan closed."""
        prompt = prompts.read(event.prompt_id)
        if prompt is not None and prompt.scan_id is not None:
            scan = await self._scans.current(key.org_id)
            if scan is None or scan.id != prompt.scan_id:
                return say(state, phrases.BUTTON_SCAN_CLOSED)
        return say(state, phrases.SCAN_NOT_RUNNING)

    def _question(self, state: DialogState, line: str) -> Transition:
        """The advice base's answer to a typed question; a scan in progress is shown again."""
        knowledge = self._knowledge
        # A question is a sentence or two; matching costs grow with its length, and a 40,000
        # character message (Slack's most) took over 2 s. Its opening says what it is about.
        asked = line[:MAX_QUESTION_CHARACTERS]
        found = answer_question(knowledge.index, knowledge.advice, asked, state.language)
        return self._aside(state, views.answer(found, state.language))

    def _aside(self, state: DialogState, replies: Reply) -> Transition:
        """Replies beside the scan: a scan in progress is shown again under them."""
        if state.step is Step.SCANNING:
            replies += scan_flow.shown(state, self._knowledge.bank)
        return Transition(state, replies)

    async def _at_desk(
        self, key: ConversationKey, state: DialogState, event: CommandInvoked
    ) -> Transition:
        """Tasks and figures: the always-on work after a scan."""
        language, desk, argument = state.language, self._desk, event.argument
        if desk is None:
            return say(state, phrases.DESK_UNAVAILABLE)
        match event.command:
            case Command.TASKS:
                return await self._tasks(key, state, desk)
            case Command.ADOPT:
                planned = await self._reading.planned(key.org_id)
                if not isinstance(planned, Planned):
                    return say(state, planned)
                return Transition(state, await desk.adopt(key, planned.plan, language, argument))
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
            case _:  # Command.MEASURE, the last of the desk's commands
                return await self._measure(key, state, desk, argument)

    async def _measure(
        self, key: ConversationKey, state: DialogState, desk: Desk, named: str
    ) -> Transition:
        """The figures of the week named, else of the draft kept, else of last week; a week
        with figures already shows them, to be replaced."""
        latest, _ = await desk.week_to_measure(key.org_id)
        if named:
            chosen = figures_flow.chosen_week(named, latest)
            if isinstance(chosen, Text):
                return say(state, chosen)
            week = chosen
        else:
            drafted = figures_flow.draft_week(state) if state.figures else None
            week = drafted or week_of(latest)
        metrics = await self._reading.metrics(key.org_id)
        recorded = await desk.recorded(key.org_id, week[0])
        return figures_flow.begin(state, metrics, week, recorded)

    async def _tasks(self, key: ConversationKey, state: DialogState, desk: Desk) -> Transition:
        """The person's tasks (every task, for the project manager, with the cross-check)."""
        listed = await desk.list_tasks(key, state.language)
        org = await self._reading.organisation(key.org_id)
        result = (await self._reading.published(org)).result
        if org.settings.manager == key.respondent and isinstance(result, OrgResult):
            check = posting_check(result, await desk.posting(key.org_id))
            if check is not None and check.disagrees:
                listed += (Paragraph(nudge_views.cross_check(check, state.language)),)
        return Transition(state, listed)

    async def _open_scan(self, org_id: int) -> Scan:
        """Open the organisation's first (or next) scan; if someone just did, use theirs."""
        try:
            return await self._scans.open(
                org_id, bank_version=self._knowledge.bank.version, now=self._clock.now()
            )
        except StorageError:
            opened = await self._scans.current(org_id)
            if opened is None:
                raise
            return opened


_RIGHTS = frozenset(
    {
        Command.MY_DATA,
        Command.FORGET,
        Command.ERASE,
        Command.PRIVACY,
        Command.EXPORT,
        Command.AUDIT,
    }
)
"""The data-rights commands, which `Rights` carries out."""


def say(state: DialogState, phrase: Text) -> Transition:
    """The phrase in the person's language, and nothing changed."""
    return Transition(state, (Paragraph(phrase(state.language)),))


def _paused_after_first(state: DialogState) -> bool:
    """Out of a scan they left beyond its first question, where 'back' takes them again."""
    return state.scan_id is not None and state.position > 0


def _switch_language(state: DialogState, argument: str) -> Transition:
    try:
        language = Language(argument.strip().lower())
    except ValueError:
        return say(state, phrases.LANGUAGE_UNKNOWN)
    switched = replace(state, language=language)
    return Transition(switched, (Paragraph(phrases.LANGUAGE_SET(language)),))
