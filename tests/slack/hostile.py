"""Hostile requests to Slack's request URL: one strategy per kind of trouble, and what each earns.

Every request says which statuses are right for it (`Hostile.expected`), after the contract of
issue 12: a bad signature or timestamp is 401, a body over the cap 413, a signed but malformed
request 400, a request for another workspace or an enterprise 403, an unknown action 400, an
event nobody handles 200. Timestamps and signatures are made when the request is sent, so a
generated request stays as fresh (or as stale) as it was meant to be.
"""

from __future__ import annotations

import copy
import json
import string
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import count
from typing import Any, Literal
from urllib.parse import urlencode

from hypothesis import strategies as st

from bot.server import MAX_BODY
from bot.slack.modals import LAUNCH_CALLBACK
from bot.slack.render import (
    ACT_ACTION,
    BACK_ACTION,
    CHOICE_ACTION,
    MAX_BUTTON_VALUE,
    PICK_ACTION,
    SEPARATOR,
    STOP_ACTION,
    SUBMIT_ACTION,
)
from dialogs.events import BadToken, Command, CommandInvoked, from_token, to_token
from tests.fakes.slack_api import TEAM_ID
from tests.slack.slack_side import (
    block_actions,
    direct_message_event,
    event_callback,
    sign,
    slash_form,
    view_submission,
)
from tests.teams.hostile import generated

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
TIMESTAMP = "X-Slack-Request-Timestamp"
SIGNATURE = "X-Slack-Signature"
RETRY_NUM = "X-Slack-Retry-Num"
RETRY_REASON = "X-Slack-Retry-Reason"
MAX_AGE = 300
"""Slack's window: a request signed longer ago (or further ahead) than this is refused."""
MARGIN = 10
SLACK_MAX_TEXT = 40_000
"""Slack truncates a message's text at 40,000 characters: no signed message is longer."""
"""Seconds beyond the window, so that a slow second never turns a stale request fresh."""

OK = frozenset({200})
MALFORMED = frozenset({400})
UNSIGNED = frozenset({401})
FOREIGN = frozenset({403})
TOO_LARGE = frozenset({413})

_SAFE = string.ascii_letters + string.digits + string.punctuation + " "
"""What a header value can carry as sent: printable ASCII, no control characters."""
_ID = string.ascii_uppercase + string.digits
_serials = count(1)

Kind = Literal["event", "interaction", "command"]


@dataclass(frozen=True)
class Signing:
    """How one send is stamped and signed, relative to the secret and the moment it is sent.

    Attributes:
        age: seconds before now that the timestamp header says (negative: in the future).
        stamp: the timestamp header as given, instead of one `age` seconds old.
        signed_age: sign a timestamp this many seconds old instead of the header's.
        secret: sign with this secret instead of the server's.
        signed_body: sign these bytes instead of the body sent.
        signature: the signature header as given, instead of a computed one.
        mangle: the name of a change (in `MANGLES`) made to the computed signature.
        drop: headers left out.
        extra: headers added.
    """

    age: int = 0
    stamp: str | None = None
    signed_age: int | None = None
    secret: str | None = None
    signed_body: bytes | None = None
    signature: str | None = None
    mangle: str | None = None
    drop: frozenset[str] = frozenset()
    extra: tuple[tuple[str, str], ...] = ()

    def headers(self, body: bytes, secret: str, now: int) -> dict[str, str]:
        stamp = str(now - self.age) if self.stamp is None else self.stamp
        signed_stamp = stamp if self.signed_age is None else str(now - self.signed_age)
        signed = self.signed_body if self.signed_body is not None else body
        signature = sign(self.secret or secret, signed, signed_stamp)[SIGNATURE]
        if self.mangle is not None:
            signature = MANGLES[self.mangle](signature)
        if self.signature is not None:
            signature = self.signature
        headers = {TIMESTAMP: stamp, SIGNATURE: signature, **dict(self.extra)}
        return {name: value for name, value in headers.items() if name not in self.drop}


MANGLES: dict[str, Callable[[str], str]] = {
    "in capitals": str.upper,
    "without its version": lambda signature: signature.removeprefix("v0="),
    "with another version": lambda signature: "v1=" + signature.removeprefix("v0="),
    "cut short": lambda signature: signature[:-1],
    "one digit longer": lambda signature: signature + "0",
    "given twice": lambda signature: f"{signature},{signature}",
    "with its last digit changed": lambda signature: (
        signature[:-1] + ("1" if signature.endswith("0") else "0")
    ),
}


