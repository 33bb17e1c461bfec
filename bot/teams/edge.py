"""Teams' activities at the door: the token first, then the body, then the activity's shape.

With an app id, nothing of a request's body is read before its bearer token is verified: signed
with a key the Bot Connector publishes, issued by it, for this bot (audience) and not expired.
Then the body is parsed, and the token checked once more against the activity: its key endorsed
for the activity's channel, its ``serviceurl`` claim naming the activity's `serviceUrl`. A
request that fails the token is a 401 whatever its body; an authenticated one that is not an
activity this app can act on is a 400. Either way it reaches no turn, changes nothing, and the
log gets one line.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication
from requests import RequestException

from bot.refusals import Refused

log = logging.getLogger(__name__)
JSON = "application/json"
MAX_ID = 150
"""Longer than any id Teams gives a person, a bot, a tenant or an activity, and short enough for
the addresses made of them (``teams:<id>``) to fit the database's 200 characters."""
MAX_CONVERSATION_ID = 1000
"""A channel thread's id is the channel's and the post's (``19:...;messageid=...``)."""
_ACCOUNT_FIELDS = ("from", "recipient", "conversation")
_OBJECT_FIELDS = ("team", "tenant", "channel")


async def verify_token(authentication: BotFrameworkAuthentication, header: str | None) -> None:
    """Check the bearer token on its own: signature, issuer, audience and expiry.

    The activity's channel and service URL are left out (an empty activity asserts neither):
    `authenticate` checks those once the body is parsed.

    Raises:
        Refused: 401 for any token the Bot Connector did not issue for this bot; 503 when its
            signing keys cannot be fetched.
    """
    scheme, _, token = (header or "").partition(" ")
    if scheme != "Bearer" or not token.strip():
        raise Refused(401, "unauthorised: no bearer token")
    await authenticate(authentication, Activity(), header or "")


async def authenticate(
    authentication: BotFrameworkAuthentication, activity: Activity, header: str
) -> AuthenticateRequestResult:
    """The SDK's verdict on the token for this activity.

    Raises:
        Refused: 401 when the token is not one to trust for it; 503 when the signing keys
            cannot be fetched.
    """
    try:
        return await authentication.authenticate_request(activity, header)
    except RequestException as error:
        # The SDK fetches the Bot Connector's keys with `requests` (at most once a day).
        log.warning("could not fetch the Bot Connector's signing keys: %s", type(error).__name__)
        raise Refused(503, "the signing keys could not be fetched; try again") from None
    except Exception as error:
        # Apart from PermissionError the SDK raises PyJWT's errors (expired, forged, garbled),
        # IndexError (a key it does not publish) and AttributeError (an empty token): each
        # means the token is not one to trust.
        raise Refused(401, f"unauthorised: {type(error).__name__}") from None


def parse(content_type: str, charset: str | None, body: bytes, *, teams_only: bool) -> Activity:
    """The activity in a request's body, checked for what the advisor relies on.

    Args:
        teams_only: refuse an activity that names no Microsoft 365 tenant (Web Chat, say):
            true when activities are authenticated, false for the Emulator, which sends none.

    Raises:
        Refused: 400, the body is not a Bot Framework activity the advisor can act on.
    """
    if content_type != JSON:
        raise Refused(400, "an activity is sent as application/json")
    if charset is not None and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise Refused(400, "an activity is sent in UTF-8")
    try:
        document = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise Refused(400, "the body is not UTF-8") from None
    except (ValueError, RecursionError):  # RecursionError: a body of ten thousand brackets
        raise Refused(400, "the body is not JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        raise Refused(400, "the body is not a Bot Framework activity (no type)")
    _check_raw(document)
    try:
        activity = Activity().deserialize(document)
    except Exception:  # msrest raises several kinds for a malformed field
        raise Refused(400, "the body is not a Bot Framework activity") from None
    if teams_only and not (activity.conversation.tenant_id or _id_in(document, "tenant")):
        raise Refused(400, "the activity is not from Microsoft Teams: it names no tenant")
    return activity


def _check_raw(document: dict[str, Any]) -> None:
    """The fields the advisor reads, as JSON: msrest turns numbers into text and leaves
    `channelData` as it comes, so its checks would not catch what the readers trip on."""
    for field in _ACCOUNT_FIELDS:
        limit = MAX_CONVERSATION_ID if field == "conversation" else MAX_ID
        account = document.get(field)
        if not isinstance(account, dict) or not _text(account.get("id"), limit):
            raise Refused(400, f"an activity needs a {field} with an id")
    service_url = document.get("serviceUrl")
    if not _text(service_url, MAX_CONVERSATION_ID) or not str(service_url).startswith(
        ("https://", "http://")
    ):
        raise Refused(400, "an activity needs the serviceUrl to answer it at")
    texts: tuple[tuple[str, int | None], ...] = (
        ("id", MAX_ID),
        ("replyToId", MAX_ID),
        ("text", None),
    )
    for field, most in texts:
        if document.get(field) is not None and not _text(document[field], most, empty=True):
            raise Refused(400, f"an activity's {field} is text")
    for field in ("locale", "action", "channelId"):
        if document.get(field) is not None and not _text(document[field], MAX_ID, empty=True):
            raise Refused(400, f"an activity's {field} is short text")
    data = document.get("channelData")
    if data is not None and not isinstance(data, dict):
        raise Refused(400, "an activity's channelData is an object")
    for field in _OBJECT_FIELDS:
        held = (data or {}).get(field)
        if held is not None and not (isinstance(held, dict) and _text(held.get("id"), MAX_ID)):
            raise Refused(400, f"an activity's channelData.{field} is an object with an id")
    for field in ("membersAdded", "entities"):
        listed = document.get(field)
        if listed is not None and not (
            isinstance(listed, list) and all(isinstance(item, dict) for item in listed)
        ):
            raise Refused(400, f"an activity's {field} is a list of objects")
    if not _text(document["conversation"].get("tenantId"), MAX_ID, empty=True, optional=True):
        raise Refused(400, "an activity's tenant id is short text")


def _text(value: Any, limit: int | None, *, empty: bool = False, optional: bool = False) -> bool:
    if value is None:
        return optional
    if not isinstance(value, str) or (not value and not empty):
        return False
    return limit is None or len(value) <= limit


def _id_in(document: dict[str, Any], field: str) -> bool:
    held = (document.get("channelData") or {}).get(field) or {}
    return bool(held.get("id"))
