"""Configuration from the environment (ADVISOR_*), validated at start-up."""

from __future__ import annotations

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from engine.vocabulary import Language

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/advisor.db"


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


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names it."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = "; ".join(
            f"ADVISOR_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            for e in error.errors()
        )
        raise ConfigError(f"configuration error: {problems}") from error
