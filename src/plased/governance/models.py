import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from plased.db import IdMixin, TimestampMixin, VersionMixin, timestamp_field, utcnow


class Voting(StrEnum):
    seat_holders = "seat_holders"
    member_organisations = "member_organisations"


class Position(StrEnum):
    chair = "chair"
    vice_chair = "vice_chair"
    secretary = "secretary"
    treasurer = "treasurer"
    member = "member"


class MeetingKind(StrEnum):
    assembly = "assembly"
    board = "board"
    focus_group = "focus_group"
    working_group = "working_group"
    training = "training"
    consultation = "consultation"


class TrainingAudience(StrEnum):
    """Whom a training is for (the reach report's per-audience breakdown)."""

    board = "board"
    coss_members = "coss_members"
    providers = "providers"
    communities = "communities"
    other = "other"


class MeetingStatus(StrEnum):
    planned = "planned"
    convened = "convened"
    in_progress = "in_progress"
    closed = "closed"
    cancelled = "cancelled"


class AttendanceStatus(StrEnum):
    invited = "invited"
    confirmed = "confirmed"
    present = "present"
    excused = "excused"
    absent = "absent"


class MotionStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"
    withdrawn = "withdrawn"


class Choice(StrEnum):
    yes = "yes"
    no = "no"
    abstain = "abstain"


class Body(IdMixin, TimestampMixin, VersionMixin, table=True):
    __tablename__ = "body"

    platform_id: uuid.UUID = Field(foreign_key="platform.id", index=True)
    kind: str = Field(max_length=20)
    name: str = Field(max_length=200)
    name_km: str | None = Field(default=None, max_length=200)
    voting: str = Field(max_length=24)


class BodyFacilitator(SQLModel, table=True):
    """Facilitators manage meetings, agenda and attendance of the bodies they facilitate."""

    __tablename__ = "body_facilitator"

    body_id: uuid.UUID = Field(foreign_key="body.id", primary_key=True, ondelete="CASCADE")
    user_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")


class Seat(IdMixin, TimestampMixin, VersionMixin, table=True):
    __tablename__ = "seat"
    __table_args__ = (Index("ix_seat_body_id_term_end", "body_id", "term_end"),)

    body_id: uuid.UUID = Field(foreign_key="body.id", index=True)
    position: str = Field(max_length=12)
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True)
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisation.id")
    term_start: date
    term_end: date
    how_filled: str = Field(default="appointed", max_length=10)
    elected_at_meeting_id: uuid.UUID | None = Field(default=None, foreign_key="meeting.id")
    # Whom the holder speaks for (value-chain focus groups; plased.vocabulary.StakeholderGroup).
    stakeholder_group: str | None = Field(default=None, max_length=24)


class Meeting(IdMixin, TimestampMixin, VersionMixin, table=True):
    __tablename__ = "meeting"
    __table_args__ = (Index("ix_meeting_body_id_starts_at", "body_id", "starts_at"),)

    body_id: uuid.UUID = Field(foreign_key="body.id")
    kind: str = Field(max_length=16)
    title: str = Field(max_length=200)
    title_km: str | None = Field(default=None, max_length=200)
    starts_at: datetime = timestamp_field(nullable=False)
    ends_at: datetime = timestamp_field(nullable=False)
    time_zone: str = Field(default="Asia/Phnom_Penh", max_length=64)
    place: str | None = Field(default=None, max_length=300)
    online_link: str | None = Field(default=None, max_length=500)
    status: str = Field(default=MeetingStatus.planned, max_length=12)
    # Trainings only (kind ``training``): what is taught, by whom, for whom.
    topic: str | None = Field(default=None, max_length=300)
    topic_km: str | None = Field(default=None, max_length=300)
    trainer_person_id: uuid.UUID | None = Field(default=None, foreign_key="person.id")
    audience: str | None = Field(default=None, max_length=16)


class AgendaItem(IdMixin, TimestampMixin, VersionMixin, table=True):
    __tablename__ = "agenda_item"
    __table_args__ = (Index("ix_agenda_item_meeting_id_position", "meeting_id", "position"),)

    meeting_id: uuid.UUID = Field(foreign_key="meeting.id")
    position: int
    title: str = Field(max_length=300)
    title_km: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=2000)


class Attendance(IdMixin, TimestampMixin, table=True):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", index=True)
    person_id: uuid.UUID = Field(foreign_key="person.id")
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisation.id")
    status: str = Field(default=AttendanceStatus.invited, max_length=10)
    is_voter: bool = Field(default=False)
    checked_in_at: datetime | None = timestamp_field(default=None, nullable=True)


class Motion(IdMixin, TimestampMixin, VersionMixin, table=True):
    __tablename__ = "motion"

    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", index=True)
    agenda_item_id: uuid.UUID = Field(foreign_key="agenda_item.id")
    text: str = Field(max_length=2000)
    majority_rule: str = Field(max_length=12)
    is_secret: bool = Field(default=False)
    status: str = Field(default=MotionStatus.draft, max_length=10)
    opened_at: datetime | None = timestamp_field(default=None, nullable=True)
    closed_at: datetime | None = timestamp_field(default=None, nullable=True)
    eligible_voters: int | None = None
    # Computed once at close and never edited afterwards.
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class MinutesStatus(StrEnum):
    draft = "draft"
    approved = "approved"
    published = "published"


class Minutes(IdMixin, TimestampMixin, VersionMixin, table=True):
    __tablename__ = "minutes"

    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", unique=True)
    text: str = Field(default="", max_length=100_000)
    status: str = Field(default=MinutesStatus.draft, max_length=10)
    approved_at: datetime | None = timestamp_field(default=None, nullable=True)
    published_at: datetime | None = timestamp_field(default=None, nullable=True)


class Attachment(IdMixin, SQLModel, table=True):
    """A file of the minutes, stored on disk under a name we choose, never the uploader's."""

    __tablename__ = "minutes_attachment"

    minutes_id: uuid.UUID = Field(foreign_key="minutes.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)


class BallotParticipation(SQLModel, table=True):
    """Who has voted: one row per voter per motion, so double voting is impossible even
    when the ballot itself (secret) names no voter."""

    __tablename__ = "ballot_participation"
    __table_args__ = (UniqueConstraint("motion_id", "voter_key"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    motion_id: uuid.UUID = Field(foreign_key="motion.id", index=True)
    voter_key: uuid.UUID = Field(description="The person, or the organisation when it votes")
    voted_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)


class Ballot(SQLModel, table=True):
    """A named ballot: who chose what. Secret ballots are never stored one by one (see
    ``MotionTally``)."""

    __tablename__ = "ballot"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    motion_id: uuid.UUID = Field(foreign_key="motion.id", index=True)
    choice: str = Field(max_length=8)
    voter_person_id: uuid.UUID | None = Field(default=None, foreign_key="person.id")
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisation.id")


class MotionTally(SQLModel, table=True):
    """The running count of a secret motion's choices: one counter per choice, incremented in
    place, with no timestamp, so no stored row, order or time links a voter to a choice."""

    __tablename__ = "motion_tally"

    motion_id: uuid.UUID = Field(foreign_key="motion.id", primary_key=True)
    choice: str = Field(max_length=8, primary_key=True)
    votes: int = Field(default=0)
