"""A turn that fails tells the person so, with a reference they can pass on; the log has one line
with the same reference, naming where it failed but not what anyone typed, and no traceback."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

from tests.fakes.bot_connector import teams_member
from tests.teams.conftest import TeamsWorld
from tests.teams.teams_side import texts

PERSON = teams_member("Bas Mulder")
TYPED = "my secret answer"


@pytest.fixture
def failing_turns(world: TeamsWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every turn fails, with a message holding what the person typed."""

    async def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"could not handle {TYPED!r}")

    monkeypatch.setattr(world.core.advisor, "handle", fail)


@pytest.mark.usefixtures("failing_turns")
async def test_a_failing_turn_tells_the_person_and_logs_one_line_with_the_same_reference(
    world: TeamsWorld, caplog: pytest.LogCaptureFixture
) -> None:
    conversation = await world.installs(PERSON)
    caplog.set_level(logging.INFO)

    assert await world.post(world.says(PERSON, TYPED)) == 200

    told = texts(world.connector.sent(conversation)[-1])
    found = re.search(r"reference ([0-9a-f]{8})", told)
    assert found, told
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert found.group(1) in errors[0].getMessage()
    assert "RuntimeError" in errors[0].getMessage()
    assert TYPED not in caplog.text
    assert "Traceback" not in caplog.text


@pytest.mark.usefixtures("failing_turns")
async def test_when_even_telling_fails_the_log_says_so_in_a_line_of_its_own(
    world: TeamsWorld, caplog: pytest.LogCaptureFixture
) -> None:
    conversation = await world.installs(PERSON)
    world.connector.fail(403, conversation=conversation, times=5)
    caplog.set_level(logging.INFO)

    assert await world.post(world.says(PERSON, "help")) == 200

    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    reference = re.search(r"reference ([0-9a-f]{8})", lines[0])
    assert reference, lines
    assert len(lines) == 2
    assert reference.group(1) in lines[1]
    assert "Traceback" not in caplog.text
