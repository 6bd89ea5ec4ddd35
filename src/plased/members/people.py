"""People and their representation of organisations.

Contact details (phone, email) are personal data: returned only to the secretariat of the
person's platform family, to staff of an organisation the person currently represents, and
to the person's own user.
"""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import false, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from plased.concurrency import check_if_match
from plased.db import bump
from plased.errors import Conflict, Forbidden, NotFound, field_error
from plased.members import organisations
from plased.members.models import Gender, Person, Representative
from plased.members.organisations import name_key
from plased.members.policies import MemberAccess, root_of
from plased.members.schemas import (
    PersonCreate,
    PersonPublic,
    PersonUpdate,
    RepresentativeCreate,
    RepresentativePublic,
)
from plased.pagination import PageParams, like_escape, paginate
from plased.platforms.models import Platform, Regulations
from plased.platforms.service import current_regulations, is_youth

PEOPLE_SORTS = {"full_name": col(Person.full_name), "gender": col(Person.gender)}


def visible(access: MemberAccess) -> SelectOfScalar[Person]:
    """People of the caller's platform families, and always the caller's own person."""
    statement = select(Person)
    roots = access.visible_roots()
    if roots is not None:
        statement = statement.where(
            or_(col(Person.platform_id).in_(roots), col(Person.user_id) == access.user.id)
        )
    return statement


def get_visible(session: Session, access: MemberAccess, person_id: uuid.UUID) -> Person:
    person = session.exec(visible(access).where(Person.id == person_id)).first()
    if person is None:
        raise NotFound
    return person


def _represented_by_staff(session: Session, access: MemberAccess) -> set[uuid.UUID]:
    """People currently representing the caller's organisation (one query)."""
    if access.user.organisation_id is None:
        return set()
    return set(
        session.exec(
            select(Representative.person_id)
            .where(Representative.organisation_id == access.user.organisation_id)
            .where(col(Representative.end_date).is_(None))
        ).all()
    )


def present(session: Session, access: MemberAccess, people: list[Person]) -> list[PersonPublic]:
    """Public form of people: youth from each platform's regulations, contacts where allowed."""
    colleagues = _represented_by_staff(session, access)
    rules_of: dict[uuid.UUID, Regulations] = {}
    result = []
    for person in people:
        if person.platform_id not in rules_of:
            rules_of[person.platform_id] = current_regulations(session, person.platform_id)
        youth = is_youth(rules_of[person.platform_id], person.birth_year)
        contacts = (
            access.manages_root(person.platform_id)
            or person.user_id == access.user.id
            or person.id in colleagues
        )
        values: dict[str, Any] = person.model_dump(exclude={"phone", "email"})
        values.update(is_youth=youth, contacts_visible=contacts)
        if contacts:
            values.update(phone=person.phone, email=person.email)
        result.append(PersonPublic.model_validate(values))
    return result


def _may_edit_people(session: Session, access: MemberAccess, root_id: uuid.UUID) -> bool:
    """The secretariat, or staff of an organisation of this platform family."""
    if access.manages_root(root_id):
        return True
    return access.own_root == root_id


def create(session: Session, *, access: MemberAccess, data: PersonCreate) -> Person:
    platform = session.get(Platform, data.platform_id)
    if platform is None or not access.sees_root(root_of(platform)):
        raise NotFound
    root_id = root_of(platform)
    if not _may_edit_people(session, access, root_id):
        raise Forbidden("Only the secretariat or organisation staff may register people.")
    values = data.model_dump(exclude={"platform_id"}, exclude_none=True)
    person = Person(platform_id=root_id, name_key=name_key(data.full_name), **values)
    session.add(person)
    session.flush()
    return person


def update(
    session: Session,
    *,
    access: MemberAccess,
    person_id: uuid.UUID,
    data: PersonUpdate,
    if_match: str | None,
) -> Person:
    person = get_visible(session, access, person_id)
    allowed = (
        access.manages_root(person.platform_id)
        or person.user_id == access.user.id
        or person.id in _represented_by_staff(session, access)
    )
    if not allowed:
        raise Forbidden("Only the secretariat, the person or their organisation may edit this.")
    check_if_match(if_match, person.version)
    changes = data.model_dump(exclude_unset=True)
    for required in ("full_name", "gender", "consent_to_be_listed"):
        if required in changes and changes[required] is None:
            raise field_error(f"/body/{required}", "required", "This field cannot be emptied.")
    if "full_name" in changes:
        changes["name_key"] = name_key(changes["full_name"])
    if changes:
        person.sqlmodel_update(changes)
        bump(person)
        session.add(person)
    return person


def list_people(
    session: Session,
    *,
    access: MemberAccess,
    params: PageParams,
    q: str | None = None,
    gender: Gender | None = None,
    organisation_id: uuid.UUID | None = None,
    platform_id: uuid.UUID | None = None,
) -> tuple[list[Person], int]:
    statement = visible(access)
    if q:
        statement = statement.where(
            or_(
                col(Person.name_key).like(f"%{like_escape(name_key(q))}%", escape="\\"),
                col(Person.name_km).like(f"%{like_escape(q.strip())}%", escape="\\"),
            )
        )
    if gender is not None:
        statement = statement.where(Person.gender == gender)
    if platform_id is not None:
        platform = session.get(Platform, platform_id)
        statement = statement.where(
            Person.platform_id == root_of(platform) if platform else false()
        )
    if organisation_id is not None:
        statement = statement.where(
            col(Person.id).in_(
                select(Representative.person_id)
                .where(Representative.organisation_id == organisation_id)
                .where(col(Representative.end_date).is_(None))
            )
        )
    return paginate(
        session,
        statement,
        params,
        allowed_sorts=PEOPLE_SORTS,
        default_sort=["full_name"],
        tiebreak=col(Person.id),
        updated_column=col(Person.updated_at),
    )


# -- representatives ---------------------------------------------------------------------


def representatives(
    session: Session, *, access: MemberAccess, organisation_id: uuid.UUID, current_only: bool
) -> list[RepresentativePublic]:
    organisations.get_visible(session, access, organisation_id)
    statement = (
        select(Representative, Person.full_name)
        .join(Person, col(Person.id) == Representative.person_id)
        .where(Representative.organisation_id == organisation_id)
        .order_by(col(Representative.start_date).desc(), col(Representative.id))
    )
    if current_only:
        statement = statement.where(col(Representative.end_date).is_(None))
    return [
        RepresentativePublic.model_validate({**rep.model_dump(), "person_name": name})
        for rep, name in session.exec(statement).all()
    ]


def _require_org_editor(access: MemberAccess, organisation_id: uuid.UUID, root: uuid.UUID) -> None:
    if not (access.manages_root(root) or access.is_staff_of(organisation_id)):
        raise Forbidden("Only the secretariat or the organisation's own staff may do this.")


def add_representative(
    session: Session,
    *,
    access: MemberAccess,
    organisation_id: uuid.UUID,
    data: RepresentativeCreate,
) -> RepresentativePublic:
    organisation = organisations.get_visible(session, access, organisation_id)
    _require_org_editor(access, organisation.id, organisation.platform_id)
    person = session.get(Person, data.person_id)
    if person is None or person.platform_id != organisation.platform_id:
        raise field_error("/body/person_id", "unknown_person", "No such person in this platform.")
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
    return RepresentativePublic.model_validate(
        {**rep.model_dump(), "person_name": person.full_name}
    )


def end_representative(
    session: Session,
    *,
    access: MemberAccess,
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
    person = session.get(Person, rep.person_id)
    return RepresentativePublic.model_validate(
        {**rep.model_dump(), "person_name": person.full_name if person else ""}
    )
