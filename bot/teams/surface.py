"""The advisor in Teams: each activity mapped to a neutral event, the turn run, the reply sent.

Personal chat: the scan (the answered card updated in place), results, plan, advice, questions,
tasks, the figures form, the organisation's settings (a card for the project manager, as Teams
has no modal), the overview ('home', also shown when a person installs the app), and files (a
person's data, the organisation's export) by Teams' file consent: a card per file, the file made
afresh and uploaded when the person allows it. A team's channel: the project manager launches a
scan for the team (a form), follows it, closes it and may open the settings; everything else is
said in the personal chat. Installing the app, for a person or a team, stores the conversation's
reference for later nudges.

Business rules:
- What an activity changes is stored before Teams gets its answer; only sending invitations
  and publishing a result carry on after it (they take longer than Teams waits).
- An activity is handled once: Teams may deliver it again when it thinks the first delivery
  failed. A turn is saved with the activity's key; any other activity's work is idempotent or
  refused the second time, and only the delivery that first records the key says anything.
- An organisation is made by an installation: with authentication, by any activity from its
  tenant (the Bot Connector delivers only where the app is installed); without (the Emulator),
  only by the app being added to a conversation.
- A failure tells the person something went wrong, with a reference that the log's one line
  about it also carries.
- A file is offered, never kept: the consent card names it, and allowing it makes it again for
  whoever pressed, through the same command, so only what they may have now is uploaded. In a
  team's channel the reply says that files come in the personal chat.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import weakref
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.background import Background
from bot.failures import log_failure
from bot.teams import forms, home
from bot.teams import phrases as teams_phrases
from bot.teams.campaigns import Launched, TeamLaunch, TeamsCampaigns, respondent
from bot.teams.connector import (
    Connector,
    Member,
    TeamsFailed,
    UploadFailed,
    channel_of,
    tenant_of,
    upload,
    zone_of,
)
from bot.teams.delivery import attachments, names_in
from bot.teams.inbound import FileConsent, Said, Upload
from bot.teams.render import (
    MY_DATA,
    consent_activities,
    documents,
    file_info_activity,
    to_activity,
)
from bot.teams.settings import Again, Refused, Saved, SettingsValues, TeamsSettings
from dialogs import figures_flow, phrases
from dialogs.advisor import Advisor
from dialogs.audit import Leaving
from dialogs.campaigns import conversation
from dialogs.commands import Manage, Managing, managing, parse
from dialogs.desk import Desk
from dialogs.events import (
    ChoiceSelected,
    Command,
    CommandInvoked,
    ConversationKey,
    Event,
    TextReceived,
)
from dialogs.messages import File, Heading, Paragraph, Reply
from dialogs.ports import Clock, EventLog, OrganisationDirectory, PeopleDirectory
from dialogs.records import Organisation, place
from engine.text import Text
from engine.vocabulary import Language
from storage.teams import SqlaTeamsConversations

log = logging.getLogger(__name__)
CHANNEL = "teams"
LOCAL_TENANT = "local"
"""The organisation of activities without a tenant: the Bot Framework Emulator's."""
MAX_NAME = 200
"""A display name as stored; Teams' are far shorter."""
_IN_PLACE = (CommandInvoked(Command.BACK), CommandInvoked(Command.STOP))
_FILE_COMMANDS = (CommandInvoked(Command.MY_DATA), CommandInvoked(Command.EXPORT))
"""What hands out files, which a team's channel cannot be offered."""
FILE_CONSENT_INVOKE = "fileConsent/invoke"
"""The invoke Teams sends when someone allows or declines a file consent card."""
Send = Callable[[], Awaitable[None]]
"""One thing to tell Teams, once the activity is known to be handled for the first time."""


def delivery_key(activity: Activity) -> str | None:
    """The key an activity is handled once by; None if it has no id.

    Teams numbers messages by the millisecond within a conversation, so two people's messages
    can share an id: the key names the conversation too (hashed, as ids can be long).
    """
    if not activity.id:
        return None
    named = f"{activity.conversation.id}\n{activity.id}".encode()
    return f"{CHANNEL}:{hashlib.sha256(named).hexdigest()[:40]}"


