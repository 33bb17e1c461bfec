"""Hostile requests to `/api/messages`: one strategy per kind of trouble, and the status each earns.

After issue 12: without a token the Bot Connector issued for this bot (none, another audience,
expired, forged) a request is a 401 whatever its body; an authenticated request that is no
activity the advisor can act on (malformed, not JSON, another charset or content type, card
data it never rendered) is a 400; an activity delivered again is a 200 each time and handled
once. Tokens are minted when a request is sent, so an expired one is as stale as meant.
"""

from __future__ import annotations

import base64
import json
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.teams.render import MAX_ID
from dialogs.events import Command
from tests.fakes.bot_tokens import ISSUER, FakeBotTokens
from tests.teams.activities import AT, BOT_APP_ID, USER, message

Json = dict[str, Any]
JSON = "application/json"
UNAUTHORISED, MALFORMED, HANDLED = 401, 400, 200
_SAFE = string.ascii_letters + string.digits + string.punctuation + " "
"""What a header value can carry as sent: printable ASCII."""
_serials = count(1)
_KINDS = frozenset({"choice", "submit", "act", "back", "stop", "form"})
_COMMANDS = frozenset(command.value for command in Command)


@dataclass(frozen=True)
class Authorisation:
    """How a send's Authorization header is made, when it is sent.

    Attributes:
        header: the header as given; None with `mint` false sends none.
        mint: mint a token as the Bot Connector would, with the changes below.
        audience, expires_in, issuer, stranger, key_id: as for `FakeBotTokens.token`.
        issued_ago: seconds before now that the token says it was issued (negative: later).
        service_url: the ``serviceurl`` claim, if not the activity's.
        tamper: "signature" changes one character of the signature; "unsigned" sends the
            claims with ``alg: none`` and no signature.
    """

    header: str | None = None
    mint: bool = True
    audience: str = BOT_APP_ID
    expires_in: int = 3600
    issuer: str = ISSUER
    stranger: bool = False
    key_id: str | None = None
    issued_ago: int = 0
    service_url: str | None = None
    tamper: str | None = None

    def make(self, tokens: FakeBotTokens, service_url: str) -> str | None:
        if not self.mint:
            return self.header
        token = tokens.token(
            audience=self.audience,
            service_url=self.service_url or service_url,
            expires_in=self.expires_in,
            issuer=self.issuer,
            signed_by_stranger=self.stranger,
            key_id=self.key_id,
            now=datetime.now(UTC) - timedelta(seconds=self.issued_ago),
        )
        if self.tamper == "signature":
            last = "A" if token[-2] != "A" else "B"
            token = f"{token[:-2]}{last}{token[-1]}"
        elif self.tamper == "unsigned":
            _, claims, _ = token.split(".")
            header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": tokens.key_id}))
            token = f"{header}.{claims}."
        return f"Bearer {token}"


VALID = Authorisation()


@dataclass(frozen=True)
class Hostile:
    """One generated request, sent `sends` times, and the status each send must get.

    Attributes:
        category: the kind of trouble, a key of `STRATEGIES`.
        label: the variant within the category, for the report.
        body: the bytes sent.
        content_type: the Content-Type header; None sends none.
        authorisation: how the Authorization header is made.
        expected: the status every send must get.
        sends: how often the same request is delivered.
    """

    category: str
    label: str
    body: bytes
    content_type: str | None
    authorisation: Authorisation
    expected: int
    sends: int = 1

    @property
    def refused(self) -> bool:
        return 400 <= self.expected < 500


Strategy = Callable[[str, str], st.SearchStrategy[Hostile]]
"""A category's strategy, given the connector's service URL and the person's chat."""


def generated(strategy: st.SearchStrategy[Hostile], examples: int) -> list[Hostile]:
    """`examples` requests drawn from `strategy`, the same ones on every run."""
    drawn: list[Hostile] = []

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(hostile: Hostile) -> None:
        drawn.append(hostile)

    draw()
    return drawn


def hostile_activities(service_url: str, chat: str, per_category: int) -> list[Hostile]:
    """`per_category` requests of each category, taking turns."""
    drawn = [
        generated(strategy(service_url, chat), per_category) for strategy in STRATEGIES.values()
    ]
    return [hostile for turn in zip(*drawn, strict=False) for hostile in turn]


