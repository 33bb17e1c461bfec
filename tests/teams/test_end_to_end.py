"""A team's whole scan in Teams, over HTTP, against a fake Bot Connector, on both databases:
install, launch for a team of six, everyone answers, close, the result and its chart in the
channel, and the manager's weekly digest sent proactively."""

from __future__ import annotations

from datetime import datetime

from tests.teams.activities import message
from tests.teams.conftest import TeamsWorld
from tests.teams.team_scan import MANAGER, PEOPLE, TEAM_ID, answer_all, in_channel, install, launch
from tests.teams.teams_side import card, texts


async def test_a_team_of_six_scans_in_teams_and_the_manager_gets_the_digest(
    world: TeamsWorld,
) -> None:
    team = await install(world)
    welcome = world.connector.sent(TEAM_ID)
    assert "launch" in texts(welcome[0])

    launched = await launch(world, team)
    summary = texts(launched[-1])
    assert "6" in summary
    assert "sent: 6" in summary or "6 sent" in summary, summary

    finals = [await answer_all(world, person, index) for index, person in enumerate(PEOPLE)]
    assert all(finals), "every scan ends in a card that thanks or shows the result"
    # Each answer moved the same card on in place: one invitation card per person, updated.
    for person in PEOPLE:
        conversation = world.connector.conversation_of(str(person["id"]))
        assert conversation is not None
        invitations = [a for a in world.connector.sent(conversation) if "invit" in texts(a).lower()]
        assert len(invitations) <= 1
    assert len(world.connector.updates) >= 6 * 10

    _, closed = await in_channel(world, team, "close")
    assert "closed" in texts(closed[-1]).lower()

    channel = world.connector.sent(TEAM_ID)
    # The result speaks the organisation's language (Dutch by default), as in Slack.
    result = [a for a in channel if "Fase" in texts(a)]
    assert result, [texts(a) for a in channel]
    images = [
        a
        for a in channel
        for attached in a.get("attachments", ())
        if attached["contentType"] == "image/png"
        and attached["contentUrl"].startswith("data:image/png;base64,")
    ]
    assert len(images) == 1
    manager_chat = world.connector.conversation_of(str(MANAGER["id"]))
    assert manager_chat is not None
    assert any("Fase" in texts(a) for a in world.connector.sent(manager_chat))

    # The manager adopts the plan in their personal chat; next Monday the digest comes by itself.
    before = len(world.connector.sent(manager_chat))
    adopt = message(
        "adopt",
        user=MANAGER,
        conversation_id=manager_chat,
        service_url=world.connector.service_url,
        locale="en-US",
    )
    assert await world.post(adopt) == 200
    assert len(world.connector.sent(manager_chat)) == before + 1
    world.clock.set(datetime.fromisoformat("2026-11-30T09:05:00+01:00"))
    await world.send_due_nudges()

    digests = [a for a in world.connector.sent(manager_chat)[before + 1 :] if "week" in texts(a)]
    assert digests, [texts(a) for a in world.connector.sent(manager_chat)[before + 1 :]]
    assert card(digests[0])["version"] == "1.5"
    await world.send_due_nudges()
    again = [a for a in world.connector.sent(manager_chat)[before + 1 :] if "week" in texts(a)]
    assert len(again) == len(digests), "a nudge is sent once"

    # On the first working day of December the monthly report comes, as pictures Teams shows.
    reported = len(world.connector.sent(manager_chat))
    world.clock.set(datetime.fromisoformat("2026-12-01T09:05:00+01:00"))
    await world.send_due_nudges()
    report = [
        attached
        for activity in world.connector.sent(manager_chat)[reported:]
        for attached in activity.get("attachments", ())
        if attached["contentType"] == "image/png"
    ]
    assert len(report) > 1, "the report is tall: it comes in slices"
    assert all(part["name"].startswith("report-2026-12-") for part in report)
