"""Who a Slack launch invites: a channel's members and a user group's, as Slack lists them."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.errors import FAILURES, code
from bot.slack.modals import LaunchForm
from dialogs.campaigns import Audience
from engine.vocabulary import Language

log = logging.getLogger(__name__)
CHANNEL = "slack"


def respondent(user: str) -> str:
    return f"{CHANNEL}:{user}"


def zone(name: object) -> ZoneInfo | None:
    """A time zone Slack names, or None for one this machine does not know."""
    try:
        return ZoneInfo(str(name)) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def locale_language(locale: object) -> Language:
    return Language.NL if str(locale or "").startswith("nl") else Language.EN


def audience_of(person: dict[str, Any]) -> Audience:
    """A person as `users.info` describes them (or as a launch job kept them)."""
    return Audience(
        respondent(str(person["id"])), zone(person.get("tz")), locale_language(person.get("locale"))
    )


async def person(client: AsyncWebClient, user: str) -> dict[str, Any]:
    """`users.info` for one person; empty when Slack will not say."""
    try:
        info = await client.users_info(user=user, include_locale=True)
    except FAILURES as error:
        log.warning("users.info failed: %s", code(error))
        return {}
    return dict(info["user"])


async def usergroups(client: AsyncWebClient) -> list[tuple[str, str]]:
    """The workspace's user groups (id, handle); none where the plan or the scopes lack them."""
    try:
        listed = await client.usergroups_list()
    except FAILURES as error:
        log.info("no user groups to offer: %s", code(error))
        return []
    return [(str(g["id"]), str(g.get("handle") or g.get("name"))) for g in listed["usergroups"]]


async def audience(client: AsyncWebClient, form: LaunchForm) -> list[dict[str, Any]]:
    """The chosen channel's and user group's people, once each: no bots, apps or leavers.

    Raises:
        One of `errors.FAILURES` when Slack will not list them.
    """
    ids: list[str] = []
    if form.channel is not None:
        ids += [user async for user in _channel_members(client, form.channel)]
    if form.usergroup is not None:
        listed = await client.usergroups_users_list(usergroup=form.usergroup)
        ids += [str(user) for user in listed["users"]]
    people = []
    for user in dict.fromkeys(ids):
        found = await person(client, user)
        if found and not (found.get("is_bot") or found.get("deleted") or found.get("is_app_user")):
            people.append(found)
    return people


async def _channel_members(client: AsyncWebClient, channel: str) -> AsyncIterator[str]:
    cursor = None
    while True:
        page = await client.conversations_members(channel=channel, cursor=cursor, limit=200)
        for user in page["members"]:
            yield str(user)
        metadata: dict[str, Any] = page.get("response_metadata") or {}
        cursor = metadata.get("next_cursor")
        if not cursor:
            return
