"""The advisor in Teams: each activity mapped to a neutral event, the turn run, the reply sent.

Personal chat: the scan (the answered card updated in place), results, plan, advice, questions,
tasks and the figures form. A team's channel: the project manager launches a scan for the team
(a form), follows it and closes it; everything else is said in the personal chat. Installing
the app, for a person or a team, stores the conversation's reference for later nudges.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.teams import forms
from bot.teams.campaigns import TeamLaunch, TeamsCampaigns, key_of, respondent
from bot.teams.connector import (
    Connector,
    Member,
    TeamsRefused,
    channel_of,
    tenant_of,
    zone_of,
)
from bot.teams.delivery import names_in
from bot.teams.inbound import UnknownAction, card_event
from bot.teams.render import to_activity
from dialogs import phrases
from dialogs.advisor import Advisor
from dialogs.desk import Desk, rate_note
from dialogs.events import (
    ChoiceSelected,
    Command,
    CommandInvoked,
    ConversationKey,
    Event,
    TextReceived,
)
from dialogs.messages import Paragraph, Reply
from dialogs.ports import Clock, OrganisationDirectory, PeopleDirectory, StorageError
from dialogs.records import Organisation, place
from engine.vocabulary import Language
from storage.teams import SqlaTeamsConversations

log = logging.getLogger(__name__)
CHANNEL = "teams"
LOCAL_TENANT = "local"
"""The organisation of activities without a tenant: the Bot Framework Emulator's."""
_IN_PLACE = (CommandInvoked(Command.BACK), CommandInvoked(Command.STOP))
_FORM_WORDS = frozenset({"measure", "meten"})
_CHANNEL_COMMANDS = {
    "launch": "launch",
    "lanceer": "launch",
    "lanceren": "launch",
    "start": "launch",
    "status": "status",
    "close": "close",
    "sluit": "close",
    "sluiten": "close",
}


