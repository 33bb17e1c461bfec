"""Generated hostile requests against a running `advisor serve`: each refused as it deserves,
none answered 5xx, none leaving a traceback, no refusal changing the database, and a person's
scan still working afterwards. Run with ``-s`` to see the table of categories and statuses."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import MetaData, Table, select

from storage.db import Database
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack.hostile import STRATEGIES, Hostile, Signing, hostile_requests
from tests.slack.scan_messages import buttons
from tests.slack.test_serve import BOT_TOKEN, SIGNING_SECRET, Served, advisor_serve, settled

PER_CATEGORY = 63
"""16 categories: 1,008 generated requests, and a few more sends for the replays."""
AT_LEAST = 1_000
QUIET_SECONDS = 0.05
"""After a request the server accepted: how long the database and the Web API must stay still
before the next request, so that work done after the answer is not blamed on the next one."""
STILL_WORKING_SECONDS = 3.0
"""The same after a 503, which the server gives a turn that takes too long and then finishes."""
SETTLE_SECONDS = 10
REQUEST_SECONDS = 30
Rows = dict[str, list[tuple[Any, ...]]]


TICKING = {"workers"}
"""Written by the server's own ticks whatever comes in: when it last claimed nudges."""


class Tables:
    """Every table of the server's database, read whole: what a refusal must leave as it was
    (all but TICKING)."""

    def __init__(self, database: Database, tables: Sequence[Table]) -> None:
        self._database = database
        self._tables = tables

    @classmethod
    async def of(cls, database: Database) -> Tables:
        metadata = MetaData()
        async with database.connection() as connection:
            await connection.run_sync(metadata.reflect)
        return cls(database, [t for t in metadata.sorted_tables if t.name not in TICKING])

    async def read(self) -> Rows:
        rows: Rows = {}
        async with self._database.connection() as connection:
            for table in self._tables:
                result = await connection.execute(select(table))
                rows[table.name] = sorted((tuple(row) for row in result), key=repr)
        return rows


@dataclass(frozen=True)
class Outcome:
    """What one generated request got, and what happened while it was handled."""

    hostile: Hostile
    statuses: tuple[int, ...]
    """Per send; 0 when no answer came."""
    answers: tuple[str, ...]
    changed: tuple[str, ...]
    """The tables whose rows changed."""
    logged: tuple[str, ...]
    calls: tuple[str, ...]
    """The Slack methods the server called, each with the channel it named."""

    @property
    def refused(self) -> bool:
        return all(400 <= status < 500 for status in self.statuses)


class Probe:
    """Sends generated requests one at a time and sees what each does to the database, the log
    and the fake Slack."""

    def __init__(self, served: Served, api: FakeSlackWebApi, tables: Tables, rows: Rows) -> None:
        self._served = served
        self._api = api
        self._tables = tables
        self._rows = rows
        self._log_read = 0

    @classmethod
    async def of(cls, served: Served, api: FakeSlackWebApi, database: Database) -> Probe:
        tables = await Tables.of(database)
        probe = cls(served, api, tables, await tables.read())
        probe.logged()
        return probe

    async def send(self, hostile: Hostile) -> Outcome:
        calls = len(self._api.calls)
        posts = len(self._api.called("chat.postMessage"))
        now = int(time.time())
        answered = [
            await self._post(hostile, signing.headers(hostile.body, SIGNING_SECRET, now))
            for signing in hostile.sends
        ]
        if hostile.replies_once is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(SETTLE_SECONDS):
                    await self._api.wait_for("chat.postMessage", posts + 1)
        statuses = tuple(status for status, _ in answered)
        if 503 in statuses:
            await self._settle(STILL_WORKING_SECONDS)
        elif not all(400 <= status < 500 for status in statuses):
            await self._settle(QUIET_SECONDS)
        rows = await self._tables.read()
        changed = tuple(name for name, held in rows.items() if held != self._rows.get(name))
        self._rows = rows
        return Outcome(
            hostile,
            statuses,
            tuple(answer for _, answer in answered),
            changed,
            self.logged(),
            tuple(
                f"{call.method} {call.params.get('channel', '')}".strip()
                for call in self._api.calls[calls:]
            ),
        )

    def logged(self) -> tuple[str, ...]:
        """The lines the server logged since the last call."""
        with self._served.output.open("rb") as log:
            log.seek(self._log_read)
            new = log.read()
        self._log_read += len(new)
        return tuple(new.decode(errors="replace").splitlines())

    async def _post(self, hostile: Hostile, headers: dict[str, str]) -> tuple[int, str]:
        if hostile.content_type is not None:
            headers["Content-Type"] = hostile.content_type
        try:
            async with self._served.http.post(
                f"{self._served.url}/slack/events",
                data=hostile.body,
                headers=headers,
                skip_auto_headers=("Content-Type",),
                timeout=aiohttp.ClientTimeout(total=REQUEST_SECONDS),
            ) as response:
                return response.status, await response.text(errors="replace")
        except (aiohttp.ClientError, TimeoutError) as error:
            return 0, f"{type(error).__name__}: {error}"

    async def _settle(self, quiet: float) -> None:
        """Wait until the database and the Web API calls stay still for `quiet` seconds."""
        async with asyncio.timeout(SETTLE_SECONDS):
            seen = (len(self._api.calls), await self._tables.read())
            while True:
                await asyncio.sleep(quiet)
                now = (len(self._api.calls), await self._tables.read())
                if now == seen:
                    return
                seen = now


