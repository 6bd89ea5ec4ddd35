"""The published directory as Open Referral HSDS 3 records (see docs/coss.md for the mapping)."""

import uuid
from typing import Any

from sqlmodel import Session, col, select

from plased.access import public_platform
from plased.coss import services, taxonomy
from plased.coss.models import Service
from plased.members.models import AdminUnit, Organisation

HSDS_VERSION = "3.0"
NAMESPACE = uuid.UUID("0b6f9b8e-5f1a-4a49-8f46-6c2f3f1d9a77")
# ISO 639 codes of the languages a service may be delivered in.
ISO_639 = {
    "khmer": "km",
    "tampuan": "tpu",
    "jarai": "jra",
    "kreung": "krr",
    "brao": "brb",
    "kavet": "krv",
    "lao": "lo",
    "english": "en",
}


def _derived_id(*parts: object) -> str:
    """Stable ids for records HSDS needs but we do not store (areas, languages, links)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def export(session: Session, *, platform_id: uuid.UUID) -> dict[str, Any]:
    platform = public_platform(session, platform_id, None)
    published = list(
        session.exec(
            select(Service)
            .where(Service.platform_id == platform_id)
            .where(services.in_directory())
            .order_by(col(Service.name), col(Service.id))
        ).all()
    )
    public = services.present(session, published)
    providers = {
        o.id: o
        for o in session.exec(
            select(Organisation).where(col(Organisation.id).in_({s.provider_id for s in published}))
        ).all()
    }
    unit_ids = {u for s in public for u in s.coverage_unit_ids}
    units = {
        u.id: u for u in session.exec(select(AdminUnit).where(col(AdminUnit.id).in_(unit_ids)))
    }
    categories = taxonomy.categories(session, platform_id)

    organizations = [
        {
            "id": str(o.id),
            "name": o.name,
            "alternate_name": o.name_km,
            "description": o.name_km or o.name,
            "email": o.email,
            "website": o.website,
        }
        for o in sorted(providers.values(), key=lambda o: o.name)
    ]
    locations = [
        {
            "id": _derived_id("location", o.id),
            "location_type": "physical",
            "organization_id": str(o.id),
            "name": o.name,
            "description": o.address,
        }
        for o in sorted(providers.values(), key=lambda o: o.name)
        if o.address
    ]
    taxonomy_terms = [
        {
            "id": str(c.id),
            "code": c.code,
            "name": c.name,
            "description": c.name_km or c.name,
            "parent_id": str(c.parent_id) if c.parent_id else None,
            "taxonomy": f"PLASED service categories ({platform.code})",
            "language": "en",
        }
        for c in categories
    ]
    service_records, areas, languages, attributes = [], [], [], []
    for s in public:
        eligibility = ", ".join(s.target_groups) or "everyone"
        if s.gender != "any":
            eligibility += f"; {s.gender} only"
        service_records.append(
            {
                "id": str(s.id),
                "organization_id": str(s.provider_id),
                "name": s.name,
                "alternate_name": s.name_km,
                "description": s.description or s.name,
                "email": s.email,
                "status": "active",
                "fees_description": "Free of charge" if s.is_free else (s.fees or "Fees apply"),
                "eligibility_description": eligibility,
                "minimum_age": s.age_min,
                "maximum_age": s.age_max,
            }
        )
        for unit_id in s.coverage_unit_ids:
            unit = units[unit_id]
            areas.append(
                {
                    "id": _derived_id("area", s.id, unit.code),
                    "service_id": str(s.id),
                    "name": unit.name,
                    "description": f"{unit.level} {unit.code} ({unit.name_km or unit.name})",
                    "extent_type": "text",
                }
            )
        for language in s.languages:
            languages.append(
                {
                    "id": _derived_id("language", s.id, language),
                    "service_id": str(s.id),
                    "name": language.title(),
                    "code": ISO_639[language],
                }
            )
        attributes.append(
            {
                "id": _derived_id("attribute", s.id, s.category_id),
                "link_id": str(s.id),
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": str(s.category_id),
            }
        )
    return {
        "hsds_version": HSDS_VERSION,
        "platform": {"id": str(platform.id), "code": platform.code, "name": platform.name},
        "organizations": organizations,
        "services": service_records,
        "locations": locations,
        "service_areas": areas,
        "languages": languages,
        "taxonomy_terms": taxonomy_terms,
        "attributes": attributes,
    }
