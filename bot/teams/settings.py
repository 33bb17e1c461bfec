"""The organisation's settings in Teams: a card for the project manager, as Teams has no modal.

The card sets the language, the anonymity threshold, the channel for the monthly report, the
time zone and the calendar nudges keep to (`dialogs.calendar` reads it as typed); its save is
checked here and stored by `Campaigns.change_settings`, which alone decides who may.

Business rules:
- Only the project manager may change the settings (`Campaigns.may_manage`); anyone else is
  told so, and nothing changes.
- The report channel is one of the team channels the advisor has stored a conversation for
  (only there can it post), or none. A channel no longer among them is refused.
- A value that cannot be right brings the card back with what was typed and the error under
  its field; nothing is stored until every field is right. A calendar field sent blank (Teams
  may leave an emptied field out) is read as emptied.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.teams import phrases as teams_phrases
from bot.teams.connector import MAX_ZONE
from bot.teams.forms import (
    FORM,
    MAX_THRESHOLD,
    MIN_THRESHOLD,
    THRESHOLD,
    Form,
    FormError,
    FormSubmit,
    _card,
    _number,
    _optional_text,
    form_activity,
    form_submit,
)
from bot.teams.render import (
    ADVISOR,
    MAX_CHOICE_TITLE,
    MAX_LINE,
    MAX_TEXT,
    Element,
    _fit,
    _submit,
    _text_block,
)
from dialogs import phrases
from dialogs.calendar import FIELDS, calendar_labels, calendar_texts, read_calendar
from dialogs.campaigns import CampaignRefused, Campaigns, threshold_problem
from dialogs.messages import Paragraph, Places, Reply
from dialogs.records import Organisation, OrgSettings, place_of, zone_known
from engine.respect import Respect
from engine.vocabulary import Language
from storage.teams import SqlaTeamsConversations

ORG_LANGUAGE, REPORT, ZONE = "org_language", "report", "time_zone"
"""The card's input ids beside `THRESHOLD` and the calendar's `FIELDS` (``language`` in a
submit is the card's own)."""
HINT = "hint:"
"""Before an input's id, the name of the hint under it; the input's error goes under that."""
MAX_TYPED = 2000
"""Longer than any zone or calendar field anyone types; a longer one is refused, not read."""
NO_REPORT = "none"
"""The report channel's choice for none (nothing chosen, sent as "", means none too)."""
MAX_CHANNELS = 50
"""Channels offered at most, the first by address: more than anyone scrolls through, and the
card stays well under Teams' size limit."""


@dataclass(frozen=True)
class SettingsValues:
    """A settings card as submitted, each value as sent; `TeamsSettings.save` checks them."""

    language: Language
    """The card's language, for its texts and errors."""
    org_language: str
    threshold: str
    report: str
    """A place address, or `NO_REPORT` (or "" when nothing was chosen)."""
    time_zone: str
    calendar: Mapping[str, str]
    """Each of the calendar's `FIELDS` as typed ("" when left blank)."""


Channels = Sequence[tuple[str, str]]
"""The report channels to choose from: (place address, title), in order."""


def settings_card(
    language: Language,
    settings: OrgSettings,
    channels: Channels,
    *,
    values: SettingsValues | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The settings form, showing the organisation's settings (or `values` as typed, with
    `errors` by input id under their fields after a failed check)."""
    org_language = values.org_language if values is not None else settings.language.value
    threshold = _number(values.threshold) if values is not None else settings.anonymity_threshold
    report = values.report if values is not None else settings.report_channel or NO_REPORT
    zone = values.time_zone if values is not None else settings.time_zone
    typed = values.calendar if values is not None else calendar_texts(settings.respect, language)
    languages = [(choice.value, phrases.LANGUAGE_NAME(choice)) for choice in Language]
    language_field = _choices(
        ORG_LANGUAGE, phrases.SETTINGS_LANGUAGE(language), languages, org_language
    )
    language_field["isRequired"] = True
    language_field["errorMessage"] = phrases.LANGUAGE_UNKNOWN_CHOICE(language)
    minimum: Element = {
        "type": "Input.Number",
        "id": THRESHOLD,
        "label": _fit(phrases.LAUNCH_THRESHOLD(language), MAX_LINE),
        "min": MIN_THRESHOLD,
        "max": MAX_THRESHOLD,
        "isRequired": True,
        "errorMessage": phrases.THRESHOLD_OUT_OF_RANGE(language),
    }
    if threshold is not None:
        minimum["value"] = threshold
    places = [(NO_REPORT, teams_phrases.SETTINGS_NO_REPORT(language)), *channels]
    report_field = _choices(REPORT, phrases.SETTINGS_REPORT(language), places, report)
    intro = teams_phrases.SETTINGS_INTRO(language)
    if not channels:
        intro = f"{intro} {teams_phrases.SETTINGS_NO_CHANNELS(language)}"
    fields = [(ORG_LANGUAGE, language_field), (THRESHOLD, minimum), (REPORT, report_field)]
    zone_label = (phrases.CALENDAR_ZONE(language), phrases.CALENDAR_ZONE_HINT(language))
    fields += _typed(ZONE, zone_label, zone)
    for name, label in calendar_labels(language).items():
        fields += _typed(name, label, typed.get(name, ""))
    data = {ADVISOR: FORM, "form": Form.SETTINGS.value, "language": language.value}
    # An input's error goes under its hint, which is named after the input.
    placed = {
        (f"{HINT}{name}" if name in (ZONE, *FIELDS) else name): e
        for name, e in (errors or {}).items()
    }
    return _card(
        language,
        phrases.SETTINGS_TITLE,
        intro,
        fields,
        placed,
        _submit(phrases.SAVE(language), data, positive=True),
        Form.SETTINGS,
    )


def settings_submitted(value: Mapping[str, Any]) -> FormSubmit | SettingsValues:
    """A settings card's save as sent, or its cancel.

    Raises:
        FormError: not the settings card, or its data was tampered with.
    """
    submit = form_submit(value)
    if submit.form is not Form.SETTINGS:
        raise FormError(f"a {submit.form} submit where the settings were expected")
    if submit.cancelled:
        return submit
    return SettingsValues(
        language=submit.language,
        org_language=_optional_text(value, ORG_LANGUAGE),
        threshold=_optional_text(value, THRESHOLD),
        report=_optional_text(value, REPORT),
        time_zone=_optional_text(value, ZONE),
        calendar={name: _optional_text(value, name) for name in FIELDS},
    )


def check_settings(
    values: SettingsValues, channels: Channels, base: Respect
) -> Respect | dict[str, str]:
    """The calendar the card describes over `base`, or a message per input id that cannot be
    right, in the card's language (every one at once)."""
    errors: dict[str, str] = {}
    if values.org_language not in {choice.value for choice in Language}:
        errors[ORG_LANGUAGE] = phrases.LANGUAGE_UNKNOWN_CHOICE(values.language)
    if (problem := threshold_problem(values.threshold)) is not None:
        errors[THRESHOLD] = problem(values.language)
    if _report_to(values) not in {None, *(address for address, _ in channels)}:
        errors[REPORT] = teams_phrases.SETTINGS_CHANNEL_UNKNOWN(values.language)
    # The length first: the tz database is files, and too long a name is an OSError there.
    if len(values.time_zone) > MAX_ZONE or not zone_known(values.time_zone):
        shown = _fit(values.time_zone, MAX_LINE // 4)
        errors[ZONE] = phrases.CALENDAR_ZONE_UNKNOWN(values.language).format(zone=shown)
    too_long = {name for name, typed in values.calendar.items() if len(typed) > MAX_TYPED}
    for name in too_long:
        errors[name] = teams_phrases.SETTINGS_TOO_LONG(values.language)
    readable = {name: typed for name, typed in values.calendar.items() if name not in too_long}
    calendar = read_calendar(readable, values.language, base)
    if isinstance(calendar, dict):
        return {**errors, **calendar}
    return errors or calendar


def saved(settings: OrgSettings, language: Language, *, before: OrgSettings) -> Reply:
    """What the project manager is told once the settings are stored, in Slack's words: the
    calendar only when it or the zone changed, the report channel when there is one."""
    summary = phrases.SETTINGS_SAVED(language).format(
        language=phrases.LANGUAGE_NAME(settings.language),
        threshold=settings.anonymity_threshold,
    )
    reply: list[Paragraph | Places] = [Paragraph(summary)]
    if (settings.time_zone, settings.respect) != (before.time_zone, before.respect):
        typed = calendar_texts(settings.respect, language)
        calendar = phrases.CALENDAR_SAVED(language).format(
            working_days=typed["working_days"], hours=typed["hours"], zone=settings.time_zone
        )
        reply.append(Paragraph(calendar))
    if settings.report_channel is not None:
        reply += [
            Paragraph(phrases.SETTINGS_SAVED_REPORT(language)),
            Places((settings.report_channel,)),
        ]
    return tuple(reply)


@dataclass(frozen=True)
class Saved:
    """The settings were stored; `reply` says what they are now."""

    reply: Reply


@dataclass(frozen=True)
class Again:
    """The card to show again, with the errors in what was typed."""

    card: dict[str, Any]


@dataclass(frozen=True)
class Refused:
    """Nothing changed, and `reply` says why (someone who is not the project manager)."""

    reply: Reply


class TeamsSettings:
    """The settings card opened and saved, with the organisation's stored team channels."""

    def __init__(self, campaigns: Campaigns, conversations: SqlaTeamsConversations) -> None:
        self._campaigns = campaigns
        self._conversations = conversations

    async def may_change(self, org_id: int, respondent: str) -> bool:
        return await self._campaigns.may_manage(org_id, respondent)

    async def card(self, org: Organisation, language: Language) -> dict[str, Any]:
        """The settings card as an activity, showing the organisation's settings now."""
        channels = await self.channels(org, language)
        return form_activity(settings_card(language, org.settings, channels))

    async def save(
        self, org: Organisation, respondent: str, values: SettingsValues
    ) -> Saved | Again | Refused:
        """Store what the card says, if `respondent` may and every value is right."""
        language = values.language
        if not await self.may_change(org.id, respondent):
            return Refused((Paragraph(phrases.MANAGERS_ONLY(language)),))
        channels = await self.channels(org, language)
        calendar = check_settings(values, channels, org.settings.respect)
        if isinstance(calendar, dict):
            card = settings_card(language, org.settings, channels, values=values, errors=calendar)
            return Again(form_activity(card))
        try:
            stored = await self._campaigns.change_settings(
                org.id,
                respondent,
                language=Language(values.org_language),
                threshold=int(values.threshold),
                report_channel=_report_to(values),
                time_zone=values.time_zone,
                respect=calendar,
            )
        except CampaignRefused as refused:
            return Refused(refused.reply(language))
        return Saved(saved(stored, language, before=org.settings))

    async def channels(self, org: Organisation, language: Language) -> list[tuple[str, str]]:
        """The team channels the advisor can post in, and the one set now even if it can no
        longer (so the card shows what is set), each titled by its team's name (never by its
        id, which means nothing to a person)."""
        addresses = [
            address
            for address in await self._conversations.addresses(org.id)
            if place_of(address) is not None
        ][:MAX_CHANNELS]
        current = org.settings.report_channel
        if current is not None and current not in addresses:
            addresses.append(current)
        names = await self._conversations.names(org.id, addresses)
        unnamed = teams_phrases.SETTINGS_UNNAMED_CHANNEL(language)
        titles = [names.get(address, unnamed) for address in addresses]
        return list(zip(addresses, _told_apart(titles), strict=True))


def _report_to(values: SettingsValues) -> str | None:
    return None if values.report in (NO_REPORT, "") else values.report


def _typed(name: str, label: tuple[str, str], value: str) -> list[tuple[str, Element]]:
    """A text input with its label, the value shown, and its hint under it (named
    `HINT` + `name`, so an error comes after the hint)."""
    field: Element = {
        "type": "Input.Text",
        "id": name,
        "label": _fit(label[0], MAX_LINE),
        "value": value[:MAX_TYPED],
        "maxLength": MAX_TYPED,
    }
    hint = _text_block(_fit(label[1], MAX_TEXT), subtle=True, spacing="Small")
    return [(name, field), (f"{HINT}{name}", hint)]


def _choices(input_id: str, label: str, choices: Sequence[tuple[str, str]], value: str) -> Element:
    """A compact choice of one, with `value` chosen if it is one of them."""
    field: Element = {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "label": _fit(label, MAX_LINE),
        "style": "compact",
        "wrap": True,
        "choices": [
            {"title": _fit(title, MAX_CHOICE_TITLE), "value": choice} for choice, title in choices
        ],
    }
    if value in {choice for choice, _ in choices}:
        field["value"] = value
    return field


def _told_apart(titles: list[str]) -> list[str]:
    """Titles numbered where several are the same (a team's channels all carry its name)."""
    counts = Counter(titles)
    seen: Counter[str] = Counter()
    numbered = []
    for title in titles:
        seen[title] += 1
        numbered.append(f"{title} ({seen[title]})" if counts[title] > 1 else title)
    return numbered
