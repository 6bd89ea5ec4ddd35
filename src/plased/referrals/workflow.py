"""Referral transitions: atomic, evented, notified (DESIGN §6)."""

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from plased.auth.models import User
from plased.coss import services as coss_services
from plased.db import rows_changed, utcnow
from plased.errors import Forbidden, InvalidTransition, Unprocessable
from plased.notifications.service import notify_organisation
from plased.platforms.service import current_regulations
from plased.referrals import policies
from plased.referrals.models import (
    FINAL,
    Consent,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from plased.referrals.service import get_visible
from plased.referrals.transitions import ACTIONS, sources

_TITLES = {
    ReferralStatus.submitted: "New referral {ref} received",
    ReferralStatus.accepted: "Referral {ref} accepted",
    ReferralStatus.declined: "Referral {ref} declined",
    ReferralStatus.in_progress: "Referral {ref} in progress",
    ReferralStatus.completed: "Referral {ref} completed",
    ReferralStatus.closed: "Referral {ref} closed",
    ReferralStatus.withdrawn: "Referral {ref} withdrawn",
    ReferralStatus.expired: "Referral {ref} expired without an answer",
}


def reference(referral: Referral) -> str:
    """How notifications and needs name a referral: never by the person."""
    return f"R-{str(referral.id)[:8].upper()}"


def _apply(
    session: Session,
    referral: Referral,
    *,
    target: ReferralStatus,
    actor: User | None,
    note: str | None,
    values: dict[str, Any],
    action: str,
) -> Referral:
    """One conditional UPDATE: of concurrent requests exactly one finds the old status."""
    allowed = sources(target)
    if referral.status not in allowed:
        raise InvalidTransition(current=referral.status, action=action)
    before = referral.status
    now = utcnow()
    if target in FINAL:
        values["ended_at"] = now
    result = session.execute(
        update(Referral)
        .where(col(Referral.id) == referral.id)
        .where(col(Referral.status) == before)
        .values(status=target, updated_at=now, version=col(Referral.version) + 1, **values)
    )
    if not rows_changed(result):
        session.refresh(referral)
        raise InvalidTransition(current=referral.status, action=action)
    session.refresh(referral)
    organisation_id = actor.organisation_id if actor else None
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            actor_id=actor.id if actor else None,
            organisation_id=organisation_id,
            from_status=before,
            to_status=target,
            note=note,
        )
    )
    # The other side hears of it: the provider of submissions and withdrawals,
    # the referrer of everything else.
    to_provider = target in (ReferralStatus.submitted, ReferralStatus.withdrawn)
    notify_organisation(
        session,
        organisation_id=referral.provider_id if to_provider else referral.from_organisation_id,
        kind=f"referral_{target}",
        title=_TITLES[target].format(ref=reference(referral)),
        referral_id=referral.id,
    )
    session.flush()
    return referral


def transition(
    session: Session, *, user: User, referral_id: uuid.UUID, action: str, body: Any
) -> Referral:
    referral = get_visible(session, user, referral_id)
    rule = ACTIONS[action]
    if policies.side_of(user, referral) != rule.side:
        raise Forbidden(f"Only the {rule.side} may {action} this referral.")
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
    if action == "decline":
        if body.suggested_service_id is not None:
            coss_services.check_referrable(
                session, body.suggested_service_id, pointer="/body/suggested_service_id"
            )
        values.update(
            decline_reason=body.reason,
            decline_note=body.note,
            suggested_service_id=body.suggested_service_id,
        )
    elif action == "complete":
        values.update(
            outcome=body.outcome, services_delivered=body.services_delivered, completed_at=now
        )
    elif action == "close":
        values["close_reason"] = body.reason
        note = body.reason
    return _apply(
        session, referral, target=rule.target, actor=user, note=note, values=values, action=action
    )


def withdraw_consent(session: Session, *, user: User, referral_id: uuid.UUID) -> Referral:
    """The client withdraws consent to share: open referrals end, the provider loses sight."""
    referral = get_visible(session, user, referral_id)
    if policies.side_of(user, referral) != "referrer":
        raise Forbidden("Only the referring organisation records a withdrawal of consent.")
    consent = session.exec(select(Consent).where(Consent.referral_id == referral.id)).first()
    if consent is None or consent.withdrawn_at is not None:
        raise Unprocessable("There is no standing consent to withdraw.", code="no_consent")
    consent.withdrawn_at = utcnow()
    consent.share_with_provider = False
    session.add(consent)
    note = "Consent to share withdrawn"
    if referral.status in (ReferralStatus.submitted, ReferralStatus.accepted):
        referral = _apply(
            session,
            referral,
            target=ReferralStatus.withdrawn,
            actor=user,
            note=note,
            values={},
            action="withdraw",
        )
    elif referral.status == ReferralStatus.in_progress:
        referral = _apply(
            session,
            referral,
            target=ReferralStatus.closed,
            actor=user,
            note=note,
            values={"close_reason": note},
            action="close",
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
                target=ReferralStatus.expired,
                actor=None,
                note="No answer before the deadline",
                values={},
                action="expire",
            )
        except InvalidTransition:
            continue  # another machine, or the provider, got there first
        expired += 1
    return expired
