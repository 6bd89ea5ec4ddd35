"""The indicators' exact values over a period, each computed by SQL aggregates: grouped
counts come back, never the rows counted. What may be published of them (suppression,
breakdowns a caller may see) is decided in ``plased.reporting.indicators``.

A period is two days, both included, in the platform's time zone; either may be open.
- Events (a meeting held, a referral submitted, a strategy validated, an initiative approved)
  count when they happened in the period.
- States (an active membership, a seat, a published service) count when they held during the
  period, as far as the records can tell: a membership active now and approved by its end,
  a seat whose term overlaps it, a representative whose dates overlap it.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, union
from sqlalchemy import select as select_rows
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from plased.coss.models import Service, ServiceStatus
from plased.governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Seat,
)
from plased.initiatives.mapping_models import AdvocacyPlan, CboProfile, PlanStatus
from plased.initiatives.models import Commitment, CommitmentStatus, Initiative, InitiativeStatus
from plased.members.models import (
    AdminUnit,
    Gender,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Person,
    Representative,
)
from plased.platforms.models import Platform, PlatformKind, Regulations
from plased.platforms.service import current_regulations
from plased.referrals.models import Consent, Referral, ReferralStatus
from plased.valuechains.models import (
    Strategy,
    StrategyStatus,
    StrategyStep,
    StrategyStepMeeting,
    ValueChain,
)
from plased.vocabulary import BodyKind

UNKNOWN = "unknown"
PROVINCIAL = "provincial"
_DISTRICT, _COMMUNE = 4, 6  # lengths of admin unit codes
_ACCEPTED = (
    ReferralStatus.accepted,
    ReferralStatus.in_progress,
    ReferralStatus.completed,
    ReferralStatus.closed,
)
_ANSWERED = (*_ACCEPTED, ReferralStatus.declined)


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    time_zone: str

    def _instant(self, day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=ZoneInfo(self.time_zone)).astimezone(UTC)

    @property
    def lo(self) -> datetime | None:
        return self._instant(self.start) if self.start else None

    @property
    def hi(self) -> datetime | None:
        """The first instant after the period."""
        return self._instant(self.end + timedelta(days=1)) if self.end else None

    def during(self, column: Any) -> list[ColumnElement[bool]]:
        """An instant column within the period."""
        conditions: list[ColumnElement[bool]] = [column.is_not(None)]
        if self.lo is not None:
            conditions.append(column >= self.lo)
        if self.hi is not None:
            conditions.append(column < self.hi)
        return conditions

    def by_end(self, column: Any) -> list[ColumnElement[bool]]:
        """An instant column at or before the period's end."""
        conditions: list[ColumnElement[bool]] = [column.is_not(None)]
        if self.hi is not None:
            conditions.append(column < self.hi)
        return conditions

    def days(self, column: Any) -> list[ColumnElement[bool]]:
        """A date column within the period."""
        conditions: list[ColumnElement[bool]] = []
        if self.start is not None:
            conditions.append(column >= self.start)
        if self.end is not None:
            conditions.append(column <= self.end)
        return conditions

    @property
    def year(self) -> int:
        """The year ages are counted in (youth): the period's last, else this one."""
        return (self.end or datetime.now(ZoneInfo(self.time_zone)).date()).year


@dataclass
class Raw:
    """An indicator's exact value; for counts of people or organisations, its breakdowns
    (dimension -> key -> count); for shares, the part and the whole it was computed from."""

    value: float | None
    breakdowns: dict[str, dict[str, int]] = field(default_factory=dict)
    part: int | None = None
    whole: int | None = None


@dataclass
class Labels:
    """Names of breakdown keys that are ids or codes: (English, Khmer)."""

    names: dict[str, tuple[str, str | None]] = field(default_factory=dict)


def compute(session: Session, platform: Platform, period: Period) -> tuple[dict[str, Raw], Labels]:
    """Every indicator of the platform's kind, and the names of the breakdowns' keys."""
    rules = current_regulations(session, platform.id)
    labels = Labels()
    raws: dict[str, Raw] = {}
    raws.update(_people_indicators(session, platform.id, period, rules))
    raws.update(_organisations(session, platform.id, period, labels))
    if platform.kind == PlatformKind.plased:
        raws.update(_strategies(session, platform.id, period, labels))
        raws.update(_initiatives(session, platform.id, period))
        raws.update(_advocacy(session, platform.id, period))
    else:
        raws.update(_services(session, platform.id, period))
        raws.update(_referrals(session, platform.id, period, labels))
    return raws, labels


