"""Slack's Web API failures, whatever their shape, named and sorted into what someone can act on.

A Web API call ends in an answer or in one of `FAILURES`. Rate limits, server errors and dropped
connections are retried by the client first (see `web_client`); what gets here has outlived
those retries. Slack's JSON error codes are sorted by their meaning; everything else (a proxy's
HTML or plain-text error page, a timeout, a reset connection) is the platform being unavailable,
which usually passes, so callers record it and may try again later.
"""

from __future__ import annotations

import re
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from dialogs.delivery import Undeliverable

FAILURES: tuple[type[Exception], ...] = (SlackClientError, aiohttp.ClientError, TimeoutError)
"""Everything a Web API call can end in instead of an answer: Slack's refusals and unreadable
answers (SlackApiError), the SDK's own (SlackRequestError: a failed file upload), the connection
(aiohttp.ClientError: refused, reset, dropped) and the client's timeout (TimeoutError).
Catch these in one place: ``except FAILURES as error``, then `code` and `undeliverable`."""

RETRIED_STATUSES = frozenset({500, 502, 503})
"""Server errors worth a retry: Slack failing, or a proxy that could not reach it. Not 504 or a
timeout: the call may have reached Slack, and posting again would say it twice."""

_APP_REMOVED = frozenset(
    {
        "account_inactive",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "team_access_not_granted",
        "no_permission",
        "ekm_access_denied",
    }
)
_PERSON_GONE = frozenset({"user_not_found", "user_disabled", "cannot_dm_bot", "user_not_visible"})
_NO_ACCESS = frozenset({"channel_not_found", "not_in_channel", "is_archived", "restricted_action"})
_UNAVAILABLE = frozenset(
    {
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
        "ratelimited",
        "team_added_to_org",
    }
)
"""Slack's codes for its own passing trouble (a 429 gets here once its retries ran out)."""
_WORD = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
"""Where a class name's next word starts: ClientOSError is client_os_error."""


class ServerErrorRetryHandler(AsyncRetryHandler):
    """Retries `RETRIED_STATUSES` whatever the body. slack_sdk's own handler skips a proxy's 502,
    and never sees a 500 with a broken JSON body: the SDK raises for that before any handler
    gets the response, so it comes here as the error."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None:
            return response.status_code in RETRIED_STATUSES
        return isinstance(error, SlackApiError) and _status(error.response) in RETRIED_STATUSES


def code(error: BaseException) -> str:
    """A short name for a failure, never raising and safe to log or store (never a token).

    Slack's error code (``not_in_channel``); for an answer that is not Slack's JSON (a proxy's
    page), its HTTP status (``http_503``); for any other failure, its class in snake case
    (``timeout_error``, ``server_disconnected_error``, ``client_os_error`` for a reset).
    """
    if isinstance(error, SlackApiError):
        reason = _slack_code(error.response)
        if reason:
            return reason
        status = _status(error.response)
        return f"http_{status}" if status else "unreadable_answer"
    return _WORD.sub("_", type(error).__name__).lower()


def undeliverable(error: BaseException, *, to_person: bool = False) -> Undeliverable:
    """What a failure means. `to_person`: the message went to someone's direct messages, where
    Slack answers ``channel_not_found`` for a person the app can no longer reach."""
    if isinstance(error, TimeoutError | aiohttp.ClientError):
        return Undeliverable.UNAVAILABLE
    if not isinstance(error, SlackApiError):
        return Undeliverable.OTHER
    reason = _slack_code(error.response)
    if reason in _APP_REMOVED:
        return Undeliverable.APP_REMOVED
    if reason == "missing_scope":
        return Undeliverable.MISSING_PERMISSION
    if reason in _PERSON_GONE or (to_person and reason in _NO_ACCESS):
        return Undeliverable.PERSON_GONE
    if reason in _NO_ACCESS:
        return Undeliverable.NO_ACCESS
    status = _status(error.response) or 0
    if reason in _UNAVAILABLE or status >= 500 or status == 429:
        return Undeliverable.UNAVAILABLE
    return Undeliverable.OTHER


def _slack_code(response: Any) -> str | None:
    """Slack's ``error`` field, when the answer was Slack's JSON.

    The SDK's response holds a dict for JSON, a str for a plain-text page and {} for HTML; for
    an answer that claimed to be JSON and was not, the "response" is aiohttp's own object.
    """
    data = getattr(response, "data", None)
    reason = data.get("error") if isinstance(data, dict) else None
    return str(reason) if reason else None


def _status(response: Any) -> int | None:
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    return status if isinstance(status, int) else None
