"""Slack's requests at the door: the signature first, then the shape, then Bolt.

Nothing of a request is decoded, parsed or converted before its timestamp and signature are
verified on the raw bytes (Slack's v0 scheme: an HMAC-SHA256 of ``v0:{timestamp}:{body}`` with
the signing secret). What fails there is a 401; a signed request that is malformed is a 400.
Either way the request reaches no listener and changes nothing, and the log gets one line.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from yarl import URL

from bot.refusals import Refused

log = logging.getLogger(__name__)
MAX_AGE_SECONDS = 300
"""Slack's own rule: a request signed more than five minutes ago (or ahead) may be a replay."""
MAX_FORM_FIELDS = 64
"""Slack's forms have about twenty fields."""
_TIMESTAMP_DIGITS = 12
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
_EVENTS_BY_A_PERSON = frozenset({"message", "app_home_opened"})
"""Events the listeners answer, which Slack always sends with the person's id."""
_INTERACTIVE_WITH_USER = frozenset(
    {"block_actions", "view_submission", "view_closed", "shortcut", "message_action"}
)


def verify(headers: Mapping[str, str], body: bytes, secret: bytes, *, now: float) -> None:
    """Check Slack's timestamp and signature on the raw body.

    Raises:
        Refused: 401, the request is not signed with `secret` within the last five minutes.
    """
    stamp = _single(headers, "X-Slack-Request-Timestamp")
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= _TIMESTAMP_DIGITS):
        raise Refused(401, "no valid X-Slack-Request-Timestamp")
    if abs(now - int(stamp)) > MAX_AGE_SECONDS:
        raise Refused(401, "the request timestamp is not within five minutes of now")
    signed = b"v0:" + stamp.encode() + b":" + body
    expected = b"v0=" + hmac.new(secret, signed, hashlib.sha256).hexdigest().encode()
    given = _single(headers, "X-Slack-Signature").encode("utf-8", "replace")
    if not hmac.compare_digest(expected, given):
        raise Refused(401, "the signature does not match")


def _single(headers: Mapping[str, str], name: str) -> str:
    """A header Slack sends once; given twice it is refused, since Bolt reads the last copy."""
    getall = getattr(headers, "getall", None)  # aiohttp's headers keep every copy
    if getall is not None and len(getall(name, [])) > 1:
        raise Refused(401, f"{name} is given more than once")
    return headers.get(name, "")


def parse(content_type: str, charset: str | None, body: bytes) -> dict[str, Any]:
    """The payload of a verified request, in the shape the listeners rely on.

    Raises:
        Refused: 400, the body is not UTF-8, not what its content type says, or not a payload
            Slack sends.
    """
    if charset is not None and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise Refused(400, "Slack sends UTF-8")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the body is not UTF-8") from None
    if content_type == JSON:
        document = _json(text)
    elif content_type == FORM and not text.startswith("{"):
        form = _form(text)
        document = _json(form["payload"]) if "payload" in form else form
    else:
        raise Refused(400, "the body is neither a form nor JSON as its content type says")
    _check_shape(document)
    return document


def bolt_request(text: str, payload: dict[str, Any], query: str, headers: Any) -> AsyncBoltRequest:
    """A Bolt request carrying the payload as parsed here.

    Bolt guesses a form's kind by looking for the word "payload" anywhere in the body, so a
    slash command that mentions it would reach Bolt empty; the payload read here is the truth.
    """
    try:
        # Made empty and given the body as read here, so Bolt does not parse it a second time.
        request = AsyncBoltRequest(body="", query=query, headers=headers)
        request.raw_body = text  # what Bolt's own signature check reads
        request.body = payload
        request.context = build_async_context(request.context, payload)
    except (TypeError, AttributeError, KeyError, ValueError):
        # Bolt reads the ids from wherever a payload kind keeps them, trusting their types.
        raise Refused(400, "the payload's ids are not where or what Slack sends") from None
    context = request.context
    ids = (context.user_id, context.team_id, context.enterprise_id, context.channel_id)
    if not all(isinstance(value, str | None) for value in ids):
        raise Refused(400, "the payload's user, team or channel id is not text")
    return request