# -- people --------------------------------------------------------------------------------


def _present_at_meetings(platform_id: uuid.UUID, period: Period) -> SelectOfScalar[uuid.UUID]:
    return (
        select(Attendance.person_id)
        .join(Meeting, col(Meeting.id) == Attendance.meeting_id)
        .join(Body, col(Body.id) == Meeting.body_id)
        .where(Body.platform_id == platform_id)
        .where(Meeting.status != MeetingStatus.cancelled)
        .where(Attendance.status == AttendanceStatus.present)
        .where(*period.during(col(Meeting.starts_at)))
    )


def _active_members(platform_id: uuid.UUID, period: Period) -> SelectOfScalar[uuid.UUID]:
    statement = (
        select(Membership.organisation_id)
        .where(Membership.platform_id == platform_id)
        .where(Membership.status == MembershipStatus.active)
    )
    if period.hi is None:
        return statement
    # Admitted by the period's end; a membership without a decision date counts as ever active.
    decided = col(Membership.decided_at)
    return statement.where(or_(decided.is_(None), decided < period.hi))


def _representatives(platform_id: uuid.UUID, period: Period) -> SelectOfScalar[uuid.UUID]:
    statement = select(Representative.person_id).where(
        col(Representative.organisation_id).in_(_active_members(platform_id, period))
    )
    if period.start is not None:
        statement = statement.where(
            or_(
                col(Representative.end_date).is_(None), col(Representative.end_date) >= period.start
            )
        )
    else:
        statement = statement.where(col(Representative.end_date).is_(None))
    if period.end is not None:
        statement = statement.where(col(Representative.start_date) <= period.end)
    return statement


def engaged_people(platform_id: uuid.UUID, period: Period) -> Any:
    """People engaged: present at any meeting of the platform's bodies in the period, or
    representing an active member organisation during it (a subquery of person ids)."""
    return union(_present_at_meetings(platform_id, period), _representatives(platform_id, period))


def person_breakdowns(
    session: Session, people: Any, rules: Regulations, year: int
) -> dict[str, dict[str, int]]:
    """Gender, youth, indigenous and disability of the distinct persons in ``people`` (a
    subquery of person ids), from one grouped query."""
    age = literal(year) - col(Person.birth_year)
    classified = (
        select(
            col(Person.gender).label("gender"),
            case(
                (col(Person.birth_year).is_(None), UNKNOWN),
                (and_(age >= rules.youth_min_age, age <= rules.youth_max_age), "youth"),
                else_="not_youth",
            ).label("youth"),
            case(
                (
                    and_(
                        col(Person.indigenous_group).is_not(None),
                        col(Person.indigenous_group) != "",
                    ),
                    "indigenous",
                ),
                else_="not_indigenous",
            ).label("indigenous"),
            case(
                (col(Person.has_disability).is_(True), "disability"),
                (col(Person.has_disability).is_(False), "no_disability"),
                else_=UNKNOWN,
            ).label("disability"),
        )
        .where(col(Person.id).in_(people))
        .subquery()
    )
    dimensions = ("gender", "youth", "indigenous", "disability")
    grouped = session.execute(
        select_rows(*(classified.c[d] for d in dimensions), func.count()).group_by(
            *(classified.c[d] for d in dimensions)
        )
    ).all()
    counts: dict[str, Counter[str]] = {d: Counter() for d in dimensions}
    for row in grouped:
        for i, dimension in enumerate(dimensions):
            counts[dimension][str(row[i])] += int(row[-1])
    return {d: dict(c) for d, c in counts.items()}


def _people(
    session: Session, people: Any, rules: Regulations, year: int, share_code: str, code: str
) -> dict[str, Raw]:
    breakdowns = person_breakdowns(session, people, rules, year)
    total = sum(breakdowns["gender"].values())
    women = breakdowns["gender"].get(Gender.female, 0)
    return {
        code: Raw(float(total), breakdowns),
        share_code: Raw(round(women / total, 4) if total else None, part=women, whole=total),
    }