@dataclass(frozen=True)
class Hostile:
    """One generated request, sent once or (a replay) several times, and the statuses it earns.

    Attributes:
        category: the kind of trouble, a key of `STRATEGIES`.
        label: the variant within the category, for the report.
        body: the bytes sent.
        content_type: the Content-Type header; None sends none.
        expected: the statuses that are right, for every send.
        sends: how each send is signed, in order.
        challenge: for a URL verification, what the answer must carry.
        replies_once: a direct message channel that must get exactly one message in all.
        ignored: when answered 200, the server calls no Slack method in answer.
    """

    category: str
    label: str
    body: bytes
    content_type: str | None
    expected: frozenset[int]
    sends: tuple[Signing, ...] = (Signing(),)
    challenge: str | None = None
    replies_once: str | None = None
    ignored: bool = False


@dataclass(frozen=True)
class Delivery:
    """What Slack sends before it is encoded: an event, an interaction's payload or a command."""

    label: str
    kind: Kind
    document: dict[str, Any]

    @property
    def content_type(self) -> str:
        return JSON if self.kind == "event" else FORM

    def body(self) -> bytes:
        return encoded(self.kind, self.document)

    def changed(self, label: str, change: Callable[[dict[str, Any]], object]) -> Delivery:
        """A copy with `change` made to a deep copy of the document."""
        document = copy.deepcopy(self.document)
        change(document)
        return Delivery(f"{self.label} {label}", self.kind, document)


def encoded(kind: Kind, document: dict[str, Any]) -> bytes:
    if kind == "event":
        return json.dumps(document).encode()
    if kind == "interaction":
        return urlencode({"payload": json.dumps(document)}).encode()
    return urlencode(document).encode()


# Building blocks

users = st.text(_ID, min_size=2, max_size=10).map("U".__add__)
other_teams = st.text(_ID, min_size=2, max_size=10).map("T".__add__).filter(lambda t: t != TEAM_ID)
enterprises = st.text(_ID, min_size=2, max_size=10).map("E".__add__)
words = st.one_of(
    st.sampled_from(["scan", "help", "results", "tasks", "How do we measure ROI?"]),
    st.text(min_size=1, max_size=40),
)


def _fresh(prefix: str) -> st.SearchStrategy[str]:
    """An id never drawn before: each replay is its own person and its own event."""
    return st.builds(lambda: f"{prefix}{next(_serials):06d}")


