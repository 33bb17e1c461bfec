"""Without an app id nothing is authenticated: Teams is then served on loopback only."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings
from bot.teams.app import check_exposure
from tests.slack.test_serve import advisor_until_exit


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_without_an_app_id_loopback_addresses_are_served(host: str) -> None:
    check_exposure(load_settings(teams=True, host=host))


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "advisor.example.org", "::"])
def test_without_an_app_id_start_up_refuses_any_other_address_naming_the_fix(host: str) -> None:
    with pytest.raises(ConfigError, match="ADVISOR_TEAMS_APP_ID") as refused:
        check_exposure(load_settings(teams=True, host=host))
    assert host in str(refused.value)


def test_an_explicit_setting_serves_it_unauthenticated_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.teams.app"):
        check_exposure(load_settings(teams=True, host="0.0.0.0", teams_allow_unauthenticated=True))
    assert "WITHOUT authentication" in caplog.text


def test_with_an_app_id_any_address_is_served_since_every_activity_is_verified() -> None:
    settings = load_settings(
        teams_app_id="00000000-0000-0000-0000-000000000001",
        teams_app_password="secret",
        host="0.0.0.0",
    )
    check_exposure(settings)
    assert settings.teams_enabled


def test_an_app_id_without_its_password_is_a_configuration_error_naming_it() -> None:
    with pytest.raises(ConfigError, match="ADVISOR_TEAMS_APP_PASSWORD"):
        load_settings(teams_app_id="00000000-0000-0000-0000-000000000001")


def test_a_single_tenant_app_needs_its_tenant() -> None:
    with pytest.raises(ConfigError, match="ADVISOR_TEAMS_TENANT_ID"):
        load_settings(
            teams_app_id="00000000-0000-0000-0000-000000000001",
            teams_app_password="secret",
            teams_app_type="SingleTenant",
        )


async def test_advisor_serve_refuses_unauthenticated_teams_on_a_public_address(
    tmp_path: Path,
) -> None:
    code, printed = await advisor_until_exit(tmp_path, "serve", teams="true", host="0.0.0.0")

    assert code == 2
    assert "ADVISOR_TEAMS_APP_ID" in printed
    assert "Traceback" not in printed
