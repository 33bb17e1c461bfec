"""Parity: six people give the same answers in the terminal, in Slack and in Teams, each chat
for its own organisation in one database. The three organisations store the same answers and
get the same result, and each chat shows the same result, plan and advice text."""

from __future__ import annotations

import asyncio
import html
import io
import re
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import App, build_app
from bot.cli import org_key
from bot.console.chat import CHANNEL as TERMINAL
from bot.console.chat import chat
from bot.server import build_web_app
from bot.settings import load_settings
from bot.slack.app import build_slack_app
from bot.teams.app import MESSAGES_PATH, TeamsBot, build_teams_bot
from bot.teams.render import ADVISOR, CHOICE, PICK_INPUT, PICK_SEPARATOR, SUBMIT
from dialogs.events import ConversationKey, TextReceived
from dialogs.messages import Bullets, Chart, Facts, Heading, Paragraph, Reply
from dialogs.prompts import read
from dialogs.records import Organisation
from engine.bank import DONT_KNOW, Question, QuestionBank, QuestionKind
from engine.scoring import OrgResult
from engine.vocabulary import Language, Role
from tests.builders import close_running_scan
from tests.fakes.bot_connector import TENANT_ID, FakeConnector, fake_connector, teams_member
from tests.fakes.clock import FixedClock
from tests.fakes.slack_api import TEAM_ID, FakeSlackWebApi, fake_slack_web_api
from tests.slack.slack_side import SlackSide
from tests.teams.activities import card_submit, installed_personal, message
from tests.teams.teams_side import card, inputs, submits, texts

__all__ = ["fake_connector", "fake_slack_web_api"]

Json = dict[str, Any]
Answers = dict[str, tuple[str, ...]]

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TERMINAL_ORG = "Parity BV"
THRESHOLD = 3
"""Low enough that the management and employee groups are shown, and compared, too."""
NL, EN = Language.NL, Language.EN
LANGUAGES = (NL, NL, EN, NL, EN, EN)
"""Each person's language; the first person is the one who reads the result, plan and advice."""
ASKED = {
    NL: ("resultaten", "plan", "advies", "Hoe meten we de ROI van social media?"),
    EN: ("results", "plan", "advice", "How do we measure the ROI of social media?"),
}
SETTLE_SECONDS = 10
MAX_QUESTIONS = 100
NUMBERED = re.compile(r"^[* ]\s*(\d+)\. (.*)$")
Answered = Callable[[], Coroutine[Any, Any, None]]
"""What happens once a person has answered everything, before they say their lines."""


async def nothing() -> None:
    return None


def script(bank: QuestionBank, person: int) -> Answers:
    """What `person` answers: half of them managers, half employees; a spread over the options,
    "I don't know" now and then, and two picks where a question takes several."""
    answers: Answers = {}
    for number, question in enumerate(bank):
        own = [option.id for option in question.options]
        if question.kind is QuestionKind.ROLE:
            half = person < len(LANGUAGES) // 2
            answers[question.id] = (Role.MANAGEMENT if half else Role.EMPLOYEE,)
        elif question.kind.multiple:
            first = (person + number) % len(own)
            answers[question.id] = tuple(own[i] for i in sorted({first, (first + 2) % len(own)}))
        else:
            everything = [*own, DONT_KNOW]
            answers[question.id] = (everything[(person * 2 + number) % len(everything)],)
    return answers


# The terminal


async def terminal_person(
    core: App,
    org: Organisation,
    person: int,
    answers: Answers,
    then: tuple[str, ...],
    answered: Answered = nothing,
) -> list[str]:
    """Chat in the terminal: every question answered by typing the numbers of the statements
    on screen, `answered` awaited, then the lines `then`; what the screen showed after each of
    those."""
    language = LANGUAGES[person]
    bank = core.advisor.knowledge.bank
    screen = io.StringIO()
    typed = list(then)
    shown: list[str] = []
    read = 0

    async def read_line() -> str:
        nonlocal read
        since, read = screen.getvalue()[read:], len(screen.getvalue())
        if len(typed) < len(then):
            shown.append(since)
        question = _question_on_screen(since, bank, language)
        if question is not None:
            return _numbers_for(since, question, answers[question.id], language) + "\n"
        if len(typed) == len(then):
            async with asyncio.timeout(SETTLE_SECONDS):
                await answered()
        return typed.pop(0) + "\n" if typed else ""

    await chat(
        core.advisor, org.id, f"person{person}", language=language, read_line=read_line, out=screen
    )
    return shown


