"""The fake Slack Web API answers a real `AsyncWebClient` the way Slack does."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import BOT_ID, BOT_USER_ID, TEAM_ID, FakeSlackWebApi

TOKEN = "xoxb-fake-token"
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "Hallo"}}]


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlackWebApi]:
    async with FakeSlackWebApi() as fake:
        yield fake


@pytest.fixture
def client(slack: FakeSlackWebApi) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=slack.api_url)


async def test_auth_test_names_the_team_and_the_bot(
    slack: FakeSlackWebApi, client: AsyncWebClient
) -> None:
    answer = await client.auth_test()

    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == (
        TEAM_ID,
        BOT_USER_ID,
        BOT_ID,
    )
    assert slack.calls[0].method == "auth.test"
    assert slack.calls[0].token == TOKEN


async def test_a_posted_message_is_recorded_with_its_blocks_and_gets_a_unique_ts(
    slack: FakeSlackWebApi, client: AsyncWebClient
) -> None:
    first = await client.chat_postMessage(channel="C1", text="Hallo", blocks=BLOCKS)
    second = await client.chat_postMessage(channel="C1", text="Nog eens")

    assert first["channel"] == "C1"
    assert first["message"]["blocks"] == BLOCKS
    assert first["ts"] != second["ts"]
    assert slack.called("chat.postMessage")[0] == {
        "channel": "C1",
        "text": "Hallo",
        "blocks": BLOCKS,
    }


async def test_a_message_to_a_user_lands_in_their_direct_message(client: AsyncWebClient) -> None:
    opened = await client.conversations_open(users="U123")
    posted = await client.chat_postMessage(channel="U123", text="Hallo")

    assert opened["channel"]["id"] == posted["channel"] == "DU123"


async def test_updates_and_ephemeral_messages_answer_like_slack(
    slack: FakeSlackWebApi, client: AsyncWebClient
) -> None:
    posted = await client.chat_postMessage(channel="C1", text="Vraag 1")
    updated = await client.chat_update(channel="C1", ts=posted["ts"], text="Vraag 2", blocks=BLOCKS)
    ephemeral = await client.chat_postEphemeral(channel="C1", user="U1", text="Alleen voor jou")

    assert (updated["ts"], updated["text"]) == (posted["ts"], "Vraag 2")
    assert ephemeral["message_ts"]
    assert slack.called("chat.update")[0]["blocks"] == BLOCKS


async def test_channel_members_come_in_pages_with_a_cursor(
    slack: FakeSlackWebApi, client: AsyncWebClient
) -> None:
    slack.set_members("C1", [f"U{n}" for n in range(5)])

    pages = [
        page["members"] async for page in await client.conversations_members(channel="C1", limit=2)
    ]

    assert pages == [["U0", "U1"], ["U2", "U3"], ["U4"]]
    assert [call.get("cursor") for call in slack.called("conversations.members")] == [
        None,
        "next:2",
        "next:4",
    ]


async def test_an_unknown_channel_is_an_error(client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client.conversations_members(channel="C404")

    assert raised.value.response["error"] == "channel_not_found"


async def test_users_and_usergroups_are_configurable(
    slack: FakeSlackWebApi, client: AsyncWebClient
) -> None:
    slack.add_user("U1", name="Anna", tz="Europe/Amsterdam", locale="nl-NL")
    slack.add_user("U2", is_bot=True)
    slack.add_user("U3", deleted=True, tz="America/New_York", locale="en-US")
    slack.set_usergroup("S1", ["U1", "U3"])

    anna = (await client.users_info(user="U1"))["user"]
    bot = (await client.users_info(user="U2"))["user"]
    gone = (await client.users_info(user="U3"))["user"]
    group = await client.usergroups_users_list(usergroup="S1")

    assert (anna["real_name"], anna["tz"], anna["locale"], anna["is_bot"]) == (
        "Anna",
        "Europe/Amsterdam",
        "nl-NL",
        False,
    )
    assert bot["is_bot"] is True
    assert (gone["deleted"], gone["tz"], gone["locale"]) == (True, "America/New_York", "en-US")
    assert group["users"] == ["U1", "U3"]


async def test_an_unknown_user_is_user_not_found(client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client.users_info(user="U404")

    assert raised.value.response["error"] == "user_not_found"


async def test_views_are_published_opened_and_updated(
    slack: FakeSlackWebApi, client: AsyncWebClient
) -> None:
    home = {"type": "home", "blocks": BLOCKS}
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Scan"}, "blocks": BLOCKS}

    published = await client.views_publish(user_id="U1", view=home)
    opened = await client.views_open(trigger_id="1.2.3", view=modal)
    updated = await client.views_update(view_id=opened["view"]["id"], view=modal)

    assert published["view"]["type"] == "home"
    assert updated["view"]["id"] == opened["view"]["id"]
    assert slack.called("views.publish")[0] == {"user_id": "U1", "view": home}


async def test_a_file_upload_goes_through_the_external_upload_flow(
    slack: FakeSlackWebApi, client: AsyncWebClient
) -> None:
    png = b"\x89PNG\r\n\x1a\nnot really a picture"

    answer = await client.files_upload_v2(
        channel="C1", filename="profile.png", content=png, title="Profiel"
    )

    file_id = answer["file"]["id"]
    assert slack.uploaded(file_id) == png
    assert answer["file"]["title"] == "Profiel"
    assert slack.called("files.getUploadURLExternal")[0]["filename"] == "profile.png"
    assert slack.called("files.getUploadURLExternal")[0]["length"] == str(len(png))
    assert slack.called("files.completeUploadExternal")[0]["channel_id"] == "C1"


async def test_an_unknown_method_is_unknown_method(client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client.api_call("chat.teleport")

    assert raised.value.response["error"] == "unknown_method"


async def test_only_the_configured_tokens_authenticate(
    slack: FakeSlackWebApi, client: AsyncWebClient
) -> None:
    slack.set_token({"xoxb-other"})

    with pytest.raises(SlackApiError) as raised:
        await client.auth_test()

    assert raised.value.response["error"] == "invalid_auth"
    assert (await client.auth_test(token="xoxb-other"))["ok"] is True
    assert [call.token for call in slack.calls] == [TOKEN, "xoxb-other"]


async def test_an_injected_error_answers_the_next_call_only(
    slack: FakeSlackWebApi, client: AsyncWebClient
) -> None:
    slack.fail_next("users.info", error="user_not_found", status=200)
    slack.add_user("U1")

    with pytest.raises(SlackApiError) as raised:
        await client.users_info(user="U1")

    assert raised.value.response["error"] == "user_not_found"
    assert (await client.users_info(user="U1"))["user"]["id"] == "U1"


async def test_a_rate_limit_without_a_retry_handler_reaches_the_caller(
    slack: FakeSlackWebApi, client: AsyncWebClient
) -> None:
    slack.fail_next("chat.postMessage", retry_after=7)

    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel="C1", text="Hallo")

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"


async def test_the_sdk_retry_handler_waits_out_a_rate_limit_and_retries(
    slack: FakeSlackWebApi,
) -> None:
    client = AsyncWebClient(
        token=TOKEN,
        base_url=slack.api_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    slack.fail_next("chat.postMessage", retry_after=0)
    started = time.monotonic()

    answer = await client.chat_postMessage(channel="C1", text="Hallo")

    assert answer["ok"] is True
    assert [call.status for call in slack.calls] == [429, 200]
    assert time.monotonic() - started < 3
