"""The membership state machine as data (DESIGN §6)."""

from dataclasses import dataclass

from plased.members.models import MembershipStatus as S

TRANSITIONS: dict[S, frozenset[S]] = {
    S.applied: frozenset({S.active, S.rejected}),
    S.active: frozenset({S.suspended, S.withdrawn, S.expired}),
    S.suspended: frozenset({S.active, S.withdrawn}),
    S.rejected: frozenset(),
    S.withdrawn: frozenset(),
    S.expired: frozenset(),
}


@dataclass(frozen=True)
class Action:
    target: S
    # The organisation's own staff may take this action (otherwise only the secretariat).
    organisation_may: bool = False
    reason_required: bool = False


ACTIONS: dict[str, Action] = {
    "approve": Action(S.active),
    "reject": Action(S.rejected, reason_required=True),
    "suspend": Action(S.suspended, reason_required=True),
    "reinstate": Action(S.active),
    "withdraw": Action(S.withdrawn, organisation_may=True),
    "expire": Action(S.expired),
}


def sources(action: str) -> frozenset[S]:
    """The statuses from which ``action`` is legal (reinstate only from suspended)."""
    target = ACTIONS[action].target
    if action == "reinstate":
        return frozenset({S.suspended})
    if action == "approve":
        return frozenset({S.applied})
    return frozenset(s for s, targets in TRANSITIONS.items() if target in targets)