def _people_indicators(
    session: Session, platform_id: uuid.UUID, period: Period, rules: Regulations
) -> dict[str, Raw]:
    engaged = engaged_people(platform_id, period)
    trained = _present_at_meetings(platform_id, period).where(Meeting.kind == MeetingKind.training)
    raws = _people(session, engaged, rules, period.year, "women_share", "people_engaged")
    raws.update(
        _people(session, trained, rules, period.year, "trained_women_share", "people_trained")
    )
    seats = select(Seat.person_id).join(Body, col(Body.id) == Seat.body_id)
    seats = seats.where(Body.platform_id == platform_id).where(
        Body.kind == BodyKind.executive_board
    )
    if period.start is not None:
        seats = seats.where(col(Seat.term_end) >= period.start)
    if period.end is not None:
        seats = seats.where(col(Seat.term_start) <= period.end)
    board = _people(session, seats, rules, period.year, "board_women_share", "_board")
    raws["board_women_share"] = board["board_women_share"]
    return raws


# -- organisations -------------------------------------------------------------------------


def _unit_key(width: int) -> Any:
    return case(
        (col(AdminUnit.code).is_(None), UNKNOWN),
        (func.length(AdminUnit.code) < width, PROVINCIAL if width == _DISTRICT else "above"),
        else_=func.substr(AdminUnit.code, 1, width),
    )


def _organisations(
    session: Session, platform_id: uuid.UUID, period: Period, labels: Labels
) -> dict[str, Raw]:
    classified = (
        select_rows(
            col(Organisation.kind).label("kind"),
            func.coalesce(Organisation.sector, "").label("sector"),
            func.coalesce(Organisation.la_level, "").label("level"),
            _unit_key(_DISTRICT).label("district"),
            _unit_key(_COMMUNE).label("commune"),
        )
        .outerjoin(AdminUnit, col(AdminUnit.id) == Organisation.unit_id)
        .where(col(Organisation.id).in_(_active_members(platform_id, period)))
        .subquery()
    )
    c = classified.c
    rows = session.execute(
        select_rows(c.kind, c.sector, c.level, c.district, c.commune, func.count()).group_by(
            c.kind, c.sector, c.level, c.district, c.commune
        )
    ).all()
    kind: Counter[str] = Counter()
    sector: Counter[str] = Counter()
    level: Counter[str] = Counter()
    district: Counter[str] = Counter()
    commune: Counter[str] = Counter()
    for k, s, lv, d, cm, n in rows:
        kind[k] += n
        district[d] += n
        commune[cm] += n
        if k == OrganisationKind.cso and s:
            sector[s] += n
        if k == OrganisationKind.local_authority and lv:
            level[lv] += n
    name_units(session, labels, set(district) | set(commune))
    raws = {
        "member_organisations": Raw(
            float(sum(kind.values())),
            {"stakeholder_kind": dict(kind), "district": dict(district), "commune": dict(commune)},
        ),
        "coss_member_csos": Raw(float(kind[OrganisationKind.cso])),
        "coss_member_sesps": Raw(float(kind[OrganisationKind.service_provider])),
        "coss_member_las": Raw(float(kind[OrganisationKind.local_authority])),
    }
    for s in ("agriculture", "environment", "indigenous", "social_development", "cbo"):
        raws[f"member_csos_{s}"] = Raw(float(sector[s]))
    for lv in ("provincial", "district", "commune"):
        raws[f"member_las_{lv}"] = Raw(float(level[lv]))
    return raws


def name_units(session: Session, labels: Labels, codes: set[str]) -> None:
    wanted = {code for code in codes if code.isdigit()}
    if wanted:
        for code, name, name_km in session.exec(
            select(AdminUnit.code, AdminUnit.name, AdminUnit.name_km).where(
                col(AdminUnit.code).in_(wanted)
            )
        ).all():
            labels.names[code] = (name, name_km)


# -- value chains, initiatives, advocacy ----------------------------------------------------


