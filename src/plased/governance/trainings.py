"""Capacity building: trainings are meetings of kind ``training``; their reach is the number
of distinct people marked **present** at the trainings of a platform's bodies.

- A training counts in a period when its start, as a day in the meeting's time zone, lies in
  the period (both ends included). Cancelled trainings never count.
- A person trained twice counts once. Every breakdown but the audience one classifies a
  person by their first training of the period (earliest start): youth is their age that
  year against the regulations; the stakeholder kind and district are those of the
  organisation they attended for (``individual`` / ``unknown`` without one). So each of those
  breakdowns adds up to the total, and complementary suppression holds.
- Per audience, a person is counted in every audience they were trained for.
- The secretariat sees exact counts; everyone else sees every count of people through
  ``plased.disclosure``.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from plased import disclosure
from plased.access import Access, platform_in_reach
from plased.errors import field_error
from plased.governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from plased.governance.schemas import DistrictReachCell, ReachCell, TrainingReach
from plased.members.models import AdminUnit, Gender, Organisation, Person
from plased.platforms.service import current_regulations, is_youth
from plased.schemas import Warning

# The programme's target (DESIGN §1): about 110 people trained. The women's share compared
# with it is the regulations' ``min_women_share`` (0.40 by default).
PEOPLE_TRAINED_TARGET = 110
INDIVIDUAL = "individual"
UNKNOWN = "unknown"
PROVINCIAL = "provincial"
UNSPECIFIED = "unspecified"
_DISTRICT_CODE = 4  # admin unit codes: province 2 digits, district 4, commune 6


@dataclass
class _Trainee:
    person_id: uuid.UUID
    first_day: date
    organisation_id: uuid.UUID | None
    audiences: set[str] = field(default_factory=set)


def _trainees(
    session: Session, platform_id: uuid.UUID, start: date | None, end: date | None
) -> tuple[dict[uuid.UUID, _Trainee], int]:
    """Each person present at a training of the period, with their first training; and the
    number of trainings with someone present."""
    statement = (
        select(Attendance, Meeting)
        .join(Meeting, col(Meeting.id) == Attendance.meeting_id)
        .join(Body, col(Body.id) == Meeting.body_id)
        .where(Body.platform_id == platform_id)
        .where(Meeting.kind == MeetingKind.training)
        .where(Meeting.status != MeetingStatus.cancelled)
        .where(Attendance.status == AttendanceStatus.present)
    )
    # A day wide on either side in UTC (time zones); the exact local day is checked below.
    if start is not None:
        lower = datetime.combine(start, time(), tzinfo=UTC) - timedelta(days=1)
        statement = statement.where(col(Meeting.starts_at) >= lower)
    if end is not None:
        upper = datetime.combine(end, time(), tzinfo=UTC) + timedelta(days=2)
        statement = statement.where(col(Meeting.starts_at) < upper)
    rows = []
    for attendance, meeting in session.exec(statement).all():
        day = meeting.starts_at.astimezone(ZoneInfo(meeting.time_zone)).date()
        if (start is None or day >= start) and (end is None or day <= end):
            rows.append(
                (
                    meeting.starts_at,
                    str(meeting.id),
                    day,
                    attendance.person_id,
                    attendance.organisation_id,
                    meeting.audience,
                )
            )
    rows.sort(key=lambda row: (row[0], row[1]))
    trainees: dict[uuid.UUID, _Trainee] = {}
    for _, _, day, person_id, organisation_id, audience in rows:
        trainee = trainees.setdefault(person_id, _Trainee(person_id, day, organisation_id))
        trainee.audiences.add(audience or UNSPECIFIED)
    return trainees, len({row[1] for row in rows})


def reach(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    start: date | None,
    end: date | None,
) -> TrainingReach:
    platform_in_reach(session, access, platform_id)
    if start is not None and end is not None and end < start:
        raise field_error("/query/to", "period_inverted", "The period ends before it starts.")
    rules = current_regulations(session, platform_id)
    trainees, trainings = _trainees(session, platform_id, start, end)
    people = {
        p.id: p
        for p in session.exec(select(Person).where(col(Person.id).in_(list(trainees)))).all()
    }
    organisations = {
        o.id: o
        for o in session.exec(
            select(Organisation).where(
                col(Organisation.id).in_({t.organisation_id for t in trainees.values()})
            )
        ).all()
    }
    units = _units(session, {o.unit_id for o in organisations.values() if o.unit_id})
    gender: Counter[str] = Counter()
    youth: Counter[str] = Counter()
    indigenous: Counter[str] = Counter()
    kind: Counter[str] = Counter()
    district: Counter[str] = Counter()
    audience: Counter[str] = Counter()
    for trainee in trainees.values():
        person = people[trainee.person_id]
        gender[person.gender] += 1
        young = is_youth(rules, person.birth_year, year=trainee.first_day.year)
        youth[UNKNOWN if young is None else "youth" if young else "not_youth"] += 1
        indigenous["indigenous" if person.indigenous_group else "not_indigenous"] += 1
        organisation = (
            organisations.get(trainee.organisation_id) if trainee.organisation_id else None
        )
        kind[organisation.kind if organisation else INDIVIDUAL] += 1
        unit = units.get(organisation.unit_id) if organisation and organisation.unit_id else None
        district[_district_key(unit)] += 1
        audience.update(trainee.audiences)
    total = len(trainees)
    exact = access.manages(platform_id)
    breakdowns = {
        "gender": gender,
        "youth": youth,
        "indigenous": indigenous,
        "kind": kind,
        "district": district,
    }
    shown: dict[str, list[ReachCell]] = {}
    shown_total: int | None = total
    for name, counts in breakdowns.items():
        cells, published = _cells(counts, total, exact)
        shown[name] = cells
        if published is None:
            shown_total = None
    audiences, _ = _cells(audience, None, exact)
    women = gender.get(Gender.female, 0)
    share = round(women / total, 4) if total else None
    women_cell = next((c for c in shown["gender"] if c.key == Gender.female), None)
    shown_share = (
        share if shown_total is not None and not (women_cell and women_cell.suppressed) else None
    )
    names = {u.code: u for u in units.values() if len(u.code) == _DISTRICT_CODE}
    return TrainingReach(
        platform_id=platform_id,
        period_from=start,
        period_to=end,
        trainings=trainings,
        people=shown_total,
        women_share=shown_share,
        target_people=PEOPLE_TRAINED_TARGET,
        min_women_share=rules.min_women_share,
        by_gender=shown["gender"],
        by_youth=shown["youth"],
        by_indigenous=shown["indigenous"],
        by_stakeholder_kind=shown["kind"],
        by_district=[
            DistrictReachCell(
                **cell.model_dump(),
                name=names[cell.key].name if cell.key in names else None,
                name_km=names[cell.key].name_km if cell.key in names else None,
            )
            for cell in shown["district"]
        ],
        by_audience=audiences,
        exact=exact,
        warnings=_warnings(total, share, rules.min_women_share),
    )


def _units(session: Session, unit_ids: set[uuid.UUID]) -> dict[uuid.UUID, AdminUnit]:
    """The organisations' units and the districts that hold them."""
    found = {
        u.id: u for u in session.exec(select(AdminUnit).where(col(AdminUnit.id).in_(unit_ids)))
    }
    codes = {u.code[:_DISTRICT_CODE] for u in found.values() if len(u.code) >= _DISTRICT_CODE}
    districts = session.exec(select(AdminUnit).where(col(AdminUnit.code).in_(codes))).all()
    return {**found, **{d.id: d for d in districts}}


