"""The referral state machine (DESIGN §6) on the transition engine: who may take each action,
the event every change writes, and who is told."""

from sqlmodel import Session, SQLModel

from plased.notifications.service import notify_organisation
from plased.referrals.models import Referral, ReferralEvent
from plased.referrals.models import ReferralStatus as S
from plased.transitions import Change, Machine, actions

REFERRER, PROVIDER, SYSTEM = "referrer", "provider", "system"

ACTIONS = actions(
    ("submit", {S.draft}, S.submitted, REFERRER),
    ("accept", {S.submitted}, S.accepted, PROVIDER),
    ("decline", {S.submitted}, S.declined, PROVIDER),
    ("start", {S.accepted}, S.in_progress, PROVIDER),
    ("complete", {S.in_progress}, S.completed, PROVIDER),
    ("close", {S.in_progress}, S.closed, PROVIDER),
    ("withdraw", {S.submitted, S.accepted}, S.withdrawn, REFERRER),
    ("expire", {S.submitted}, S.expired, SYSTEM),
)

TITLES = {
    S.submitted: "New referral {ref} received",
    S.accepted: "Referral {ref} accepted",
    S.declined: "Referral {ref} declined",
    S.in_progress: "Referral {ref} in progress",
    S.completed: "Referral {ref} completed",
    S.closed: "Referral {ref} closed",
    S.withdrawn: "Referral {ref} withdrawn",
    S.expired: "Referral {ref} expired without an answer",
}


def reference(referral: Referral) -> str:
    """How notifications name a referral: never by the person."""
    return f"R-{str(referral.id)[:8].upper()}"


def _event(change: Change[Referral]) -> SQLModel:
    return ReferralEvent(
        referral_id=change.record.id,
        actor_id=change.actor_id,
        organisation_id=change.actor_organisation_id,
        from_status=change.before,
        to_status=change.action.target,
        note=change.note,
    )


def _notify(session: Session, change: Change[Referral]) -> None:
    """The other side hears of it: the provider of submissions and withdrawals, the
    referrer of everything else."""
    referral, target = change.record, change.action.target
    to_provider = target in (S.submitted, S.withdrawn)
    notify_organisation(
        session,
        organisation_id=referral.provider_id if to_provider else referral.from_organisation_id,
        kind=f"referral_{target}",
        title=TITLES[S(target)].format(ref=reference(referral)),
        referral_id=referral.id,
    )


MACHINE: Machine[Referral] = Machine(
    model=Referral, actions=ACTIONS, event=_event, hooks=(_notify,)
)
