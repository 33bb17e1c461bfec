"""The organisation's settings in Teams, end to end through the fake Bot Connector: the project
manager opens a card in their own chat (or a team's channel) and saves it; anyone else is
refused; a value that cannot be right brings the card back and changes nothing."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from bot.teams import phrases as teams_phrases
from bot.teams.forms import form_activity
from bot.teams.render import CARD_BUDGET, card_size
from bot.teams.settings import SettingsValues, check_settings, settings_card
from dialogs import phrases
from dialogs.calendar import FIELDS, calendar_texts
from dialogs.records import OrgSettings
from engine.respect import Respect
from engine.vocabulary import Language
from storage.teams import SqlaTeamsConversations
from tests.fakes.bot_connector import TENANT_ID
from tests.teams.activities import card_submit, message
from tests.teams.conftest import Json, TeamsWorld
from tests.teams.team_scan import MANAGER, PEOPLE, TEAM_ID, install, launch
from tests.teams.teams_side import card, inputs, press, submits, texts
from tests.teams.test_cards import official_schema

GENERAL = f"teams:#{TEAM_ID}"
"""The team's General channel, where the app was added: the one channel the advisor knows."""
LOCALES = {Language.EN: "en-US", Language.NL: "nl-NL"}
WORDS = {Language.EN: "settings", Language.NL: "instellingen"}


async def _settings(world: TeamsWorld) -> OrgSettings:
    org = await world.core.organisations.find(f"teams:{TENANT_ID}")
    assert org is not None
    return org.settings


def _chat(world: TeamsWorld, person: Json) -> str:
    conversation = world.connector.conversation_of(str(person["id"]))
    assert conversation is not None, f"{person['name']} has no chat with the advisor"
    return conversation


async def _opens(world: TeamsWorld, person: Json, language: Language = Language.EN) -> Json:
    """`person` asks for the settings in their own chat; what the advisor sent last."""
    said = world.says(person, WORDS[language], locale=LOCALES[language])
    assert await world.post(said) == 200
    return world.connector.sent(_chat(world, person))[-1]


async def _saves(
    world: TeamsWorld,
    person: Json,
    form: Json,
    language: Language = Language.EN,
    *,
    button: str | None = None,
    **typed: str,
) -> Json:
    """`person` presses Save (or `button`) on `form` in their own chat with `typed` in it;
    the chat's latest activity after it."""
    value = press(form, button or phrases.SAVE(language), **typed)
    submitted = world.presses(person, form, value, locale=LOCALES[language])
    assert await world.post(submitted) == 200
    return world.connector.sent(_chat(world, person))[-1]


def _save_title(form: Json) -> str:
    """The card's save button, in whichever language it speaks."""
    (save,) = [a for a in submits(card(form)["body"]) if a.get("style") == "positive"]
    return str(save["title"])


def _fields(form: Json) -> dict[str, Json]:
    return {field["id"]: field for field in inputs(card(form)["body"])}


def _error_after(form: Json, input_id: str) -> str | None:
    """The attention text under an input (and under its hint, if it has one), if any."""
    body = card(form)["body"]
    [index] = [i for i, element in enumerate(body) if element.get("id") == input_id]
    following = body[index + 1]
    if following.get("isSubtle"):
        following = body[index + 2]
    if following["type"] == "TextBlock" and following.get("color") == "attention":
        return str(following["text"])
    return None


@pytest.mark.parametrize("language", list(Language))
async def test_the_manager_changes_the_settings_from_their_own_chat(
    world: TeamsWorld, language: Language
) -> None:
    await install(world)
    before = await _settings(world)

    form = await _opens(world, MANAGER, language)

    assert phrases.SETTINGS_TITLE(language) in texts(form)
    fields = _fields(form)
    assert fields["org_language"]["value"] == before.language.value
    assert fields["threshold"]["value"] == before.anonymity_threshold
    channels = {choice["value"]: choice["title"] for choice in fields["report"]["choices"]}
    assert channels[GENERAL] == "Marketing"
    other = Language.EN if before.language is Language.NL else Language.NL
    shown = await _saves(
        world, MANAGER, form, language, org_language=other.value, threshold="7", report=GENERAL
    )

    after = await _settings(world)
    assert (after.language, after.anonymity_threshold, after.report_channel) == (
        other,
        7,
        GENERAL,
    )
    assert shown["id"] == form["id"], "the card is replaced by what was saved"
    summary = phrases.SETTINGS_SAVED(language).format(
        language=phrases.LANGUAGE_NAME(other), threshold=7
    )
    assert texts(shown).split("\n") == [
        summary,
        phrases.SETTINGS_SAVED_REPORT(language),
        "Marketing",
    ]


async def test_no_report_channel_is_a_choice_and_clears_it(world: TeamsWorld) -> None:
    await install(world)
    form = await _opens(world, MANAGER)
    await _saves(world, MANAGER, form, report=GENERAL)

    again = await _opens(world, MANAGER)
    assert _fields(again)["report"]["value"] == GENERAL
    shown = await _saves(world, MANAGER, again, report="none")

    assert (await _settings(world)).report_channel is None
    assert phrases.SETTINGS_SAVED_REPORT(Language.EN) not in texts(shown)


