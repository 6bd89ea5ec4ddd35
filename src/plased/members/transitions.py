"""The membership state machine (DESIGN §6) on the transition engine."""

from sqlmodel import SQLModel

from plased.members.models import Membership, MembershipEvent
from plased.members.models import MembershipStatus as S
from plased.transitions import Change, Machine, actions

SECRETARIAT, ORGANISATION = "secretariat", "secretariat or the organisation"

ACTIONS = actions(
    ("approve", {S.applied}, S.active, SECRETARIAT),
    ("reject", {S.applied}, S.rejected, SECRETARIAT),
    ("suspend", {S.active}, S.suspended, SECRETARIAT),
    ("reinstate", {S.suspended}, S.active, SECRETARIAT),
    ("withdraw", {S.active, S.suspended}, S.withdrawn, ORGANISATION),
    ("expire", {S.active}, S.expired, SECRETARIAT),
)
# A reason is required to refuse or suspend.
REASON_REQUIRED = frozenset({"reject", "suspend"})


def _event(change: Change[Membership]) -> SQLModel:
    return MembershipEvent(
        membership_id=change.record.id,
        from_status=change.before,
        to_status=change.action.target,
        actor_id=change.actor_id,
        reason=change.note,
    )


MACHINE: Machine[Membership] = Machine(model=Membership, actions=ACTIONS, event=_event)
