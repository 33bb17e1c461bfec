"""The Slack payloads of every message kind are checked for raw ids: people appear by name.

Slack shows ``<@U…>`` as the person's name, so that is how a person may appear; a bare user,
channel or team id, another chat's id (Teams' ``29:…``), a respondent (``slack:U…``) or a mention
token the renderer left behind may not, in any text a person reads. Hidden fields (a button's
value, action and block ids, private metadata) carry ids by design and are not looked at.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.slack.modals import launch_modal, settings_modal
from bot.slack.render import fallback_text, to_blocks, to_home_view, to_message
from dialogs.delivery import Undeliverable
from dialogs.events import Command, TaskAction
from dialogs.messages import (
    Actions,
    Bullets,
    Button,
    Choice,
    ChoicePrompt,
    Facts,
    Heading,
    Paragraph,
    People,
    Places,
    Progress,
    Reply,
    mention,
)
from dialogs.nudge_views import Digest, DueLine, digest, escalation, handover, task_nudge
from dialogs.records import NewTask, OrgSettings
from engine.nudges import NudgeKind
from engine.tasks import Consistency, Task
from engine.text import text
from engine.vocabulary import Language, TaskKind
from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import SlackWorld
from tests.slack.launch_form import launch_values
from tests.slack.test_render import LABELS, _product_messages

MANAGER, ANN = "U0MGR", "U0ANN"
TEAMS_PERSON = "teams:29:1eXsIzmQpKOA061_p8us"
TERMINAL_PERSON = "console:anne"
FIXTURE_IDS = (MANAGER, ANN, "UPM", "UOWN", TEAM_ID)

_RAW_IDS = (
    re.compile(r"\b[UWCGT][A-Z0-9]{6,}\b"),  # a Slack user, channel, group or team id
    re.compile(r"\b(?:" + "|".join(FIXTURE_IDS) + r")\b"),  # this test's ids, however short
    re.compile(r"\b29:[\w-]+"),  # a Teams user
    re.compile(r"\b19:\S*@thread"),  # a Teams conversation
    re.compile(r"\ba:[\w-]{6,}"),  # a Teams conversation id
    re.compile(r"\b(?:slack|teams|console|terminal):\S"),  # a respondent as stored
    re.compile(r"<@person:|&lt;@person:"),  # a mention token left unresolved
)
_SHOWN_AS_NAMES = re.compile(r"<@[UW][A-Z0-9]+>|<#[CG][A-Z0-9]+>")
"""A Slack user mention and a channel link: Slack shows them as the person's or channel's name."""
_HIDDEN = frozenset(
    {
        "value",
        "action_id",
        "block_id",
        "private_metadata",
        "callback_id",
        "type",
        "style",
        "metadata",
        "channel",
        "user_id",
        "team_id",
        "ts",
        "id",
        "url",
        "image_url",
        "response_type",
        "replace_original",
        "token",
    }
)
"""Fields no one reads: ids travel there by design (a button's value, the message's address)."""


def visible(payload: Any) -> Iterator[str]:
    """Every text in a payload a person could read."""
    if isinstance(payload, str):
        yield payload
    elif isinstance(payload, dict):
        for key, value in payload.items():
            if key not in _HIDDEN:
                yield from visible(value)
    elif isinstance(payload, list | tuple):
        for item in payload:
            yield from visible(item)


def raw_ids(payload: Any) -> list[str]:
    """The raw ids a person would see in the payload."""
    found = []
    for shown in visible(payload):
        readable = _SHOWN_AS_NAMES.sub("", shown)
        found += [match.group(0) for pattern in _RAW_IDS for match in pattern.finditer(readable)]
    return found


def assert_no_raw_ids(name: str, payload: Any) -> None:
    found = raw_ids(payload)
    assert not found, f"{name}: raw ids {found} in {json.dumps(payload, ensure_ascii=False)}"


# The check itself: it catches what a broken renderer would leak, and lets names through


@pytest.mark.parametrize(
    "leaked",
    [
        {"text": "#2 now belongs to U0ANN."},
        {"blocks": [{"type": "section", "fields": [{"type": "mrkdwn", "text": "(U07QK2ZL3MB)"}]}]},
        {"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "For U0MGR"}}]},
        {"text": "Weekly post (2026-11-23 10:00, 29:1eXsIzmQpKOA061_p8us)"},
        {"text": "in 19:abc@thread.tacv2"},
        {"text": "owner slack:U0ANN"},
        {"text": "owner <@person:slack:U0ANN>"},
        {"text": "owner &lt;@person:teams:29:1abc&gt;"},
        {"view": {"title": {"type": "plain_text", "text": "T0FAKE"}}},
    ],
)
def test_the_check_finds_a_raw_id_wherever_a_person_reads_it(leaked: dict[str, Any]) -> None:
    assert raw_ids(leaked)


def test_the_check_lets_slack_mentions_and_hidden_fields_through() -> None:
    fine = {
        "channel": "DU0MGR",
        "text": "#2 now belongs to <@U0ANN>; see <#C0NEWS>.",
        "blocks": [
            {
                "type": "actions",
                "block_id": "U0MGR",
                "elements": [{"action_id": "act:0", "value": "done 3", "text": {"text": "Done"}}],
            }
        ],
        "private_metadata": "slack:U0MGR",
    }
    assert raw_ids(fine) == []


# Every reply kind the dialogs make, rendered


START = datetime(2026, 11, 23, 10, 0)  # noqa: DTZ001 - a wall-clock time beside its zone
OWNERS = (f"slack:{ANN}", TEAMS_PERSON, TERMINAL_PERSON, f"slack:{MANAGER}", "slack:bob")


def _task(number: int, owner: str) -> Task:
    title = text(f"Wekelijkse post {number}", f"Weekly post {number}")
    return Task(number, "post", TaskKind.POST, title, owner, "FREQ=WEEKLY", START, "UTC")


def _people_replies(language: Language) -> Iterator[tuple[str, Reply]]:
    """The replies that name people, with owners from Slack, Teams and the terminal."""
    tasks = [_task(number, owner) for number, owner in enumerate(OWNERS, start=1)]
    lines = tuple(DueLine(task, START) for task in tasks)
    week = Digest(
        "2026-W48",
        due=lines,
        overdue=lines[:2],
        done=lines[2:],
        recent=Consistency(4, 4, 3),
        longer=Consistency(12, 12, 10),
        unreachable=(f"slack:{ANN}", TEAMS_PERSON, "slack:#C0NEWS"),
    )
    yield "digest", digest(week, language)
    for task in tasks:
        yield f"escalation of {task.owner}", escalation(task, 3, language)
        yield f"task nudge of {task.owner}", task_nudge(task, START, NudgeKind.TASK_DUE, language)
        yield f"handover to {task.owner}", handover(task, language)
    everyone = (*OWNERS, "slack:#C0NEWS")
    yield "people", (People(everyone), Places(("slack:#C0NEWS",)))
    said = ", ".join(mention(owner) for owner in everyone)
    event = TaskAction(Command.DONE, 1)
    yield (
        "people in every kind of text",
        (
            Heading(f"Tasks of {said}"),
            Paragraph(f"#2 now belongs to {said}."),
            Bullets((f"#1 Weekly post ({said})",)),
            Facts(((f"Owner {said}", said),)),
            Progress(1, 2, said),
            ChoicePrompt(
                "who",
                f"Who takes over from {said}?",
                tuple(Choice(f"c{n}", mention(o), mention(o)) for n, o in enumerate(everyone)),
                hint=said,
                back_label="Back",
                pause_label="Pause",
                submit_label="Submit",
            ),
            Actions((Button(f"Give to {said}", event, "reassign 1"),)),
        ),
    )


@pytest.mark.parametrize("language", list(Language))
def test_no_reply_the_product_builds_shows_a_raw_id_in_slack(language: Language) -> None:
    replies = [*_product_messages(language), *_people_replies(language)]
    for name, reply in replies:
        message = to_message(reply, language=language, **LABELS[language])
        assert_no_raw_ids(f"{name} ({language})", message)
        assert_no_raw_ids(f"{name} at home ({language})", to_home_view(reply, **LABELS[language]))

    assert len(replies) > 2 * len(OWNERS) + 30


@pytest.mark.parametrize("language", list(Language))
def test_a_slack_user_is_a_mention_and_anyone_else_a_colleague(language: Language) -> None:
    colleague = {Language.NL: "een collega", Language.EN: "a colleague"}[language]
    said = f"#2 {mention(f'slack:{ANN}')}, {mention(TEAMS_PERSON)}, {mention(TERMINAL_PERSON)}."

    message = to_message((Paragraph(said),), language=language)

    expected = f"#2 <@{ANN}>, {colleague}, {colleague}."
    assert message["text"] == expected
    assert message["blocks"] == [{"type": "section", "text": {"type": "mrkdwn", "text": expected}}]


def test_a_heading_that_names_someone_is_bold_text_where_the_mention_shows_the_name() -> None:
    blocks = to_blocks((Heading(f"Tasks of {mention(f'slack:{ANN}')} & co"),))

    assert blocks == [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*Tasks of <@{ANN}> &amp; co*"}}
    ]


def test_a_button_cannot_show_a_mention_so_it_says_a_colleague() -> None:
    event = TaskAction(Command.DONE, 1)
    (actions,) = to_blocks((Actions((Button(f"Give to {mention(f'slack:{ANN}')}", event, "x"),)),))

    assert actions["elements"][0]["text"]["text"] == "Give to a colleague"


def test_a_long_text_is_never_cut_inside_a_mention() -> None:
    name = mention(f"slack:{ANN}")
    for filler in range(280, 300):
        shown = fallback_text((Paragraph("x" * filler + f" {name} and more"),))

        assert raw_ids({"text": shown}) == [], shown
        assert len(shown) <= 300


@pytest.mark.parametrize("language", list(Language))
def test_no_modal_shows_a_raw_id(language: Language) -> None:
    groups = [(f"S{n:08d}", f"group-{n}") for n in range(3)]
    for name, view in (
        ("launch", launch_modal(language, 5, groups)),
        ("settings", settings_modal(language, OrgSettings(language=language))),
    ):
        assert_no_raw_ids(f"{name} modal ({language})", view)
    # The figures form is opened from the digest in the real flow below.


# The real flows: what the advisor posts to (a fake) Slack for a team whose people are in
# Slack, in Teams and at a terminal

WORDS = {
    Language.EN: (
        "tasks",
        "reassign",
        ("help", "audit", "privacy", "my data", f"forget me, hand over to <@{ANN}>"),
    ),
    Language.NL: (
        "taken",
        "overdragen",
        ("hulp", "logboek", "privacy", "mijn gegevens", f"vergeet mij, draag over aan <@{ANN}>"),
    ),
}
_SHOWN = ("chat.postMessage", "chat.update", "chat.postEphemeral", "views.publish", "views.open")


async def _team(world: SlackWorld, language: Language) -> None:
    """A manager and a colleague in Slack, a colleague in Teams, one at a terminal; weekly
    tasks for each, two missed already (an escalation), and the colleague in Slack out of reach."""
    locale = {Language.NL: "nl-NL", Language.EN: "en-US"}[language]
    for user in (MANAGER, ANN):
        world.api.add_user(user, locale=locale)
    org = await world.core.organisations.ensure(f"slack:{TEAM_ID}", "Acme")
    await world.core.organisations.update_settings(
        org.id, replace(org.settings, manager=f"slack:{MANAGER}", language=language)
    )
    start = START - timedelta(weeks=3)
    new = [
        NewTask(
            f"post{n}",
            TaskKind.POST,
            text(f"Post {n}", f"Post {n}"),
            owner,
            "FREQ=WEEKLY",
            start,
            "UTC",
        )
        for n, owner in enumerate(OWNERS[:4], start=1)
    ]
    await world.core.activation.tasks.adopt(
        org.id, new, by=f"slack:{MANAGER}", now=world.clock.now()
    )
    await world.core.activation.people.set_unreachable(
        org.id, TEAMS_PERSON, Undeliverable.PERSON_GONE, now=world.clock.now()
    )
    world.clock.set(datetime.fromisoformat("2026-11-23T10:05:00+00:00"))


def _measure_button(world: SlackWorld) -> tuple[dict[str, Any], dict[str, Any]]:
    """The digest, and its button that opens the figures form."""
    for message in world.api.messages[f"D{MANAGER}"].values():
        for block in message["blocks"]:
            for element in block.get("elements", ()):
                if element.get("value") == "measure":
                    return message, element
    raise AssertionError("the digest has no button for the figures")


async def _say(world: SlackWorld, user: str, words: str) -> None:
    before = len(world.api.called("chat.postMessage"))
    response = await world.slack.direct_message(user, words)
    assert response.status == 200
    await world.settled("chat.postMessage", before + 1)


@pytest.mark.parametrize("language", list(Language))
async def test_nothing_the_advisor_posts_to_slack_shows_a_raw_id(
    world: SlackWorld, language: Language
) -> None:
    await _team(world, language)
    tasks, reassign, others = WORDS[language]

    await world.send_due_nudges()
    await world.slack.click(MANAGER, *_measure_button(world))  # the figures form
    await world.settled("views.open", 1)
    await _say(world, MANAGER, tasks)
    await _say(world, MANAGER, f"{reassign} 1 <@{ANN}>")
    await _say(world, MANAGER, f"{reassign} 2 @bob")
    for words in (tasks, *others):
        await _say(world, MANAGER, words)
    await _say(world, ANN, tasks)
    for user in (MANAGER, ANN):
        before = len(world.api.called("views.publish"))
        await world.slack.home_opened(user)
        await world.settled("views.publish", before + 1)
    await world.idle()

    shown = [(method, call) for method in _SHOWN for call in world.api.called(method)]
    for method, call in shown:
        assert_no_raw_ids(method, call)
    everything = json.dumps([call for _, call in shown], ensure_ascii=False)
    assert f"<@{ANN}>" in everything  # the task list, the digest and the hand-over name her
    # The colleagues in Teams and at the terminal, by the word in the replies' language.
    colleague = {Language.NL: "een collega", Language.EN: "a colleague"}
    assert colleague[language] in everything
    (other,) = set(Language) - {language}
    assert colleague[other] not in everything


@pytest.mark.parametrize("language", list(Language))
async def test_a_launch_its_status_and_the_managers_home_show_no_raw_id(
    world: SlackWorld, language: Language
) -> None:
    locale = {Language.NL: "nl-NL", Language.EN: "en-US"}[language]
    team = [ANN, "U0BEN", "U0CAS"]
    for user in (MANAGER, *team):
        world.api.add_user(user, locale=locale)
    world.api.set_members("C0TEAM", team)
    launch, status = {Language.NL: ("lanceer", "status"), Language.EN: ("launch", "status")}[
        language
    ]
    await world.slack.slash(MANAGER, launch, response_url=world.api.response_url("launch"))
    await world.settled("views.open", 1)
    values = launch_values("C0TEAM", "3", "2026-11-27", report="C0REPORT")
    response = await world.slack.submit_view(MANAGER, "launch", values, metadata=language.value)
    assert response.status == 200
    await world.settled("chat.postMessage", len(team) + 1)
    await world.slack.slash(MANAGER, status, response_url=world.api.response_url("status"))
    await world.settled("respond", 1)
    await world.slack.home_opened(MANAGER)
    (home,) = await world.settled("views.publish", 1)
    await world.idle()

    for method in (*_SHOWN, "respond"):
        for call in world.api.called(method):
            assert_no_raw_ids(method, call)
    assert f"<@{ANN}>" in json.dumps(home)  # the manager's home lists who has not answered
