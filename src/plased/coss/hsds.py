"""The published directory as Open Referral HSDS 3.0 records (docs/hsds.md has the mapping).

HSDS leaves an absent value out: no record carries a key whose value is ``null``. Only the
public directory is exported (published services of active member providers of a COSS
platform, their providers, the categories they use); nothing of a client, a referral, a
person or a need ever is."""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from plased.access import public_platform
from plased.coss import services
from plased.coss.models import Service, ServiceCategory
from plased.coss.schemas import ServicePublic
from plased.errors import NotFound
from plased.members import geography
from plased.members.models import AdminUnit, Organisation
from plased.platforms.models import Platform, PlatformKind

HSDS_VERSION = "3.0"
NAMESPACE = uuid.UUID("0b6f9b8e-5f1a-4a49-8f46-6c2f3f1d9a77")
# ISO 639 codes and English names of the languages a service may be delivered in.
ISO_639 = {
    "khmer": ("km", "Khmer"),
    "tampuan": ("tpu", "Tampuan"),
    "jarai": ("jra", "Jarai"),
    "kreung": ("krr", "Kreung"),
    "brao": ("brb", "Brao"),
    "kavet": ("krv", "Kavet"),
    "lao": ("lo", "Lao"),
    "english": ("en", "English"),
}
KINDS = {
    "cso": "civil society organisation",
    "local_authority": "local authority",
    "service_provider": "service provider",
    "education": "education institution",
    "private_sector": "private company",
    "development_partner": "development partner",
    "other": "organisation",
}
TARGET_GROUPS = {
    "women": "women",
    "youth": "young people",
    "indigenous": "indigenous people",
    "disability": "people with disabilities",
    "idpoor": "IDPoor card holders",
}


def derived_id(*parts: object) -> str:
    """Stable ids for records HSDS needs but we do not store (locations, areas, links)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def compact(record: dict[str, Any]) -> dict[str, Any]:
    """HSDS omits what is absent: no ``null`` values, no empty text."""
    return {k: v for k, v in record.items() if v is not None and v != ""}


def stamp(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def coss_platform(session: Session, platform_id: uuid.UUID) -> Platform:
    """The platform whose directory is published: an active COSS platform, else 404."""
    platform = public_platform(session, platform_id, None)
    if platform.kind != PlatformKind.coss:
        raise NotFound
    return platform


def taxonomy_id(platform: Platform) -> str:
    return derived_id("taxonomy", platform.id)


def location_id(organisation_id: uuid.UUID) -> str:
    return derived_id("location", organisation_id)


# Services in name order, the id breaking ties so that pages never overlap.
SERVICE_ORDER = [col(Service.name), col(Service.id)]


def directory(platform_id: uuid.UUID) -> SelectOfScalar[Service]:
    """The platform's services in the public directory (the only ones exported)."""
    return select(Service).where(Service.platform_id == platform_id).where(services.in_directory())


def has_address() -> ColumnElement[bool]:
    """The service's provider has an address: the service is delivered at a location."""
    return exists(
        select(Organisation.id)
        .where(Organisation.id == Service.provider_id)
        .where(col(Organisation.address).is_not(None))
        .where(Organisation.address != "")
    )


def used_categories(platform_id: uuid.UUID) -> ColumnElement[bool]:
    """Categories a directory service uses, and their parents: unused terms are left out."""
    used = (
        select(Service.category_id)
        .where(Service.platform_id == platform_id)
        .where(services.in_directory())
    )
    parents = select(ServiceCategory.parent_id).where(col(ServiceCategory.id).in_(used))
    return col(ServiceCategory.id).in_(used) | col(ServiceCategory.id).in_(parents)


@dataclass
class Directory:
    """What the records of some services need, read in a fixed number of queries."""

    platform: Platform
    categories: dict[uuid.UUID, ServiceCategory]
    providers: dict[uuid.UUID, Organisation] = field(default_factory=dict)
    public: dict[uuid.UUID, ServicePublic] = field(default_factory=dict)
    units: dict[uuid.UUID, AdminUnit] = field(default_factory=dict)
    # Top-level category names of each provider's directory services, for its description.
    offers: dict[uuid.UUID, list[str]] = field(default_factory=dict)


