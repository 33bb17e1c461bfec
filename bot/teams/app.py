"""Building the Teams bot: the Bot Framework adapter, its authentication, and `/api/messages`.

Every Bot Framework type stays inside `bot/teams/`. Microsoft has archived the Python Bot
Framework SDK; its successor is the Microsoft 365 Agents SDK, and moving to it touches this
folder only (see docs/teams.md).
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace

from aiohttp import web
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticationConstants,
    ServiceClientCredentialsFactory,
)

from bot.app import App
from bot.refusals import Refused
from bot.settings import ConfigError, Settings
from bot.teams import edge
from bot.teams.campaigns import TeamsCampaigns
from bot.teams.connector import Connector
from bot.teams.delivery import TeamsDelivery
from bot.teams.inbound import Said, UnknownAction, said
from bot.teams.surface import TeamsSurface
from storage.launches import SqlaEventLog
from storage.teams import SqlaTeamsConversations

log = logging.getLogger(__name__)
MESSAGES_PATH = "/api/messages"


@dataclass(frozen=True)
class TeamsBot:
    """The bot that answers Teams, and what the server runs and sends beside it."""

    surface: TeamsSurface
    campaigns: TeamsCampaigns
    delivery: TeamsDelivery
    adapter: CloudAdapter
    authenticated: bool

    def routes(self) -> list[web.RouteDef]:
        return [web.post(MESSAGES_PATH, self._messages)]

    async def _messages(self, request: web.Request) -> web.Response:
        """One activity from Teams (or the Emulator): verified and read at the door, then the
        turn, which has stored what it changed by the time this answers."""
        header = request.headers.get("Authorization")
        authentication = self.adapter.bot_framework_authentication
        try:
            if self.authenticated:
                await edge.verify_token(authentication, header)
            body = await request.read()  # over the server's cap: aiohttp answers 413
            activity = edge.parse(
                request.content_type, request.charset, body, teams_only=self.authenticated
            )
            authenticated = await edge.authenticate(authentication, activity, header or "")
            said = _said(activity)
        except Refused as refused:
            log.warning("refused a Teams activity (%s): %s", refused.status, refused.reason)
            return refused.response()
        # The turn answers its own failures; anything else is the web app's one line and 500.
        response = await self.adapter.process_activity(
            authenticated, activity, partial(self.surface.on_turn, said=said)
        )
        if response is not None:
            return web.json_response(response.body, status=response.status)
        return web.Response(status=200)


def _said(activity: Activity) -> Said:
    try:
        return said(activity.type, activity.value, activity.text)
    except UnknownAction as error:
        raise Refused(400, f"unknown card data: {error}") from None


def build_teams_bot(
    settings: Settings,
    core: App,
    *,
    credentials: ServiceClientCredentialsFactory | None = None,
) -> TeamsBot:
    """The Teams bot; with no app id it authenticates nothing (the Emulator, on loopback).

    Args:
        credentials: how the bot gets its own tokens for calling Teams; by default from the
            app id and password (or managed identity) in the settings.
    """
    adapter = CloudAdapter(
        ConfigurationBotFrameworkAuthentication(
            _configuration(settings), credentials_factory=credentials
        )
    )
    connector = Connector(adapter, settings.teams_app_id or "", metrics=core.metrics)
    conversations = SqlaTeamsConversations(core.database)
    campaigns = TeamsCampaigns(
        runner=core.campaigns(),
        conversations=conversations,
        connector=connector,
        clock=core.clock,
    )
    surface = TeamsSurface(
        advisor=core.advisor,
        organisations=core.organisations,
        campaigns=campaigns,
        conversations=conversations,
        connector=connector,
        desk=core.desk,
        people=core.activation.people,
        events=SqlaEventLog(core.database),
        clock=core.clock,
        authenticated=settings.teams_authenticated,
        leaving=core.leaving,
    )
    delivery = TeamsDelivery(connector, conversations, core.clock, organisations=core.organisations)
    return TeamsBot(surface, campaigns, delivery, adapter, settings.teams_authenticated)


def check_exposure(settings: Settings) -> None:
    """Refuse to serve unauthenticated Teams activities beyond this machine, unless told to.

    Raises:
        ConfigError: no app id, a non-loopback address, and no explicit permission.
    """
    if not settings.teams_enabled or settings.teams_authenticated or _loopback(settings.host):
        return
    if not settings.teams_allow_unauthenticated:
        raise ConfigError(
            f"Teams without ADVISOR_TEAMS_APP_ID accepts unsigned activities, so it is served "
            f"on a loopback address only, not {settings.host}: set the app id and password, "
            f"or ADVISOR_HOST=127.0.0.1 (or ADVISOR_TEAMS_ALLOW_UNAUTHENTICATED=true, at your risk)"
        )
    log.warning(
        "serving Teams WITHOUT authentication on %s: anyone who can reach it can act as anyone",
        settings.host,
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _configuration(settings: Settings) -> SimpleNamespace:
    """The SDK reads its settings as attributes (MicrosoftAppId and friends)."""
    password = settings.teams_app_password
    configuration = SimpleNamespace(
        APP_ID=settings.teams_app_id or "",
        APP_PASSWORD=password.get_secret_value() if password else "",
        APP_TYPE=settings.teams_app_type,
        APP_TENANTID=settings.teams_tenant_id or "",
    )
    if settings.teams_openid_metadata_url or settings.teams_login_url:
        # Given any of these, the SDK takes none of its public-cloud defaults: all of them.
        metadata = settings.teams_openid_metadata_url
        configuration.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = (
            metadata or AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
        )
        configuration.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = (
            metadata or AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
        )
        configuration.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = (
            AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
        )
        configuration.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = (
            AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
        )
        configuration.TO_CHANNEL_FROM_BOT_LOGIN_URL = (
            settings.teams_login_url or AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL
        )
        configuration.VALIDATE_AUTHORITY = True
    return configuration
