"""Building the Teams bot: the Bot Framework adapter, its authentication, and `/api/messages`.

Every Bot Framework type stays inside `bot/teams/`. Microsoft has archived the Python Bot
Framework SDK; its successor is the Microsoft 365 Agents SDK, and moving to it touches this
folder only (see docs/teams.md).
"""

from __future__ import annotations

import ipaddress
import json
import logging
from dataclasses import dataclass
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
from bot.settings import ConfigError, Settings
from bot.teams.campaigns import TeamsCampaigns
from bot.teams.connector import Connector
from bot.teams.delivery import TeamsDelivery
from bot.teams.surface import TeamsSurface
from dialogs.campaigns import Campaigns
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
        """One activity from Teams (or the Emulator): authenticated by the SDK, then the turn."""
        if request.content_type != "application/json":
            return _refused(415, "an activity must be sent as application/json")
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _refused(400, "the body is not JSON")
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            return _refused(400, "the body is not a Bot Framework activity (no type)")
        try:
            activity = Activity().deserialize(body)
        except Exception:  # msrest raises several kinds for a malformed field
            return _refused(400, "the body is not a Bot Framework activity")
        if activity.conversation is None or activity.from_property is None:
            return _refused(400, "an activity needs a conversation and a sender")
        header = request.headers.get("Authorization")
        if header is None and self.authenticated:
            return _refused(401, "unauthorised")
        try:
            # Apart from PermissionError, the SDK raises PyJWT's errors (expired, forged) and
            # IndexError (an unknown key): each means the token is not one to trust.
            authenticated = await self.adapter.bot_framework_authentication.authenticate_request(
                activity, header or ""
            )
        except Exception as error:
            log.warning(
                "refused a Teams activity not signed for this bot: %s", type(error).__name__
            )
            return _refused(401, "unauthorised")
        response = await self.adapter.process_activity(
            authenticated, activity, self.surface.on_turn
        )
        if response is not None:
            return web.json_response(response.body, status=response.status)
        return web.Response(status=200)


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
    connector = Connector(adapter, settings.teams_app_id or "")
    conversations = SqlaTeamsConversations(core.database)
    campaigns = TeamsCampaigns(
        advisor=core.advisor,
        campaigns=Campaigns(
            organisations=core.organisations,
            scans=core.scans,
            launches=core.activation.launches,
            clock=core.clock,
            bank_version=core.advisor.knowledge.bank.version,
        ),
        launches=core.activation.launches,
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
        clock=core.clock,
    )
    delivery = TeamsDelivery(connector, conversations, core.clock)
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


def _refused(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)
