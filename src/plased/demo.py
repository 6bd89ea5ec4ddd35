"""Demo data: a realistic Ratanakiri set. Idempotent: running it twice adds nothing twice."""

import uuid
from dataclasses import dataclass

from sqlmodel import Session, select

from plased import provisioning
from plased.auth.models import PlatformRole, PlatformRoleName, User
from plased.auth.passwords import hash_password
from plased.config import Settings
from plased.coss.demo import seed_catalogue
from plased.governance.demo import seed_governance
from plased.governance.trainings_demo import seed_trainings
from plased.initiatives.action_plan_demo import seed_action_plan
from plased.initiatives.demo import seed_initiatives
from plased.initiatives.mapping_demo import seed_mapping
from plased.members.demo import DEMO_PROVIDER, seed_members
from plased.platforms.models import Platform, PlatformKind
from plased.platforms.schemas import PlatformCreate
from plased.referrals.demo import seed_referrals
from plased.reporting.demo import seed_reporting
from plased.valuechains.demo import seed_value_chains

DEMO_DOMAIN = "demo.plased.org"
# Every provider has a staff administrator: a referral needs someone to receive it.
# provider name -> (email local part, full name)
PROVIDER_STAFF = {
    DEMO_PROVIDER: ("provider", "Keo Vuthy"),
    "Women's Counselling Service": ("gbv", "Mao Bopha"),
    "Provincial Department of Agriculture Extension": ("agriculture", "Heng Sambath"),
    "Highland Vocational Training Centre": ("training", "Lim Dalin"),
    "Banlung Referral Hospital Outreach": ("health", "Seng Malis"),
    "Legal Aid Ratanakiri": ("legal", "Phan Rachana"),
    "Provincial Social Affairs Office": ("social", "Ouk Sophal"),
    "Job Centre Banlung": ("jobs", "Touch Visal"),
    "Financial Literacy Programme": ("finance", "Pen Sokunthea"),
    "Small Business Development Service": ("business", "Chea Makara"),
}


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


def _platform(session: Session, data: PlatformCreate) -> Platform:
    existing = session.exec(select(Platform).where(Platform.code == data.code)).first()
    return existing or provisioning.create_platform(session, actor=None, data=data)


def _user(
    session: Session,
    email: str,
    full_name: str,
    password_hash: str,
    *,
    is_admin: bool = False,
    organisation_id: uuid.UUID | None = None,
    is_org_admin: bool = False,
) -> User:
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        user = User(
            email=email,
            full_name=full_name,
            password_hash=password_hash,
            is_admin=is_admin,
            organisation_id=organisation_id,
            is_org_admin=is_org_admin,
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
    members = seed_members(session, plased, coss)
    seed_catalogue(session, coss)
    # A board member with no organisation and no role: the account votes as its seat holder.
    member = _user(session, f"member@{DEMO_DOMAIN}", "Board member", password_hash)
    seed_governance(session, plased, member=member)
    seed_trainings(session, plased, coss)
    seed_value_chains(session, plased)
    seed_initiatives(session, plased)
    seed_mapping(session, plased)
    seed_action_plan(session, plased)
    # Staff administrators of their organisations: they invite and deactivate their staff.
    cso = _user(
        session,
        f"cso@{DEMO_DOMAIN}",
        "Chan Sreymom",
        password_hash,
        organisation_id=members.cso.id,
        is_org_admin=True,
    )
    providers = {p.name: p for p in members.providers}
    staff = {
        name: _user(
            session,
            f"{local}@{DEMO_DOMAIN}",
            full_name,
            password_hash,
            organisation_id=providers[name].id,
            is_org_admin=True,
        )
        for name, (local, full_name) in PROVIDER_STAFF.items()
    }
    session.flush()
    seed_referrals(session, coss, sender=members.cso, provider=providers[DEMO_PROVIDER])
    seed_reporting(session, plased, coss)
    return [
        DemoLogin(admin.email, "administrator"),
        DemoLogin(secretariat.email, "secretariat of PLASED and COSS Ratanakiri"),
        DemoLogin(observer.email, "observer of PLASED and COSS Ratanakiri"),
        DemoLogin(member.email, f"board member of PLASED Ratanakiri ({member.full_name})"),
        DemoLogin(cso.email, f"staff of {members.cso.name}"),
        *(DemoLogin(user.email, f"staff of {name}") for name, user in staff.items()),
    ]
