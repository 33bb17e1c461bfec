"""Building the Bolt app: one workspace with a bot token, or many through Slack's OAuth flow."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import (
    AsyncAuthorize,
    AsyncInstallationStoreAuthorize,
)
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import App
from bot.jobs import JobRunner, worker_name
from bot.metrics import Metrics
from bot.settings import Settings
from bot.slack.campaigns import LAUNCH_JOB, SlackCampaigns
from bot.slack.delivery import ClientFor, SlackDelivery
from bot.slack.errors import ServerErrorRetryHandler
from bot.slack.listeners import SlackSurface
from bot.slack.names import CHANNEL, SlackNames
from bot.slack.oauth import SqlaSlackInstallationStore, SqlaSlackOAuthStateStore, workspace_key
from dialogs.records import Organisation
from storage.installations import SqlaInstallationRepository, SqlaStateRepository
from storage.jobs import SqlaJobQueue

log = logging.getLogger(__name__)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
EVENTS_PATH = "/slack/events"
BOT_SCOPES = (
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:read",
    "im:history",
    "im:write",
    "usergroups:read",
    "users:read",
)
"""What the features use, and no more: a channel's or user group's members for a launch (channels,
groups, usergroups), messages and direct messages, the slash command, the result's chart, a
person's locale and time zone, and the names the report writes for people and channels (users,
channels, groups). deploy/slack/manifest.yaml asks for exactly these (a test checks)."""
RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 2
CONNECTION_RETRIES = 2
"""The retries of one call share one count: a call is retried at most RATE_LIMIT_RETRIES times
in all, and for a server error or a dropped connection only while fewer than these were made."""
BACKOFF = BackoffRetryIntervalCalculator(backoff_factor=0.5)
"""Between retries of a server error or a dropped connection: 0.5 s, 1 s, ... plus up to 1 s of
jitter, so workers that failed together do not retry together. A 429 waits its Retry-After."""
SDK_LOGGER = "slack_sdk.web.async_base_client"
"""The logger slack_sdk's AsyncWebClient uses unless given another."""
TIMEOUT_SECONDS = 10
"""A call Slack has not answered by then fails (TimeoutError) and is not retried: it may have
reached Slack. Slack answers in well under a second; a report's upload is the largest call."""


CONNECTIONS = 400
CONNECTIONS_PER_HOST = 400
"""Open connections at most, in all and to Slack (one host): calls beyond wait for one. Nudges
for hundreds of workspaces go at ten a second each, and Slack answers in 100 to 300 ms: two
hundred workspaces keep three hundred calls on their way. Fifty a host held them to 250 a
second at Slack's pace (the bench's fast fake: the last workspaces began half a second late)."""
KEEPALIVE_SECONDS = 15.0
"""An idle connection is closed after this (aiohttp's default): well within the 60 s idle
timeout common load balancers allow, so a kept connection is rarely one the far end dropped
(and a dropped one is retried as a connection error)."""

_API_METHOD = re.compile(r"[a-z]+(\.[A-Za-z]+)+")


