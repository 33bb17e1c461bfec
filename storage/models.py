"""The tables, as SQLAlchemy declarative models; every row carries its organisation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.db import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_OPEN = text("closed_at IS NULL")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OrganisationRow(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    anonymity_threshold: Mapped[int] = mapped_column(Integer)
    tolerance: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    time_zone: Mapped[str] = mapped_column(String(64), server_default="Europe/Amsterdam")
    manager: Mapped[str | None] = mapped_column(String(200))
    escalate_after: Mapped[int] = mapped_column(Integer, server_default="2")
    respect: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """Working days and hours, holidays and the weekly cap; NULL means the defaults."""
    report_channel: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
    leaving_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the app was removed from the organisation's chat; erased a grace period later."""


class ScanRow(Base):
    __tablename__ = "scans"
    __table_args__ = (
        UniqueConstraint("org_id", "number"),
        UniqueConstraint("id", "org_id"),
        Index(
            "uq_scans_org_id_open",
            "org_id",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    bank_version: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ResponseRow(Base):
    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("scan_id", "respondent"),
        UniqueConstraint("id", "org_id"),
        ForeignKeyConstraint(
            ["scan_id", "org_id"], ["scans.id", "scans.org_id"], ondelete="CASCADE"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer)
    scan_id: Mapped[int] = mapped_column(Integer)
    respondent: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AnswerRow(Base):
    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        ForeignKeyConstraint(
            ["response_id", "org_id"], ["responses.id", "responses.org_id"], ondelete="CASCADE"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer)
    response_id: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(String(100))
    option_ids: Mapped[list[str]] = mapped_column(JSON)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConversationRow(Base):
    __tablename__ = "conversations"

    org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(500), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)


class InstallationRow(Base):
    """A chat platform's installation: clear lookup keys, everything else one encrypted document.

    A row with no `user_id` is the workspace's bot; one with a `user_id` is that user's install.
    """

    __tablename__ = "installations"
    __table_args__ = (
        Index(
            "ix_installations_lookup",
            "provider",
            "enterprise_id",
            "team_id",
            "user_id",
            "installed_at",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    enterprise_id: Mapped[str | None] = mapped_column(String(200))
    team_id: Mapped[str | None] = mapped_column(String(200))
    user_id: Mapped[str | None] = mapped_column(String(200))
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    document: Mapped[str] = mapped_column(String)


class OAuthStateRow(Base):
    """A one-time OAuth state value, good until `expires_at`."""

    __tablename__ = "oauth_states"

    state: Mapped[str] = mapped_column(String(200), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LaunchRow(Base):
    __tablename__ = "launches"
    __table_args__ = (
        ForeignKeyConstraint(
            ["scan_id", "org_id"], ["scans.id", "scans.org_id"], ondelete="CASCADE"
        ),
    )

    scan_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer, index=True)
    launched_by: Mapped[str] = mapped_column(String(200))
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    report_to: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InvitationRow(Base):
    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("scan_id", "respondent"),
        ForeignKeyConstraint(
            ["scan_id", "org_id"], ["scans.id", "scans.org_id"], ondelete="CASCADE"
        ),
        Index("ix_invitations_remind_at", "remind_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer)
    scan_id: Mapped[int] = mapped_column(Integer)
    respondent: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failure: Mapped[str | None] = mapped_column(String(200))


class SeenEventRow(Base):
    __tablename__ = "seen_events"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


# Always-on activation. Wall-clock times are naive `DateTime` columns next to their zone: the
# truth that daylight-saving changes cannot move. `*_at` columns hold the UTC instant derived
# from them, for querying what is due.


class TaskRow(Base):
    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("id", "org_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[dict[str, str]] = mapped_column(JSON)
    owner: Mapped[str] = mapped_column(String(200))
    rule: Mapped[str | None] = mapped_column(String(500))
    start: Mapped[datetime] = mapped_column(DateTime)
    zone: Mapped[str] = mapped_column(String(64))
    adopted_by: Mapped[str] = mapped_column(String(200))
    adopted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TaskMarkRow(Base):
    __tablename__ = "task_marks"
    __table_args__ = (
        UniqueConstraint("task_id", "occurrence"),
        ForeignKeyConstraint(
            ["task_id", "org_id"], ["tasks.id", "tasks.org_id"], ondelete="CASCADE"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer)
    task_id: Mapped[int] = mapped_column(Integer)
    occurrence: Mapped[datetime] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(16))
    marked_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(String(500))
    marked_by: Mapped[str] = mapped_column(String(200))


class KpiEntryRow(Base):
    __tablename__ = "kpi_entries"
    __table_args__ = (UniqueConstraint("org_id", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    figures: Mapped[dict[str, int]] = mapped_column(JSON)
    entered_by: Mapped[str] = mapped_column(String(200))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PersonRow(Base):
    __tablename__ = "people"

    org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    respondent: Mapped[str] = mapped_column(String(200), primary_key=True)
    zone: Mapped[str | None] = mapped_column(String(64))
    paused_until: Mapped[date | None] = mapped_column(Date)
    unreachable: Mapped[str | None] = mapped_column(String(32))
    unreachable_since: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NudgeRow(Base):
    """The outbox: one row per nudge, unique per (recipient, kind, occurrence)."""

    __tablename__ = "nudges"
    __table_args__ = (
        UniqueConstraint("org_id", "recipient", "kind", "occurrence"),
        Index("ix_nudges_status_deliver_at", "status", "deliver_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    occurrence: Mapped[str] = mapped_column(String(100))
    task_id: Mapped[int | None] = mapped_column(Integer)
    deliver_local: Mapped[datetime] = mapped_column(DateTime)
    deliver_zone: Mapped[str] = mapped_column(String(64))
    deliver_at: Mapped[datetime] = mapped_column(UTCDateTime)
    stale_local: Mapped[datetime] = mapped_column(DateTime)
    stale_zone: Mapped[str] = mapped_column(String(64))
    stale_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(200))
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InboxRow(Base):
    """Nudges for the terminal, shown when the person next opens `advisor chat`."""

    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_org_id_recipient_read_at", "org_id", "recipient", "read_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(200))
    nudge_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    body: Mapped[str] = mapped_column(String)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TeamsConversationRow(Base):
    """How to reach a Teams person or team later: the Bot Framework conversation reference.

    `address` is our recipient address (``teams:29:1abc`` for a person, ``teams:#19:x`` for a
    team's conversation); `reference` is opaque to storage. `gone_at` is set when the app is
    uninstalled or the bot blocked, and cleared when the reference is stored again.
    """

    __tablename__ = "teams_conversations"
    __table_args__ = (UniqueConstraint("org_id", "address"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(200))
    reference: Mapped[dict[str, Any]] = mapped_column(JSON)
    name: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    gone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class JobRow(Base):
    """Work a request asked for that takes longer than the platform waits for its answer (a
    launch that invites a whole channel): stored before the request is acknowledged, then run
    by whichever process claims it, again after a crash, and finished once.

    `key` is the platform's id for the request, so a second submission of the same form is the
    same job. `progress` is what a run has done so far, for the run that picks it up after a
    crash. A claim holds until `claimed_until`.
    """

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("org_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    outcome: Mapped[str | None] = mapped_column(String(200))


class AuditRow(Base):
    """What a project manager or operator did (launch, close, settings, export, erasure...).

    `actor` is None for the advisor itself; `detail` holds names of things and numbers, never
    an answer.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_org_id_at", "org_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class WorkerRow(Base):
    """A process that dispatches nudges, and when it last claimed (`SqlaOutbox.claim`): those
    seen lately share the due organisations between them."""

    __tablename__ = "workers"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