class TeamsSurface:
    """The Bot Framework bot: `on_turn` is handed every activity the adapter authenticated."""

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
        clock: Clock,
    ) -> None:
        self._advisor = advisor
        self._people = people
        self._organisations = organisations
        self._campaigns = campaigns
        self._conversations = conversations
        self._connector = connector
        self._desk = desk
        self._clock = clock
        self._org_ids: dict[str, int] = {}
        self._known: set[tuple[int, str]] = set()
        self._background: set[asyncio.Task[None]] = set()

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        try:
            match activity.type:
                case "message":
                    await self._message(context)
                case "conversationUpdate":
                    added = activity.members_added or []
                    if any(member.id == activity.recipient.id for member in added):
                        await self._installed(context)
                case "installationUpdate":
                    # Teams sends this beside the conversationUpdate that greets: store only.
                    if (activity.action or "").startswith("remove"):
                        await self._uninstalled(context)
                    else:
                        org = await self._org(activity)
                        await self._remember(org.id, self._address(activity), context, force=True)
                case _:
                    return
        except StorageError as error:
            log.error("a Teams turn failed in storage: %s", error)
            await self._say(context, (Paragraph(phrases.FAILED(_locale(activity))),))

    async def idle(self) -> None:
        """Wait for the launches and publications still running in the background."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    # Installing

    async def _installed(self, context: TurnContext) -> None:
        org = await self._org(context.activity)
        address = self._address(context.activity)
        await self._remember(org.id, address, context, force=True)
        language = _locale(context.activity)
        if _personal(context.activity):
            user = context.activity.from_property.id
            reply = await self._advisor.overview(key_of(org.id, user), language=language)
            await self._say(context, (Paragraph(phrases.TEAMS_WELCOME(language)), *reply))
        else:
            await self._say(context, (Paragraph(phrases.TEAMS_CHANNEL_HELP(language)),))

    async def _uninstalled(self, context: TurnContext) -> None:
        org = await self._org(context.activity)
        address = self._address(context.activity)
        await self._conversations.gone(org.id, address, now=self._clock.now())
        self._known.discard((org.id, address))

    # Messages

    async def _message(self, context: TurnContext) -> None:
        activity = context.activity
        value = activity.value if isinstance(activity.value, dict) else None
        if value is not None and value.get("advisor") == forms.FORM:
            await self._form(context, await self._org(activity), value)
            return
        try:
            event = card_event(value, activity.text)
        except UnknownAction as error:
            log.warning("ignored a Teams submit: %s", error)
            return
        if event is None:
            return
        if not _personal(activity):
            org = await self._org(activity)
            await self._remember(org.id, self._address(activity), context)
            await self._in_channel(context, org, event)
            return
        user = activity.from_property.id
        key = key_of(await self._org_id(activity), user)
        await self._remember(key.org_id, respondent(user), context)
        if event == CommandInvoked(Command.MEASURE) or (
            isinstance(event, TextReceived) and event.text.strip().lower() in _FORM_WORDS
        ):
            await self._measure_form(context, key)
            return
        clicked = isinstance(event, ChoiceSelected) or event in _IN_PLACE
        reply = await self._turn(key, event, None if clicked else _locale(activity))
        if clicked and activity.reply_to_id:
            # The scan's question moves on in place, so the chat is not a stack of old cards.
            await self._update(context, activity.reply_to_id, reply)
        else:
            await self._say(context, reply, org_id=key.org_id)

    async def _turn(self, key: ConversationKey, event: Event, language: Language | None) -> Reply:
        return await self._advisor.handle(key, event, language=language)

    # The figures form

    async def _measure_form(self, context: TurnContext, key: ConversationKey) -> None:
        language = await self._advisor.language_of(key, default=_locale(context.activity))
        start, end = await self._desk.week_to_measure(key.org_id)
        metrics = await self._advisor.metrics(key.org_id)
        card = forms.measure_card(language, metrics, start, end)
        await context.send_activity(_activity(forms.form_activity(card)))

    async def _form(self, context: TurnContext, org: Organisation, value: dict[str, Any]) -> None:
        try:
            submit = forms.form_submit(value)
            if submit.cancelled:
                stopped = (Paragraph(phrases.MEASURE_STOPPED(submit.language)),)
                await self._replace(context, to_activity(stopped))
            elif submit.form is forms.Form.MEASURE:
                await self._figures(context, org, value)
            else:
                await self._launch(context, org, value)
        except forms.FormError as error:
            log.warning("ignored a malformed Teams form submit: %s", error)

    async def _figures(
        self, context: TurnContext, org: Organisation, value: dict[str, Any]
    ) -> None:
        """The week's figures: each checked, the set stored as one entry; any error shown on the
        form, sent again with what was typed (Teams has no modal to keep it open)."""
        language, start, end, typed = forms.measure_submitted(value)
        checked = forms.check_figures(language, start, end, typed)
        if isinstance(checked, dict):
            metrics = await self._advisor.metrics(org.id)
            card = forms.measure_card(language, metrics, start, end, values=typed, errors=checked)
            await self._replace(context, forms.form_activity(card))
            return
        await self._desk.record(key_of(org.id, context.activity.from_property.id), checked)
        saved = phrases.MEASURE_SAVED(language).format(
            start=start, end=end, rate=rate_note(checked, language)
        )
        await self._replace(context, to_activity((Paragraph(saved),)))

    # A team's channel

    async def _in_channel(self, context: TurnContext, org: Organisation, event: Event) -> None:
        language = _locale(context.activity)
        words = event.text.strip().lower().split() if isinstance(event, TextReceived) else []
        command = _CHANNEL_COMMANDS.get(words[0]) if words else None
        user = context.activity.from_property.id
        match command:
            case "launch":
                if not await self._campaigns.may_manage(org, user):
                    await self._say(context, (Paragraph(phrases.MANAGERS_ONLY(language)),))
                    return
                team = _team(context.activity)
                if team is None:
                    await self._say(context, (Paragraph(phrases.TEAMS_CHANNEL_HELP(language)),))
                    return
                card = forms.launch_card(
                    language, org.settings.anonymity_threshold, team_name=team[1]
                )
                await context.send_activity(_activity(forms.form_activity(card)))
            case "status":
                reply = await self._campaigns.status(org, user, language)
                await self._privately(context, org, user, reply)
            case "close":
                closed = await self._campaigns.close(org, user, language)
                await self._say(context, closed.reply)
                if closed.scan is not None:
                    # Sending the result to everyone takes longer than Teams waits.
                    self._in_background(self._campaigns.publish(org, closed.scan, closed.launch))
            case _:
                await self._say(context, (Paragraph(phrases.TEAMS_CHANNEL_HELP(language)),))

    async def _launch(self, context: TurnContext, org: Organisation, value: dict[str, Any]) -> None:
        asked = forms.launch_submitted(value)
        team = _team(context.activity)
        today = self._clock.now().date()
        errors = forms.launch_errors(asked, today)
        if team is None:
            return
        if errors:
            card = forms.launch_card(
                asked.language,
                org.settings.anonymity_threshold,
                team_name=team[1],
                values=asked,
                errors=errors,
            )
            await self._replace(context, forms.form_activity(card))
            return
        manager = Member(context.activity.from_property.id, _name(context.activity), None)
        if not await self._campaigns.may_manage(org, manager.id):
            await self._say(context, (Paragraph(phrases.MANAGERS_ONLY(asked.language)),))
            return
        launching = (Paragraph(phrases.TEAMS_LAUNCHING(asked.language)),)
        await self._replace(context, to_activity(launching))
        request = TeamLaunch(asked.deadline, int(asked.threshold), asked.report_here)
        reference = TurnContext.get_conversation_reference(context.activity).serialize()
        zone = zone_of(context.activity)

        async def launch(channel: TurnContext) -> None:
            reply = await self._campaigns.launch(
                channel, org, manager, team[0], request, asked.language, zone=zone
            )
            await channel.send_activity(_activity(to_activity(reply)))

        # Inviting a big team takes longer than Teams waits for an answer: carry on after it.
        self._in_background(self._connector.continue_in(reference, launch))

    # Sending

    async def _say(self, context: TurnContext, reply: Reply, *, org_id: int | None = None) -> None:
        names = await names_in(self._conversations, org_id, reply) if org_id is not None else {}
        await context.send_activity(_activity(to_activity(reply, names=names)))

    async def _update(self, context: TurnContext, activity_id: str, reply: Reply) -> None:
        updated = _activity(to_activity(reply))
        updated.id = activity_id
        await context.update_activity(updated)

    async def _replace(self, context: TurnContext, payload: dict[str, Any]) -> None:
        """The submitted card replaced by `payload` (a new message if Teams did not say which)."""
        activity = _activity(payload)
        if context.activity.reply_to_id:
            activity.id = context.activity.reply_to_id
            await context.update_activity(activity)
        else:
            await context.send_activity(activity)

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
            await self._connector.send(reference, [to_activity(reply, names=names)])
        except TeamsRefused as refused:
            log.warning("could not answer in a personal chat: %s", refused)
            language = _locale(context.activity)
            await self._say(context, (Paragraph(refused.failure.explanation(language)),))
            return
        await self._say(context, (Paragraph(phrases.SENT_DIRECTLY(_locale(context.activity))),))

    # Bookkeeping

    async def _org_id(self, activity: Activity) -> int:
        """The tenant's organisation, created on its first activity; one query per process."""
        key = f"{CHANNEL}:{tenant_of(activity) or LOCAL_TENANT}"
        if key not in self._org_ids:
            org = await self._organisations.ensure(key, f"Teams {key.partition(':')[2]}")
            self._org_ids[key] = org.id
        return self._org_ids[key]

    async def _org(self, activity: Activity) -> Organisation:
        org = await self._organisations.get(await self._org_id(activity))
        assert org is not None
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

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(self._logged(work))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    @staticmethod
    async def _logged(work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except Exception:
            log.exception("a Teams launch or publication failed")


def _activity(payload: dict[str, Any]) -> Activity:
    return Activity().deserialize(payload)


def _personal(activity: Activity) -> bool:
    kind = activity.conversation.conversation_type if activity.conversation else None
    return kind in (None, "personal")


def _locale(activity: Activity) -> Language:
    return Language.NL if str(activity.locale or "").lower().startswith("nl") else Language.EN


def _team(activity: Activity) -> tuple[str, str] | None:
    """The team's id and name, for an activity in a team's channel."""
    team = (activity.channel_data or {}).get("team") or {}
    return (str(team["id"]), str(team.get("name") or "")) if team.get("id") else None


def _name(activity: Activity) -> str:
    return str(activity.from_property.name or "") if activity.from_property else ""
