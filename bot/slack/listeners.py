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

from bot.slack.campaigns import SlackCampaigns
from bot.slack.errors import code, undeliverable
from bot.slack.inbound import (
    ManagementCommand,
    UnknownAction,
    action_event,
    message_event,
    slash_event,
)
from bot.slack.modals import (
    LAUNCH_CALLBACK,
    MEASURE_CALLBACK,
    SETTINGS_CALLBACK,
    measure_modal,
    measure_values,
    modal_language,
)
from bot.slack.oauth import workspace_key
from bot.slack.render import to_home_view, to_message
from dialogs import phrases
from dialogs.advisor import Advisor
from dialogs.desk import Desk, rate_note
from dialogs.events import ChoiceSelected, Command, CommandInvoked, ConversationKey, Event
from dialogs.messages import Paragraph, Reply
from dialogs.ports import Clock, EventLog, OrganisationDirectory, StorageError
from dialogs.records import Organisation
from engine.kpi import KpiError, parse_count
from engine.kpi import entry as kpi_entry
from engine.vocabulary import Language

CHANNEL = "slack"
_NAVIGATION = (CommandInvoked(Command.BACK), CommandInvoked(Command.STOP))
log = logging.getLogger(__name__)
Ack = Callable[..., Awaitable[Any]]


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
    """The advisor in Slack: direct messages, the slash command, buttons, modals and App Home."""

    def __init__(
        self,
        *,
        advisor: Advisor,
        organisations: OrganisationDirectory,
        campaigns: SlackCampaigns,
        events: EventLog,
        clock: Clock,
        desk: Desk,
    ) -> None:
        self._desk = desk
        self._advisor = advisor
        self._organisations = organisations
        self._campaigns = campaigns
        self._events = events
        self._clock = clock
        self._org_ids: dict[str, int] = {}
        self._languages: dict[str, Language] = {}

    def register(self, app: AsyncApp) -> None:
        app.middleware(same_workspace)
        app.middleware(self.once_per_event)
        app.command("/advisor")(self.on_command)
        app.view(LAUNCH_CALLBACK)(self.on_launch_submitted)
        app.view(SETTINGS_CALLBACK)(self.on_settings_submitted)
        app.view(MEASURE_CALLBACK)(self.on_figures_submitted)
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
        # The person's own choice ('language en') wins over their Slack locale.
        language = await self._advisor.language_of(key, default=await self._language(client, user))
        event = slash_event(command.get("text", ""))
        if isinstance(event, ManagementCommand):
            reply = await self._manage(event, key, user, client, command, language)
            if not reply:
                return
        else:
            reply = await self._turn(key, event, language)
        try:
            channel = await self._direct_channel(client, user)
            await client.chat_postMessage(channel=channel, **to_message(reply))
        except SlackApiError as error:
            # The response URL needs no scope and no membership: the one place left to say so.
            log.warning("could not answer a slash command: %s", code(error))
            failure = undeliverable(error).explanation(language)
            await respond(
                text=f"{phrases.NOT_ANSWERED(language)} {failure}", response_type="ephemeral"
            )
            return
        if command.get("channel_id") != channel:
            await respond(text=phrases.SENT_DIRECTLY(language), response_type="ephemeral")

    async def on_launch_submitted(
        self,
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        errors = self._campaigns.validate_launch(view)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        await self._campaigns.launch(client, await self._org(context), body["user"]["id"], view)

    async def on_settings_submitted(
        self,
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        errors = self._campaigns.validate_settings(view)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        user = body["user"]["id"]
        reply = await self._campaigns.save_settings(await self._org(context), user, view)
        await client.chat_postMessage(channel=user, **to_message(reply))

    async def on_figures_submitted(
        self,
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        """The week's figures: each checked, the set stored as one entry."""
        language = modal_language(view)
        start, end, typed = measure_values(view)
        try:
            figures = {metric: parse_count(metric, value) for metric, value in typed.items()}
            checked = kpi_entry(start, end, figures)
        except KpiError as error:
            field = error.field.value if error.field else next(iter(typed), "")
            await ack(response_action="errors", errors={field: error.phrase(language)})
            return
        await ack()
        user = body["user"]["id"]
        await self._desk.record(await self._key(context, user), checked)
        saved = phrases.MEASURE_SAVED(language).format(
            start=start, end=end, rate=rate_note(checked, language)
        )
        await client.chat_postMessage(channel=user, text=saved)

    async def once_per_event(
        self, body: dict[str, Any], next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse:
        """Slack redelivers an event it thinks was missed; handle each event id once."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not await self._events.first_seen(
            "slack", str(event_id), now=self._clock.now()
        ):
            return BoltResponse(status=200, body="")
        return await next()

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
        key = await self._key(context, user)
        if event == CommandInvoked(Command.MEASURE):
            language = await self._advisor.language_of(key)
            await self._open_measure(client, body["trigger_id"], key.org_id, language)
            return
        reply = await self._turn(key, event, None)
        container = body.get("container", {})
        if isinstance(event, ChoiceSelected) or event in _NAVIGATION:
            # The scan's question moves on in place, so the chat is not a stack of old questions.
            await client.chat_update(
                channel=container["channel_id"], ts=container["message_ts"], **to_message(reply)
            )
        else:
            # A nudge's or digest's button answers below it and leaves the nudge readable.
            channel = container.get("channel_id") or await self._direct_channel(client, user)
            await client.chat_postMessage(channel=channel, **to_message(reply))

    async def on_message(
        self, event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        user = event["user"]
        key = await self._key(context, user)
        language = await self._language(client, user)
        reply = await self._turn(key, message_event(event.get("text", "")), language)
        await client.chat_postMessage(channel=event["channel"], **to_message(reply))

    async def on_home_opened(
        self, event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        if event.get("tab") != "home":
            return
        user = event["user"]
        key = await self._key(context, user)
        language = await self._language(client, user)
        try:
            overview = await self._advisor.overview(key, language=language)
            org = await self._org(context)
            managing = await self._campaigns.manager_home(org, user, language)
        except StorageError as error:
            log.error("the home tab failed in storage: %s", error)
            overview, managing = (Paragraph(phrases.FAILED(language)),), ()
        await client.views_publish(user_id=user, view=to_home_view((*managing, *overview)))

    async def _manage(
        self,
        command: ManagementCommand,
        key: ConversationKey,
        user: str,
        client: AsyncWebClient,
        payload: dict[str, Any],
        language: Language,
    ) -> Reply:
        org = await self._organisations.get(key.org_id)
        assert org is not None
        match command.name:
            case "launch":
                await self._campaigns.open_launch(client, payload["trigger_id"], org, language)
                return ()
            case "status":
                return await self._campaigns.status(org, user, language)
            case "close":
                return await self._campaigns.close(client, org, user, language)
            case "measure":
                await self._open_measure(client, payload["trigger_id"], org.id, language)
                return ()
            case _:
                if not await self._campaigns.may_manage(org, user):
                    return (Paragraph(phrases.MANAGERS_ONLY(language)),)
                await self._campaigns.open_settings(client, payload["trigger_id"], org, language)
                return ()

    async def _open_measure(
        self, client: AsyncWebClient, trigger_id: str, org_id: int, language: Language
    ) -> None:
        start, end = await self._desk.week_to_measure(org_id)
        metrics = await self._advisor.metrics(org_id)
        view = measure_modal(language, metrics, start, end)
        await client.views_open(trigger_id=trigger_id, view=view)

    async def _turn(self, key: ConversationKey, event: Event, language: Language | None) -> Reply:
        try:
            return await self._advisor.handle(key, event, language=language)
        except StorageError as error:
            log.error("a turn failed in storage: %s", error)
            return (Paragraph(phrases.FAILED(language or Language.EN)),)

    async def _key(self, context: AsyncBoltContext, user: str) -> ConversationKey:
        return ConversationKey(CHANNEL, await self._org_id(context), user, user)

    async def _org_id(self, context: AsyncBoltContext) -> int:
        workspace = workspace_key(
            context.enterprise_id, context.team_id, bool(context.is_enterprise_install)
        )
        org_id = self._org_ids.get(workspace)
        if org_id is None:
            org = await self._organisations.ensure(workspace, f"Slack {workspace[6:]}")
            org_id = self._org_ids.setdefault(workspace, org.id)
        return org_id

    async def _org(self, context: AsyncBoltContext) -> Organisation:
        org = await self._organisations.get(await self._org_id(context))
        assert org is not None
        return org

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
