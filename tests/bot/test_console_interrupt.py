"""Ctrl-C or Ctrl-D at the chat's prompt leaves at once with a goodbye, and at `advisor
forget`'s question erases nothing: no traceback, and no waiting for Enter first."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bot.test_cli import ROOT

GOODBYE = {
    "en": b"Goodbye. Everything you answered is saved.",
    "nl": b"Tot ziens. Alles wat je hebt beantwoord is bewaard.",
}
ADVISOR = (sys.executable, "-m", "bot")
WAIT = 60.0
"""Seconds to wait for the chat before the test fails: a bound, not a measure of speed."""
ON_A_TERMINAL = """
import os, sys
terminal = os.open(sys.argv[1], os.O_RDWR)  # a session leader's first terminal: its own
for stream in (0, 1, 2):
    os.dup2(terminal, stream)
os.execv(sys.executable, [sys.executable, "-m", "bot", *sys.argv[2:]])
"""
"""Run `advisor ARGS` with the pseudo-terminal `argv[1]` as its controlling terminal, so the
terminal's Ctrl-C (a SIGINT to its foreground) and Ctrl-D reach it as at a person's screen."""


def until_waiting(pid: int) -> None:
    """Until the advisor waits for the person: its main thread asleep a while (as /proc says on
    Linux), as a person's Ctrl-C finds it; not in the instant between showing the prompt and
    reading, where a signal (in any Python program) is seen only once the read returns."""
    stat = Path(f"/proc/{pid}/stat")
    asleep, deadline = 0, time.monotonic() + WAIT
    while asleep < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
        state = stat.read_text().rsplit(")", 1)[1].split()[0] if stat.exists() else "S"
        asleep = asleep + 1 if state == "S" else 0


class Screen:
    """A pseudo-terminal with `advisor COMMAND` running in it."""

    def __init__(self, database: str, *command: str) -> None:
        self.master, replica = os.openpty()
        env = {**os.environ, "ADVISOR_DATABASE_URL": database, "PYTHONWARNINGS": "error"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", ON_A_TERMINAL, os.ttyname(replica), *command],
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.replica = replica  # held open until the chat ends: a read then finds nothing, not EIO
        self.shown = b""

    def until(self, wanted: bytes) -> bytes:
        """What the screen shows once `wanted` is on it, or when the chat has gone."""
        deadline = time.monotonic() + WAIT
        while wanted not in self.shown and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if not ready:
                continue
            try:
                self.shown += os.read(self.master, 65536)
            except OSError:  # the terminal is gone: everything is read
                break
        return self.shown

    def close(self) -> int | None:
        """The chat's exit code, or None when it had to be stopped."""
        try:
            return self.process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None
        finally:
            os.close(self.replica)
            os.close(self.master)


@pytest.mark.parametrize(
    ("language", "key"),
    [("en", b"\x03"), ("nl", b"\x03"), ("en", b"\x04"), ("nl", b"\x04")],
    ids=["ctrl-c-en", "ctrl-c-nl", "ctrl-d-en", "ctrl-d-nl"],
)
def test_ctrl_c_or_ctrl_d_at_the_prompt_says_goodbye_and_leaves_without_enter(
    sqlite_url: str, language: str, key: bytes
) -> None:
    screen = Screen(sqlite_url, "chat", "--org", "Acme", "--user", "ann", "--lang", language)
    try:
        assert b"> " in screen.until(b"> "), screen.shown
        until_waiting(screen.process.pid)
        os.write(screen.master, key)
        shown = screen.until(GOODBYE[language])
    finally:
        code = screen.close()

    assert GOODBYE[language] in shown
    assert code == 0, shown.decode(errors="replace")
    assert b"Traceback" not in shown
    assert b"KeyboardInterrupt" not in shown


def test_a_sigint_while_the_chat_waits_on_piped_input_says_goodbye_and_leaves(
    sqlite_url: str,
) -> None:
    env = {**os.environ, "ADVISOR_DATABASE_URL": sqlite_url, "PYTHONWARNINGS": "error"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--org", "Acme", "--user", "bo", "--lang", "en"],
        env=env,
        cwd=ROOT,
        stdin=subprocess.PIPE,  # held open and never written: the chat waits for a line
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stdin is not None
    os.set_blocking(process.stdout.fileno(), False)
    shown = b""
    deadline = time.monotonic() + WAIT
    while b"> " not in shown and time.monotonic() < deadline:
        select.select([process.stdout], [], [], 0.2)
        shown += process.stdout.read() or b""
    until_waiting(process.pid)
    process.send_signal(signal.SIGINT)
    try:
        rest, errors = process.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        process.kill()
        rest, errors = process.communicate()
        pytest.fail("the chat waited for a line after Ctrl-C")
    finally:
        process.stdin.close()

    assert process.returncode == 0, errors
    assert (shown + rest).rstrip().endswith(GOODBYE["en"])
    assert errors == b""


@pytest.mark.parametrize("key", [b"\x03", b"\x04"], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_or_ctrl_d_at_forgets_question_erases_nothing_and_leaves(
    sqlite_url: str, tmp_path: Path, key: bytes
) -> None:
    env = {**os.environ, "ADVISOR_DATABASE_URL": sqlite_url}
    first = subprocess.run(
        [*ADVISOR, "chat", "--org", "Acme", "--user", "ann", "--lang", "en"],
        input=b"1\n", env=env, cwd=ROOT, capture_output=True, timeout=WAIT, check=True,
    )  # fmt: skip
    assert first.returncode == 0
    screen = Screen(sqlite_url, "forget", "--org", "Acme", "--user", "ann")
    try:
        assert b"Type 'yes' to go on: " in screen.until(b"Type 'yes' to go on: "), screen.shown
        until_waiting(screen.process.pid)
        os.write(screen.master, key)
        shown = screen.until(b"nothing was erased")
    finally:
        code = screen.close()

    assert shown.rstrip().endswith(b"\r\ncancelled: nothing was erased"), shown
    assert code == 1
    assert b"Traceback" not in shown
    kept = subprocess.run(
        [*ADVISOR, "export", "--org", "Acme", "--user", "ann", "--output", str(tmp_path)],
        env=env, cwd=ROOT, capture_output=True, timeout=WAIT, check=False,
    )  # fmt: skip
    assert kept.returncode == 0, kept.stderr
    assert (tmp_path / "my-data.json").exists(), "ann was erased"
