"""Who a platform brings together, next to its inclusion targets: the secretariat's working
view of the indicators (docs/indicators.md), with no period.

*People engaged* are counted as the indicator ``people_engaged`` counts them: people present
at any meeting of the platform's bodies, and people currently representing an active member
organisation, each once. The targets are compared by the indicators' rules.
"""

import uuid

from sqlalchemy import func
from sqlmodel import Session, col, select

from plased import disclosure
from plased.access import Access, platform_in_reach
from plased.members.models import (
    Gender,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
)
from plased.members.schemas import Composition, CountTarget
from plased.platforms.service import current_regulations
from plased.reporting import indicators, values


def composition(session: Session, *, access: Access, platform_id: uuid.UUID) -> Composition:
    platform = platform_in_reach(session, access, platform_id)
    active_orgs = (
        select(Membership.organisation_id)
        .where(Membership.platform_id == platform_id)
        .where(Membership.status == MembershipStatus.active)
    )
    org_rows = session.exec(
        select(Organisation.kind, Organisation.sector, Organisation.la_level, func.count())
        .where(col(Organisation.id).in_(active_orgs))
        .group_by(col(Organisation.kind), col(Organisation.sector), col(Organisation.la_level))
    ).all()
    by_kind: dict[str, int] = {}
    by_sector: dict[str, int] = {}
    by_level: dict[str, int] = {}
    for kind, sector, level, count in org_rows:
        by_kind[kind] = by_kind.get(kind, 0) + count
        if kind == OrganisationKind.cso and sector:
            by_sector[sector] = by_sector.get(sector, 0) + count
        if kind == OrganisationKind.local_authority and level:
            by_level[level] = by_level.get(level, 0) + count

    period = values.Period(None, None, platform.time_zone)
    people = values.person_breakdowns(
        session,
        values.engaged_people(platform_id, period),
        current_regulations(session, platform_id),
        period.year,
    )
    by_gender = people["gender"]
    total_people = sum(by_gender.values())
    women = by_gender.get(Gender.female, 0)
    women_share = round(women / total_people, 4) if total_people else None
    targets = [
        CountTarget(indicator_code=target.indicator_code, target=target.target_value,
                    actual=actual, met=met)
        for target, actual, met in indicators.exact_targets(session, platform)
    ]  # fmt: skip
    # Counts of people are suppressed for everyone but the secretariat (who manages them).
    # Youth and indigenous are cells of their breakdowns: the rest is a subtraction away.
    shown_gender: dict[str, int | None] = dict(by_gender)
    shown_youth: int | None = people["youth"].get("youth", 0)
    shown_indigenous: int | None = people["indigenous"].get("indigenous", 0)
    if not access.manages(platform_id):
        cells, _ = disclosure.suppress(by_gender, total=total_people)
        shown_gender = {cell.key: cell.count for cell in cells}
        shown_youth = _cell(people["youth"], "youth", total_people)
        shown_indigenous = _cell(people["indigenous"], "indigenous", total_people)
    return Composition(
        platform_id=platform_id,
        organisations=sum(by_kind.values()),
        organisations_by_kind=by_kind,
        csos_by_sector=by_sector,
        local_authorities_by_level=by_level,
        people=total_people,
        people_by_gender=shown_gender,
        youth=shown_youth,
        indigenous=shown_indigenous,
        women_share=women_share,
        targets=targets,
    )


def _cell(counts: dict[str, int], key: str, total: int) -> int | None:
    cells, _ = disclosure.suppress(counts, total=total)
    return next((cell.count for cell in cells if cell.key == key), 0)
