"""Demo governance: the executive board of PLASED Ratanakiri with seats, two past meetings
(attendance, a decided named motion, published minutes) and one upcoming meeting. The demo
board member's account acts as the holder of a seat. Idempotent."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from plased.auth.models import User
from plased.governance.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotParticipation,
    Body,
    Meeting,
    Minutes,
    Motion,
    Seat,
    Voting,
)
from plased.governance.motions import passes
from plased.members.models import (
    Membership,
    MembershipStatus,
    Organisation,
    Person,
    Representative,
)
from plased.platforms.models import Platform
from plased.vocabulary import BodyKind

POSITIONS = ["chair", "vice_chair", "secretary", "treasurer", "member", "member", "member"]
LOCAL = ZoneInfo("Asia/Phnom_Penh")


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LOCAL).astimezone(UTC)


def _link_member(session: Session, board: Body, member: User) -> None:
    """The board member's account acts as a seat holder who voted at the past meetings."""
    if session.exec(select(Person.id).where(Person.user_id == member.id)).first():
        return
    people = session.exec(
        select(Person)
        .join(Seat, col(Seat.person_id) == Person.id)
        .where(Seat.body_id == board.id, Seat.position == "member")
        .where(col(Person.user_id).is_(None))
        .where(col(Person.id).in_(select(Ballot.voter_person_id)))
    ).all()
    person = min(people, key=lambda p: p.full_name, default=None)
    if person is not None:
        person.user_id = member.id
        member.full_name = person.full_name
        session.add_all([person, member])
        session.flush()


def seed_governance(session: Session, plased: Platform, *, member: User) -> None:
    board = session.exec(
        select(Body).where(Body.platform_id == plased.id, Body.kind == BodyKind.executive_board)
    ).first()
    if board is None:
        board = _seed_board(session, plased)
    _link_member(session, board, member)


def _seed_board(session: Session, plased: Platform) -> Body:
    board = Body(
        platform_id=plased.id,
        kind=BodyKind.executive_board,
        voting=Voting.seat_holders,
        name="Executive Board of PLASED Ratanakiri",
        name_km="ក្រុមប្រឹក្សាភិបាល វេទិកា រតនគិរី",
    )
    session.add(board)
    session.flush()
    # Primary representatives of a mix of active member organisations hold the seats: a seat
    # whose organisation is not an active member does not vote.
    rows = session.exec(
        select(Representative, Organisation.kind, Person.gender, Organisation.name)
        .join(Organisation, col(Organisation.id) == Representative.organisation_id)
        .join(Person, col(Person.id) == Representative.person_id)
        .join(Membership, col(Membership.organisation_id) == Organisation.id)
        .where(Representative.role == "primary", col(Representative.end_date).is_(None))
        .where(Membership.platform_id == plased.id)
        .where(Membership.status == MembershipStatus.active)
    ).all()
    # Sorted here, not by the database: collations differ, the demo must not.
    reps = [(rep, kind, gender) for rep, kind, gender, _ in sorted(rows, key=lambda r: r[3])]
    # Four women and three men, from authorities, CSOs and a provider.
    chosen: list[Representative] = []
    wanted = [
        ("local_authority", "female"),
        ("cso", "female"),
        ("service_provider", "male"),
        ("cso", "female"),
        ("local_authority", "male"),
        ("cso", "female"),
        ("cso", "male"),
    ]
    for kind_wanted, gender_wanted in wanted:
        for rep, kind, gender in reps:
            if (
                kind == kind_wanted
                and gender == gender_wanted
                and all(rep.person_id != r.person_id for r in chosen)
            ):
                chosen.append(rep)
                break
    today = date.today()
    term_start = today - timedelta(days=300)
    voters = []
    for position, rep in zip(POSITIONS, chosen, strict=False):
        session.add(
            Seat(
                body_id=board.id,
                position=position,
                person_id=rep.person_id,
                organisation_id=rep.organisation_id,
                term_start=term_start,
                term_end=term_start + timedelta(days=730),
                how_filled="elected",
            )
        )
        voters.append(rep)
    for days_ago, title, motion_text, votes in (
        (
            90,
            "Board meeting: 2026 priority action plan",
            "Adopt the 2026 priority action plan",
            ["yes", "yes", "yes", "no", "abstain"],
        ),
        (
            30,
            "Board meeting: cashew value-chain strategy",
            "Validate the cashew strategy",
            ["yes", "yes", "yes", "yes", "yes"],
        ),
    ):
        day = today - timedelta(days=days_ago)
        meeting = Meeting(
            body_id=board.id,
            kind="board",
            title=title,
            starts_at=_at(day, 8),
            ends_at=_at(day, 12),
            place="Provincial Hall, Ban Lung",
            status="closed",
        )
        session.add(meeting)
        session.flush()
        item = AgendaItem(meeting_id=meeting.id, position=1, title=motion_text)
        session.add(item)
        session.add(AgendaItem(meeting_id=meeting.id, position=2, title="Any other business"))
        session.flush()
        for n, rep in enumerate(voters):
            present = n < len(votes)
            session.add(
                Attendance(
                    meeting_id=meeting.id,
                    person_id=rep.person_id,
                    organisation_id=rep.organisation_id,
                    is_voter=True,
                    status="present" if present else "excused",
                    checked_in_at=_at(day, 8) if present else None,
                )
            )
        counts = {c: votes.count(c) for c in ("yes", "no", "abstain")}
        motion = Motion(
            meeting_id=meeting.id,
            agenda_item_id=item.id,
            text=motion_text,
            majority_rule="simple",
            status="closed",
            opened_at=_at(day, 9),
            closed_at=_at(day, 10),
            eligible_voters=len(voters),
            result={
                **counts,
                "eligible_voters": len(voters),
                "majority_rule": "simple",
                "passed": passes(
                    "simple", counts["yes"], counts["no"], counts["abstain"], len(voters)
                ),
                "closed_at": _at(day, 10).isoformat(),
            },
            is_secret=False,  # named: the minutes say who voted what
        )
        session.add(motion)
        session.flush()
        for rep, choice in zip(voters, votes, strict=False):
            session.add(BallotParticipation(motion_id=motion.id, voter_key=rep.person_id))
            session.add(
                Ballot(
                    motion_id=motion.id,
                    choice=choice,
                    voter_person_id=rep.person_id,
                    organisation_id=rep.organisation_id,
                )
            )
        session.add(
            Minutes(
                meeting_id=meeting.id,
                status="published",
                approved_at=_at(day + timedelta(days=7), 9),
                published_at=_at(day + timedelta(days=8), 9),
                text=f"{title}. The board examined and decided: {motion_text.lower()} "
                f"({counts['yes']} for, {counts['no']} against, {counts['abstain']} abstaining).",
            )
        )
    upcoming = today + timedelta(days=14)
    meeting = Meeting(
        body_id=board.id,
        kind="board",
        title="Board meeting: referral system review",
        title_km="កិច្ចប្រជុំក្រុមប្រឹក្សាភិបាល",
        starts_at=_at(upcoming, 8),
        ends_at=_at(upcoming, 11),
        place="Provincial Hall, Ban Lung",
        status="convened",
    )
    session.add(meeting)
    session.flush()
    for number, title in enumerate(("Review of COSS referrals", "Women's participation", "AOB"), 1):
        session.add(AgendaItem(meeting_id=meeting.id, position=number, title=title))
    for rep in voters:
        session.add(
            Attendance(
                meeting_id=meeting.id,
                person_id=rep.person_id,
                organisation_id=rep.organisation_id,
                is_voter=True,
            )
        )
    session.flush()
    return board
