"""Coaching sessions of an initiative and the follow-up actions agreed in them.

Reads: anyone with a role in the platform (ids of the people coached, never their contact
data). Writes: the secretariat and the lead organisation's staff while the initiative is
open (``service.require_keeper``).
"""

import uuid
from collections import defaultdict
from datetime import date

from sqlmodel import Session, col, select

from plased.access import Access, root_of
from plased.concurrency import check_if_match
from plased.db import bump
from plased.errors import NotFound, field_error
from plased.governance import bodies
from plased.initiatives import service
from plased.initiatives.coaching_schemas import (
    CoachingSessionCreate,
    CoachingSessionPublic,
    CoachingSessionUpdate,
    FollowUpCreate,
    FollowUpPublic,
    FollowUpUpdate,
)
from plased.initiatives.models import CoachingSession, FollowUp, FollowUpStatus, Initiative
from plased.members import people
from plased.members.models import Membership, MembershipStatus, Representative


def _root(session: Session, initiative: Initiative) -> uuid.UUID:
    return root_of(service.platform(session, initiative.platform_id))


def _check_people(
    session: Session, initiative: Initiative, person_ids: list[uuid.UUID], pointer: str
) -> list[uuid.UUID]:
    """Each person coached must be one of the platform's and currently represent one of its
    active member organisations (422 ``person_not_linked``)."""
    root = _root(session, initiative)
    for index, person_id in enumerate(person_ids):
        people.named_in(session, person_id, root, pointer=f"{pointer}/{index}")
    linked = set(
        session.exec(
            select(Representative.person_id)
            .join(Membership, col(Membership.organisation_id) == Representative.organisation_id)
            .where(col(Representative.person_id).in_(set(person_ids)))
            .where(col(Representative.end_date).is_(None))
            .where(Membership.platform_id == initiative.platform_id)
            .where(Membership.status == MembershipStatus.active)
        ).all()
    )
    for index, person_id in enumerate(person_ids):
        if person_id not in linked:
            raise field_error(
                f"{pointer}/{index}",
                "person_not_linked",
                "Coach people who represent a member organisation of the platform.",
            )
    return list(dict.fromkeys(person_ids))


def create_session(
    session: Session, *, access: Access, initiative_id: uuid.UUID, data: CoachingSessionCreate
) -> CoachingSession:
    initiative = service.get_initiative(session, access, initiative_id)
    service.require_keeper(session, access, initiative)
    today = service.local_today(session, initiative.platform_id)
    service.check_not_after(data.held_on, today, "/body/held_on", "held_in_future")
    people.named_in(
        session, data.coach_person_id, _root(session, initiative), pointer="/body/coach_person_id"
    )
    organisations = service.check_members(
        session, initiative.platform_id, data.organisation_ids, "/body/organisation_ids"
    )
    coached = _check_people(session, initiative, data.person_ids, "/body/person_ids")
    for index, follow_up in enumerate(data.follow_ups):
        _owner(
            session,
            initiative,
            follow_up.owner_organisation_id,
            f"/body/follow_ups/{index}/owner_organisation_id",
        )
    record = CoachingSession(
        initiative_id=initiative.id,
        held_on=data.held_on,
        coach_person_id=data.coach_person_id,
        organisation_ids=[str(o) for o in organisations],
        person_ids=[str(p) for p in coached],
        topics=list(dict.fromkeys(data.topics)),
        notes=data.notes,
        notes_km=data.notes_km,
    )
    session.add(record)
    session.flush()
    for follow_up in data.follow_ups:
        session.add(FollowUp(session_id=record.id, **follow_up.model_dump()))
    session.flush()
    return record


def get_session(
    session: Session, access: Access, session_id: uuid.UUID
) -> tuple[CoachingSession, Initiative]:
    record = session.get(CoachingSession, session_id)
    if record is None:
        raise NotFound
    return record, service.get_initiative(session, access, record.initiative_id)


def update_session(
    session: Session,
    *,
    access: Access,
    session_id: uuid.UUID,
    data: CoachingSessionUpdate,
    if_match: str | None,
) -> CoachingSession:
    record, initiative = get_session(session, access, session_id)
    service.require_keeper(session, access, initiative)
    check_if_match(if_match, record.version)
    changes = data.changes()
    if "held_on" in changes:
        today = service.local_today(session, initiative.platform_id)
        service.check_not_after(changes["held_on"], today, "/body/held_on", "held_in_future")
    if "coach_person_id" in changes:
        people.named_in(
            session,
            changes["coach_person_id"],
            _root(session, initiative),
            pointer="/body/coach_person_id",
        )
    if "organisation_ids" in changes:
        changes["organisation_ids"] = [
            str(o)
            for o in service.check_members(
                session,
                initiative.platform_id,
                changes["organisation_ids"],
                "/body/organisation_ids",
            )
        ]
    if "person_ids" in changes:
        changes["person_ids"] = [
            str(p)
            for p in _check_people(session, initiative, changes["person_ids"], "/body/person_ids")
        ]
    if "topics" in changes:
        changes["topics"] = list(dict.fromkeys(changes["topics"]))
    for name, value in changes.items():
        setattr(record, name, value)
    bump(record)
    session.add(record)
    session.flush()
    return record