class TeamsSurface:
    """The Bot Framework bot: `on_turn` is handed every activity the door let in."""

    def __init__(
        self,
        *,
        advisor: Advisor,
        organisations: OrganisationDirectory,
        campaigns: TeamsCampaigns,
        conversations: SqlaTeamsConversations,
        connector: Connector,
        desk: Desk,
        people: PeopleDirectory,
        events: EventLog,
        clock: Clock,
        authenticated: bool,
        leaving: Leaving | None = None,
    ) -> None:
        self._advisor = advisor
        self._people = people
        self._organisations = organisations
        self._campaigns = campaigns
        self._runner = campaigns.runner
        self._conversations = conversations
        self._connector = connector
        self._desk = desk
        self._events = events
        self._clock = clock
        self._authenticated = authenticated
        self._leaving = leaving
        self._settings = TeamsSettings(self._runner.campaigns, conversations)
        self._org_ids: dict[str, int] = {}
        self._known: set[tuple[int, str]] = set()
        self._in_hand: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._background = Background(log, "a Teams launch or publication")

    async def on_turn(self, context: TurnContext, said: Said) -> None:
        """Handle one activity and what `inbound.said` read in it."""
        once = delivery_key(context.activity)
        if once is None:
            await self._handled(context, said, None)
            return
        # Teams gave up waiting and sent it again: this copy waits for the first, so its 200
        # never comes before the first is stored, and then finds it handled (or, if the first
        # failed, does the work itself).
        async with self._in_hand.setdefault(once, asyncio.Lock()):
            await self._handled(context, said, once)

    async def _handled(self, context: TurnContext, said: Said, once: str | None) -> None:
        try:
            await self._dispatch(context, said, once)
        except Exception as error:
            await self._failed(context, error)

    async def idle(self) -> None:
        """Wait for the launches and publications still running in the background."""
        await self._background.idle()

    async def _dispatch(self, context: TurnContext, said: Said, once: str | None) -> None:
        activity = context.activity
        match activity.type:
            case "message" if said is not None and not isinstance(said, FileConsent):
                await self._message(context, said, once)
            case "invoke" if isinstance(said, FileConsent) and activity.name == FILE_CONSENT_INVOKE:
                await self._file_consent(context, said, once)
            case "invoke":
                await _invoked(context, 400)  # a consent's answer under another invoke's name
            case "conversationUpdate" if any(
                member.id == activity.recipient.id for member in activity.members_added or []
            ):
                await self._answer(once, await self._installed(context))
            case "installationUpdate" if (activity.action or "").startswith("remove"):
                await self._uninstalled(context)
            case "installationUpdate":
                # Teams sends this beside the conversationUpdate that greets: store only.
                org = await self._org(activity, install=True)
                if org is not None:
                    await self._remember(org.id, self._address(activity), context, force=True)

    async def _failed(self, context: TurnContext, error: Exception) -> None:
        reference = log_failure(log, "a Teams turn", error)
        if context.activity.type == "invoke":
            await _invoked(context)  # the person is told; asking again would fail the same way
        failed = phrases.FAILED_WITH_REFERENCE(_locale(context.activity))
        try:
            await self._say(context, (Paragraph(failed.format(reference=reference)),))
        except Exception as unsent:
            log.warning("could not tell of failure %s: %s", reference, type(unsent).__name__)

    async def _answer(self, once: str | None, sends: Sequence[Send]) -> None:
        """Tell Teams what the activity's work decided, unless the activity was handled before:
        its work has then run again without effect (idempotent, or refused), and only the
        delivery that first records the key speaks."""
        if not sends:
            return
        if once is not None and not await self._events.first_seen(
            CHANNEL, once, now=self._clock.now()
        ):
            log.info("a Teams activity delivered again after it was handled: nothing sent")
            return
        for send in sends:
            await send()

    # Installing

    async def _installed(self, context: TurnContext) -> list[Send]:
        # Asked again, not cached: the organisation may have been erased since it left.
        self._org_ids.pop(f"{CHANNEL}:{tenant_of(context.activity) or LOCAL_TENANT}", None)
        org = await self._org(context.activity, install=True)
        assert org is not None
        address = self._address(context.activity)
        await self._remember(org.id, address, context, force=True)
        if self._leaving is not None:
            await self._leaving.stay(org.id, now=self._clock.now())
        language = _locale(context.activity)
        if not _personal(context.activity):
            return [self._saying(context, (Paragraph(teams_phrases.CHANNEL_HELP(language)),))]
        user = context.activity.from_property.id
        key = conversation(org.id, respondent(user))
        return [await self._home(context, org, key, welcome=True)]

    async def _uninstalled(self, context: TurnContext) -> None:
        org_id = await self._org_id(context.activity, install=False)
        if org_id is None:
            return
        address = self._address(context.activity)
        now = self._clock.now()
        await self._conversations.gone(org_id, address, now=now)
        self._known.discard((org_id, address))
        # Removed from its last person and team: the organisation leaves (erased after the
        # grace period unless the app is installed again).
        if self._leaving is not None and not await self._conversations.addresses(org_id):
            await self._leaving.mark(org_id, now=now, reason="teams installationUpdate remove")

    # Messages

    async def _message(
        self,
        context: TurnContext,
        said: Event | forms.Submission | SettingsValues,
        once: str | None,
    ) -> None:
        activity = context.activity
        org_id = await self._org_id(activity, install=False)
        if org_id is None:
            unknown = (Paragraph(teams_phrases.NOT_INSTALLED(_locale(activity))),)
            await self._answer(once, [self._saying(context, unknown)])
            return
        if isinstance(said, forms.Submission | SettingsValues):
            await self._answer(once, await self._form(context, await self._org_of(org_id), said))
            return
        if not _personal(activity):
            org = await self._org_of(org_id)
            await self._remember(org.id, self._address(activity), context)
            await self._answer(once, await self._in_channel(context, org, said))
            return
        user = activity.from_property.id
        key = conversation(org_id, respondent(user))
        await self._remember(org_id, respondent(user), context)
        measure = parse(said.text) if isinstance(said, TextReceived) else said
        if isinstance(measure, CommandInvoked) and measure.command is Command.MEASURE:
            await self._answer(once, [await self._measure_form(context, key, measure.argument)])
            return
        if isinstance(said, TextReceived) and managing(said.text) == Manage(Managing.SETTINGS):
            # Teams has no modal: the settings come as a card in the person's own chat.
            language = await self._advisor.language_of(key, default=_locale(activity))
            await self._answer(once, [await self._settings_card(context, org_id, language)])
            return
        if isinstance(said, TextReceived) and home.asks_for_home(said.text):
            org = await self._org_of(org_id)
            await self._answer(once, [await self._home(context, org, key, welcome=False)])
            return
        await self._turn(context, key, said, once)

    async def _turn(
        self, context: TurnContext, key: ConversationKey, event: Event, once: str | None
    ) -> None:
        activity = context.activity
        clicked = isinstance(event, ChoiceSelected) or event in _IN_PLACE
        language = None if clicked else _locale(activity)
        reply = await self._advisor.handle(key, event, language=language, once=once)
        if not reply:
            return  # handled before: Teams delivered it again
        if clicked and activity.reply_to_id:
            # The scan's question moves on in place, so the chat is not a stack of old cards.
            await self._update(context, activity.reply_to_id, reply)
            for beside in self._beside(context, reply):
                await self._send(context, _activity(beside))
        else:
            await self._say(context, reply, org_id=key.org_id)

    # Files

    async def _file_consent(
        self, context: TurnContext, said: FileConsent, once: str | None
    ) -> None:
        """A file consent card answered. Allowed: the file made afresh for whoever pressed,
        by the command that offered it (so a person no longer the manager gets no export),
        put into the upload session Teams named, and shown; declined: nothing."""
        await _invoked(context)  # Teams has its answer with the turn's, whatever follows
        activity = context.activity
        org_id = await self._org_id(activity, install=False)
        if org_id is None:
            await self._say(context, (Paragraph(teams_phrases.NOT_INSTALLED(_locale(activity))),))
            return
        if said.upload is None or not _personal(activity):
            return  # declined (Teams sends consent only in personal chats)
        key = conversation(org_id, respondent(activity.from_property.id))
        await self._remember(org_id, key.respondent, context)
        command = Command.MY_DATA if said.kind == MY_DATA else Command.EXPORT
        reply = await self._advisor.handle(key, CommandInvoked(command), once=once)
        if not reply:
            return  # handled before: Teams delivered it again
        language = await self._advisor.language_of(key, default=_locale(activity))
        made = next((block for block in documents(reply) if block.name == said.name), None)
        if made is None:
            # Not theirs any more (no longer the manager), or no longer made: say which.
            why = (Paragraph(teams_phrases.FILE_GONE(language)),) if documents(reply) else reply
            await self._say(
                context, (Paragraph(teams_phrases.FILE_NOT_YOURS(language)), *why), org_id=org_id
            )
            return
        await self._upload(context, made, said.upload, language)

    async def _upload(
        self, context: TurnContext, made: File, where: Upload, language: Language
    ) -> None:
        try:
            if not _may_upload_to(where.url, context.activity.service_url):
                raise UploadFailed("not_https")
            await upload(where.url, made.content)
        except UploadFailed as failed:
            log.warning("a file did not reach its Teams upload session: %s", failed.detail)
            await self._say(context, (Paragraph(teams_phrases.FILE_UPLOAD_FAILED(language)),))
            return
        shown = file_info_activity(
            name=where.name,
            content_url=where.content_url,
            unique_id=where.unique_id,
            file_type=where.file_type,
        )
        await self._send(context, _activity(shown))

    def _beside(self, context: TurnContext, reply: Reply) -> list[dict[str, Any]]:
        """What goes after a reply's card: its pictures, and in a personal chat a consent card
        for each of its other files."""
        return [
            *attachments(reply),
            *(consent_activities(reply) if _personal(context.activity) else []),
        ]

    # The figures form

    async def _measure_form(self, context: TurnContext, key: ConversationKey, named: str) -> Send:
        """The figures card for the week `named` (else last week), with its figures if it has
        them; or why that week cannot be measured."""
        language = await self._advisor.language_of(key, default=_locale(context.activity))
        latest, _ = await self._desk.week_to_measure(key.org_id)
        monday = figures_flow.form_week(named, latest)
        if isinstance(monday, Text):
            return self._saying(context, (Paragraph(monday(language)),))
        metrics = await self._advisor.metrics(key.org_id)
        recorded = await self._desk.recorded(key.org_id, monday)
        weeks = figures_flow.recent_weeks(latest, monday)
        card = forms.measure_card(language, metrics, weeks, monday, recorded=recorded)
        return self._sending(context, forms.form_activity(card))

    async def _form(
        self,
        context: TurnContext,
        org: Organisation,
        submitted: forms.Submission | SettingsValues,
    ) -> list[Send]:
        match submitted:
            case forms.FormSubmit(form=forms.Form.SETTINGS, language=language):
                unchanged = (Paragraph(teams_phrases.SETTINGS_UNCHANGED(language)),)
                return [self._replacing(context, to_activity(unchanged))]
            case forms.FormSubmit(language=language):
                stopped = (Paragraph(phrases.MEASURE_STOPPED(language)),)
                return [self._replacing(context, to_activity(stopped))]
            case forms.FiguresValues():
                return [await self._figures(context, org, submitted)]
            case forms.LaunchValues():
                return await self._launch(context, org, submitted)
            case SettingsValues():
                return [await self._settings_saved(context, org, submitted)]

    async def _figures(
        self, context: TurnContext, org: Organisation, submitted: forms.FiguresValues
    ) -> Send:
        """The week's figures: each checked, the set stored as one entry; any problem shown on
        the form, sent again with what was typed (Teams has no modal to keep it open)."""
        language = submitted.language
        latest, _ = await self._desk.week_to_measure(org.id)
        checked = forms.check_figures(submitted, latest)
        if isinstance(checked, figures_flow.FormProblems):
            metrics = await self._advisor.metrics(org.id)
            chosen = figures_flow.form_week(submitted.week, latest)
            monday = latest if isinstance(chosen, Text) else chosen
            weeks = figures_flow.recent_weeks(latest, monday)
            card = forms.measure_card(
                language, metrics, weeks, monday, values=submitted.typed, problems=checked
            )
            return self._replacing(context, forms.form_activity(card))
        # Figures for a week replace its earlier ones: recording them again changes nothing.
        await self._desk.record(
            conversation(org.id, respondent(context.activity.from_property.id)), checked
        )
        saved = figures_flow.saved_text(checked, language)
        return self._replacing(context, to_activity((Paragraph(saved),)))

    # The organisation's settings, and the overview

    async def _settings_card(self, context: TurnContext, org_id: int, language: Language) -> Send:
        """The settings card for the project manager; for anyone else, that only they may."""
        user = respondent(context.activity.from_property.id)
        if not await self._settings.may_change(org_id, user):
            return self._saying(context, (Paragraph(phrases.MANAGERS_ONLY(language)),))
        card = await self._settings.card(await self._org_of(org_id), language)
        return self._sending(context, card)

    async def _settings_saved(
        self, context: TurnContext, org: Organisation, submitted: SettingsValues
    ) -> Send:
        """The card replaced by what was saved, or shown again with its errors; a refusal is
        said beside it, so the card stays for whoever may use it."""
        user = respondent(context.activity.from_property.id)
        match await self._settings.save(org, user, submitted):
            case Saved(reply=reply):
                names = await names_in(self._conversations, org.id, reply)
                saved = to_activity(reply, names=names, language=submitted.language)
                return self._replacing(context, saved)
            case Again(card=card):
                return self._replacing(context, card)
            case Refused(reply=reply):
                return self._saying(context, reply)

    async def _home(
        self, context: TurnContext, org: Organisation, key: ConversationKey, *, welcome: bool
    ) -> Send:
        """The overview card under its title (the welcome, for someone who just installed the
        app), all in the person's language: the project manager's part, what everyone sees,
        and buttons for the next steps (the settings for whoever may change them)."""
        language = await self._advisor.language_of(key, default=_locale(context.activity))
        top = (
            Paragraph(teams_phrases.WELCOME(language))
            if welcome
            else Heading(teams_phrases.HOME_TITLE(language))
        )
        user = key.respondent
        managing = await self._runner.manager_home(org, user, language)
        overview = await self._advisor.overview(key, language=language)
        reply = (top, *managing, *overview)
        manager = await self._settings.may_change(org.id, user)
        names = await names_in(self._conversations, org.id, reply)
        card = home.home_activity(reply, language, manager=manager, names=names)

        async def send() -> None:
            await self._send(context, _activity(card))
            for beside in self._beside(context, reply):
                await self._send(context, _activity(beside))

        return send

    # A team's channel

    async def _in_channel(
        self, context: TurnContext, org: Organisation, event: Event
    ) -> list[Send]:
        language = _locale(context.activity)
        asked = managing(event.text) if isinstance(event, TextReceived) else None
        command = asked.action if asked is not None else None
        user = context.activity.from_property.id
        match command:
            case Managing.LAUNCH:
                if not await self._runner.campaigns.may_manage(org.id, respondent(user)):
                    return [self._saying(context, (Paragraph(phrases.MANAGERS_ONLY(language)),))]
                team = _team(context.activity)
                if team is None:
                    return [
                        self._saying(context, (Paragraph(teams_phrases.CHANNEL_HELP(language)),))
                    ]
                card = forms.launch_card(
                    language, org.settings.anonymity_threshold, team_name=team[1]
                )
                return [self._sending(context, forms.form_activity(card))]
            case Managing.SETTINGS:
                return [await self._settings_card(context, org.id, language)]
            case Managing.STATUS:
                reply = await self._runner.campaigns.status_view(org.id, respondent(user), language)
                return [lambda: self._privately(context, org, user, reply)]
            case Managing.CLOSE:
                closed = await self._runner.close(org, respondent(user), language)
                sends = [self._saying(context, closed.reply)]
                if closed.scan is not None:
                    # Sending the result to everyone takes longer than Teams waits.
                    publishing = self._runner.publish(
                        org,
                        closed.scan,
                        closed.launch,
                        self._campaigns.publisher(),
                        closed_by=respondent(user),
                    )
                    sends.append(self._starting(publishing))
                return sends
            case _ if isinstance(event, TextReceived) and parse(event.text) in _FILE_COMMANDS:
                # Teams offers files in personal chats only; these commands are personal anyway.
                files = teams_phrases.FILES_IN_PERSONAL_CHAT(language)
                return [self._saying(context, (Paragraph(files),))]
            case _:
                return [self._saying(context, (Paragraph(teams_phrases.CHANNEL_HELP(language)),))]

    async def _launch(
        self, context: TurnContext, org: Organisation, asked: forms.LaunchValues
    ) -> list[Send]:
        """The launch stored (the roster read, the scan opened, everyone's invitation recorded)
        before Teams has its answer; the invitations go out after it."""
        team = _team(context.activity)
        if team is None:
            return []
        errors = forms.launch_errors(asked, self._clock.now().date())
        if errors:
            card = forms.launch_card(
                asked.language,
                org.settings.anonymity_threshold,
                team_name=team[1],
                values=asked,
                errors=errors,
            )
            return [self._replacing(context, forms.form_activity(card))]
        manager = Member(context.activity.from_property.id, _name(context.activity), None)
        if not await self._runner.campaigns.may_manage(org.id, respondent(manager.id)):
            return [self._saying(context, (Paragraph(phrases.MANAGERS_ONLY(asked.language)),))]
        request = TeamLaunch(asked.deadline, int(asked.threshold), asked.report_here)
        launched = await self._campaigns.launch(
            context, org, manager, team[0], request, asked.language, zone=zone_of(context.activity)
        )
        if not isinstance(launched, Launched):
            return [self._replacing(context, to_activity(launched))]
        reference = TurnContext.get_conversation_reference(context.activity).serialize()

        async def invite(channel: TurnContext) -> None:
            try:
                summary = await self._campaigns.invite(channel, org, launched, asked.language)
            except Exception as error:
                failure = log_failure(log, "inviting a team", error)
                failed = phrases.FAILED_WITH_REFERENCE(asked.language)
                summary = (Paragraph(failed.format(reference=failure)),)
            await self._send(channel, _activity(to_activity(summary)))

        return [
            self._replacing(context, to_activity(launched.reply(asked.language))),
            # Inviting a big team takes longer than Teams waits for an answer: carry on after it.
            self._starting(self._connector.continue_in(reference, invite)),
        ]

    # Sending

    def _saying(self, context: TurnContext, reply: Reply) -> Send:
        return lambda: self._say(context, reply)

    def _sending(self, context: TurnContext, payload: dict[str, Any]) -> Send:
        return lambda: self._send(context, _activity(payload))

    def _replacing(self, context: TurnContext, payload: dict[str, Any]) -> Send:
        return lambda: self._replace(context, payload)

    def _starting(self, work: Coroutine[Any, Any, None]) -> Send:
        async def start() -> None:
            self._background.start(work)

        return start

    async def _say(self, context: TurnContext, reply: Reply, *, org_id: int | None = None) -> None:
        """The reply's card, then its pictures and files (see `_beside`)."""
        if documents(reply) and not _personal(context.activity):
            note = teams_phrases.FILES_IN_PERSONAL_CHAT(_locale(context.activity))
            reply = (*reply, Paragraph(note))
        names = await names_in(self._conversations, org_id, reply) if org_id is not None else {}
        await self._send(
            context, _activity(to_activity(reply, names=names, language=_locale(context.activity)))
        )
        for beside in self._beside(context, reply):
            await self._send(context, _activity(beside))

    async def _send(self, context: TurnContext, activity: Activity) -> None:
        await self._connector.patiently(
            lambda: context.send_activity(activity), method="send_activity"
        )

    async def _update(self, context: TurnContext, activity_id: str, reply: Reply) -> None:
        updated = _activity(to_activity(reply))
        updated.id = activity_id
        await self._connector.patiently(
            lambda: context.update_activity(updated), method="update_activity"
        )

    async def _replace(self, context: TurnContext, payload: dict[str, Any]) -> None:
        """The submitted card replaced by `payload` (a new message if Teams did not say which)."""
        if not context.activity.reply_to_id:
            await self._send(context, _activity(payload))
            return
        activity = _activity(payload)
        activity.id = context.activity.reply_to_id
        await self._connector.patiently(
            lambda: context.update_activity(activity), method="update_activity"
        )

    async def _privately(
        self, context: TurnContext, org: Organisation, user: str, reply: Reply
    ) -> None:
        """Say `reply` to `user` in their personal chat, and in the channel that it was sent."""
        member = Member(user, _name(context.activity), None)
        try:
            reference = await self._connector.personal(context, member)
            await self._conversations.remember(
                org.id, respondent(user), reference, name=member.name, now=self._clock.now()
            )
            names = await names_in(self._conversations, org.id, reply)
            await self._connector.send(
                reference, [to_activity(reply, names=names, language=_locale(context.activity))]
            )
        except TeamsFailed as refused:
            log.warning("could not answer in a personal chat: %s", refused)
            language = _locale(context.activity)
            await self._say(context, (Paragraph(refused.failure.explanation(language)),))
            return
        await self._say(context, (Paragraph(phrases.SENT_DIRECTLY(_locale(context.activity))),))

    # Bookkeeping

    async def _org_id(self, activity: Activity, *, install: bool) -> int | None:
        """The tenant's organisation, made if `install` or authenticated; one query a process.

        None: unknown, and this activity may not make it (the Emulator's, before an install).
        """
        key = f"{CHANNEL}:{tenant_of(activity) or LOCAL_TENANT}"
        if key not in self._org_ids:
            if install or self._authenticated:
                org = await self._organisations.ensure(key, f"Teams {key.partition(':')[2]}")
            else:
                found = await self._organisations.find(key)
                if found is None:
                    return None
                org = found
            self._org_ids[key] = org.id
        return self._org_ids[key]

    async def _org(self, activity: Activity, *, install: bool) -> Organisation | None:
        org_id = await self._org_id(activity, install=install)
        return None if org_id is None else await self._org_of(org_id)

    async def _org_of(self, org_id: int) -> Organisation:
        org = await self._organisations.get(org_id)
        if org is None:
            raise LookupError(f"no organisation with id {org_id}")
        return org

    def _address(self, activity: Activity) -> str:
        if _personal(activity):
            return respondent(activity.from_property.id)
        return place(CHANNEL, channel_of(activity))

    async def _remember(
        self, org_id: int, address: str, context: TurnContext, *, force: bool = False
    ) -> None:
        """Store where to reach this person (and their time zone) or channel later; once per
        process unless forced (an install), so a click costs no write."""
        if not force and (org_id, address) in self._known:
            return
        activity = context.activity
        reference = TurnContext.get_conversation_reference(activity).serialize()
        if not _personal(activity):
            # The channel, not the thread this message is in: later posts start threads of
            # their own.
            reference["conversation"]["id"] = channel_of(activity)
        team = _team(activity)
        name = team[1] if team and not _personal(activity) else _name(activity)
        await self._conversations.remember(
            org_id, address, reference, name=name, now=self._clock.now()
        )
        zone = zone_of(activity) if _personal(activity) else None
        if zone is not None:
            # Nudges and reminders come at the person's own hour; Teams' roster has no zone.
            await self._people.set_zone(org_id, address, zone)
        self._known.add((org_id, address))