def problems(outcome: Outcome, replies: Mapping[str, int]) -> set[str]:
    """Everything wrong with what one request got, each as a short phrase."""
    hostile = outcome.hostile
    expected = "/".join(str(status) for status in sorted(hostile.expected))
    found = {
        f"answered {status or 'nothing'}, not {expected}"
        for status in outcome.statuses
        if status not in hostile.expected
    }
    if any("Traceback" in line for line in outcome.logged):
        found.add("a traceback in the log")
    if outcome.refused and outcome.changed:
        found.add(f"refused but changed {', '.join(outcome.changed)}")
    if outcome.refused and len(outcome.logged) > len(outcome.statuses):
        found.add("more than one log line for a refusal")
    if hostile.challenge is not None and not any(hostile.challenge in a for a in outcome.answers):
        found.add("the challenge is not in the answer")
    answering = {call for call in outcome.calls if call != "auth.test"}
    if hostile.ignored and outcome.statuses == (200,) and answering:
        found.add(f"an ignored event made the server call {', '.join(sorted(answering))}")
    if hostile.replies_once is not None and replies[hostile.replies_once] != 1:
        found.add(f"handled {replies[hostile.replies_once]} times, not once")
    return found


def status_table(outcomes: Sequence[Outcome]) -> str:
    """Requests per category and status, one row per category and a total."""
    counted: dict[str, Counter[int]] = {category: Counter() for category in STRATEGIES}
    for outcome in outcomes:
        counted[outcome.hostile.category].update(outcome.statuses)
    total = sum(counted.values(), Counter[int]())
    statuses = sorted(total)
    width = max(map(len, counted)) + 2
    header = f"{'category':<{width}}{'requests':>9}" + "".join(f"{s:>6}" for s in statuses)
    rows = [
        f"{name:<{width}}{counts.total():>9}" + "".join(f"{counts[s]:>6}" for s in statuses)
        for name, counts in [*counted.items(), ("total", total)]
    ]
    return "\n".join([header, *rows])


def report(outcomes: Sequence[Outcome], replies: Mapping[str, int]) -> list[str]:
    """Every problem, grouped by category, variant and problem, with a count and one example."""
    groups: defaultdict[tuple[str, str, str], list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        for problem in problems(outcome, replies):
            groups[(outcome.hostile.category, outcome.hostile.label, problem)].append(outcome)
    variants = Counter((o.hostile.category, o.hostile.label) for o in outcomes)
    return [
        f"{category} | {label} | {problem}: {len(group)} of {variants[(category, label)]}"
        f"\n    e.g. {example(group[0])}"
        for (category, label, problem), group in sorted(groups.items())
    ]


def example(outcome: Outcome) -> str:
    hostile = outcome.hostile
    logged = [line for line in outcome.logged if line.strip()][:3]
    return (
        f"content type {hostile.content_type!r}, {len(hostile.body)} bytes "
        f"{hostile.body[:160]!r}, sent {'; '.join(map(described, hostile.sends))}, "
        f"answered {outcome.statuses} "
        f"{outcome.answers[0][:120]!r}, logged {logged}, changed {outcome.changed}, "
        f"called {outcome.calls[:4]}"
    )


def described(signing: Signing) -> str:
    """How a send was signed: what differs from a fresh, valid signature."""
    changed = [
        f"{field.name}={getattr(signing, field.name)!r}"[:120]
        for field in fields(signing)
        if getattr(signing, field.name) != field.default
    ]
    return ", ".join(changed) or "signed"


async def a_click_still_works(served: Served, api: FakeSlackWebApi) -> list[str]:
    """A person starts the scan by direct message and answers the first question."""
    api.add_user("U0AFTER", locale="en-US")
    slack = served.slack()
    posts = len(api.called("chat.postMessage"))
    updates = len(api.called("chat.update"))
    if (await slack.direct_message("U0AFTER", "scan")).status != 200:
        return ["afterwards, a direct message 'scan' was not answered 200"]
    try:
        await settled(api, "chat.postMessage", posts + 1)
        question = api.latest("DU0AFTER")
        click = await slack.click("U0AFTER", question, buttons(question)[0])
        await settled(api, "chat.update", updates + 1)
    except (TimeoutError, AssertionError, IndexError) as error:
        return [f"afterwards, the scan did not start and move on: {error!r}"]
    return [] if click.status == 200 else [f"afterwards, a valid click got {click.status}"]


async def test_a_thousand_hostile_requests_are_refused_cleanly_and_a_click_still_works(
    tmp_path: Path, fake_slack_web_api: FakeSlackWebApi
) -> None:
    api = fake_slack_web_api
    requests = hostile_requests(PER_CATEGORY)
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'advisor.db'}")
    try:
        async with advisor_serve(
            tmp_path, api, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET
        ) as advisor:
            probe = await Probe.of(advisor, api, database)
            outcomes = [await probe.send(hostile) for hostile in requests]
            afterwards = await a_click_still_works(advisor, api)
            stopped = await advisor.stop()
        logs = advisor.logs()
    finally:
        await database.dispose()

    replies = Counter(str(params["channel"]) for params in api.called("chat.postMessage"))
    sent = sum(len(outcome.statuses) for outcome in outcomes)
    table = status_table(outcomes)
    print(f"\n{sent} hostile requests to advisor serve, by category and status:\n{table}")
    failures = report(outcomes, replies) + afterwards
    if not any(outcome.changed for outcome in outcomes if not outcome.refused):
        failures.append("no request changed the database: the check of refusals proves nothing")
    if sent < AT_LEAST:
        failures.append(f"only {sent} requests sent, not {AT_LEAST}")
    if "Traceback" in logs:
        failures.append(f"{logs.count('Traceback')} tracebacks in the server's log in all")
    if stopped != 0:
        failures.append(f"advisor serve exited with {stopped}")
    assert not failures, f"{len(failures)} problems:\n{table}\n" + "\n".join(failures)