def _question_on_screen(screen: str, bank: QuestionBank, language: Language) -> Question | None:
    flat = " ".join(screen.split())
    for question in bank:
        if " ".join(question.prompt(language).split()) in flat:
            return question
    return None


def _numbers_for(
    screen: str, question: Question, picked: tuple[str, ...], language: Language
) -> str:
    """The numbers of the lines that say the picked options; "I don't know" is the line that
    says none of the question's own options."""
    lines: dict[int, str] = {}
    current = 0
    for line in screen.splitlines():
        if numbered := NUMBERED.match(line):
            current = int(numbered.group(1))
            lines[current] = numbered.group(2)
        elif current and line.startswith("      "):
            lines[current] += " " + line.strip()
        else:
            current = 0
    said = {
        option.id: {option.label(language), option.text(language)} for option in question.options
    }
    numbers = []
    for choice in picked:
        matches = [
            number
            for number, line in lines.items()
            if (line in said[choice] if choice != DONT_KNOW else not _says_any(line, said))
        ]
        assert len(matches) == 1, f"{choice!r} of {question.id!r} on screen: {lines}"
        numbers.append(str(matches[0]))
    return ", ".join(numbers)


def _says_any(line: str, said: dict[str, set[str]]) -> bool:
    return any(line in texts for texts in said.values())


# Slack


async def slack_person(
    side: SlackSide,
    api: FakeSlackWebApi,
    person: int,
    answers: Answers,
    then: tuple[str, ...],
    answered: Answered = nothing,
) -> list[str]:
    """A direct message "scan", a click on every answer (ticks and submit for several),
    `answered` awaited, then the lines `then`; the text of the messages each of those
    brought."""
    user = f"U{person}"
    channel = f"D{user}"
    api.add_user(user, locale="nl-NL" if LANGUAGES[person] == "nl" else "en-US")
    await _slack_says(side, api, user, "scan")
    for _ in range(MAX_QUESTIONS):
        latest = api.latest(channel)
        click = _slack_click(latest, answers)
        if click is None:
            break
        action, state = click
        updates = len(api.called("chat.update"))
        assert (await side.click(user, latest, action, state=state)).status == 200
        await _settled(api, "chat.update", updates + 1)
    await answered()
    shown = []
    for line in then:
        before = set(api.messages[channel])
        await _slack_says(side, api, user, line)
        new = sorted(set(api.messages[channel]) - before, key=float)
        shown.append("\n".join(_slack_texts(api.messages[channel][ts]) for ts in new))
    return shown


async def _slack_says(side: SlackSide, api: FakeSlackWebApi, user: str, line: str) -> None:
    posted = len(api.called("chat.postMessage"))
    assert (await side.direct_message(user, line)).status == 200
    await _settled(api, "chat.postMessage", posted + 1)


async def _settled(api: FakeSlackWebApi, method: str, count: int) -> None:
    async with asyncio.timeout(SETTLE_SECONDS):
        await api.wait_for(method, count)


def _asked(prompt_id: str) -> str:
    """The question a button's prompt asks (its id names the scan too)."""
    prompt = read(prompt_id)
    assert prompt is not None, prompt_id
    return prompt.question_id


def _slack_click(message: Json, answers: Answers) -> tuple[Json, Json] | None:
    """The button to press, or the boxes to tick and the submit button, for the question the
    message asks; None when it asks none."""
    state: Json = {}
    submit: Json | None = None
    for index, block in enumerate(message["blocks"]):
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element["type"] == "button" and element["action_id"].startswith("choice:"):
                prompt, choice = element["value"].split("|")
                if answers[_asked(prompt)] == (choice,):
                    return element, {}
            elif element["type"] == "checkboxes":
                question = _asked(element["action_id"].split(":", 1)[1])
                ticked = [o for o in element["options"] if o["value"] in answers[question]]
                state[f"b{index}"] = {
                    element["action_id"]: {"type": "checkboxes", "selected_options": ticked}
                }
            elif element.get("action_id") == "submit":
                submit = {**element, "block_id": f"b{index}"}
    return (submit, state) if submit is not None and state else None


def _slack_texts(message: Json) -> str:
    return "\n".join(_strings(message["blocks"], "text"))


