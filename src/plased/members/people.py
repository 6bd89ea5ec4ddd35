"""People: who may see them, their personal details, their link to a user account.

A person belongs to the organisations that currently represent them (and, until one does,
to the organisation whose staff registered them). Personal details — phone, email, birth
year, indigenous group, disability — are returned only to the secretariat of the person's
platform family, to staff of those organisations, and to the person's own user.

Other members and observers see a person only if the person consented to be listed, and
then only their name, gender and organisations. Wherever a person is named (seats,
attendance, representatives, named votes) the same rule hides the name of someone who did
not consent.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, true
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from plased.access import Access, root_of
from plased.auth.models import User
from plased.concurrency import check_if_match
from plased.db import bump
from plased.errors import Conflict, Forbidden, NotFound, field_error
from plased.members.models import Gender, Person, Representative
from plased.members.schemas import PersonCreate, PersonPublic, PersonUpdate
from plased.pagination import PageParams, paginate, text_contains
from plased.platforms.models import Platform, Regulations
from plased.platforms.service import current_regulations, is_youth
from plased.text import name_key

PEOPLE_SORTS = {"full_name": col(Person.full_name), "gender": col(Person.gender)}
_DETAILS = ("phone", "email", "birth_year", "indigenous_group", "has_disability", "user_id")


def _current_reps(organisation_id: uuid.UUID | None) -> SelectOfScalar[uuid.UUID]:
    return (
        select(Representative.person_id)
        .where(Representative.organisation_id == organisation_id)
        .where(col(Representative.end_date).is_(None))
    )


def _unrepresented() -> ColumnElement[bool]:
    return ~exists(
        select(Representative.id)
        .where(Representative.person_id == Person.id)
        .where(col(Representative.end_date).is_(None))
    )


def _own_people(access: Access) -> ColumnElement[bool]:
    """People of the caller's organisation: its representatives, or those it registered
    that nobody represents yet."""
    organisation_id = access.user.organisation_id
    if organisation_id is None:
        return false()
    return or_(
        col(Person.id).in_(_current_reps(organisation_id)),
        and_(col(Person.created_by_organisation_id) == organisation_id, _unrepresented()),
    )


def visible(access: Access) -> SelectOfScalar[Person]:
    """Every read and list starts here: the caller's own person; everyone in the platform
    families the caller manages; elsewhere in their families, people who consented to be
    listed and the caller's organisation's own people."""
    statement = select(Person)
    if access.is_admin:
        return statement
    roots = access.visible_roots() or set()
    managed = {root for root in roots if access.manages_root(root)}
    conditions: list[Any] = [col(Person.user_id) == access.user.id]
    if managed:
        conditions.append(col(Person.platform_id).in_(managed))
    if roots - managed:
        conditions.append(
            and_(
                col(Person.platform_id).in_(roots - managed),
                or_(col(Person.consent_to_be_listed).is_(true()), _own_people(access)),
            )
        )
    return statement.where(or_(*conditions))


def get_visible(session: Session, access: Access, person_id: uuid.UUID) -> Person:
    person = session.exec(visible(access).where(Person.id == person_id)).first()
    if person is None:
        raise NotFound
    return person


def named_in(session: Session, person_id: uuid.UUID, root_id: uuid.UUID, *, pointer: str) -> Person:
    """A person a request names (a seat holder, an attendee), when they are one of the
    platform's (``root_id``); otherwise 422 ``unknown_person`` at ``pointer``."""
    person = session.get(Person, person_id)
    if person is None or person.platform_id != root_id:
        raise field_error(pointer, "unknown_person", "No such person in this platform.")
    return person


@dataclass(frozen=True)
class Closeness:
    """What the caller may know of people, loaded once per request (two queries)."""

    access: Access
    own: frozenset[uuid.UUID]  # people of the caller's organisation (see _own_people)

    def details(self, person: Person) -> bool:
        return (
            self.access.manages_root(person.platform_id)
            or person.user_id == self.access.user.id
            or person.id in self.own
        )

    def listed(self, person: Person) -> bool:
        return person.consent_to_be_listed or self.details(person)


def closeness(session: Session, access: Access, person_ids: set[uuid.UUID]) -> Closeness:
    own: set[uuid.UUID] = set()
    if access.user.organisation_id is not None and person_ids:
        own = set(
            session.exec(
                select(Person.id).where(col(Person.id).in_(person_ids)).where(_own_people(access))
            ).all()
        )
    return Closeness(access=access, own=frozenset(own))


def names(
    session: Session, access: Access, person_ids: set[uuid.UUID], *, everyone: bool = False
) -> dict[uuid.UUID, str | None]:
    """Each person's name as the caller may see it: None for someone not listed to them.
    ``everyone``: the caller runs the meeting or body these people appear in."""
    people = list(session.exec(select(Person).where(col(Person.id).in_(person_ids))).all())
    if everyone:
        return {p.id: p.full_name for p in people}
    near = closeness(session, access, {p.id for p in people})
    return {p.id: p.full_name if near.listed(p) else None for p in people}