class CountingRetryHandler(AsyncRetryHandler):
    """Counts every answer of the Web API by method and outcome (ok, error, rate_limited);
    retries nothing itself. A retry handler, because Bolt copies a client's handlers into the
    clients it makes per installation."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(max_retry_count=0)
        self._calls = metrics.web_api_calls

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        method = request.url.rsplit("/", 1)[-1].partition("?")[0]
        if not _API_METHOD.fullmatch(method):
            method = "other"  # an upload URL: never a label
        if response is not None and response.status_code == 429:
            outcome = "rate_limited"
        elif error is None and response is not None and (response.body or {}).get("ok"):
            outcome = "ok"
        else:
            outcome = "error"
        self._calls.labels("slack", method, outcome).inc()
        return False


def web_client(
    settings: Settings,
    token: str | None = None,
    *,
    timeout: int = TIMEOUT_SECONDS,
    backoff: RetryIntervalCalculator = BACKOFF,
    metrics: Metrics | None = None,
    session: aiohttp.ClientSession | None = None,
    rate_limits: bool = True,
) -> AsyncWebClient:
    """A client that waits out 429s (Retry-After), retries server errors and dropped
    connections with `backoff`, and gives up on a call after `timeout` seconds; with `metrics`,
    each answer it gets is counted. Without `rate_limits` a 429 is raised at once, for a caller
    that paces and pauses a workspace's calls itself (`bot.slack.limits`).

    Without `session` (or once it is closed) each call opens a session and a connection of its
    own; with one, the call uses the session's connections and timeout (slack_sdk applies
    `timeout` only to sessions it makes itself): `WebApiSession`'s is TIMEOUT_SECONDS.

    What it still fails with is one of `bot.slack.errors.FAILURES`.
    """
    counting = [] if metrics is None else [CountingRetryHandler(metrics)]
    waiting = [AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)]
    return AsyncWebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=timeout,
        session=session,
        logger=_sdk_logger(),
        retry_handlers=[
            *counting,
            *(waiting if rate_limits else []),
            ServerErrorRetryHandler(
                max_retry_count=SERVER_ERROR_RETRIES, interval_calculator=backoff
            ),
            AsyncConnectionErrorRetryHandler(
                max_retry_count=CONNECTION_RETRIES, interval_calculator=backoff
            ),
        ],
    )


def _sdk_logger() -> logging.Logger:
    """slack_sdk's client logger with a level of its own. The SDK writes out each call's debug
    lines (its parameters, headers and answer) whenever the logger's own level is unset, even
    when nothing below WARNING is logged: a tenth of a nudge's time went to lines no one saw.
    Set from the level it has in effect, so debug logging set up before still shows them."""
    logger = logging.getLogger(SDK_LOGGER)
    if logger.level == logging.NOTSET:
        logger.setLevel(logger.getEffectiveLevel())
    return logger


class WebApiSession:
    """The one HTTP session all of a Slack app's Web API calls share, so their connections are
    kept alive and reused: without it slack_sdk opens a session, and a TCP and TLS connection,
    for every call. It belongs to one app (and its event loop), never to the module: tests run
    apps in loops of their own, and a session must not be used from another loop.

    Until `open` and after `close`, the clients fall back to a session per call.
    """

    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self._settings, self._metrics = settings, metrics
        self._session: aiohttp.ClientSession | None = None
        self._lasting: list[AsyncWebClient] = []

    def client(self, token: str | None = None, *, rate_limits: bool = True) -> AsyncWebClient:
        """A client with `token` on the session (if open): for one piece of work."""
        return web_client(
            self._settings,
            token,
            metrics=self._metrics,
            session=self._session,
            rate_limits=rate_limits,
        )

    def lasting(self, token: str | None = None) -> AsyncWebClient:
        """A client kept for the app's life (Bolt's own, whose session Bolt copies into each
        request's client): it is given the session when it opens."""
        client = self.client(token)
        self._lasting.append(client)
        return client

    def open(self) -> None:
        """Make the session, in the running event loop: the only one it may be used from."""
        if self._session is not None:
            return
        connector = aiohttp.TCPConnector(
            limit=CONNECTIONS,
            limit_per_host=CONNECTIONS_PER_HOST,
            keepalive_timeout=KEEPALIVE_SECONDS,
        )
        self._session = aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
        )
        for client in self._lasting:
            client.session = self._session

    async def close(self) -> None:
        """Close the session and its connections; a call made after it opens one of its own."""
        session, self._session = self._session, None
        for client in self._lasting:
            client.session = None
        if session is not None:
            await session.close()


@dataclass(frozen=True)
class SlackBot:
    """The Bolt app that answers Slack, and the background work the server runs beside it."""

    bolt: AsyncApp
    surface: SlackSurface
    campaigns: SlackCampaigns
    jobs: JobRunner
    delivery: SlackDelivery
    web_api: WebApiSession
    """Open it once the loop runs, close it when nothing calls Slack any more."""


def build_slack_app(settings: Settings, core: App) -> SlackBot:
    assert settings.slack_signing_secret is not None
    secret = settings.slack_signing_secret.get_secret_value()
    # A listener returns once what the person did is stored; only then does Slack get its 200
    # (see SlackSurface). Bolt's own log lines are multi-line hints for developers: errors only.
    common: dict[str, Any] = {
        "signing_secret": secret,
        # The edge verifies every request before it is read (bot/slack/edge.py); Bolt's check
        # would only compute the same signature again.
        "request_verification_enabled": False,
        "process_before_response": True,
        "logger": _quiet(logging.getLogger("bot.slack.bolt")),
    }
    web_api = WebApiSession(settings, core.metrics)
    if settings.slack_bot_token is not None:
        token = settings.slack_bot_token.get_secret_value()
        app = AsyncApp(client=web_api.lasting(token), **common)
    else:
        # Bolt's OAuth flow and authorize use this client too.
        oauth, client = _oauth(settings, core), web_api.lasting()
        app = AsyncApp(
            client=client,
            oauth_settings=oauth,
            # Bolt takes an AsyncAuthorize here; its hint names only plain functions.
            authorize=_cached(oauth, client),  # type: ignore[arg-type]
            **common,
        )
    client_for = _clients(web_api, core, app)
    # Nudges are paced per workspace and wait out a 429 there, not inside the send.
    delivery = SlackDelivery(_clients(web_api, core, app, rate_limits=False))
    core.names.add(CHANNEL, SlackNames(client_for))
    campaigns = SlackCampaigns(runner=core.campaigns(), client_for=client_for)
    lease = timedelta(seconds=settings.job_lease_seconds)
    jobs = JobRunner(SqlaJobQueue(core.database), core.clock, worker=worker_name(), lease=lease)
    jobs.handle(LAUNCH_JOB, campaigns.run_launch)
    surface = SlackSurface(
        advisor=core.advisor,
        organisations=core.organisations,
        campaigns=campaigns,
        jobs=jobs,
        clock=core.clock,
        desk=core.desk,
        leaving=core.leaving,
    )
    surface.register(app)
    _on_leaving(app, core)
    return SlackBot(app, surface, campaigns, jobs, delivery, web_api)


