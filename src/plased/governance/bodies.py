"""Bodies, their facilitators and seats; the composition check."""

import uuid
from datetime import date, timedelta

from sqlalchemy import and_, delete, or_
from sqlmodel import Session, col, select

from plased.access import Access, managed_platform, platform_in_reach, root_of
from plased.auth.models import PlatformRole, PlatformRoleName
from plased.errors import Conflict, Forbidden, NotFound, field_error
from plased.governance.models import Body, BodyFacilitator, Meeting, Position, Seat, Voting
from plased.governance.schemas import (
    BodyComposition,
    BodyCreate,
    BodyPublic,
    SeatChange,
    SeatCreate,
    SeatPublic,
    Warning,
)
from plased.members import organisations, people
from plased.members.models import (
    Gender,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Person,
)
from plased.platforms.models import Platform
from plased.platforms.service import current_regulations, is_youth
from plased.vocabulary import BodyKind

SOON = timedelta(days=60)


def ensure_general_assembly(session: Session, platform: Platform) -> Body:
    """Every platform has a general assembly, created with it; members vote by organisation."""
    body = session.exec(
        select(Body).where(Body.platform_id == platform.id, Body.kind == BodyKind.general_assembly)
    ).first()
    if body is None:
        body = Body(
            platform_id=platform.id,
            kind=BodyKind.general_assembly,
            # Derived from a name of up to 200 characters: cut to the column's 200.
            name=f"General Assembly of {platform.name}"[:200],
            voting=Voting.member_organisations,
        )
        session.add(body)
        session.flush()
    return body


def get_body(session: Session, access: Access, body_id: uuid.UUID) -> Body:
    body = session.get(Body, body_id)
    if body is None or not access.has_role_in(body.platform_id):
        raise NotFound
    return body


def require_manager(access: Access, body: Body) -> None:
    """The gate of the secretariat's changes to a body (seats): its platform must be writable."""
    if not access.manages(body.platform_id):
        raise Forbidden("Only the platform's secretariat may do this.")
    access.require_writable(body.platform_id)


def require_seat_manager(session: Session, access: Access, body: Body) -> None:
    """Who fills and ends seats: the secretariat; for a focus group, its facilitators too
    (they run its membership)."""
    if body.kind == BodyKind.focus_group:
        require_facilitator(session, access, body)
    else:
        require_manager(access, body)


def facilitates(session: Session, access: Access, body: Body) -> bool:
    if access.manages(body.platform_id):
        return True
    return (
        session.exec(
            select(BodyFacilitator).where(
                BodyFacilitator.body_id == body.id, BodyFacilitator.user_id == access.user.id
            )
        ).first()
        is not None
    )


def require_facilitator(session: Session, access: Access, body: Body) -> None:
    """The gate of every change to a body's meetings, agenda, attendance, motions and
    minutes: its platform must be writable too."""
    if not facilitates(session, access, body):
        raise Forbidden("Only the secretariat or the body's facilitators may do this.")
    access.require_writable(body.platform_id)


def present(session: Session, items: list[Body]) -> list[BodyPublic]:
    """Public form of bodies with their facilitators: one query whatever the number."""
    facilitators: dict[uuid.UUID, list[uuid.UUID]] = {b.id: [] for b in items}
    for body_id, user_id in session.exec(
        select(BodyFacilitator.body_id, BodyFacilitator.user_id).where(
            col(BodyFacilitator.body_id).in_(list(facilitators))
        )
    ).all():
        facilitators[body_id].append(user_id)
    return [
        BodyPublic.model_validate({**b.model_dump(), "facilitator_ids": facilitators[b.id]})
        for b in items
    ]


def present_one(session: Session, body: Body) -> BodyPublic:
    return present(session, [body])[0]


def create_body(
    session: Session, *, access: Access, platform_id: uuid.UUID, data: BodyCreate
) -> Body:
    managed_platform(session, access, platform_id)
    if data.kind == BodyKind.general_assembly:
        raise Conflict("The platform already has its general assembly.", code="assembly_exists")
    body = Body(platform_id=platform_id, **data.model_dump(exclude={"facilitator_ids"}))
    session.add(body)
    session.flush()
    _set_facilitators(session, body, data.facilitator_ids)
    return body


