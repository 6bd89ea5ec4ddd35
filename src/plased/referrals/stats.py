"""Referral statistics for the secretariat: counts only, small cells suppressed.

Only referrals whose client consented to anonymous reporting are counted. Every breakdown
goes through ``plased.disclosure`` (counts 1–4 hidden, complementary cells hidden so that
nothing hidden is the total minus what is shown); a rate or median computed from fewer than
5 referrals is null. Nothing here names, contacts or identifies a client.
"""

import statistics
import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from plased import disclosure
from plased.access import Access, managed_platform
from plased.coss.models import ServiceCategory
from plased.errors import field_error
from plased.members.models import AdminUnit
from plased.referrals.models import Consent, DeclineReason, Referral, ReferralStatus
from plased.referrals.schemas import ReferralStats, StatsCell

THRESHOLD = disclosure.THRESHOLD
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
# Declined for want of the service: what the gap analysis counts as unserved.
UNSERVED = (DeclineReason.no_capacity, DeclineReason.not_eligible)


def _cells(counter: Counter[str], total: int | None) -> list[StatsCell]:
    cells, _ = disclosure.suppress({k: n for k, n in counter.items() if n > 0}, total=total)
    return [StatsCell(key=c.key, count=c.count, suppressed=c.suppressed) for c in cells]


def _median_hours(durations: Iterable[float]) -> float | None:
    values = list(durations)
    if len(values) < THRESHOLD:
        return None
    return round(statistics.median(values) / 3600, 1)


def _reported(platform_id: uuid.UUID) -> SelectOfScalar[Referral]:
    return (
        select(Referral)
        .join(Consent, col(Consent.referral_id) == Referral.id)
        .where(Referral.platform_id == platform_id)
        .where(col(Consent.reporting).is_(True))
    )


def referral_stats(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    start: date | None = None,
    end: date | None = None,
) -> ReferralStats:
    """``start``/``end``: the days (both included, the platform's time zone) the referrals
    were submitted in; a referral never submitted (a draft) is outside every period."""
    platform = managed_platform(session, access, platform_id, write=False)
    if start is not None and end is not None and end < start:
        raise field_error("/query/to", "period_inverted", "The period ends before it starts.")
    statement = _reported(platform_id)
    zone = ZoneInfo(platform.time_zone)
    if start is not None:
        lower = datetime.combine(start, time(), tzinfo=zone)
        statement = statement.where(col(Referral.submitted_at) >= lower)
    if end is not None:
        upper = datetime.combine(end + timedelta(days=1), time(), tzinfo=zone)
        statement = statement.where(col(Referral.submitted_at) < upper)
    referrals = session.exec(statement).all()
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
    total = len(referrals)
    vulnerability: Counter[str] = Counter()
    for r in referrals:
        vulnerability.update(r.vulnerabilities)
    responded = [r for r in referrals if r.status in _RESPONDED]
    accepted = [r for r in responded if r.status in _ACCEPTED]
    return ReferralStats(
        platform_id=platform_id,
        period_from=start,
        period_to=end,
        total=disclosure.value(total),
        by_status=_cells(Counter(r.status for r in referrals), total),
        by_category=_cells(
            Counter(categories.get(r.category_id, "other") for r in referrals), total
        ),
        by_district=_cells(
            Counter(
                districts.get(r.district_id, "unknown") if r.district_id else "unknown"
                for r in referrals
            ),
            total,
        ),
        by_urgency=_cells(Counter(r.urgency for r in referrals), total),
        by_gender=_cells(Counter(r.client_gender for r in referrals), total),
        by_age_band=_cells(Counter(r.client_age_band or "unknown" for r in referrals), total),
        # A referral may carry several vulnerabilities: the cells do not add up to a total.
        by_vulnerability=_cells(vulnerability, None),
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


def unserved_by_district(
    session: Session, platform_id: uuid.UUID
) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """Referrals declined for want of capacity or eligibility, counted per district and
    service category (reporting consent only). Counts, never a person: suppress before use."""
    rows = session.exec(
        _reported(platform_id)
        .where(Referral.status == ReferralStatus.declined)
        .where(col(Referral.decline_reason).in_(UNSERVED))
        .where(col(Referral.district_id).is_not(None))
    ).all()
    counts: Counter[tuple[uuid.UUID, uuid.UUID]] = Counter()
    for referral in rows:
        assert referral.district_id is not None
        counts[(referral.district_id, referral.category_id)] += 1
    return dict(counts)