def _text(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(_SAFE, min_size=min_size, max_size=max_size)


def _message(user: str) -> dict[str, Any]:
    return {"ts": "1700000000.000100", "channel": f"D{user}", "blocks": []}


def _click(team: str, user: str, action: dict[str, Any], label: str) -> Delivery:
    return Delivery(label, "interaction", block_actions(team, user, _message(user), action))


def _choice(value: object, action_id: str = f"{CHOICE_ACTION}0") -> dict[str, Any]:
    return {"action_id": action_id, "type": "button", "value": value}


def deliveries(teams: st.SearchStrategy[str]) -> st.SearchStrategy[Delivery]:
    """Well-formed requests of every kind the app handles, for workspaces drawn from `teams`."""
    roles = st.sampled_from(["management", "project_team", "employee"])
    one_clicks = st.sampled_from([Command.SCAN, Command.TASKS, Command.PLAN, Command.RESULTS])
    return st.one_of(
        st.builds(
            lambda team, user, role: _click(
                team, user, _choice(f"role{SEPARATOR}{role}"), "a choice button"
            ),
            teams,
            users,
            roles,
        ),
        st.builds(
            lambda team, user, command: _click(
                team,
                user,
                {"action_id": f"{ACT_ACTION}0", "value": to_token(CommandInvoked(command))},
                "a one-click button",
            ),
            teams,
            users,
            one_clicks,
        ),
        st.builds(
            lambda team, user, text: Delivery(
                "a direct message", "event", event_callback(team, direct_message_event(user, text))
            ),
            teams,
            users,
            words,
        ),
        st.builds(
            lambda team, user: Delivery(
                "the home tab opened",
                "event",
                event_callback(
                    team, {"type": "app_home_opened", "user": user, "tab": "home", "channel": "D1"}
                ),
            ),
            teams,
            users,
        ),
        st.builds(
            lambda team, user, text: Delivery(
                "a slash command", "command", slash_form(team, user, text)
            ),
            teams,
            users,
            words,
        ),
        st.builds(
            lambda team, user: Delivery(
                "a launch form submitted",
                "interaction",
                view_submission(team, user, LAUNCH_CALLBACK, {}),
            ),
            teams,
            users,
        ),
    )


installed = deliveries(st.just(TEAM_ID))
"""Well-formed requests for the installed workspace."""
_foreign = deliveries(other_teams)


def _signed(category: str, delivery: Delivery, expected: frozenset[int], **signing: Any) -> Hostile:
    return Hostile(
        category,
        delivery.label,
        delivery.body(),
        delivery.content_type,
        expected,
        (Signing(**signing),),
    )


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


# The categories


@st.composite
def forged(draw: st.DrawFn) -> Hostile:
    delivery = draw(installed)
    body = delivery.body()
    label, signing = draw(
        st.one_of(
            st.builds(
                lambda secret: ("signed with another secret", Signing(secret=secret)),
                st.text(min_size=1, max_size=40).map("forged-".__add__),
            ),
            st.builds(
                lambda signature: ("a made-up signature", Signing(signature=signature)),
                st.one_of(
                    st.sampled_from(["", "v0=", "v0", "="]),
                    st.text("0123456789abcdef", min_size=64, max_size=64).map("v0=".__add__),
                    _text(),
                ),
            ),
            st.builds(
                lambda mangle: (f"the signature {mangle}", Signing(mangle=mangle)),
                st.sampled_from(sorted(MANGLES)),
            ),
            st.builds(
                lambda age: ("signed for another second", Signing(signed_age=age)),
                st.integers(1, MAX_AGE),
            ),
            st.just(("signed over another body", Signing(signed_body=body + b"&"))),
            st.just(("the body changed after signing", Signing(signed_body=body[:-1]))),
        )
    )
    return Hostile("forged", label, body, delivery.content_type, UNSIGNED, (signing,))


@st.composite
def stale(draw: st.DrawFn) -> Hostile:
    age = draw(st.integers(MAX_AGE + MARGIN, 10**10))
    return _signed("stale", draw(installed), UNSIGNED, age=age)


@st.composite
def future(draw: st.DrawFn) -> Hostile:
    ahead = draw(st.integers(MAX_AGE + MARGIN, 10**12))
    return _signed("future", draw(installed), UNSIGNED, age=-ahead)


@st.composite
def replayed(draw: st.DrawFn) -> Hostile:
    """A direct message delivered again: as it was (a replay) or as Slack retries it."""
    user = draw(_fresh("U0R"))
    event_id = draw(_fresh("Ev0R"))
    reasons = st.sampled_from([None, "http_timeout", "http_error", "too_many_requests"])
    resends = draw(st.lists(reasons, min_size=1, max_size=3))
    sends = [Signing()]
    for number, reason in enumerate(resends, 1):
        retried = ((RETRY_NUM, str(number)), (RETRY_REASON, reason)) if reason else ()
        sends.append(Signing(extra=retried))
    label = "retried by Slack" if all(resends) else "sent again as it was"
    envelope = event_callback(TEAM_ID, direct_message_event(user, "help"), event_id)
    return Hostile(
        "replayed",
        label,
        json.dumps(envelope).encode(),
        JSON,
        OK,
        tuple(sends),
        replies_once=f"D{user}",
    )


@st.composite
def missing_headers(draw: st.DrawFn) -> Hostile:
    label, dropped = draw(
        st.sampled_from(
            [
                ("without a signature", {SIGNATURE}),
                ("without a timestamp", {TIMESTAMP}),
                ("without a signature or timestamp", {SIGNATURE, TIMESTAMP}),
            ]
        )
    )
    delivery = draw(installed)
    hostile = _signed("missing headers", delivery, UNSIGNED, drop=frozenset(dropped))
    return replace(hostile, label=f"{delivery.label} {label}")


@st.composite
def bad_timestamps(draw: st.DrawFn) -> Hostile:
    stamp = draw(
        st.one_of(
            st.sampled_from(["abc", "1e9", "", " 12", "-5", "12.5", "0x10", "NaN", "inf", "None"]),
            st.integers(13, 6_000).map(lambda digits: "9" * digits),
            _text(1).filter(lambda text: not (text.isascii() and text.strip().isdigit())),
        )
    )
    signed_now = draw(st.booleans())
    label = "signed for now" if signed_now else "signed with the header"
    delivery = draw(installed)
    hostile = _signed(
        "bad timestamps", delivery, UNSIGNED, stamp=stamp, signed_age=0 if signed_now else None
    )
    return replace(hostile, label=f"a timestamp that is not a time, {label}")


@st.composite
def bad_charset(draw: st.DrawFn) -> Hostile:
    latin = draw(st.text(st.characters(min_codepoint=0xC0, max_codepoint=0xFF), min_size=1))
    user = draw(users)
    event = event_callback(TEAM_ID, direct_message_event(user, latin))
    click = block_actions(TEAM_ID, user, _message(user), _choice(f"role{SEPARATOR}{latin}"))
    junk = draw(st.binary(max_size=200))
    cut = draw(st.integers(0, len(junk)))
    label, body, content_type = draw(
        st.sampled_from(
            [
                (
                    "an event in Latin-1",
                    json.dumps(event, ensure_ascii=False).encode("latin-1"),
                    JSON,
                ),
                ("an event in UTF-16", json.dumps(event).encode("utf-16"), JSON),
                (
                    "a form with raw Latin-1",
                    b"payload=" + json.dumps(click, ensure_ascii=False).encode("latin-1"),
                    FORM,
                ),
                ("bytes that are not UTF-8", junk[:cut] + b"\xff" + junk[cut:], JSON),
                ("a form that is not UTF-8", b"payload=" + junk[:cut] + b"\xc3\x28", FORM),
                ("a surrogate in UTF-8", b'{"type":"event_callback","x":"\xed\xa0\x80"}', JSON),
            ]
        )
    )
    return Hostile("bad charset", label, body, content_type, MALFORMED)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@st.composite
def bad_json(draw: st.DrawFn) -> Hostile:
    user = draw(users)
    event = json.dumps(event_callback(TEAM_ID, direct_message_event(user, "help")))
    cut = draw(st.integers(1, len(event) - 1))
    not_json = draw(_text(0, 60).filter(lambda text: not _parses(text)))
    not_an_object = json.dumps(
        draw(
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(),
                st.floats(allow_nan=False),
                st.text(max_size=20),
                st.lists(st.integers(), max_size=5),
            )
        )
    )
    deep = _nested(draw(st.integers(2_000, 40_000)))
    label, body, content_type = draw(
        st.sampled_from(
            [
                ("an event cut short", event[:cut], JSON),
                ("text that is not JSON", not_json, JSON),
                ("JSON that is not an object", not_an_object, JSON),
                ("JSON nested too deep", f'{{"type": "event_callback", "event": {deep}}}', JSON),
                ("a payload that is not JSON", urlencode({"payload": not_json}), FORM),
                ("a payload that is not an object", urlencode({"payload": not_an_object}), FORM),
                ("a payload nested too deep", urlencode({"payload": deep}), FORM),
                ("a form that is not a form", draw(_broken_forms), FORM),
            ]
        )
    )
    return Hostile("bad JSON", label, body.encode(), content_type, MALFORMED)


