"""Data rights in Teams, end to end: 'mijn gegevens' and 'export' offer their files by Teams'
file consent in the personal chat; allowing one makes it afresh for whoever pressed and uploads
it to the session Teams named, then shows it; declining sends nothing; 'vergeet mij' and its
confirmation erase the person."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from bot.teams import phrases as teams_phrases
from bot.teams.render import FILE_CONSENT_TYPE, FILE_INFO_TYPE
from dialogs.messages import File, Paragraph
from dialogs.records import Nudge, place
from engine.nudges import NudgeKind
from engine.recurrence import LocalTime
from engine.vocabulary import Language
from tests.fakes.bot_connector import TENANT_ID, teams_member
from tests.teams.activities import file_consent
from tests.teams.conftest import Json, TeamsWorld
from tests.teams.team_scan import (
    MANAGER,
    PEOPLE,
    TEAM_ID,
    answer_all,
    in_channel,
    install,
    launch,
)
from tests.teams.teams_side import texts

ANN = PEOPLE[1]
ORG_KEY = f"teams:{TENANT_ID}"


async def _took_part(world: TeamsWorld) -> str:
    """The team's scan launched and answered in full by Ann; her personal chat."""
    team = await install(world)
    await launch(world, team)
    await answer_all(world, ANN, pick=1)
    chat = world.connector.conversation_of(str(ANN["id"]))
    assert chat is not None
    return chat


async def _said(world: TeamsWorld, person: Json, text: str, *, locale: str = "nl-NL") -> list[Json]:
    """What the advisor sent into `person`'s chat after they wrote `text`."""
    chat = world.connector.conversation_of(str(person["id"]))
    assert chat is not None
    before = len(world.connector.sent(chat))
    assert await world.post(world.says(person, text, locale=locale)) == 200
    return world.connector.sent(chat)[before:]


def _consent_cards(activities: list[Json]) -> list[Json]:
    return [
        activity
        for activity in activities
        if [a["contentType"] for a in activity.get("attachments", ())] == [FILE_CONSENT_TYPE]
    ]


def _card_of(card: Json) -> Json:
    (attachment,) = card["attachments"]
    return dict(attachment)


async def _allow(world: TeamsWorld, person: Json, card: Json) -> tuple[int, list[Json], Json]:
    """`person` presses Allow on `card`: the invoke's status, what was sent after it, and the
    upload session Teams named."""
    chat = world.connector.conversation_of(str(person["id"]))
    assert chat is not None
    before = len(world.connector.sent(chat))
    info = world.connector.upload_info(_card_of(card)["name"])
    allowed = file_consent(
        card,
        upload_info=info,
        user=person,
        service_url=world.connector.service_url,
        locale="nl-NL",
    )
    status = await world.post(allowed)
    return status, world.connector.sent(chat)[before:], info


async def _sheet(world: TeamsWorld, person: Json) -> dict[str, Any]:
    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    scan = await world.core.scans.current(org.id)
    assert scan is not None
    return dict((await world.core.scans.sheet(org.id, scan.id, f"teams:{person['id']}")).answers)


async def test_my_data_is_offered_by_consent_and_allowing_it_uploads_the_persons_answers(
    world: TeamsWorld,
) -> None:
    await _took_part(world)
    said = await _said(world, ANN, "mijn gegevens")
    assert "alles wat de advisor over jou bewaart" in texts(said[0])
    (card,) = _consent_cards(said)
    offered = _card_of(card)
    assert offered["name"] == "my-data.json"
    context = {"advisor": "file", "kind": "my-data", "name": "my-data.json"}
    assert offered["content"]["acceptContext"] == context, "the card names the file, no bytes"
    assert offered["content"]["sizeInBytes"] > 0
    assert world.connector.uploaded() == []

    status, after, info = await _allow(world, ANN, card)

    assert status == 200
    (uploaded,) = world.connector.uploaded("my-data.json")
    document = json.loads(uploaded.content)
    assert document["respondent"] == f"teams:{ANN['id']}"
    assert len(document["scans"][0]["answers"]) == len(world.core.advisor.knowledge.bank)
    assert uploaded.authorization is None, "the bot's token is never sent to an upload session"
    (shown,) = after
    (attachment,) = shown["attachments"]
    assert attachment["contentType"] == FILE_INFO_TYPE
    assert attachment["contentUrl"] == info["contentUrl"]
    assert attachment["content"] == {"uniqueId": info["uniqueId"], "fileType": "json"}


async def test_allowing_my_data_works_with_a_signed_invoke(signed_world: TeamsWorld) -> None:
    world = signed_world
    person = teams_member("Noor Dekker")
    await world.installs(person, locale="nl-NL")
    (card,) = _consent_cards(await _said(world, person, "mijn gegevens"))

    status, after, _ = await _allow(world, person, card)

    assert status == 200
    (uploaded,) = world.connector.uploaded("my-data.json")
    assert json.loads(uploaded.content)["respondent"] == f"teams:{person['id']}"
    assert uploaded.authorization is None
    assert [a["contentType"] for a in after[0]["attachments"]] == [FILE_INFO_TYPE]


async def test_declining_a_file_sends_nothing(world: TeamsWorld) -> None:
    chat = await _took_part(world)
    (card,) = _consent_cards(await _said(world, ANN, "mijn gegevens"))
    before = len(world.connector.sent(chat))

    declined = file_consent(card, user=ANN, service_url=world.connector.service_url)
    assert await world.post(declined) == 200

    assert len(world.connector.sent(chat)) == before
    assert world.connector.uploaded() == []


