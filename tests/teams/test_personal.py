"""A person's own chat with the advisor in Teams: language by locale, the figures form, and the
app removed (a 403 recorded, not retried)."""

from __future__ import annotations

from engine.kpi import Metric
from storage.teams import SqlaTeamsConversations
from tests.fakes.bot_connector import TENANT_ID, teams_member
from tests.teams.activities import card_submit, message, uninstalled
from tests.teams.conftest import TeamsWorld
from tests.teams.teams_side import card, inputs, press, texts

PERSON = teams_member("Noor Dekker")
ORG_KEY = f"teams:{TENANT_ID}"


async def _chat(world: TeamsWorld, locale: str = "en-US") -> str:
    return await world.installs(PERSON, locale=locale)


async def _say(world: TeamsWorld, conversation: str, text: str, locale: str = "en-US") -> None:
    said = message(
        text,
        user=PERSON,
        conversation_id=conversation,
        service_url=world.connector.service_url,
        locale=locale,
    )
    assert await world.post(said) == 200


async def test_the_advisor_speaks_the_language_of_the_teams_client(world: TeamsWorld) -> None:
    dutch = await _chat(world, locale="nl-NL")
    await _say(world, dutch, "help", locale="nl-NL")

    (welcome, helped) = world.connector.sent(dutch)
    assert "Hallo" in texts(welcome), "one welcome, though Teams says it was installed twice"
    assert "scan" in texts(helped).lower()


async def test_the_figures_form_saves_valid_figures_and_shows_errors_in_place(
    world: TeamsWorld,
) -> None:
    conversation = await _chat(world)
    await _say(world, conversation, "measure")
    form = world.connector.sent(conversation)[-1]

    wrong = press(form, "Save", **{"figure:posts": "-4"})
    await world.post(
        card_submit(
            wrong,
            reply_to_id=form["id"],
            user=PERSON,
            conversation_id=conversation,
            service_url=world.connector.service_url,
            locale="en-US",
        )
    )
    shown = world.connector.sent(conversation)[-1]
    assert shown["id"] == form["id"], "the form is shown again in place, with the error"
    assert "nothing has happened yet" in texts(shown)
    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    assert await world.core.activation.kpis.series(org.id) == []

    right = press(shown, "Save", **{"figure:posts": "4"})
    await world.post(
        card_submit(
            right,
            reply_to_id=form["id"],
            user=PERSON,
            conversation_id=conversation,
            service_url=world.connector.service_url,
            locale="en-US",
        )
    )
    assert "Saved for" in texts(world.connector.sent(conversation)[-1])
    (entry,) = await world.core.activation.kpis.series(org.id)
    assert dict(entry.values) == {Metric.POSTS: 4}


async def test_a_nudge_to_someone_who_blocked_the_app_is_recorded_as_not_deliverable(
    world: TeamsWorld,
) -> None:
    conversation = await _chat(world)
    org_id = await world.task_due(PERSON)
    before = len(world.connector.sent(conversation))
    world.connector.fail(403, conversation=conversation, times=10, code="ConversationBlockedByUser")

    await world.send_due_nudges()
    await world.send_due_nudges()

    outcomes = [
        nudge.outcome or "" for nudge in await world.core.activation.outbox.not_sent(org_id)
    ]
    assert "person_gone: http_403 ConversationBlockedByUser" in outcomes, outcomes
    assert len(world.connector.sent(conversation)) == before
    attempts = [r for r in world.connector.requests if r.conversation_id == conversation]
    assert [r.status for r in attempts if r.status == 403] == [403], "refused once, no more"


async def test_uninstalling_forgets_the_conversation(world: TeamsWorld) -> None:
    await _chat(world)
    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    conversations = SqlaTeamsConversations(world.core.database)
    who = f"teams:{PERSON['id']}"
    assert await conversations.reference(org.id, who) is not None

    await world.post(uninstalled(user=PERSON, service_url=world.connector.service_url))

    assert await conversations.reference(org.id, who) is None


async def _press(
    world: TeamsWorld, conversation: str, form: dict[str, object], **typed: str
) -> None:
    value = press(form, "Save", **typed)
    submit = card_submit(
        value,
        reply_to_id=str(form["id"]),
        user=PERSON,
        conversation_id=conversation,
        service_url=world.connector.service_url,
        locale="en-US",
    )
    assert await world.post(submit) == 200


async def test_a_value_that_is_no_count_is_shown_on_the_form_and_nothing_is_saved(
    world: TeamsWorld,
) -> None:
    conversation = await _chat(world)
    await _say(world, conversation, "measure")
    form = world.connector.sent(conversation)[-1]

    await _press(world, conversation, form, **{"figure:reach": "10²"})

    shown = world.connector.sent(conversation)[-1]
    assert "Reach (people who saw the posts): I can't read '10²' as a number." in texts(shown)
    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    assert await world.core.activation.kpis.series(org.id) == []


async def test_engagements_above_reach_are_saved_once_the_box_is_ticked(world: TeamsWorld) -> None:
    conversation = await _chat(world)
    await _say(world, conversation, "measure")
    form = world.connector.sent(conversation)[-1]
    doubtful = {"figure:reach": "1,000", "figure:engagements": "5,000"}

    await _press(world, conversation, form, **doubtful)
    shown = world.connector.sent(conversation)[-1]
    assert "Engagements (5,000) are higher than reach (1,000)" in texts(shown)
    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    assert await world.core.activation.kpis.series(org.id) == []

    await _press(world, conversation, shown, checked="true")
    assert "Saved for week" in texts(world.connector.sent(conversation)[-1])
    (entry,) = await world.core.activation.kpis.series(org.id)
    assert entry.values[Metric.ENGAGEMENTS] == 5000


async def test_a_week_named_opens_its_form_with_its_figures_to_be_replaced(
    world: TeamsWorld,
) -> None:
    conversation = await _chat(world)
    await _say(world, conversation, "measure")
    form = world.connector.sent(conversation)[-1]
    week = next(i for i in inputs(card(form)["body"]) if i["id"] == "week")
    earlier = week["choices"][2]["value"]
    await _press(world, conversation, form, week=earlier, **{"figure:posts": "7"})

    await _say(world, conversation, f"meten {earlier.lower().replace('-', ' ')}")
    again = world.connector.sent(conversation)[-1]
    fields = {i["id"]: i for i in inputs(card(again)["body"])}
    assert fields["week"]["value"] == earlier
    assert fields["figure:posts"]["value"] == "7"
    await _press(world, conversation, again, **{"figure:posts": "9"})

    org = await world.core.organisations.find(ORG_KEY)
    assert org is not None
    (entry,) = await world.core.activation.kpis.series(org.id)
    assert dict(entry.values) == {Metric.POSTS: 9}


async def test_a_week_named_that_is_not_over_is_said_instead_of_a_form(world: TeamsWorld) -> None:
    conversation = await _chat(world)

    await _say(world, conversation, "measure 2999-W01")

    said = world.connector.sent(conversation)[-1]
    assert "Week 2999-W01 is not over yet" in texts(said)
