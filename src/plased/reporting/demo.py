"""Demo targets and a snapshot: a few targets set by the secretariat with a baseline and a
period, so that the demo's indicators show targets met and targets missed, and the first
half of 2026 frozen for a donor report. Idempotent: a second run changes nothing."""

from datetime import date

from sqlmodel import Session, select

from plased.platforms.models import InclusionTarget, Platform
from plased.platforms.service import record_target
from plased.reporting import catalogue, indicators
from plased.reporting.models import IndicatorSnapshot

PROGRAMME = (date(2025, 1, 1), date(2027, 12, 31))
# indicator code -> (baseline, target): with the demo's records, the first of each platform's
# list are met and the last ones are not (docs/indicators.md, "Demo").
PLASED_TARGETS = {
    "people_engaged": (40, 110),
    "cbos_mapped": (0, 10),
    "advocacy_plans_taken_up": (0, 3),
    "initiatives_completed": (0, 2),
    "commitments_implemented": (0, 1),
}
COSS_TARGETS = {
    "services_published": (12, 30),
    "referrals_made": (0, 250),
    "referral_acceptance_rate": (0.7, 0.85),
    "referral_median_response_hours": (96, 48),
    "referrals_overdue": (20, 5),
}
SNAPSHOT_TITLE = "Donor report: first half of 2026"


def _set(session: Session, platform: Platform, code: str, baseline: float, value: float) -> None:
    indicator = catalogue.BY_CODE[code]
    target = session.exec(
        select(InclusionTarget)
        .where(InclusionTarget.platform_id == platform.id)
        .where(InclusionTarget.indicator_code == code)
    ).first()
    wanted = (baseline, float(value), *PROGRAMME)
    if (
        target is not None
        and (
            target.baseline,
            target.target_value,
            target.period_start,
            target.period_end,
        )
        == wanted
    ):
        return
    if target is None:
        target = InclusionTarget(
            platform_id=platform.id,
            indicator_code=code,
            description=indicator.title,
            description_km=indicator.title_km,
            target_value=value,
        )
    else:
        target.version += 1
    target.baseline, target.target_value = baseline, value
    target.period_start, target.period_end = PROGRAMME
    session.add(target)
    session.flush()
    session.add(record_target(target, None))


def seed_reporting(session: Session, plased: Platform, coss: Platform) -> None:
    for platform, targets in ((plased, PLASED_TARGETS), (coss, COSS_TARGETS)):
        for code, (baseline, value) in targets.items():
            _set(session, platform, code, baseline, value)
    session.flush()
    if session.exec(
        select(IndicatorSnapshot.id)
        .where(IndicatorSnapshot.platform_id == plased.id)
        .where(IndicatorSnapshot.title == SNAPSHOT_TITLE)
    ).first():
        return
    start, end = date(2026, 1, 1), date(2026, 6, 30)
    report = indicators.compute_report(
        session, plased, start, end, catalogue.for_kind(plased.kind), fine=True
    )
    session.add(
        IndicatorSnapshot(
            platform_id=plased.id,
            period_from=start,
            period_to=end,
            title=SNAPSHOT_TITLE,
            title_km="របាយការណ៍ម្ចាស់ជំនួយ៖ ឆមាសទី១ ឆ្នាំ២០២៦",
            report=report.model_dump(mode="json"),
        )
    )
    session.flush()
