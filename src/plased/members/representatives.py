"""Representatives: a person speaking for an organisation; ended, never deleted.

Organisation staff name their own people only: someone who currently represents another
organisation (or was registered by another organisation and represents none yet) is linked
elsewhere by the secretariat, so no organisation can come to see another's people's details
by claiming them as its own.
"""

import uuid
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from plased.access import Access
from plased.db import bump
from plased.errors import Conflict, Forbidden, NotFound, field_error
from plased.members import organisations, people
from plased.members.models import Person, Representative
from plased.members.schemas import RepresentativeCreate, RepresentativePublic


def present(rep: Representative, name: str | None) -> RepresentativePublic:
    return RepresentativePublic.model_validate({**rep.model_dump(), "person_name": name})


def representatives(
    session: Session, *, access: Access, organisation_id: uuid.UUID, current_only: bool
) -> list[RepresentativePublic]:
    organisations.get_visible(session, access, organisation_id)
    statement = (
        select(Representative)
        .where(Representative.organisation_id == organisation_id)
        .order_by(col(Representative.start_date).desc(), col(Representative.id))
    )
    if current_only:
        statement = statement.where(col(Representative.end_date).is_(None))
    reps = list(session.exec(statement).all())
    shown = people.names(session, access, {r.person_id for r in reps})
    return [present(rep, shown.get(rep.person_id)) for rep in reps]


def _require_org_editor(access: Access, organisation_id: uuid.UUID, root: uuid.UUID) -> None:
    if not (access.manages_root(root) or access.is_staff_of(organisation_id)):
        raise Forbidden("Only the secretariat or the organisation's own staff may do this.")
    access.require_writable(root)


def add_representative(
    session: Session,
    *,
    access: Access,
    organisation_id: uuid.UUID,
    data: RepresentativeCreate,
) -> RepresentativePublic:
    organisation = organisations.get_visible(session, access, organisation_id)
    _require_org_editor(access, organisation.id, organisation.platform_id)
    person = session.exec(people.visible(access).where(Person.id == data.person_id)).first()
    if person is None or person.platform_id != organisation.platform_id:
        raise field_error("/body/person_id", "unknown_person", "No such person in this platform.")
    if not access.manages_root(organisation.platform_id) and not people.closeness(
        session, access, {person.id}
    ).details(person):
        raise Forbidden(
            "This person belongs to another organisation; the secretariat links them here.",
            code="person_of_another_organisation",
        )
    already = session.exec(
        select(Representative.id)
        .where(Representative.organisation_id == organisation.id)
        .where(Representative.person_id == person.id)
        .where(Representative.role == data.role)
        .where(col(Representative.end_date).is_(None))
    ).first()
    if already:
        raise Conflict("This person already holds this role.", code="representative_exists")
    rep = Representative(
        organisation_id=organisation.id,
        person_id=person.id,
        role=data.role,
        start_date=data.start_date or date.today(),
    )
    try:
        with session.begin_nested():
            session.add(rep)
            session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "The organisation already has a current primary representative; end it first.",
            code="primary_representative_exists",
        ) from exc
    return present(rep, person.full_name)


def end_representative(
    session: Session,
    *,
    access: Access,
    organisation_id: uuid.UUID,
    representative_id: uuid.UUID,
    end_date: date | None,
) -> RepresentativePublic:
    organisation = organisations.get_visible(session, access, organisation_id)
    rep = session.get(Representative, representative_id)
    if rep is None or rep.organisation_id != organisation.id:
        raise NotFound
    _require_org_editor(access, organisation.id, organisation.platform_id)
    if rep.end_date is not None:
        raise Conflict("This representation has already ended.", code="representative_ended")
    end = end_date or date.today()
    if end < rep.start_date:
        raise field_error("/body/end_date", "before_start", "The end date is before the start.")
    rep.end_date = end
    bump(rep)
    session.add(rep)
    session.flush()
    return present(rep, people.names(session, access, {rep.person_id}).get(rep.person_id))
