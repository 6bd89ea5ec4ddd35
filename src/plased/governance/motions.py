"""Motions and ballots. Results are computed once, at close, and frozen.

Who votes: a voter of the body (a current seat holder of a member organisation or in their
own right; for the general assembly, a member organisation through its primary
representative, or its alternate when the primary is not present) who is marked *present*
at the meeting. There are no proxies. A voter acts through the user account linked to their
person record (``PUT /people/{id}/user``).

A secret ballot is never stored one by one: the motion's counters (``motion_tally``) are
incremented in place and a participation row records only that the voter has voted.

How ballots count (``abstain`` never counts for or against, and a tie never passes):

- simple: more ``yes`` than ``no``.
- absolute: more ``yes`` than half of the eligible voters (absent voters count against).
- two_thirds: ``yes`` at least two thirds of ``yes`` + ``no``, and at least one ``yes``.
- consensus: no ``no`` at all and at least one ``yes``.
"""

import uuid

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from plased import transitions as engine
from plased.access import Access, require_writable_platform, root_of
from plased.auth.models import User
from plased.db import utcnow
from plased.errors import Conflict, Forbidden, InvalidTransition, NotFound, field_error
from plased.governance import bodies, meetings
from plased.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Ballot,
    BallotParticipation,
    Body,
    Choice,
    Meeting,
    MeetingStatus,
    Motion,
    MotionStatus,
    MotionTally,
    Voting,
)
from plased.governance.schemas import BallotReceipt, MotionCreate, MotionResult
from plased.members import people
from plased.members.models import Person
from plased.platforms.models import Platform
from plased.platforms.service import current_regulations
from plased.transitions import Change, Machine
from plased.vocabulary import MajorityRule


def passes(rule: str, yes: int, no: int, abstain: int, eligible: int) -> bool:
    if rule == MajorityRule.simple:
        return yes > no
    if rule == MajorityRule.absolute:
        return yes * 2 > eligible
    if rule == MajorityRule.two_thirds:
        return yes > 0 and yes * 3 >= (yes + no) * 2 and yes > no
    if rule == MajorityRule.consensus:
        return no == 0 and yes > 0
    raise ValueError(rule)


def _motion(
    session: Session, access: Access | None, motion_id: uuid.UUID
) -> tuple[Motion, Meeting, Body]:
    motion = session.get(Motion, motion_id)
    if motion is None:
        raise NotFound
    meeting = session.get(Meeting, motion.meeting_id)
    assert meeting is not None
    body = session.get(Body, meeting.body_id)
    assert body is not None
    if access is not None and not access.has_role_in(body.platform_id):
        raise NotFound
    return motion, meeting, body


def create(
    session: Session, *, access: Access, meeting_id: uuid.UUID, data: MotionCreate
) -> Motion:
    meeting, body = meetings.get_meeting(session, access, meeting_id)
    bodies.require_facilitator(session, access, body)
    if meeting.status in (MeetingStatus.closed, MeetingStatus.cancelled):
        raise InvalidTransition(current=meeting.status, action="add a motion")
    item = session.get(AgendaItem, data.agenda_item_id)
    if item is None or item.meeting_id != meeting.id:
        raise field_error(
            "/body/agenda_item_id", "unknown_agenda_item", "Not an item of this meeting."
        )
    allowed = current_regulations(session, body.platform_id).majority_rules
    if data.majority_rule not in allowed:
        raise field_error(
            "/body/majority_rule", "rule_not_allowed", "The regulations do not allow this rule."
        )
    motion = Motion(meeting_id=meeting.id, **data.model_dump())
    session.add(motion)
    session.flush()
    return motion


def list_motions(session: Session, *, access: Access, meeting_id: uuid.UUID) -> list[Motion]:
    meetings.get_meeting(session, access, meeting_id)
    return list(
        session.exec(
            select(Motion).where(Motion.meeting_id == meeting_id).order_by(col(Motion.created_at))
        ).all()
    )


RUNNERS = "the secretariat or the body's facilitators"


def _open_tally(session: Session, change: Change[Motion]) -> None:
    """A secret motion counts its ballots in three counters, made when it opens."""
    if change.action.name == "open" and change.record.is_secret:
        session.add_all(MotionTally(motion_id=change.record.id, choice=c, votes=0) for c in Choice)


def _freeze_result(session: Session, change: Change[Motion]) -> None:
    """The result is counted once the motion is closed (no ballot can land after that: see
    ``cast``), stored, and never recomputed."""
    if change.action.name != "close":
        return
    motion = change.record
    counts = _counts(session, motion)
    eligible = motion.eligible_voters or 0
    motion.result = {
        "yes": counts[Choice.yes],
        "no": counts[Choice.no],
        "abstain": counts[Choice.abstain],
        "eligible_voters": eligible,
        "majority_rule": motion.majority_rule,
        "passed": passes(
            motion.majority_rule,
            counts[Choice.yes],
            counts[Choice.no],
            counts[Choice.abstain],
            eligible,
        ),
        "closed_at": (motion.closed_at or utcnow()).isoformat(),
    }
    session.add(motion)


