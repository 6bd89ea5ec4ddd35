"""The value chain's status machine on the transition engine: a candidate is prioritised or
dropped, by a passed motion or by the secretariat with a reason; the decision is final (a
dropped chain comes back as a new candidate)."""

from sqlmodel import SQLModel

from plased.transitions import Change, Machine, actions
from plased.valuechains.models import ValueChain, ValueChainEvent
from plased.valuechains.models import ValueChainStatus as S

SECRETARIAT = "secretariat"

ACTIONS = actions(
    ("prioritise", {S.candidate}, S.prioritised, SECRETARIAT),
    ("drop", {S.candidate}, S.dropped, SECRETARIAT),
)


def _event(change: Change[ValueChain]) -> SQLModel:
    return ValueChainEvent(
        value_chain_id=change.record.id,
        from_status=change.before,
        to_status=change.action.target,
        actor_id=change.actor_id,
        motion_id=change.record.decision_motion_id,
        reason=change.note,
    )


MACHINE: Machine[ValueChain] = Machine(model=ValueChain, actions=ACTIONS, event=_event)