def list_sessions(
    session: Session, *, access: Access, initiative_id: uuid.UUID
) -> list[CoachingSession]:
    """The initiative's sessions, the latest first."""
    initiative = service.get_initiative(session, access, initiative_id)
    return list(
        session.exec(
            select(CoachingSession)
            .where(CoachingSession.initiative_id == initiative.id)
            .order_by(col(CoachingSession.held_on).desc(), col(CoachingSession.id))
        ).all()
    )


def add_follow_up(
    session: Session, *, access: Access, session_id: uuid.UUID, data: FollowUpCreate
) -> FollowUp:
    record, initiative = get_session(session, access, session_id)
    service.require_keeper(session, access, initiative)
    _owner(session, initiative, data.owner_organisation_id, "/body/owner_organisation_id")
    follow_up = FollowUp(session_id=record.id, **data.model_dump())
    session.add(follow_up)
    session.flush()
    return follow_up


def _owner(session: Session, initiative: Initiative, owner: uuid.UUID, pointer: str) -> None:
    if owner not in bodies.member_organisations(session, initiative.platform_id, {owner}):
        raise field_error(
            pointer,
            "organisation_not_member",
            "The owner must be an active member organisation of the platform.",
        )


def get_follow_up(
    session: Session, access: Access, follow_up_id: uuid.UUID
) -> tuple[FollowUp, Initiative]:
    follow_up = session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise NotFound
    _, initiative = get_session(session, access, follow_up.session_id)
    return follow_up, initiative


def update_follow_up(
    session: Session,
    *,
    access: Access,
    follow_up_id: uuid.UUID,
    data: FollowUpUpdate,
    if_match: str | None,
) -> FollowUp:
    follow_up, initiative = get_follow_up(session, access, follow_up_id)
    service.require_keeper(session, access, initiative)
    check_if_match(if_match, follow_up.version)
    changes = data.changes()
    if "owner_organisation_id" in changes:
        _owner(session, initiative, changes["owner_organisation_id"], "/body/owner_organisation_id")
    for name, value in changes.items():
        setattr(follow_up, name, value)
    bump(follow_up)
    session.add(follow_up)
    session.flush()
    return follow_up


# -- answers -------------------------------------------------------------------------------


def present_follow_up(follow_up: FollowUp, today: date, khmer: bool) -> FollowUpPublic:
    return FollowUpPublic.model_validate(
        {
            **follow_up.model_dump(),
            "display_title": follow_up.title_km
            if khmer and follow_up.title_km
            else follow_up.title,
            "overdue": follow_up.status == FollowUpStatus.open and follow_up.due_on < today,
        }
    )


def present_all(
    session: Session, items: list[CoachingSession], today: date, *, khmer: bool = False
) -> list[CoachingSessionPublic]:
    """Sessions with their follow-ups (by due date), in one query more whatever their number."""
    found: dict[uuid.UUID, list[FollowUp]] = defaultdict(list)
    if items:
        for follow_up in session.exec(
            select(FollowUp)
            .where(col(FollowUp.session_id).in_({s.id for s in items}))
            .order_by(col(FollowUp.due_on), col(FollowUp.created_at), col(FollowUp.id))
        ).all():
            found[follow_up.session_id].append(follow_up)
    return [
        CoachingSessionPublic.model_validate(
            {
                **record.model_dump(),
                "follow_ups": [present_follow_up(f, today, khmer) for f in found[record.id]],
            }
        )
        for record in items
    ]


def present(
    session: Session, items: list[CoachingSession], *, khmer: bool
) -> list[CoachingSessionPublic]:
    """``present_all`` with today in the sessions' platform."""
    if not items:
        return []
    initiative = session.get(Initiative, items[0].initiative_id)
    assert initiative is not None
    return present_all(
        session, items, service.local_today(session, initiative.platform_id), khmer=khmer
    )


def present_one_follow_up(session: Session, follow_up: FollowUp, *, khmer: bool) -> FollowUpPublic:
    record = session.get(CoachingSession, follow_up.session_id)
    assert record is not None
    initiative = session.get(Initiative, record.initiative_id)
    assert initiative is not None
    return present_follow_up(follow_up, service.local_today(session, initiative.platform_id), khmer)
