"""Motions and ballots. Results are computed once, at close, and frozen.

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

from plased.auth.models import User
from plased.db import rows_changed, utcnow
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
    MajorityRule,
    Meeting,
    MeetingStatus,
    Motion,
    MotionStatus,
    Voting,
)
from plased.governance.schemas import BallotReceipt, MotionCreate, MotionResult
from plased.members.models import Person
from plased.members.policies import MemberAccess
from plased.platforms.service import current_regulations


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
    session: Session, access: MemberAccess | None, motion_id: uuid.UUID
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
    session: Session, *, access: MemberAccess, meeting_id: uuid.UUID, data: MotionCreate
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


def list_motions(session: Session, *, access: MemberAccess, meeting_id: uuid.UUID) -> list[Motion]:
    meetings.get_meeting(session, access, meeting_id)
    return list(
        session.exec(
            select(Motion).where(Motion.meeting_id == meeting_id).order_by(col(Motion.created_at))
        ).all()
    )


def _move(
    session: Session,
    motion: Motion,
    before: MotionStatus,
    after: MotionStatus,
    action: str,
    **values: object,
) -> None:
    result = session.execute(
        update(Motion)
        .where(col(Motion.id) == motion.id, col(Motion.status) == before)
        .values(status=after, version=col(Motion.version) + 1, updated_at=utcnow(), **values)
    )
    session.refresh(motion)
    if not rows_changed(result):
        raise InvalidTransition(current=motion.status, action=action)


def transition(
    session: Session, *, access: MemberAccess, motion_id: uuid.UUID, action: str
) -> Motion:
    motion, meeting, body = _motion(session, access, motion_id)
    bodies.require_facilitator(session, access, body)
    if action == "withdraw":
        if motion.status != MotionStatus.draft:
            raise InvalidTransition(current=motion.status, action=action)
        _move(session, motion, MotionStatus.draft, MotionStatus.withdrawn, action)
    elif action == "open":
        if motion.status != MotionStatus.draft:
            raise InvalidTransition(current=motion.status, action=action)
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
        _move(
            session,
            motion,
            MotionStatus.draft,
            MotionStatus.open,
            action,
            opened_at=utcnow(),
            eligible_voters=quorum.eligible_voters,
        )
    elif action == "close":
        if motion.status != MotionStatus.open:
            raise InvalidTransition(current=motion.status, action=action)
        counts = dict.fromkeys(Choice, 0)
        choices = session.exec(select(Ballot.choice).where(Ballot.motion_id == motion.id)).all()
        for choice in choices:
            counts[Choice(choice)] += 1
        eligible = motion.eligible_voters or 0
        closed_at = utcnow()
        frozen = {
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
            "closed_at": closed_at.isoformat(),
        }
        _move(
            session,
            motion,
            MotionStatus.open,
            MotionStatus.closed,
            action,
            closed_at=closed_at,
            result=frozen,
        )
    session.flush()
    return motion


def _caller_voter(session: Session, user: User, body: Body, meeting: Meeting) -> meetings.Voter:
    person = session.exec(select(Person).where(Person.user_id == user.id)).first()
    if person is None:
        raise Forbidden("Only eligible voters cast ballots.", code="not_a_voter")
    everyone = meetings.voters(session, body, meeting.starts_at.date())
    eligible = [v for v in everyone if v.person_id == person.id]
    if not eligible:
        raise Forbidden("Only eligible voters cast ballots.", code="not_a_voter")
    voter = eligible[0]
    if body.voting == Voting.member_organisations:
        # An alternate votes only when the organisation's primary is not present.
        reps = [v for v in everyone if v.key == voter.key]
        primary = reps[0]
        if primary.person_id != person.id:
            present = session.exec(
                select(Attendance.id).where(
                    Attendance.meeting_id == meeting.id,
                    Attendance.person_id == primary.person_id,
                    Attendance.status == AttendanceStatus.present,
                )
            ).first()
            if present:
                raise Forbidden(
                    "The organisation's primary representative votes.", code="not_a_voter"
                )
    return voter


def cast(session: Session, *, user: User, motion_id: uuid.UUID, choice: Choice) -> BallotReceipt:
    motion, meeting, body = _motion(session, None, motion_id)
    voter = _caller_voter(session, user, body, meeting)
    if motion.status != MotionStatus.open:
        raise InvalidTransition(current=motion.status, action="vote")
    try:
        with session.begin_nested():
            session.add(BallotParticipation(motion_id=motion.id, voter_key=voter.key))
            session.flush()
    except IntegrityError as exc:
        raise Conflict("This vote has already been cast.", code="already_voted") from exc
    session.add(
        Ballot(
            motion_id=motion.id,
            choice=choice,
            voter_person_id=None if motion.is_secret else voter.person_id,
            organisation_id=None if motion.is_secret else voter.organisation_id,
        )
    )
    session.flush()
    return BallotReceipt(motion_id=motion.id, choice=None if motion.is_secret else choice)


def result(
    session: Session, *, user: User, access: MemberAccess, motion_id: uuid.UUID
) -> MotionResult:
    motion, meeting, body = _motion(session, None, motion_id)
    if not access.has_role_in(body.platform_id):
        try:
            _caller_voter(session, user, body, meeting)
        except Forbidden as exc:
            raise NotFound from exc
    if motion.status != MotionStatus.closed or motion.result is None:
        raise Conflict(
            "The result is known once the motion is closed.",
            code="result_not_ready",
            extra={"current_status": motion.status},
        )
    named = None
    if not motion.is_secret:
        rows = session.exec(
            select(Person.full_name, Ballot.choice)
            .join(Person, col(Person.id) == Ballot.voter_person_id)
            .where(Ballot.motion_id == motion.id)
            .order_by(col(Person.full_name))
        ).all()
        named = [{"voter": name, "choice": choice} for name, choice in rows]
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