def _activity(payload: dict[str, Any]) -> Activity:
    return Activity().deserialize(payload)


async def _invoked(context: TurnContext, status: int = 200) -> None:
    """The answer Teams gets to an invoke: the adapter returns it once the turn is done."""
    answer = Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=status))
    await context.send_activity(answer)


def _may_upload_to(url: str, service_url: str | None) -> bool:
    """A person's file goes to an https upload session, or to where the activity came from
    (a Bot Connector on this machine, in tests and the Emulator)."""
    if url.startswith("https://"):
        return True
    origin = (service_url or "").rstrip("/")
    return bool(origin) and (url == origin or url.startswith(f"{origin}/"))


def _personal(activity: Activity) -> bool:
    kind = activity.conversation.conversation_type if activity.conversation else None
    return kind in (None, "personal")


def _locale(activity: Activity) -> Language:
    return Language.NL if str(activity.locale or "").lower().startswith("nl") else Language.EN


def _team(activity: Activity) -> tuple[str, str] | None:
    """The team's id and name, for an activity in a team's channel."""
    team = (activity.channel_data or {}).get("team") or {}
    name = str(team.get("name") or "")[:MAX_NAME]
    return (str(team["id"]), name) if team.get("id") else None


def _name(activity: Activity) -> str:
    return str(activity.from_property.name or "")[:MAX_NAME] if activity.from_property else ""