MACHINE: Machine[Motion] = Machine(
    model=Motion,
    actions=engine.actions(
        ("open", {MotionStatus.draft}, MotionStatus.open, RUNNERS),
        ("close", {MotionStatus.open}, MotionStatus.closed, RUNNERS),
        ("withdraw", {MotionStatus.draft}, MotionStatus.withdrawn, RUNNERS),
    ),
    hooks=(_open_tally, _freeze_result),
)


def transition(session: Session, *, access: Access, motion_id: uuid.UUID, action: str) -> Motion:
    motion, meeting, body = _motion(session, access, motion_id)
    bodies.require_facilitator(session, access, body)
    if not MACHINE.allows(motion, action):
        raise InvalidTransition(current=motion.status, action=action)
    values: dict[str, object] = {}
    if action == "open":
        if meeting.status != MeetingStatus.in_progress:
            raise Conflict(
                "A motion opens only while the meeting is in progress.",
                code="meeting_not_in_progress",
                extra={"current_status": meeting.status},
            )
        quorum = meetings.compute_quorum(session, body, meeting)
        if not quorum.quorate:
            raise Conflict(
                "The meeting is not quorate.",
                code="not_quorate",
                extra={
                    "present_voters": quorum.present_voters,
                    "required_present": quorum.required_present,
                },
            )
        values = {"opened_at": utcnow(), "eligible_voters": quorum.eligible_voters}
    elif action == "close":
        values = {"closed_at": utcnow()}
    return engine.apply(session, MACHINE, motion, action, actor_id=access.user.id, values=values)


def _counts(session: Session, motion: Motion) -> dict[Choice, int]:
    counts = dict.fromkeys(Choice, 0)
    if motion.is_secret:
        for choice, votes in session.exec(
            select(MotionTally.choice, MotionTally.votes).where(MotionTally.motion_id == motion.id)
        ).all():
            counts[Choice(choice)] += votes
        return counts
    for choice in session.exec(select(Ballot.choice).where(Ballot.motion_id == motion.id)).all():
        counts[Choice(choice)] += 1
    return counts


def _caller_person(session: Session, user: User, body: Body) -> Person | None:
    """The person the caller acts as in the body's platform family."""
    platform = session.get(Platform, body.platform_id)
    assert platform is not None
    return _person_in(session, user, platform)


def _person_in(session: Session, user: User, platform: Platform) -> Person | None:
    return session.exec(
        select(Person).where(Person.user_id == user.id, Person.platform_id == root_of(platform))
    ).first()


def _caller_voter(
    session: Session, person: Person | None, body: Body, meeting: Meeting
) -> meetings.Voter:
    """``person``: the one the caller acts as in the body's family (``_caller_person``)."""
    everyone = meetings.voters(session, body, meeting.starts_at.date())
    eligible = [v for v in everyone if person is not None and v.person_id == person.id]
    if person is None or not eligible:
        raise Forbidden("Only eligible voters cast ballots.", code="not_a_voter")
    present = set(
        session.exec(
            select(Attendance.person_id).where(
                Attendance.meeting_id == meeting.id,
                Attendance.status == AttendanceStatus.present,
            )
        ).all()
    )
    if person.id not in present:
        raise Forbidden(
            "Only voters marked present at the meeting cast ballots.", code="not_present"
        )
    voter = eligible[0]
    if body.voting == Voting.member_organisations:
        # An alternate votes only when the organisation's primary is not present.
        primary = next(v for v in everyone if v.key == voter.key)
        if primary.person_id != person.id and primary.person_id in present:
            raise Forbidden("The organisation's primary representative votes.", code="not_a_voter")
    return voter