_broken_forms = st.sampled_from(
    ["payload", "&&&", "=", "payload=%zz", "payload=%FF%FE", "%%%", "payload=&payload="]
)


@st.composite
def wrong_content_types(draw: st.DrawFn) -> Hostile:
    delivery = draw(installed)
    others = ["text/plain", "text/html", "application/xml", "application/octet-stream"]
    others += ["multipart/form-data; boundary=x", "application/x-json", "json", ""]
    mismatched = FORM if delivery.kind == "event" else JSON
    content_type = draw(st.sampled_from([mismatched, None, *others]))
    label = f"{delivery.kind} sent as {content_type or 'no content type'}"
    return Hostile("wrong content types", label, delivery.body(), content_type, MALFORMED)


def _without_team(payload: dict[str, Any], team: object = "absent") -> None:
    if team == "absent":
        payload.pop("team", None)
    else:
        payload["team"] = team
    payload["user"].pop("team_id", None)


_CLICK_GAPS: dict[str, Callable[[dict[str, Any]], object]] = {
    "without a type": lambda p: p.pop("type"),
    "with a number for its type": lambda p: p.update(type=5),
    "without a user": lambda p: p.pop("user"),
    "with text for its user": lambda p: p.update(user="U0TEXT"),
    "with a user without an id": lambda p: p["user"].pop("id"),
    "with a number for its user id": lambda p: p["user"].update(id=5),
    "without a team": _without_team,
    "with a null team": lambda p: _without_team(p, None),
    "with a number for its team": lambda p: p.update(team=5),
    "with text for its team": lambda p: p.update(team=TEAM_ID),
    "with a number for its team id": lambda p: p["team"].update(id=5),
    "without actions": lambda p: p.pop("actions"),
    "with no actions": lambda p: p.update(actions=[]),
    "with an object for its actions": lambda p: p.update(actions={"0": p["actions"][0]}),
    "with a number for its action": lambda p: p.update(actions=[5]),
}
_SUBMISSION_GAPS: dict[str, Callable[[dict[str, Any]], object]] = {
    "without a user": lambda p: p.pop("user"),
    "with a user without an id": lambda p: p["user"].pop("id"),
    "without a team": _without_team,
    "with a number for its team": lambda p: p.update(team=5),
    "without a view": lambda p: p.pop("view"),
    "with text for its view": lambda p: p.update(view="V0TEXT"),
}
_EVENT_GAPS: dict[str, Callable[[dict[str, Any]], object]] = {
    "without an event": lambda e: e.pop("event"),
    "with text for its event": lambda e: e.update(event="message"),
    "with an event without a type": lambda e: e["event"].pop("type"),
    "with a number for its event type": lambda e: e["event"].update(type=5),
    "without a team": lambda e: (e.pop("team_id"), e.pop("authorizations")),
    "with a number for its team": lambda e: e.update(team_id=5),
    "with an object for its team": lambda e: e.update(team_id={"id": TEAM_ID}),
    "with a number for its event id": lambda e: e.update(event_id=5),
    "without the event's user": lambda e: e["event"].pop("user"),
    "with a number for the event's user": lambda e: e["event"].update(user=5),
    "with an object for the event's user": lambda e: e["event"].update(user={"id": "U1"}),
}
_COMMAND_GAPS: dict[str, Callable[[dict[str, Any]], object]] = {
    "without a user": lambda f: f.pop("user_id"),
    "without a team": lambda f: f.pop("team_id"),
    "without a command": lambda f: f.pop("command"),
}


