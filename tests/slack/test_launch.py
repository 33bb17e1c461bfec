"""A project manager launches a scan for a channel, follows it, closes it and gets the result."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import SlackWorld
from tests.slack.launch_form import launch_values
from tests.slack.scan_messages import buttons, checkbox_state

PM = "UPM"
TEAM = [f"U{n}" for n in range(6)]
CHANNEL, REPORT = "C0TEAM", "C0REPORT"


def _launch_values(
    channel: str | None, threshold: str, deadline: str | None, usergroup: str | None = None
) -> dict[str, Any]:
    return launch_values(channel, threshold, deadline, usergroup, report=REPORT)


async def _launch(world: SlackWorld, deadline: str | None = "2026-11-27") -> None:
    api = world.api
    api.add_user(PM, locale="en-US", tz="Europe/Amsterdam")
    for person in TEAM:
        api.add_user(person, locale="nl-NL" if person == "U0" else "en-US", tz="America/New_York")
    api.add_user("UBOTX", is_bot=True)
    api.add_user("UGONE", deleted=True)
    api.set_members(CHANNEL, [*TEAM, "UBOTX", "UGONE"])
    await world.slack.slash(PM, "launch", response_url=api.response_url("launch"))
    opened = await world.settled("views.open", 1)
    view = opened[0]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "launch"
    response = await world.slack.submit_view(
        PM, "launch", _launch_values(CHANNEL, "5", deadline), metadata="en"
    )
    assert response.status == 200
    await world.settled("chat.postMessage", len(TEAM) + 1)
    await world.settled("chat.update", 1)  # the manager's message, with the final counts


async def _answer_invitation(world: SlackWorld, user: str, pick: int) -> None:
    channel = f"D{user}"
    while True:
        message = world.api.latest(channel)
        choices = buttons(message)
        before = len(world.api.called("chat.update"))
        if choices:
            await world.slack.click(user, message, choices[min(pick, len(choices) - 2)])
        else:
            state, submit = checkbox_state(message, picks=1)
            if not submit:
                return
            await world.slack.click(user, message, submit, state=state)
        await world.settled("chat.update", before + 1)


async def test_launching_invites_the_channels_people_but_no_bots_or_leavers(
    world: SlackWorld,
) -> None:
    await _launch(world)
    invited = {call["channel"] for call in world.api.called("chat.postMessage")} - {PM}
    assert invited == set(TEAM)
    first = json.dumps(world.api.latest("DU0"))
    assert "uitgenodigd" in first, "invitations speak the invitee's language"
    summary = json.dumps(world.api.latest(f"D{PM}"))
    assert "launched for 6 people" in summary
    assert "Invitations sent: 6" in summary


@pytest.mark.parametrize(
    ("team", "language", "launched", "status"),
    [
        (["U0"], "en", "launched for 1 person", "0 of the 1 person invited have completed"),
        (["U0", "U1"], "en", "launched for 2 people", "0 of the 2 people invited have completed"),
        (["U0"], "nl", "gestart voor 1 persoon", "0 van de 1 uitgenodigde hebben de scan"),
        (["U0", "U1"], "nl", "gestart voor 2 mensen", "0 van de 2 uitgenodigden hebben de scan"),
    ],
)
async def test_the_launch_and_the_status_count_one_person_and_more_in_both_languages(
    world: SlackWorld, team: list[str], language: str, launched: str, status: str
) -> None:
    api = world.api
    api.add_user(PM, locale="nl-NL" if language == "nl" else "en-US")
    for person in team:
        api.add_user(person, locale="en-US")
    api.set_members(CHANNEL, team)

    await world.slack.submit_view(
        PM, "launch", _launch_values(CHANNEL, "3", None), metadata=language
    )
    await world.settled("chat.update", 1)
    summary = json.dumps(api.latest(f"D{PM}"), ensure_ascii=False)
    await world.slack.slash(PM, "status", response_url=api.response_url("status"))
    await world.settled("respond", 1)

    assert launched in summary
    assert status in json.dumps(api.latest(f"D{PM}"), ensure_ascii=False)


async def test_a_threshold_below_three_is_refused_in_the_modal(world: SlackWorld) -> None:
    world.api.add_user(PM, locale="en-US")
    response = await world.slack.submit_view(
        PM, "launch", _launch_values(CHANNEL, "2", None), metadata="en"
    )
    assert response.status == 200
    answer = await response.json()
    assert answer["response_action"] == "errors"
    assert "at least 3" in answer["errors"]["threshold"]
    assert world.api.called("chat.postMessage") == []


async def test_the_manager_sees_who_finished_and_never_what_they_answered(
    world: SlackWorld,
) -> None:
    await _launch(world)
    await _answer_invitation(world, "U1", pick=2)
    await world.slack.slash(PM, "status", response_url=world.api.response_url("status"))
    await world.settled("respond", 1)
    status = json.dumps(world.api.latest(f"D{PM}"))
    assert "1 of the 6 people invited has completed" in status
    assert "<@U2>" in status
    assert "<@U1>" not in status
    assert "How you see the organisation" not in status


async def test_only_the_manager_may_close_and_then_the_result_reaches_the_report_channel(
    world: SlackWorld,
) -> None:
    await _launch(world)
    for number, person in enumerate(TEAM):
        await _answer_invitation(world, person, pick=number % 3 + 1)
    await world.slack.slash("U1", "close", response_url=world.api.response_url("u1"))
    await world.settled("respond", 1)
    assert "Only the project manager" in json.dumps(world.api.latest("DU1"))

    await world.slack.slash(PM, "close", response_url=world.api.response_url("pm"))
    uploads = await world.settled("files.completeUploadExternal", 2)
    report = json.dumps(world.api.latest(REPORT))
    assert "Organisation's phase" in report or "Fase van de organisatie" in report
    assert {call["channel_id"] for call in uploads} == {f"D{PM}", REPORT}
    assert any(upload.content.startswith(b"\x89PNG") for upload in world.api.uploads.values())


async def test_the_deadline_closes_the_scan_and_the_result_is_published_once(
    world: SlackWorld,
) -> None:
    await _launch(world)
    for number, person in enumerate(TEAM):
        await _answer_invitation(world, person, pick=number % 3 + 1)
    world.clock.advance(days=5)
    await world.campaigns.tick()
    await world.campaigns.tick()
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    assert await world.core.scans.current(org.id) is None
    assert len([m for m in world.api.messages[REPORT].values()]) == 1


async def test_a_result_a_stopped_process_left_unpublished_goes_out_on_the_next_tick(
    world: SlackWorld,
) -> None:
    await _launch(world, deadline=None)
    for number, person in enumerate(TEAM):
        await _answer_invitation(world, person, pick=number % 3 + 1)
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    scan = await world.core.scans.current(org.id)
    assert scan is not None
    # What "close" does before it publishes; then the process stops.
    await world.core.scans.close(org.id, scan.id, now=world.clock.now())

    await world.campaigns.tick()
    await world.campaigns.tick()

    assert len(world.api.messages[REPORT]) == 1


async def test_those_who_have_not_answered_are_reminded_once_before_the_deadline(
    world: SlackWorld,
) -> None:
    await _launch(world)
    await _answer_invitation(world, "U1", pick=1)
    posted = len(world.api.called("chat.postMessage"))
    world.clock.advance(days=3, hours=6)
    await world.send_due_nudges()
    world.clock.advance(hours=1)
    await world.send_due_nudges()
    reminders = world.api.called("chat.postMessage")[posted:]
    assert sorted(call["channel"] for call in reminders) == sorted(set(TEAM) - {"U1"})
    assert "closes on 2026-11-27 11:00" in reminders[-1]["text"], "17:00 in Amsterdam, in New York"
    assert any("Continue the scan" in json.dumps(call["blocks"]) for call in reminders)


async def test_a_reminder_planned_before_someone_finishes_is_not_sent_to_them(
    world: SlackWorld,
) -> None:
    await _launch(world)
    world.clock.advance(days=3, hours=5, minutes=30)  # half an hour before the reminders
    await world.send_due_nudges()
    assert await world.core.activation.outbox.pending(await _org_id(world)), "planned"
    await _answer_invitation(world, "U1", pick=1)
    posted = len(world.api.called("chat.postMessage"))

    world.clock.advance(hours=1)
    await world.send_due_nudges()

    reminded = {call["channel"] for call in world.api.called("chat.postMessage")[posted:]}
    assert reminded == set(TEAM) - {"U1"}


async def _org_id(world: SlackWorld) -> int:
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    return org.id


async def test_a_user_group_and_a_channel_together_invite_each_person_once(
    world: SlackWorld,
) -> None:
    api = world.api
    api.add_user(PM, locale="en-US")
    for person in [*TEAM, "U9"]:
        api.add_user(person, locale="en-US")
    api.set_members(CHANNEL, TEAM[:4])
    api.set_usergroup("S0SOCIAL", [*TEAM[2:], "U9"], handle="social-team")
    await world.slack.slash(PM, "launch", response_url=api.response_url("launch"))
    (opened,) = await world.settled("views.open", 1)
    offered = json.dumps(opened["view"])
    assert "@social-team" in offered, "the workspace's user groups are offered in the modal"

    values = _launch_values(CHANNEL, "5", None, usergroup="S0SOCIAL")
    await world.slack.submit_view(PM, "launch", values, metadata="en")
    await world.settled("chat.update", 1)
    invited = [call["channel"] for call in api.called("chat.postMessage")]
    assert sorted(c for c in invited if c != PM) == sorted([*TEAM, "U9"])
    assert "launched for 7 people" in json.dumps(api.latest(f"D{PM}"))


async def test_a_launch_without_a_channel_or_user_group_is_refused_in_the_modal(
    world: SlackWorld,
) -> None:
    response = await world.slack.submit_view(
        PM, "launch", _launch_values(None, "5", None), metadata="nl"
    )
    answer = await response.json()
    assert answer["errors"] == {"audience": "Kies een kanaal of een gebruikersgroep."}
    assert world.api.called("chat.postMessage") == []


async def test_a_channel_the_advisor_cannot_read_launches_nothing_and_says_how_to_fix_it(
    world: SlackWorld,
) -> None:
    world.api.add_user(PM, locale="en-US")
    world.api.fail_next("conversations.members", "channel_not_found", status=200)
    await world.slack.submit_view(
        PM, "launch", _launch_values("G0PRIVATE", "5", None), metadata="en"
    )
    (told,) = await world.settled("chat.postMessage", 1)
    text = json.dumps(told)
    assert "<#G0PRIVATE>" in text
    assert "/invite @SSRM Advisor" in text
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is None or await world.core.scans.current(org.id) is None


async def test_an_invitation_that_cannot_be_delivered_is_recorded_and_explained_in_status(
    world: SlackWorld,
) -> None:
    world.api.fail_next("chat.postMessage", "user_not_found", status=200, channel="U0")
    await _launch(world)
    assert "Could not be delivered: 1" in json.dumps(world.api.latest(f"D{PM}"))
    await world.slack.slash(PM, "status", response_url=world.api.response_url("status"))
    await world.settled("respond", 1)
    status = json.dumps(world.api.latest(f"D{PM}"))
    assert "Invitation not delivered" in status
    assert "deactivated or removed" in status
    assert "<@U0>" in status


async def test_the_manager_is_told_when_the_report_channel_will_not_take_the_result(
    world: SlackWorld,
) -> None:
    await _launch(world)
    for number, person in enumerate(TEAM):
        await _answer_invitation(world, person, pick=number % 3 + 1)
    world.api.fail_next("chat.postMessage", "not_in_channel", status=200, channel=REPORT)
    await world.slack.slash(PM, "close", response_url=world.api.response_url("pm"))
    await world.idle()
    assert REPORT not in world.api.messages
    to_manager = [json.dumps(m) for m in world.api.messages[f"D{PM}"].values()]
    told = [m for m in to_manager if "couldn't post the result of scan 1" in m]
    assert len(told) == 1
    assert "<#C0REPORT>" in told[0]
    assert "Invite me to the channel" in told[0]
    assert len(world.api.called("files.completeUploadExternal")) == 1, "the manager's chart only"


async def test_inviting_many_people_keeps_the_managers_message_up_to_date(
    world: SlackWorld,
) -> None:
    api = world.api
    crowd = [f"UC{n:03d}" for n in range(60)]
    api.add_user(PM, locale="en-US")
    for person in crowd:
        api.add_user(person, locale="en-US")
    api.set_members(CHANNEL, crowd)
    await world.slack.submit_view(PM, "launch", _launch_values(CHANNEL, "5", None), metadata="en")
    updates = await world.settled("chat.update", 3)
    assert [u["channel"] for u in updates] == [f"D{PM}"] * 3
    counts = ["Invitations sent: 25.", "Invitations sent: 50.", "Invitations sent: 60."]
    for update, count in zip(updates, counts, strict=True):
        assert count in json.dumps(update)


async def test_a_reminder_that_cannot_be_delivered_is_recorded_and_not_tried_again(
    world: SlackWorld,
) -> None:
    await _launch(world)
    world.api.fail_next("chat.postMessage", "user_not_found", status=200, channel="U2")
    world.clock.advance(days=3, hours=6)
    await world.send_due_nudges()
    world.clock.advance(hours=1)
    await world.send_due_nudges()
    to_u2 = [call for call in world.api.called("chat.postMessage") if call["channel"] == "U2"]
    assert len(to_u2) == 2, "the invitation, and the one reminder that failed"
    await world.slack.slash(PM, "status", response_url=world.api.response_url("status"))
    await world.settled("respond", 1)
    assert "deactivated or removed" in json.dumps(world.api.latest(f"D{PM}"))


async def test_a_revoked_token_closes_the_scan_at_its_deadline_without_retrying_forever(
    world: SlackWorld,
) -> None:
    await _launch(world)
    world.clock.advance(days=5)
    world.api.set_token("xoxb-someone-elses")  # from now on Slack answers invalid_auth
    await world.campaigns.tick()
    calls = len(world.api.calls)
    await world.campaigns.tick()
    assert len(world.api.calls) == calls, "nothing is tried again"
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    assert await world.core.scans.current(org.id) is None


async def test_when_the_advisor_cannot_write_to_someone_the_slash_command_says_why(
    world: SlackWorld,
) -> None:
    world.api.fail_next("conversations.open", "missing_scope", status=200)
    await world.slack.slash("U1", "help", response_url=world.api.response_url("help"))
    (answered,) = await world.settled("respond", 1)
    assert answered["response_type"] == "ephemeral"
    assert "reinstall the app" in answered["text"]


def _settings_values(
    language: str | None, threshold: str, report: str | None = None
) -> dict[str, Any]:
    option = {"value": language} if language else None
    return {
        "language": {"language": {"type": "static_select", "selected_option": option}},
        "threshold": {"threshold": {"type": "number_input", "value": threshold}},
        "report": {"report": {"type": "conversations_select", "selected_conversation": report}},
    }


async def test_the_manager_changes_the_language_threshold_and_report_channel(
    world: SlackWorld,
) -> None:
    await _launch(world)
    await world.slack.slash(PM, "settings", response_url=world.api.response_url("settings"))
    (opened, _) = await world.settled("views.open", 2)
    assert opened["view"]["callback_id"] == "launch"
    settings_view = world.api.called("views.open")[1]["view"]
    assert settings_view["callback_id"] == "settings"
    (report_field,) = (b for b in settings_view["blocks"] if b["block_id"] == "report")
    assert report_field["element"]["initial_conversation"] == REPORT, "remembered from the launch"

    await world.slack.submit_view(
        PM, "settings", _settings_values("en", "7", "C0NEWS"), metadata="en"
    )
    saved = await world.settled("chat.postMessage", len(TEAM) + 2)
    assert "Saved: language English, anonymity threshold 7." in json.dumps(saved[-1])
    assert "<#C0NEWS>" in json.dumps(saved[-1])
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    assert (org.settings.language.value, org.settings.anonymity_threshold) == ("en", 7)
    assert org.settings.report_channel == "slack:#C0NEWS"

    await world.slack.submit_view(PM, "settings", _settings_values("en", "7"), metadata="en")
    await world.settled("chat.postMessage", len(TEAM) + 3)
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    assert org.settings.report_channel is None, "cleared in the form, so no report channel"


async def test_only_the_manager_may_change_settings_and_bad_values_are_refused(
    world: SlackWorld,
) -> None:
    await _launch(world)
    await world.slack.slash("U1", "settings", response_url=world.api.response_url("u1"))
    await world.settled("respond", 1)
    assert "Only the project manager" in json.dumps(world.api.latest("DU1"))
    assert len(world.api.called("views.open")) == 1, "only the launch modal was ever opened"

    response = await world.slack.submit_view(
        PM, "settings", _settings_values("fr", "2"), metadata="en"
    )
    answer = await response.json()
    assert set(answer["errors"]) == {"language", "threshold"}

    sneaky = await world.slack.submit_view("U1", "settings", _settings_values("nl", "3"))
    assert sneaky.status == 200
    await world.settled("chat.postMessage", len(TEAM) + 3)
    org = await world.core.organisations.find(f"slack:{TEAM_ID}")
    assert org is not None
    assert org.settings.anonymity_threshold == 5, "a non-manager's submission changes nothing"


async def _home(world: SlackWorld, user: str) -> str:
    before = len(world.api.called("views.publish"))
    await world.slack.home_opened(user)
    published = await world.settled("views.publish", before + 1)
    return json.dumps(published[-1]["view"])


async def test_the_home_tab_shows_the_manager_participation_and_others_only_their_own_scan(
    world: SlackWorld,
) -> None:
    await _launch(world)
    await _answer_invitation(world, "U1", pick=1)

    manager = await _home(world, PM)
    assert "1 of the 6 people invited has completed" in manager
    assert "<@U2>" in manager
    assert "which is not available yet" in manager, "no plan before there is a result"

    employee = await _home(world, "U2")
    assert "Scan 1 is running and waiting for your answers" in employee
    assert "people invited" not in employee
    assert "<@U3>" not in employee


async def test_at_close_each_respondent_gets_their_own_view_beside_the_result(
    world: SlackWorld,
) -> None:
    await _launch(world)
    for number, person in enumerate(TEAM[:5]):
        await _answer_invitation(world, person, pick=number % 3 + 1)
    await world.slack.slash(PM, "close", response_url=world.api.response_url("pm"))
    await world.idle()

    async def shared_with(user: str) -> list[str]:
        return [
            json.dumps(message)
            for message in world.api.messages[f"D{user}"].values()
            if "beside everyone's result" in json.dumps(message)
            or "naast het resultaat van iedereen" in json.dumps(message)
        ]

    for person in TEAM[:5]:
        (shared,) = await shared_with(person)
        own = "Jouw beeld van de organisatie" if person == "U0" else "How you see the organisation"
        assert own in shared, "invitations and results speak the person's own language"
    assert await shared_with(TEAM[5]) == [], "someone who did not finish gets no result"
    manager = await _home(world, PM)
    assert "Plan: from" in manager or "Plan: staying in" in manager
