"""The worlds tests are built in, shared by every test package (loaded as a pytest plugin
by tests/conftest.py): a PLASED with a COSS branch and people in roles, a catalogue, a board,
a referral setup, and the HTTP steps they are used with."""

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from plased.auth.models import PlatformRoleName, User
from plased.config import Settings
from plased.coss.models import ServiceCategory
from plased.members.models import Membership, Organisation, Person
from plased.platforms.models import Platform
from tests.factories import (
    auth,
    grant,
    make_membership,
    make_organisation,
    make_person,
    make_platform,
    make_user,
    unit,
)

SERVICES = "/api/v1/services"


# -- members: PLASED X, its COSS, another platform, people in roles --------------------


@dataclass
class World:
    plased: Platform
    coss: Platform
    other: Platform
    admin: User
    secretariat: User
    observer: User
    facilitator: User
    stranger: User  # a role in the other platform only
    org: Organisation
    staff: User  # staff of org
    settings: Settings

    def h(self, user: User) -> dict[str, str]:
        return auth(self.settings, user)


@pytest.fixture
def world(db: Session, settings: Settings) -> World:
    return build_world(db, settings)


def build_world(db: Session, settings: Settings) -> World:
    plased = make_platform(db, code="plased-x", name="PLASED X")
    coss = make_platform(db, code="coss-x", name="COSS X", kind="coss", parent_id=plased.id)
    other = make_platform(db, code="plased-y", name="PLASED Y")
    secretariat, observer, facilitator, stranger = (make_user(db) for _ in range(4))
    grant(db, secretariat, plased, PlatformRoleName.secretariat)
    grant(db, secretariat, coss, PlatformRoleName.secretariat)
    grant(db, observer, plased, PlatformRoleName.observer)
    grant(db, facilitator, plased, PlatformRoleName.facilitator)
    grant(db, stranger, other, PlatformRoleName.secretariat)
    org = make_organisation(db, plased, name="Highlanders Association")
    staff = make_user(db, organisation_id=org.id)
    return World(
        plased=plased,
        coss=coss,
        other=other,
        admin=make_user(db, is_admin=True),
        secretariat=secretariat,
        observer=observer,
        facilitator=facilitator,
        stranger=stranger,
        org=org,
        staff=staff,
        settings=settings,
    )


# -- the COSS catalogue ------------------------------------------------------------


@dataclass
class Catalogue:
    w: World
    provider: Organisation
    provider_staff: User
    other_provider: Organisation
    other_staff: User
    categories: dict[str, ServiceCategory]


@pytest.fixture
def cat(db: Session, world: World) -> Catalogue:
    return build_catalogue(db, world)


def build_catalogue(db: Session, world: World) -> Catalogue:
    provider = make_organisation(
        db, world.plased, name="Legal Aid Ratanakiri", kind="service_provider"
    )
    other = make_organisation(db, world.plased, name="Rural Credit", kind="service_provider")
    for org in (provider, other):
        make_membership(db, org, world.plased, "active")
        make_membership(db, org, world.coss, "active")
    grant(db, world.observer, world.coss, PlatformRoleName.observer)
    categories = {
        c.code: c
        for c in db.exec(
            select(ServiceCategory).where(ServiceCategory.platform_id == world.coss.id)
        )
    }
    return Catalogue(
        w=world,
        provider=provider,
        provider_staff=make_user(db, organisation_id=provider.id),
        other_provider=other,
        other_staff=make_user(db, organisation_id=other.id),
        categories=categories,
    )


def service_body(cat: Catalogue, db: Session, **changes: Any) -> dict[str, Any]:
    return {
        "platform_id": str(cat.w.coss.id),
        "provider_id": str(cat.provider.id),
        "category_id": str(cat.categories["legal_counselling"].id),
        "name": "Free legal advice",
        "name_km": "ប្រឹក្សាច្បាប់ឥតគិតថ្លៃ",
        "description": "Advice on land and family law",
        "target_groups": ["women", "indigenous"],
        "age_min": 15,
        "age_max": 80,
        "coverage_unit_ids": [str(unit(db, "1602").id)],
        "languages": ["khmer", "tampuan"],
        "capacity_per_month": 40,
        **changes,
    }


# -- governance: a board of five voters --------------------------------------------


@dataclass
class Board:
    w: World
    body_id: str
    facilitator: User
    voters: list[tuple[User, Person]]

    def h(self, user: User) -> dict[str, str]:
        return self.w.h(user)


