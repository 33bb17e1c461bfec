"""Activities shaped as Teams posts them to a bot (JSON dicts, camelCase), for end-to-end tests.

A person is a roster entry from `teams_member`; a team is what `FakeConnector.add_team`
returns. Without a team an activity is from the person's 1:1 chat with the bot; with one it
is from a channel of that team (the General channel unless `channel_id` is given).

Shapes follow what Teams sends: a channel post is its own thread, so its conversation id is
``<channel>;messageid=<post id>``; a channel message starts with the bot's ``<at>`` mention and
carries a mention entity and an HTML rendition; an Action.Submit arrives as a message with a
``value`` and no text; installing sends both a conversationUpdate (the bot among
``membersAdded``) and an installationUpdate, in no promised order; answering a file consent
card is an ``invoke`` named ``fileConsent/invoke`` in the personal chat, its value the card's
context and, when allowed, where to upload the file.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from tests.fakes.bot_connector import TENANT_ID, personal_conversation_id, teams_member

Json = dict[str, Any]

BOT_APP_ID = "5f2d1c3a-8e4b-4b7a-9c2e-1a6d3f0b9e47"
BOT_NAME = "Advisor"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
USER = teams_member("Sanne de Vries")
AT = datetime(2024, 3, 21, 9, 30, 12, 345000, tzinfo=UTC)
TIMEZONE = "Europe/Amsterdam"
_SEQUENCE = itertools.count(1)


class Installation(NamedTuple):
    """The two activities Teams sends when the bot is installed."""

    conversation_update: Json
    installation_update: Json


def bot_account(app_id: str = BOT_APP_ID, name: str = BOT_NAME) -> Json:
    """The bot as Teams names it in ``recipient`` and ``membersAdded``: ``28:<app id>``."""
    return {"id": f"28:{app_id}", "name": name}


def message(
    text: str,
    *,
    user: Mapping[str, Any] = USER,
    team: Mapping[str, Any] | None = None,
    channel_id: str | None = None,
    conversation_id: str | None = None,
    service_url: str = SERVICE_URL,
    tenant_id: str = TENANT_ID,
    locale: str = "nl-NL",
    at: datetime = AT,
    activity_id: str | None = None,
    bot_app_id: str = BOT_APP_ID,
    bot_name: str = BOT_NAME,
) -> Json:
    """Someone writes to the bot: in their 1:1 chat, or in a channel with an @mention.

    In a channel the text Teams delivers starts with ``<at>{bot_name}</at> ``; `text` is what
    follows the mention. A new channel post is its own thread unless `conversation_id` names
    the thread replied in.
    """
    activity_id = activity_id or _message_id(at)
    activity = _activity(
        "message",
        activity_id=activity_id,
        user=_sender(user, named=True),
        team=team,
        channel_id=channel_id,
        conversation_id=conversation_id or _conversation(user, team, channel_id, activity_id),
        service_url=service_url,
        tenant_id=tenant_id,
        locale=locale,
        at=at,
        bot=bot_account(bot_app_id, bot_name),
    )
    activity["textFormat"] = "plain"
    entities = [_client_info(locale)]
    if team is None:
        activity["text"] = text
    else:
        mention = f"<at>{bot_name}</at>"
        activity["text"] = f"{mention} {text}"
        activity["attachments"] = [
            {
                "contentType": "text/html",
                "content": (
                    '<div><div><span itemscope="" itemtype="http://schema.skype.com/Mention"'
                    f' itemid="0">{bot_name}</span> {text}</div></div>'
                ),
            }
        ]
        entities.insert(
            0, {"type": "mention", "text": mention, "mentioned": bot_account(bot_app_id, bot_name)}
        )
    activity["entities"] = entities
    return activity


def card_submit(
    value: Mapping[str, Any],
    *,
    reply_to_id: str | None = None,
    user: Mapping[str, Any] = USER,
    team: Mapping[str, Any] | None = None,
    channel_id: str | None = None,
    conversation_id: str | None = None,
    service_url: str = SERVICE_URL,
    tenant_id: str = TENANT_ID,
    locale: str = "nl-NL",
    at: datetime = AT,
    activity_id: str | None = None,
    bot_app_id: str = BOT_APP_ID,
    bot_name: str = BOT_NAME,
) -> Json:
    """Someone presses an Adaptive Card's Action.Submit: a message with `value` and no text.

    `value` is the action's ``data`` merged with the card's inputs; `reply_to_id` is the id
    of the card's activity. In a channel the submit belongs to the card's thread.
    """
    activity_id = activity_id or _message_id(at)
    thread_root = reply_to_id or activity_id
    activity = _activity(
        "message",
        activity_id=activity_id,
        user=_sender(user, named=True),
        team=team,
        channel_id=channel_id,
        conversation_id=conversation_id or _conversation(user, team, channel_id, thread_root),
        service_url=service_url,
        tenant_id=tenant_id,
        locale=locale,
        at=at,
        bot=bot_account(bot_app_id, bot_name),
    )
    activity["value"] = dict(value)
    activity["entities"] = [_client_info(locale)]
    activity["channelData"]["source"] = {"name": "message"}
    if reply_to_id is not None:
        activity["replyToId"] = reply_to_id
        activity["channelData"]["legacy"] = {"replyToId": reply_to_id}
    return activity


def invoke(
    name: str,
    value: Mapping[str, Any],
    *,
    reply_to_id: str | None = None,
    user: Mapping[str, Any] = USER,
    conversation_id: str | None = None,
    service_url: str = SERVICE_URL,
    tenant_id: str = TENANT_ID,
    locale: str = "nl-NL",
    at: datetime = AT,
    bot_app_id: str = BOT_APP_ID,
    bot_name: str = BOT_NAME,
) -> Json:
    """An invoke activity named `name` with `value`, in `user`'s 1:1 chat with the bot; it
    answers the card `reply_to_id` if given."""
    activity = _activity(
        "invoke",
        activity_id=_event_id(),
        user=_sender(user, named=True),
        team=None,
        channel_id=None,
        conversation_id=conversation_id or personal_conversation_id(str(user["id"])),
        service_url=service_url,
        tenant_id=tenant_id,
        locale=locale,
        at=at,
        bot=bot_account(bot_app_id, bot_name),
    )
    activity["name"] = name
    activity["value"] = dict(value)
    activity["entities"] = [_client_info(locale)]
    if reply_to_id is not None:
        activity["replyToId"] = reply_to_id
    return activity


def file_consent(
    consent_card: Mapping[str, Any],
    *,
    upload_info: Mapping[str, Any] | None = None,
    user: Mapping[str, Any] = USER,
    conversation_id: str | None = None,
    service_url: str = SERVICE_URL,
    locale: str = "nl-NL",
) -> Json:
    """`user` pressing Allow (with `upload_info`, from `FakeConnector.upload_info`) or Decline
    (without) on the message `consent_card` that carries a FileConsentCard."""
    (attachment,) = consent_card["attachments"]
    content = attachment["content"]
    allowed = upload_info is not None
    value: Json = {
        "type": "fileUpload",
        "action": "accept" if allowed else "decline",
        "context": content["acceptContext" if allowed else "declineContext"],
    }
    if upload_info is not None:
        value["uploadInfo"] = dict(upload_info)
    return invoke(
        "fileConsent/invoke",
        value,
        reply_to_id=consent_card.get("id"),
        user=user,
        conversation_id=conversation_id,
        service_url=service_url,
        locale=locale,
    )


def installed_personal(
    *,
    user: Mapping[str, Any] = USER,
    conversation_id: str | None = None,
    service_url: str = SERVICE_URL,
    tenant_id: str = TENANT_ID,
    locale: str = "nl-NL",
    at: datetime = AT,
    bot_app_id: str = BOT_APP_ID,
    bot_name: str = BOT_NAME,
) -> Installation:
    """Someone adds the app for themselves: Teams opens their 1:1 chat with the bot."""
    common: dict[str, Any] = {
        "user": _sender(user, named=False),
        "team": None,
        "channel_id": None,
        "conversation_id": conversation_id or personal_conversation_id(str(user["id"])),
        "service_url": service_url,
        "tenant_id": tenant_id,
        "locale": locale,
        "at": at,
        "bot": bot_account(bot_app_id, bot_name),
    }
    update = _activity("conversationUpdate", activity_id=_event_id(), **common)
    update["membersAdded"] = [{"id": f"28:{bot_app_id}"}]
    install = _activity("installationUpdate", activity_id=_event_id(), **common)
    install["action"] = "add"
    install["entities"] = [_client_info(locale)]
    return Installation(update, install)


def installed_in_team(
    team: Mapping[str, Any],
    *,
    user: Mapping[str, Any] = USER,
    channel_id: str | None = None,
    service_url: str = SERVICE_URL,
    tenant_id: str = TENANT_ID,
    locale: str = "nl-NL",
    at: datetime = AT,
    bot_app_id: str = BOT_APP_ID,
    bot_name: str = BOT_NAME,
) -> Installation:
    """`user` adds the app to a team, choosing `channel_id` (General by default) for the bot.

    Both activities are about the team's General channel, whose id is the team's.
    """
    common: dict[str, Any] = {
        "user": _sender(user, named=False),
        "team": team,
        "channel_id": None,
        "conversation_id": str(team["id"]),
        "service_url": service_url,
        "tenant_id": tenant_id,
        "locale": locale,
        "at": at,
        "bot": bot_account(bot_app_id, bot_name),
    }
    update = _activity("conversationUpdate", activity_id=_event_id(), **common)
    update["membersAdded"] = [{"id": f"28:{bot_app_id}"}]
    update["channelData"]["eventType"] = "teamMemberAdded"
    install = _activity("installationUpdate", activity_id=_event_id(), **common)
    install["action"] = "add"
    install["entities"] = [_client_info(locale)]
    install["channelData"]["settings"] = {"selectedChannel": {"id": channel_id or team["id"]}}
    install["channelData"]["source"] = {"name": "message"}
    return Installation(update, install)


def uninstalled(
    *,
    user: Mapping[str, Any] = USER,
    team: Mapping[str, Any] | None = None,
    conversation_id: str | None = None,
    service_url: str = SERVICE_URL,
    tenant_id: str = TENANT_ID,
    locale: str = "nl-NL",
    at: datetime = AT,
    bot_app_id: str = BOT_APP_ID,
    bot_name: str = BOT_NAME,
) -> Json:
    """`user` removes the app: from their own Teams, or (with `team`) from a team."""
    default_conversation = (
        str(team["id"]) if team is not None else personal_conversation_id(str(user["id"]))
    )
    removal = _activity(
        "installationUpdate",
        activity_id=_event_id(),
        user=_sender(user, named=False),
        team=team,
        channel_id=None,
        conversation_id=conversation_id or default_conversation,
        service_url=service_url,
        tenant_id=tenant_id,
        locale=locale,
        at=at,
        bot=bot_account(bot_app_id, bot_name),
    )
    removal["action"] = "remove"
    return removal


def _activity(
    kind: str,
    *,
    activity_id: str,
    user: Json,
    team: Mapping[str, Any] | None,
    channel_id: str | None,
    conversation_id: str,
    service_url: str,
    tenant_id: str,
    locale: str,
    at: datetime,
    bot: Json,
) -> Json:
    local = at.astimezone(ZoneInfo(TIMEZONE))
    conversation: Json = {"conversationType": "personal", "tenantId": tenant_id}
    channel_data: Json = {"tenant": {"id": tenant_id}}
    if team is not None:
        channel = channel_id or str(team["id"])
        conversation = {"isGroup": True, "conversationType": "channel", "tenantId": tenant_id}
        channel_data = {
            "teamsChannelId": channel,
            "teamsTeamId": team["id"],
            "channel": {"id": channel},
            "team": dict(team),
            "tenant": {"id": tenant_id},
        }
    conversation["id"] = conversation_id
    return {
        "type": kind,
        "id": activity_id,
        "timestamp": _iso(at.astimezone(UTC)).replace("+00:00", "Z"),
        "localTimestamp": _iso(local),
        "localTimezone": TIMEZONE,
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": user,
        "conversation": conversation,
        "recipient": bot,
        "channelData": channel_data,
        "locale": locale,
    }


def _sender(user: Mapping[str, Any], *, named: bool) -> Json:
    """Messages name their sender; Teams' update events give only the ids."""
    sender = {"id": user["id"], "aadObjectId": user["aadObjectId"]}
    return {**sender, "name": user["name"]} if named else sender


def _conversation(
    user: Mapping[str, Any], team: Mapping[str, Any] | None, channel_id: str | None, root: str
) -> str:
    """The 1:1 chat with `user`, or the channel thread whose first post is `root`."""
    if team is None:
        return personal_conversation_id(str(user["id"]))
    return f"{channel_id or team['id']};messageid={root}"


def _client_info(locale: str) -> Json:
    return {
        "type": "clientInfo",
        "locale": locale,
        "country": locale.rpartition("-")[2],
        "platform": "Web",
        "timezone": TIMEZONE,
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _message_id(at: datetime) -> str:
    """Teams' message ids are millisecond timestamps."""
    return str(int(at.timestamp() * 1000) + next(_SEQUENCE))


def _event_id() -> str:
    return f"f:{next(_SEQUENCE):019d}"


__all__ = [
    "AT",
    "BOT_APP_ID",
    "BOT_NAME",
    "SERVICE_URL",
    "TIMEZONE",
    "USER",
    "Installation",
    "bot_account",
    "card_submit",
    "file_consent",
    "installed_in_team",
    "installed_personal",
    "invoke",
    "message",
    "teams_member",
    "uninstalled",
]
