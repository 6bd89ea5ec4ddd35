"""Meetings: schedule, convene, start, close, cancel; agenda; attendance; quorum."""

import math
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from plased import transitions as engine
from plased.access import Access, root_of
from plased.concurrency import check_if_match
from plased.db import bump, utcnow
from plased.errors import InvalidTransition, NotFound, field_error
from plased.governance import bodies
from plased.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Voting,
)
from plased.governance.schemas import (
    AgendaItemCreate,
    AgendaItemUpdate,
    AttendancePublic,
    AttendanceRow,
    MeetingCreate,
    MeetingPublic,
    MeetingUpdate,
    Quorum,
)
from plased.members import organisations, people
from plased.members.models import (
    Membership,
    MembershipStatus,
    Person,
    Representative,
    RepresentativeRole,
)
from plased.platforms.models import Platform
from plased.platforms.service import current_regulations
from plased.tombstones import DeletedKind, record_deletion
from plased.transitions import Change, Machine

S = MeetingStatus
RUNNERS = "the secretariat or the body's facilitators"
OPEN_TO_ALL = {MeetingKind.training, MeetingKind.consultation}


def present(meeting: Meeting) -> MeetingPublic:
    local = meeting.starts_at.astimezone(ZoneInfo(meeting.time_zone))
    return MeetingPublic.model_validate(
        {**meeting.model_dump(), "local_starts_at": local.isoformat()}
    )


def get_meeting(session: Session, access: Access, meeting_id: uuid.UUID) -> tuple[Meeting, Body]:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound
    return meeting, bodies.get_body(session, access, meeting.body_id)


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise field_error(
            "/body/ends_at", "ends_before_start", "The meeting ends before it starts."
        )


TRAINING_FIELDS = ("topic", "topic_km", "trainer_person_id", "audience")


def _check_training(
    session: Session, platform: Platform, kind: str, values: dict[str, object]
) -> None:
    """Topic, trainer and audience belong to trainings; the trainer is a person of the
    platform."""
    for name in TRAINING_FIELDS:
        if values.get(name) is not None and kind != MeetingKind.training:
            raise field_error(
                f"/body/{name}",
                "training_only",
                "Only a training has a topic, a trainer and an audience.",
            )
    trainer = values.get("trainer_person_id")
    if isinstance(trainer, uuid.UUID):
        people.named_in(session, trainer, root_of(platform), pointer="/body/trainer_person_id")


def create(session: Session, *, access: Access, body_id: uuid.UUID, data: MeetingCreate) -> Meeting:
    body = bodies.get_body(session, access, body_id)
    bodies.require_facilitator(session, access, body)
    _check_times(data.starts_at, data.ends_at)
    platform = session.get(Platform, body.platform_id)
    assert platform is not None
    _check_training(session, platform, data.kind, data.model_dump())
    meeting = Meeting(
        body_id=body.id,
        **data.model_dump(exclude={"time_zone", "starts_at", "ends_at"}),
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        time_zone=data.time_zone or platform.time_zone,
    )
    session.add(meeting)
    session.flush()
    return meeting


def update_meeting(
    session: Session,
    *,
    access: Access,
    meeting_id: uuid.UUID,
    data: MeetingUpdate,
    if_match: str | None,
) -> Meeting:
    meeting, body = get_meeting(session, access, meeting_id)
    bodies.require_facilitator(session, access, body)
    check_if_match(if_match, meeting.version)
    if meeting.status not in (S.planned, S.convened):
        raise InvalidTransition(current=meeting.status, action="edit")
    changes = data.changes()
    _check_times(
        changes.get("starts_at") or meeting.starts_at, changes.get("ends_at") or meeting.ends_at
    )
    _check_training(session, session.get_one(Platform, body.platform_id), meeting.kind, changes)
    if changes:
        meeting.sqlmodel_update(
            {
                k: v
                for k, v in changes.items()
                if v is not None or k in ("place", "online_link", "title_km", *TRAINING_FIELDS)
            }
        )
        bump(meeting)
        session.add(meeting)
    return meeting


def list_meetings(session: Session, *, access: Access, body_id: uuid.UUID) -> list[Meeting]:
    body = bodies.get_body(session, access, body_id)
    return list(
        session.exec(
            select(Meeting).where(Meeting.body_id == body.id).order_by(col(Meeting.starts_at))
        ).all()
    )


def transition(session: Session, *, access: Access, meeting_id: uuid.UUID, action: str) -> Meeting:
    meeting, body = get_meeting(session, access, meeting_id)
    bodies.require_facilitator(session, access, body)
    return engine.apply(session, MACHINE, meeting, action, actor_id=access.user.id)


# -- voters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Voter:
    key: uuid.UUID  # the person, or the organisation when members vote by organisation
    person_id: uuid.UUID
    organisation_id: uuid.UUID | None


