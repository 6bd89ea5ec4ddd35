"""Demo members of PLASED Ratanakiri: the programme's 40 CSOs, 60 local authorities and 10
service providers, other stakeholders, their people and memberships.

The data (names, places, states) is in ``demo_data.json`` beside this module. Organisation
and person names are invented for the demo; places are the real units of the
shipped geography, and an organisation named after a place is located there. Deterministic and
idempotent: records are matched by their stable keys.
"""

import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources

from sqlmodel import Session, col, select

from plased.members.geography import unit_id
from plased.members.models import (
    AdminUnit,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Organisation,
    Person,
    Representative,
)
from plased.platforms.models import Platform
from plased.text import name_key

# The demo CSO user's organisation and the demo provider user's organisation.
DEMO_CSO = "Bar Kaev Cashew Growers Association"
DEMO_PROVIDER = "Ratanakiri Rural Credit"

_DATA = json.loads(resources.files("plased.members").joinpath("demo_data.json").read_text("utf-8"))
# sector -> [(name, Khmer name, unit code, address)]: the programme's 15/3/5/12/5 CSOs.
CSOS: dict[str, list[tuple[str, str, str, str]]] = _DATA["csos"]
# CSOs of these sectors work with vulnerable people: all are COSS members, with the demo CSO.
COSS_SECTORS: set[str] = set(_DATA["coss_sectors"])
# Applied to COSS, not yet admitted.
COSS_APPLICANTS: set[str] = set(_DATA["coss_applicants"])
# (name, Khmer name, acronym, unit code, address); mostly in Ban Lung, the provincial town.
PROVIDERS: list[tuple[str, str, str | None, str, str]] = _DATA["providers"]
# Other stakeholders: (name, Khmer name, kind, unit code, address, PLASED status, also active
# in COSS). They carry the membership states other than active, so every CSO, authority and
# provider counts in the programme's numbers.
OTHERS: list[tuple[str, str, str, str, str, str, bool]] = _DATA["others"]
# (English, Khmer) names; a Khmer name is written family name first.
FEMALE: list[tuple[str, str]] = _DATA["female"]
MALE: list[tuple[str, str]] = _DATA["male"]
FAMILY: list[tuple[str, str]] = _DATA["family"]
# Indigenous names, transliterated: the Jarai and Tampuan keep their clan names.
INDIGENOUS_FEMALE: list[tuple[str, str]] = _DATA["indigenous_female"]
INDIGENOUS_MALE: list[tuple[str, str]] = _DATA["indigenous_male"]
CLANS: dict[str, list[tuple[str, str]]] = _DATA["clans"]
INDIGENOUS: list[str] = _DATA["indigenous"]
# Birth years count back from a fixed year, so a later run finds the same people.
DEMO_YEAR = 2026


@dataclass(frozen=True)
class DemoMembers:
    cso: Organisation  # the demo CSO user's organisation
    providers: list[Organisation]  # in PROVIDERS order; the demo provider first


def _org(session: Session, root: Platform, **values: object) -> Organisation:
    key = name_key(str(values["name"]))
    existing = session.exec(
        select(Organisation).where(
            Organisation.platform_id == root.id, Organisation.name_key == key
        )
    ).first()
    if existing:
        return existing
    organisation = Organisation(platform_id=root.id, name_key=key, **values)  # type: ignore[arg-type]
    session.add(organisation)
    session.flush()
    return organisation


def _name(rng: random.Random, female: bool, group: str | None) -> tuple[str, str]:
    """An (English, Khmer) full name, family name first."""
    if group is None:
        given, given_km = rng.choice(FEMALE if female else MALE)
        family, family_km = rng.choice(FAMILY)
    else:
        given, given_km = rng.choice(INDIGENOUS_FEMALE if female else INDIGENOUS_MALE)
        family, family_km = rng.choice(CLANS.get(group, FAMILY))
    return f"{family} {given}", f"{family_km} {given_km}"