def _set_facilitators(session: Session, body: Body, user_ids: list[uuid.UUID]) -> None:
    """Facilitators must hold the facilitator role in the body's platform."""
    if not user_ids:
        return
    allowed = set(
        session.exec(
            select(PlatformRole.user_id).where(
                PlatformRole.platform_id == body.platform_id,
                PlatformRole.role == PlatformRoleName.facilitator,
                col(PlatformRole.user_id).in_(user_ids),
            )
        ).all()
    )
    if set(user_ids) - allowed:
        raise field_error(
            "/body/facilitator_ids",
            "not_a_facilitator",
            "Each facilitator must hold the facilitator role in this platform.",
        )
    session.execute(delete(BodyFacilitator).where(col(BodyFacilitator.body_id) == body.id))
    session.add_all(BodyFacilitator(body_id=body.id, user_id=u) for u in set(user_ids))


def list_bodies(session: Session, *, access: Access, platform_id: uuid.UUID) -> list[Body]:
    platform_in_reach(session, access, platform_id)
    return list(
        session.exec(
            select(Body)
            .where(Body.platform_id == platform_id)
            .order_by(col(Body.kind), col(Body.name))
        ).all()
    )


# -- seats ---------------------------------------------------------------------------------


def member_organisations(
    session: Session, platform_id: uuid.UUID, organisation_ids: set[uuid.UUID | None]
) -> set[uuid.UUID]:
    """Which of these organisations are active members of the platform (one query)."""
    wanted = {o for o in organisation_ids if o is not None}
    if not wanted:
        return set()
    return set(
        session.exec(
            select(Membership.organisation_id)
            .where(Membership.platform_id == platform_id)
            .where(Membership.status == MembershipStatus.active)
            .where(col(Membership.organisation_id).in_(wanted))
        ).all()
    )


def present_seats(
    session: Session, access: Access, body: Body, seats: list[Seat], today: date
) -> list[SeatPublic]:
    shown = people.names(session, access, {s.person_id for s in seats})
    members = member_organisations(session, body.platform_id, {s.organisation_id for s in seats})
    return [
        SeatPublic.model_validate(
            {
                **s.model_dump(),
                "person_name": shown.get(s.person_id),
                "is_current": s.term_start <= today <= s.term_end,
                "organisation_is_member": (
                    None if s.organisation_id is None else s.organisation_id in members
                ),
            }
        )
        for s in seats
    ]


def current_seats(session: Session, body_id: uuid.UUID, on: date) -> list[Seat]:
    return list(
        session.exec(
            select(Seat).where(
                Seat.body_id == body_id, col(Seat.term_start) <= on, col(Seat.term_end) >= on
            )
        ).all()
    )


def list_seats(
    session: Session, *, access: Access, body_id: uuid.UUID, current_only: bool
) -> list[SeatPublic]:
    body = get_body(session, access, body_id)
    today = date.today()
    if current_only:
        seats = current_seats(session, body.id, today)
    else:
        seats = list(
            session.exec(
                select(Seat).where(Seat.body_id == body.id).order_by(col(Seat.term_start))
            ).all()
        )
    return present_seats(session, access, body, seats, today)


def add_seat(session: Session, *, access: Access, body_id: uuid.UUID, data: SeatCreate) -> Seat:
    body = get_body(session, access, body_id)
    require_seat_manager(session, access, body)
    platform = session.get(Platform, body.platform_id)
    assert platform is not None
    people.named_in(session, data.person_id, root_of(platform), pointer="/body/person_id")
    if data.organisation_id is not None:
        organisations.named_in(
            session, data.organisation_id, root_of(platform), pointer="/body/organisation_id"
        )
    if data.elected_at_meeting_id is not None:
        meeting = session.get(Meeting, data.elected_at_meeting_id)
        meeting_body = session.get(Body, meeting.body_id) if meeting else None
        if meeting_body is None or meeting_body.platform_id != body.platform_id:
            raise field_error("/body/elected_at_meeting_id", "unknown_meeting", "No such meeting.")
    months = current_regulations(session, body.platform_id).board_term_months
    term_end = data.term_end or _add_months(data.term_start, months) - timedelta(days=1)
    if term_end < data.term_start:
        raise field_error("/body/term_end", "term_inverted", "The term ends before it starts.")
    overlapping = and_(col(Seat.term_start) <= term_end, col(Seat.term_end) >= data.term_start)
    clash = session.exec(
        select(Seat.id)
        .where(Seat.body_id == body.id, overlapping)
        .where(
            or_(
                col(Seat.person_id) == data.person_id,
                and_(col(Seat.position) == data.position, col(Seat.position) != Position.member),
            )
        )
    ).first()
    if clash:
        raise Conflict(
            "The person already holds a seat, or the position is filled, during this term.",
            code="seat_overlap",
        )
    seat = Seat(body_id=body.id, term_end=term_end, **data.model_dump(exclude={"term_end"}))
    session.add(seat)
    session.flush()
    return seat


