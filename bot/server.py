"""The advisor's aiohttp application: Slack's and Teams' endpoints and the health checks."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from bot.app import App
from bot.failures import log_failure
from bot.logs import REQUEST_ID_HEADER, bind, request_id
from bot.metrics import CONTENT_TYPE, OTHER_ROUTE, Metrics
from dialogs.ports import StorageError

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

    from bot.teams.app import TeamsBot

log = logging.getLogger(__name__)
MAX_BODY = 256 * 1024
"""Slack's payloads and Teams' activities are a few kilobytes; anything near this is refused
with 413."""


def build_web_app(
    core: App, slack: AsyncApp | None, teams: TeamsBot | None = None
) -> web.Application:
    web_app = web.Application(
        client_max_size=MAX_BODY, middlewares=[_traced, _measured(core.metrics), _no_tracebacks]
    )
    web_app.add_routes(
        [
            web.get("/healthz", _live),
            web.get("/readyz", _ready(core)),
            web.get("/metrics", _scrape(core.metrics)),
        ]
    )
    if teams is not None:
        web_app.add_routes(teams.routes())
    if slack is not None:
        web_app.add_routes(_slack_routes(core, slack))
    return web_app


def _slack_routes(core: App, slack: AsyncApp) -> list[web.RouteDef]:
    """Slack's events endpoint, and its install pages with the OAuth flow."""
    # Imported here: a server without Slack (Teams only) never loads Bolt's request handling.
    from bot.slack.app import EVENTS_PATH
    from bot.slack.edge import events_handler

    secret = core.settings.slack_signing_secret
    assert secret is not None, "Slack is served only with a signing secret"
    routes = [web.post(EVENTS_PATH, events_handler(slack, secret.get_secret_value()))]
    flow = slack.oauth_flow
    if flow is not None:
        routes += [
            web.get(flow.install_path, _slack_install(slack)),
            web.get(flow.redirect_uri_path, _slack_redirect(slack)),
        ]
    return routes


def route_of(request: web.Request) -> str:
    """The matched route's path (`/slack/events`), or `other`: never the requested path."""
    resource = request.match_info.route.resource
    return OTHER_ROUTE if resource is None else resource.canonical


_CHAT_OF_ROUTE = {"/slack/events": "slack", "/api/messages": "teams"}


@web.middleware
async def _traced(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Bind the request's id and route to its log lines, and return the id in a header."""
    # aiohttp runs each request in a task of its own, so what is bound here stays with it.
    identifier = request_id(request.headers.get(REQUEST_ID_HEADER))
    route = route_of(request)
    bind(request_id=identifier, route=route, chat=_CHAT_OF_ROUTE.get(route))
    try:
        response = await handler(request)
    except web.HTTPException as answer:
        answer.headers[REQUEST_ID_HEADER] = identifier
        raise
    if not response.prepared:
        response.headers[REQUEST_ID_HEADER] = identifier
    return response


def _measured(metrics: Metrics) -> Middleware:
    """Count each request by route, method and status, and time it by route."""

    @web.middleware
    async def measured(request: web.Request, handler: Handler) -> web.StreamResponse:
        started, status = time.perf_counter(), 500
        route = route_of(request)
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as answer:
            status = answer.status
            raise
        finally:
            # A method outside HTTP's own is free text from the client.
            method = request.method if request.method in _METHODS else "other"
            metrics.http_requests.labels(route, method, str(status)).inc()
            metrics.http_duration.labels(route).observe(time.perf_counter() - started)

    return measured


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@web.middleware
async def _no_tracebacks(request: web.Request, handler: Handler) -> web.StreamResponse:
    """An unexpected failure is one log line and a 500 that quotes its reference, nothing more."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise  # aiohttp's own answers: 404, 405, 413, ...
    except Exception as error:
        reference = log_failure(log, f"{request.method} {request.path}", error)
        return web.json_response({"error": "internal", "reference": reference}, status=500)


async def _live(_: web.Request) -> web.Response:
    return web.json_response({"status": "live"})


def _scrape(metrics: Metrics) -> Handler:
    async def scrape(_: web.Request) -> web.Response:
        return web.Response(body=metrics.exposition(), headers={"Content-Type": CONTENT_TYPE})

    return scrape


def _ready(core: App) -> Handler:
    async def ready(_: web.Request) -> web.Response:
        try:
            await core.database.ping()
        except StorageError:
            return web.json_response({"status": "database unreachable"}, status=503)
        return web.json_response({"status": "ready"})

    return ready


def _slack_install(slack: AsyncApp) -> Handler:
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

    async def install(request: web.Request) -> web.Response:
        assert slack.oauth_flow is not None
        bolt_response = await slack.oauth_flow.handle_installation(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    return install


def _slack_redirect(slack: AsyncApp) -> Handler:
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

    async def redirect(request: web.Request) -> web.Response:
        assert slack.oauth_flow is not None
        bolt_response = await slack.oauth_flow.handle_callback(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    return redirect
