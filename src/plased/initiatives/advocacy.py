"""Advocacy: what an advocacy initiative asks of which authority, the outcome step by step
with dated evidence (raised → acknowledged → commitment_made → implemented, or rejected), and
the commitments authorities make in the platform's dialogues.

Reads: anyone with a role in the platform. The advocacy record and its outcome: the
secretariat and the lead organisation's staff while the initiative is open. Commitments: the
secretariat.
"""

import uuid
from datetime import date

from sqlmodel import Session, col, select

from plased import i18n
from plased import transitions as engine
from plased.access import Access, managed_platform, platform_in_reach, root_of
from plased.concurrency import check_if_match
from plased.db import bump
from plased.errors import Conflict, NotFound, field_error
from plased.governance.models import Body, Meeting
from plased.initiatives import authorities, service
from plased.initiatives.advocacy_schemas import (
    AdvocacyPublic,
    AdvocacyWrite,
    CommitmentCreate,
    CommitmentPublic,
    CommitmentUpdate,
    OutcomeEvidence,
)
from plased.initiatives.models import (
    Advocacy,
    AdvocacyEvent,
    Commitment,
    CommitmentStatus,
    Initiative,
    InitiativeKind,
)
from plased.initiatives.models import OutcomeStatus as O
from plased.pagination import PageParams, paginate
from plased.transitions import Machine, actions

KEEPERS = "the secretariat or the lead organisation's staff"
OUTCOME: Machine[Advocacy] = Machine(
    model=Advocacy,
    actions=actions(
        ("acknowledge", {O.raised}, O.acknowledged, KEEPERS),
        ("commit", {O.raised, O.acknowledged}, O.commitment_made, KEEPERS),
        ("implement", {O.commitment_made}, O.implemented, KEEPERS),
        ("reject", {O.raised, O.acknowledged, O.commitment_made}, O.rejected, KEEPERS),
    ),
)
# A commitment's status moves forward only; fulfilled and not fulfilled are final.
COMMITMENT_NEXT: dict[CommitmentStatus, set[str]] = {
    CommitmentStatus.pending: {
        CommitmentStatus.in_progress,
        CommitmentStatus.fulfilled,
        CommitmentStatus.not_fulfilled,
    },
    CommitmentStatus.in_progress: {CommitmentStatus.fulfilled, CommitmentStatus.not_fulfilled},
}


def _authority(
    session: Session, platform_id: uuid.UUID, organisation_id: uuid.UUID, pointer: str
) -> None:
    root = root_of(service.platform(session, platform_id))
    authorities.local_authority(session, root, organisation_id, pointer)


def _meeting(session: Session, platform_id: uuid.UUID, meeting_id: uuid.UUID | None) -> None:
    if meeting_id is None:
        return
    found = session.exec(
        select(Meeting.id)
        .join(Body, col(Body.id) == Meeting.body_id)
        .where(Meeting.id == meeting_id, Body.platform_id == platform_id)
    ).first()
    if found is None:
        raise field_error("/body/meeting_id", "unknown_meeting", "No such meeting.")


# -- advocacy ------------------------------------------------------------------------------


def _advocacy_of(session: Session, initiative: Initiative) -> Advocacy | None:
    return session.exec(select(Advocacy).where(Advocacy.initiative_id == initiative.id)).first()


def get_advocacy(
    session: Session, access: Access, initiative_id: uuid.UUID
) -> tuple[Advocacy, Initiative]:
    initiative = service.get_initiative(session, access, initiative_id)
    advocacy = _advocacy_of(session, initiative)
    if advocacy is None:
        raise NotFound
    return advocacy, initiative


def write_advocacy(
    session: Session,
    *,
    access: Access,
    initiative_id: uuid.UUID,
    data: AdvocacyWrite,
    if_match: str | None,
) -> tuple[Advocacy, bool]:
    """Create or replace the target, issue and channel of an advocacy initiative (409
    ``not_advocacy`` for another kind). Answers the record and whether it was created."""
    initiative = service.get_initiative(session, access, initiative_id)
    service.require_keeper(session, access, initiative)
    if initiative.kind != InitiativeKind.advocacy:
        raise Conflict(
            "Only an initiative of kind advocacy has an advocacy record.", code="not_advocacy"
        )
    root = root_of(service.platform(session, initiative.platform_id))
    authorities.check_target(session, root, data.target_organisation_id, data.target_body)
    advocacy = _advocacy_of(session, initiative)
    created = advocacy is None
    if advocacy is None:
        advocacy = Advocacy(initiative_id=initiative.id, **data.model_dump())
        session.add(advocacy)
        session.flush()
        session.add(
            AdvocacyEvent(
                advocacy_id=advocacy.id, to_status=advocacy.status, actor_id=access.user.id
            )
        )
    else:
        check_if_match(if_match, advocacy.version)
        for name, value in data.model_dump().items():
            setattr(advocacy, name, value)
        bump(advocacy)
        session.add(advocacy)
    session.flush()
    return advocacy, created


