"""The indicators of a platform over a period, as a caller may see them.

Who reads: the platform's secretariat and observers, and administrators, everything;
staff of a member organisation, everything but the breakdowns finer than a district;
anyone else with a role in the platform (a facilitator) 403; without one 404.

What is published (DESIGN §9, docs/indicators.md):
- Counts of people and of referrals: a value from 1 to 4 is hidden; each breakdown goes
  through ``plased.disclosure.suppress`` with the value as its total, so hidden cells are
  at least two and hold at least 5 people; when a breakdown cannot be protected so, the
  value is hidden too. The same for every caller, exports and snapshots included.
- A share, a rate or a part of the referrals (accepted, completed, overdue) is published only
  when the part and the rest are each 0 or at least 5: otherwise the rest is a subtraction
  away. A median needs 5 referrals.
- ``met`` compares the published value with the target; null when either is missing.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from plased import disclosure
from plased.access import ORG_STAFF, Access, platform_in_reach
from plased.auth.models import PlatformRoleName
from plased.errors import Forbidden, field_error
from plased.platforms.models import InclusionTarget, Platform
from plased.reporting import catalogue, values
from plased.reporting.catalogue import BELOW_DISTRICT, Direction, Indicator, Unit
from plased.reporting.schemas import (
    IndicatorBreakdown,
    IndicatorCell,
    IndicatorReport,
    IndicatorValue,
)

_REFERRAL_PARTS = ("referrals_accepted", "referrals_completed", "referrals_overdue")
_FULL_READERS = frozenset({PlatformRoleName.secretariat, PlatformRoleName.observer})


def readable_platform(
    session: Session, access: Access, platform_id: uuid.UUID
) -> tuple[Platform, bool]:
    """The platform, and whether the caller sees breakdowns below district level."""
    platform = platform_in_reach(session, access, platform_id)
    roles = access.roles.get(platform_id, frozenset())
    if access.is_admin or roles & _FULL_READERS:
        return platform, True
    if ORG_STAFF in roles:
        return platform, False
    raise Forbidden("Only the secretariat, observers and member organisations read indicators.")


def check_period(start: date | None, end: date | None, *, pointer: str = "/query/to") -> None:
    if start is not None and end is not None and end < start:
        raise field_error(pointer, "period_inverted", "The period ends before it starts.")


def selected(platform: Platform, codes: Iterable[str] | None) -> tuple[Indicator, ...]:
    """The platform's indicators, or those asked for (422 for a code it does not have)."""
    available = catalogue.for_kind(platform.kind)
    if not codes:
        return available
    wanted = set(codes)
    known = {indicator.code for indicator in available}
    if wanted - known:
        raise field_error(
            "/query/indicator",
            "unknown_indicator",
            "No such indicator for this platform; GET /api/v1/indicators lists them.",
        )
    return tuple(indicator for indicator in available if indicator.code in wanted)


@dataclass(frozen=True)
class Read:
    """A report with what the exports need beside it: the platform (its names) and whether
    the caller sees breakdowns below district level."""

    platform: Platform
    fine: bool
    report: IndicatorReport


def read(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    start: date | None,
    end: date | None,
    codes: list[str] | None = None,
) -> Read:
    platform, fine = readable_platform(session, access, platform_id)
    check_period(start, end)
    chosen = selected(platform, codes)
    return Read(platform, fine, compute_report(session, platform, start, end, chosen, fine=fine))


def compute_report(
    session: Session,
    platform: Platform,
    start: date | None,
    end: date | None,
    chosen: tuple[Indicator, ...],
    *,
    fine: bool,
) -> IndicatorReport:
    period = values.Period(start, end, platform.time_zone)
    raws, labels = values.compute(session, platform, period)
    targets = {
        t.indicator_code: t
        for t in session.exec(
            select(InclusionTarget)
            .where(InclusionTarget.platform_id == platform.id)
            .where(col(InclusionTarget.indicator_code).in_([i.code for i in chosen]))
        ).all()
    }
    rows = []
    for indicator in chosen:
        raw = raws.get(indicator.code, values.Raw(None))
        value, suppressed, breakdowns = _publish(indicator, raw, raws, labels, fine=fine)
        target = targets.get(indicator.code)
        applies = target is not None and _overlaps(target, start, end)
        goal = target.target_value if target is not None and applies else None
        rows.append(
            IndicatorValue(
                code=indicator.code,
                title=indicator.title,
                title_km=indicator.title_km,
                unit=indicator.unit,
                direction=indicator.direction,
                value=value,
                suppressed=suppressed,
                baseline=target.baseline if target is not None and applies else None,
                target=goal,
                target_period_start=target.period_start if target is not None and applies else None,
                target_period_end=target.period_end if target is not None and applies else None,
                met=_met(indicator, value, goal),
                breakdowns=breakdowns,
            )
        )
    return IndicatorReport(
        platform_id=platform.id,
        period_from=start,
        period_to=end,
        indicators=rows,
    )


