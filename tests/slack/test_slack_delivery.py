"""Nudges as Slack direct messages: marked with their id, refusals sorted, files uploaded."""

from __future__ import annotations

from datetime import datetime

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.delivery import SlackDelivery
from dialogs.delivery import Undeliverable
from dialogs.messages import File, Paragraph
from dialogs.nudging import DeliveryFailed
from dialogs.records import Nudge, Organisation, OrgSettings
from engine.nudges import NudgeKind
from engine.recurrence import LocalTime
from tests.fakes.slack_api import FakeSlackWebApi, Fault

WHEN = LocalTime(datetime(2026, 12, 1, 9, 0), "Europe/Amsterdam")  # noqa: DTZ001 - wall clock


def _delivery(api: FakeSlackWebApi) -> SlackDelivery:
    org = Organisation(1, "slack:T0FAKE", "Fake", OrgSettings())

    async def client_for(_: int) -> tuple[Organisation, AsyncWebClient]:
        return org, AsyncWebClient(token="xoxb-test", base_url=api.api_url)

    return SlackDelivery(client_for)


def _nudge(number: int, kind: NudgeKind = NudgeKind.REPORT, recipient: str = "slack:U1") -> Nudge:
    return Nudge(number, 1, recipient, kind, "2026-12", WHEN, WHEN, None, "sending")


async def test_a_report_nudge_posts_its_message_and_uploads_the_file_beside_it(
    fake_slack_web_api: FakeSlackWebApi,
) -> None:
    delivery = _delivery(fake_slack_web_api)
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 64

    await delivery.deliver(_nudge(7), (Paragraph("Ready"), File("report.png", "Report", png)))

    (posted,) = fake_slack_web_api.called("chat.postMessage")
    assert posted["metadata"]["event_payload"] == {"nudge": 7}
    (completed,) = fake_slack_web_api.called("files.completeUploadExternal")
    assert completed["channel_id"] == "DU1"
    assert png in [upload.content for upload in fake_slack_web_api.uploads.values()]
    assert await delivery.delivered(_nudge(7))
    assert not await delivery.delivered(_nudge(8))


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        ("user_not_found", Undeliverable.PERSON_GONE),
        ("account_inactive", Undeliverable.APP_REMOVED),
        ("missing_scope", Undeliverable.MISSING_PERMISSION),
    ],
)
async def test_a_permanent_refusal_is_a_delivery_failure_with_its_kind(
    fake_slack_web_api: FakeSlackWebApi, error: str, failure: Undeliverable
) -> None:
    fake_slack_web_api.fail_next("chat.postMessage", error, status=200)

    with pytest.raises(DeliveryFailed) as refused:
        await _delivery(fake_slack_web_api).deliver(_nudge(1), (Paragraph("Hi"),))

    assert refused.value.failure is failure


async def test_slacks_own_trouble_is_a_passing_failure_with_slacks_code(
    fake_slack_web_api: FakeSlackWebApi,
) -> None:
    fake_slack_web_api.fail_next("chat.postMessage", "internal_error", status=200)

    with pytest.raises(DeliveryFailed) as refused:
        await _delivery(fake_slack_web_api).deliver(_nudge(1), (Paragraph("Hi"),))

    assert refused.value.failure.transient
    assert refused.value.reason == "unavailable: internal_error"


async def test_a_lookup_a_proxy_answers_with_a_plain_text_page_is_a_passing_failure(
    fake_slack_web_api: FakeSlackWebApi,
) -> None:
    fake_slack_web_api.break_next("conversations.history", Fault.PLAIN_503)

    with pytest.raises(DeliveryFailed) as refused:
        await _delivery(fake_slack_web_api).delivered(_nudge(1))

    assert refused.value.reason == "unavailable: http_503"


async def test_a_refusal_slack_gives_no_meaning_for_is_left_to_try_again(
    fake_slack_web_api: FakeSlackWebApi,
) -> None:
    fake_slack_web_api.fail_next("chat.postMessage", "invalid_blocks", status=200)

    with pytest.raises(SlackApiError, match="invalid_blocks"):
        await _delivery(fake_slack_web_api).deliver(_nudge(1), (Paragraph("Hi"),))


async def test_a_report_for_a_channel_goes_to_the_channel_and_is_looked_up_there(
    fake_slack_web_api: FakeSlackWebApi,
) -> None:
    delivery = _delivery(fake_slack_web_api)
    nudge = _nudge(9, recipient="slack:#C0NEWS")

    await delivery.deliver(nudge, (Paragraph("Ready"), File("report.png", "Report", b"png")))

    (posted,) = fake_slack_web_api.called("chat.postMessage")
    assert posted["channel"] == "C0NEWS"
    (completed,) = fake_slack_web_api.called("files.completeUploadExternal")
    assert completed["channel_id"] == "C0NEWS"
    assert await delivery.delivered(nudge)
    assert not await delivery.delivered(_nudge(9))  # the manager's copy is another message
    assert [c["users"] for c in fake_slack_web_api.called("conversations.open")] == ["U1"]


async def test_a_channel_that_will_not_take_the_report_is_no_access_not_a_person_gone(
    fake_slack_web_api: FakeSlackWebApi,
) -> None:
    fake_slack_web_api.fail_next("chat.postMessage", "not_in_channel", status=200)

    with pytest.raises(DeliveryFailed) as refused:
        await _delivery(fake_slack_web_api).deliver(
            _nudge(1, recipient="slack:#C0NEWS"), (Paragraph("Hi"),)
        )

    assert refused.value.failure is Undeliverable.NO_ACCESS


async def test_prepared_the_workspace_is_looked_up_once_for_all_its_nudges(
    fake_slack_web_api: FakeSlackWebApi,
) -> None:
    org = Organisation(1, "slack:T0FAKE", "Fake", OrgSettings())
    looked_up = 0

    async def client_for(_: int) -> tuple[Organisation, AsyncWebClient]:
        nonlocal looked_up
        looked_up += 1
        return org, AsyncWebClient(token="xoxb-test", base_url=fake_slack_web_api.api_url)

    delivery = SlackDelivery(client_for)
    nudges = [_nudge(n, NudgeKind.TASK_DUE, f"slack:U{n}") for n in range(1, 4)]

    await delivery.prepare(nudges)
    assert looked_up == 1, "looked up while the dispatcher reads, before the first nudge"
    for nudge in nudges:
        await delivery.deliver(nudge, (Paragraph("Hi"),))

    assert looked_up == 1
    assert len(fake_slack_web_api.called("chat.postMessage")) == 3


async def test_a_workspace_that_cannot_be_looked_up_fails_its_nudges_not_the_preparing() -> None:
    async def client_for(org_id: int) -> tuple[Organisation, AsyncWebClient]:
        raise LookupError(f"organisation {org_id} has no Slack installation")

    delivery = SlackDelivery(client_for)

    await delivery.prepare([_nudge(1)])  # raises nothing

    with pytest.raises(DeliveryFailed) as refused:
        await delivery.deliver(_nudge(1), (Paragraph("Hi"),))
    assert refused.value.failure is Undeliverable.APP_REMOVED