def outcome(
    session: Session,
    *,
    access: Access,
    initiative_id: uuid.UUID,
    action: str,
    data: OutcomeEvidence,
) -> Advocacy:
    """One step of the outcome, with its evidence (a day not after today, a note, and
    optionally the meeting and, for commit, the commitment)."""
    advocacy, initiative = get_advocacy(session, access, initiative_id)
    service.require_keeper(session, access, initiative)
    if not OUTCOME.allows(advocacy, action):
        raise engine.InvalidTransition(current=advocacy.status, action=action)
    today = service.local_today(session, initiative.platform_id)
    service.check_not_after(data.evidence_on, today, "/body/evidence_on", "evidence_in_future")
    _meeting(session, initiative.platform_id, data.meeting_id)
    if data.commitment_id is not None:
        commitment = session.get(Commitment, data.commitment_id)
        if commitment is None or commitment.platform_id != initiative.platform_id:
            raise field_error("/body/commitment_id", "unknown_commitment", "No such commitment.")
    before = advocacy.status
    advocacy = engine.apply(session, OUTCOME, advocacy, action, actor_id=access.user.id)
    session.add(
        AdvocacyEvent(
            advocacy_id=advocacy.id,
            from_status=before,
            to_status=advocacy.status,
            evidence_on=data.evidence_on,
            evidence=data.evidence,
            meeting_id=data.meeting_id,
            commitment_id=data.commitment_id,
            actor_id=access.user.id,
        )
    )
    session.flush()
    return advocacy


def present_advocacy(session: Session, advocacy: Advocacy, *, khmer: bool) -> AdvocacyPublic:
    events = session.exec(
        select(AdvocacyEvent)
        .where(AdvocacyEvent.advocacy_id == advocacy.id)
        .order_by(col(AdvocacyEvent.created_at), col(AdvocacyEvent.id))
    ).all()
    return AdvocacyPublic.model_validate(
        {
            **advocacy.model_dump(),
            "display_issue": i18n.display(advocacy.issue, advocacy.issue_km, khmer),
            "outcome": [e.model_dump() for e in events],
        }
    )


# -- commitments ---------------------------------------------------------------------------


def create_commitment(
    session: Session, *, access: Access, platform_id: uuid.UUID, data: CommitmentCreate
) -> Commitment:
    managed_platform(session, access, platform_id)
    _authority(session, platform_id, data.owner_organisation_id, "/body/owner_organisation_id")
    today = service.local_today(session, platform_id)
    service.check_not_after(data.made_on, today, "/body/made_on", "made_in_future")
    _meeting(session, platform_id, data.meeting_id)
    if data.initiative_id is not None:
        initiative = session.get(Initiative, data.initiative_id)
        if initiative is None or initiative.platform_id != platform_id:
            raise field_error("/body/initiative_id", "unknown_initiative", "No such initiative.")
    commitment = Commitment(platform_id=platform_id, **data.model_dump())
    session.add(commitment)
    session.flush()
    return commitment


def get_commitment(session: Session, access: Access, commitment_id: uuid.UUID) -> Commitment:
    commitment = session.get(Commitment, commitment_id)
    if commitment is None or not access.has_role_in(commitment.platform_id):
        raise NotFound
    return commitment


def update_commitment(
    session: Session,
    *,
    access: Access,
    commitment_id: uuid.UUID,
    data: CommitmentUpdate,
    if_match: str | None,
) -> Commitment:
    """The secretariat; the status moves forward only (409 ``invalid_transition``)."""
    commitment = get_commitment(session, access, commitment_id)
    managed_platform(session, access, commitment.platform_id)
    check_if_match(if_match, commitment.version)
    changes = data.changes()
    target = changes.get("status")
    allowed = COMMITMENT_NEXT.get(CommitmentStatus(commitment.status), set())
    if target is not None and target != commitment.status and target not in allowed:
        raise engine.InvalidTransition(current=commitment.status, action=f"set {target}")
    for name, value in changes.items():
        setattr(commitment, name, value)
    bump(commitment)
    session.add(commitment)
    session.flush()
    return commitment


def list_commitments(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    params: PageParams,
    status: CommitmentStatus | None,
    owner_organisation_id: uuid.UUID | None,
    initiative_id: uuid.UUID | None,
) -> tuple[list[Commitment], int]:
    platform_in_reach(session, access, platform_id)
    statement = select(Commitment).where(Commitment.platform_id == platform_id)
    if status is not None:
        statement = statement.where(Commitment.status == status)
    if owner_organisation_id is not None:
        statement = statement.where(Commitment.owner_organisation_id == owner_organisation_id)
    if initiative_id is not None:
        statement = statement.where(Commitment.initiative_id == initiative_id)
    return paginate(
        session,
        statement,
        params,
        allowed_sorts={
            "made_on": Commitment.made_on,
            "due_on": Commitment.due_on,
            "status": Commitment.status,
            "updated_at": Commitment.updated_at,
        },
        default_sort=["-made_on"],
        tiebreak=Commitment.id,
        updated_column=Commitment.updated_at,
    )


OPEN_COMMITMENTS = {CommitmentStatus.pending, CommitmentStatus.in_progress}


def present_commitment(commitment: Commitment, today: date, *, khmer: bool) -> CommitmentPublic:
    return CommitmentPublic.model_validate(
        {
            **commitment.model_dump(),
            "display_text": i18n.display(commitment.text, commitment.text_km, khmer),
            "overdue": commitment.status in OPEN_COMMITMENTS
            and commitment.due_on is not None
            and commitment.due_on < today,
        }
    )


def present_commitments(
    session: Session, items: list[Commitment], *, khmer: bool
) -> list[CommitmentPublic]:
    todays = {p: service.local_today(session, p) for p in {c.platform_id for c in items}}
    return [present_commitment(c, todays[c.platform_id], khmer=khmer) for c in items]