def cast(
    session: Session, *, access: Access, motion_id: uuid.UUID, choice: Choice
) -> BallotReceipt:
    motion, meeting, body = _motion(session, None, motion_id)
    # Held for the whole ballot, so that every later look at the platform is the session's
    # own copy rather than another query (the session keeps only what is referenced).
    platform = session.get(Platform, body.platform_id)
    assert platform is not None
    person = _person_in(session, access.user, platform)
    if person is None and not access.has_role_in(body.platform_id):
        raise NotFound  # exactly as a motion that does not exist (as _in_reach)
    voter = _caller_voter(session, person, body, meeting)
    require_writable_platform(session, access, body.platform_id)
    if motion.status != MotionStatus.open:
        raise InvalidTransition(current=motion.status, action="vote")
    try:
        with session.begin_nested():
            session.add(BallotParticipation(motion_id=motion.id, voter_key=voter.key))
            session.flush()
    except IntegrityError as exc:
        raise Conflict("This vote has already been cast.", code="already_voted") from exc
    # Still open? Read again now that this transaction writes: a close either waits for this
    # ballot (PostgreSQL: the row is share-locked; SQLite: one writer at a time) and counts
    # it, or has already happened and this ballot is refused.
    status = session.exec(
        select(Motion.status).where(Motion.id == motion.id).with_for_update(read=True)
    ).one()
    if status != MotionStatus.open:
        raise InvalidTransition(current=status, action="vote")
    if motion.is_secret:
        # A counter, not a row: nothing stored says who chose what, or in which order.
        session.execute(
            update(MotionTally)
            .where(col(MotionTally.motion_id) == motion.id, col(MotionTally.choice) == choice)
            .values(votes=col(MotionTally.votes) + 1)
        )
    else:
        session.add(
            Ballot(
                motion_id=motion.id,
                choice=choice,
                voter_person_id=voter.person_id,
                organisation_id=voter.organisation_id,
            )
        )
    session.flush()
    return BallotReceipt(motion_id=motion.id, choice=None if motion.is_secret else choice)


def _in_reach(session: Session, access: Access, body: Body) -> bool:
    """A motion is within a caller's reach when they hold a role in its platform (or are an
    administrator), or act as a person of its platform family (a voter)."""
    if access.has_role_in(body.platform_id):
        return True
    return _caller_person(session, access.user, body) is not None


def receipt(session: Session, *, user: User, motion_id: uuid.UUID) -> BallotReceipt:
    """The caller's receipt, rebuilt (for an ``Idempotency-Key`` replay)."""
    motion, _meeting, body = _motion(session, None, motion_id)
    if motion.is_secret:
        return BallotReceipt(motion_id=motion.id, choice=None)
    person = _caller_person(session, user, body)
    choice = session.exec(
        select(Ballot.choice).where(
            Ballot.motion_id == motion.id,
            Ballot.voter_person_id == (person.id if person else None),
        )
    ).first()
    return BallotReceipt(motion_id=motion.id, choice=Choice(choice) if choice else None)


def result(session: Session, *, user: User, access: Access, motion_id: uuid.UUID) -> MotionResult:
    motion, _meeting, body = _motion(session, None, motion_id)
    if not _in_reach(session, access, body):
        raise NotFound
    if motion.status != MotionStatus.closed or motion.result is None:
        raise Conflict(
            "The result is known once the motion is closed.",
            code="result_not_ready",
            extra={"current_status": motion.status},
        )
    named = None
    if not motion.is_secret:
        ballots = list(
            session.exec(
                select(Ballot)
                .join(Person, col(Person.id) == Ballot.voter_person_id)
                .where(Ballot.motion_id == motion.id)
                .order_by(col(Person.full_name), col(Ballot.id))
            ).all()
        )
        shown = people.names(
            session, access, {b.voter_person_id for b in ballots if b.voter_person_id}
        )
        named = [
            {
                "voter": shown.get(b.voter_person_id) if b.voter_person_id else None,
                "choice": b.choice,
            }
            for b in ballots
        ]
    data = motion.result
    return MotionResult(
        motion_id=motion.id,
        majority_rule=data["majority_rule"],
        eligible_voters=data["eligible_voters"],
        yes=data["yes"],
        no=data["no"],
        abstain=data["abstain"],
        passed=data["passed"],
        closed_at=data["closed_at"],
        named_votes=named,
    )


def passed_motion(
    session: Session,
    motion_id: uuid.UUID,
    *,
    platform_id: uuid.UUID,
    body_ids: set[uuid.UUID] | None = None,
    body_kinds: set[str] | None = None,
    pointer: str = "/body/motion_id",
) -> Motion:
    """The motion a decision elsewhere rests on (a value chain prioritised, a strategy
    validated): it must belong to one of the named bodies, or bodies of the named kinds, of
    ``platform_id`` (422 ``unknown_motion`` otherwise, as for a missing one), and be closed
    with a passed result (409 ``motion_not_passed``)."""
    motion = session.get(Motion, motion_id)
    meeting = session.get(Meeting, motion.meeting_id) if motion else None
    body = session.get(Body, meeting.body_id) if meeting else None
    if (
        motion is None
        or body is None
        or body.platform_id != platform_id
        or (body_ids is not None and body.id not in body_ids)
        or (body_kinds is not None and body.kind not in body_kinds)
    ):
        raise field_error(pointer, "unknown_motion", "No such motion of a body that decides this.")
    if motion.status != MotionStatus.closed or not (motion.result or {}).get("passed"):
        raise Conflict(
            "The motion has not passed: a decision needs a closed motion that passed.",
            code="motion_not_passed",
            extra={"current_status": motion.status},
        )
    return motion
