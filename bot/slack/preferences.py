"""The organisation's settings in Slack: a modal for its language, threshold, report channel,
time zone and calendar."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.modals import View, modal_language, settings_form, settings_modal
from bot.slack.people import CHANNEL, respondent
from dialogs import phrases
from dialogs.calendar import calendar_texts, read_calendar
from dialogs.campaigns import CampaignRefused, Campaigns
from dialogs.messages import Paragraph, Places, Reply
from dialogs.records import Organisation, place
from engine.vocabulary import Language


class SlackSettings:
    def __init__(self, campaigns: Campaigns) -> None:
        self._campaigns = campaigns

    async def open(
        self, client: AsyncWebClient, trigger_id: str, org: Organisation, language: Language
    ) -> None:
        await client.views_open(trigger_id=trigger_id, view=settings_modal(language, org.settings))

    async def save(self, org: Organisation, manager: str, view: View) -> Reply:
        """Save a submitted settings modal (its fields were checked by `settings_errors`)."""
        language = modal_language(view)
        form = settings_form(view)
        calendar = read_calendar(form.calendar, language, org.settings.respect)
        if isinstance(calendar, dict):
            return tuple(Paragraph(problem) for problem in calendar.values())
        try:
            saved = await self._campaigns.change_settings(
                org.id,
                respondent(manager),
                language=Language(form.language),
                threshold=int(form.threshold),
                report_channel=place(CHANNEL, form.report_to) if form.report_to else None,
                time_zone=form.zone,
                respect=calendar,
            )
        except CampaignRefused as refused:
            return refused.reply(language)
        summary = phrases.SETTINGS_SAVED(language).format(
            language=phrases.LANGUAGE_NAME(saved.language),
            threshold=saved.anonymity_threshold,
        )
        reply: list[Paragraph | Places] = [Paragraph(summary)]
        if saved.time_zone != org.settings.time_zone or saved.respect != org.settings.respect:
            typed = calendar_texts(saved.respect, language)
            reply.append(
                Paragraph(
                    phrases.CALENDAR_SAVED(language).format(
                        working_days=typed["working_days"],
                        hours=typed["hours"],
                        zone=saved.time_zone,
                    )
                )
            )
        if form.report_to is not None:
            reply += [Paragraph(phrases.SETTINGS_SAVED_REPORT(language)), Places((form.report_to,))]
        return tuple(reply)