def _district_key(unit: AdminUnit | None) -> str:
    if unit is None:
        return UNKNOWN
    if len(unit.code) < _DISTRICT_CODE:
        return PROVINCIAL
    return unit.code[:_DISTRICT_CODE]


def _cells(
    counts: Counter[str], total: int | None, exact: bool
) -> tuple[list[ReachCell], int | None]:
    present = {key: n for key, n in counts.items() if n > 0}
    if exact:
        return [
            ReachCell(key=k, count=n, suppressed=False) for k, n in sorted(present.items())
        ], total
    cells, published = disclosure.suppress(present, total=total)
    return [ReachCell(key=c.key, count=c.count, suppressed=c.suppressed) for c in cells], published


def _warnings(total: int, share: float | None, min_share: float) -> list[Warning]:
    warnings = []
    if total < PEOPLE_TRAINED_TARGET:
        warnings.append(
            Warning(
                code="people_trained_below_target",
                # No count in the text: it would bypass suppression.
                message=f"Fewer people trained than the programme's target of "
                f"{PEOPLE_TRAINED_TARGET}.",
            )
        )
    if share is not None and share < min_share:
        warnings.append(
            Warning(
                code="women_share_below_minimum",
                message=f"Women are fewer than {min_share:.0%} of the people trained, the "
                "regulations' minimum.",
            )
        )
    return warnings
