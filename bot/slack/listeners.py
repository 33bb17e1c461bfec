"""Slack listeners: a handful of lines each: map to a neutral event, run the turn, render, send."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.background import Background
from bot.failures import log_failure
from bot.jobs import JobRunner
from bot.slack.campaigns import LAUNCH_JOB, SlackCampaigns
from bot.slack.delivery import SlackPublisher
from bot.slack.errors import FAILURES, code, undeliverable
from bot.slack.inbound import (
    UnknownAction,
    action_event,
    message_event,
    slash_event,
)
from bot.slack.modals import (
    LAUNCH_CALLBACK,
    MEASURE_CALLBACK,
    SETTINGS_CALLBACK,
    launch_errors,
    measure_errors,
    measure_modal,
    measure_values,
    modal_language,
    settings_errors,
)
from bot.slack.oauth import workspace_key
from bot.slack.people import respondent
from bot.slack.preferences import SlackSettings
from bot.slack.render import to_home_view, to_message
from dialogs import figures_flow, phrases
from dialogs.advisor import Advisor, Answered
from dialogs.audit import Leaving
from dialogs.commands import Manage, Managing
from dialogs.desk import Desk
from dialogs.events import ChoiceSelected, Command, CommandInvoked, ConversationKey, Event
from dialogs.messages import File, Paragraph, Reply
from dialogs.ports import Clock, OrganisationDirectory, StorageError
from dialogs.records import Organisation
from engine.text import Text
from engine.vocabulary import Language

CHANNEL = "slack"
TURN_DEADLINE_SECONDS = 2.0
"""What a person did is stored before Slack gets its 200; a turn that takes longer than this
gets a 503 instead (Slack allows 3 s) and finishes in the background: never acknowledged and
then lost."""
ORG_ID_SECONDS = 300.0
"""How long a process trusts the organisation id it found for a workspace."""
LANGUAGE_LOOKUP_SECONDS = 0.5
"""users.info is asked once per person and process; a slow Slack gets the default language."""
_NAVIGATION = (CommandInvoked(Command.BACK), CommandInvoked(Command.STOP))
_NOT_STORED_YET = BoltResponse(status=503, body="")
_BAD_ACTION = BoltResponse(status=400, body="")
log = logging.getLogger(__name__)
Ack = Callable[..., Awaitable[Any]]
Respond = Callable[..., Awaitable[Any]]
T = TypeVar("T")


async def post(
    client: AsyncWebClient, channel: str, reply: Reply, *, language: Language = Language.EN
) -> None:
    """A reply in `language` as a message, and its files (a person's data, an export) uploaded
    after it in the same conversation."""
    await client.chat_postMessage(channel=channel, **to_message(reply, language=language))
    for attached in (block for block in reply if isinstance(block, File)):
        await client.files_upload_v2(
            channel=channel, file=attached.content, filename=attached.name, title=attached.title
        )


async def same_workspace(
    context: AsyncBoltContext, next: Callable[[], Awaitable[BoltResponse]]
) -> BoltResponse:
    """Serve a request only for the workspace (or Enterprise Grid org) it was authorised for.

    Bolt's single-workspace mode authorises every signed request with the one bot token, so a
    request naming another team, or an enterprise with no team, would reach (and create) an
    organisation of its own. Here the request's ids must be the installation's.
    """
    authorised = context.authorize_result
    if authorised is not None and not _installed_here(context, authorised):
        log.warning("refused a request for another workspace than the installed one")
        return BoltResponse(status=403, body="")
    return await next()


def _installed_here(context: AsyncBoltContext, authorised: AuthorizeResult) -> bool:
    enterprise, team = context.enterprise_id, context.team_id
    if enterprise is not None and enterprise != authorised.enterprise_id:
        return False
    if context.is_enterprise_install:
        # An org-wide installation is authorised for the enterprise and no single team. (Bolt's
        # AuthorizeResult has no is_enterprise_install: asking for it raised, a 500.)
        return enterprise is not None and authorised.team_id is None
    return team is not None and team == authorised.team_id


class NotStored(Exception):
    """A turn that storage refused: what to tell the person, who must not get a 200."""

    def __init__(self, reply: Reply) -> None:
        super().__init__("the turn was not stored")
        self.reply = reply


class SlackSurface:
    """The advisor in Slack: direct messages, the slash command, buttons, modals and App Home.

    Every listener first stores what the person did (the turn commits), then acknowledges, and
    only then talks to Slack's Web API, in the background: Bolt runs with
    `process_before_response`, so the 200 leaves when a listener returns.
    """

    def __init__(
        self,
        *,
        advisor: Advisor,
        organisations: OrganisationDirectory,
        campaigns: SlackCampaigns,
        jobs: JobRunner,
        clock: Clock,
        desk: Desk,
        leaving: Leaving | None = None,
    ) -> None:
        self._leaving = leaving
        self._jobs = jobs
        self._desk = desk
        self._advisor = advisor
        self._organisations = organisations
        self._campaigns = campaigns
        self._runner = campaigns.runner
        self._settings = SlackSettings(campaigns.runner.campaigns)
        self._clock = clock
        self._org_ids: dict[str, tuple[int, float]] = {}
        """Each workspace's organisation id, and until when (monotonic) to trust it."""
        self._languages: dict[str, Language] = {}
        self._later = Background(log, "work after a Slack acknowledgement", _slack_refusal)

    def register(self, app: AsyncApp) -> None:
        app.middleware(same_workspace)
        app.command("/advisor")(self.on_command)
        app.view(LAUNCH_CALLBACK)(self.on_launch_submitted)
        app.view(SETTINGS_CALLBACK)(self.on_settings_submitted)
        app.view(MEASURE_CALLBACK)(self.on_figures_submitted)
        app.action(re.compile(r".+"))(self.on_action)
        app.event("message")(self.on_message)
        app.event("app_home_opened")(self.on_home_opened)
        app.error(self.on_error)

    async def idle(self) -> None:
        """Wait for the replies and launches still being sent in the background."""
        await self._later.idle()

    async def on_command(
        self,
        ack: Ack,
        command: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
        respond: Respond,
    ) -> BoltResponse | None:
        user = command["user_id"]
        key = await self._key(context, user)
        # The person's own choice ('language en') wins over their Slack locale.
        language = await self._advisor.language_of(key, default=await self._language(client, user))
        event = slash_event(command["text"])
        if isinstance(event, Manage):
            return await self._manage(ack, event, key, client, command, respond, language)

        async def answer(reply: Reply) -> None:
            await self._answer_command(client, command, respond, reply, language)

        async def answered(turn: Answered) -> None:
            await answer(turn.reply)

        return await self._stored(ack, self._turn(key, event, language), answered, refused=answer)

    async def on_launch_submitted(
        self,
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> BoltResponse | None:
        errors = launch_errors(view, self._clock.now().date())
        if errors:
            await ack(response_action="errors", errors=errors)
            return None
        # Inviting a channel takes a call per person: far longer than Slack waits. The form is
        # stored as a job first, which any process runs (again, after a crash).
        payload = {"manager": body["user"]["id"], "view": view}
        submitting = self._jobs.submit(
            await self._org_id(context), LAUNCH_JOB, f"{LAUNCH_JOB}:{view['id']}", payload
        )

        async def run(_: bool) -> None:
            await self._jobs.run()

        return await self._stored(ack, submitting, run)

    async def on_settings_submitted(
        self,
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> BoltResponse | None:
        errors = settings_errors(view)
        if errors:
            await ack(response_action="errors", errors=errors)
            return None
        user = body["user"]["id"]
        saving = self._settings.save(await self._org(context), user, view)

        async def confirm(reply: Reply) -> None:
            await client.chat_postMessage(
                channel=user, **to_message(reply, language=modal_language(view))
            )

        return await self._stored(ack, saving, confirm)

    async def on_figures_submitted(
        self,
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> BoltResponse | None:
        """The week's figures: checked as in the chat (any problem shown on its field, a
        doubt until its box is ticked), the set stored as one entry, replacing the week's."""
        language = modal_language(view)
        week, typed, confirmed = measure_values(view)
        org_id = await self._org_id(context)
        latest, _ = await self._desk.week_to_measure(org_id)
        checked = figures_flow.check_form(language, week, latest, typed, confirmed=confirmed)
        if isinstance(checked, figures_flow.FormProblems):
            await ack(response_action="errors", errors=measure_errors(checked, language))
            return None
        user = body["user"]["id"]
        saved = figures_flow.saved_text(checked, language)

        async def confirm(_: None) -> None:
            await client.chat_postMessage(channel=user, text=saved)

        return await self._stored(
            ack, self._desk.record(await self._key(context, user), checked), confirm
        )

    async def on_action(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> BoltResponse | None:
        user = body["user"]["id"]
        try:
            event = action_event(body["actions"][0], body.get("state", {}).get("values"))
        except UnknownAction as error:
            log.warning("refused a Slack action: %s", error)
            self._later.start(self._say(client, user, phrases.BUTTON_UNKNOWN))
            return _BAD_ACTION
        if event is None:
            await ack()
            return None
        key = await self._key(context, user)
        if event == CommandInvoked(Command.MEASURE):
            await ack()
            language = await self._advisor.language_of(key)
            self._later.start(self._open_measure(client, body["trigger_id"], key.org_id, language))
            return None
        container = body.get("container") or {}

        async def show(reply: Reply, language: Language | None = None) -> None:
            language = language or await self._spoken(key, None)
            if isinstance(event, ChoiceSelected) or event in _NAVIGATION:
                # The scan's question moves on in place, so the chat is not a stack of old
                # questions.
                await client.chat_update(
                    channel=container["channel_id"],
                    ts=container["message_ts"],
                    **to_message(reply, language=language),
                )
            else:
                # A nudge's or digest's button answers below it and leaves the nudge readable.
                channel = container.get("channel_id") or await self._direct_channel(client, user)
                await post(client, channel, reply, language=language)

        async def shown(turn: Answered) -> None:
            await show(turn.reply, turn.language)

        return await self._stored(ack, self._turn(key, event, None), shown, refused=show)

    async def on_message(
        self,
        ack: Ack,
        body: dict[str, Any],
        event: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> BoltResponse | None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return None
        user, channel = event.get("user"), event.get("channel")
        if not isinstance(user, str) or not isinstance(channel, str):
            log.warning("ignored a direct message without a user or channel")
            return None
        key = await self._key(context, user)
        language = await self._language(client, user)
        text = event.get("text")
        # Slack sends an event again when it thinks we missed it: handled once, by its id.
        turn = self._turn(
            key,
            message_event(text if isinstance(text, str) else ""),
            language,
            once=f"{CHANNEL}:{body['event_id']}",
        )

        async def answer(reply: Reply, spoken: Language | None = None) -> None:
            if reply:
                spoken = spoken or await self._spoken(key, language)
                await post(client, channel, reply, language=spoken)

        async def answered(turn: Answered) -> None:
            await answer(turn.reply, turn.language)

        return await self._stored(ack, turn, answered, refused=answer)

    async def on_home_opened(
        self, event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        user = event.get("user")
        if event.get("tab") != "home" or not isinstance(user, str):
            return
        key = await self._key(context, user)
        self._later.start(self._publish_home(client, context, key, user))

    async def on_error(
        self, error: Exception, body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        """A listener failed: one log line with a reference the person is also given."""
        reference = log_failure(log, "a Slack listener", error)
        user = _user_of(body)
        client = context.client
        if user is not None and client is not None:
            self._later.start(
                self._say(client, user, phrases.FAILED_WITH_REFERENCE, reference=reference)
            )

    async def _publish_home(
        self, client: AsyncWebClient, context: AsyncBoltContext, key: ConversationKey, user: str
    ) -> None:
        language = await self._language(client, user)
        try:
            overview = await self._advisor.overview(key, language=language)
            org = await self._org(context)
            managing = await self._runner.manager_home(org, respondent(user), language)
        except StorageError as error:
            log.error("the home tab failed in storage: %s", error)
            overview, managing = (Paragraph(phrases.FAILED(language)),), ()
        home = to_home_view((*managing, *overview), language=language)
        await client.views_publish(user_id=user, view=home)

    async def _answer_command(
        self,
        client: AsyncWebClient,
        command: dict[str, Any],
        respond: Respond,
        reply: Reply,
        language: Language,
    ) -> None:
        """A slash command's reply goes to the person's direct messages."""
        user = command["user_id"]
        try:
            channel = await self._direct_channel(client, user)
            await post(client, channel, reply, language=language)
        except FAILURES as error:
            # The response URL needs no scope and no membership: the one place left to say so.
            log.warning("could not answer a slash command: %s", code(error))
            failure = undeliverable(error).explanation(language)
            await respond(
                text=f"{phrases.NOT_ANSWERED(language)} {failure}", response_type="ephemeral"
            )
            return
        if command.get("channel_id") != channel:
            await respond(text=phrases.SENT_DIRECTLY(language), response_type="ephemeral")

    async def _manage(
        self,
        ack: Ack,
        command: Manage,
        key: ConversationKey,
        client: AsyncWebClient,
        payload: dict[str, Any],
        respond: Respond,
        language: Language,
    ) -> BoltResponse | None:
        org = await self._organisations.get(key.org_id)
        assert org is not None
        user, trigger = key.user, payload.get("trigger_id", "")

        async def answer(reply: Reply) -> None:
            await self._answer_command(client, payload, respond, reply, language)

        match command.action:
            case Managing.CLOSE:
                closed = await self._runner.close(org, respondent(user), language)
                await ack()
                if closed.scan is not None:
                    # Publishing reaches everyone who took part: longer than Slack waits. A
                    # process that stops before it is done leaves it to the next one's tick.
                    publishing = self._runner.publish(
                        org,
                        closed.scan,
                        closed.launch,
                        SlackPublisher(client),
                        closed_by=respondent(user),
                    )
                    self._later.start(publishing)
                self._later.start(answer(closed.reply))
                return None
            case Managing.STATUS:
                await ack()
                self._later.start(self._status(org, user, language, answer))
            case Managing.LAUNCH:
                await ack()
                self._later.start(self._campaigns.open_launch(client, trigger, org, language))
            case Managing.MEASURE:
                await ack()
                opening = self._open_measure(
                    client, trigger, org.id, language, named=command.argument, refuse=answer
                )
                self._later.start(opening)
            case _ if not await self._runner.campaigns.may_manage(org.id, respondent(user)):
                await ack()
                self._later.start(answer((Paragraph(phrases.MANAGERS_ONLY(language)),)))
            case _:
                await ack()
                self._later.start(self._settings.open(client, trigger, org, language))
        return None

    async def _status(
        self,
        org: Organisation,
        user: str,
        language: Language,
        answer: Callable[[Reply], Awaitable[None]],
    ) -> None:
        await answer(await self._runner.campaigns.status_view(org.id, respondent(user), language))

    async def _open_measure(
        self,
        client: AsyncWebClient,
        trigger_id: str,
        org_id: int,
        language: Language,
        *,
        named: str = "",
        refuse: Callable[[Reply], Awaitable[None]] | None = None,
    ) -> None:
        """The figures modal for the week `named`, else last week's, with its figures if it
        has them; a week that cannot be measured is said with `refuse` instead."""
        latest, _ = await self._desk.week_to_measure(org_id)
        monday = figures_flow.form_week(named, latest)
        if isinstance(monday, Text):
            if refuse is not None:
                await refuse((Paragraph(monday(language)),))
            return
        metrics = await self._advisor.metrics(org_id)
        recorded = await self._desk.recorded(org_id, monday)
        weeks = figures_flow.recent_weeks(latest, monday)
        view = measure_modal(language, metrics, weeks, monday, recorded)
        await client.views_open(trigger_id=trigger_id, view=view)

    async def _turn(
        self,
        key: ConversationKey,
        event: Event,
        language: Language | None,
        *,
        once: str | None = None,
    ) -> Answered:
        try:
            return await self._advisor.answer(key, event, language=language, once=once)
        except StorageError as error:
            log.error("a turn failed in storage: %s", error)
            raise NotStored((Paragraph(phrases.FAILED(language or Language.EN)),)) from error

    async def _stored(
        self,
        ack: Ack,
        storing: Awaitable[T],
        then: Callable[[T], Coroutine[Any, Any, None]],
        *,
        refused: Callable[[Reply], Coroutine[Any, Any, None]] | None = None,
    ) -> BoltResponse | None:
        """Acknowledge once `storing` has committed, then run `then` with its result; or, when
        a turn could not be stored (`NotStored`), tell the person with `refused`.

        A turn that misses the deadline is not acknowledged (503: Slack shows the person an
        error, and sends an event again); it carries on, and its reply is sent when it is done.
        """
        task = asyncio.ensure_future(storing)
        try:
            stored = await asyncio.wait_for(asyncio.shield(task), TURN_DEADLINE_SECONDS)
        except TimeoutError:
            log.warning("a turn took over %s s; Slack gets a 503", TURN_DEADLINE_SECONDS)
            self._later.start(self._after(task, then, refused))
            return _NOT_STORED_YET
        except NotStored as failed:
            # The person is told nothing changed; Slack is not told it was stored (for an
            # event, it sends it again).
            if refused is not None:
                self._later.start(refused(failed.reply))
            return _NOT_STORED_YET
        await ack()
        self._later.start(then(stored))
        return None

    @staticmethod
    async def _after(
        task: asyncio.Future[T],
        then: Callable[[T], Coroutine[Any, Any, None]],
        refused: Callable[[Reply], Coroutine[Any, Any, None]] | None,
    ) -> None:
        try:
            done = await task
        except NotStored as failed:
            if refused is not None:
                await refused(failed.reply)
            return
        await then(done)

    async def _spoken(self, key: ConversationKey, hint: Language | None) -> Language:
        """The language the conversation speaks after its turn, for the words the renderer
        adds to its reply; `hint` (else English) when the store cannot say."""
        try:
            return await self._advisor.language_of(key, default=hint)
        except StorageError:
            return hint or Language.EN

    async def _say(self, client: AsyncWebClient, user: str, phrase: Text, **values: str) -> None:
        language = self._languages.get(user, Language.EN)
        channel = await self._direct_channel(client, user)
        await client.chat_postMessage(channel=channel, text=phrase(language).format(**values))

    async def _key(self, context: AsyncBoltContext, user: str) -> ConversationKey:
        return ConversationKey(CHANNEL, await self._org_id(context), user, user)

    async def _org_id(self, context: AsyncBoltContext) -> int:
        workspace = workspace_key(
            context.enterprise_id, context.team_id, bool(context.is_enterprise_install)
        )
        cached = self._org_ids.get(workspace)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        # Asked again now and then: an organisation erased after leaving and installed anew
        # has a new id, which every process picks up within ORG_ID_SECONDS.
        org = await self._organisations.ensure(workspace, f"Slack {workspace[6:]}")
        if self._leaving is not None:
            # Slack sends nothing for an app that is not installed: a workspace that left and
            # is heard from again has the app back (with one token there is no install to see).
            await self._leaving.stay(org.id, now=self._clock.now())
        self._org_ids[workspace] = (org.id, time.monotonic() + ORG_ID_SECONDS)
        return org.id

    async def _org(self, context: AsyncBoltContext) -> Organisation:
        org = await self._organisations.get(await self._org_id(context))
        assert org is not None
        return org

    async def _language(self, client: AsyncWebClient, user: str) -> Language:
        """The person's Slack locale: Dutch for nl-*, English otherwise; asked once per process."""
        if user not in self._languages:
            try:
                async with asyncio.timeout(LANGUAGE_LOOKUP_SECONDS):
                    info = await client.users_info(user=user, include_locale=True)
                locale = str(info["user"].get("locale", ""))
            except FAILURES as error:
                log.warning("users.info failed: %s", code(error))
                return Language.EN
            self._languages[user] = Language.NL if locale.startswith("nl") else Language.EN
        return self._languages[user]

    @staticmethod
    async def _direct_channel(client: AsyncWebClient, user: str) -> str:
        opened = await client.conversations_open(users=user)
        return str(opened["channel"]["id"])


def _slack_refusal(error: Exception) -> str | None:
    """Slack's code for a Web API call that failed (safe to log), or None for anything else."""
    return code(error) if isinstance(error, FAILURES) else None


def _user_of(body: dict[str, Any]) -> str | None:
    """Who a payload came from, if anyone: a command's, an interaction's or an event's user."""
    user = body.get("user_id") or body.get("user") or (body.get("event") or {}).get("user")
    if isinstance(user, dict):
        user = user.get("id")
    return user if isinstance(user, str) else None
