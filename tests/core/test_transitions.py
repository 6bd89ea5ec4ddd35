"""The transition engine's "lost the race" branch, made deterministic on every database: two
callers read the same record; the first takes an action and commits; the second, holding the
stale record, takes the same action. The second gets ``invalid_transition`` (409) naming the
status the winner left, writes no event, calls no hook, and changes nothing."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from plased.coss.transitions import MACHINE as SERVICES
from plased.errors import InvalidTransition
from plased.governance.meetings import MACHINE as MEETINGS
from plased.governance.minutes import MACHINE as MINUTES
from plased.governance.models import Minutes
from plased.governance.motions import MACHINE as MOTIONS
from plased.initiatives.mapping_plans import MACHINE as ADVOCACY_PLANS
from plased.members.transitions import MACHINE as MEMBERSHIPS
from plased.referrals.transitions import MACHINE as REFERRALS
from plased.transitions import Machine, apply
from tests.helpers import database_state
from tests.sweeps import records
from tests.worlds import Board, Setup

MACHINES: dict[str, Machine[Any]] = {
    "referral_id": REFERRALS,
    "membership_id": MEMBERSHIPS,
    "meeting_id": MEETINGS,
    "motion_id": MOTIONS,
    "service_id": SERVICES,
    "minutes": MINUTES,
    "plan_id": ADVOCACY_PLANS,
}


def _first_action(machine: Machine[Any], status: str) -> str:
    """An action the record may take now that cannot be taken twice in a row."""
    return next(
        action.name
        for action in machine.actions.values()
        if status in action.sources and action.target not in action.sources
    )


@pytest.mark.parametrize("kind", list(MACHINES))
def test_the_loser_of_a_race_changes_nothing(
    kind: str, client: TestClient, db: Session, engine: Engine, board: Board, s: Setup
) -> None:
    found = records(client, db, board, s)
    machine = MACHINES[kind]
    if kind == "minutes":
        record_id = db.exec(
            select(Minutes.id).where(Minutes.meeting_id == uuid.UUID(found["meeting_id"]))
        ).one()
    else:
        record_id = uuid.UUID(found[kind])

    with Session(engine, expire_on_commit=False) as loser:
        stale = loser.get(machine.model, record_id)
        assert stale is not None
        loser.commit()  # the read is over; the record in hand is what the loser saw
        action = _first_action(machine, stale.status)

        with Session(engine, expire_on_commit=False) as winner:
            won = apply(
                winner, machine, winner.get(machine.model, record_id), action, actor_id=None
            )
            winner.commit()
        after_winner = database_state(engine)

        with pytest.raises(InvalidTransition) as lost:
            apply(loser, machine, stale, action, actor_id=None)
        assert lost.value.status == 409
        assert lost.value.extra["current_status"] == won.status
        assert not loser.new  # no event row, no notification
        loser.rollback()
    assert database_state(engine) == after_winner