@pytest.mark.parametrize("language", list(Language))
async def test_someone_who_is_not_the_manager_is_refused_and_nothing_changes(
    world: TeamsWorld, language: Language
) -> None:
    team = await install(world)
    await launch(world, team)
    ann = PEOPLE[1]
    before = await _settings(world)

    said = world.says(ann, f"language {language.value}", conversation=_chat(world, ann))
    assert await world.post(said) == 200

    refused = await _opens(world, ann, language)

    assert texts(refused) == phrases.MANAGERS_ONLY(language)
    # A card the manager was given, its save pressed by someone else (forwarded, say).
    form = await _opens(world, MANAGER)
    value = press(form, _save_title(form), threshold="9", report="none")
    value["language"] = language.value
    submitted = world.presses(ann, form, value, locale=LOCALES[language])
    assert await world.post(submitted) == 200
    assert texts(world.connector.sent(_chat(world, ann))[-1]) == phrases.MANAGERS_ONLY(language)
    assert await _settings(world) == before


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize(
    ("threshold", "error"),
    [("2", phrases.THRESHOLD_TOO_LOW), ("26", phrases.THRESHOLD_OUT_OF_RANGE), ("", None)],
)
async def test_a_bad_threshold_shows_the_card_again_and_changes_nothing(
    world: TeamsWorld, language: Language, threshold: str, error: Any
) -> None:
    await install(world)
    before = await _settings(world)
    form = await _opens(world, MANAGER, language)

    shown = await _saves(world, MANAGER, form, language, threshold=threshold, report=GENERAL)

    assert await _settings(world) == before
    assert shown["id"] == form["id"], "the card is shown again in place"
    expected = (error or phrases.THRESHOLD_TOO_LOW)(language)
    assert _error_after(shown, "threshold") == expected
    assert teams_phrases.FORM_CHECK_MARKED(language) in texts(shown)
    assert _fields(shown)["report"]["value"] == GENERAL, "what was chosen is kept"
    right = await _saves(world, MANAGER, shown, language, threshold="5")
    assert (await _settings(world)).anonymity_threshold == 5
    assert phrases.SETTINGS_SAVED_REPORT(language) in texts(right)


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ({"report": "teams:#19:elsewhere@thread.tacv2"}, "report"),
        ({"org_language": "de"}, "org_language"),
    ],
)
async def test_a_channel_or_language_not_offered_is_refused(
    world: TeamsWorld, typed: dict[str, str], field: str
) -> None:
    await install(world)
    before = await _settings(world)
    form = await _opens(world, MANAGER)

    shown = await _saves(world, MANAGER, form, **typed)

    assert await _settings(world) == before
    assert _error_after(shown, field) is not None


async def test_cancel_changes_nothing(world: TeamsWorld) -> None:
    await install(world)
    before = await _settings(world)
    form = await _opens(world, MANAGER)

    shown = await _saves(world, MANAGER, form, button="Cancel", threshold="9")

    assert await _settings(world) == before
    assert texts(shown) == teams_phrases.SETTINGS_UNCHANGED(Language.EN)


async def test_a_settings_submit_that_was_tampered_with_is_refused_at_the_door(
    world: TeamsWorld,
) -> None:
    await install(world)
    before = await _settings(world)
    form = await _opens(world, MANAGER)
    value = press(form, "Save", threshold="9")
    value["threshold"] = 9  # Teams sends every input as text

    assert await world.post(world.presses(MANAGER, form, value)) == 400
    assert await _settings(world) == before


async def test_the_manager_changes_the_settings_in_a_teams_channel(world: TeamsWorld) -> None:
    team = await install(world)
    said = message(
        "settings", user=MANAGER, team=team, service_url=world.connector.service_url, locale="en-US"
    )
    assert await world.post(said) == 200
    thread = said["conversation"]["id"]
    (form,) = world.connector.sent(thread)
    assert [action["title"] for action in submits(card(form)["body"])] == ["Save", "Cancel"]

    pressed = card_submit(
        press(form, "Save", threshold="11", report=GENERAL),
        reply_to_id=form["id"],
        user=MANAGER,
        team=team,
        conversation_id=thread,
        service_url=world.connector.service_url,
        locale="en-US",
    )
    assert await world.post(pressed) == 200

    assert (await _settings(world)).anonymity_threshold == 11
    (shown,) = world.connector.sent(thread)
    assert "threshold 11" in texts(shown)


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("with_errors", [False, True])
def test_the_settings_card_is_valid_and_readable_on_a_phone(
    language: Language, with_errors: bool
) -> None:
    channels = [(GENERAL, "Marketing (1)"), ("teams:#19:sales@thread.tacv2", "Marketing (2)")]
    wrong = {name: "x" * 2001 for name in FIELDS}
    values = SettingsValues(language, "xx", "2", "nowhere", "Mars/Base", wrong)
    errors = check_settings(values, channels, Respect()) if with_errors else None
    assert not isinstance(errors, Respect)

    form = settings_card(
        language, OrgSettings(), channels, values=values if with_errors else None, errors=errors
    )

    assert not list(official_schema().iter_errors(form))
    assert card_size(form) <= CARD_BUDGET
    every = {"org_language", "threshold", "report", "time_zone", *FIELDS}
    assert set(errors or {}) == (every if with_errors else set())
    for element in form["body"]:
        if element["type"] == "TextBlock":
            assert element["wrap"] is True
        if element["type"] == "ActionSet":
            assert len(element["actions"]) <= 3
    assert [c["title"] for c in _fields(form_activity(form))["report"]["choices"]] == [
        teams_phrases.SETTINGS_NO_REPORT(language),
        "Marketing (1)",
        "Marketing (2)",
    ]


