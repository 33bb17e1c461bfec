"""Start-up: what the advisor refuses (one line naming the setting or resource, exit 2, no
secret), and what a command loads (only what it needs: `bench/startup.py` times it)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import aiohttp
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

import storage
from bot.cli import EXIT_CONFIG
from storage.db import Database
from storage.migrate import revisions, upgrade
from tests.slack.test_serve import (
    APP_TOKEN,
    BOT_TOKEN,
    CLIENT_ID,
    CLIENT_SECRET,
    EXIT_SECONDS,
    SIGNING_SECRET,
    START_ATTEMPTS,
    START_POLL_SECONDS,
    advisor_until_exit,
    environment,
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


APPLICATION = {"dialogs", "storage", "sqlalchemy", "pydantic", "pydantic_settings", "yaml"}
"""What any command that opens the advisor loads, and `advisor --help` need not."""
CHAT_SDKS = {"aiohttp", "slack_bolt", "slack_sdk", "botbuilder", "botframework", "msrest"}
ONLY_WHEN_USED = {"matplotlib", "alembic", "numpy"}
"""Charts, migrations, the first question's BM25 scores: none of them at start-up."""
PROBE = """
import atexit, json, sys

def loaded():
    with open(sys.argv[1], "w") as out:
        json.dump(sorted({name.split(".")[0] for name in sys.modules}), out)

atexit.register(loaded)
from bot.cli import main
sys.exit(main(sys.argv[2:]))
"""
"""`advisor ARGS` that writes, as it exits, the top-level packages it had imported."""


def _probe(tmp_path: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", PROBE, str(tmp_path / "loaded.json"), *args]


def _loaded(tmp_path: Path) -> set[str]:
    return set(json.loads((tmp_path / "loaded.json").read_text()))


def test_advisor_help_loads_the_parser_and_nothing_of_the_application(tmp_path: Path) -> None:
    run = subprocess.run(
        _probe(tmp_path, "--help"), capture_output=True, text=True, timeout=60, check=False
    )

    assert run.returncode == 0, run.stderr
    assert "teams-package" in run.stdout
    assert _loaded(tmp_path) & (APPLICATION | CHAT_SDKS | ONLY_WHEN_USED) == set()


async def _migrated(tmp_path: Path) -> None:
    """The database `environment(tmp_path)` names, brought up to date as a start finds it."""
    database = Database(environment(tmp_path)["ADVISOR_DATABASE_URL"])
    try:
        await upgrade(database)
    finally:
        await database.dispose()


async def test_a_command_on_an_up_to_date_database_loads_no_chat_sdk_nor_alembic(
    tmp_path: Path,
) -> None:
    await _migrated(tmp_path)

    process = await asyncio.create_subprocess_exec(
        *_probe(tmp_path, "org", "--org", "Acme", "--create"),
        env=environment(tmp_path),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    async with asyncio.timeout(EXIT_SECONDS):
        printed, _ = await process.communicate()

    assert process.returncode == 0, printed
    assert b"Acme: threshold" in printed
    loaded = _loaded(tmp_path)
    assert loaded >= APPLICATION
    assert loaded & (CHAT_SDKS | ONLY_WHEN_USED | {"cryptography"}) == set()


async def _serve_until_ready_then_stop(tmp_path: Path, **settings: str) -> set[str]:
    """Run `advisor serve` on an up-to-date database until /readyz answers, then SIGTERM it."""
    await _migrated(tmp_path)
    port = free_port()
    env = environment(tmp_path, port=str(port), **settings)
    output = tmp_path / "advisor.log"
    with output.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            *_probe(tmp_path, "serve"),
            env=env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(START_ATTEMPTS):
                assert process.returncode is None, output.read_text()
                try:
                    async with http.get(f"http://127.0.0.1:{port}/readyz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    pass
                await asyncio.sleep(START_POLL_SECONDS)
            else:
                pytest.fail(f"advisor serve did not get ready:\n{output.read_text()}")
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(EXIT_SECONDS):
            assert await process.wait() == 0, output.read_text()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return _loaded(tmp_path)


async def test_serving_slack_loads_neither_the_teams_sdk_nor_what_only_some_turns_use(
    tmp_path: Path,
) -> None:
    closed = f"http://127.0.0.1:{free_port()}/api/"

    loaded = await _serve_until_ready_then_stop(tmp_path, slack_api_url=closed, **SLACK)

    assert {"aiohttp", "slack_bolt"} <= loaded
    assert loaded & ({"botbuilder", "botframework", "msrest"} | ONLY_WHEN_USED) == set()
    assert "cryptography" not in loaded, "one workspace's token: no installations to encrypt"


async def test_serving_teams_alone_loads_no_slack_sdk(tmp_path: Path) -> None:
    loaded = await _serve_until_ready_then_stop(tmp_path, teams="true")

    assert {"aiohttp", "botbuilder"} <= loaded
    assert loaded & ({"slack_bolt", "slack_sdk"} | ONLY_WHEN_USED) == set()


def test_the_revisions_a_start_reads_without_alembic_are_alembics_own() -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(storage.__file__).with_name("migrations")))
    scripts = ScriptDirectory.from_config(config)

    assert revisions() == {s.revision: s.down_revision for s in scripts.walk_revisions()}
