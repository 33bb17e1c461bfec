"""The app manifest asks Slack for what the code uses: scopes, events, the command, the URLs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.slack.app import BOT_SCOPES, EVENTS_PATH, REDIRECT_PATH
from bot.slack.inbound import MANAGEMENT_COMMANDS

MANIFEST = Path(__file__).parents[2] / "deploy" / "slack" / "manifest.yaml"


def _manifest() -> dict[str, Any]:
    return dict(yaml.safe_load(MANIFEST.read_text(encoding="utf-8")))


def test_the_manifest_asks_for_exactly_the_scopes_the_oauth_flow_requests() -> None:
    assert sorted(_manifest()["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)


def test_every_request_url_points_at_the_advisors_endpoints() -> None:
    manifest = _manifest()
    settings = manifest["settings"]
    urls = [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        *(command["url"] for command in manifest["features"]["slash_commands"]),
    ]
    assert all(url.endswith(EVENTS_PATH) for url in urls), urls
    assert all(url.endswith(REDIRECT_PATH) for url in manifest["oauth_config"]["redirect_urls"])


def test_the_usage_hint_names_every_management_subcommand() -> None:
    (command,) = _manifest()["features"]["slash_commands"]
    assert command["command"] == "/advisor"
    hinted = {word.strip() for word in command["usage_hint"].split("|")}
    assert hinted >= MANAGEMENT_COMMANDS


def test_the_app_subscribes_to_the_events_it_listens_for() -> None:
    events = set(_manifest()["settings"]["event_subscriptions"]["bot_events"])
    assert events == {"app_home_opened", "message.im", "app_uninstalled", "tokens_revoked"}