def present(session: Session, access: Access, people: list[Person]) -> list[PersonPublic]:
    """Public form of people: details (and youth, derived from them) where allowed."""
    near = closeness(session, access, {p.id for p in people})
    rules_of: dict[uuid.UUID, Regulations] = {}
    result = []
    for person in people:
        details = near.details(person)
        values: dict[str, Any] = person.model_dump(exclude=set(_DETAILS))
        values.update(contacts_visible=details, is_youth=None)
        if details:
            if person.platform_id not in rules_of:
                rules_of[person.platform_id] = current_regulations(session, person.platform_id)
            values.update({field: getattr(person, field) for field in _DETAILS})
            values["is_youth"] = is_youth(rules_of[person.platform_id], person.birth_year)
        result.append(PersonPublic.model_validate(values))
    return result


def create(
    session: Session, *, access: Access, data: PersonCreate, allow_duplicate: bool
) -> Person:
    platform = session.get(Platform, data.platform_id)
    if platform is None or not access.sees_root(root_of(platform)):
        raise NotFound
    root_id = root_of(platform)
    secretariat = access.manages_root(root_id)
    if not (secretariat or access.own_root == root_id):
        raise Forbidden("Only the secretariat or organisation staff may register people.")
    access.require_writable(root_id)
    key = name_key(data.full_name)
    if not allow_duplicate:
        _refuse_duplicate(session, root_id, key, data.birth_year)
    values = data.model_dump(exclude={"platform_id"}, exclude_none=True)
    person = Person(
        platform_id=root_id,
        name_key=key,
        created_by_organisation_id=None if secretariat else access.user.organisation_id,
        **values,
    )
    session.add(person)
    session.flush()
    return person


def _refuse_duplicate(
    session: Session, root_id: uuid.UUID, key: str, birth_year: int | None
) -> None:
    """The same name (see plased.text) and birth year in the family is the same person, as
    CSV imports match them; ``allow_duplicate`` registers a namesake anyway."""
    existing = session.exec(
        select(Person.id)
        .where(Person.platform_id == root_id, Person.name_key == key)
        .where(Person.birth_year == birth_year if birth_year is not None else true())
    ).first()
    if existing is not None:
        raise Conflict(
            "A person with this name and birth year is registered; pass allow_duplicate=true "
            "to register a namesake.",
            code="possible_duplicate",
        )


def update(
    session: Session,
    *,
    access: Access,
    person_id: uuid.UUID,
    data: PersonUpdate,
    if_match: str | None,
) -> Person:
    person = get_visible(session, access, person_id)
    if not closeness(session, access, {person.id}).details(person):
        raise Forbidden("Only the secretariat, the person or their organisation may edit this.")
    access.require_writable(person.platform_id)
    check_if_match(if_match, person.version)
    changes = data.changes()
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
    access: Access,
    params: PageParams,
    q: str | None = None,
    gender: Gender | None = None,
    organisation_id: uuid.UUID | None = None,
    platform_id: uuid.UUID | None = None,
) -> tuple[list[Person], int]:
    statement = visible(access)
    if q:
        statement = statement.where(
            or_(text_contains(Person.name_key, q), text_contains(Person.name_km, q))
        )
    if gender is not None:
        statement = statement.where(Person.gender == gender)
    if platform_id is not None:
        platform = session.get(Platform, platform_id)
        statement = statement.where(
            Person.platform_id == root_of(platform) if platform else false()
        )
    if organisation_id is not None:
        statement = statement.where(col(Person.id).in_(_current_reps(organisation_id)))
    return paginate(
        session,
        statement,
        params,
        allowed_sorts=PEOPLE_SORTS,
        default_sort=["full_name"],
        tiebreak=col(Person.id),
        updated_column=col(Person.updated_at),
    )


# -- the account that acts as a person -----------------------------------------------------


def link_user(
    session: Session, *, access: Access, person_id: uuid.UUID, user_id: uuid.UUID
) -> Person:
    """The secretariat (or an administrator) names the account that acts as this person —
    to vote, for one. One person per user in a platform family; nobody links themselves."""
    person = get_visible(session, access, person_id)
    access.require_manage_root(person.platform_id)
    access.require_writable(person.platform_id)
    if user_id == access.user.id:
        raise Forbidden("Nobody links their own account to a person.", code="self_link")
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise field_error("/body/user_id", "unknown_user", "No such active user.")
    if person.user_id == user.id:
        return person
    if person.user_id is not None:
        raise Conflict(
            "Another account acts as this person; unlink it first.", code="person_linked"
        )
    taken = session.exec(
        select(Person.id).where(Person.platform_id == person.platform_id, Person.user_id == user.id)
    ).first()
    if taken is not None:
        raise Conflict(
            "This account already acts as another person of the platform.", code="user_linked"
        )
    person.user_id = user.id
    bump(person)
    session.add(person)
    session.flush()
    return person


def unlink_user(session: Session, *, access: Access, person_id: uuid.UUID) -> Person:
    person = get_visible(session, access, person_id)
    access.require_manage_root(person.platform_id)
    access.require_writable(person.platform_id)
    if person.user_id is not None:
        person.user_id = None
        bump(person)
        session.add(person)
        session.flush()
    return person


def people_of_user(session: Session, user: User) -> list[Person]:
    """The persons a user acts as, one per platform family (for /me)."""
    return list(
        session.exec(
            select(Person).where(Person.user_id == user.id).order_by(col(Person.platform_id))
        ).all()
    )
