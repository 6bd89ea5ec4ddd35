"""Organisation staff users, created by the platform's secretariat."""

import uuid

from sqlmodel import Session

from plased.auth import users
from plased.auth.schemas import UserCreate, UserDetail
from plased.errors import NotFound, field_error
from plased.members import organisations
from plased.members.models import Organisation
from plased.members.policies import MemberAccess, root_of
from plased.members.schemas import StaffUserCreate


def create_staff_user(
    session: Session, *, access: MemberAccess, platform_id: uuid.UUID, data: StaffUserCreate
) -> UserDetail:
    platform = organisations.get_platform(session, platform_id)
    root = root_of(platform)
    if not access.sees_root(root):
        raise NotFound
    access.require_manage_root(root)
    organisation = session.get(Organisation, data.organisation_id)
    if organisation is None or organisation.platform_id != root:
        raise field_error(
            "/body/organisation_id",
            "unknown_organisation",
            "No such organisation in this platform.",
        )
    user = users.create_user(
        session,
        data=UserCreate(email=data.email, full_name=data.full_name, password=data.password),
    )
    user.organisation_id = organisation.id
    session.add(user)
    session.flush()
    return users.user_detail(session, user)
