"""slack_sdk's debug lines: written out only when someone logs them."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.settings import load_settings
from bot.slack.app import SDK_LOGGER, web_client
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack.conftest import TOKEN


class _Watched(str):
    """A message text that counts how often it is written out for a log line (its repr)."""

    shown = 0

    def __repr__(self) -> str:
        type(self).shown += 1
        return super().__repr__()


@pytest.fixture
def sdk_logger() -> Iterator[logging.Logger]:
    """The SDK's logger as a process starts with it (no level of its own), restored after."""
    logger = logging.getLogger(SDK_LOGGER)
    kept = logger.level
    logger.setLevel(logging.NOTSET)
    _Watched.shown = 0
    yield logger
    logger.setLevel(kept)


async def test_a_call_spends_nothing_on_debug_lines_no_one_logs(
    fake_slack_web_api: FakeSlackWebApi, sdk_logger: logging.Logger
) -> None:
    logging.getLogger().setLevel(logging.WARNING)
    client = web_client(load_settings(slack_api_url=fake_slack_web_api.api_url), TOKEN)

    await client.chat_postMessage(channel="C1", text=_Watched("Hallo"))

    assert _Watched.shown == 0
    assert len(fake_slack_web_api.messages["C1"]) == 1


async def test_debug_logging_set_up_before_still_shows_the_sdks_lines_without_the_token(
    fake_slack_web_api: FakeSlackWebApi,
    sdk_logger: logging.Logger,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger=SDK_LOGGER)
    client = web_client(load_settings(slack_api_url=fake_slack_web_api.api_url), TOKEN)

    await client.chat_postMessage(channel="C1", text=_Watched("Hallo"))

    sent = [r.getMessage() for r in caplog.records if "Sending a request" in r.getMessage()]
    assert len(sent) == 1
    assert "'Hallo'" in sent[0]
    assert TOKEN not in caplog.text