def _gaps(delivery: Delivery) -> dict[str, Callable[[dict[str, Any]], object]]:
    if delivery.kind == "event":
        return _EVENT_GAPS
    if delivery.kind == "command":
        return _COMMAND_GAPS
    return _CLICK_GAPS if delivery.document["type"] == "block_actions" else _SUBMISSION_GAPS


@st.composite
def missing_fields(draw: st.DrawFn) -> Hostile:
    delivery = draw(installed)
    gaps = _gaps(delivery)
    gap = draw(st.sampled_from(sorted(gaps)))
    return _signed("missing fields", delivery.changed(gap, gaps[gap]), MALFORMED)


def _ours(action_id: str) -> bool:
    prefixes = (CHOICE_ACTION, PICK_ACTION, ACT_ACTION)
    return action_id.startswith(prefixes) or action_id in (SUBMIT_ACTION, BACK_ACTION, STOP_ACTION)


def _bad_token(token: str) -> bool:
    try:
        from_token(token)
    except BadToken:
        return True
    return False


@st.composite
def unknown_actions(draw: st.DrawFn) -> Hostile:
    not_digits = _text(0, 20).filter(lambda suffix: not suffix.isdigit())
    tampered_choices: st.SearchStrategy[object] = st.one_of(
        _text(0, 40).filter(lambda value: SEPARATOR not in value),
        _text(0, 20).map(SEPARATOR.__add__),
        _text(0, 20).filter(lambda value: SEPARATOR not in value).map(lambda v: v + SEPARATOR),
        st.one_of(st.integers(), st.none(), st.booleans(), st.just([]), st.just({})),
    )
    label, action = draw(
        st.one_of(
            st.builds(
                lambda action_id: ("an action id never rendered", _choice("x", action_id)),
                _text(1, 60).filter(lambda action_id: not _ours(action_id)),
            ),
            st.builds(
                lambda suffix: ("a choice id without a number", _choice("role|employee", suffix)),
                not_digits.map(CHOICE_ACTION.__add__),
            ),
            st.builds(
                lambda suffix: ("a one-click id without a number", _choice("scan", suffix)),
                not_digits.map(ACT_ACTION.__add__),
            ),
            st.builds(lambda value: ("a tampered choice", _choice(value)), tampered_choices),
            st.just(("a choice without a value", {"action_id": f"{CHOICE_ACTION}0"})),
            st.builds(
                lambda token: ("a tampered one-click", _choice(token, f"{ACT_ACTION}0")),
                _text(0, 40).filter(_bad_token),
            ),
            st.builds(
                lambda value: ("a tampered submit", _choice(value, SUBMIT_ACTION)),
                st.one_of(st.just(""), st.integers(), st.none()),
            ),
        )
    )
    return _signed("unknown actions", _click(TEAM_ID, draw(users), action, label), MALFORMED)


