"""Microsoft Teams conversation references, for messages the bot starts itself.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "teams_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("gone_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name="fk_teams_conversations_org_id_organisations",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_teams_conversations"),
        sa.UniqueConstraint("org_id", "address", name="uq_teams_conversations_org_id_address"),
    )


def downgrade() -> None:
    op.drop_table("teams_conversations")
