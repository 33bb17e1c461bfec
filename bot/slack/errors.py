"""Slack's Web API error codes, sorted into what the project manager can act on.

Rate limits never get here: the client waits out 429s itself (see `web_client`). What does get
here is permanent until someone changes something, so the caller records it and moves on.
"""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from dialogs.delivery import Undeliverable

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


def code(error: SlackApiError) -> str:
    """Slack's error code, e.g. ``not_in_channel``; safe to log (it never holds a token)."""
    return str(error.response.get("error") or f"http_{error.response.status_code}")


def undeliverable(error: SlackApiError, *, to_person: bool = False) -> Undeliverable:
    """What an error means. `to_person`: the message went to someone's direct messages, where
    Slack answers ``channel_not_found`` for a person the app can no longer reach."""
    reason = code(error)
    if reason in _APP_REMOVED:
        return Undeliverable.APP_REMOVED
    if reason == "missing_scope":
        return Undeliverable.MISSING_PERMISSION
    if reason in _PERSON_GONE or (to_person and reason in _NO_ACCESS):
        return Undeliverable.PERSON_GONE
    if reason in _NO_ACCESS:
        return Undeliverable.NO_ACCESS
    return Undeliverable.OTHER
