"""Referral statistics for the secretariat: counts only, small cells suppressed.

Only referrals whose client consented to anonymous reporting are counted. A count from 1 to
4 is shown as "<5" (so a rare combination cannot point at a person); a rate or median
computed from fewer than 5 referrals is null. Nothing here names, contacts or identifies a
client.
"""

import statistics
import uuid
from collections import Counter
from collections.abc import Iterable

from sqlmodel import Session, col, select

from plased.coss.models import ServiceCategory
from plased.members.models import AdminUnit
from plased.members.policies import MemberAccess, platform_managed
from plased.referrals.models import Consent, Referral, ReferralStatus
from plased.referrals.schemas import ReferralStats, StatsCell

THRESHOLD = 5
_RESPONDED = {
    ReferralStatus.accepted,
    ReferralStatus.declined,
    ReferralStatus.in_progress,
    ReferralStatus.completed,
    ReferralStatus.closed,
}
_ACCEPTED = {
    ReferralStatus.accepted,
    ReferralStatus.in_progress,
    ReferralStatus.completed,
    ReferralStatus.closed,
}


def _shown(count: int) -> int | str:
    return "<5" if 0 < count < THRESHOLD else count


def _cells(counter: Counter[str]) -> list[StatsCell]:
    return [StatsCell(key=key, count=_shown(n)) for key, n in sorted(counter.items()) if n > 0]


def _median_hours(durations: Iterable[float]) -> float | None:
    values = list(durations)
    if len(values) < THRESHOLD:
        return None
    return round(statistics.median(values) / 3600, 1)


def referral_stats(
    session: Session, *, access: MemberAccess, platform_id: uuid.UUID
) -> ReferralStats:
    platform_managed(session, access, platform_id)
    referrals = session.exec(
        select(Referral)
        .join(Consent, col(Consent.referral_id) == Referral.id)
        .where(Referral.platform_id == platform_id)
        .where(col(Consent.reporting).is_(True))
    ).all()
    categories = dict(
        session.exec(
            select(ServiceCategory.id, ServiceCategory.code).where(
                ServiceCategory.platform_id == platform_id
            )
        ).all()
    )
    districts: dict[uuid.UUID, str] = dict(
        session.exec(
            select(AdminUnit.id, AdminUnit.name).where(AdminUnit.level == "district")
        ).all()
    )
    vulnerability: Counter[str] = Counter()
    for r in referrals:
        vulnerability.update(r.vulnerabilities)
    responded = [r for r in referrals if r.status in _RESPONDED]
    accepted = [r for r in responded if r.status in _ACCEPTED]
    return ReferralStats(
        platform_id=platform_id,
        total=_shown(len(referrals)),
        by_status=_cells(Counter(r.status for r in referrals)),
        by_category=_cells(Counter(categories.get(r.category_id, "other") for r in referrals)),
        by_district=_cells(
            Counter(
                districts.get(r.district_id, "unknown") if r.district_id else "unknown"
                for r in referrals
            )
        ),
        by_urgency=_cells(Counter(r.urgency for r in referrals)),
        by_gender=_cells(Counter(r.client_gender for r in referrals)),
        by_age_band=_cells(Counter(r.client_age_band or "unknown" for r in referrals)),
        by_vulnerability=_cells(vulnerability),
        acceptance_rate=(
            round(len(accepted) / len(responded), 3) if len(responded) >= THRESHOLD else None
        ),
        median_hours_to_respond=_median_hours(
            (r.responded_at - r.submitted_at).total_seconds()
            for r in responded
            if r.responded_at and r.submitted_at
        ),
        median_hours_to_complete=_median_hours(
            (r.completed_at - r.submitted_at).total_seconds()
            for r in referrals
            if r.completed_at and r.submitted_at
        ),
    )
