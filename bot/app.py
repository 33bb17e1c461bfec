"""The composition root: one place that builds the advisor from settings."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.metrics import MeasuredConversationStore, MeasuredOutbox, Metrics
from bot.names import TEAMS, TERMINAL, ChannelNames, TerminalNames
from bot.settings import DATABASE_SETTING, ConfigError, Settings
from dialogs.advisor import Advisor, Knowledge
from dialogs.campaigns import CampaignRunner, Campaigns
from dialogs.desk import Desk
from dialogs.events import ConversationKey
from dialogs.nudging import Delivery, Dispatcher, Planner
from dialogs.ports import Clock
from dialogs.records import Organisation
from dialogs.report import ReportData, gather
from dialogs.rights import Keeping, Rights
from engine.advice_base import default_advice_base
from engine.bank import default_bank
from engine.matching import TopicIndex
from engine.plan_catalogue import default_plan_catalogue
from engine.scoring import OrgResult
from engine.vocabulary import Language
from storage.activation import (
    SqlaInbox,
    SqlaKpiRepository,
    SqlaPeopleDirectory,
    SqlaTaskRepository,
)
from storage.audit import SqlaAuditLog
from storage.db import Database
from storage.launches import SqlaLaunchRepository
from storage.leaving import SqlaLeaving
from storage.migrate import prepare
from storage.outbox import SqlaOutbox
from storage.repositories import (
    SqlaConversationStore,
    SqlaOrganisationDirectory,
    SqlaScanRepository,
)
from storage.retention import SqlaRetention
from storage.rights import SqlaDataRights
from storage.teams import SqlaTeamsConversations


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class Activation:
    """The always-on side: tasks, figures, people, and the nudges planned from them."""

    tasks: SqlaTaskRepository
    kpis: SqlaKpiRepository
    people: SqlaPeopleDirectory
    outbox: SqlaOutbox
    inbox: SqlaInbox
    launches: SqlaLaunchRepository
    planner: Planner


@dataclass
class App:
    settings: Settings
    database: Database
    organisations: SqlaOrganisationDirectory
    scans: SqlaScanRepository
    advisor: Advisor
    clock: Clock
    activation: Activation
    desk: Desk
    leaving: SqlaLeaving
    """Organisations whose app was removed, and erasing one whole."""
    audit: SqlaAuditLog
    """What project managers and operators did, per organisation."""
    retention: SqlaRetention
    """Anonymising and forgetting what is kept longer than needed (the scheduler's tick)."""
    rights: Rights
    """A person's data and its erasure, the organisation's export."""
    metrics: Metrics = field(default_factory=Metrics)
    """This process's Prometheus metrics, served at /metrics."""
    names: ChannelNames = field(default_factory=ChannelNames)
    """People's and places' names by chat, for the report; Slack's joins when Slack is served."""

    def campaigns(self) -> CampaignRunner:
        """Campaigns with their rules and storage, for a chat to drive with its publisher."""
        launches = self.activation.launches
        rules = Campaigns(
            organisations=self.organisations,
            scans=self.scans,
            launches=launches,
            clock=self.clock,
            bank_version=self.advisor.knowledge.bank.version,
            audit=self.audit,
            replanner=self.activation.planner,
        )
        return CampaignRunner(campaigns=rules, advisor=self.advisor, launches=launches)

    def dispatcher(
        self, delivery: Delivery, *, worker: str, alive: timedelta | None = None
    ) -> Dispatcher:
        """Sends due nudges through `delivery`; one per process, named `worker` in claims,
        sharing the due organisations with the workers that claimed within `alive`."""
        return Dispatcher(
            organisations=self.organisations,
            tasks=self.activation.tasks,
            people=self.activation.people,
            outbox=MeasuredOutbox(self.activation.outbox, self.metrics),
            delivery=delivery,
            clock=self.clock,
            worker=worker,
            lease=timedelta(seconds=self.settings.nudge_lease_seconds),
            perceived=self._perceived,
            languages_of=self._languages_of,
            reporter=self._report_png,
            launches=self.activation.launches,
            claims=self.activation.outbox,
            alive=alive,
        )

    async def report_data(self, org: Organisation, language: Language | None) -> ReportData:
        """What the organisation's monthly report says today, people named as their chats do;
        `language` None is the organisation's."""
        return await gather(
            org,
            advisor=self.advisor,
            tasks=self.activation.tasks,
            kpis=self.activation.kpis,
            people=self.activation.people,
            scans=self.scans,
            launches=self.activation.launches,
            now=self.clock.now(),
            language=language,
            names=self.names,
        )

    async def _report_png(self, org: Organisation, language: Language) -> bytes:
        data = await self.report_data(org, language)
        from bot.report.render import to_png  # matplotlib: only when a report is made

        return await asyncio.to_thread(to_png, data)

    async def _languages_of(
        self, org: Organisation, respondents: Collection[str]
    ) -> dict[str, Language]:
        keys = {}
        for respondent in respondents:
            channel, _, user = respondent.partition(":")
            keys[ConversationKey(channel, org.id, user, user)] = respondent
        spoken = await self.advisor.languages_of(org.id, keys, default=org.settings.language)
        return {respondent: spoken[key] for key, respondent in keys.items()}

    async def _perceived(self, org: Organisation) -> OrgResult | None:
        result = (await self.advisor.published(org)).result
        return result if isinstance(result, OrgResult) else None

    async def close(self) -> None:
        await self.database.dispose()


def load_knowledge() -> Knowledge:
    """The bank, plan catalogue and advice base; a broken file raises `CatalogueError`."""
    advice = default_advice_base()
    return Knowledge(
        bank=default_bank(),
        catalogue=default_plan_catalogue(),
        advice=advice,
        index=TopicIndex(advice),
    )


async def build_app(settings: Settings, *, clock: Clock | None = None) -> App:
    """Build everything and bring the schema up to date (or refuse, per the settings)."""
    knowledge = load_knowledge()
    ensure_sqlite_folder(settings.database_url)
    database = Database(settings.database_url)
    try:
        await prepare(database, auto_upgrade=settings.auto_migrate)
    except BaseException:
        await database.dispose()
        raise
    clock = clock or SystemClock()
    metrics = _metrics(database)
    organisations = SqlaOrganisationDirectory(database)
    scans = SqlaScanRepository(database)
    tasks, people, outbox = (
        SqlaTaskRepository(database),
        SqlaPeopleDirectory(database),
        SqlaOutbox(database),
    )
    kpis = SqlaKpiRepository(database)
    audit = SqlaAuditLog(database)
    desk = Desk(
        organisations=organisations,
        tasks=tasks,
        kpis=kpis,
        people=people,
        outbox=outbox,
        clock=clock,
        audit=audit,
    )
    launches = SqlaLaunchRepository(database)
    rights = Rights(
        rights=SqlaDataRights(database, bank=knowledge.bank, catalogue=knowledge.catalogue),
        audit=audit,
        organisations=organisations,
        tasks=tasks,
        clock=clock,
        launches=launches,
        keeping=Keeping(settings.retention_months, settings.uninstall_grace_days),
        outbox=outbox,
    )
    advisor = Advisor(
        organisations=organisations,
        scans=scans,
        conversations=MeasuredConversationStore(SqlaConversationStore(database), metrics),
        clock=clock,
        knowledge=knowledge,
        desk=desk,
        launches=launches,
        rights=rights,
    )
    planner = Planner(
        organisations=organisations,
        tasks=tasks,
        people=people,
        outbox=outbox,
        clock=clock,
        launches=launches,
    )
    activation = Activation(tasks, kpis, people, outbox, SqlaInbox(database), launches, planner)
    return App(
        settings,
        database,
        organisations,
        scans,
        advisor,
        clock,
        activation,
        desk,
        leaving=SqlaLeaving(database),
        audit=audit,
        retention=SqlaRetention(database),
        rights=rights,
        metrics=metrics,
        # Teams' names are stored as it tells them, so they are known with or without its bot.
        names=ChannelNames({TERMINAL: TerminalNames(), TEAMS: SqlaTeamsConversations(database)}),
    )


def _metrics(database: Database) -> Metrics:
    metrics = Metrics()
    pool = database.engine.pool
    # QueuePool (PostgreSQL, a SQLite file) counts its checked-out connections; other pools
    # (SQLite in memory) hold one at most and say nothing.
    checked_out = getattr(pool, "checkedout", None)
    metrics.watch_pool(checked_out if callable(checked_out) else lambda: 0)
    return metrics


def ensure_sqlite_folder(url: str) -> None:
    """Make the folder of a SQLite database file, or refuse a path SQLite could not use.

    Raises:
        ConfigError: the folder cannot be made, the path is a folder, or it may not be written.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    path = Path(parsed.database)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(
            f"{DATABASE_SETTING}: cannot make the folder {path.parent}: {error.strerror}"
        ) from None
    if path.is_dir():
        raise ConfigError(f"{DATABASE_SETTING}: {path} is a folder, not a database file")
    # SQLite writes its journal beside the file, so the folder must be writable too.
    writable = os.access(path.parent, os.W_OK | os.X_OK) and (
        not path.exists() or os.access(path, os.R_OK | os.W_OK)
    )
    if not writable:
        raise ConfigError(f"{DATABASE_SETTING}: no permission to write {path} and its folder")
    try:
        # Opened here first: when aiosqlite fails to open a file, its thread can outlive the
        # event loop and print a traceback after the refusal.
        sqlite3.connect(path).close()
    except sqlite3.Error as error:
        raise ConfigError(f"{DATABASE_SETTING}: SQLite cannot open {path}: {error}") from None
