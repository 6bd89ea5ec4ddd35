"""Referral actions: the checks each needs and what it writes, applied by the transition
engine (atomic, evented, notified: referrals/transitions.py)."""

import uuid
from datetime import timedelta
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from plased.access import Access
from plased.coss import services as coss_services
from plased.db import utcnow
from plased.errors import Forbidden, InvalidTransition, Unprocessable
from plased.platforms.service import current_regulations
from plased.referrals import policies
from plased.referrals.models import (
    FINAL,
    Consent,
    Referral,
    ReferralStatus,
)
from plased.referrals.schemas import ReferralClose, ReferralComplete, ReferralDecline
from plased.referrals.service import get_visible
from plased.referrals.transitions import ACTIONS, MACHINE
from plased.transitions import apply


def _apply(
    session: Session,
    referral: Referral,
    action: str,
    *,
    access: Access | None,
    note: str | None,
    values: dict[str, Any],
) -> Referral:
    """The engine's atomic change; a final status also ends the referral (its retention
    period starts)."""
    if ACTIONS[action].target in FINAL:
        values["ended_at"] = utcnow()
    return apply(
        session,
        MACHINE,
        referral,
        action,
        actor_id=access.user.id if access else None,
        actor_organisation_id=access.organisation_id if access else None,
        note=note,
        values=values,
    )


def transition(
    session: Session,
    *,
    access: Access,
    referral_id: uuid.UUID,
    action: str,
    body: BaseModel | None,
) -> Referral:
    referral = get_visible(session, access, referral_id)
    rule = ACTIONS[action]
    if policies.side_of(access, referral) != rule.who:
        raise Forbidden(f"Only the {rule.who} may {action} this referral.")
    access.require_writable(referral.platform_id)
    note = getattr(body, "note", None)
    values: dict[str, Any] = {}
    now = utcnow()
    if action == "submit":
        # The provider may have left or lost its staff since the draft was written.
        coss_services.check_referrable(session, referral.service_id, pointer="/path/referral_id")
        consent = session.exec(select(Consent).where(Consent.referral_id == referral.id)).first()
        if consent is None or not consent.share_with_provider or consent.withdrawn_at:
            raise Unprocessable(
                "Record the client's consent to share with the provider before submitting.",
                code="consent_required",
            )
        hours = current_regulations(session, referral.platform_id).referral_response_hours
        values.update(
            submitted_at=now, respond_by=now + timedelta(hours=int(hours[referral.urgency]))
        )
    elif action in ("accept", "decline"):
        values["responded_at"] = now
    if isinstance(body, ReferralDecline):
        if body.suggested_service_id is not None:
            coss_services.check_referrable(
                session, body.suggested_service_id, pointer="/body/suggested_service_id"
            )
        values.update(
            decline_reason=body.reason,
            decline_note=body.note,
            suggested_service_id=body.suggested_service_id,
        )
    elif isinstance(body, ReferralComplete):
        values.update(
            outcome=body.outcome, services_delivered=body.services_delivered, completed_at=now
        )
    elif isinstance(body, ReferralClose):
        values["close_reason"] = body.reason
        note = body.reason
    return _apply(session, referral, action, access=access, note=note, values=values)


def withdraw_consent(session: Session, *, access: Access, referral_id: uuid.UUID) -> Referral:
    """The client withdraws consent to share: open referrals end, the provider loses sight."""
    referral = get_visible(session, access, referral_id)
    if policies.side_of(access, referral) != "referrer":
        raise Forbidden("Only the referring organisation records a withdrawal of consent.")
    access.require_writable(referral.platform_id)
    consent = session.exec(select(Consent).where(Consent.referral_id == referral.id)).first()
    if consent is None or consent.withdrawn_at is not None:
        raise Unprocessable("There is no standing consent to withdraw.", code="no_consent")
    consent.withdrawn_at = utcnow()
    consent.share_with_provider = False
    session.add(consent)
    note = "Consent to share withdrawn"
    if referral.status in (ReferralStatus.submitted, ReferralStatus.accepted):
        referral = _apply(session, referral, "withdraw", access=access, note=note, values={})
    elif referral.status == ReferralStatus.in_progress:
        # Consent withdrawn during delivery closes it (in_progress → withdrawn is no transition).
        referral = _apply(
            session, referral, "close", access=access, note=note, values={"close_reason": note}
        )
    session.flush()
    return referral


def expire_overdue(session: Session) -> int:
    """Submitted referrals past their deadline become expired; the referrer is told.

    Safe on several machines at once: each referral is claimed by one conditional update.
    """
    now = utcnow()
    due = session.exec(
        select(Referral)
        .where(Referral.status == ReferralStatus.submitted)
        .where(col(Referral.respond_by) < now)
    ).all()
    expired = 0
    for referral in due:
        try:
            _apply(
                session,
                referral,
                "expire",
                access=None,
                note="No answer before the deadline",
                values={},
            )
        except InvalidTransition:
            continue  # another machine, or the provider, got there first
        expired += 1
    return expired