def _strings(tree: Any, key: str) -> Iterator[str]:
    """Every string under `key` anywhere in a JSON tree."""
    if isinstance(tree, dict):
        for name, value in tree.items():
            if name == key and isinstance(value, str):
                yield value
            else:
                yield from _strings(value, key)
    elif isinstance(tree, list):
        for item in tree:
            yield from _strings(item, key)


# Teams


async def teams_person(
    teams: TeamsWorld,
    person: int,
    answers: Answers,
    then: tuple[str, ...],
    answered: Answered = nothing,
) -> list[str]:
    """The app installed for the person, "scan", a press on every answer (ticks and submit for
    several), `answered` awaited, then the lines `then`; the text of the cards each of those
    brought."""
    member = _teams_member(person)
    locale = "nl-NL" if LANGUAGES[person] == "nl" else "en-US"
    service_url = teams.connector.service_url
    conversation = teams.connector.add_personal(member)
    for activity in installed_personal(user=member, service_url=service_url, locale=locale):
        assert await teams.post(activity) == 200

    async def say(line: str) -> list[Json]:
        before = len(teams.connector.sent(conversation))
        said = message(
            line, user=member, conversation_id=conversation, service_url=service_url, locale=locale
        )
        assert await teams.post(said) == 200
        return teams.connector.sent(conversation)[before:]

    await say("scan")
    for _ in range(MAX_QUESTIONS):
        latest = teams.connector.sent(conversation)[-1]
        value = _teams_press(latest, answers)
        if value is None:
            break
        pressed = card_submit(
            value,
            reply_to_id=latest["id"],
            user=member,
            conversation_id=conversation,
            service_url=service_url,
            locale=locale,
        )
        assert await teams.post(pressed) == 200
    await answered()
    return ["\n".join(texts(activity) for activity in await say(line)) for line in then]


def _teams_member(person: int) -> Json:
    return teams_member(f"Person {person}")


def _teams_press(activity: Json, answers: Answers) -> Json | None:
    """The value Teams sends for the answer to the card's question; None when it asks none."""
    if not any(True for _ in _cards(activity)):
        return None
    body = card(activity)["body"]
    for action in submits(body):
        data = action.get("data", {})
        if data.get(ADVISOR) == CHOICE and answers[_asked(data["prompt"])] == (data["choice"],):
            return dict(data)
    for field in inputs(body):
        if field["id"].startswith(PICK_INPUT):
            question = _asked(field["id"].removeprefix(PICK_INPUT))
            ticked = [c["value"] for c in field["choices"] if c["value"] in answers[question]]
            (button,) = [a for a in submits(body) if a["data"].get(ADVISOR) == SUBMIT]
            return {**button["data"], field["id"]: PICK_SEPARATOR.join(ticked)}
    return None


def _cards(activity: Json) -> Iterator[Json]:
    yield from (a for a in activity.get("attachments", ()) if "adaptive" in a["contentType"])


# The world: one advisor serving Slack and Teams, the terminal beside it, one database


@dataclass
class TeamsWorld:
    connector: FakeConnector
    bot: TeamsBot
    http: aiohttp.ClientSession
    url: str

    async def post(self, activity: Json) -> int:
        async with self.http.post(self.url, json=activity) as response:
            status = response.status
        await self.bot.surface.idle()
        return status


@dataclass
class World:
    core: App
    slack: SlackSide
    api: FakeSlackWebApi
    teams: TeamsWorld


