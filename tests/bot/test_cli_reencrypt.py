"""`advisor db reencrypt` after a key rotation: every stored installation under the new key."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

from storage.db import Database
from storage.installations import SqlaInstallationRepository
from storage.migrate import upgrade
from storage.secrets import SecretBox
from tests.bot.test_cli import ROOT

OLD, NEW = SecretBox.generate_key(), SecretBox.generate_key()
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BOT = {"bot_token": "xoxb-sealed-under-the-old-key", "bot_scopes": ["chat:write"]}


def _reencrypt(database: str, keys: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ADVISOR_DATABASE_URL": database, "ADVISOR_ENCRYPTION_KEY": keys}
    return subprocess.run(
        [sys.executable, "-m", "bot", "db", "reencrypt"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


async def _saved_under_old_key(url: str) -> Database:
    database = Database(url)
    await upgrade(database)
    await SqlaInstallationRepository(database, SecretBox([OLD])).save(
        "slack", None, "T1", None, BOT, NOW
    )
    return database


async def test_reencrypting_moves_the_installations_to_the_first_key(sqlite_url: str) -> None:
    database = await _saved_under_old_key(sqlite_url)
    try:
        run = _reencrypt(sqlite_url, f"{NEW},{OLD}")

        assert run.returncode == 0, run.stderr
        assert run.stdout.strip() == "re-encrypted 1 installation under the first key"
        new_only = SqlaInstallationRepository(database, SecretBox([NEW]))
        assert await new_only.find_bot("slack", None, "T1") == BOT
        assert "xoxb" not in run.stdout + run.stderr
    finally:
        await database.dispose()


async def test_without_the_old_key_nothing_changes_and_it_says_so_in_one_line(
    sqlite_url: str,
) -> None:
    database = await _saved_under_old_key(sqlite_url)
    try:
        run = _reencrypt(sqlite_url, NEW)

        assert run.returncode == 2
        assert run.stderr.startswith("advisor: nothing was re-encrypted")
        assert run.stderr.count("\n") == 1
        old_only = SqlaInstallationRepository(database, SecretBox([OLD]))
        assert await old_only.find_bot("slack", None, "T1") == BOT
    finally:
        await database.dispose()