def meeting_body(**changes: Any) -> dict[str, Any]:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    return {
        "kind": "board",
        "title": "Quarterly board meeting",
        "title_km": "កិច្ចប្រជុំក្រុមប្រឹក្សា",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=3)).isoformat(),
        "place": "Provincial hall, Ban Lung",
        **changes,
    }


def link_person(client: TestClient, w: World, person: Person, user: User) -> None:
    """The secretariat names the account that acts as the person (through the API)."""
    linked = client.put(
        f"/api/v1/people/{person.id}/user",
        json={"user_id": str(user.id)},
        headers=w.h(w.secretariat),
    )
    assert linked.status_code == 200, linked.text
    person.user_id = user.id


@pytest.fixture
def board(client: TestClient, db: Session, world: World) -> Board:
    return build_board(client, db, world)


def build_board(client: TestClient, db: Session, world: World) -> Board:
    """A body of five seated voters (and a facilitator), built through the API."""
    facilitator = make_user(db)
    grant(db, facilitator, world.plased, PlatformRoleName.facilitator)
    created = client.post(
        f"/api/v1/platforms/{world.plased.id}/bodies",
        json={
            "kind": "executive_board",
            "name": "Executive Board",
            "name_km": "ក្រុមប្រឹក្សាភិបាល",
            "facilitator_ids": [str(facilitator.id)],
        },
        headers=world.h(world.secretariat),
    )
    assert created.status_code == 201, created.text
    body_id = created.json()["id"]
    # The seats represent world.org, which must be an active member for them to vote.
    if not db.exec(
        select(Membership.id).where(
            Membership.organisation_id == world.org.id, Membership.platform_id == world.plased.id
        )
    ).first():
        make_membership(db, world.org, world.plased, "active")
    voters = []
    positions = ["chair", "vice_chair", "secretary", "member", "member"]
    for n, position in enumerate(positions):
        user = make_user(db)
        person = make_person(db, world.plased, gender="female" if n % 2 == 0 else "male")
        link_person(client, world, person, user)
        seat = client.post(
            f"/api/v1/bodies/{body_id}/seats",
            json={
                "position": position,
                "person_id": str(person.id),
                "term_start": str(date.today() - timedelta(days=30)),
                "organisation_id": str(world.org.id),
            },
            headers=world.h(world.secretariat),
        )
        assert seat.status_code == 201, seat.text
        voters.append((user, person))
    return Board(w=world, body_id=body_id, facilitator=facilitator, voters=voters)


def running_meeting(client: TestClient, board: Board, present: int = 5, **changes: Any) -> str:
    """A meeting in progress with ``present`` of the five voters checked in."""
    h = board.h(board.facilitator)
    meeting = client.post(
        f"/api/v1/bodies/{board.body_id}/meetings", json=meeting_body(**changes), headers=h
    ).json()
    mid = meeting["id"]
    assert client.post(f"/api/v1/meetings/{mid}/convene", headers=h).status_code == 200
    rows = [{"person_id": str(p.id), "status": "present"} for _, p in board.voters[:present]]
    if rows:
        assert (
            client.post(
                f"/api/v1/meetings/{mid}/attendance", json={"rows": rows}, headers=h
            ).status_code
            == 200
        )
    assert client.post(f"/api/v1/meetings/{mid}/start", headers=h).status_code == 200
    return mid


def prepared(
    client: TestClient, board: Board, present: int = 5, secret: bool = False, rule: str = "simple"
) -> tuple[str, str]:
    """A meeting in progress with an agenda item and a draft motion."""
    h = board.h(board.facilitator)
    mid = client.post(
        f"/api/v1/bodies/{board.body_id}/meetings", json=meeting_body(), headers=h
    ).json()["id"]
    item = client.post(
        f"/api/v1/meetings/{mid}/agenda", json={"title": "Annual budget"}, headers=h
    ).json()["id"]
    client.post(f"/api/v1/meetings/{mid}/convene", headers=h)
    rows = [{"person_id": str(p.id), "status": "present"} for _, p in board.voters[:present]]
    if rows:
        client.post(f"/api/v1/meetings/{mid}/attendance", json={"rows": rows}, headers=h)
    motion = client.post(
        f"/api/v1/meetings/{mid}/motions",
        json={
            "agenda_item_id": item,
            "text": "Adopt the 2027 budget",
            "majority_rule": rule,
            "is_secret": secret,
        },
        headers=h,
    )
    assert motion.status_code == 201, motion.text
    return mid, motion.json()["id"]