@pytest.fixture
async def world(
    sqlite_url: str, fake_slack_web_api: FakeSlackWebApi, fake_connector: FakeConnector
) -> AsyncIterator[World]:
    settings = load_settings(
        database_url=sqlite_url,
        org=TERMINAL_ORG,
        slack_signing_secret=SECRET,
        slack_bot_token="xoxb-1111-fake-token",
        slack_api_url=fake_slack_web_api.api_url,
        teams=True,
    )
    core = await build_app(settings, clock=FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)))
    slack = build_slack_app(settings, core)
    teams = build_teams_bot(settings, core)
    server = TestServer(build_web_app(core, slack.bolt, teams), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as http:
        try:
            yield World(
                core,
                SlackSide(http, str(server.make_url("/slack/events")), SECRET, TEAM_ID),
                fake_slack_web_api,
                TeamsWorld(fake_connector, teams, http, str(server.make_url(MESSAGES_PATH))),
            )
        finally:
            await server.close()
            await core.close()


# The test


async def test_the_same_answers_give_the_same_result_plan_and_advice_in_every_chat(
    world: World,
) -> None:
    core = world.core
    orgs = {
        "terminal": await _organisation(core, org_key(TERMINAL_ORG)),
        "slack": await _organisation(core, f"slack:{TEAM_ID}"),
        "teams": await _organisation(core, f"teams:{TENANT_ID}"),
    }
    scripts = [script(core.advisor.knowledge.bank, person) for person in range(len(LANGUAGES))]
    asked = ASKED[LANGUAGES[0]]
    for person in range(1, len(LANGUAGES)):
        await everywhere(world, orgs, person, scripts[person], ())
    # The last to answer reads the result, which appears only when the scan closes.
    shown = await everywhere(world, orgs, 0, scripts[0], asked, close=True)

    for name, org in orgs.items():
        scan = (await core.scans.history(org.id))[-1]
        assert not scan.is_open, name
        stored = [
            dict((await core.scans.sheet(org.id, scan.id, ":".join(who(name, person)))).answers)
            for person in range(len(LANGUAGES))
        ]
        assert stored == scripts, f"{name} stored other answers than were given"

    results = {name: (await core.advisor.published(org)).result for name, org in orgs.items()}
    assert isinstance(results["terminal"], OrgResult)
    assert len(results["terminal"].segments) == 2, "management and employees are compared too"
    assert results["slack"] == results["terminal"]
    assert results["teams"] == results["terminal"]

    # What the first person read: the same neutral reply in every chat, and every text of it
    # on their screen, whatever the chat made of its layout.
    for number, line in enumerate(asked):
        replies = {
            name: await core.advisor.handle(
                ConversationKey(who(name, 0)[0], org.id, "parity", who(name, 0)[1]),
                TextReceived(line),
            )
            for name, org in orgs.items()
        }
        assert replies["slack"] == replies["terminal"], line
        assert replies["teams"] == replies["terminal"], line
        for name, reply in replies.items():
            on_screen = _plain(shown[name][number])
            missing = [piece for piece in _texts_of(reply) if _plain(piece) not in on_screen]
            assert not missing, f"{name} did not show, for {line!r}: {missing}"


async def everywhere(
    world: World,
    orgs: dict[str, Organisation],
    person: int,
    answers: Answers,
    then: tuple[str, ...],
    *,
    close: bool = False,
) -> dict[str, list[str]]:
    """The person answers in each chat, then (the scan closed first, if `close`) says `then`;
    what each chat showed for those."""
    core = world.core

    def closing(name: str) -> Answered:
        async def close_scan() -> None:
            if close:
                await close_running_scan(core.scans, orgs[name].id, now=core.clock.now())

        return close_scan

    return {
        "terminal": await terminal_person(
            core, orgs["terminal"], person, answers, then, closing("terminal")
        ),
        "slack": await slack_person(
            world.slack, world.api, person, answers, then, closing("slack")
        ),
        "teams": await teams_person(world.teams, person, answers, then, closing("teams")),
    }


def who(chat_name: str, person: int) -> tuple[str, str]:
    """The person's channel and user id in a chat; joined by ":", their respondent id."""
    match chat_name:
        case "terminal":
            return TERMINAL, f"person{person}"
        case "slack":
            return "slack", f"U{person}"
        case _:
            return "teams", str(_teams_member(person)["id"])


async def _organisation(core: App, key: str) -> Organisation:
    """The chat's organisation, its anonymity threshold set as its launch would set it."""
    org = await core.organisations.ensure(key, key)
    settings = replace(org.settings, anonymity_threshold=THRESHOLD)
    return await core.organisations.update_settings(org.id, settings)


def _texts_of(reply: Reply) -> Iterator[str]:
    """The words a reply says, piece by piece (not its chart's bars, which a chat may draw)."""
    for block in reply:
        match block:
            case Heading(text=text) | Paragraph(text=text):
                yield from (line for line in text.splitlines() if line.strip())
            case Bullets(items=items):
                yield from items
            case Facts(rows=rows):
                yield from (piece for row in rows for piece in row if piece.strip())
            case Chart(title=title, bars=bars):
                yield title
                yield from (bar.label for bar in bars)


def _plain(shown: str) -> str:
    """Text as read, without the chat's markup: entities, bold and italics, bullets, spacing."""
    unmarked = re.sub(r"[*_~•]", " ", html.unescape(shown))
    return " ".join(unmarked.split()).casefold()