def voters(session: Session, body: Body, on: date) -> list[Voter]:
    """Seat holders vote as persons (a seat representing an organisation that is no longer
    an active member does not vote); member organisations vote through their primary
    representative (an alternate stands in)."""
    if body.voting == Voting.seat_holders:
        seats = bodies.current_seats(session, body.id, on)
        active = bodies.member_organisations(
            session, body.platform_id, {s.organisation_id for s in seats}
        )
        seen: dict[uuid.UUID, Voter] = {}
        for seat in seats:
            if seat.organisation_id is not None and seat.organisation_id not in active:
                continue
            seen.setdefault(
                seat.person_id, Voter(seat.person_id, seat.person_id, seat.organisation_id)
            )
        return list(seen.values())
    members = select(Membership.organisation_id).where(
        Membership.platform_id == body.platform_id, Membership.status == MembershipStatus.active
    )
    reps = session.exec(
        select(Representative)
        .where(col(Representative.organisation_id).in_(members))
        .where(col(Representative.end_date).is_(None))
        .where(
            col(Representative.role).in_([RepresentativeRole.primary, RepresentativeRole.alternate])
        )
        .order_by(col(Representative.role).desc())  # primary before alternate
    ).all()
    result = []
    for rep in reps:
        result.append(Voter(rep.organisation_id, rep.person_id, rep.organisation_id))
    return result


def _invite_on_convene(session: Session, change: Change[Meeting]) -> None:
    """Convening invites the body's voters."""
    if change.action.name == "convene":
        body = session.get(Body, change.record.body_id)
        assert body is not None
        _invite_voters(session, body, change.record)


MACHINE: Machine[Meeting] = Machine(
    model=Meeting,
    actions=engine.actions(
        ("convene", {S.planned}, S.convened, RUNNERS),
        ("start", {S.convened}, S.in_progress, RUNNERS),
        ("close", {S.in_progress}, S.closed, RUNNERS),
        ("cancel", {S.planned, S.convened}, S.cancelled, RUNNERS),
    ),
    hooks=(_invite_on_convene,),
)


def _invite_voters(session: Session, body: Body, meeting: Meeting) -> None:
    existing = set(
        session.exec(select(Attendance.person_id).where(Attendance.meeting_id == meeting.id)).all()
    )
    for voter in voters(session, body, meeting.starts_at.date()):
        if voter.person_id not in existing:
            existing.add(voter.person_id)
            session.add(
                Attendance(
                    meeting_id=meeting.id,
                    person_id=voter.person_id,
                    organisation_id=voter.organisation_id,
                    is_voter=True,
                )
            )


def quorum(session: Session, *, access: Access, meeting_id: uuid.UUID) -> Quorum:
    meeting, body = get_meeting(session, access, meeting_id)
    return compute_quorum(session, body, meeting)


def compute_quorum(session: Session, body: Body, meeting: Meeting) -> Quorum:
    all_voters = voters(session, body, meeting.starts_at.date())
    present = set(
        session.exec(
            select(Attendance.person_id).where(
                Attendance.meeting_id == meeting.id, Attendance.status == AttendanceStatus.present
            )
        ).all()
    )
    eligible = {v.key for v in all_voters}
    present_keys = {v.key for v in all_voters if v.person_id in present}
    fraction = float(current_regulations(session, body.platform_id).quorum[body.kind])
    required = math.ceil(fraction * len(eligible)) if eligible else 1
    return Quorum(
        meeting_id=meeting.id,
        voting=Voting(body.voting),
        eligible_voters=len(eligible),
        present_voters=len(present_keys),
        required_fraction=fraction,
        required_present=required,
        quorate=bool(eligible) and len(present_keys) >= required,
    )


# -- agenda ------------------------------------------------------------------------------


def _editable_agenda(session: Session, access: Access, meeting_id: uuid.UUID) -> Meeting:
    meeting, body = get_meeting(session, access, meeting_id)
    bodies.require_facilitator(session, access, body)
    if meeting.status not in (S.planned, S.convened):
        raise InvalidTransition(current=meeting.status, action="edit the agenda")
    return meeting


def agenda(session: Session, *, access: Access, meeting_id: uuid.UUID) -> list[AgendaItem]:
    get_meeting(session, access, meeting_id)
    return list(
        session.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(col(AgendaItem.position))
        ).all()
    )


def add_item(
    session: Session, *, access: Access, meeting_id: uuid.UUID, data: AgendaItemCreate
) -> AgendaItem:
    meeting = _editable_agenda(session, access, meeting_id)
    count = len(agenda(session, access=access, meeting_id=meeting.id))
    item = AgendaItem(meeting_id=meeting.id, position=count + 1, **data.model_dump())
    session.add(item)
    session.flush()
    return item