async def test_forget_me_and_its_confirmation_erase_the_person_in_teams(
    world: TeamsWorld,
) -> None:
    await _took_part(world)
    assert len(await _sheet(world, ANN)) == len(world.core.advisor.knowledge.bank)

    asking = await _said(world, ANN, "vergeet mij")
    assert "Weet je het zeker?" in texts(asking[-1])
    assert len(await _sheet(world, ANN)) == len(world.core.advisor.knowledge.bank)
    done = await _said(world, ANN, "ja, vergeet mij")

    assert "vergeten" in texts(done[-1]).lower()
    assert await _sheet(world, ANN) == {}


async def test_the_managers_export_offers_each_file_and_allowing_one_uploads_it(
    world: TeamsWorld,
) -> None:
    await _took_part(world)
    said = await _said(world, MANAGER, "export")

    cards = _consent_cards(said)
    names = [_card_of(card)["name"] for card in cards]
    assert names[0] == "organisation.json"
    assert names[-1] == "tasks.ics"
    assert any(name.endswith(".csv") for name in names)
    assert all(
        _card_of(card)["content"]["acceptContext"]
        == {"advisor": "file", "kind": "export", "name": name}
        for card, name in zip(cards, names, strict=True)
    )

    calendar = cards[-1]
    status, after, _ = await _allow(world, MANAGER, calendar)

    assert status == 200
    (uploaded,) = world.connector.uploaded("tasks.ics")
    assert uploaded.content.startswith(b"BEGIN:VCALENDAR")
    assert [a["contentType"] for a in after[0]["attachments"]] == [FILE_INFO_TYPE]


async def test_someone_else_asking_for_the_export_is_refused_and_offered_nothing(
    world: TeamsWorld,
) -> None:
    await _took_part(world)
    said = await _said(world, ANN, "export")

    assert _consent_cards(said) == []
    assert "projectmanager" in texts(said[-1])


async def test_an_export_allowed_after_its_manager_stepped_down_is_refused(
    world: TeamsWorld,
) -> None:
    person = teams_member("Noor Dekker")
    await world.installs(person, locale="nl-NL")
    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    await world.core.organisations.update_settings(
        org.id, replace(org.settings, manager=f"teams:{person['id']}")
    )
    (card, *_) = _consent_cards(await _said(world, person, "export"))
    await world.core.organisations.update_settings(org.id, replace(org.settings, manager=None))

    status, after, _ = await _allow(world, person, card)

    assert status == 200
    assert world.connector.uploaded() == []
    (refused,) = after
    assert teams_phrases.FILE_NOT_YOURS(Language.NL) in texts(refused)
    assert [a["contentType"] for a in refused["attachments"]] != [FILE_INFO_TYPE]


async def test_an_upload_the_session_refuses_is_told_in_one_line(world: TeamsWorld) -> None:
    person = teams_member("Noor Dekker")
    await world.installs(person, locale="nl-NL")
    (card,) = _consent_cards(await _said(world, person, "mijn gegevens"))
    info = world.connector.upload_info("my-data.json")
    world.connector.fail(500, path=f"/upload/{info['uniqueId']}")
    chat = world.connector.conversation_of(str(person["id"]))
    assert chat is not None
    before = len(world.connector.sent(chat))

    allowed = file_consent(
        card, upload_info=info, user=person, service_url=world.connector.service_url
    )
    assert await world.post(allowed) == 200

    assert world.connector.uploaded() == []
    (told,) = world.connector.sent(chat)[before:]
    assert texts(told) == teams_phrases.FILE_UPLOAD_FAILED(Language.NL)


async def test_a_consent_answer_for_a_file_this_app_never_offered_is_refused_at_the_door(
    world: TeamsWorld,
) -> None:
    person = teams_member("Noor Dekker")
    await world.installs(person, locale="nl-NL")
    (card,) = _consent_cards(await _said(world, person, "mijn gegevens"))
    forged = file_consent(card, user=person, service_url=world.connector.service_url)
    forged["value"]["context"] = {"advisor": "file", "kind": "everyone", "name": "all.json"}

    assert await world.post(forged) == 400


async def test_asking_for_files_in_a_channel_says_they_come_in_the_personal_chat(
    world: TeamsWorld,
) -> None:
    team = await install(world)
    _, said = await in_channel(world, team, "export")

    assert _consent_cards(said) == []
    assert texts(said[-1]) == teams_phrases.FILES_IN_PERSONAL_CHAT(Language.EN)


async def test_a_message_with_a_file_offers_it_by_consent_in_a_personal_chat_only(
    world: TeamsWorld,
) -> None:
    await install(world)
    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    now = LocalTime.of(world.clock.now(), "UTC")
    reply = (Paragraph("Your file"), File("results.csv", "Results", b"dimension,score\n"))
    chat = world.connector.conversation_of(str(MANAGER["id"]))
    assert chat is not None

    for number, recipient in enumerate((f"teams:{MANAGER['id']}", place("teams", TEAM_ID))):
        nudge = Nudge(number, org.id, recipient, NudgeKind.DIGEST, "w", now, now, None, "claimed")
        await world.bot.delivery.deliver(nudge, reply)

    (card,) = _consent_cards(world.connector.sent(chat))
    assert _card_of(card)["content"]["acceptContext"]["name"] == "results.csv"
    assert _consent_cards(world.connector.sent(TEAM_ID)) == []
    assert "Your file" in texts(world.connector.sent(TEAM_ID)[-1])
