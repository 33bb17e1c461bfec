"""People's scans as the database holds them, read directly: the check on what Slack was told."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from dialogs.events import ConversationKey
from dialogs.state import DialogState
from storage.db import Database
from storage.models import AnswerRow, ResponseRow
from storage.repositories import (
    SqlaConversationStore,
    SqlaOrganisationDirectory,
    SqlaScanRepository,
)
from tests.fakes.slack_api import TEAM_ID


@dataclass(frozen=True)
class StoredScan:
    """One person in the workspace's only scan: their dialog state, answers and answer rows."""

    state: DialogState | None
    answers: dict[str, tuple[str, ...]]
    rows: Counter[str]
    """Answer rows per question: an answer stored twice shows here, not in `answers`."""
    finished: bool


async def stored_scans(database_url: str, users: Iterable[str]) -> dict[str, StoredScan]:
    """What is stored for each Slack user of the fake workspace, who all take one scan."""
    database = Database(database_url)
    try:
        org = await SqlaOrganisationDirectory(database).find(f"slack:{TEAM_ID}")
        assert org is not None
        conversations = SqlaConversationStore(database)
        scans = SqlaScanRepository(database)
        (scan,) = await scans.history(org.id)
        finished = {
            p.respondent for p in await scans.participation(org.id, scan.id) if p.completed_at
        }
        async with database.session() as session:
            counted = await session.execute(
                select(ResponseRow.respondent, AnswerRow.question_id, func.count())
                .join(ResponseRow, ResponseRow.id == AnswerRow.response_id)
                .where(ResponseRow.org_id == org.id, ResponseRow.scan_id == scan.id)
                .group_by(ResponseRow.respondent, AnswerRow.question_id)
            )
        rows: dict[str, Counter[str]] = {}
        for respondent, question, times in counted:
            rows.setdefault(respondent, Counter())[question] = times
        stored = {}
        for user in users:
            respondent = f"slack:{user}"
            loaded = await conversations.load(
                org.id, ConversationKey("slack", org.id, user, user).storage_key
            )
            sheet = await scans.sheet(org.id, scan.id, respondent)
            stored[user] = StoredScan(
                None if loaded is None else DialogState.from_json(loaded[0]),
                dict(sheet.answers),
                rows.get(respondent, Counter()),
                respondent in finished,
            )
        return stored
    finally:
        await database.dispose()
