"""The referral state machine as data (DESIGN §6)."""

from dataclasses import dataclass
from typing import Literal

from plased.referrals.models import ReferralStatus as S

TRANSITIONS: dict[S, frozenset[S]] = {
    S.draft: frozenset({S.submitted}),
    S.submitted: frozenset({S.accepted, S.declined, S.withdrawn, S.expired}),
    S.accepted: frozenset({S.in_progress, S.withdrawn}),
    S.in_progress: frozenset({S.completed, S.closed}),
}

Side = Literal["referrer", "provider", "system"]


@dataclass(frozen=True)
class Action:
    target: S
    side: Side


ACTIONS: dict[str, Action] = {
    "submit": Action(S.submitted, "referrer"),
    "accept": Action(S.accepted, "provider"),
    "decline": Action(S.declined, "provider"),
    "start": Action(S.in_progress, "provider"),
    "complete": Action(S.completed, "provider"),
    "close": Action(S.closed, "provider"),
    "withdraw": Action(S.withdrawn, "referrer"),
    "expire": Action(S.expired, "system"),
}


def sources(target: S) -> frozenset[S]:
    return frozenset(s for s, targets in TRANSITIONS.items() if target in targets)
