"""The door: Slack's signature is checked on the raw bytes first, then the payload's shape."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from multidict import CIMultiDict

from bot.refusals import Refused
from bot.slack.edge import FORM, JSON, MAX_AGE_SECONDS, parse, verify
from tests.slack.slack_side import block_actions, sign, slash_form

SECRET = "edge-secret"
NOW = 1_800_000_000


def _headers(body: bytes, secret: str = SECRET) -> dict[str, str]:
    return sign(secret, body.decode(), NOW)


def _refusal(call: object) -> int:
    assert callable(call)
    with pytest.raises(Refused) as refused:
        call()
    return refused.value.status


def test_a_request_signed_now_with_the_secret_passes() -> None:
    body = b"token=x&text=hi"
    verify(_headers(body), body, SECRET.encode(), now=NOW)


@pytest.mark.parametrize(
    "stamp", ["", "abc", "1e9", " 1800000000", "-5", "1800000000.5", "9" * 40, "١٨٠٠٠٠٠٠٠٠"]
)
def test_a_timestamp_that_is_not_plain_digits_is_a_401(stamp: str) -> None:
    body = b"text=hi"
    headers = {**_headers(body), "X-Slack-Request-Timestamp": stamp}
    assert _refusal(lambda: verify(headers, body, SECRET.encode(), now=NOW)) == 401


@pytest.mark.parametrize("offset", [-MAX_AGE_SECONDS - 1, MAX_AGE_SECONDS + 1])
def test_a_stale_or_future_timestamp_is_a_401_even_when_signed(offset: int) -> None:
    body = b"text=hi"
    stamp = NOW + offset
    headers = sign(SECRET, body.decode(), stamp)
    assert _refusal(lambda: verify(headers, body, SECRET.encode(), now=NOW)) == 401


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Request-Timestamp": str(NOW)},
        {"X-Slack-Request-Timestamp": str(NOW), "X-Slack-Signature": ""},
        {"X-Slack-Request-Timestamp": str(NOW), "X-Slack-Signature": "v0=" + "0" * 64},
        {"X-Slack-Request-Timestamp": str(NOW), "X-Slack-Signature": "v0=é\udcff"},
        _headers(b"text=hi", secret="another secret"),
    ],
)
def test_a_missing_or_forged_signature_is_a_401(headers: dict[str, str]) -> None:
    assert _refusal(lambda: verify(headers, b"text=hi", SECRET.encode(), now=NOW)) == 401


@pytest.mark.parametrize("name", ["X-Slack-Request-Timestamp", "X-Slack-Signature"])
def test_a_signature_header_given_twice_is_a_401_even_if_one_copy_is_right(name: str) -> None:
    body = b"text=hi"
    headers = CIMultiDict(_headers(body))
    headers.add(name, "abc")
    assert _refusal(lambda: verify(headers, body, SECRET.encode(), now=NOW)) == 401


def test_a_body_changed_after_signing_is_a_401() -> None:
    headers = _headers(b"text=hi")
    assert _refusal(lambda: verify(headers, b"text=bye", SECRET.encode(), now=NOW)) == 401


def test_a_slash_command_form_parses_to_its_fields() -> None:
    form = slash_form("T1", "U1", "what is a payload?")
    assert parse(FORM, None, urlencode(form).encode()) == form


def test_an_interaction_form_parses_to_its_payload() -> None:
    message = {"ts": "1.2", "channel": "D1", "blocks": []}
    payload = block_actions("T1", "U1", message, {"action_id": "nav:back", "value": "x"})
    body = urlencode({"payload": json.dumps(payload)}).encode()
    assert parse(FORM, "utf-8", body) == payload


@pytest.mark.parametrize(
    ("content_type", "charset", "body"),
    [
        (FORM, None, b"text=\xff\xfe"),
        (FORM, "latin-1", b"text=hi"),
        (JSON, None, b"token=x&text=hi"),
        (FORM, None, b'{"type": "event_callback"}'),
        ("text/plain", None, b"text=hi"),
        ("", None, b"text=hi"),
        (FORM, None, b"payload=%7Bnot+json"),
        (FORM, None, b"payload=%5B1%2C2%5D"),
        (FORM, None, b"just words"),
        (FORM, None, b"text=a&text=b"),
        (JSON, None, b"[]"),
        (JSON, None, b'{"type": "event_callback", "event": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
        (
            JSON,
            None,
            b'{"type": "event_callback", "event_id": "E", "team_id": "T", '
            b'"event": {"type": "message", "user": 5}}',
        ),
        (
            JSON,
            None,
            b'{"type": "event_callback", "event_id": "E", "team_id": "T", '
            b'"event": {"type": "app_home_opened", "tab": "home"}}',
        ),
        (JSON, None, b'{"type": 5}'),
        (JSON, None, b'{"type": "event_callback", "event_id": "Ev1", "team_id": "T1"}'),
        (JSON, None, b'{"type": "event_callback", "event_id": "Ev1", "event": {"type": "x"}}'),
        (FORM, None, b"command=%2Fadvisor&user_id=U1&text=hi"),
        (FORM, None, urlencode({"payload": json.dumps({"type": "block_actions"})}).encode()),
        (
            FORM,
            None,
            urlencode(
                {
                    "payload": json.dumps(
                        {"type": "block_actions", "user": {"id": "U"}, "actions": []}
                    )
                }
            ).encode(),
        ),
        (
            FORM,
            None,
            urlencode(
                {"payload": json.dumps({"type": "view_submission", "user": {"id": "U"}})}
            ).encode(),
        ),
    ],
)
def test_a_signed_but_malformed_body_is_a_400(
    content_type: str, charset: str | None, body: bytes
) -> None:
    assert _refusal(lambda: parse(content_type, charset, body)) == 400


def test_a_url_verification_challenge_parses() -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c1", "token": "t"}).encode()
    assert parse(JSON, None, body)["challenge"] == "c1"
