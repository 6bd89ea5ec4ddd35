"""Who a platform brings together, next to its inclusion targets.

A report across domains: *people engaged* are the people currently representing an active
member organisation (members) and the people present at any of the platform's trainings
(governance), each counted once.
"""

import uuid

from sqlalchemy import func
from sqlmodel import Session, col, select

from plased import disclosure
from plased.access import Access, platform_in_reach
from plased.governance import trainings
from plased.members.models import (
    Gender,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Person,
    Representative,
)
from plased.members.schemas import Composition, CountTarget
from plased.platforms.models import InclusionTarget
from plased.platforms.service import current_regulations, is_youth

# Which count each target indicator is compared with.
_TARGET_ACTUALS = {
    "people_engaged": "people",
    "women_share": "women_share",
    "coss_member_csos": "cso",
    "coss_member_sesps": "service_provider",
    "coss_member_las": "local_authority",
}


def composition(session: Session, *, access: Access, platform_id: uuid.UUID) -> Composition:
    platform_in_reach(session, access, platform_id)
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

    # People engaged: distinct people currently representing an active member organisation,
    # and people trained (present at a training of the platform's bodies), each once.
    representatives = (
        select(Representative.person_id)
        .where(col(Representative.organisation_id).in_(active_orgs))
        .where(col(Representative.end_date).is_(None))
    )
    people = session.exec(
        select(Person.gender, Person.birth_year, Person.indigenous_group).where(
            col(Person.id).in_(representatives)
            | col(Person.id).in_(trainings.trained_people(platform_id))
        )
    ).all()
    rules = current_regulations(session, platform_id)
    by_gender: dict[str, int] = {}
    youth = indigenous = 0
    for gender, birth_year, group in people:
        by_gender[gender] = by_gender.get(gender, 0) + 1
        if is_youth(rules, birth_year):
            youth += 1
        if group:
            indigenous += 1
    total_people = len(people)
    women = by_gender.get(Gender.female, 0)
    women_share = round(women / total_people, 4) if total_people else None

    actuals: dict[str, float] = {
        "people": total_people,
        "women_share": women_share or 0.0,
        **{kind: float(count) for kind, count in by_kind.items()},
    }
    targets = [
        CountTarget(
            indicator_code=target.indicator_code,
            target=target.target_value,
            actual=actuals.get(_TARGET_ACTUALS[target.indicator_code], 0.0),
            met=actuals.get(_TARGET_ACTUALS[target.indicator_code], 0.0) >= target.target_value,
        )
        for target in session.exec(
            select(InclusionTarget)
            .where(InclusionTarget.platform_id == platform_id)
            .order_by(col(InclusionTarget.indicator_code))
        ).all()
        if target.indicator_code in _TARGET_ACTUALS
    ]
    # Counts of people are suppressed for everyone but the secretariat (who manages them).
    shown_gender: dict[str, int | None] = dict(by_gender)
    shown_youth: int | None = youth
    shown_indigenous: int | None = indigenous
    if not access.manages(platform_id):
        cells, _ = disclosure.suppress(by_gender, total=total_people)
        shown_gender = {cell.key: cell.count for cell in cells}
        shown_youth, shown_indigenous = disclosure.value(youth), disclosure.value(indigenous)
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