def _strategies(
    session: Session, platform_id: uuid.UUID, period: Period, labels: Labels
) -> dict[str, Raw]:
    counted = (
        select(Strategy.id)
        .join(ValueChain, col(ValueChain.id) == Strategy.value_chain_id)
        .where(ValueChain.platform_id == platform_id)
        .where(col(Strategy.status).in_((StrategyStatus.validated, StrategyStatus.published)))
        .where(*period.during(col(Strategy.validated_at)))
    )
    chains = session.exec(
        select(func.count(func.distinct(Strategy.value_chain_id))).where(
            col(Strategy.id).in_(counted)
        )
    ).one()
    participants = (
        select(StrategyStep.strategy_id, Attendance.person_id)
        .join(StrategyStepMeeting, col(StrategyStepMeeting.step_id) == StrategyStep.id)
        .join(Attendance, col(Attendance.meeting_id) == StrategyStepMeeting.meeting_id)
        .where(col(StrategyStep.strategy_id).in_(counted))
        .where(Attendance.status == AttendanceStatus.present)
        .distinct()
        .subquery()
    )
    per_strategy = dict(
        session.execute(
            select(participants.c.strategy_id, func.count()).group_by(participants.c.strategy_id)
        ).all()
    )
    titles = session.exec(
        select(Strategy.id, Strategy.title, Strategy.title_km).where(col(Strategy.id).in_(counted))
    ).all()
    cells: dict[str, int] = {}
    for strategy_id, title, title_km in titles:
        cells[str(strategy_id)] = int(per_strategy.get(strategy_id, 0))
        labels.names[str(strategy_id)] = (title, title_km)
    people = select(participants.c.person_id)
    gender = dict(
        session.execute(
            select(Person.gender, func.count())
            .where(col(Person.id).in_(people))
            .group_by(col(Person.gender))
        ).all()
    )
    whole = sum(gender.values())
    women = int(gender.get(Gender.female, 0))
    return {
        "value_chain_strategies": Raw(float(chains)),
        "strategy_participants_min": Raw(
            float(min(cells.values())) if cells else None, {"strategy": cells}
        ),
        "strategy_women_share": Raw(
            round(women / whole, 4) if whole else None, part=women, whole=whole
        ),
    }


def _flag(condition: ColumnElement[bool]) -> Any:
    return case((condition, 1), else_=0)


def _count_if(*conditions: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((and_(*conditions), 1), else_=0)), 0)


def _initiatives(session: Session, platform_id: uuid.UUID, period: Period) -> dict[str, Raw]:
    supported = (
        InitiativeStatus.approved,
        InitiativeStatus.in_progress,
        InitiativeStatus.completed,
    )
    row = session.execute(
        select_rows(
            _count_if(
                col(Initiative.status).in_(supported), *period.by_end(col(Initiative.approved_at))
            ),
            _count_if(*period.during(col(Initiative.approved_at))),
            _count_if(
                col(Initiative.status) == InitiativeStatus.in_progress,
                *period.by_end(col(Initiative.started_at)),
            ),
            _count_if(
                col(Initiative.status) == InitiativeStatus.completed,
                *period.during(col(Initiative.ended_at)),
            ),
        ).where(col(Initiative.platform_id) == platform_id)
    ).one()
    codes = (
        "strategic_initiatives",
        "initiatives_approved",
        "initiatives_in_progress",
        "initiatives_completed",
    )
    return {code: Raw(float(n)) for code, n in zip(codes, row, strict=True)}


def _advocacy(session: Session, platform_id: uuid.UUID, period: Period) -> dict[str, Raw]:
    mapped = session.exec(
        select(func.count())
        .select_from(CboProfile)
        .where(CboProfile.platform_id == platform_id)
        .where(*period.during(col(CboProfile.created_at)))
    ).one()
    plans = session.execute(
        select_rows(
            _count_if(*period.during(col(AdvocacyPlan.created_at))),
            _count_if(
                col(AdvocacyPlan.status) == PlanStatus.taken_up,
                *period.during(col(AdvocacyPlan.decided_at)),
            ),
        ).where(col(AdvocacyPlan.platform_id) == platform_id)
    ).one()
    made = session.execute(
        select_rows(
            func.count(),
            _count_if(col(Commitment.status) == CommitmentStatus.fulfilled),
        )
        .where(col(Commitment.platform_id) == platform_id)
        .where(*period.days(col(Commitment.made_on)))
    ).one()
    return {
        "cbos_mapped": Raw(float(mapped)),
        "advocacy_plans": Raw(float(plans[0])),
        "advocacy_plans_taken_up": Raw(float(plans[1])),
        "commitments_made": Raw(float(made[0])),
        "commitments_implemented": Raw(float(made[1])),
    }


# -- services and referrals ----------------------------------------------------------------


