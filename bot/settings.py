"""Configuration from the environment (ADVISOR_*), validated at start-up."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from engine.vocabulary import Language

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/advisor.db"
DATABASE_SETTING = "ADVISOR_DATABASE_URL"
BOT_TOKEN_PREFIX = "xoxb-"
APP_TOKEN_PREFIX = "xapp-"


class Settings(BaseSettings):
    """Every setting can be given as an environment variable, e.g. ADVISOR_DATABASE_URL."""

    model_config = SettingsConfigDict(env_prefix="ADVISOR_", env_file=".env", extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        pattern=r"^(sqlite\+aiosqlite|postgresql\+asyncpg)://",
        description="sqlite+aiosqlite:///path.db (embedded) or postgresql+asyncpg://... ",
    )
    auto_migrate: bool = Field(True, description="Upgrade an older database schema at start-up.")
    language: Language = Field(Language.NL, description="The language of a new organisation.")
    org: str = Field(
        "My organisation", min_length=1, description="The organisation `advisor` opens."
    )

    host: str = Field("127.0.0.1", description="The address `advisor serve` listens on.")
    port: int = Field(3000, ge=1, le=65535)
    tick_seconds: float = Field(
        30, gt=0, le=3600, description="How often `advisor serve` sends due nudges."
    )
    nudge_lease_seconds: float = Field(
        300, gt=0, description="After this, a nudge a crashed worker claimed is claimed again."
    )
    job_lease_seconds: float = Field(
        120, gt=0, description="After this, a job (a launch) a crashed worker held is run again."
    )
    uninstall_grace_days: int = Field(
        30,
        ge=0,
        le=3650,
        description="After the app is removed from a workspace or tenant, how many days its "
        "organisation's data is kept (for a reinstall) before it is erased.",
    )
    retention_months: int = Field(
        24,
        ge=1,
        le=1200,
        description="Answer sheets of scans closed longer ago than this are anonymised.",
    )
    header_timeout_seconds: float = Field(
        10,
        gt=0,
        le=3600,
        description="How long a client may take over a request's headers, and stay quiet between "
        "requests on a kept-alive connection.",
    )
    body_timeout_seconds: float = Field(
        10, gt=0, le=3600, description="How long a client may take over a request's body (408)."
    )
    max_connections_per_address: int = Field(
        100, ge=1, description="Open connections one client address may hold; more are refused."
    )
    log_format: Literal["json", "text"] = Field(
        "text",
        description="`json`: one JSON object a line (time, level, logger, message, context).",
    )
    shutdown_seconds: float = Field(
        20,
        gt=0,
        le=3600,
        description="On SIGTERM, how long requests in flight and a running tick may take.",
    )

    slack_signing_secret: SecretStr | None = None
    slack_bot_token: SecretStr | None = Field(None, description="A single workspace (development).")
    slack_client_id: str | None = Field(None, description="Distribution: Slack's OAuth v2 flow.")
    slack_client_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = Field(None, description="xapp- token for Socket Mode.")
    slack_api_url: str = Field("https://slack.com/api/", pattern=r"^https?://.+/$")
    encryption_key: SecretStr | None = Field(
        None, description="Fernet key(s), comma-separated, encrypting stored tokens."
    )

    teams: bool = Field(
        False, description="Serve Microsoft Teams at /api/messages (on with a Teams app id)."
    )
    teams_app_id: str | None = Field(None, description="The bot's Microsoft app id (a GUID).")
    teams_app_password: SecretStr | None = Field(None, description="The app's client secret.")
    teams_app_type: Literal["MultiTenant", "SingleTenant", "UserAssignedMSI"] = "MultiTenant"
    teams_tenant_id: str | None = Field(None, description="For SingleTenant and UserAssignedMSI.")
    teams_allow_unauthenticated: bool = Field(
        False,
        description="Without an app id, also accept Teams activities on a non-loopback address.",
    )
    teams_openid_metadata_url: str | None = Field(
        None, description="Where the Bot Connector's signing keys are published (other clouds)."
    )
    teams_login_url: str | None = Field(
        None, description="Where the bot gets its tokens for calling Teams (other clouds)."
    )

    @field_validator(
        "slack_signing_secret",
        "slack_bot_token",
        "slack_client_id",
        "slack_client_secret",
        "slack_app_token",
        "encryption_key",
        "teams_app_id",
        "teams_app_password",
        "teams_tenant_id",
        "teams_openid_metadata_url",
        "teams_login_url",
    )
    @classmethod
    def _not_empty(cls, value: SecretStr | str | None) -> SecretStr | str | None:
        # An empty variable is a mistake, not a way to leave a setting out: an empty signing
        # secret used to start a server that answered every Slack request with 500.
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if text is not None and not text.strip():
            raise ValueError("is empty (give it a value, or remove it)")
        return value

    @field_validator("slack_bot_token")
    @classmethod
    def _a_bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _with_prefix(value, BOT_TOKEN_PREFIX, "the Bot User OAuth Token")

    @field_validator("slack_app_token")
    @classmethod
    def _an_app_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _with_prefix(value, APP_TOKEN_PREFIX, "an app-level token with connections:write")

    @field_validator("database_url")
    @classmethod
    def _a_database_url(cls, value: str) -> str:
        try:
            make_url(value)
        except ValueError:
            # SQLAlchemy's message can quote part of the URL, and so of its password.
            raise ValueError(
                "is not a database URL (is a port or the password malformed?)"
            ) from None
        return value

    @model_validator(mode="after")
    def _encryption_key_usable(self) -> Settings:
        if self.encryption_key is not None:
            # Imported only with a key: cryptography costs ~6 MB that other commands never use.
            from storage.secrets import SecretBox

            SecretBox.from_setting(self.encryption_key.get_secret_value())
        return self

    @model_validator(mode="after")
    def _slack_complete(self) -> Settings:
        oauth = self.slack_client_id is not None or self.slack_client_secret is not None
        if self.slack_bot_token is None and not oauth:
            return self
        if self.slack_signing_secret is None:
            raise ValueError(
                "ADVISOR_SLACK_SIGNING_SECRET is required to receive requests from Slack"
            )
        if oauth and self.slack_bot_token is None:
            missing = [
                f"ADVISOR_{name}"
                for name, value in (
                    ("SLACK_CLIENT_ID", self.slack_client_id),
                    ("SLACK_CLIENT_SECRET", self.slack_client_secret),
                    ("ENCRYPTION_KEY", self.encryption_key),
                )
                if value is None
            ]
            if missing:
                raise ValueError(f"Slack's OAuth flow also needs {', '.join(missing)}")
        return self

    @model_validator(mode="after")
    def _teams_complete(self) -> Settings:
        if self.teams_app_id is None:
            return self
        if self.teams_app_type != "UserAssignedMSI" and self.teams_app_password is None:
            raise ValueError("ADVISOR_TEAMS_APP_PASSWORD is required with ADVISOR_TEAMS_APP_ID")
        if self.teams_app_type != "MultiTenant" and self.teams_tenant_id is None:
            raise ValueError(f"a {self.teams_app_type} Teams app needs ADVISOR_TEAMS_TENANT_ID")
        return self

    @property
    def slack_enabled(self) -> bool:
        return self.slack_signing_secret is not None

    @property
    def teams_enabled(self) -> bool:
        return self.teams or self.teams_app_id is not None

    @property
    def teams_authenticated(self) -> bool:
        """Whether every Teams activity must carry a valid Bot Connector token."""
        return self.teams_app_id is not None


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names it."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = "; ".join(_problem(e["loc"], e["msg"]) for e in error.errors())
        raise ConfigError(problems) from None


def _with_prefix(token: SecretStr | None, prefix: str, kind: str) -> SecretStr | None:
    """The token, unless it lacks Slack's prefix for its kind; the message never shows it."""
    if token is None or token.get_secret_value().startswith(prefix):
        return token
    raise ValueError(f"must start with {prefix} ({kind})")


def _problem(location: tuple[int | str, ...], message: str) -> str:
    message = message.removeprefix("Value error, ")
    if not location:
        return message
    return f"ADVISOR_{'_'.join(str(part) for part in location).upper()}: {message}"
