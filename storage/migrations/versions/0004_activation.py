"""Always-on activation: tasks and their marks, KPI entries, people, the nudge outbox, inbox.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sa.DateTime(timezone=True)
WALL_CLOCK = sa.DateTime()


def _org_id() -> sa.Column[int]:
    return sa.Column("org_id", sa.Integer(), nullable=False)


def _org_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["org_id"],
        ["organisations.id"],
        name=f"fk_{table}_org_id_organisations",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    with op.batch_alter_table("organisations") as organisations:
        organisations.add_column(
            sa.Column("time_zone", sa.String(64), server_default="Europe/Amsterdam", nullable=False)
        )
        organisations.add_column(sa.Column("manager", sa.String(200), nullable=True))
        organisations.add_column(
            sa.Column("escalate_after", sa.Integer(), server_default="2", nullable=False)
        )
        organisations.add_column(sa.Column("respect", sa.JSON(), nullable=True))
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        _org_id(),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("rule", sa.String(500), nullable=True),
        sa.Column("start", WALL_CLOCK, nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("adopted_by", sa.String(200), nullable=False),
        sa.Column("adopted_at", UTC, nullable=False),
        sa.Column("retired_at", UTC, nullable=True),
        _org_fk("tasks"),
        sa.PrimaryKeyConstraint("id", name="pk_tasks"),
        sa.UniqueConstraint("id", "org_id", name="uq_tasks_id_org_id"),
    )
    op.create_index("ix_tasks_org_id", "tasks", ["org_id"])
    op.create_table(
        "task_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        _org_id(),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("occurrence", WALL_CLOCK, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("marked_at", WALL_CLOCK, nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("marked_by", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id", "org_id"],
            ["tasks.id", "tasks.org_id"],
            name="fk_task_marks_task_id_org_id_tasks",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_task_marks"),
        sa.UniqueConstraint("task_id", "occurrence", name="uq_task_marks_task_id_occurrence"),
    )
    op.create_table(
        "kpi_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        _org_id(),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("entered_by", sa.String(200), nullable=False),
        sa.Column("entered_at", UTC, nullable=False),
        _org_fk("kpi_entries"),
        sa.PrimaryKeyConstraint("id", name="pk_kpi_entries"),
        sa.UniqueConstraint(
            "org_id",
            "period_start",
            "period_end",
            name="uq_kpi_entries_org_id_period_start_period_end",
        ),
    )
    op.create_table(
        "people",
        _org_id(),
        sa.Column("respondent", sa.String(200), nullable=False),
        sa.Column("zone", sa.String(64), nullable=True),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("unreachable", sa.String(32), nullable=True),
        sa.Column("unreachable_since", UTC, nullable=True),
        _org_fk("people"),
        sa.PrimaryKeyConstraint("org_id", "respondent", name="pk_people"),
    )
    op.create_table(
        "nudges",
        sa.Column("id", sa.Integer(), nullable=False),
        _org_id(),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("occurrence", sa.String(100), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("deliver_local", WALL_CLOCK, nullable=False),
        sa.Column("deliver_zone", sa.String(64), nullable=False),
        sa.Column("deliver_at", UTC, nullable=False),
        sa.Column("stale_local", WALL_CLOCK, nullable=False),
        sa.Column("stale_zone", sa.String(64), nullable=False),
        sa.Column("stale_at", UTC, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(100), nullable=True),
        sa.Column("claimed_at", UTC, nullable=True),
        sa.Column("finished_at", UTC, nullable=True),
        sa.Column("outcome", sa.String(200), nullable=True),
        sa.Column("planned_at", UTC, nullable=False),
        _org_fk("nudges"),
        sa.PrimaryKeyConstraint("id", name="pk_nudges"),
        sa.UniqueConstraint(
            "org_id",
            "recipient",
            "kind",
            "occurrence",
            name="uq_nudges_org_id_recipient_kind_occurrence",
        ),
    )
    op.create_index("ix_nudges_status_deliver_at", "nudges", ["status", "deliver_at"])
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        _org_id(),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("nudge_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("read_at", UTC, nullable=True),
        _org_fk("inbox"),
        sa.PrimaryKeyConstraint("id", name="pk_inbox"),
        sa.UniqueConstraint("nudge_id", name="uq_inbox_nudge_id"),
    )
    op.create_index(
        "ix_inbox_org_id_recipient_read_at", "inbox", ["org_id", "recipient", "read_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_inbox_org_id_recipient_read_at", table_name="inbox")
    op.drop_table("inbox")
    op.drop_index("ix_nudges_status_deliver_at", table_name="nudges")
    op.drop_table("nudges")
    op.drop_table("people")
    op.drop_table("kpi_entries")
    op.drop_table("task_marks")
    op.drop_index("ix_tasks_org_id", table_name="tasks")
    op.drop_table("tasks")
    with op.batch_alter_table("organisations") as organisations:
        organisations.drop_column("respect")
        organisations.drop_column("escalate_after")
        organisations.drop_column("manager")
        organisations.drop_column("time_zone")