def vote(client: TestClient, board: Board, motion_id: str, n: int, choice: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/motions/{motion_id}/ballots",
        json={"choice": choice},
        headers={**board.h(board.voters[n][0]), **headers},
    )


PDF = b"%PDF-1.7\n" + b"0123456789" * 300 + b"\n%%EOF\n"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office/>")
    return buffer.getvalue()


def upload(
    client: TestClient, board: Board, mid: str, data: bytes, name: str = "minutes.pdf", user=None
):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/meetings/{mid}/minutes/attachments?filename={name}",
        content=data,
        headers={**board.h(user or board.facilitator), "Content-Type": "application/octet-stream"},
    )


# -- referrals ----------------------------------------------------------------------


CLIENT_NAME = "Srey Nang Kreung"
CLIENT_PHONE = "+855 97 765 4321"


@dataclass
class Setup:
    c: Catalogue
    service_id: str
    other_service_id: str
    referrer: User  # staff of the referring CSO (world.org)
    other_cso: Organisation
    other_cso_staff: User
    village_id: str

    def h(self, user: User) -> dict[str, str]:
        return self.c.w.h(user)

    @property
    def provider_staff(self) -> User:
        return self.c.provider_staff

    @property
    def other_provider_staff(self) -> User:
        return self.c.other_staff


@pytest.fixture
def s(client: TestClient, db: Session, cat: Catalogue) -> Setup:
    return build_setup(client, db, cat)


def build_setup(client: TestClient, db: Session, cat: Catalogue) -> Setup:
    """Two published services, a referring CSO and another one, a village."""
    w = cat.w
    if not db.exec(
        select(Membership.id).where(
            Membership.organisation_id == w.org.id, Membership.platform_id == w.plased.id
        )
    ).first():
        make_membership(db, w.org, w.plased, "active")
    other_cso = make_organisation(db, w.plased, name="Women's Voice Network")
    make_membership(db, other_cso, w.plased, "active")
    sec = w.h(w.secretariat)
    published = client.post(SERVICES, json=service_body(cat, db, status="published"), headers=sec)
    other = client.post(
        SERVICES,
        json=service_body(
            cat,
            db,
            name="Loans",
            provider_id=str(cat.other_provider.id),
            category_id=str(cat.categories["credit"].id),
            status="published",
        ),
        headers=sec,
    )
    assert published.status_code == other.status_code == 201
    village = client.get(f"/api/v1/geography?parent={unit(db, '160501').id}&limit=1").json()
    return Setup(
        c=cat,
        service_id=published.json()["id"],
        other_service_id=other.json()["id"],
        referrer=w.staff,
        other_cso=other_cso,
        other_cso_staff=make_user(db, organisation_id=other_cso.id),
        village_id=village["items"][0]["id"],
    )


def referral_body(s: Setup, **changes: Any) -> dict[str, Any]:
    return {
        "service_id": s.service_id,
        "urgency": "urgent",
        "reason": "Land dispute with a company",
        "client": {
            "full_name": CLIENT_NAME,
            "name_km": "ស្រីនាង",
            "gender": "female",
            "birth_year": 2004,
            "phone": CLIENT_PHONE,
            "village_id": s.village_id,
            "vulnerabilities": ["women", "indigenous", "youth"],
            "preferred_language": "tampuan",
        },
        "consent": {
            "given_by": "self",
            "given_on": "2026-11-20",
            "share_with_provider": True,
            "follow_up_contact": True,
            "reporting": True,
        },
        **changes,
    }


def make_referral(
    client: TestClient, s: Setup, *, submit: bool = True, **changes: Any
) -> dict[str, Any]:
    created = client.post(
        "/api/v1/referrals", json=referral_body(s, **changes), headers=s.h(s.referrer)
    )
    assert created.status_code == 201, created.text
    referral = created.json()
    if submit:
        submitted = client.post(
            f"/api/v1/referrals/{referral['id']}/submit", headers=s.h(s.referrer)
        )
        assert submitted.status_code == 200, submitted.text
        referral = submitted.json()
    return referral


def act(client: TestClient, s: Setup, referral_id: str, action: str, user: User, body: Any = None):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/referrals/{referral_id}/{action}", json=body, headers=s.h(user))