def _item(session: Session, access: Access, item_id: uuid.UUID) -> AgendaItem:
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound
    _editable_agenda(session, access, item.meeting_id)
    return item


def edit_item(
    session: Session,
    *,
    access: Access,
    item_id: uuid.UUID,
    data: AgendaItemUpdate,
    if_match: str | None = None,
) -> AgendaItem:
    item = _item(session, access, item_id)
    check_if_match(if_match, item.version)
    changes = data.changes()
    item.sqlmodel_update(changes)
    bump(item)
    session.add(item)
    return item


def remove_item(
    session: Session, *, access: Access, item_id: uuid.UUID, if_match: str | None = None
) -> None:
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound
    meeting = _editable_agenda(session, access, item.meeting_id)
    check_if_match(if_match, item.version)
    meeting_id = item.meeting_id
    body = session.get_one(Body, meeting.body_id)
    record_deletion(
        session,
        kind=DeletedKind.agenda_item,
        record_id=item.id,
        parent_id=meeting_id,
        platform_id=body.platform_id,
    )
    session.delete(item)
    session.flush()
    _renumber(session, [i.id for i in agenda(session, access=access, meeting_id=meeting_id)])


def reorder(
    session: Session, *, access: Access, meeting_id: uuid.UUID, item_ids: list[uuid.UUID]
) -> list[AgendaItem]:
    _editable_agenda(session, access, meeting_id)
    current = [i.id for i in agenda(session, access=access, meeting_id=meeting_id)]
    if sorted(current, key=str) != sorted(item_ids, key=str) or len(set(item_ids)) != len(item_ids):
        raise field_error(
            "/body/item_ids", "not_a_permutation", "List every agenda item exactly once."
        )
    _renumber(session, item_ids)
    return agenda(session, access=access, meeting_id=meeting_id)


def _renumber(session: Session, item_ids: list[uuid.UUID]) -> None:
    for position, item_id in enumerate(item_ids, start=1):
        item = session.get(AgendaItem, item_id)
        assert item is not None
        item.position = position
        session.add(item)
    session.flush()


# -- attendance --------------------------------------------------------------------------


def attendance(
    session: Session, *, access: Access, meeting_id: uuid.UUID
) -> list[AttendancePublic]:
    """Everyone's name for who runs the meeting (the secretariat, the body's facilitators);
    for others, the names of people listed to them (plased.members.people)."""
    _meeting, body = get_meeting(session, access, meeting_id)
    rows = list(
        session.exec(
            select(Attendance)
            .join(Person, col(Person.id) == Attendance.person_id)
            .where(Attendance.meeting_id == meeting_id)
            .order_by(col(Person.full_name), col(Attendance.id))
        ).all()
    )
    ids = {a.person_id for a in rows}
    if bodies.facilitates(session, access, body):
        shown = people.names(session, access, ids, everyone=True)
    else:
        shown = people.names(session, access, ids)
    return [
        AttendancePublic.model_validate({**a.model_dump(), "person_name": shown.get(a.person_id)})
        for a in rows
    ]


def record_attendance(
    session: Session,
    *,
    access: Access,
    meeting_id: uuid.UUID,
    rows: list[AttendanceRow],
    one_person: bool = False,
) -> list[AttendancePublic]:
    """One or many rows (a paper sign-in sheet typed in afterwards): all or nothing.
    ``one_person``: a single row whose person is named in the path, not in the body."""
    meeting, body = get_meeting(session, access, meeting_id)
    bodies.require_facilitator(session, access, body)
    if meeting.status in (S.cancelled, S.planned):
        raise InvalidTransition(current=meeting.status, action="record attendance")
    platform = session.get(Platform, body.platform_id)
    assert platform is not None
    root = root_of(platform)
    existing = {
        a.person_id: a
        for a in session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id))
    }
    for index, row in enumerate(rows):
        at = "/body" if one_person else f"/body/rows/{index}"
        pointer = "/path/person_id" if one_person else f"{at}/person_id"
        if row.organisation_id is not None:
            organisations.named_in(
                session, row.organisation_id, root, pointer=f"{at}/organisation_id"
            )
        record = existing.get(row.person_id)
        if record is None:
            people.named_in(session, row.person_id, root, pointer=pointer)
            if meeting.kind not in OPEN_TO_ALL:
                raise field_error(
                    pointer,
                    "not_invited",
                    "Only invited voters attend this meeting; trainings and consultations "
                    "are open to anyone.",
                )
            record = Attendance(meeting_id=meeting.id, person_id=row.person_id)
            existing[row.person_id] = record
        record.status = row.status
        if row.organisation_id is not None:
            record.organisation_id = row.organisation_id
        if row.status == AttendanceStatus.present:
            record.checked_in_at = row.checked_in_at or record.checked_in_at or utcnow()
        session.add(record)
    session.flush()
    return attendance(session, access=access, meeting_id=meeting.id)
