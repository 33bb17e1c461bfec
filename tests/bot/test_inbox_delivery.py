"""The terminal's nudges wait in the inbox, written in the organisation's language."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.delivery import InboxDelivery
from dialogs.messages import Paragraph, mention
from dialogs.records import Nudge
from engine.nudges import NudgeKind
from engine.recurrence import LocalTime
from engine.vocabulary import Language
from tests.fakes.clock import FixedClock
from tests.fakes.memory import InMemoryOrganisationDirectory

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class RecordingInbox:
    def __init__(self) -> None:
        self.put_bodies: list[str] = []

    async def put(
        self, org_id: int, recipient: str, body: str, *, nudge_id: int | None, now: datetime
    ) -> bool:
        self.put_bodies.append(body)
        return True

    async def take(self, org_id: int, recipient: str, *, now: datetime) -> list[str]:
        return []


@pytest.mark.parametrize(
    ("language", "word"), [(Language.NL, "een collega"), (Language.EN, "a colleague")]
)
async def test_someone_from_another_chat_is_named_in_the_organisation_s_language(
    language: Language, word: str
) -> None:
    organisations = InMemoryOrganisationDirectory()
    org = await organisations.ensure("org:acme", "Acme")
    await organisations.update_settings(org.id, replace(org.settings, language=language))
    inbox = RecordingInbox()
    at = LocalTime.of(NOW, "Europe/Amsterdam")
    nudge = Nudge(1, org.id, "console:ann", NudgeKind.TASK_DUE, "task:1", at, at, 1, "claimed")

    await InboxDelivery(inbox, FixedClock(NOW), organisations).deliver(
        nudge, (Paragraph(f"#1 ({mention('slack:U0ANN')}), {mention('console:bob')}"),)
    )

    (body,) = inbox.put_bodies
    assert word in body
    assert "U0ANN" not in body
    assert "bob" in body