def _person(
    session: Session, root: Platform, rng: random.Random, n: int, taken: set[tuple[str, int]]
) -> Person:
    # About half women, among primary representatives and alternates alike.
    female = n % 4 in (0, 1)
    # Two in five: Ratanakiri's population is largely indigenous.
    group = INDIGENOUS[n % len(INDIGENOUS)] if n % 5 in (0, 3) else None
    # Draw every value first: the sequence must not depend on what already exists.
    full_name, name_km = _name(rng, female, group)
    birth_year = DEMO_YEAR - (19 + (n * 7) % 45)  # some youth, most adults
    # Name and birth year find a person again: keep them unique among the demo people.
    while (name_key(full_name), birth_year) in taken:
        birth_year -= 1
    key = name_key(full_name)
    taken.add((key, birth_year))
    existing = session.exec(
        select(Person).where(
            Person.platform_id == root.id, Person.name_key == key, Person.birth_year == birth_year
        )
    ).first()
    if existing:
        return existing
    person = Person(
        platform_id=root.id,
        full_name=full_name,
        name_key=key,
        name_km=name_km,
        gender="female" if female else "male",
        birth_year=birth_year,
        indigenous_group=group,
        phone=f"+855 97 {100 + n:03d} {1000 + n * 37 % 9000:04d}",
        consent_to_be_listed=n % 4 != 0,
    )
    session.add(person)
    session.flush()
    return person


def _represent(session: Session, organisation: Organisation, person: Person, role: str) -> None:
    exists = session.exec(
        select(Representative.id).where(
            Representative.organisation_id == organisation.id,
            col(Representative.end_date).is_(None),
            Representative.role == role,
        )
    ).first()
    if not exists:
        session.add(
            Representative(
                organisation_id=organisation.id,
                person_id=person.id,
                role=role,
                start_date=date(2024, 3, 1),
            )
        )


def _membership(
    session: Session, organisation: Organisation, platform: Platform, status: str
) -> None:
    exists = session.exec(
        select(Membership.id).where(
            Membership.organisation_id == organisation.id, Membership.platform_id == platform.id
        )
    ).first()
    if exists:
        return
    applied = datetime(2024, 2, 1, 3, 0, tzinfo=UTC) + timedelta(days=len(organisation.name))
    decided = applied + timedelta(days=14)
    membership = Membership(
        organisation_id=organisation.id,
        platform_id=platform.id,
        status=status,
        applied_at=applied,
        decided_at=None if status == MembershipStatus.applied else decided,
        reason="Demo: not yet meeting the criteria"
        if status == MembershipStatus.rejected
        else None,
    )
    session.add(membership)
    session.flush()
    # The history a secretariat would have recorded: applied, decided, and what came later.
    steps: list[tuple[str | None, str, str | None, datetime]] = [
        (None, MembershipStatus.applied, None, applied)
    ]
    if status == MembershipStatus.rejected:
        steps.append((MembershipStatus.applied, status, membership.reason, decided))
    elif status != MembershipStatus.applied:
        steps.append((MembershipStatus.applied, MembershipStatus.active, None, decided))
    if status == MembershipStatus.suspended:
        steps.append(
            (
                MembershipStatus.active,
                status,
                "Demo: reports overdue",
                applied + timedelta(days=200),
            )
        )
    if status == MembershipStatus.withdrawn:
        steps.append(
            (
                MembershipStatus.active,
                status,
                "Demo: the programme closed its Ratanakiri office",
                applied + timedelta(days=300),
            )
        )
    session.add_all(
        MembershipEvent(
            membership_id=membership.id,
            from_status=before,
            to_status=after,
            reason=reason,
            created_at=moment,
        )
        for before, after, reason, moment in steps
    )


def _units(session: Session, level: str) -> list[AdminUnit]:
    return list(
        session.exec(
            select(AdminUnit).where(AdminUnit.level == level).order_by(col(AdminUnit.code))
        ).all()
    )


def _authorities(session: Session, plased: Platform) -> list[Organisation]:
    """The provincial administration, the 9 district and municipal administrations and all
    50 commune and sangkat councils (Ban Lung, 1602, is a municipality of sangkats)."""
    districts = {d.code: d for d in _units(session, "district")}
    authorities = [
        _org(
            session,
            plased,
            name="Ratanakiri Provincial Administration",
            name_km="រដ្ឋបាលខេត្តរតនគិរី",
            kind="local_authority",
            la_level="provincial",
            unit_id=unit_id("16"),
            address="Provincial Hall, Sangkat Labansiek, Ban Lung",
        )
    ]
    for code, district in districts.items():
        town = code == "1602"
        authorities.append(
            _org(
                session,
                plased,
                name=f"{district.name} {'Municipal' if town else 'District'} Administration",
                name_km=f"{'រដ្ឋបាលក្រុង' if town else 'រដ្ឋបាលស្រុក'}{district.name_km}",
                kind="local_authority",
                la_level="district",
                unit_id=district.id,
                address="Municipal Hall, Sangkat Labansiek, Ban Lung"
                if town
                else f"District Hall, {district.name}",
            )
        )
    for commune in _units(session, "commune"):
        district = districts[commune.code[:4]]
        sangkat = district.code == "1602"
        authorities.append(
            _org(
                session,
                plased,
                name=f"{commune.name} {'Sangkat' if sangkat else 'Commune'} Council",
                name_km=f"{'ក្រុមប្រឹក្សាសង្កាត់' if sangkat else 'ក្រុមប្រឹក្សាឃុំ'}{commune.name_km}",
                kind="local_authority",
                la_level="commune",
                unit_id=commune.id,
                address=f"Sangkat {commune.name} office, Ban Lung"
                if sangkat
                else f"{commune.name} commune office, {district.name}",
            )
        )
    return authorities