def events_handler(bolt: AsyncApp, signing_secret: str) -> Handler:
    """The aiohttp handler for Slack's request URL: verify, parse, dispatch."""
    secret = signing_secret.encode()

    async def events(request: web.Request) -> web.StreamResponse:
        body = await request.read()  # over the server's cap: aiohttp answers 413
        try:
            verify(request.headers, body, secret, now=time.time())
            payload = parse(request.content_type, request.charset, body)
            text = body.decode("utf-8")
            verified = bolt_request(text, payload, request.query_string, request.headers)
        except Refused as refused:
            log.warning("refused a Slack request (%s): %s", refused.status, refused.reason)
            return refused.response()
        answer = await bolt.async_dispatch(verified)
        if answer.status == 404:
            # Nothing here handles this kind of payload (an event we never asked for, say):
            # 200, or Slack would keep sending it again.
            log.info("ignored a Slack request no listener handles")
            return web.Response(status=200)
        return await to_aiohttp_response(answer)

    return events


def _json(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise Refused(400, "the payload is not JSON (or nested too deep)") from None
    if not isinstance(document, dict):
        raise Refused(400, "the payload is not a JSON object")
    return document


def _form(text: str) -> dict[str, str]:
    """A form's fields, decoded by yarl (in C: a click's 3 KB payload in a tenth of the time
    of `urllib.parse`); what is not a field a Slack form has is refused by the shape check."""
    if text.count("&") >= MAX_FORM_FIELDS:
        raise Refused(400, "the form has more fields than Slack sends")
    try:
        fields = URL.build(query_string=text, encoded=True).query
    except ValueError:
        raise Refused(400, "the body is not a form") from None
    form = dict(fields)
    if len(form) < len(fields):
        raise Refused(400, "a form field is given twice")
    return form


def _check_shape(document: dict[str, Any]) -> None:
    """The fields the listeners read, there and of the right type."""
    kind = document.get("type")
    if "command" in document:
        _strings(document, "command", "user_id", "text")
        _team_or_enterprise(document.get("team_id"), document.get("enterprise_id"))
    elif kind == "url_verification":
        _strings(document, "challenge")
    elif kind == "event_callback":
        _strings(document, "event_id")
        event = document.get("event")
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise Refused(400, "an event callback without an event")
        if not isinstance(event.get("user"), str | None):
            raise Refused(400, "an event's user is not an id")
        from_a_person = not (event.get("subtype") or event.get("bot_id"))
        if event["type"] in _EVENTS_BY_A_PERSON and from_a_person:
            _strings(event, "user")
        _team_or_enterprise(document.get("team_id"), document.get("enterprise_id"))
    elif kind in _INTERACTIVE_WITH_USER:
        user = document.get("user")
        if not isinstance(user, dict):
            raise Refused(400, "an interaction without a user")
        _strings(user, "id")
        team, enterprise = document.get("team"), document.get("enterprise")
        if not isinstance(team, dict | None) or not isinstance(enterprise, dict | None):
            raise Refused(400, "an interaction's team or enterprise is not an object")
        _team_or_enterprise(
            (team or {}).get("id") or user.get("team_id"), (enterprise or {}).get("id")
        )
        if kind == "block_actions":
            actions = document.get("actions")
            if not (isinstance(actions, list) and actions and isinstance(actions[0], dict)):
                raise Refused(400, "a block action without actions")
        if kind.startswith("view_") and not isinstance(document.get("view"), dict):
            raise Refused(400, "a view payload without a view")
    elif not isinstance(kind, str):
        raise Refused(400, "a payload without a type")


def _strings(document: Mapping[str, Any], *names: str) -> None:
    for name in names:
        if not isinstance(document.get(name), str):
            raise Refused(400, f"the payload's {name!r} is missing or not text")


def _team_or_enterprise(team: object, enterprise: object) -> None:
    if not isinstance(team, str | None) or not isinstance(enterprise, str | None):
        raise Refused(400, "the payload's team or enterprise id is not text")
    if team is None and enterprise is None:
        raise Refused(400, "the payload names no workspace")
