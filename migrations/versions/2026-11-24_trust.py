"""Trust: staff invitations, secret-ballot tallies, idempotency without stored answers,
people owned by organisations and linked to one user per platform, names compared by one
normalisation. Unserved referrals leave the needs table (they are counted as aggregates).

Standalone: the normalisation below is frozen here, as it was when this revision was written.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 20:44:40.090482
"""

import re
import unicodedata
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SPACES = re.compile(r"\s+")


def _name_key(name: str) -> str:
    folded = unicodedata.normalize(
        "NFKC",
        "".join(
            ch for ch in unicodedata.normalize("NFKC", name) if unicodedata.category(ch) != "Cf"
        ),
    )
    return _SPACES.sub(" ", folded).strip().casefold()[:200]


def _rekey(table_name: str, name_column: str) -> None:
    table = sa.table(table_name, sa.column("id", sa.Uuid()), sa.column(name_column, sa.String()))
    key = sa.table(table_name, sa.column("id", sa.Uuid()), sa.column("name_key", sa.String()))
    connection = op.get_bind()
    rows = connection.execute(sa.select(table.c.id, table.c[name_column])).all()
    for row_id, name in rows:
        connection.execute(
            sa.update(key).where(key.c.id == row_id).values(name_key=_name_key(name))
        )


def _tally_secret_ballots() -> None:
    """Secret ballots become counters; the one-row-per-ballot records are deleted."""
    motion = sa.table("motion", sa.column("id", sa.Uuid()), sa.column("is_secret", sa.Boolean()))
    ballot = sa.table(
        "ballot",
        sa.column("motion_id", sa.Uuid()),
        sa.column("choice", sa.String()),
    )
    tally = sa.table(
        "motion_tally",
        sa.column("motion_id", sa.Uuid()),
        sa.column("choice", sa.String()),
        sa.column("votes", sa.Integer()),
    )
    connection = op.get_bind()
    secret = sa.select(motion.c.id).where(motion.c.is_secret == sa.true())
    counts = connection.execute(
        sa.select(ballot.c.motion_id, ballot.c.choice, sa.func.count())
        .where(ballot.c.motion_id.in_(secret))
        .group_by(ballot.c.motion_id, ballot.c.choice)
    ).all()
    for motion_id, choice, votes in counts:
        connection.execute(sa.insert(tally).values(motion_id=motion_id, choice=choice, votes=votes))
    connection.execute(sa.delete(ballot).where(ballot.c.motion_id.in_(secret)))


def upgrade() -> None:
    op.create_table(
        "staff_invitation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("is_org_admin", sa.Boolean(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by_id", sa.Uuid(), nullable=True),
        sa.Column("from_outside", sa.Boolean(), nullable=False),
        sa.Column("client_data_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["user_account.id"],
            name=op.f("fk_staff_invitation_invited_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_staff_invitation_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_staff_invitation_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_invitation_token_hash")),
    )
    with op.batch_alter_table("staff_invitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_invitation_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "motion_tally",
        sa.Column("motion_id", sa.Uuid(), nullable=False),
        sa.Column("choice", sa.String(length=8), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["motion_id"], ["motion.id"], name=op.f("fk_motion_tally_motion_id_motion")
        ),
        sa.PrimaryKeyConstraint("motion_id", "choice", name=op.f("pk_motion_tally")),
    )
    _tally_secret_ballots()

    # Stored answers held personal data; a replay now rebuilds the answer from the record.
    op.execute(sa.text("DELETE FROM idempotency_record"))
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resource_id", sa.String(length=64), nullable=True))
        batch_op.drop_column("response_body")

    # One person per declined referral, at the client's village: gone (counted as aggregates).
    op.execute(sa.text("DELETE FROM need WHERE source = 'referral_unserved'"))

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_organisation_id", sa.Uuid(), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_person_user_id"), type_="unique")
        batch_op.create_index(batch_op.f("ix_person_user_id"), ["user_id"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_person_platform_id_user_id"), ["platform_id", "user_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_person_created_by_organisation_id_organisation"),
            "organisation",
            ["created_by_organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_org_admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("client_data_since", sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.alter_column("is_org_admin", server_default=None)

    for table_name, name_column in (
        ("organisation", "name"),
        ("person", "full_name"),
        ("service", "name"),
    ):
        _rekey(table_name, name_column)


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("client_data_since")
        batch_op.drop_column("is_org_admin")

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_person_created_by_organisation_id_organisation"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_person_platform_id_user_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_person_user_id"))
        batch_op.create_unique_constraint(batch_op.f("uq_person_user_id"), ["user_id"])
        batch_op.drop_column("created_by_organisation_id")

    op.execute(sa.text("DELETE FROM idempotency_record"))
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("response_body", sa.Text(), nullable=False, server_default="{}")
        )
        batch_op.drop_column("resource_id")

    # Counters become anonymous ballots again (a secret ballot never named its voter).
    tally = sa.table(
        "motion_tally",
        sa.column("motion_id", sa.Uuid()),
        sa.column("choice", sa.String()),
        sa.column("votes", sa.Integer()),
    )
    ballot = sa.table(
        "ballot",
        sa.column("id", sa.Uuid()),
        sa.column("motion_id", sa.Uuid()),
        sa.column("choice", sa.String()),
    )
    connection = op.get_bind()
    for motion_id, choice, votes in connection.execute(sa.select(tally)).all():
        for _ in range(votes):
            connection.execute(
                sa.insert(ballot).values(id=uuid.uuid4(), motion_id=motion_id, choice=choice)
            )
    op.drop_table("motion_tally")
    with op.batch_alter_table("staff_invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_invitation_organisation_id"))
    op.drop_table("staff_invitation")
