"""The organisation's settings in Slack: a modal for its language, threshold and report channel."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.modals import View, modal_language, settings_form, settings_modal
from bot.slack.people import CHANNEL, respondent
from dialogs import phrases
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
        language = modal_language(view)
        form = settings_form(view)
        try:
            saved = await self._campaigns.change_settings(
                org.id,
                respondent(manager),
                language=Language(form.language),
                threshold=int(form.threshold),
                report_channel=place(CHANNEL, form.report_to) if form.report_to else None,
            )
        except CampaignRefused as refused:
            return refused.reply(language)
        summary = phrases.SETTINGS_SAVED(language).format(
            language=phrases.LANGUAGE_NAME(saved.language),
            threshold=saved.anonymity_threshold,
        )
        if form.report_to is None:
            return (Paragraph(summary),)
        return (
            Paragraph(summary),
            Paragraph(phrases.SETTINGS_SAVED_REPORT(language)),
            Places((form.report_to,)),
        )