# The organisation's time zone and calendar


@pytest.mark.parametrize("language", list(Language))
async def test_the_manager_changes_the_time_zone_and_the_calendar(
    world: TeamsWorld, language: Language
) -> None:
    await install(world)
    before = await _settings(world)
    form = await _opens(world, MANAGER, language)
    fields = _fields(form)
    assert fields["time_zone"]["value"] == before.time_zone
    shown_now = calendar_texts(before.respect, language)
    assert {name: fields[name]["value"] for name in FIELDS} == shown_now

    shown = await _saves(
        world,
        MANAGER,
        form,
        language,
        time_zone="Europe/Brussels",
        working_days="ma-do" if language is Language.NL else "mon-thu",
        hours="08:30-16:00",
        quiet_hours="12:00-13:00",
        weekly_cap="3",
        country="BE",
        days_off="2026-12-24, 2026-12-31",
    )

    after = await _settings(world)
    assert after.time_zone == "Europe/Brussels"
    assert after.respect == Respect(
        working_days=frozenset({0, 1, 2, 3}),
        day_starts=time(8, 30),
        day_ends=time(16, 0),
        holidays=frozenset({date(2026, 12, 24), date(2026, 12, 31)}),
        weekly_cap=3,
        quiet_hours=(time(12, 0), time(13, 0)),
        country="BE",
    )
    calendar = phrases.CALENDAR_SAVED(language).format(
        working_days="ma-do" if language is Language.NL else "mon-thu",
        hours="08:30-16:00",
        zone="Europe/Brussels",
    )
    assert texts(shown).split("\n")[1] == calendar, "the calendar is confirmed as Slack does"
    again = _fields(await _opens(world, MANAGER, language))
    assert again["country"]["value"] == "BE"
    assert again["quiet_hours"]["value"] == "12:00-13:00"


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"time_zone": "x" * 300}, "time_zone"),
        ({"working_days": "someday"}, "working_days"),
        ({"hours": "17:00-09:00"}, "hours"),
        ({"quiet_hours": "18:00-19:00"}, "quiet_hours"),
        ({"weekly_cap": "0"}, "weekly_cap"),
        ({"country": "Atlantis"}, "country"),
        ({"days_off": "31-02-2026"}, "days_off"),
    ],
)
async def test_a_bad_calendar_value_shows_the_card_again_and_changes_nothing(
    world: TeamsWorld, language: Language, typed: dict[str, str], field: str
) -> None:
    await install(world)
    before = await _settings(world)
    form = await _opens(world, MANAGER, language)

    shown = await _saves(world, MANAGER, form, language, threshold="8", **typed)

    assert await _settings(world) == before
    assert shown["id"] == form["id"]
    error = _error_after(shown, field)
    assert error is not None
    assert error.strip()
    assert teams_phrases.FORM_CHECK_MARKED(language) in texts(shown)
    assert _fields(shown)[field]["value"] == typed[field][:2000], "what was typed is kept"
    assert _fields(shown)["threshold"]["value"] == 8


async def test_a_channel_without_a_name_is_offered_by_a_word_never_its_id(
    world: TeamsWorld,
) -> None:
    await install(world)
    org = await world.core.organisations.find(f"teams:{TENANT_ID}")
    assert org is not None
    unnamed = "teams:#19:quiet@thread.tacv2"
    reference = {"conversation": {"id": "19:quiet@thread.tacv2"}}
    await SqlaTeamsConversations(world.core.database).remember(
        org.id, unnamed, reference, name=None, now=world.clock.now()
    )

    form = await _opens(world, MANAGER, Language.NL)

    choices = {c["value"]: c["title"] for c in _fields(form)["report"]["choices"]}
    assert choices == {
        "none": teams_phrases.SETTINGS_NO_REPORT(Language.NL),
        GENERAL: "Marketing",
        unnamed: teams_phrases.SETTINGS_UNNAMED_CHANNEL(Language.NL),
    }
    await _saves(world, MANAGER, form, Language.NL, report=unnamed)
    assert (await _settings(world)).report_channel == unnamed
