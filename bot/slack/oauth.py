"""Slack's OAuth stores on the advisor's own database: installations and one-time states."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from dialogs.ports import Clock
from storage.installations import SqlaInstallationRepository, SqlaStateRepository

PROVIDER = "slack"
STATE_EXPIRATION_SECONDS = 600
"""Slack's own default: a user has ten minutes to finish the install page."""


def workspace_key(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool
) -> str:
    """The organisation key of a Slack install: ``slack:E…`` org-wide, ``slack:T…`` otherwise.

    Raises:
        ValueError: the id the key needs is missing.
    """
    if is_enterprise_install:
        if not enterprise_id:
            raise ValueError("an enterprise-wide install needs an enterprise id")
        return f"{PROVIDER}:{enterprise_id}"
    if not team_id:
        raise ValueError("a workspace install needs a team id")
    return f"{PROVIDER}:{team_id}"


class SqlaSlackInstallationStore(AsyncInstallationStore):
    """slack_sdk's `AsyncInstallationStore` on `SqlaInstallationRepository`.

    Lookups follow slack_sdk's own SQLAlchemy store: the latest row wins, and a user's
    installation carries the workspace's latest bot token (bolt-python issue #664).

    Args:
        installations: the repository the documents live in.
        installed: told the organisation key of every workspace an installation is saved for
            (an organisation leaving there stays).
        logger: where slack_sdk's machinery logs; this module's logger by default.
    """

    def __init__(
        self,
        installations: SqlaInstallationRepository,
        *,
        installed: Callable[[str], Awaitable[None]] | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        self._installations = installations
        self._installed = installed
        self._logger = logger or logging.getLogger(__name__)

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    async def async_save(self, installation: Installation) -> None:
        # Without a user id the row would pass for the workspace's bot-level one.
        if not installation.user_id:
            raise ValueError("an installation needs the id of the user who installed it")
        enterprise_id, team_id = _scope(installation)
        await self._installations.save(
            PROVIDER,
            enterprise_id,
            team_id,
            installation.user_id,
            _installation_document(installation),
            _moment(installation.installed_at),
        )
        await self.async_save_bot(installation.to_bot())
        if self._installed is not None:
            await self._installed(
                workspace_key(enterprise_id, team_id, bool(installation.is_enterprise_install))
            )

    async def async_save_bot(self, bot: Bot) -> None:
        # A user-token-only install has no bot: keep the workspace's last real one findable.
        if bot.bot_token is None:
            self._logger.debug("no bot token in this installation: the bot row is unchanged")
            return
        enterprise_id, team_id = _scope(bot)
        await self._installations.save(
            PROVIDER, enterprise_id, team_id, None, _bot_document(bot), _moment(bot.installed_at)
        )

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        document = await self._installations.find_bot(
            PROVIDER, enterprise_id, team_id, bool(is_enterprise_install)
        )
        return None if document is None else Bot(**document)

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        document = await self._installations.find_user(
            PROVIDER, enterprise_id, team_id, user_id, bool(is_enterprise_install)
        )
        if document is None:
            return None
        installation = Installation(**document)
        if user_id is not None or installation.bot_token is None:
            bot = await self.async_find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )
            if bot is not None and bot.bot_token != installation.bot_token:
                _take_bot(installation, bot)
        return installation

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._installations.delete_bot(PROVIDER, enterprise_id, team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self._installations.delete(PROVIDER, enterprise_id, team_id, user_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._installations.delete_all(PROVIDER, enterprise_id, team_id)


class SqlaSlackOAuthStateStore(AsyncOAuthStateStore):
    """slack_sdk's `AsyncOAuthStateStore` on `SqlaStateRepository`: random, single-use states.

    Args:
        states: the repository the states live in.
        expiration_seconds: how long an issued state stays good.
        clock: the time; the system clock by default.
        logger: where slack_sdk's machinery logs; this module's logger by default.
    """

    def __init__(
        self,
        states: SqlaStateRepository,
        *,
        expiration_seconds: int = STATE_EXPIRATION_SECONDS,
        clock: Clock | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        self._states = states
        self.expiration_seconds = expiration_seconds
        self._clock = clock or _SystemClock()
        self._logger = logger or logging.getLogger(__name__)

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(32)
        await self._states.issue(
            state, self._clock.now(), timedelta(seconds=self.expiration_seconds)
        )
        return state

    async def async_consume(self, state: str) -> bool:
        return await self._states.consume(state, self._clock.now())


class _SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def _scope(install: Installation | Bot) -> tuple[str | None, str | None]:
    """The enterprise and team an install is stored under: org-wide ones by enterprise alone."""
    if install.is_enterprise_install:
        return install.enterprise_id, None
    return install.enterprise_id, install.team_id


def _moment(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def _installation_document(installation: Installation) -> dict[str, Any]:
    """Constructor arguments that rebuild the same `Installation`, JSON-ready.

    `to_dict_for_copying` gives datetimes and joined scopes; the attributes keep the exact
    float and integer timestamps and the scope lists.
    """
    return {
        **installation.to_dict_for_copying(),
        "bot_scopes": _scopes(installation.bot_scopes),
        "bot_token_expires_at": installation.bot_token_expires_at,
        "user_scopes": _scopes(installation.user_scopes),
        "user_token_expires_at": installation.user_token_expires_at,
        "installed_at": installation.installed_at,
    }


def _bot_document(bot: Bot) -> dict[str, Any]:
    """Constructor arguments that rebuild the same `Bot`, JSON-ready."""
    return {
        **bot.to_dict_for_copying(),
        "bot_scopes": _scopes(bot.bot_scopes),
        "bot_token_expires_at": bot.bot_token_expires_at,
        "installed_at": bot.installed_at,
    }


def _scopes(scopes: Any) -> list[str] | None:
    return None if scopes is None else list(scopes)


def _take_bot(installation: Installation, bot: Bot) -> None:
    installation.bot_id = bot.bot_id
    installation.bot_user_id = bot.bot_user_id
    installation.bot_token = bot.bot_token
    installation.bot_scopes = bot.bot_scopes
    installation.bot_refresh_token = bot.bot_refresh_token
    installation.bot_token_expires_at = bot.bot_token_expires_at
