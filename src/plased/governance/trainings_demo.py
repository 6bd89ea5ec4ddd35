"""Demo capacity building for PLASED Ratanakiri: six trainings over the last months, for the
board, COSS members, service providers and communities, reaching about 110 distinct people
(half of them women): representatives of member organisations attending for them, and
villagers attending on their own. Idempotent: nothing is added once a training exists."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from plased.governance.demo import _at
from plased.governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Seat,
    TrainingAudience,
)
from plased.members.demo import DEMO_YEAR, FAMILY, FEMALE, INDIGENOUS, MALE
from plased.members.models import (
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Person,
    Representative,
)
from plased.platforms.models import Platform
from plased.text import name_key
from plased.vocabulary import BodyKind

VILLAGERS = 10  # community members trained who represent no organisation
PEOPLE_WANTED = 110


@dataclass(frozen=True)
class _Session:
    days_ago: int
    title: str
    title_km: str
    topic: str
    topic_km: str
    audience: TrainingAudience
    place: str


SESSIONS = (
    _Session(
        150,
        "Training: inclusive governance for board members",
        "វគ្គបណ្តុះបណ្តាល៖ អភិបាលកិច្ចបរិយាប័ន្ន",
        "Inclusive governance and facilitation",
        "អភិបាលកិច្ចបរិយាប័ន្ន និងការសម្របសម្រួល",
        TrainingAudience.board,
        "Provincial Hall, Ban Lung",
    ),
    _Session(
        120,
        "Training: the COSS referral system (1)",
        "វគ្គបណ្តុះបណ្តាល៖ ប្រព័ន្ធបញ្ជូនបន្ត (១)",
        "Referrals, consent and data protection",
        "ការបញ្ជូនបន្ត ការយល់ព្រម និងការការពារទិន្នន័យ",
        TrainingAudience.coss_members,
        "Provincial Hall, Ban Lung",
    ),
    _Session(
        90,
        "Training: the COSS referral system (2)",
        "វគ្គបណ្តុះបណ្តាល៖ ប្រព័ន្ធបញ្ជូនបន្ត (២)",
        "Referrals, consent and data protection",
        "ការបញ្ជូនបន្ត ការយល់ព្រម និងការការពារទិន្នន័យ",
        TrainingAudience.coss_members,
        "Provincial Hall, Ban Lung",
    ),
    _Session(
        60,
        "Training: serving women, youth and indigenous clients",
        "វគ្គបណ្តុះបណ្តាល៖ សេវាសម្រាប់ស្ត្រី យុវជន និងជនជាតិដើមភាគតិច",
        "Inclusive service delivery",
        "ការផ្តល់សេវាបរិយាប័ន្ន",
        TrainingAudience.providers,
        "Ratanakiri Vocational Training Centre",
    ),
    _Session(
        40,
        "Community training: cashew quality and collective sales",
        "វគ្គបណ្តុះបណ្តាលសហគមន៍៖ គុណភាពស្វាយចន្ទី",
        "Cashew quality and collective sales",
        "គុណភាពស្វាយចន្ទី និងការលក់រួមគ្នា",
        TrainingAudience.communities,
        "Commune hall, Lumphat",
    ),
    _Session(
        20,
        "Community training: rights and local services",
        "វគ្គបណ្តុះបណ្តាលសហគមន៍៖ សិទ្ធិ និងសេវាមូលដ្ឋាន",
        "Rights and local services",
        "សិទ្ធិ និងសេវាមូលដ្ឋាន",
        TrainingAudience.communities,
        "Commune hall, O Chum",
    ),
)


Row = tuple[uuid.UUID, uuid.UUID | None, str]  # person, organisation attended for, status


def seed_trainings(session: Session, plased: Platform, coss: Platform) -> None:
    bodies = {
        b.kind: b for b in session.exec(select(Body).where(Body.platform_id == plased.id)).all()
    }
    board = bodies.get(BodyKind.executive_board)
    assembly = bodies.get(BodyKind.general_assembly)
    if board is None or assembly is None:
        return
    if session.exec(
        select(Meeting.id)
        .join(Body, col(Body.id) == Meeting.body_id)
        .where(Body.platform_id == plased.id, Meeting.kind == MeetingKind.training)
    ).first():
        return
    # Primary representatives first, then alternates: one of each organisation comes first.
    reps = _representatives(session, plased)
    in_coss = _representatives(session, coss)
    coss_members = [r for r, kind in in_coss if kind != OrganisationKind.service_provider]
    providers = [r for r, kind in reps if kind == OrganisationKind.service_provider]
    seats = session.exec(select(Seat).where(Seat.body_id == board.id)).all()
    trainer = providers[0][0] if providers else None

    def rows(found: list[tuple[uuid.UUID, uuid.UUID]], status: str = "present") -> list[Row]:
        return [(person, organisation, status) for person, organisation in found]

    sheets: list[list[Row]] = [
        [(s.person_id, s.organisation_id, "present") for s in seats],
        rows(coss_members[0:24]) + rows(coss_members[24:25], "absent"),
        rows(coss_members[16:36]) + rows(coss_members[36:37], "excused"),
        rows(providers[1:19]) + rows(providers[19:21], "absent"),
    ]
    chosen = {person for sheet in sheets for person, _, status in sheet if status == "present"}
    chosen.add(providers[0][0])  # the trainer
    communes = [r for r, kind in reps if kind == "commune" and r[0] not in chosen]
    community = communes[: max(PEOPLE_WANTED - VILLAGERS - len(chosen), 0)]
    villagers: list[Row] = [(p.id, None, "present") for p in _villagers(session, plased)]
    half = len(community) // 2
    sheets.append(rows(community[:half]) + villagers[:5])
    # One comes back for the second session: still one person trained.
    sheets.append(rows(community[half:]) + villagers[5:] + rows(community[:1]))
    today = date.today()
    for spec, sheet in zip(SESSIONS, sheets, strict=True):
        day = today - timedelta(days=spec.days_ago)
        meeting = Meeting(
            body_id=(board if spec.audience == TrainingAudience.board else assembly).id,
            kind=MeetingKind.training,
            title=spec.title,
            title_km=spec.title_km,
            topic=spec.topic,
            topic_km=spec.topic_km,
            trainer_person_id=trainer,
            audience=spec.audience,
            starts_at=_at(day, 8),
            ends_at=_at(day, 16),
            place=spec.place,
            status=MeetingStatus.closed,
        )
        session.add(meeting)
        session.flush()
        for person, organisation, status in sheet:
            session.add(
                Attendance(
                    meeting_id=meeting.id,
                    person_id=person,
                    organisation_id=organisation,
                    status=status,
                    checked_in_at=_at(day, 8) if status == AttendanceStatus.present else None,
                )
            )
    session.flush()


def _representatives(
    session: Session, platform: Platform
) -> list[tuple[tuple[uuid.UUID, uuid.UUID], str]]:
    """(person, organisation) of the current representatives of the platform's active members,
    primary representatives before alternates, with a coarse kind: the organisation's, but
    `la` for the province and districts and `commune` for commune councils. Sorted here, not
    by the database: collations differ, the demo must not."""
    rows = session.exec(
        select(Representative, Organisation)
        .join(Organisation, col(Organisation.id) == Representative.organisation_id)
        .join(Membership, col(Membership.organisation_id) == Organisation.id)
        .where(col(Representative.end_date).is_(None))
        .where(Membership.platform_id == platform.id)
        .where(Membership.status == MembershipStatus.active)
    ).all()
    result = []
    seen: set[uuid.UUID] = set()
    for rep, org in sorted(rows, key=lambda r: (r[0].role != "primary", r[1].name, r[0].role)):
        if rep.person_id in seen:
            continue
        seen.add(rep.person_id)
        kind = org.kind
        if kind == OrganisationKind.local_authority:
            kind = "commune" if org.la_level == "commune" else "la"
        result.append(((rep.person_id, rep.organisation_id), kind))
    return result


def _villagers(session: Session, plased: Platform) -> list[Person]:
    """Community members who attend on their own: half women, most indigenous."""
    people = []
    for n in range(VILLAGERS):
        female = n % 2 == 0
        given, given_km = (FEMALE if female else MALE)[(n * 7) % len(FEMALE if female else MALE)]
        family, family_km = FAMILY[(n * 5 + 3) % len(FAMILY)]
        full_name = f"{family} {given}"
        birth_year = DEMO_YEAR - (17 + n * 4)
        key = name_key(full_name)
        person = session.exec(
            select(Person).where(
                Person.platform_id == plased.id,
                Person.name_key == key,
                Person.birth_year == birth_year,
            )
        ).first()
        if person is None:
            person = Person(
                platform_id=plased.id,
                full_name=full_name,
                name_key=key,
                name_km=f"{family_km} {given_km}",
                gender="female" if female else "male",
                birth_year=birth_year,
                indigenous_group=INDIGENOUS[n % len(INDIGENOUS)] if n % 3 else None,
            )
            session.add(person)
            session.flush()
        people.append(person)
    return people
