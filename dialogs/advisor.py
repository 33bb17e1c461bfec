"""The turn runner: lock the conversation, load its state, advance, apply effects, save, reply."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Collection
from dataclasses import dataclass, replace

from dialogs import commands, figures_flow, phrases, scan_flow
from dialogs.desk import Desk
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
from dialogs.knowledge import Knowledge
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
    TurnAnswers,
)
from dialogs.reading import Published, Reading
from dialogs.records import Organisation, Scan
from dialogs.rights import Rights
from dialogs.routing import MAX_QUESTION_CHARACTERS, Router, say
from dialogs.state import (
    CompleteSheet,
    DialogState,
    RecordAnswer,
    RecordFigures,
    StartAfresh,
    Step,
    Transition,
    TurnEffect,
)
from engine.kpi import Metric
from engine.scoring import OrgResult, Withheld
from engine.vocabulary import Language

__all__ = [
    "MAX_QUESTION_CHARACTERS",
    "TURN_ATTEMPTS",
    "Advisor",
    "Answered",
    "Knowledge",
    "Published",
]

TURN_ATTEMPTS = 3
"""A turn that lost an optimistic race is replayed on fresh state; effects are idempotent."""


@dataclass(frozen=True)
class Answered:
    """A turn's reply and the language the conversation speaks after it (None when the turn
    was a delivery handled before, whose reply is empty): a channel renders its own words in
    it without loading the conversation again."""

    reply: Reply
    language: Language | None


class Advisor:
    """Handles one person's turns, whatever the channel.

    What a command does is `routing`'s; what a person may read is `reading`'s, and the read
    methods here hand it on, so the channels keep one object to call.
    """

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
        rights: Rights | None = None,
    ) -> None:
        self._desk = desk
        self._conversations = conversations
        self._clock = clock
        self.knowledge = knowledge
        self._reading = Reading(
            organisations=organisations, scans=scans, knowledge=knowledge, launches=launches
        )
        self._router = Router(
            reading=self._reading,
            scans=scans,
            clock=clock,
            knowledge=knowledge,
            desk=desk,
            rights=rights,
        )
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def handle(
        self,
        key: ConversationKey,
        event: Event,
        *,
        language: Language | None = None,
        once: str | None = None,
    ) -> Reply:
        """Run one turn (see `answer`); its reply."""
        return (await self.answer(key, event, language=language, once=once)).reply

    async def answer(
        self,
        key: ConversationKey,
        event: Event,
        *,
        language: Language | None = None,
        once: str | None = None,
    ) -> Answered:
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
                    return Answered((), None)
                try:
                    return await self._turn(key, event, language, once)
                except ConcurrentUpdate:
                    if attempt == TURN_ATTEMPTS - 1:
                        raise
                except AlreadyHandled:
                    return Answered((), None)
        raise AssertionError("unreachable")

    async def overview(self, key: ConversationKey, *, language: Language | None = None) -> Reply:
        """Where the person stands (their scan, their view beside the organisation's) and what
        they can ask: for a home page. Reads only; `language` is the hint for a new person."""
        return await self._reading.overview(key, await self.language_of(key, default=language))

    async def language_of(
        self, key: ConversationKey, *, default: Language | None = None
    ) -> Language:
        """The language the conversation speaks; for a new one `default`, else the org's."""
        loaded = await self._conversations.load(key.org_id, key.storage_key)
        if loaded is not None:
            return DialogState.from_json(loaded[0]).language
        return default or (await self._reading.organisation(key.org_id)).settings.language

    async def languages_of(
        self, org_id: int, keys: Collection[ConversationKey], *, default: Language
    ) -> dict[ConversationKey, Language]:
        """`language_of` for many conversations of one organisation, read at once; `default`
        for those that have not begun."""
        saved = await self._conversations.load_many(org_id, [key.storage_key for key in keys])
        return {
            key: DialogState.from_json(saved[key.storage_key][0]).language
            if key.storage_key in saved
            else default
            for key in keys
        }

    async def metrics(self, org_id: int) -> tuple[Metric, ...]:
        """The figures the organisation's phase asks for."""
        return await self._reading.metrics(org_id)

    async def plan(self, org_id: int, language: Language) -> Reply:
        """The plan from the organisation's latest result, or why there is none yet."""
        return await self._reading.plan(org_id, language)

    async def published(self, org: Organisation) -> Published:
        """The latest closed scan's result, compared with the closed scan before it, and the
        scan running now (whose result waits until it closes)."""
        return await self._reading.published(org)

    async def history(self, org: Organisation) -> list[tuple[Scan, OrgResult | Withheld | None]]:
        """Every scan of the organisation, oldest first, with its result (or why it is
        withheld); None for a scan still running, whose result appears when it closes."""
        return await self._reading.history(org)

    async def _turn(
        self, key: ConversationKey, event: Event, language: Language | None, once: str | None
    ) -> Answered:
        loaded = await self._conversations.load(key.org_id, key.storage_key)
        if loaded is None:
            if language is None:
                language = (await self._reading.organisation(key.org_id)).settings.language
            state, version = DialogState(language=language), None
        else:
            state, version = DialogState.from_json(loaded[0]), loaded[1]
        transition = await self._advance(key, state, event)
        if any(isinstance(effect, StartAfresh) for effect in transition.effects):
            # The person was forgotten: nothing of them is saved.
            return Answered(transition.replies, transition.state.language)
        await self._record_figures(key, transition.effects)
        answers = _answers(key, transition.effects, self._clock)
        unchanged = transition.state == state and version is not None and answers is None
        if unchanged and once is None:
            return Answered(transition.replies, transition.state.language)
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
        return Answered(transition.replies, transition.state.language)

    async def _advance(self, key: ConversationKey, state: DialogState, event: Event) -> Transition:
        bank, router = self.knowledge.bank, self._router
        match event:
            case ConversationStarted():
                return await router.start_scan(key, state)
            case ChoiceSelected() if state.step is Step.SCANNING:
                return scan_flow.choose(state, event, bank)
            case ChoiceSelected():
                return await router.click_outside_scan(key, state, event)
            case CommandInvoked():
                return await router.command(key, state, event)
            case TaskAction():
                if self._desk is None:
                    return say(state, phrases.DESK_UNAVAILABLE)
                return Transition(state, await self._desk.act(key, event, state.language))
            case TextReceived(text=line) if state.step in figures_flow.STEPS:
                return await self._measuring(key, state, line)
            case TextReceived(text=line):
                return await router.typed(key, state, line)

    async def _measuring(self, key: ConversationKey, state: DialogState, line: str) -> Transition:
        """One typed figure (or yes or no to figures in doubt), for the week being measured and
        the metrics asked now; 'measure' again goes to the router, which may switch weeks."""
        if self._desk is None:  # a conversation left measuring by a runner that had a desk
            return say(figures_flow.ended(state), phrases.DESK_UNAVAILABLE)
        command = commands.parse(line)
        if command is not None and command.command is Command.MEASURE:
            return await self._router.command(key, state, command)
        # A conversation saved before weeks were kept in it measures last week.
        week = figures_flow.draft_week(state) or await self._desk.week_to_measure(key.org_id)
        return figures_flow.typed(state, line, await self._reading.metrics(key.org_id), week)

    async def _record_figures(self, key: ConversationKey, effects: tuple[TurnEffect, ...]) -> None:
        """Figures go through the desk, in their own transaction, before the state that says
        they were saved; a week recorded again replaces itself, so a replayed turn is harmless."""
        for effect in effects:
            if isinstance(effect, RecordFigures):
                assert self._desk is not None, "figures are asked for only with a desk"
                await self._desk.record(key, effect.entry)


def _answers(
    key: ConversationKey, effects: tuple[TurnEffect, ...], clock: Clock
) -> TurnAnswers | None:
    """What the turn records in the scan, saved with its state; None if it records nothing."""
    recorded = tuple(e for e in effects if isinstance(e, RecordAnswer | CompleteSheet))
    return TurnAnswers(key.respondent, recorded, clock.now()) if recorded else None