def _add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    day = min(start.day, 28)
    return date(year, month, day)


def end_seat(
    session: Session, *, access: Access, seat_id: uuid.UUID, end_date: date | None
) -> Seat:
    seat = session.get(Seat, seat_id)
    if seat is None:
        raise NotFound
    body = get_body(session, access, seat.body_id)
    require_seat_manager(session, access, body)
    end = end_date or date.today()
    if end < seat.term_start:
        raise field_error("/body/end_date", "before_start", "The end is before the term started.")
    if end >= seat.term_end:
        raise Conflict("The term already ends by then.", code="seat_already_ending")
    seat.term_end = end
    seat.version += 1
    session.add(seat)
    session.flush()
    return seat


def seat_change(session: Session, access: Access, seat: Seat) -> SeatChange:
    """A seat as changed, with the composition warnings that result."""
    body = get_body(session, access, seat.body_id)
    return SeatChange(
        seat=present_seats(session, access, body, [seat], date.today())[0],
        warnings=check_composition(session, body).warnings,
    )


def composition(session: Session, *, access: Access, body_id: uuid.UUID) -> BodyComposition:
    body = get_body(session, access, body_id)
    return check_composition(session, body)


def check_composition(session: Session, body: Body) -> BodyComposition:
    """Women share against the regulations, which groups are represented, terms ending soon."""
    today = date.today()
    seats = current_seats(session, body.id, today)
    people = {
        p.id: p
        for p in session.exec(
            select(Person).where(col(Person.id).in_({s.person_id for s in seats}))
        )
    }
    kinds = {
        o.id: o.kind
        for o in session.exec(
            select(Organisation).where(col(Organisation.id).in_({s.organisation_id for s in seats}))
        )
    }
    holders = {s.person_id for s in seats}
    women = sum(1 for pid in holders if people[pid].gender == Gender.female)
    share = round(women / len(holders), 4) if holders else None
    rules = current_regulations(session, body.platform_id)
    minimum = rules.min_women_share
    represented = {
        "cso": OrganisationKind.cso in kinds.values(),
        "local_authority": OrganisationKind.local_authority in kinds.values(),
        "service_provider": OrganisationKind.service_provider in kinds.values(),
        "women": women > 0,
        "youth": any(is_youth(rules, people[p].birth_year) for p in holders),
        "indigenous": any(people[p].indigenous_group for p in holders),
    }
    ending = [s.id for s in seats if s.term_end <= today + SOON]
    members = member_organisations(session, body.platform_id, {s.organisation_id for s in seats})
    lapsed = [
        s.id for s in seats if s.organisation_id is not None and s.organisation_id not in members
    ]
    warnings = []
    if lapsed:
        warnings.append(
            Warning(
                code="seat_organisation_not_member",
                message=f"{len(lapsed)} seat(s) represent an organisation that is no longer an "
                "active member: they do not vote until it is reinstated; end them if it left.",
            )
        )
    if holders and share is not None and share < minimum:
        warnings.append(
            Warning(
                code="women_share_below_minimum",
                message=f"Women hold {share:.0%} of seats; the regulations ask for {minimum:.0%}.",
            )
        )
    for group, present in represented.items():
        if holders and not present:
            warnings.append(
                Warning(code=f"no_{group}", message=f"No seat holder represents: {group}.")
            )
    if ending:
        warnings.append(
            Warning(code="terms_ending_soon", message=f"{len(ending)} term(s) end within 60 days.")
        )
    if not holders:
        warnings.append(Warning(code="no_seats", message="The body has no current seat holders."))
    return BodyComposition(
        body_id=body.id,
        seats=len(holders),
        women=women,
        women_share=share,
        min_women_share=minimum,
        represented=represented,
        terms_ending_soon=ending,
        warnings=warnings,
    )
