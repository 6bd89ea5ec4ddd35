import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from plased.governance.models import (
    AttendanceStatus,
    Choice,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    MotionStatus,
    Position,
    TrainingAudience,
    Voting,
)
from plased.instants import Day, Instant
from plased.members.schemas import Name
from plased.platforms.schemas import _check_time_zone
from plased.schemas import Omittable, PatchModel, RequestModel, ResponseModel, Warning
from plased.vocabulary import BodyKind, MajorityRule, StakeholderGroup

Title = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
MeetingTitle = Annotated[
    str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)
]
Link = Annotated[str, StringConstraints(pattern=r"^https://\S{3,490}$")]


class BodyCreate(RequestModel):
    kind: BodyKind
    name: Name
    name_km: Name | None = None
    voting: Voting = Voting.seat_holders
    facilitator_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)


class BodyPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    kind: BodyKind
    name: str
    name_km: str | None
    voting: Voting
    facilitator_ids: list[uuid.UUID] = Field(default_factory=list)
    version: int


class SeatCreate(RequestModel):
    position: Position
    person_id: uuid.UUID
    organisation_id: uuid.UUID | None = None
    term_start: Day
    term_end: Day | None = Field(default=None, description="Default: the regulations' term")
    how_filled: Annotated[str, StringConstraints(pattern="^(elected|appointed)$")] = "appointed"
    elected_at_meeting_id: uuid.UUID | None = None
    stakeholder_group: StakeholderGroup | None = Field(
        default=None, description="Whom the holder speaks for (value-chain focus groups)"
    )


class SeatEnd(RequestModel):
    end_date: Day | None = None


class SeatPublic(ResponseModel):
    id: uuid.UUID
    body_id: uuid.UUID
    position: Position
    person_id: uuid.UUID
    person_name: str | None = Field(description="Null when the person is not listed to you")
    organisation_id: uuid.UUID | None
    organisation_is_member: bool | None = Field(
        default=None,
        description="False when the organisation represented is no longer an active member "
        "(the seat then does not vote); null for a seat held in a personal capacity",
    )
    term_start: date
    term_end: date
    how_filled: str
    elected_at_meeting_id: uuid.UUID | None
    stakeholder_group: StakeholderGroup | None
    is_current: bool
    version: int


class BodyComposition(ResponseModel):
    body_id: uuid.UUID
    seats: int
    women: int
    women_share: float | None
    min_women_share: float
    represented: dict[str, bool]
    terms_ending_soon: list[uuid.UUID]
    warnings: list[Warning]


class SeatChange(ResponseModel):
    seat: SeatPublic
    warnings: list[Warning]


class MeetingCreate(RequestModel):
    kind: MeetingKind
    title: MeetingTitle
    title_km: MeetingTitle | None = None
    starts_at: Instant
    ends_at: Instant
    time_zone: str | None = Field(default=None, max_length=64)
    place: Annotated[str, StringConstraints(max_length=300)] | None = None
    online_link: Link | None = None
    topic: Title | None = Field(default=None, description="Trainings only: what is taught")
    topic_km: Title | None = Field(default=None, description="Trainings only")
    trainer_person_id: uuid.UUID | None = Field(
        default=None, description="Trainings only: a person of the platform"
    )
    audience: TrainingAudience | None = Field(
        default=None, description="Trainings only: whom the training is for"
    )

    _tz = field_validator("time_zone")(_check_time_zone)


class MeetingUpdate(PatchModel):
    title: Omittable[MeetingTitle] = None
    title_km: MeetingTitle | None = None
    starts_at: Omittable[Instant] = None
    ends_at: Omittable[Instant] = None
    time_zone: str | None = Field(default=None, max_length=64)
    place: Annotated[str, StringConstraints(max_length=300)] | None = None
    online_link: Link | None = None
    topic: Title | None = None
    topic_km: Title | None = None
    trainer_person_id: uuid.UUID | None = None
    audience: TrainingAudience | None = None

    _tz = field_validator("time_zone")(_check_time_zone)


class MeetingPublic(ResponseModel):
    id: uuid.UUID
    body_id: uuid.UUID
    kind: MeetingKind
    title: str
    title_km: str | None
    starts_at: datetime
    ends_at: datetime
    local_starts_at: str = Field(description="Start in the meeting's time zone")
    time_zone: str
    place: str | None
    online_link: str | None
    status: MeetingStatus
    topic: str | None = Field(description="Trainings: what is taught (else null)")
    topic_km: str | None
    trainer_person_id: uuid.UUID | None
    audience: TrainingAudience | None
    version: int


class AgendaItemCreate(RequestModel):
    title: Title
    title_km: Title | None = None
    description: Annotated[str, StringConstraints(max_length=2000)] | None = None


