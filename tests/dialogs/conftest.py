"""An advisor over in-memory stores, with the shipped bank, catalogue and advice base."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pytest

from dialogs.advisor import Advisor, Knowledge
from dialogs.events import ChoiceSelected, ConversationKey, ConversationStarted
from dialogs.messages import ChoicePrompt, Reply
from dialogs.ports import LaunchRepository
from dialogs.prompts import read
from engine.advice_base import default_advice_base
from engine.bank import default_bank
from engine.matching import TopicIndex
from engine.plan_catalogue import default_plan_catalogue
from engine.vocabulary import Language
from tests.fakes.clock import FixedClock
from tests.fakes.memory import (
    InMemoryConversationStore,
    InMemoryOrganisationDirectory,
    InMemoryScanRepository,
)


@cache
def shipped_knowledge() -> Knowledge:
    advice = default_advice_base()
    return Knowledge(default_bank(), default_plan_catalogue(), advice, TopicIndex(advice))


@dataclass
class World:
    organisations: InMemoryOrganisationDirectory
    scans: InMemoryScanRepository
    conversations: InMemoryConversationStore
    clock: FixedClock
    org_id: int

    def advisor(self, *, launches: LaunchRepository | None = None) -> Advisor:
        """A fresh runner over the same stores, as after a restart; it knows of launches
        (who was invited, until when) through `launches`."""
        return Advisor(
            organisations=self.organisations,
            scans=self.scans,
            conversations=self.conversations,
            clock=self.clock,
            knowledge=shipped_knowledge(),
            launches=launches,
        )

    def key(self, user: str) -> ConversationKey:
        return ConversationKey("test", self.org_id, user, user)

    async def close_scan(self) -> None:
        """Close the running scan, as the project manager (or its deadline) does: its result
        appears only then."""
        scan = await self.scans.current(self.org_id)
        assert scan is not None, "no scan is running"
        await self.scans.close(self.org_id, scan.id, now=self.clock.now())

    async def stored(self, key: ConversationKey) -> dict[str, tuple[str, ...]]:
        """What storage holds of this person's answers in the current scan."""
        scan = await self.scans.current(self.org_id)
        assert scan is not None
        return dict((await self.scans.sheet(self.org_id, scan.id, key.respondent)).answers)


@pytest.fixture
async def world() -> World:
    organisations = InMemoryOrganisationDirectory()
    org = await organisations.ensure("test:acme", "Acme")
    scans = InMemoryScanRepository(organisations)
    return World(
        organisations,
        scans,
        InMemoryConversationStore(organisations, scans),
        FixedClock(),
        org.id,
    )


def prompt_of(reply: Reply) -> ChoicePrompt:
    prompts = [block for block in reply if isinstance(block, ChoicePrompt)]
    assert prompts, f"expected a question in {reply!r}"
    return prompts[-1]


def question_of(prompt: ChoicePrompt) -> str:
    """The question a prompt asks (its id also names the scan)."""
    shown = read(prompt.prompt_id)
    assert shown is not None, prompt.prompt_id
    assert shown.scan_id is not None, prompt.prompt_id
    return shown.question_id


def text_of(reply: Reply) -> str:
    return repr(reply)


async def take_scan(
    advisor: Advisor, key: ConversationKey, pick: int = 0, language: Language = Language.EN
) -> Reply:
    """Answer every question with option number `pick` (0-based), returning the final reply."""
    reply = await advisor.handle(key, ConversationStarted(), language=language)
    while any(isinstance(block, ChoicePrompt) for block in reply):
        prompt = prompt_of(reply)
        choice = prompt.choices[min(pick, len(prompt.choices) - 2)]
        reply = await advisor.handle(key, ChoiceSelected(prompt.prompt_id, (choice.id,)))
    return reply
