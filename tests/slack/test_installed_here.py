"""A request is served only for the installation it was authorised for, Enterprise Grid too."""

from __future__ import annotations

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.context.async_context import AsyncBoltContext

from bot.slack.listeners import _installed_here


def _request(enterprise: str | None, team: str | None, *, org_wide: bool) -> AsyncBoltContext:
    context = AsyncBoltContext()
    context["enterprise_id"], context["team_id"] = enterprise, team
    context["is_enterprise_install"] = org_wide
    return context


def test_an_org_wide_request_is_served_by_the_org_wide_installation() -> None:
    org_wide = AuthorizeResult(enterprise_id="E1", team_id=None)
    assert _installed_here(_request("E1", None, org_wide=True), org_wide)


def test_an_org_wide_request_is_not_served_by_one_workspaces_installation() -> None:
    workspace = AuthorizeResult(enterprise_id="E1", team_id="T1")
    assert not _installed_here(_request("E1", None, org_wide=True), workspace)


def test_another_enterprise_or_team_is_refused() -> None:
    assert not _installed_here(
        _request("E2", None, org_wide=True), AuthorizeResult(enterprise_id="E1", team_id=None)
    )
    assert not _installed_here(
        _request(None, "T2", org_wide=False), AuthorizeResult(enterprise_id=None, team_id="T1")
    )
    assert _installed_here(
        _request(None, "T1", org_wide=False), AuthorizeResult(enterprise_id=None, team_id="T1")
    )