class AgendaItemUpdate(PatchModel):
    title: Omittable[Title] = None
    title_km: Title | None = None
    description: Annotated[str, StringConstraints(max_length=2000)] | None = None


class AgendaOrder(RequestModel):
    item_ids: list[uuid.UUID] = Field(min_length=1, max_length=200)


class AgendaItemPublic(ResponseModel):
    id: uuid.UUID
    meeting_id: uuid.UUID
    position: int
    title: str
    title_km: str | None
    description: str | None
    version: int


class AttendanceMark(RequestModel):
    status: AttendanceStatus
    organisation_id: uuid.UUID | None = None
    checked_in_at: Instant | None = None


class AttendanceRow(AttendanceMark):
    person_id: uuid.UUID


class AttendanceBatch(RequestModel):
    rows: list[AttendanceRow] = Field(min_length=1, max_length=500)


class AttendancePublic(ResponseModel):
    person_id: uuid.UUID
    person_name: str | None = Field(description="Null when the person is not listed to you")
    organisation_id: uuid.UUID | None
    status: AttendanceStatus
    is_voter: bool
    checked_in_at: datetime | None


class Quorum(ResponseModel):
    meeting_id: uuid.UUID
    voting: Voting
    eligible_voters: int
    present_voters: int
    required_fraction: float
    required_present: int
    quorate: bool


class MotionCreate(RequestModel):
    agenda_item_id: uuid.UUID
    text: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    majority_rule: MajorityRule = MajorityRule.simple
    is_secret: bool = False


class MotionPublic(ResponseModel):
    id: uuid.UUID
    meeting_id: uuid.UUID
    agenda_item_id: uuid.UUID
    text: str
    majority_rule: MajorityRule
    is_secret: bool
    status: MotionStatus
    opened_at: datetime | None
    closed_at: datetime | None
    version: int


class BallotCreate(RequestModel):
    choice: Choice


class BallotReceipt(ResponseModel):
    motion_id: uuid.UUID
    recorded: bool = True
    choice: Choice | None = Field(description="Echoed for named ballots only")


class MotionResult(ResponseModel):
    motion_id: uuid.UUID
    majority_rule: MajorityRule
    eligible_voters: int
    yes: int
    no: int
    abstain: int
    passed: bool
    closed_at: datetime
    named_votes: list[dict[str, str | None]] | None = Field(
        default=None, description="Named ballots; a voter not listed to you shows as null"
    )


class MinutesUpdate(RequestModel):
    text: Annotated[str, StringConstraints(max_length=100_000)]


class MinutesPublic(ResponseModel):
    id: uuid.UUID
    meeting_id: uuid.UUID
    text: str
    status: MinutesStatus
    approved_at: datetime | None
    published_at: datetime | None
    version: int


class AttachmentPublic(ResponseModel):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


class ReachCell(ResponseModel):
    key: str
    count: int | None = Field(description="Null when suppressed")
    suppressed: bool = Field(
        description="Hidden: a count from 1 to 4, or a cell hidden with it so that it cannot "
        "be recovered by subtraction"
    )


class DistrictReachCell(ReachCell):
    name: str | None = Field(description="The district's name; null for `provincial`, `unknown`")
    name_km: str | None


class TrainingReach(ResponseModel):
    """Distinct people trained (present at a training) over a period; each person is counted
    once, in every breakdown but ``by_audience`` by their first training of the period."""

    platform_id: uuid.UUID
    period_from: date | None
    period_to: date | None
    trainings: int = Field(description="Trainings of the period with someone present")
    people: int | None = Field(description="Distinct people trained; null when suppressed")
    women_share: float | None = Field(
        description="Women among the people trained; null without people or when the count "
        "of women is suppressed"
    )
    target_people: int = Field(description="The programme's target of people trained")
    min_women_share: float = Field(description="The regulations' minimum share of women")
    by_gender: list[ReachCell]
    by_youth: list[ReachCell] = Field(description="youth | not_youth | unknown (no birth year)")
    by_indigenous: list[ReachCell] = Field(description="indigenous | not_indigenous")
    by_stakeholder_kind: list[ReachCell] = Field(
        description="The kind of the organisation attended for, or `individual`"
    )
    by_district: list[DistrictReachCell] = Field(
        description="The district code of the organisation attended for; `provincial` or "
        "`unknown` (individuals, organisations without a unit)"
    )
    by_audience: list[ReachCell] = Field(
        description="Distinct people per audience; a person trained for two audiences is in "
        "both, so these do not add up to `people`"
    )
    exact: bool = Field(
        description="True for the secretariat, who sees exact counts; for everyone else "
        "small cells are suppressed"
    )
    suppression_threshold: int = 5
    warnings: list[Warning]