def _with_huge_number(kind: Kind, document: dict[str, Any], digits: int) -> bytes:
    """The document with a number too long for Python's int(), which json.dumps cannot write."""
    marked = encoded(kind, {**document, "huge": 0})
    number = b"9" * digits
    return marked.replace(b'"huge": 0', b'"huge": ' + number).replace(
        b"%22huge%22%3A+0", b"%22huge%22%3A+" + number
    )


def _huge(label: str, delivery: Delivery, expected: frozenset[int], **signing: Any) -> Hostile:
    return replace(_signed("huge values", delivery, expected, **signing), label=label)


def _over_the_cap(user: str, size: int, signed: bool) -> Hostile:
    empty = json.dumps(event_callback(TEAM_ID, direct_message_event(user, "")))
    padding = "x" * (size - len(empty))
    delivery = Delivery("", "event", event_callback(TEAM_ID, direct_message_event(user, padding)))
    if signed:
        return _huge("a body over the cap", delivery, TOO_LARGE)
    unsigned = frozenset({SIGNATURE, TIMESTAMP})
    return _huge("an unsigned body over the cap", delivery, TOO_LARGE, drop=unsigned)


def _huge_number(user: str, kind: Kind, digits: int) -> Hostile:
    if kind == "event":
        document = event_callback(TEAM_ID, direct_message_event(user, "help"))
    else:
        document = block_actions(TEAM_ID, user, _message(user), _choice("role|employee"))
    body = _with_huge_number(kind, document, digits)
    label = f"an {kind} with a number of over 4,300 digits"
    return Hostile("huge values", label, body, JSON if kind == "event" else FORM, MALFORMED)


def _huge_button_value(user: str, length: int) -> Hostile:
    choice = _choice(f"role{SEPARATOR}" + "x" * length)
    return _huge("a button value over its limit", _click(TEAM_ID, user, choice, ""), MALFORMED)


def _huge_team_id(user: str, length: int) -> Hostile:
    team = "T" + "X" * length
    delivery = Delivery("", "event", event_callback(team, direct_message_event(user, "help")))
    # An id this long is no workspace of ours; refusing it as malformed is as right.
    return _huge("a team id of 256 B to 100 KB", delivery, MALFORMED | FOREIGN)


def _huge_task_number(user: str, digits: int) -> Hostile:
    done = _choice(f"{Command.DONE.value} " + "9" * digits, f"{ACT_ACTION}0")
    # The edge cannot know which tasks exist: a reply saying there is no such task is as right.
    label = "a task number past any integer column"
    return _huge(label, _click(TEAM_ID, user, done, ""), MALFORMED | OK)


def _long_message(user: str, repeats: int) -> Hostile:
    text = "ROI " * repeats
    delivery = Delivery("", "event", event_callback(TEAM_ID, direct_message_event(user, text)))
    return _huge("a direct message of 10,000 to 40,000 characters", delivery, MALFORMED | OK)