# Activities as Teams sends them


def said(
    service_url: str,
    chat: str,
    words: str,
    *,
    at: datetime = AT,
    locale: str = "en-US",
    **fields: Any,
) -> Json:
    """The person writing `words` in their chat, as a fresh activity (with `fields` over it)."""
    activity = message(
        words,
        user=USER,
        conversation_id=chat,
        service_url=service_url,
        locale=locale,
        at=at,
        activity_id=f"1{next(_serials):015d}",
    )
    return {**activity, **fields}


def _encoded(activity: Json) -> bytes:
    return json.dumps(activity).encode()


def _activities(service_url: str, chat: str) -> st.SearchStrategy[Json]:
    texts = st.sampled_from(["help", "plan", "results", "scan", "hulp", "Wat is een fase?"])
    moments = st.integers(0, 10**8).map(lambda seconds: AT + timedelta(seconds=seconds))
    return st.builds(
        lambda text, at, locale: said(service_url, chat, text, at=at, locale=locale),
        texts,
        moments,
        st.sampled_from(["en-US", "nl-NL", "de-DE"]),
    )


def _any_body(service_url: str, chat: str) -> st.SearchStrategy[bytes]:
    """Whatever a request without a valid token carries: it must not matter."""
    return st.one_of(
        _activities(service_url, chat).map(_encoded),
        st.binary(max_size=300),
        st.just(b"{"),
        st.just(b"\xff" * 40),
    )


def _unauthorised(
    category: str, service_url: str, chat: str, authorisations: st.SearchStrategy[Any]
) -> st.SearchStrategy[Hostile]:
    return st.builds(
        lambda body, labelled: Hostile(
            category, labelled[0], body, JSON, labelled[1], UNAUTHORISED
        ),
        _any_body(service_url, chat),
        authorisations,
    )


# The categories


def no_token(service_url: str, chat: str) -> st.SearchStrategy[Hostile]:
    headers = st.one_of(
        st.sampled_from(
            ["", "Bearer", "Bearer ", "bearer abc", "Basic dXNlcjpwYXNz", "Bearer a b"]
        ),
        st.text(_SAFE, max_size=60).map("Bearer ".__add__),
    )
    return _unauthorised(
        "no token",
        service_url,
        chat,
        st.one_of(
            st.just(("no header", Authorisation(mint=False))),
            headers.map(lambda header: ("not a token", Authorisation(header=header, mint=False))),
        ),
    )


def wrong_audience(service_url: str, chat: str) -> st.SearchStrategy[Hostile]:
    others = st.one_of(
        st.uuids().map(str),
        st.sampled_from(["", "https://api.botframework.com", BOT_APP_ID.upper(), f"{BOT_APP_ID} "]),
    )
    return _unauthorised(
        "wrong audience",
        service_url,
        chat,
        others.map(lambda other: ("another audience", Authorisation(audience=other))),
    )


def expired(service_url: str, chat: str) -> st.SearchStrategy[Hostile]:
    return _unauthorised(
        "expired",
        service_url,
        chat,
        st.one_of(
            st.integers(-(10**7), -400).map(
                lambda seconds: ("expired", Authorisation(expires_in=seconds))
            ),
            st.integers(400, 10**6).map(
                lambda seconds: ("not valid yet", Authorisation(issued_ago=-seconds))
            ),
        ),
    )


def forged(service_url: str, chat: str) -> st.SearchStrategy[Hostile]:
    variants = st.sampled_from(
        [
            ("signed by a stranger", Authorisation(stranger=True)),
            ("signature changed", Authorisation(tamper="signature")),
            ("unsigned (alg none)", Authorisation(tamper="unsigned")),
            ("a key not published", Authorisation(key_id="not-a-published-key")),
            ("another issuer", Authorisation(issuer="https://sts.example.com")),
        ]
    )
    elsewhere = Authorisation(service_url="https://elsewhere.example/")
    # A token for another service URL is known to be wrong only once the activity is read.
    for_elsewhere = _activities(service_url, chat).map(
        lambda activity: Hostile(
            "forged signature",
            "for another service url",
            _encoded(activity),
            JSON,
            elsewhere,
            UNAUTHORISED,
        )
    )
    return st.one_of(_unauthorised("forged signature", service_url, chat, variants), for_elsewhere)