def load(
    session: Session,
    platform: Platform,
    listed: Iterable[Service],
    organisations: Iterable[Organisation] = (),
) -> Directory:
    listed = list(listed)
    categories = {
        c.id: c
        for c in session.exec(
            select(ServiceCategory).where(ServiceCategory.platform_id == platform.id)
        )
    }
    found = Directory(platform=platform, categories=categories)
    found.public = {p.id: p for p in services.present(session, listed)}
    found.providers = {o.id: o for o in organisations}
    wanted = {s.provider_id for s in listed} - set(found.providers)
    if wanted:
        found.providers.update(
            (o.id, o)
            for o in session.exec(select(Organisation).where(col(Organisation.id).in_(wanted)))
        )
    codes: set[str] = set()
    unit_ids = {u for p in found.public.values() for u in p.coverage_unit_ids}
    unit_ids |= {o.unit_id for o in found.providers.values() if o.unit_id}
    for unit in session.exec(select(AdminUnit).where(col(AdminUnit.id).in_(unit_ids))):
        found.units[unit.id] = unit
        codes |= {unit.code[:2], unit.code[:4]}
    above = {geography.unit_id(c) for c in codes} - set(found.units)
    found.units.update(
        (u.id, u) for u in session.exec(select(AdminUnit).where(col(AdminUnit.id).in_(above)))
    )
    offers: dict[uuid.UUID, set[str]] = defaultdict(set)
    for provider_id, category_id in session.exec(
        select(Service.provider_id, Service.category_id)
        .where(Service.platform_id == platform.id)
        .where(services.in_directory())
        .where(col(Service.provider_id).in_(list(found.providers)))
    ):
        category = categories[category_id]
        top = categories[category.parent_id] if category.parent_id else category
        offers[provider_id].add(top.name.lower())
    found.offers = {k: sorted(v) for k, v in offers.items()}
    return found


def count(session: Session, statement: SelectOfScalar[Any]) -> int:
    return int(session.exec(select(func.count()).select_from(statement.subquery())).one())


# Records. Each builder gives the flat (tabular) record; ``full`` nests the related ones.


def _unit_code(found: Directory, code: str) -> AdminUnit | None:
    return found.units.get(geography.unit_id(code))


def organization(found: Directory, o: Organisation, *, full: bool = False) -> dict[str, Any]:
    unit = found.units.get(o.unit_id) if o.unit_id else None
    where = ""
    if unit is not None:
        district = _unit_code(found, unit.code[:4])
        where = f" based in {district.name if district else unit.name}"
    offers = found.offers.get(o.id, [])
    kind = KINDS.get(o.kind, "organisation")
    description = f"A {kind}{where}"
    if offers:
        description += f", offering {_joined(offers)} in the {found.platform.name} directory"
    record: dict[str, Any] = {
        "id": str(o.id),
        "name": o.name,
        "alternate_name": o.name_km,
        "description": description + ".",
        "email": o.email,
        "website": o.website,
    }
    if full:
        record["phones"] = [organisation_phone(o)] if o.phone else []
        place = location(found, o, full=True)
        record["locations"] = [place] if place else []
    return compact(record)


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def organisation_phone(o: Organisation) -> dict[str, Any]:
    return {"id": derived_id("phone", o.id), "organization_id": str(o.id), "number": o.phone}


def location(found: Directory, o: Organisation, *, full: bool = False) -> dict[str, Any] | None:
    """A provider's office, where its services are delivered: one location per provider."""
    if not o.address:
        return None
    record: dict[str, Any] = {
        "id": location_id(o.id),
        "location_type": "physical",
        "organization_id": str(o.id),
        "name": o.name,
        "alternate_name": o.name_km,
    }
    if full:
        found_address = address(found, o)
        record["addresses"] = [found_address] if found_address else []
    return compact(record)


def address(found: Directory, o: Organisation) -> dict[str, Any] | None:
    """The street or village line as held; town, province and the commune's gazetteer code
    from the organisation's unit (HSDS requires all of them: no unit, no address record)."""
    unit = found.units.get(o.unit_id) if o.unit_id else None
    if not o.address or unit is None or len(unit.code) < 6:
        return None
    district = _unit_code(found, unit.code[:4])
    province = _unit_code(found, unit.code[:2])
    if district is None or province is None:
        return None
    return {
        "id": derived_id("address", o.id),
        "location_id": location_id(o.id),
        "address_1": o.address,
        "city": district.name,
        "state_province": province.name,
        "postal_code": unit.code[:6],
        "country": "KH",
        "address_type": "physical",
    }


def _eligibility(p: ServicePublic) -> str:
    groups = [TARGET_GROUPS.get(g, g) for g in p.target_groups]
    text = _joined(groups) if groups else "Everyone"
    if p.gender != "any":
        text += f" ({p.gender} only)" if groups else f" {p.gender}"
    if p.age_min is not None and p.age_max is not None:
        text += f", aged {p.age_min} to {p.age_max}"
    elif p.age_min is not None:
        text += f", aged {p.age_min} or over"
    elif p.age_max is not None:
        text += f", aged up to {p.age_max}"
    return text[0].upper() + text[1:]