def _csos(session: Session, plased: Platform) -> list[Organisation]:
    csos: list[Organisation] = []
    for sector, rows in CSOS.items():
        for name, name_km, code, address in rows:
            csos.append(
                _org(
                    session,
                    plased,
                    name=name,
                    name_km=name_km,
                    kind="cso",
                    sector=sector,
                    unit_id=unit_id(code),
                    address=address,
                    email=f"contact{len(csos) + 1}@cso.example.org",
                )
            )
    return csos


def _providers(session: Session, plased: Platform) -> list[Organisation]:
    return [
        _org(
            session,
            plased,
            name=name,
            name_km=name_km,
            acronym=acronym,
            kind="service_provider",
            unit_id=unit_id(code),
            address=address,
            email=f"info{i}@provider.example.org",
            phone=f"+855 75 974 {i:03d}",
        )
        for i, (name, name_km, acronym, code, address) in enumerate(PROVIDERS, start=1)
    ]


def seed_members(session: Session, plased: Platform, coss: Platform) -> DemoMembers:
    rng = random.Random(2024)  # noqa: S311 - reproducible demo data, not security
    authorities = _authorities(session, plased)
    csos = _csos(session, plased)
    providers = _providers(session, plased)
    others = [
        _org(
            session,
            plased,
            name=name,
            name_km=name_km,
            kind=kind,
            unit_id=unit_id(code),
            address=address,
        )
        for name, name_km, kind, code, address, _, _ in OTHERS
    ]
    everyone = authorities + csos + providers + others
    n = 0
    taken: set[tuple[str, int]] = set()
    for organisation in everyone:
        for role in ("primary", "alternate"):
            n += 1
            _represent(session, organisation, _person(session, plased, rng, n, taken), role)
    # Every CSO, authority and provider is an active member of PLASED: the live counts are the
    # programme's. The other stakeholders show the remaining states.
    status = {o.id: "active" for o in authorities + csos + providers}
    status.update({o.id: row[5] for o, row in zip(others, OTHERS, strict=True)})
    for organisation in everyone:
        _membership(session, organisation, plased, status[organisation.id])
    # COSS: every provider; the province, the districts and one commune council per district;
    # the CSOs working with vulnerable people and the demo CSO; two CSOs that have applied.
    in_coss = {o.id: "active" for o in providers}
    districts_seen: set[uuid.UUID | None] = set()
    for authority in authorities:
        if authority.la_level != "commune":
            in_coss[authority.id] = "active"
        elif (district := _parent(session, authority)) not in districts_seen:
            districts_seen.add(district)
            in_coss[authority.id] = "active"
    for cso in csos:
        if cso.sector in COSS_SECTORS or cso.name == DEMO_CSO:
            in_coss[cso.id] = "active"
        elif cso.name in COSS_APPLICANTS:
            in_coss[cso.id] = "applied"
    in_coss.update({o.id: "active" for o, row in zip(others, OTHERS, strict=True) if row[6]})
    for organisation in everyone:
        # A COSS membership needs an active PLASED membership.
        if organisation.id in in_coss and status[organisation.id] == "active":
            _membership(session, organisation, coss, in_coss[organisation.id])
    session.flush()
    demo_cso = next(c for c in csos if c.name == DEMO_CSO)
    return DemoMembers(cso=demo_cso, providers=providers)


def _parent(session: Session, organisation: Organisation) -> uuid.UUID | None:
    unit = session.get(AdminUnit, organisation.unit_id) if organisation.unit_id else None
    return unit.parent_id if unit else None
