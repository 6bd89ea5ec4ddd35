"""Community mapping: CBO profiles, mapping campaigns and the summary by district
(docs/community-mapping.md). Advocacy plans are in ``mapping_plans``.

A CBO profile belongs to its organisation, so to the platform family's root: everyone who
reads the family's organisations reads it, the secretariat of a platform of the family
writes it. A campaign belongs to one platform: read by whoever has a role in it, written by
its secretariat. Nothing here is personal contact data.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from plased.access import Access, managed_platform, platform_in_reach, root_of
from plased.concurrency import check_if_match
from plased.db import bump
from plased.errors import NotFound, field_error
from plased.initiatives.mapping_models import (
    HEALTH_ITEMS,
    AdvocacyPlan,
    CboProfile,
    MappingCampaign,
    PlanStatus,
)
from plased.initiatives.mapping_schemas import (
    CampaignCreate,
    CampaignPublic,
    CampaignUpdate,
    CboProfilePublic,
    CboProfileUpdate,
    DistrictMapping,
    HealthPublic,
    MappingSummary,
)
from plased.members import geography
from plased.members import organisations as directory
from plased.members.models import AdminUnit, CsoSector, Organisation, OrganisationKind, UnitLevel
from plased.pagination import PageParams, paginate, text_contains
from plased.platforms.models import Platform
from plased.schemas import Warning

DISTRICT_CODE = 4  # a village's code starts with its district's (codes nest by prefix)


# -- CBO profiles --------------------------------------------------------------------------


def is_cbo(organisation: Organisation) -> bool:
    return organisation.kind == OrganisationKind.cso and organisation.sector == CsoSector.cbo


def get_profile(session: Session, access: Access, organisation_id: uuid.UUID) -> CboProfile:
    """The CBO's profile, when the caller reads its platform family (404 otherwise, and
    for an organisation without one)."""
    profile = session.get(CboProfile, organisation_id)
    if profile is None or not access.sees_root(profile.platform_id):
        raise NotFound
    return profile


def _year_now(session: Session, platform_id: uuid.UUID) -> int:
    platform = session.get(Platform, platform_id)
    assert platform is not None
    return datetime.now(ZoneInfo(platform.time_zone)).year


def _village(session: Session, unit_id: uuid.UUID, pointer: str) -> AdminUnit:
    unit = geography.get_unit(session, unit_id, pointer=pointer)
    if unit.level != UnitLevel.village:
        raise field_error(pointer, "not_a_village", "Name a village.")
    return unit


def put_profile(
    session: Session,
    *,
    access: Access,
    organisation_id: uuid.UUID,
    data: CboProfileUpdate,
    if_match: str | None,
) -> CboProfile:
    """Record or replace the profile (the secretariat of the family)."""
    organisation = directory.get_visible(session, access, organisation_id)
    root = organisation.platform_id
    access.require_manage_root(root)
    access.require_writable(root)
    if not is_cbo(organisation):
        raise field_error(
            "/path/cbo_id", "not_a_cbo", "Only a CSO of sector cbo has a CBO profile."
        )
    _village(session, data.village_id, "/body/village_id")
    if data.women_members > data.members_count:
        raise field_error(
            "/body/women_members",
            "women_exceed_members",
            "There are no more women members than members.",
        )
    if data.year_founded is not None and data.year_founded > _year_now(session, root):
        raise field_error(
            "/body/year_founded", "founded_in_future", "A CBO is founded this year at the latest."
        )
    values = {
        "village_id": data.village_id,
        "members_count": data.members_count,
        "women_members": data.women_members,
        "focus": [str(f) for f in dict.fromkeys(data.focus)],
        "year_founded": data.year_founded,
        **data.health.model_dump(),
    }
    profile = session.get(CboProfile, organisation.id)
    if profile is None:
        profile = CboProfile(organisation_id=organisation.id, platform_id=root, **values)
    else:
        check_if_match(if_match, profile.version)
        for name, value in values.items():
            setattr(profile, name, value)
        bump(profile)
    session.add(profile)
    session.flush()
    return profile


def list_profiles(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    params: PageParams,
    district_code: str | None,
    q: str | None,
) -> tuple[list[CboProfile], int]:
    platform = platform_in_reach(session, access, platform_id)
    statement = (
        select(CboProfile)
        .join(Organisation, col(Organisation.id) == CboProfile.organisation_id)
        .where(CboProfile.platform_id == root_of(platform))
    )
    if district_code is not None:
        statement = statement.join(AdminUnit, col(AdminUnit.id) == CboProfile.village_id).where(
            col(AdminUnit.code).startswith(district_code)
        )
    if q:
        statement = statement.where(text_contains(Organisation.name_key, q))
    return paginate(
        session,
        statement,
        params,
        allowed_sorts={
            "name": Organisation.name_key,
            "members_count": CboProfile.members_count,
            "created_at": CboProfile.created_at,
            "updated_at": CboProfile.updated_at,
        },
        default_sort=["name"],
        tiebreak=CboProfile.organisation_id,
        updated_column=CboProfile.updated_at,
    )


def health_score(profile: CboProfile) -> int:
    """Checklist items true ÷ items × 100, rounded down."""
    done = sum(1 for item in HEALTH_ITEMS if getattr(profile, item))
    return done * 100 // len(HEALTH_ITEMS)


def _units_by_code(session: Session, codes: Iterable[str]) -> dict[str, AdminUnit]:
    wanted = set(codes)
    if not wanted:
        return {}
    return {
        u.code: u for u in session.exec(select(AdminUnit).where(col(AdminUnit.code).in_(wanted)))
    }


def present_profiles(session: Session, items: list[CboProfile]) -> list[CboProfilePublic]:
    """Profiles with their organisation's name, village and district, and plan count, in
    four queries more whatever their number."""
    if not items:
        return []
    ids = {p.organisation_id for p in items}
    names = {
        o.id: o for o in session.exec(select(Organisation).where(col(Organisation.id).in_(ids)))
    }
    villages = {
        u.id: u
        for u in session.exec(
            select(AdminUnit).where(col(AdminUnit.id).in_({p.village_id for p in items}))
        )
    }
    districts = _units_by_code(session, {v.code[:DISTRICT_CODE] for v in villages.values()})
    plans = dict(
        session.exec(
            select(AdvocacyPlan.organisation_id, func.count())
            .where(col(AdvocacyPlan.organisation_id).in_(ids))
            .group_by(col(AdvocacyPlan.organisation_id))
        ).all()
    )
    answers = []
    for profile in items:
        organisation = names[profile.organisation_id]
        village = villages[profile.village_id]
        district = districts[village.code[:DISTRICT_CODE]]
        answers.append(
            CboProfilePublic.model_validate(
                {
                    **profile.model_dump(),
                    "name": organisation.name,
                    "name_km": organisation.name_km,
                    "village_name": village.name,
                    "district_code": district.code,
                    "district_name": district.name,
                    "health": HealthPublic.model_validate(profile.model_dump()),
                    "health_score": health_score(profile),
                    "plans": plans.get(profile.organisation_id, 0),
                }
            )
        )
    return answers


# -- campaigns -----------------------------------------------------------------------------


def get_campaign(session: Session, access: Access, campaign_id: uuid.UUID) -> MappingCampaign:
    campaign = session.get(MappingCampaign, campaign_id)
    if campaign is None or not access.has_role_in(campaign.platform_id):
        raise NotFound
    return campaign


def _check_villages(session: Session, village_ids: list[uuid.UUID]) -> list[str]:
    units = {
        u.id: u
        for u in session.exec(select(AdminUnit).where(col(AdminUnit.id).in_(set(village_ids))))
    }
    for index, village_id in enumerate(village_ids):
        unit = units.get(village_id)
        if unit is None or unit.level != UnitLevel.village:
            raise field_error(f"/body/village_ids/{index}", "not_a_village", "Name a village.")
    return [str(v) for v in dict.fromkeys(village_ids)]


def _check_cbos(session: Session, root: uuid.UUID, cbo_ids: list[uuid.UUID]) -> list[str]:
    found = {
        o.id: o
        for o in session.exec(select(Organisation).where(col(Organisation.id).in_(set(cbo_ids))))
    }
    for index, organisation_id in enumerate(cbo_ids):
        organisation = found.get(organisation_id)
        pointer = f"/body/cbo_ids/{index}"
        if organisation is None or organisation.platform_id != root:
            raise field_error(pointer, "unknown_organisation", "No such organisation.")
        if not is_cbo(organisation):
            raise field_error(pointer, "not_a_cbo", "Only CSOs of sector cbo are found by mapping.")
    return [str(o) for o in dict.fromkeys(cbo_ids)]


def _check_period(starts_on: object, ends_on: object) -> None:
    if ends_on is not None and ends_on < starts_on:  # type: ignore[operator]
        raise field_error("/body/ends_on", "period_inverted", "The campaign ends after it starts.")


def create_campaign(
    session: Session, *, access: Access, platform_id: uuid.UUID, data: CampaignCreate
) -> MappingCampaign:
    platform = managed_platform(session, access, platform_id)
    _check_period(data.starts_on, data.ends_on)
    values = data.model_dump()
    values["village_ids"] = _check_villages(session, data.village_ids)
    values["cbo_ids"] = _check_cbos(session, root_of(platform), data.cbo_ids)
    campaign = MappingCampaign(platform_id=platform_id, **values)
    session.add(campaign)
    session.flush()
    return campaign


def update_campaign(
    session: Session,
    *,
    access: Access,
    campaign_id: uuid.UUID,
    data: CampaignUpdate,
    if_match: str | None,
) -> MappingCampaign:
    campaign = get_campaign(session, access, campaign_id)
    platform = managed_platform(session, access, campaign.platform_id)
    check_if_match(if_match, campaign.version)
    changes = data.changes()
    _check_period(
        changes.get("starts_on", campaign.starts_on), changes.get("ends_on", campaign.ends_on)
    )
    if "village_ids" in changes:
        changes["village_ids"] = _check_villages(session, changes["village_ids"])
    if "cbo_ids" in changes:
        changes["cbo_ids"] = _check_cbos(session, root_of(platform), changes["cbo_ids"])
    for name, value in changes.items():
        setattr(campaign, name, value)
    bump(campaign)
    session.add(campaign)
    session.flush()
    return campaign


def list_campaigns(
    session: Session, *, access: Access, platform_id: uuid.UUID, params: PageParams
) -> tuple[list[MappingCampaign], int]:
    platform_in_reach(session, access, platform_id)
    return paginate(
        session,
        select(MappingCampaign).where(MappingCampaign.platform_id == platform_id),
        params,
        allowed_sorts={
            "starts_on": MappingCampaign.starts_on,
            "updated_at": MappingCampaign.updated_at,
        },
        default_sort=["-starts_on"],
        tiebreak=MappingCampaign.id,
        updated_column=MappingCampaign.updated_at,
    )


def present_campaigns(session: Session, items: list[MappingCampaign]) -> list[CampaignPublic]:
    """Campaigns with their counts and warnings, in one query more whatever their number."""
    found = {uuid.UUID(o) for c in items for o in c.cbo_ids}
    villages = dict(
        session.exec(
            select(CboProfile.organisation_id, CboProfile.village_id).where(
                col(CboProfile.organisation_id).in_(found)
            )
        ).all()
        if found
        else []
    )
    answers = []
    for campaign in items:
        cbos = [uuid.UUID(o) for o in campaign.cbo_ids]
        visited = {uuid.UUID(v) for v in campaign.village_ids}
        missing = [o for o in cbos if o not in villages]
        outside = [o for o in cbos if o in villages and villages[o] not in visited]
        warnings = []
        if missing:
            warnings.append(
                Warning(
                    code="cbos_without_profile",
                    message=f"{len(missing)} CBO(s) found have no profile.",
                )
            )
        if outside:
            warnings.append(
                Warning(
                    code="cbo_outside_visited_villages",
                    message=f"{len(outside)} CBO(s) found lie outside the villages visited.",
                )
            )
        answers.append(
            CampaignPublic.model_validate(
                {
                    **campaign.model_dump(),
                    "villages_visited": len(visited),
                    "cbos_found": len(cbos),
                    "cbos_profiled": len(cbos) - len(missing),
                    "warnings": warnings,
                }
            )
        )
    return answers


# -- the summary ---------------------------------------------------------------------------


def summary(session: Session, *, access: Access, platform_id: uuid.UUID) -> MappingSummary:
    """Per district of the CBOs' villages: CBOs mapped (with a profile), with at least one
    advocacy plan, with at least one plan taken up. Organisations, not people: no
    suppression."""
    platform = platform_in_reach(session, access, platform_id)
    root = root_of(platform)
    district_of = {
        organisation_id: code[:DISTRICT_CODE]
        for organisation_id, code in session.exec(
            select(CboProfile.organisation_id, AdminUnit.code)
            .join(AdminUnit, col(AdminUnit.id) == CboProfile.village_id)
            .where(CboProfile.platform_id == root)
        ).all()
    }
    planned: set[uuid.UUID] = set()
    taken_up: set[uuid.UUID] = set()
    for organisation_id, status in session.exec(
        select(AdvocacyPlan.organisation_id, AdvocacyPlan.status).where(
            AdvocacyPlan.platform_id == root
        )
    ).all():
        planned.add(organisation_id)
        if status == PlanStatus.taken_up:
            taken_up.add(organisation_id)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for organisation_id, code in district_of.items():
        row = counts[code]
        row[0] += 1
        row[1] += organisation_id in planned
        row[2] += organisation_id in taken_up
    districts = _units_by_code(session, counts)
    rows = [
        DistrictMapping(
            district_code=code,
            district_name=districts[code].name,
            district_name_km=districts[code].name_km,
            mapped=mapped,
            with_plans=with_plans,
            advocated=advocated,
        )
        for code, (mapped, with_plans, advocated) in sorted(counts.items())
    ]
    return MappingSummary(
        platform_id=platform_id,
        districts=rows,
        mapped=sum(r.mapped for r in rows),
        with_plans=sum(r.with_plans for r in rows),
        advocated=sum(r.advocated for r in rows),
    )