def _quiet(logger: logging.Logger) -> logging.Logger:
    logger.setLevel(logging.ERROR)
    return logger


def _on_leaving(app: AsyncApp, core: App) -> None:
    """Slack says when the app is removed or its bot token revoked: the workspace's organisation
    starts leaving (erased after ADVISOR_UNINSTALL_GRACE_DAYS unless the app is installed again),
    and with OAuth its installation is forgotten, so nothing keeps calling Slack with a dead
    token (reinstalling stores a fresh one). Bolt runs one listener per event, so ours calls
    Bolt's own."""
    single = app.installation_store is None
    forget_all = None if single else app.default_app_uninstalled_event_listener()
    forget_tokens = None if single else app.default_tokens_revoked_event_listener()

    async def uninstalled(context: AsyncBoltContext) -> None:
        if forget_all is not None:
            await forget_all(context=context)
        await _leave(core, context, "slack app_uninstalled", single=single)

    async def revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
        if forget_tokens is not None:
            await forget_tokens(event=event, context=context)
        # A user's own token revoked leaves the bot, and the workspace, in place.
        if event.get("tokens", {}).get("bot"):
            await _leave(core, context, "slack tokens_revoked", single=single)

    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(revoked)


async def _leave(core: App, context: AsyncBoltContext, reason: str, *, single: bool) -> None:
    key = workspace_key(context.enterprise_id, context.team_id, bool(context.is_enterprise_install))
    org = await core.organisations.find(key)
    if org is not None:
        await core.leaving.mark(org.id, now=core.clock.now(), reason=reason)
    days = core.settings.uninstall_grace_days
    if single:
        log.error(
            "Slack removed the app or revoked its token: ADVISOR_SLACK_BOT_TOKEN no longer works; "
            "reinstall the app and set the new token. The workspace's data is erased in %d days "
            "unless the app is installed there again",
            days,
        )
    else:
        log.warning(
            "Slack removed the app from a workspace (%s): its data is erased in %d days unless "
            "the app is installed there again",
            reason,
            days,
        )


def _clients(
    web_api: WebApiSession, core: App, app: AsyncApp, *, rate_limits: bool = True
) -> ClientFor:
    """For background work: the organisation and a client holding its workspace's bot token;
    without `rate_limits`, one that raises a 429 at once (see `web_client`)."""

    async def client_for(org_id: int) -> tuple[Organisation, AsyncWebClient]:
        org = await core.organisations.get(org_id)
        if org is None:
            raise LookupError(f"no organisation with id {org_id}")
        store = app.installation_store
        if store is None:
            if rate_limits:
                return org, app.client
            return org, web_api.client(app.client.token, rate_limits=False)
        workspace = org.key.removeprefix("slack:")
        enterprise = workspace.startswith("E")
        bot = await store.async_find_bot(
            enterprise_id=workspace if enterprise else None,
            team_id=None if enterprise else workspace,
            is_enterprise_install=enterprise,
        )
        if bot is None:
            raise LookupError(f"organisation {org_id} has no Slack installation")
        return org, web_api.client(bot.bot_token, rate_limits=rate_limits)

    return client_for


def _cached(oauth: AsyncOAuthSettings, client: AsyncWebClient) -> AsyncAuthorize:
    """Bolt's own authorize from the installations, but remembering each token's auth.test:
    without that, every click waits on a Web API call before it is stored, and fails with a
    200 and a 'please reinstall' message whenever that call does. A removed installation is not
    found any more, so its token is never used from the cache."""
    return AsyncInstallationStoreAuthorize(
        installation_store=oauth.installation_store,
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        logger=logging.getLogger("bot.slack.bolt"),
        cache_enabled=True,
        client=client,
    )


def _oauth(settings: Settings, core: App) -> AsyncOAuthSettings:
    client_secret, key = settings.slack_client_secret, settings.encryption_key
    if client_secret is None or key is None:
        raise ValueError("Slack's OAuth flow needs a client secret and an encryption key")
    from storage.secrets import SecretBox  # cryptography: only with installations to encrypt

    box = SecretBox.from_setting(key.get_secret_value())
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=SqlaSlackInstallationStore(
            SqlaInstallationRepository(core.database, box), installed=_staying(core)
        ),
        state_store=SqlaSlackOAuthStateStore(SqlaStateRepository(core.database), clock=core.clock),
    )


def _staying(core: App) -> Callable[[str], Awaitable[None]]:
    """An install (or a token refresh) in a workspace: its organisation, if leaving, stays."""

    async def installed(key: str) -> None:
        org = await core.organisations.find(key)
        if org is not None:
            await core.leaving.stay(org.id, now=core.clock.now())

    return installed
