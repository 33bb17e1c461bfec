"""The fake Bot Connector and token service answer the real botbuilder SDK as Microsoft does."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import SimpleNamespace
from typing import Any

import jwt
import pytest
from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from botbuilder.schema.teams import TeamsChannelAccount
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials
from botframework.connector.models import ErrorResponseException
from msrest.exceptions import ClientRequestError, DeserializationError, HttpOperationError

from tests.fakes.bot_connector import TENANT_ID, FakeConnector, Shape, teams_member
from tests.fakes.bot_tokens import (
    ISSUER,
    OAUTH_SCOPE,
    FakeBotTokens,
    FakeCredentialsFactory,
)
from tests.teams.activities import (
    BOT_APP_ID,
    BOT_NAME,
    bot_account,
    card_submit,
    installed_in_team,
    installed_personal,
    message,
    uninstalled,
)

TEAM_ID = "19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2"
PLANNING = "19:c3d2f0b4a5e64f0c8e2b1a9d7f6e5c4b@thread.tacv2"
ANNE = teams_member("Anne de Vries")
BRAM = teams_member("Bram Jansen")
CHLOE = teams_member("Chloé Bakker", user_role="guest")
DAAN = teams_member("Daan Visser")
EVA = teams_member("Eva Smit")
OUTBOUND_TOKEN = "outbound-token-from-azure-ad"

Logic = Callable[[TurnContext], Awaitable[None]]


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    async with FakeConnector() as fake:
        fake.add_team(TEAM_ID, "Sales", [ANNE, BRAM, CHLOE, DAAN, EVA], channels={PLANNING: "Plan"})
        yield fake


@pytest.fixture
async def client(connector: FakeConnector) -> AsyncIterator[ConnectorClient]:
    async with ConnectorClient(MicrosoftAppCredentials.empty(), connector.service_url) as sdk:
        yield sdk


@pytest.fixture
def tokens() -> Iterator[FakeBotTokens]:
    with FakeBotTokens() as fake:
        yield fake


def anonymous_adapter() -> CloudAdapter:
    """A bot without an app id: no token checked on the way in, none sent on the way out."""
    return CloudAdapter(ConfigurationBotFrameworkAuthentication(SimpleNamespace(APP_ID=None)))


def authenticated(tokens: FakeBotTokens) -> ConfigurationBotFrameworkAuthentication:
    return ConfigurationBotFrameworkAuthentication(
        tokens.configuration(BOT_APP_ID),
        credentials_factory=FakeCredentialsFactory(BOT_APP_ID, OUTBOUND_TOKEN),
    )


def reply(text: str) -> Activity:
    return Activity(type="message", text=text)


# The connector client


async def test_sent_replied_and_updated_activities_stand_in_the_conversation_in_order(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    conversation = connector.add_personal(ANNE)

    first = await client.conversations.send_to_conversation(conversation, reply("Vraag 1"))
    answer = await client.conversations.reply_to_activity(conversation, first.id, reply("Ja"))
    await client.conversations.update_activity(conversation, first.id, reply("Vraag 1 (klaar)"))

    sent = connector.sent(conversation)
    assert [(a["id"], a["text"]) for a in sent] == [
        (first.id, "Vraag 1 (klaar)"),
        (answer.id, "Ja"),
    ]
    assert sent[1]["replyToId"] == first.id
    assert [(u.conversation_id, u.activity_id) for u in connector.updates] == [
        (conversation, first.id)
    ]


async def test_a_deleted_activity_leaves_the_conversation(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    conversation = connector.add_personal(ANNE)
    posted = await client.conversations.send_to_conversation(conversation, reply("Oeps"))

    await client.conversations.delete_activity(conversation, posted.id)

    assert connector.sent(conversation) == []
    assert connector.requests[-1].method == "DELETE"


async def test_updating_an_unknown_activity_is_not_found(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    conversation = connector.add_personal(ANNE)

    with pytest.raises(ErrorResponseException) as refused:
        await client.conversations.update_activity(conversation, "404", reply("Weg"))

    assert refused.value.response.status_code == 404
    assert connector.updates == []


async def test_sending_to_a_conversation_teams_does_not_know_is_not_found(
    client: ConnectorClient,
) -> None:
    with pytest.raises(ErrorResponseException) as refused:
        await client.conversations.send_to_conversation("a:1unknown", reply("Hallo?"))

    assert refused.value.error.error.code == "ConversationNotFound"


async def test_creating_a_conversation_again_for_the_same_member_returns_the_same_one(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    parameters = ConversationParameters(
        is_group=False,
        bot=ChannelAccount(**bot_account()),
        members=[ChannelAccount(id=BRAM["id"])],
        tenant_id=TENANT_ID,
    )

    first = await client.conversations.create_conversation(parameters)
    again = await client.conversations.create_conversation(parameters)

    assert first.id == again.id == connector.conversation_of(BRAM["id"])
    assert first.id.startswith("a:")
    members = await client.conversations.get_conversation_members(first.id)
    assert [m.id for m in members] == [BRAM["id"]]


async def test_a_channel_post_made_by_creating_a_conversation_starts_a_thread(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    created = await client.conversations.create_conversation(
        ConversationParameters(
            is_group=True,
            channel_data={"channel": {"id": PLANNING}},
            activity=reply("Nieuwe scan"),
        )
    )

    assert created.id == f"{PLANNING};messageid={created.activity_id}"
    assert [a["text"] for a in connector.sent(created.id)] == ["Nieuwe scan"]


async def test_the_roster_comes_in_pages_until_the_continuation_token_runs_out(
    client: ConnectorClient,
) -> None:
    pages = []
    token = None
    while True:
        page = await client.conversations.get_teams_conversation_paged_members(
            TEAM_ID, page_size=2, continuation_token=token
        )
        pages.append([member.name for member in page.members])
        token = page.continuation_token
        if not token:
            break

    assert pages == [
        ["Anne de Vries", "Bram Jansen"],
        ["Chloé Bakker", "Daan Visser"],
        ["Eva Smit"],
    ]


async def test_a_member_is_found_by_their_id_aad_object_id_or_principal_name(
    client: ConnectorClient,
) -> None:
    thread = f"{TEAM_ID};messageid=1700000000001"
    found = [
        await client.conversations.get_conversation_member(thread, key)
        for key in (CHLOE["id"], CHLOE["aadObjectId"], CHLOE["userPrincipalName"])
    ]

    assert {member.id for member in found} == {CHLOE["id"]}
    assert found[0].additional_properties["userRole"] == "guest"
    with pytest.raises(ErrorResponseException) as missing:
        await client.conversations.get_conversation_member(thread, "29:1stranger")
    assert missing.value.error.error.code == "MemberNotFoundInConversation"


# Failures and authentication


async def test_an_injected_failure_answers_its_status_then_the_conversation_works_again(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    conversation = connector.add_personal(DAAN)
    connector.fail(403, conversation=conversation, code="ConversationBlockedByUser")

    with pytest.raises(ErrorResponseException) as refused:
        await client.conversations.send_to_conversation(conversation, reply("Hallo"))
    await client.conversations.send_to_conversation(conversation, reply("Nog eens"))

    assert refused.value.response.status_code == 403
    assert refused.value.error.error.code == "ConversationBlockedByUser"
    assert [r.status for r in connector.requests] == [403, 201]
    assert [a["text"] for a in connector.sent(conversation)] == ["Nog eens"]


async def test_throttling_says_when_to_retry(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    conversation = connector.add_personal(EVA)
    connector.fail(429, retry_after=3)

    with pytest.raises(ErrorResponseException) as throttled:
        await client.conversations.send_to_conversation(conversation, reply("Hallo"))

    assert throttled.value.response.status_code == 429
    assert throttled.value.response.headers["Retry-After"] == "3"


@pytest.mark.parametrize("shape", ["html", "text"])
async def test_a_proxys_error_page_reaches_the_sdk_as_a_body_it_cannot_read(
    connector: FakeConnector, client: ConnectorClient, shape: Shape
) -> None:
    conversation = connector.add_personal(DAAN)
    connector.fail(503, shape=shape)

    with pytest.raises(DeserializationError):
        await client.conversations.send_to_conversation(conversation, reply("Hallo"))

    assert [r.status for r in connector.requests] == [503]
    assert connector.sent(conversation) == []


async def test_a_dropped_connection_reaches_the_sdk_as_a_request_error(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    conversation = connector.add_personal(DAAN)
    connector.fail(502, shape="reset", method="POST")

    with pytest.raises(ClientRequestError):
        await client.conversations.send_to_conversation(conversation, reply("Hallo"))

    assert [r.status for r in connector.requests] == [0], "recorded as no answer"


async def test_a_stalled_request_is_answered_late_and_only_requests_of_its_kind_stall(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    conversation = connector.add_personal(DAAN)
    connector.stall(0.4, method="POST", path=f"/v3/conversations/{conversation}/activities")
    started = time.monotonic()

    await client.conversations.get_conversation_members(conversation)
    read = time.monotonic()
    await client.conversations.send_to_conversation(conversation, reply("Hallo"))

    assert read - started < 0.3
    assert time.monotonic() - read >= 0.4
    assert [a["text"] for a in connector.sent(conversation)] == ["Hallo"]


@pytest.mark.parametrize("status", [404, 500])
async def test_a_failure_for_a_channel_hits_its_threads_too(
    connector: FakeConnector, client: ConnectorClient, status: int
) -> None:
    connector.fail(status, conversation=TEAM_ID)

    with pytest.raises(ErrorResponseException) as failed:
        await client.conversations.send_to_conversation(f"{TEAM_ID};messageid=1", reply("Hoi"))

    assert failed.value.response.status_code == status


async def test_the_sdk_retries_a_read_that_failed_with_a_server_error_by_itself(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    """msrest's urllib3 retry policy repeats GET, PUT and DELETE (not POST) up to 3 times on
    5xx, backing off 0, 1.6 and 3.2 s: only four failures in a row reach the caller."""
    connector.fail(500, conversation=TEAM_ID)

    members = await client.conversations.get_conversation_members(TEAM_ID)

    assert len(members) == 5
    assert [r.status for r in connector.requests] == [500, 200]


async def test_a_paged_roster_that_is_not_found_fails_with_its_status(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    connector.fail(404, conversation=TEAM_ID)

    with pytest.raises(HttpOperationError) as failed:
        await client.conversations.get_teams_conversation_paged_members(TEAM_ID)

    assert failed.value.response.status_code == 404


async def test_a_connector_that_expects_a_token_refuses_a_call_without_it(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    connector.expect_token(OUTBOUND_TOKEN)

    with pytest.raises(ErrorResponseException) as refused:
        await client.conversations.get_conversation_members(TEAM_ID)

    assert refused.value.response.status_code == 401
    assert connector.requests[0].authorization is None


async def test_a_bot_with_an_app_id_calls_the_connector_with_its_token(
    connector: FakeConnector, tokens: FakeBotTokens
) -> None:
    connector.expect_token(OUTBOUND_TOKEN)
    conversation = connector.add_personal(ANNE)
    credentials = FakeCredentialsFactory(BOT_APP_ID, OUTBOUND_TOKEN)
    adapter = CloudAdapter(
        ConfigurationBotFrameworkAuthentication(
            tokens.configuration(BOT_APP_ID), credentials_factory=credentials
        )
    )
    reference = ConversationReference(
        channel_id="msteams",
        service_url=connector.service_url,
        conversation=ConversationAccount(id=conversation, conversation_type="personal"),
        bot=ChannelAccount(**bot_account()),
    )

    async def nudge(turn: TurnContext) -> None:
        await turn.send_activity("Tijd voor je scan")

    await adapter.continue_conversation(reference, nudge, bot_app_id=BOT_APP_ID)

    assert [a["text"] for a in connector.sent(conversation)] == ["Tijd voor je scan"]
    assert connector.requests[0].authorization == f"Bearer {OUTBOUND_TOKEN}"
    # One set for the connector client, one for the user token client the SDK also makes.
    assert set(credentials.created) == {(BOT_APP_ID, OAUTH_SCOPE)}


# A bot on the CloudAdapter, with activities as Teams sends them


async def test_a_bot_without_an_app_id_replies_in_the_personal_chat(
    connector: FakeConnector,
) -> None:
    conversation = connector.add_personal(ANNE)
    incoming = message("Hallo", user=ANNE, service_url=connector.service_url)

    async def echo(turn: TurnContext) -> None:
        await turn.send_activity(f"Je zei: {turn.activity.text}")

    await anonymous_adapter().process_activity("", Activity().deserialize(incoming), echo)

    [answer] = connector.sent(conversation)
    assert answer["text"] == "Je zei: Hallo"
    assert answer["replyToId"] == incoming["id"]
    assert connector.requests[0].authorization is None


async def test_teams_info_reads_the_team_its_channels_and_members_from_a_channel_message(
    connector: FakeConnector,
) -> None:
    team = connector.add_team(TEAM_ID, "Sales", [ANNE, BRAM, CHLOE], channels={PLANNING: "Plan"})
    incoming = message("scan", user=BRAM, team=team, service_url=connector.service_url)
    seen: dict[str, Any] = {}

    async def look_around(turn: TurnContext) -> None:
        seen["text"] = TurnContext.remove_recipient_mention(turn.activity).strip()
        seen["details"] = await TeamsInfo.get_team_details(turn)
        seen["channels"] = await TeamsInfo.get_team_channels(turn)
        seen["page"] = await TeamsInfo.get_paged_members(turn, page_size=2)
        seen["member"] = await TeamsInfo.get_member(turn, BRAM["aadObjectId"])
        await turn.send_activity("Gezien")

    await anonymous_adapter().process_activity("", Activity().deserialize(incoming), look_around)

    assert seen["text"] == "scan"
    assert (seen["details"].name, seen["details"].member_count) == ("Sales", 3)
    assert [(c.id, c.name) for c in seen["channels"]] == [(TEAM_ID, None), (PLANNING, "Plan")]
    assert [m.name for m in seen["page"].members] == ["Anne de Vries", "Bram Jansen"]
    assert seen["page"].continuation_token
    assert isinstance(seen["member"], TeamsChannelAccount)
    assert seen["member"].email == BRAM["email"]
    assert [a["text"] for a in connector.sent(incoming["conversation"]["id"])] == ["Gezien"]


async def test_a_card_submit_arrives_as_a_value_without_text(connector: FakeConnector) -> None:
    connector.add_personal(ANNE)
    submit = card_submit({"advisor": "choice", "option": "b"}, reply_to_id="1700000000042")
    values: list[tuple[Any, Any]] = []

    async def record(turn: TurnContext) -> None:
        values.append((turn.activity.value, turn.activity.text))

    await anonymous_adapter().process_activity("", Activity().deserialize(submit), record)

    assert values == [({"advisor": "choice", "option": "b"}, None)]
    assert submit["replyToId"] == submit["channelData"]["legacy"]["replyToId"]


class _InstallWatcher(TeamsActivityHandler):
    def __init__(self) -> None:
        self.events: list[str] = []

    async def on_teams_members_added(self, members_added, team_info, turn_context):  # type: ignore[no-untyped-def]
        bot = turn_context.activity.recipient.id
        names = ["bot" if m.id == bot else m.id for m in members_added]
        team = team_info.name if team_info else None
        self.events.append(f"added {names} to {team}")

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        self.events.append(f"installed in {turn_context.activity.conversation.conversation_type}")

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        self.events.append("uninstalled")


async def test_install_and_uninstall_activities_reach_the_sdks_teams_handlers() -> None:
    team = {"id": TEAM_ID, "name": "Sales", "aadGroupId": "0b7c0f3e-3a51-4f0e-9b1f-9d1f4c1d2e3a"}
    watcher = _InstallWatcher()
    adapter = anonymous_adapter()
    activities = [
        *installed_personal(user=ANNE),
        *installed_in_team(team, user=ANNE),
        uninstalled(user=ANNE),
    ]

    for activity in activities:
        await adapter.process_activity("", Activity().deserialize(activity), watcher.on_turn)

    assert watcher.events == [
        "added ['bot'] to None",
        "installed in personal",
        "added ['bot'] to Sales",
        "installed in channel",
        "uninstalled",
    ]


async def test_a_channel_message_mentions_the_bot_the_way_teams_does() -> None:
    team = {"id": TEAM_ID, "name": "Sales"}

    incoming = Activity().deserialize(message("help", team=team, locale="en-US"))

    assert incoming.text == f"<at>{BOT_NAME}</at> help"
    assert incoming.get_mentions()[0].additional_properties["mentioned"]["id"] == f"28:{BOT_APP_ID}"
    assert incoming.conversation.id == f"{TEAM_ID};messageid={incoming.id}"
    assert incoming.conversation.conversation_type == "channel"
    assert incoming.channel_data["tenant"]["id"] == TENANT_ID
    # The SDK maps `tenant_id` to "tenantID": Teams' "tenantId" only survives as an extra.
    assert incoming.conversation.tenant_id is None
    assert incoming.conversation.additional_properties["tenantId"] == TENANT_ID
    assert incoming.locale == "en-US"


async def test_waiting_for_a_proactive_message_ends_when_it_arrives(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    conversation = connector.add_personal(EVA)

    async def later() -> None:
        await asyncio.sleep(0.05)
        await client.conversations.send_to_conversation(conversation, reply("Herinnering"))

    sending = asyncio.create_task(later())
    async with asyncio.timeout(5):
        [nudge] = await connector.wait_for_sent(conversation)
    await sending

    assert nudge["text"] == "Herinnering"


# Inbound tokens


async def test_a_token_signed_like_the_bot_connectors_is_accepted(
    connector: FakeConnector, tokens: FakeBotTokens
) -> None:
    token = tokens.token(audience=BOT_APP_ID, service_url=connector.service_url)
    activity = Activity().deserialize(message("Hallo", service_url=connector.service_url))

    result = await authenticated(tokens).authenticate_request(activity, f"Bearer {token}")
    await authenticated(tokens).authenticate_request(activity, f"Bearer {token}")

    assert result.claims_identity.is_authenticated
    assert result.claims_identity.claims["aud"] == BOT_APP_ID
    assert result.claims_identity.claims["iss"] == ISSUER
    assert result.audience == OAUTH_SCOPE
    assert tokens.fetched == ["/v1/.well-known/openidconfiguration", "/v1/keys"]


@pytest.mark.parametrize(
    ("claims", "refusal"),
    [
        pytest.param({"expires_in": -3600}, jwt.ExpiredSignatureError, id="expired"),
        pytest.param({"audience": "another-bot"}, PermissionError, id="another audience"),
        pytest.param({"signed_by_stranger": True}, jwt.InvalidSignatureError, id="forged"),
        pytest.param({"issuer": "https://sts.example"}, PermissionError, id="another issuer"),
        pytest.param({"service_url": "https://evil.example/"}, PermissionError, id="service url"),
    ],
)
async def test_a_token_the_bot_connector_did_not_issue_for_this_bot_is_refused(
    connector: FakeConnector,
    tokens: FakeBotTokens,
    claims: dict[str, Any],
    refusal: type[Exception],
) -> None:
    token = tokens.token(**{"audience": BOT_APP_ID, "service_url": connector.service_url, **claims})
    activity = Activity().deserialize(message("Hallo", service_url=connector.service_url))

    with pytest.raises(refusal):
        await authenticated(tokens).authenticate_request(activity, f"Bearer {token}")


async def test_an_expired_token_within_five_minutes_of_skew_is_still_accepted(
    connector: FakeConnector, tokens: FakeBotTokens
) -> None:
    token = tokens.token(audience=BOT_APP_ID, service_url=connector.service_url, expires_in=-60)
    activity = Activity().deserialize(message("Hallo", service_url=connector.service_url))

    result = await authenticated(tokens).authenticate_request(activity, f"Bearer {token}")

    assert result.claims_identity.is_authenticated


async def test_with_a_keys_url_configured_the_sdk_crashes_on_a_request_without_a_token(
    tokens: FakeBotTokens,
) -> None:
    """The SDK's parameterized mode checks ``auth_header is None``, but `CloudAdapter.process`
    passes "" for a missing header: a bot must refuse such a request itself (401), or it
    answers 500."""
    activity = Activity().deserialize(message("Hallo"))

    with pytest.raises(AttributeError):
        await authenticated(tokens).authenticate_request(activity, "")
    with pytest.raises(PermissionError):
        await authenticated(tokens).authenticate_request(activity, None)  # type: ignore[arg-type]
