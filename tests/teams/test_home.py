"""The overview card in a Teams personal chat, end to end through the fake Bot Connector: what
Slack's App Home shows (the project manager's part, and what everyone sees), with buttons for
the next steps; and the card itself within Teams' limits, readable on a phone."""

from __future__ import annotations

import pytest

from bot.teams import phrases as teams_phrases
from bot.teams.home import ROW, home_activity
from bot.teams.render import CARD_BUDGET, card_size
from dialogs import phrases
from dialogs.messages import Paragraph
from engine.vocabulary import Language
from tests.teams.activities import message
from tests.teams.conftest import Json, TeamsWorld
from tests.teams.team_scan import MANAGER, PEOPLE, install, launch
from tests.teams.teams_side import card, press, submits, texts
from tests.teams.test_cards import official_schema

WORDS = {Language.EN: "home", Language.NL: "overzicht"}
LOCALES = {Language.EN: "en-US", Language.NL: "nl-NL"}


def _chat(world: TeamsWorld, person: Json) -> str:
    conversation = world.connector.conversation_of(str(person["id"]))
    assert conversation is not None, f"{person['name']} has no chat with the advisor"
    return conversation


async def _says(world: TeamsWorld, person: Json, text: str, language: Language) -> Json:
    """`person` writes `text` in their own chat; the latest activity there after it."""
    said = message(
        text,
        user=person,
        conversation_id=_chat(world, person),
        service_url=world.connector.service_url,
        locale=LOCALES[language],
    )
    assert await world.post(said) == 200
    return world.connector.sent(_chat(world, person))[-1]


async def _home(world: TeamsWorld, person: Json, language: Language) -> Json:
    """`person`, speaking `language` with the advisor, asks for the overview."""
    await _says(world, person, f"language {language.value}", language)
    return await _says(world, person, WORDS[language], language)


def _buttons(home: Json) -> list[str]:
    return [action["title"] for action in submits(card(home)["body"])]


def assert_readable(home: Json) -> None:
    """The official schema, Teams' size, every text wrapped, at most `ROW` buttons a row."""
    content = card(home)
    errors = list(official_schema().iter_errors(content))
    assert not errors, [error.message[:200] for error in errors]
    assert card_size(content) <= CARD_BUDGET
    for element in content["body"]:
        if element["type"] == "TextBlock":
            assert element["wrap"] is True
        if element["type"] == "ActionSet":
            assert 0 < len(element["actions"]) <= ROW


@pytest.mark.parametrize("language", list(Language))
async def test_the_manager_sees_the_running_scan_and_can_open_the_settings(
    world: TeamsWorld, language: Language
) -> None:
    team = await install(world)
    await launch(world, team)

    home = await _home(world, MANAGER, language)

    assert_readable(home)
    said = texts(home)
    assert said.startswith(teams_phrases.HOME_TITLE(language))
    assert phrases.STATUS_TITLE(language).format(number=1) in said
    assert phrases.MY_SCAN_TITLE(language) in said
    assert phrases.HELP_TITLE(language) in said
    assert _buttons(home) == [
        teams_phrases.HOME_SCAN(language),
        teams_phrases.HOME_RESULTS(language),
        teams_phrases.HOME_TASKS(language),
        teams_phrases.HOME_SETTINGS(language),
    ]
    # Teams posts an imBack button's value as the person's own message.
    (settings,) = [a for a in submits(card(home)["body"]) if "msteams" in a["data"]]
    assert settings["data"]["msteams"]["type"] == "imBack"
    form = await _says(world, MANAGER, settings["data"]["msteams"]["value"], language)
    assert phrases.SETTINGS_TITLE(language) in texts(form)
    assert phrases.SAVE(language) in _buttons(form)


@pytest.mark.parametrize("language", list(Language))
async def test_someone_else_sees_their_own_overview_without_the_settings(
    world: TeamsWorld, language: Language
) -> None:
    team = await install(world)
    await launch(world, team)
    ann = PEOPLE[1]

    home = await _home(world, ann, language)

    assert_readable(home)
    said = texts(home)
    assert phrases.MY_SCAN_TITLE(language) in said
    assert phrases.STATUS_TITLE(language).format(number=1) not in said, "the manager's part"
    assert _buttons(home) == [
        teams_phrases.HOME_SCAN(language),
        teams_phrases.HOME_RESULTS(language),
        teams_phrases.HOME_TASKS(language),
    ]


async def test_the_overviews_buttons_take_the_next_step(world: TeamsWorld) -> None:
    team = await install(world)
    await launch(world, team)
    ann = PEOPLE[1]
    home = await _home(world, ann, Language.EN)

    clicked = world.presses(ann, home, press(home, teams_phrases.HOME_SCAN(Language.EN)))
    assert await world.post(clicked) == 200

    question = world.connector.sent(_chat(world, ann))[-1]
    assert question["id"] != home["id"], "the overview stays; the scan comes below it"
    assert any(a["data"].get("advisor") == "choice" for a in submits(card(question)["body"]))


@pytest.mark.parametrize("language", list(Language))
async def test_installing_the_app_for_oneself_shows_the_overview(
    world: TeamsWorld, language: Language
) -> None:
    person = PEOPLE[2]

    conversation = await world.installs(person, locale=LOCALES[language])

    (welcome,) = world.connector.sent(conversation)
    assert_readable(welcome)
    assert texts(welcome).startswith(teams_phrases.WELCOME(language))
    assert phrases.MY_SCAN_TITLE(language) in texts(welcome)
    # Before any launch, whoever comes first may set things up.
    assert teams_phrases.HOME_SETTINGS(language) in _buttons(welcome)


def test_an_overview_too_big_for_teams_is_cut_before_its_buttons() -> None:
    reply = tuple(Paragraph(f"{number} " + "word " * 300) for number in range(40))

    home = home_activity(reply, Language.NL, manager=True)

    content = card(home)
    assert card_size(content) <= CARD_BUDGET
    assert content["body"][-3]["text"].endswith("…")
    assert [len(row["actions"]) for row in content["body"][-2:]] == [3, 1]


async def test_installing_again_welcomes_in_the_language_the_person_chose(
    world: TeamsWorld,
) -> None:
    person = PEOPLE[3]
    conversation = await world.installs(person, locale="en-US")
    await _says(world, person, "taal nl", Language.EN)

    await world.installs(person, locale="en-US")

    welcome = world.connector.sent(conversation)[-1]
    assert texts(welcome).startswith(teams_phrases.WELCOME(Language.NL))
    assert phrases.MY_SCAN_TITLE(Language.NL) in texts(welcome)
    assert teams_phrases.HOME_SCAN(Language.NL) in _buttons(welcome)