def _overlaps(target: InclusionTarget, start: date | None, end: date | None) -> bool:
    """A target applies to a period its own overlaps (or to any, without a period)."""
    if target.period_start is not None and end is not None and end < target.period_start:
        return False
    return not (target.period_end is not None and start is not None and start > target.period_end)


def _met(indicator: Indicator, value: float | None, target: float | None) -> bool | None:
    if value is None or target is None:
        return None
    return value <= target if indicator.direction is Direction.down else value >= target


def _fits(part: int, whole: int) -> bool:
    """A part and the rest of a whole may both be published."""
    return not disclosure.small(part) and not disclosure.small(whole - part)


def _publish(
    indicator: Indicator,
    raw: values.Raw,
    raws: dict[str, values.Raw],
    labels: values.Labels,
    *,
    fine: bool,
) -> tuple[float | None, bool, list[IndicatorBreakdown]]:
    value = raw.value
    hidden = False
    if indicator.unit is Unit.share and raw.part is not None and raw.whole is not None:
        hidden = raw.whole < disclosure.THRESHOLD or not _fits(raw.part, raw.whole)
    elif indicator.unit is Unit.hours:
        hidden = (raw.whole or 0) < disclosure.THRESHOLD
    elif indicator.code in _REFERRAL_PARTS and value is not None:
        made = raws["referrals_made"].value or 0
        hidden = not _fits(int(value), int(made))
    breakdowns = []
    for dimension in indicator.breakdowns:
        if dimension in BELOW_DISTRICT and not fine:
            continue
        counts = {k: n for k, n in raw.breakdowns.get(dimension, {}).items() if n > 0}
        if indicator.of_people:
            # Strategies overlap (a person in two): those cells have no total.
            total = None if dimension == "strategy" else int(value or 0)
            cells, published = disclosure.suppress(counts, total=total)
            if total is not None and published is None:
                hidden = True
            shown = [(c.key, c.count, c.suppressed) for c in cells]
        else:
            shown = [(k, n, False) for k, n in sorted(counts.items())]
        breakdowns.append(
            IndicatorBreakdown(
                dimension=dimension,
                cells=[
                    IndicatorCell(
                        key=key,
                        label=labels.names.get(key, (None, None))[0],
                        label_km=labels.names.get(key, (None, None))[1],
                        count=count,
                        suppressed=was_hidden,
                    )
                    for key, count, was_hidden in shown
                ],
            )
        )
    if indicator.of_people and value is not None:
        hidden = hidden or disclosure.small(int(value))
    if hidden:
        return None, True, breakdowns
    return value, False, breakdowns


def dimensions(platform: Platform, *, fine: bool) -> list[str]:
    """The breakdowns of the platform's indicators, in catalogue order (a sheet each)."""
    seen: list[str] = []
    for indicator in catalogue.for_kind(platform.kind):
        for dimension in indicator.breakdowns:
            if dimension not in seen and (fine or dimension not in BELOW_DISTRICT):
                seen.append(dimension)
    return seen


def exact_targets(
    session: Session, platform: Platform
) -> list[tuple[InclusionTarget, float, bool]]:
    """Each target of the platform with a value to compare, over all time: the target, the
    exact value and whether it is met, by the same rules as the indicators (for the
    secretariat's working views; published reports go through ``compute_report``)."""
    raws, _ = values.compute(session, platform, values.Period(None, None, platform.time_zone))
    found = []
    for target in session.exec(
        select(InclusionTarget)
        .where(InclusionTarget.platform_id == platform.id)
        .order_by(col(InclusionTarget.indicator_code))
    ).all():
        indicator = catalogue.BY_CODE.get(target.indicator_code)
        raw = raws.get(target.indicator_code)
        if (
            indicator is None
            or raw is None
            or raw.value is None
            or not _overlaps(target, None, None)
        ):
            continue
        met = _met(indicator, raw.value, target.target_value)
        found.append((target, raw.value, bool(met)))
    return found