def _fees(p: ServicePublic) -> str:
    if p.is_free:
        return "Free of charge"
    return p.fees or "Fees apply"


def service(found: Directory, s: Service, *, full: bool = False) -> dict[str, Any]:
    p = found.public[s.id]
    record: dict[str, Any] = {
        "id": str(s.id),
        "organization_id": str(s.provider_id),
        "name": s.name,
        "alternate_name": s.name_km,
        "description": s.description,
        "email": s.email,
        "status": "active",  # only published services are exported
        "fees_description": _fees(p),
        "eligibility_description": _eligibility(p),
        "minimum_age": s.age_min,
        "maximum_age": s.age_max,
        "last_modified": stamp(s.updated_at),
    }
    provider = found.providers[s.provider_id]
    if not full:
        return compact(record)
    record["organization"] = organization(found, provider)
    record["phones"] = [service_phone(s)] if s.phone else []
    record["service_areas"] = service_areas(found, s)
    at = service_at_location(s, provider)
    if at is not None:
        at["location"] = location(found, provider, full=True)
    record["service_at_locations"] = [at] if at else []
    record["languages"] = languages(found, s)
    record["cost_options"] = cost_options(found, s)
    link = attribute(s)
    link["taxonomy_term"] = taxonomy_term(found, found.categories[s.category_id])
    record["attributes"] = [link]
    return compact(record)


def service_phone(s: Service) -> dict[str, Any]:
    return {"id": derived_id("phone", s.id), "service_id": str(s.id), "number": s.phone}


def service_at_location(s: Service, provider: Organisation) -> dict[str, Any] | None:
    if not provider.address:
        return None
    place = location_id(provider.id)
    return {
        "id": derived_id("service_at_location", s.id, place),
        "service_id": str(s.id),
        "location_id": place,
    }


def service_areas(found: Directory, s: Service) -> list[dict[str, Any]]:
    areas = []
    units = [found.units[u] for u in found.public[s.id].coverage_unit_ids]
    for unit in sorted(units, key=lambda u: u.code):
        areas.append(
            {
                "id": derived_id("area", s.id, unit.code),
                "service_id": str(s.id),
                "name": unit.name,
                "description": (
                    f"The {unit.level} of {unit.name} (gazetteer code {unit.code}) "
                    "and everything within it"
                ),
            }
        )
    return areas


def languages(found: Directory, s: Service) -> list[dict[str, Any]]:
    return [
        {
            "id": derived_id("language", s.id, language),
            "service_id": str(s.id),
            "name": ISO_639[language][1],
            "code": ISO_639[language][0],
        }
        for language in found.public[s.id].languages
    ]


def cost_options(found: Directory, s: Service) -> list[dict[str, Any]]:
    """What the service costs, where we hold it: free, or the provider's own words."""
    p = found.public[s.id]
    if p.is_free:
        option = {"option": "Free of charge", "amount": 0, "currency": "KHR"}
    elif p.fees:
        option = {"option": "Fees", "amount_description": p.fees}
    else:
        return []
    return [{"id": derived_id("cost_option", s.id), "service_id": str(s.id), **option}]


def attribute(s: Service) -> dict[str, Any]:
    """The link from a service to its category."""
    return {
        "id": derived_id("attribute", s.id, s.category_id),
        "link_id": str(s.id),
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": str(s.category_id),
    }


def taxonomy(platform: Platform) -> dict[str, Any]:
    return {
        "id": taxonomy_id(platform),
        "name": f"{platform.name} service categories",
        "description": (
            f"The two-level taxonomy of socio-economic services of {platform.name}: "
            "top categories such as health or legal aid, each with its subcategories."
        ),
    }


def taxonomy_term(found: Directory, c: ServiceCategory) -> dict[str, Any]:
    """A category in English, its own language (the Khmer name stays in the catalogue)."""
    parent = found.categories.get(c.parent_id) if c.parent_id else None
    if parent is None:
        description = f"{c.name}: a top category of the {found.platform.name} directory"
    else:
        description = f"{c.name}, a kind of {parent.name.lower()}"
    return compact(
        {
            "id": str(c.id),
            "code": c.code,
            "name": c.name,
            "description": description,
            "parent_id": str(c.parent_id) if c.parent_id else None,
            "taxonomy": taxonomy(found.platform)["name"],
            "taxonomy_id": taxonomy_id(found.platform),
            "language": "en",
        }
    )