def _broken(name: str, change: Callable[[Json], None]) -> tuple[str, Callable[[Json], Json]]:
    def broken(activity: Json) -> Json:
        copy = json.loads(json.dumps(activity))
        change(copy)
        return copy

    return name, broken


def _wrong(value: Any) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.integers(), st.booleans(), st.lists(st.integers(), max_size=2), st.just(value)
    )


def malformed_activity(service_url: str, chat: str) -> st.SearchStrategy[Hostile]:
    long_id = "29:" + "x" * (200)
    wrong = _wrong(None)
    breaks = st.one_of(
        st.sampled_from(["conversation", "from", "recipient", "serviceUrl", "type"]).map(
            lambda field: _broken(f"no {field}", lambda a: a.pop(field))
        ),
        st.tuples(st.sampled_from(["conversation", "from", "recipient"]), wrong).map(
            lambda fv: _broken(f"{fv[0]} is no account", lambda a: a.update({fv[0]: fv[1]}))
        ),
        st.tuples(
            st.sampled_from(["from", "recipient"]), st.sampled_from([None, "", 7, long_id])
        ).map(lambda fv: _broken(f"{fv[0]} id unusable", lambda a: a[fv[0]].update(id=fv[1]))),
        st.tuples(st.sampled_from(["id", "text", "locale", "replyToId"]), wrong).map(
            lambda fv: _broken(f"{fv[0]} is no text", lambda a: a.update({fv[0]: fv[1] or 1}))
        ),
        st.just(_broken("an id too long", lambda a: a.update(id="1" * 500))),
        st.sampled_from(["", "ftp://files.example/", "smba", 3]).map(
            lambda url: _broken("serviceUrl unusable", lambda a: a.update(serviceUrl=url))
        ),
        _wrong("a string").map(
            lambda v: _broken("channelData is no object", lambda a: a.update(channelData=v))
        ),
        st.sampled_from(["tenant", "team", "channel"]).map(
            lambda part: _broken(
                f"channelData.{part} unusable", lambda a: a["channelData"].update({part: "x"})
            )
        ),
        st.just(
            _broken(
                "no tenant",
                lambda a: (a["conversation"].pop("tenantId"), a["channelData"].pop("tenant")),
            )
        ),
        st.sampled_from(["x", [1], {"id": 1}]).map(
            lambda v: _broken("membersAdded unusable", lambda a: a.update(membersAdded=v))
        ),
        st.sampled_from(["yesterday", 5, "2024-13-45T99:99:99Z"]).map(
            lambda v: _broken("timestamp unusable", lambda a: a.update(timestamp=v))
        ),
        st.sampled_from(["x", [1], [None]]).map(
            lambda v: _broken("entities unusable", lambda a: a.update(entities=v))
        ),
    )
    return st.builds(
        lambda activity, named: Hostile(
            "malformed activity",
            named[0],
            _encoded(named[1](activity)),
            JSON,
            VALID,
            MALFORMED,
        ),
        _activities(service_url, chat),
        breaks,
    )


def bad_body(service_url: str, chat: str) -> st.SearchStrategy[Hostile]:
    activities = _activities(service_url, chat).map(_encoded)

    def hostile(label: str, body: bytes, content_type: str | None) -> Hostile:
        return Hostile("bad JSON, charset or type", label, body, content_type, VALID, MALFORMED)

    types = st.sampled_from(
        ["text/plain", "application/x-www-form-urlencoded", "text/html", "application/xml"]
    )
    charsets = st.sampled_from(["latin-1", "utf-16", "shift_jis", "nonsense", "utf-32"])
    not_json = st.one_of(
        st.binary(max_size=200).filter(lambda body: not _json_object(body)),
        st.sampled_from(
            [b"", b"{", b'{"type": "message",}', b"[]", b"null", b"1e999", b"NaN", b'"x"']
        ),
        st.integers(1000, 20_000).map(lambda depth: b"[" * depth),
        st.just(b'{"type": ' + b"1" * 5000 + b"}"),
    )
    return st.one_of(
        st.builds(lambda b, t: hostile(f"sent as {t}", b, t), activities, types),
        activities.map(lambda b: hostile("no content type", b, None)),
        st.builds(
            lambda b, c: hostile(
                f"charset {c}", b.decode().encode(_codec(c)), f"{JSON}; charset={c}"
            ),
            activities,
            charsets,
        ),
        activities.map(lambda b: hostile("not UTF-8", b[:-1] + b' "\xff\xfe"}', JSON)),
        not_json.map(lambda b: hostile("not a JSON object", b, JSON)),
    )


