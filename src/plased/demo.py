"""Demo data: a realistic Ratanakiri set. Idempotent: running it twice adds nothing twice."""

import uuid
from dataclasses import dataclass

from sqlmodel import Session, select

from plased.auth.models import PlatformRole, PlatformRoleName, User
from plased.auth.passwords import hash_password
from plased.config import Settings
from plased.coss.demo import seed_catalogue
from plased.governance.demo import seed_governance
from plased.members.demo import seed_members
from plased.platforms import service as platforms
from plased.platforms.models import Platform, PlatformKind
from plased.platforms.schemas import PlatformCreate
from plased.referrals.demo import seed_referrals

DEMO_DOMAIN = "demo.plased.org"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


def _platform(session: Session, data: PlatformCreate) -> Platform:
    existing = session.exec(select(Platform).where(Platform.code == data.code)).first()
    return existing or platforms.create_platform(session, actor=None, data=data)


def _user(
    session: Session,
    email: str,
    full_name: str,
    password_hash: str,
    *,
    is_admin: bool = False,
    organisation_id: uuid.UUID | None = None,
) -> User:
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        user = User(
            email=email,
            full_name=full_name,
            password_hash=password_hash,
            is_admin=is_admin,
            organisation_id=organisation_id,
        )
        session.add(user)
        session.flush()
    return user


def _grant(session: Session, user: User, platform: Platform, role: PlatformRoleName) -> None:
    exists = session.exec(
        select(PlatformRole.id)
        .where(PlatformRole.user_id == user.id)
        .where(PlatformRole.platform_id == platform.id)
        .where(PlatformRole.role == role)
    ).first()
    if not exists:
        session.add(PlatformRole(user_id=user.id, platform_id=platform.id, role=role))


def seed_demo(session: Session, settings: Settings) -> list[DemoLogin]:
    plased = _platform(
        session,
        PlatformCreate(
            code="plased-ratanakiri",
            name="PLASED Ratanakiri",
            name_km="វេទិកាសន្ទនាសេដ្ឋកិច្ចសង្គម រតនគិរី",
            kind=PlatformKind.plased,
            province="Ratanakiri",
        ),
    )
    coss = _platform(
        session,
        PlatformCreate(
            code="coss-ratanakiri",
            name="COSS Ratanakiri",
            name_km="ប្រព័ន្ធសេវាកម្មគ្រប់ជ្រុងជ្រោយ រតនគិរី",
            kind=PlatformKind.coss,
            parent_id=plased.id,
            province="Ratanakiri",
        ),
    )
    # Hash once: Argon2id is deliberately slow.
    password_hash = hash_password(settings.demo_password)
    admin = _user(
        session, f"admin@{DEMO_DOMAIN}", "Demo Administrator", password_hash, is_admin=True
    )
    secretariat = _user(session, f"secretariat@{DEMO_DOMAIN}", "Sok Chanthy", password_hash)
    observer = _user(session, f"observer@{DEMO_DOMAIN}", "Romam Sophea", password_hash)
    for platform in (plased, coss):
        _grant(session, secretariat, platform, PlatformRoleName.secretariat)
        _grant(session, observer, platform, PlatformRoleName.observer)
    staff_of = seed_members(session, plased, coss)
    seed_catalogue(session, coss)
    seed_governance(session, plased)
    cso = _user(
        session,
        f"cso@{DEMO_DOMAIN}",
        "Chan Sreymom",
        password_hash,
        organisation_id=staff_of["cso"].id,
    )
    provider = _user(
        session,
        f"provider@{DEMO_DOMAIN}",
        "Keo Vuthy",
        password_hash,
        organisation_id=staff_of["provider"].id,
    )
    session.flush()
    seed_referrals(session, coss, sender=staff_of["cso"], provider=staff_of["provider"])
    return [
        DemoLogin(admin.email, "administrator"),
        DemoLogin(secretariat.email, "secretariat of PLASED and COSS Ratanakiri"),
        DemoLogin(observer.email, "observer of PLASED and COSS Ratanakiri"),
        DemoLogin(cso.email, f"staff of {staff_of['cso'].name}"),
        DemoLogin(provider.email, f"staff of {staff_of['provider'].name}"),
    ]
