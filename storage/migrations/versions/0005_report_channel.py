"""Where the monthly management report goes beside the project manager.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as organisations:
        organisations.add_column(sa.Column("report_channel", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisations") as organisations:
        organisations.drop_column("report_channel")
