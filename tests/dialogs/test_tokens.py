"""Button tokens: a task button's token that this app did not make is refused, never a crash."""

from __future__ import annotations

import pytest

from dialogs.events import BadToken, Command, TaskAction, from_token, to_token


@pytest.mark.parametrize("token", ["done ²", "done ١٢", "snooze ٣ 2026-11-24T10:00", "done -1"])
def test_a_task_token_whose_number_is_not_plain_digits_is_a_bad_token(token: str) -> None:
    with pytest.raises(BadToken):
        from_token(token)


def test_a_task_token_of_any_size_reads_back_as_the_task_it_names() -> None:
    action = TaskAction(Command.DONE, 10**21)
    assert from_token(to_token(action)) == action
