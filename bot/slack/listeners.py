"""Slack listeners: a handful of lines each: map to a neutral event, run the turn, render, send."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.inbound import (
    ManagementCommand,
    UnknownAction,
    action_event,
    message_event,
    slash_event,
)
from bot.slack.oauth import workspace_key
from bot.slack.render import to_home_view, to_message
from dialogs import phrases
from dialogs.advisor import Advisor
from dialogs.events import Command, CommandInvoked, ConversationKey, Event
from dialogs.messages import ChoicePrompt, Paragraph, Reply
from dialogs.ports import OrganisationDirectory, StorageError
from engine.vocabulary import Language

CHANNEL = "slack"
log = logging.getLogger(__name__)
Ack = Callable[..., Awaitable[Any]]


def message(reply: Reply) -> dict[str, Any]:
    """A reply as a Slack message, with navigation labels in the reply's own language."""
    prompt = next((b for b in reversed(reply) if isinstance(b, ChoicePrompt)), None)
    return to_message(
        reply,
        back_label=prompt.back_label if prompt else "",
        pause_label=prompt.pause_label if prompt else "",
        submit_label=prompt.submit_label if prompt else "",
    )


async def same_workspace(
    context: AsyncBoltContext, next: Callable[[], Awaitable[BoltResponse]]
) -> BoltResponse:
    """Serve a request only for the workspace its token belongs to.

    Bolt's single-workspace mode authorises every signed request with the one bot token; a
    request that names another workspace must not reach that workspace's organisation.
    """
    authorised = context.authorize_result
    if (
        authorised is not None
        and authorised.team_id is not None
        and context.team_id is not None
        and context.team_id != authorised.team_id
    ):
        log.warning("refused a request for another workspace than the token's")
        return BoltResponse(status=403, body="")
    return await next()


class SlackSurface:
    """The advisor in Slack: direct messages, the slash command, buttons and App Home."""

    def __init__(self, advisor: Advisor, organisations: OrganisationDirectory) -> None:
        self._advisor = advisor
        self._organisations = organisations
        self._org_ids: dict[str, int] = {}
        self._languages: dict[str, Language] = {}

    def register(self, app: AsyncApp) -> None:
        app.middleware(same_workspace)
        app.command("/advisor")(self.on_command)
        app.action(re.compile(r".+"))(self.on_action)
        app.event("message")(self.on_message)
        app.event("app_home_opened")(self.on_home_opened)

    async def on_command(
        self,
        ack: Ack,
        command: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
        respond: Callable[..., Awaitable[Any]],
    ) -> None:
        await ack()
        user = command["user_id"]
        key = await self._key(context, user)
        language = await self._language(client, user)
        event = slash_event(command.get("text", ""))
        if isinstance(event, ManagementCommand):
            event = CommandInvoked(Command.HELP)
        reply = await self._turn(key, event, language)
        channel = await self._direct_channel(client, user)
        await client.chat_postMessage(channel=channel, **message(reply))
        if command.get("channel_id") != channel:
            await respond(text=phrases.SENT_DIRECTLY(language), response_type="ephemeral")

    async def on_action(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        await ack()
        try:
            event = action_event(body["actions"][0], body.get("state", {}).get("values"))
        except (UnknownAction, KeyError, IndexError) as error:
            log.warning("ignored a Slack action: %s", error)
            return
        if event is None:
            return
        user = body["user"]["id"]
        reply = await self._turn(await self._key(context, user), event, None)
        channel, ts = body["container"]["channel_id"], body["container"]["message_ts"]
        await client.chat_update(channel=channel, ts=ts, **message(reply))

    async def on_message(
        self, event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        user = event["user"]
        key = await self._key(context, user)
        language = await self._language(client, user)
        reply = await self._turn(key, message_event(event.get("text", "")), language)
        await client.chat_postMessage(channel=event["channel"], **message(reply))

    async def on_home_opened(
        self, event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        if event.get("tab") != "home":
            return
        user = event["user"]
        key = await self._key(context, user)
        language = await self._language(client, user)
        results = await self._turn(key, CommandInvoked(Command.RESULTS), language)
        help_text = await self._turn(key, CommandInvoked(Command.HELP), language)
        await client.views_publish(user_id=user, view=to_home_view((*results, *help_text)))

    async def _turn(self, key: ConversationKey, event: Event, language: Language | None) -> Reply:
        try:
            return await self._advisor.handle(key, event, language=language)
        except StorageError as error:
            log.error("a turn failed in storage: %s", error)
            return (Paragraph(phrases.FAILED(language or Language.EN)),)

    async def _key(self, context: AsyncBoltContext, user: str) -> ConversationKey:
        workspace = workspace_key(
            context.enterprise_id, context.team_id, bool(context.is_enterprise_install)
        )
        org_id = self._org_ids.get(workspace)
        if org_id is None:
            org = await self._organisations.ensure(workspace, f"Slack {workspace[6:]}")
            org_id = self._org_ids.setdefault(workspace, org.id)
        return ConversationKey(CHANNEL, org_id, user, user)

    async def _language(self, client: AsyncWebClient, user: str) -> Language:
        """The person's Slack locale: Dutch for nl-*, English otherwise; asked once per process."""
        if user not in self._languages:
            try:
                info = await client.users_info(user=user, include_locale=True)
                locale = str(info["user"].get("locale", ""))
            except SlackApiError as error:
                log.warning("users.info failed: %s", error.response.get("error"))
                locale = ""
            self._languages[user] = Language.NL if locale.startswith("nl") else Language.EN
        return self._languages[user]

    @staticmethod
    async def _direct_channel(client: AsyncWebClient, user: str) -> str:
        opened = await client.conversations_open(users=user)
        return str(opened["channel"]["id"])