def huge_values() -> st.SearchStrategy[Hostile]:
    return st.one_of(
        st.builds(
            _over_the_cap, users, st.integers(MAX_BODY + 1, MAX_BODY + 200_000), st.booleans()
        ),
        st.builds(
            _huge_number,
            users,
            st.sampled_from(["event", "interaction"]),
            st.integers(4_301, 60_000),
        ),
        st.builds(_huge_button_value, users, st.integers(MAX_BUTTON_VALUE, 200_000)),
        st.builds(_huge_team_id, users, st.integers(256, 100_000)),
        st.builds(_huge_task_number, users, st.integers(19, MAX_BUTTON_VALUE - 10)),
        st.builds(_long_message, users, st.integers(2_500, SLACK_MAX_TEXT // 4)),
    )


@st.composite
def other_workspaces(draw: st.DrawFn) -> Hostile:
    return _signed("other workspaces", draw(_foreign), FOREIGN)


def _enterprise(
    delivery: Delivery, enterprise: str, team: str | None, install: bool
) -> Callable[[dict[str, Any]], object]:
    def change(document: dict[str, Any]) -> None:
        if delivery.kind == "event":
            document["enterprise_id"] = enterprise
            authorization = document["authorizations"][0]
            authorization.update(enterprise_id=enterprise, is_enterprise_install=install)
            if team is None:
                document.pop("team_id")
                authorization.pop("team_id")
            else:
                document["team_id"] = authorization["team_id"] = team
        elif delivery.kind == "command":
            document.update(enterprise_id=enterprise, enterprise_name="Grid")
            document["is_enterprise_install"] = str(install).lower()
            if team is None:
                document.pop("team_id")
            else:
                document["team_id"] = team
        else:
            document["enterprise"] = {"id": enterprise, "name": "Grid"}
            document["is_enterprise_install"] = install
            if team is None:
                _without_team(document, None)
            else:
                document["team"]["id"] = document["user"]["team_id"] = team

    return change


@st.composite
def enterprise_ids(draw: st.DrawFn) -> Hostile:
    delivery = draw(installed)
    label, team = draw(
        st.one_of(
            st.just(("and no team", None)),
            st.just(("and the installed team", TEAM_ID)),
            other_teams.map(lambda other: ("and another team", other)),
        )
    )
    change = _enterprise(delivery, draw(enterprises), team, draw(st.booleans()))
    return _signed(
        "enterprise ids", delivery.changed(f"from an enterprise {label}", change), FOREIGN
    )


HANDLED_EVENTS = frozenset({"message", "app_home_opened", "app_uninstalled", "tokens_revoked"})
_UNHANDLED_EVENTS = [
    "app_mention",
    "reaction_added",
    "channel_created",
    "team_join",
    "member_joined_channel",
    "user_change",
    "emoji_changed",
    "file_shared",
    "pin_added",
    "link_shared",
    "subteam_created",
    "dnd_updated",
    "app_rate_limited",
]


@st.composite
def unexpected_event_types(draw: st.DrawFn) -> Hostile:
    user = draw(users)
    kind = draw(
        st.one_of(
            st.sampled_from(_UNHANDLED_EVENTS),
            st.from_regex(r"[a-z][a-z_]{0,30}", fullmatch=True),
        ).filter(lambda kind: kind not in HANDLED_EVENTS)
    )
    message = direct_message_event(user, "scan")
    label, event = draw(
        st.sampled_from(
            [
                ("an event nobody handles", {"type": kind, "user": user, "event_ts": "1.2"}),
                ("a message in a channel", {**message, "channel_type": "channel"}),
                ("a message edited", {**message, "subtype": "message_changed"}),
                ("a bot's message", {**message, "bot_id": "B0OTHER"}),
            ]
        )
    )
    envelope = event_callback(TEAM_ID, event)
    return Hostile(
        "unexpected event types", label, json.dumps(envelope).encode(), JSON, OK, ignored=True
    )


@st.composite
def url_verification(draw: st.DrawFn) -> Hostile:
    challenge = draw(st.text(string.ascii_letters + string.digits, min_size=1, max_size=80))
    body = json.dumps({"token": "legacy", "challenge": challenge, "type": "url_verification"})
    return Hostile("url verification", "a challenge", body.encode(), JSON, OK, challenge=challenge)


STRATEGIES: dict[str, Callable[[], st.SearchStrategy[Hostile]]] = {
    "forged": forged,
    "stale": stale,
    "future": future,
    "replayed": replayed,
    "missing headers": missing_headers,
    "bad timestamps": bad_timestamps,
    "bad charset": bad_charset,
    "bad JSON": bad_json,
    "wrong content types": wrong_content_types,
    "missing fields": missing_fields,
    "unknown actions": unknown_actions,
    "huge values": huge_values,
    "other workspaces": other_workspaces,
    "enterprise ids": enterprise_ids,
    "unexpected event types": unexpected_event_types,
    "url verification": url_verification,
}
"""One strategy per category, in the order of the report."""


def hostile_requests(per_category: int) -> list[Hostile]:
    """`per_category` requests of each category, taking turns: the same list on every run."""
    drawn = [generated(strategy(), per_category) for strategy in STRATEGIES.values()]
    return [hostile for turn in zip(*drawn, strict=True) for hostile in turn]