def unknown_card_data(service_url: str, chat: str) -> st.SearchStrategy[Hostile]:
    long = "q" * (MAX_ID + 1)
    values = st.one_of(
        _wrong("a string").filter(lambda v: v is not None).map(lambda v: ("no object", v)),
        st.text(max_size=20)
        .filter(lambda kind: kind not in _KINDS)
        .map(lambda kind: ("an unknown kind", {"advisor": kind})),
        st.just(("no kind", {"prompt": "role", "choice": "x"})),
        st.sampled_from(
            [
                {"advisor": "choice", "prompt": "role"},
                {"advisor": "choice", "prompt": "role", "choice": 3},
                {"advisor": "choice", "prompt": long, "choice": "x"},
                {"advisor": "choice", "prompt": "", "choice": "x"},
                {"advisor": "submit", "prompt": "media", "pick:media": [1, 2]},
                {"advisor": "submit", "prompt": "media", "pick:media": "a,," + long},
            ]
        ).map(lambda v: ("a choice tampered with", v)),
        st.sampled_from(["", "nonsense", "done", "done x", "done 1 never", "x" * 300]).map(
            lambda token: ("a button token tampered with", {"advisor": "act", "token": token})
        ),
        st.sampled_from(
            [
                {"advisor": "form", "form": "poll", "language": "en"},
                {"advisor": "form", "form": "measure", "language": "fr"},
                {"advisor": "form", "form": "measure", "language": "en", "button": "ok"},
                {"advisor": "form", "form": "measure", "language": "en", "week": 5},
                {"advisor": "form", "form": "launch", "language": "en", "report": "maybe"},
                {"advisor": "form", "form": "launch", "language": "nl", "deadline": 5},
            ]
        ).map(lambda v: ("a form tampered with", v)),
    )
    cards = st.builds(
        lambda labelled: Hostile(
            "unknown card data",
            labelled[0],
            _encoded(said(service_url, chat, "", value=labelled[1], text=None)),
            JSON,
            VALID,
            MALFORMED,
        ),
        values,
    )
    invokes = st.text(_SAFE, max_size=30).map(
        lambda name: Hostile(
            "unknown card data",
            "an invoke",
            _encoded(said(service_url, chat, "", type="invoke", name=name, value={"a": 1})),
            JSON,
            VALID,
            MALFORMED,
        )
    )
    return st.one_of(cards, invokes)


def duplicate(service_url: str, chat: str) -> st.SearchStrategy[Hostile]:
    return st.builds(
        lambda activity, sends: Hostile(
            "duplicate activity id",
            f"delivered {sends} times",
            _encoded(activity),
            JSON,
            VALID,
            HANDLED,
            sends,
        ),
        _activities(service_url, chat),
        st.integers(2, 3),
    )


STRATEGIES: dict[str, Strategy] = {
    "no token": no_token,
    "wrong audience": wrong_audience,
    "expired": expired,
    "forged signature": forged,
    "malformed activity": malformed_activity,
    "bad JSON, charset or type": bad_body,
    "unknown card data": unknown_card_data,
    "duplicate activity id": duplicate,
}


def _json_object(body: bytes) -> bool:
    try:
        return isinstance(json.loads(body), dict)
    except (ValueError, RecursionError):
        return False


def _codec(charset: str) -> str:
    return "utf-8" if charset == "nonsense" else charset


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
