"""The benchmark's data sets, bulk-inserted into a fresh database.

``build(url, scale)``: at scale 1 (the large set) 1,000 organisations, 20,000 people, 2,000
meetings with 50,000 attendance rows, 500 services and 100,000 referrals, each with its client,
consent and events; scale 0.01 is the small set. The platforms, categories and users go
through the project's own code; the bulk rows through SQLAlchemy Core, in batches.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, insert, text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import plased.models  # noqa: F401 - every table mapped before the first query
from plased import provisioning
from plased.auth.models import PlatformRole, PlatformRoleName, User
from plased.auth.tokens import create_access_token
from plased.cli import migrate
from plased.config import Settings
from plased.coss.models import Service, ServiceArea, ServiceCategory
from plased.governance.models import AgendaItem, Attendance, Body, Meeting, Motion, Seat
from plased.members.models import AdminUnit, Membership, Organisation, Person
from plased.members.organisations import name_key
from plased.platforms.models import PlatformKind
from plased.platforms.schemas import PlatformCreate
from plased.referrals.models import Client, Consent, Referral, ReferralEvent

SECRET = "bench-secret-" * 5
BATCH = 5_000
BIG_PROVIDER_SHARE = 0.2  # of all referrals, received by the provider W3 reads as


@dataclass
class DataSet:
    """What the workloads need: ids and tokens."""

    url: str
    scale: float
    seconds: float
    counts: dict[str, int]
    platform_id: str
    coss_id: str
    organisation_id: str
    district_id: str
    commune_id: str
    category_id: str
    service_id: str
    admin_token: str
    secretariat_token: str
    provider_token: str
    referrer_token: str
    received: int  # referrals the provider reads (W3's total)
    organisations_matching: int  # W2's total
    # W5's ballots: (voter's token, open motion) pairs, each castable once.
    ballots: list[tuple[str, str]]


def settings_for(url: str) -> Settings:
    # Tokens outlive the whole run (about ten minutes after the first set is built).
    return Settings(database_url=url, secret_key=SECRET, access_token_minutes=120)


def fresh(url: str) -> None:
    """An empty database at the latest migration."""
    if url.startswith("postgresql"):
        base, name = url.rsplit("/", 1)
        engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
    migrate(url)


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(rows: list[dict[str, Any]], versioned: bool = True) -> list[dict[str, Any]]:
    now = _now()
    for row in rows:
        row.setdefault("id", uuid.uuid4())
        row.setdefault("created_at", now)
        row.setdefault("updated_at", now)
        if versioned:
            row.setdefault("version", 1)
    return rows


def _bulk(engine: Engine, model: Any, rows: list[dict[str, Any]]) -> None:
    table = model.__table__
    with engine.begin() as connection:
        for start in range(0, len(rows), BATCH):
            connection.execute(insert(table), rows[start : start + BATCH])


def _user(session: Session, email: str, **values: Any) -> User:
    user = User(email=email, full_name=email.split("@")[0], password_hash="unusable", **values)  # noqa: S106
    session.add(user)
    session.flush()
    return user


def _ballot_box(
    engine: Engine, body_id: uuid.UUID, people: list[dict[str, Any]], voters: int, motions: int
) -> tuple[list[User], list[uuid.UUID]]:
    """A meeting in progress of the assembly, with ``motions`` open motions and ``voters``
    seat holders present, each acting through their own account: every (voter, motion) pair
    is one ballot the API accepts."""
    now = _now()
    with Session(engine, expire_on_commit=False) as session:
        users = [_user(session, f"voter-{i}@bench.example") for i in range(voters)]
        session.commit()
    holders = people[:voters]
    table = Person.__table__  # type: ignore[attr-defined]
    with engine.begin() as connection:
        for person, user in zip(holders, users, strict=True):
            connection.execute(
                update(table).where(table.c.id == person["id"]).values(user_id=user.id)
            )
    meeting = _stamp(
        [
            {
                "body_id": body_id,
                "kind": "assembly",
                "title": "Voting meeting",
                "starts_at": now - timedelta(hours=1),
                "ends_at": now + timedelta(hours=3),
                "time_zone": "Asia/Phnom_Penh",
                "status": "in_progress",
            }
        ]
    )
    _bulk(engine, Meeting, meeting)
    seats = [
        {
            "body_id": body_id,
            "position": "member",
            "person_id": person["id"],
            "term_start": date(2020, 1, 1),
            "term_end": date(2099, 12, 31),
        }
        for person in holders
    ]
    _bulk(engine, Seat, _stamp(seats))
    present = [
        {
            "meeting_id": meeting[0]["id"],
            "person_id": p["id"],
            "status": "present",
            "is_voter": True,
        }
        for p in holders
    ]
    _bulk(engine, Attendance, _stamp(present, versioned=False))
    item = _stamp([{"meeting_id": meeting[0]["id"], "position": 1, "title": "Motions"}])
    _bulk(engine, AgendaItem, item)
    open_motions = _stamp(
        [
            {
                "meeting_id": meeting[0]["id"],
                "agenda_item_id": item[0]["id"],
                "text": f"Motion {i}",
                "majority_rule": "simple",
                "is_secret": False,
                "status": "open",
                "opened_at": now,
                "eligible_voters": voters,
            }
            for i in range(motions)
        ]
    )
    _bulk(engine, Motion, open_motions)
    return users, [m["id"] for m in open_motions]


def build(url: str, scale: float, seed: int = 16) -> DataSet:
    started = _now()
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    fresh(url)
    settings = settings_for(url)
    engine = create_engine(url)
    n = {
        "organisations": max(10, int(1_000 * scale)),
        "people": max(200, int(20_000 * scale)),
        "meetings": max(20, int(2_000 * scale)),
        "services": max(5, int(500 * scale)),
        "referrals": max(1_000, int(100_000 * scale)),
        # Enough castable ballots for W5's warm-up and rounds at a few hundred a second.
        "voters": 40,
        "motions": 250,
    }
    with Session(engine, expire_on_commit=False) as session:
        plased = provisioning.create_platform(
            session,
            actor=None,
            data=PlatformCreate(
                code="bench", name="Bench", kind=PlatformKind.plased, province="Ratanakiri"
            ),
        )
        coss = provisioning.create_platform(
            session,
            actor=None,
            data=PlatformCreate(
                code="bench-coss",
                name="Bench COSS",
                kind=PlatformKind.coss,
                province="Ratanakiri",
                parent_id=plased.id,
            ),
        )
        session.flush()
        units = session.exec(select(AdminUnit)).all()
        categories = session.exec(
            select(ServiceCategory).where(ServiceCategory.platform_id == coss.id)
        ).all()
        admin = _user(session, "admin@bench.example", is_admin=True)
        secretariat = _user(session, "secretariat@bench.example")
        for platform in (plased, coss):
            session.add(
                PlatformRole(
                    user_id=secretariat.id,
                    platform_id=platform.id,
                    role=PlatformRoleName.secretariat,
                )
            )
        session.commit()
        plased_id, coss_id = plased.id, coss.id
    districts = [u for u in units if u.level == "district"]
    communes = [u for u in units if u.level == "commune"]
    villages = [u for u in units if u.level == "village"] or communes
    district = districts[0]
    commune = next(c for c in communes if c.parent_id == district.id)
    category = categories[0]

    # Organisations: a fifth providers, the rest mostly CSOs; every one a member of the
    # PLASED, providers of its COSS as well.
    kinds = ["cso"] * 6 + ["service_provider"] * 2 + ["education", "private_sector"]
    organisations: list[dict[str, Any]] = []
    for i in range(n["organisations"]):
        kind = "service_provider" if i == 0 else ("cso" if i == 1 else rng.choice(kinds))
        unit = commune if i < 2 else rng.choice(communes)
        name = f"Organisation {i:05d}"
        organisations.append(
            {
                "platform_id": plased_id,
                "name": name,
                "name_key": name_key(name),
                "kind": kind,
                "sector": "agriculture" if kind == "cso" else None,
                "unit_id": unit.id,
                "email": f"office{i}@bench.example",
            }
        )
    _bulk(engine, Organisation, _stamp(organisations))
    memberships = [
        {
            "organisation_id": o["id"],
            "platform_id": platform,
            "status": "active",
            "applied_at": _now(),
        }
        for o in organisations
        for platform in (plased_id, coss_id)
        if platform == plased_id or o["kind"] == "service_provider"
    ]
    _bulk(engine, Membership, _stamp(memberships))
    providers = [o for o in organisations if o["kind"] == "service_provider"]
    csos = [o for o in organisations if o["kind"] == "cso"]
    big, referrer = providers[0], organisations[1]
    within = {u.id for u in communes if u.parent_id == district.id}
    matching = sum(1 for o in csos if o["unit_id"] in within)

    with Session(engine, expire_on_commit=False) as session:
        provider_user = _user(session, "provider@bench.example", organisation_id=big["id"])
        referrer_user = _user(session, "referrer@bench.example", organisation_id=referrer["id"])
        for other in providers[1:]:  # every provider can receive referrals
            _user(
                session, f"staff-{other['id'].hex[:8]}@bench.example", organisation_id=other["id"]
            )
        session.commit()

    people = []
    for i in range(n["people"]):
        full_name = f"Person {i:06d}"
        people.append(
            {
                "platform_id": plased_id,
                "full_name": full_name,
                "name_key": name_key(full_name),
                "gender": rng.choice(("female", "male")),
                "birth_year": rng.randint(1950, 2008),
                "consent_to_be_listed": False,
            }
        )
    _bulk(engine, Person, _stamp(people))

    body = _stamp(
        [
            {
                "platform_id": plased_id,
                "kind": "general_assembly",
                "name": "Assembly",
                "voting": "seat_holders",
            }
        ]
    )
    _bulk(engine, Body, body)
    meetings, attendance = [], []
    first = datetime(2024, 1, 1, 2, tzinfo=UTC)
    per_meeting = 25
    for i in range(n["meetings"]):
        starts = first + timedelta(days=i % 700, hours=i // 700)
        meeting = {
            "body_id": body[0]["id"],
            "kind": "assembly",
            "title": f"Meeting {i}",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "time_zone": "Asia/Phnom_Penh",
            "status": "closed",
        }
        meetings.append(meeting)
    _stamp(meetings)
    for meeting in meetings:
        for person in rng.sample(people, per_meeting):
            attendance.append(
                {
                    "meeting_id": meeting["id"],
                    "person_id": person["id"],
                    "status": "present",
                    "is_voter": False,
                }
            )
    _bulk(engine, Meeting, meetings)
    _bulk(engine, Attendance, _stamp(attendance, versioned=False))
    voters, motions = _ballot_box(engine, body[0]["id"], people, n["voters"], n["motions"])

    services, areas = [], []
    for i in range(n["services"]):
        provider = big if i % 5 == 0 else rng.choice(providers)
        chosen = category if i % 3 == 0 else rng.choice(categories)
        name = f"Service {i:04d}"
        services.append(
            {
                "platform_id": coss_id,
                "provider_id": provider["id"],
                "category_id": chosen.id,
                "name": name,
                "name_key": name_key(name),
                "gender": "any",
                "is_free": True,
                "status": "published",
            }
        )
    _stamp(services)
    for service in services:
        areas.append({"service_id": service["id"], "unit_id": rng.choice(districts).id})
    _bulk(engine, Service, services)
    _bulk(engine, ServiceArea, areas)
    big_services = [s for s in services if s["provider_id"] == big["id"]]

    statuses = ["submitted", "accepted", "in_progress", "completed", "closed", "declined"]
    referrals, clients, consents, events = [], [], [], []
    received = 0
    now = _now()
    for i in range(n["referrals"]):
        to_big = rng.random() < BIG_PROVIDER_SHARE
        service = rng.choice(big_services if to_big else services)
        sender = referrer if i % 10 == 0 else rng.choice(csos)
        status = rng.choice(statuses)
        created = now - timedelta(minutes=i)
        client = {
            "id": uuid.uuid4(),
            "full_name": f"Client {i}",
            "gender": "female",
            "birth_year": 1990,
            "village_id": rng.choice(villages).id,
            "vulnerabilities": ["women"],
            "created_at": created,
            "updated_at": created,
        }
        referral = {
            "id": uuid.uuid4(),
            "platform_id": coss_id,
            "from_organisation_id": sender["id"],
            "service_id": service["id"],
            "provider_id": service["provider_id"],
            "category_id": service["category_id"],
            "client_id": client["id"],
            "urgency": "routine",
            "reason": "Benchmark referral",
            "status": status,
            "submitted_at": created,
            "respond_by": created + timedelta(days=3),
            "client_gender": "female",
            "client_age_band": "31-59",
            "district_id": district.id,
            "vulnerabilities": ["women"],
            "created_at": created,
            "updated_at": created,
            "version": 2,
        }
        received += service["provider_id"] == big["id"]
        clients.append(client)
        referrals.append(referral)
        consents.append(
            {
                "referral_id": referral["id"],
                "given_by": "self",
                "given_on": date(2026, 1, 1),
                "share_with_provider": True,
                "follow_up_contact": True,
                "reporting": True,
                "created_at": created,
                "updated_at": created,
            }
        )
        events.append({"referral_id": referral["id"], "from_status": None, "to_status": "draft"})
        events.append(
            {"referral_id": referral["id"], "from_status": "draft", "to_status": "submitted"}
        )
        if status != "submitted":
            events.append(
                {"referral_id": referral["id"], "from_status": "submitted", "to_status": status}
            )
    for event in events:
        event["id"] = uuid.uuid4()
        event["created_at"] = now
    _bulk(engine, Client, clients)
    _bulk(engine, Referral, referrals)
    _bulk(engine, Consent, _stamp(consents, versioned=False))
    _bulk(engine, ReferralEvent, events)
    if url.startswith("postgresql"):
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
            # Written out now rather than by the background writer during the measurements.
            connection.execute(text("CHECKPOINT"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    engine.dispose()

    def token(user: User) -> str:
        return create_access_token(settings, user_id=user.id, token_version=user.token_version)

    counts = {
        **n,
        "attendance": len(attendance),
        "referral_events": len(events),
        "clients": len(clients),
    }
    return DataSet(
        url=url,
        scale=scale,
        seconds=(_now() - started).total_seconds(),
        counts=counts,
        platform_id=str(plased_id),
        coss_id=str(coss_id),
        organisation_id=str(referrer["id"]),
        district_id=str(district.id),
        commune_id=str(commune.id),
        category_id=str(category.id),
        service_id=str(big_services[0]["id"]),
        admin_token=token(admin),
        secretariat_token=token(secretariat),
        provider_token=token(provider_user),
        referrer_token=token(referrer_user),
        received=received,
        organisations_matching=matching,
        ballots=[(token(voter), str(motion)) for motion in motions for voter in voters],
    )
