"""Demo catalogue: about 30 services from the demo providers, and needs that leave clear gaps
in some districts (Ta Veaeng, Veun Sai, Andoung Meas) while Ban Lung is well served."""

import json
from dataclasses import dataclass, field
from datetime import date
from importlib import resources

from sqlmodel import Session, select

from plased.coss.models import (
    Need,
    Service,
    ServiceArea,
    ServiceCategory,
    ServiceLanguage,
    ServiceTargetGroup,
)
from plased.members.geography import unit_id
from plased.members.models import Organisation
from plased.platforms.models import Platform
from plased.text import name_key


@dataclass(frozen=True)
class Offer:
    name: str
    name_km: str
    category: str  # a category code of the taxonomy
    description: str
    areas: list[str]  # unit codes covered ("16": the whole province)
    capacity: int  # people a month
    groups: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: ["khmer"])
    gender: str = "any"
    ages: tuple[int | None, int | None] = (None, None)
    fees: str | None = None  # None: free


_DATA = json.loads(resources.files("plased.coss").joinpath("demo_data.json").read_text("utf-8"))
# provider name -> what it offers
SERVICES: dict[str, list[Offer]] = {
    provider: [Offer(**{**offer, "ages": tuple(offer["ages"])}) for offer in offers]
    for provider, offers in _DATA["services"].items()
}
# (unit code, category code, people, source, target group)
NEEDS: list[tuple[str, str, int, str, str | None]] = _DATA["needs"]


def seed_catalogue(session: Session, coss: Platform) -> None:
    categories = {
        c.code: c
        for c in session.exec(select(ServiceCategory).where(ServiceCategory.platform_id == coss.id))
    }
    root = coss.parent_id or coss.id
    for provider_name, offers in SERVICES.items():
        provider = session.exec(
            select(Organisation).where(
                Organisation.platform_id == root, Organisation.name_key == name_key(provider_name)
            )
        ).first()
        if provider is None:
            continue
        for offer in offers:
            exists = session.exec(
                select(Service.id).where(
                    Service.platform_id == coss.id, Service.name_key == name_key(offer.name)
                )
            ).first()
            if exists:
                continue
            service = Service(
                platform_id=coss.id,
                provider_id=provider.id,
                category_id=categories[offer.category].id,
                name=offer.name,
                name_key=name_key(offer.name),
                name_km=offer.name_km,
                description=offer.description,
                age_min=offer.ages[0],
                age_max=offer.ages[1],
                gender=offer.gender,
                is_free=offer.fees is None,
                fees=offer.fees,
                capacity_per_month=offer.capacity,
                status="published",
                phone=provider.phone,
                email=provider.email,
            )
            session.add(service)
            session.flush()
            session.add_all(
                ServiceArea(service_id=service.id, unit_id=unit_id(c)) for c in offer.areas
            )
            session.add_all(
                ServiceTargetGroup(service_id=service.id, target_group=g) for g in offer.groups
            )
            session.add_all(
                ServiceLanguage(service_id=service.id, language=lang) for lang in offer.languages
            )
    if session.exec(select(Need.id).where(Need.platform_id == coss.id)).first():
        return
    for code, category, people, source, group in NEEDS:
        session.add(
            Need(
                platform_id=coss.id,
                category_id=categories[category].id,
                unit_id=unit_id(code),
                people_count=people,
                source=source,
                target_group=group,
                reference="Demo assessment 2026",
                need_date=date(2026, 9, 15),
            )
        )
    session.flush()
