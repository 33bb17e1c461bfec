"""A fake of Microsoft's token side: the Bot Connector's signing keys, and outbound credentials.

`FakeBotTokens` publishes an OpenID configuration and a JWKS on loopback, as
login.botframework.com does, and mints RS256 tokens like the ones the Bot Connector puts on
the activities it posts to a bot. It serves from its own thread because the SDK fetches the
metadata with the blocking `requests` library inside the bot's event loop.

`FakeCredentialsFactory` stands in for Azure AD when the bot calls the connector: its
credentials put a fixed bearer token on every request. (A fake AAD token endpoint is not
practical: MSAL only accepts an https authority, and because `MicrosoftAppCredentials` does not
pass `validate_authority` on, MSAL would also ask login.microsoftonline.com to validate any
unknown host.)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace, TracebackType
from typing import Any
from uuid import uuid4

import jwt
import pytest
from botframework.connector.auth import (
    AppCredentials,
    JwtTokenExtractor,
    ServiceClientCredentialsFactory,
)
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"
"""The ``iss`` of tokens the Bot Connector sends to bots."""
OAUTH_SCOPE = "https://api.botframework.com"
"""The audience a bot asks Azure AD for when it calls the connector."""
METADATA_PATH = "/v1/.well-known/openidconfiguration"
KEYS_PATH = "/v1/keys"
ENDORSEMENTS = ("msteams", "emulator")


class FakeBotTokens:
    """login.botframework.com's metadata and keys at `metadata_url`, and tokens signed with them.

    Use ``with FakeBotTokens() as tokens:`` or the `fake_bot_tokens` fixture; hand the SDK
    `configuration(app_id)`.
    """

    def __init__(self, *, endorsements: Iterable[str] = ENDORSEMENTS) -> None:
        self.key_id = f"fake-{uuid4().hex[:16]}"
        self.endorsements = tuple(endorsements)
        self._key = _new_key()
        self._stranger: rsa.RSAPrivateKey | None = None
        self.fetched: list[str] = []
        """The paths fetched so far, in order (the SDK caches keys for a day per URL)."""
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The server's root, e.g. ``http://127.0.0.1:54321``."""
        if self._server is None:
            raise RuntimeError("the fake token service is not running: use `with`")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def metadata_url(self) -> str:
        """The OpenID configuration: what TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL points at."""
        return self.url + METADATA_PATH

    @property
    def jwks(self) -> dict[str, Any]:
        """The published keys: one RSA key with our `key_id` and `endorsements`."""
        key = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        return {
            "keys": [
                {
                    **key,
                    "use": "sig",
                    "kid": self.key_id,
                    "endorsements": list(self.endorsements),
                }
            ]
        }

    def start(self) -> FakeBotTokens:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-bot-tokens",
            daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        if self._server is None or self._thread is None:
            return
        # The SDK keeps fetched keys per metadata URL for the whole process; a later fake
        # could be given this port again, with other keys.
        JwtTokenExtractor.metadataCache.pop(self.metadata_url, None)
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> FakeBotTokens:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def token(
        self,
        *,
        audience: str,
        service_url: str,
        expires_in: int = 3600,
        issuer: str = ISSUER,
        signed_by_stranger: bool = False,
        key_id: str | None = None,
        now: datetime | None = None,
    ) -> str:
        """A token as the Bot Connector signs it for an activity it posts to the bot.

        Args:
            audience: the bot's app id (``aud``).
            service_url: the activity's ``serviceUrl``; the SDK wants the ``serviceurl``
                claim to be exactly that string.
            expires_in: seconds from `now` to ``exp``; negative for an expired token (the SDK
                allows five minutes of clock skew).
            issuer: ``iss``; the SDK accepts only the connector's.
            signed_by_stranger: sign with a key that is not published, under our key id.
            key_id: name this key id in the header instead (one that is not published).
            now: when the token is issued; the current time by default.
        """
        issued = now or datetime.now(UTC)
        claims = {
            "serviceurl": service_url,
            "nbf": int(issued.timestamp()),
            "exp": int((issued + timedelta(seconds=expires_in)).timestamp()),
            "iss": issuer,
            "aud": audience,
        }
        key = self._key
        if signed_by_stranger:
            self._stranger = self._stranger or _new_key()
            key = self._stranger
        headers = {"kid": key_id if key_id is not None else self.key_id}
        # The key object itself: PyJWT would load a PEM again, checking the key each time,
        # which takes a tenth of a second.
        return jwt.encode(claims, key, algorithm="RS256", headers=headers)

    def configuration(self, app_id: str | None, app_password: str = "fake-secret") -> Any:
        """Settings for ``ConfigurationBotFrameworkAuthentication`` that trust these keys.

        Setting any of the SDK's TO_BOT_FROM_*/TO_CHANNEL_FROM_* values switches it to its
        "parameterized" mode, which has no defaults: the issuer and the outbound scope must
        be given too, or every token fails the issuer check.
        """
        return SimpleNamespace(
            APP_ID=app_id,
            APP_PASSWORD=app_password,
            TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=self.metadata_url,
            TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=ISSUER,
            TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL=self.metadata_url,
            TO_CHANNEL_FROM_BOT_OAUTH_SCOPE=OAUTH_SCOPE,
            TO_CHANNEL_FROM_BOT_LOGIN_URL=f"{self.url}/botframework.com",
            VALIDATE_AUTHORITY=True,
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        tokens = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                tokens.fetched.append(self.path)
                if self.path == METADATA_PATH:
                    self._json(
                        {
                            "issuer": ISSUER,
                            "authorization_endpoint": "https://invalid.botframework.com",
                            "jwks_uri": tokens.url + KEYS_PATH,
                            "id_token_signing_alg_values_supported": ["RS256"],
                            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                        }
                    )
                elif self.path == KEYS_PATH:
                    self._json(tokens.jwks)
                else:
                    self.send_error(HTTPStatus.NOT_FOUND)

            def _json(self, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: pytest shows stderr of failing tests, and these lines are noise."""

        return Handler


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class _FixedTokenCredentials(AppCredentials):
    """What `MicrosoftAppCredentials` would be after Azure AD issued `token`."""

    def __init__(self, app_id: str, token: str, oauth_scope: str | None) -> None:
        super().__init__(app_id=app_id, oauth_scope=oauth_scope)
        self._token = token

    def get_access_token(self, force_refresh: bool = False) -> str:
        return self._token


class FakeCredentialsFactory(ServiceClientCredentialsFactory):
    """Credentials for the bot's outbound calls that send ``Authorization: Bearer <token>``.

    Pass it as ``ConfigurationBotFrameworkAuthentication(config, credentials_factory=...)``.
    With no `app_id`, authentication is off and no token is sent, as with the real factory.
    """

    def __init__(self, app_id: str | None, token: str = "fake-outbound-token") -> None:
        self.app_id = app_id
        self.token = token
        self.created: list[tuple[str, str]] = []
        """(app id, oauth scope) of every credentials object made, in order."""

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == self.app_id

    async def is_authentication_disabled(self) -> bool:
        return not self.app_id

    async def create_credentials(
        self,
        app_id: str,
        oauth_scope: str,
        login_endpoint: str,
        validate_authority: bool,
    ) -> AppCredentials:
        self.created.append((app_id, oauth_scope))
        if not self.app_id:
            return _FixedTokenCredentials("", "", oauth_scope)
        if app_id != self.app_id:
            raise PermissionError(f"Invalid app_id: {app_id}")
        return _FixedTokenCredentials(app_id, self.token, oauth_scope)


@pytest.fixture
def fake_bot_tokens() -> Iterator[FakeBotTokens]:
    """A running `FakeBotTokens`, stopped after the test."""
    with FakeBotTokens() as tokens:
        yield tokens


__all__ = [
    "ENDORSEMENTS",
    "ISSUER",
    "OAUTH_SCOPE",
    "FakeBotTokens",
    "FakeCredentialsFactory",
    "fake_bot_tokens",
]
