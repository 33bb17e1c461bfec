"""Organisations, scans, responses, answers and conversations.

Revision ID: 0001
Revises:
Create Date: 2025-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("closed_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("anonymity_threshold", sa.Integer(), nullable=False),
        sa.Column("tolerance", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
        sa.UniqueConstraint("key", name="uq_organisations_key"),
    )
    op.create_table(
        "scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("bank_version", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_scans"),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name="fk_scans_org_id_organisations",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("org_id", "number", name="uq_scans_org_id_number"),
        sa.UniqueConstraint("id", "org_id", name="uq_scans_id_org_id"),
    )
    op.create_index(
        "uq_scans_org_id_open",
        "scans",
        ["org_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_table(
        "responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("respondent", sa.String(200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_responses"),
        sa.ForeignKeyConstraint(
            ["scan_id", "org_id"],
            ["scans.id", "scans.org_id"],
            name="fk_responses_scan_id_org_id_scans",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("scan_id", "respondent", name="uq_responses_scan_id_respondent"),
        sa.UniqueConstraint("id", "org_id", name="uq_responses_id_org_id"),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(100), nullable=False),
        sa.Column("option_ids", sa.JSON(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_answers"),
        sa.ForeignKeyConstraint(
            ["response_id", "org_id"],
            ["responses.id", "responses.org_id"],
            name="fk_answers_response_id_org_id_responses",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "response_id", "question_id", name="uq_answers_response_id_question_id"
        ),
    )
    op.create_table(
        "conversations",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(500), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("org_id", "key", name="pk_conversations"),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name="fk_conversations_org_id_organisations",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("conversations")
    op.drop_table("answers")
    op.drop_table("responses")
    op.drop_index("uq_scans_org_id_open", table_name="scans")
    op.drop_table("scans")
    op.drop_table("organisations")
