"""A start-up the advisor refuses: one line naming the setting or resource, exit 2, no secret."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.cli import EXIT_CONFIG
from tests.slack.test_serve import (
    APP_TOKEN,
    BOT_TOKEN,
    CLIENT_ID,
    CLIENT_SECRET,
    SIGNING_SECRET,
    advisor_until_exit,
    free_port,
)

DATABASE_PASSWORD = "database-password-f6f6f6-never-logged"
BAD_KEY = "not-a-fernet-key-e7e7e7-never-logged"
SECRETS = (SIGNING_SECRET, BOT_TOKEN, APP_TOKEN, CLIENT_SECRET, DATABASE_PASSWORD, BAD_KEY)
SLACK = {"slack_signing_secret": SIGNING_SECRET, "slack_bot_token": BOT_TOKEN}
OAUTH = {
    "slack_signing_secret": SIGNING_SECRET,
    "slack_client_id": CLIENT_ID,
    "slack_client_secret": CLIENT_SECRET,
}


def assert_refused(code: int, printed: str, named: str) -> None:
    """Exit 2 and one line that names `named`, without a traceback or any secret."""
    lines = [line for line in printed.splitlines() if line.strip()]
    assert code == EXIT_CONFIG, printed
    assert len(lines) == 1, printed
    assert lines[0].startswith("advisor: ")
    assert named in lines[0]
    assert "Traceback" not in printed
    for secret in SECRETS:
        assert secret not in printed


@pytest.mark.parametrize(
    ("args", "settings", "named"),
    [
        pytest.param(("serve",), {}, "ADVISOR_SLACK_SIGNING_SECRET", id="no-chat-settings"),
        pytest.param(
            ("serve",),
            {"slack_bot_token": BOT_TOKEN},
            "ADVISOR_SLACK_SIGNING_SECRET",
            id="a-bot-token-without-a-signing-secret",
        ),
        pytest.param(
            ("serve", "--socket-mode"),
            SLACK,
            "ADVISOR_SLACK_APP_TOKEN",
            id="socket-mode-without-an-app-token",
        ),
        pytest.param(
            ("serve",),
            {**SLACK, "slack_signing_secret": ""},
            "ADVISOR_SLACK_SIGNING_SECRET",
            id="an-empty-signing-secret",
        ),
        pytest.param(
            ("serve",),
            {**SLACK, "slack_bot_token": ""},
            "ADVISOR_SLACK_BOT_TOKEN",
            id="an-empty-bot-token",
        ),
        pytest.param(
            ("serve",),
            {**SLACK, "slack_bot_token": APP_TOKEN},
            "ADVISOR_SLACK_BOT_TOKEN",
            id="an-app-token-as-bot-token",
        ),
        pytest.param(
            ("serve", "--socket-mode"),
            {**SLACK, "slack_app_token": BOT_TOKEN},
            "ADVISOR_SLACK_APP_TOKEN",
            id="a-bot-token-as-app-token",
        ),
        pytest.param(
            ("serve",),
            {**OAUTH, "encryption_key": BAD_KEY},
            "ADVISOR_ENCRYPTION_KEY",
            id="a-malformed-encryption-key",
        ),
        pytest.param(
            ("serve",), {**SLACK, "port": "eighty"}, "ADVISOR_PORT", id="a-malformed-port"
        ),
        pytest.param(
            ("serve",),
            {**SLACK, "header_timeout_seconds": "0"},
            "ADVISOR_HEADER_TIMEOUT_SECONDS",
            id="a-header-timeout-of-nothing",
        ),
        pytest.param(
            ("org", "--org", "Acme"),
            {"database_url": f"mysql://advisor:{DATABASE_PASSWORD}@127.0.0.1/advisor"},
            "ADVISOR_DATABASE_URL",
            id="another-kind-of-database",
        ),
        pytest.param(
            ("serve", "--socket-mode"),
            {
                **SLACK,
                "slack_app_token": APP_TOKEN,
                "slack_api_url": f"http://127.0.0.1:{free_port()}/api/",
            },
            "ADVISOR_SLACK_API_URL",
            id="socket-mode-with-slack-out-of-reach",
        ),
    ],
)
async def test_a_refused_setting_is_one_line_naming_it_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], settings: dict[str, str], named: str
) -> None:
    code, printed = await advisor_until_exit(tmp_path, *args, **settings)

    assert_refused(code, printed, named)


@pytest.mark.parametrize("args", [("serve",), ("db", "status")], ids=["serve", "db-status"])
async def test_an_unreachable_database_is_one_line_naming_the_setting_and_exit_2(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    closed = free_port()
    url = f"postgresql+asyncpg://advisor:{DATABASE_PASSWORD}@127.0.0.1:{closed}/advisor"

    code, printed = await advisor_until_exit(tmp_path, *args, database_url=url, **SLACK)

    assert_refused(code, printed, "ADVISOR_DATABASE_URL")
    assert f"127.0.0.1:{closed}" in printed


@pytest.fixture
def unwritable_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nothing may be created in (for root, who ignores modes: sysfs)."""
    if os.geteuid() == 0:
        yield Path("/sys")
        return
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    yield locked
    locked.chmod(0o755)


def _under_a_file(tmp_path: Path, _: Path) -> Path:
    (tmp_path / "a-file").write_text("")
    return tmp_path / "a-file" / "data" / "advisor.db"


def _a_folder(tmp_path: Path, _: Path) -> Path:
    return tmp_path


def _in_an_unwritable_folder(_: Path, unwritable: Path) -> Path:
    return unwritable / "advisor" / "advisor.db"


@pytest.mark.parametrize(
    "path",
    [_under_a_file, _a_folder, _in_an_unwritable_folder],
    ids=["a-folder-that-cannot-be-made", "a-folder-not-a-file", "no-permission"],
)
async def test_an_unusable_sqlite_path_is_one_line_naming_the_setting_and_exit_2(
    tmp_path: Path, unwritable_folder: Path, path: Callable[[Path, Path], Path]
) -> None:
    url = f"sqlite+aiosqlite:///{path(tmp_path, unwritable_folder)}"

    code, printed = await advisor_until_exit(tmp_path, "serve", database_url=url, **SLACK)

    assert_refused(code, printed, "ADVISOR_DATABASE_URL")


@pytest.mark.parametrize(
    "settings",
    [
        SLACK,
        {"teams": "true", "host": "0.0.0.0", "teams_allow_unauthenticated": "true"},
    ],
    ids=["slack", "teams-unauthenticated-which-warns"],
)
async def test_a_port_in_use_is_one_line_naming_it_and_exit_2(
    tmp_path: Path, settings: dict[str, str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = str(taken.getsockname()[1])

        code, printed = await advisor_until_exit(tmp_path, "serve", port=port, **settings)

    assert_refused(code, printed, "ADVISOR_PORT")
    assert port in printed