def _services(session: Session, platform_id: uuid.UUID, period: Period) -> dict[str, Raw]:
    published = session.exec(
        select(func.count())
        .select_from(Service)
        .where(Service.platform_id == platform_id)
        .where(Service.status == ServiceStatus.published)
        .where(*period.by_end(col(Service.created_at)))
    ).one()
    return {"services_published": Raw(float(published))}


def _reported(platform_id: uuid.UUID, period: Period) -> list[ColumnElement[bool]]:
    """Referrals of the platform submitted in the period, consented for reporting."""
    consented = select(Consent.referral_id).where(col(Consent.reporting).is_(True))
    return [
        col(Referral.platform_id) == platform_id,
        *period.during(col(Referral.submitted_at)),
        col(Referral.id).in_(consented),
    ]


def _seconds(session: Session, start: Any, end: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400


def _referrals(
    session: Session, platform_id: uuid.UUID, period: Period, labels: Labels
) -> dict[str, Raw]:
    reported = _reported(platform_id, period)
    now = datetime.now(UTC)
    overdue_now = or_(
        and_(
            col(Referral.responded_at).is_not(None),
            col(Referral.respond_by).is_not(None),
            col(Referral.responded_at) > col(Referral.respond_by),
        ),
        and_(col(Referral.status) == ReferralStatus.submitted, col(Referral.respond_by) < now),
    )
    referrer = aliased(Organisation)
    # One pass over the period's referrals: the breakdowns' keys and a flag per count.
    classified = (
        select_rows(
            col(Referral.client_gender).label("gender"),
            _unit_key(_DISTRICT).label("district"),
            func.coalesce(referrer.kind, UNKNOWN).label("kind"),
            _flag(col(Referral.status).in_(_ACCEPTED)).label("accepted"),
            _flag(col(Referral.status) == ReferralStatus.completed).label("completed"),
            _flag(
                and_(col(Referral.status).in_(_ANSWERED), col(Referral.responded_at).is_not(None))
            ).label("answered"),
            _flag(overdue_now).label("overdue"),
        )
        .outerjoin(AdminUnit, col(AdminUnit.id) == Referral.district_id)
        .outerjoin(referrer, col(referrer.id) == col(Referral.from_organisation_id))
        .where(*reported)
        .subquery()
    )
    c = classified.c
    gender: Counter[str] = Counter()
    district: Counter[str] = Counter()
    kind: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    for g, d, k, n, *counts in session.execute(
        select_rows(
            c.gender,
            c.district,
            c.kind,
            func.count(),
            func.sum(c.accepted),
            func.sum(c.completed),
            func.sum(c.answered),
            func.sum(c.overdue),
        ).group_by(c.gender, c.district, c.kind)
    ).all():
        gender[g] += n
        district[d] += n
        kind[k] += n
        for name, count in zip(
            ("accepted", "completed", "answered", "overdue"), counts, strict=True
        ):
            flags[name] += int(count or 0)
    made = sum(gender.values())
    accepted, completed = flags["accepted"], flags["completed"]
    answered, overdue = flags["answered"], flags["overdue"]
    name_units(session, labels, set(district))
    accepted_rate = round(accepted / answered, 4) if answered else None
    return {
        "referrals_made": Raw(
            float(made),
            {"gender": dict(gender), "district": dict(district), "stakeholder_kind": dict(kind)},
        ),
        "referrals_accepted": Raw(float(accepted)),
        "referrals_completed": Raw(float(completed)),
        "referral_acceptance_rate": Raw(accepted_rate, part=accepted, whole=answered),
        "referral_median_response_hours": Raw(
            _median_response_hours(session, reported, answered), whole=answered
        ),
        "referrals_overdue": Raw(float(overdue)),
    }


def _median_response_hours(
    session: Session, reported: list[ColumnElement[bool]], answered: int
) -> float | None:
    """The median by the database's ordering: the middle one or two durations only."""
    if answered == 0:
        return None
    seconds = _seconds(session, col(Referral.submitted_at), col(Referral.responded_at))
    middle = session.execute(
        select(seconds.label("seconds"))
        .where(*reported)
        .where(col(Referral.status).in_(_ANSWERED))
        .where(col(Referral.responded_at).is_not(None))
        .order_by(seconds)
        .offset((answered - 1) // 2)
        .limit(1 if answered % 2 else 2)
    ).all()
    values = [float(row[0]) for row in middle]
    return round(sum(values) / len(values) / 3600, 1)
