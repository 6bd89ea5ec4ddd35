"""Erase clients' personal data after the retention period; keep the anonymous facts.

Erased with the client record: every free text written about the referral (reason, needs,
the referrer's contact, the provider's notes, outcome, the notes of its events), since
people write about the person in them. Kept: codes, dates, statuses, the district, gender,
age band and vulnerability categories, which identify nobody and feed the statistics.
Nothing else keeps a client's data: replays of an ``Idempotency-Key`` are rebuilt from the
record, notifications name a referral by its reference, and unserved referrals are counted,
not copied.
"""

from datetime import timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from plased.db import utcnow
from plased.platforms.models import Platform
from plased.platforms.service import current_regulations
from plased.referrals.models import FINAL, Client, Referral, ReferralEvent

FREE_TEXT = (
    "reason",
    "needs",
    "referrer_contact",
    "decline_note",
    "outcome",
    "services_delivered",
    "close_reason",
)


def purge(session: Session, *, older_than_days: int | None = None) -> int:
    """Erase the client data of referrals that ended more than N days ago (default: each
    platform's ``data_retention_days``). Returns how many were erased; safe to re-run."""
    erased = 0
    now = utcnow()
    for platform_id in session.exec(select(Platform.id)).all():
        days = older_than_days
        if days is None:
            days = current_regulations(session, platform_id).data_retention_days
        cutoff = now - timedelta(days=days)
        rows = session.exec(
            select(Referral.id, Referral.client_id)
            .where(Referral.platform_id == platform_id)
            .where(col(Referral.status).in_(FINAL))
            .where(col(Referral.ended_at) < cutoff)
            .where(col(Referral.client_id).is_not(None))
        ).all()
        if not rows:
            continue
        referral_ids = [r for r, _ in rows]
        client_ids = [c for _, c in rows]
        session.execute(
            update(Referral)
            .where(col(Referral.id).in_(referral_ids))
            .values(client_id=None, client_erased_at=now, **dict.fromkeys(FREE_TEXT))
        )
        session.execute(
            update(ReferralEvent)
            .where(col(ReferralEvent.referral_id).in_(referral_ids))
            .values(note=None)
        )
        session.execute(delete(Client).where(col(Client.id).in_(client_ids)))
        erased += len(rows)
    session.flush()
    return erased
