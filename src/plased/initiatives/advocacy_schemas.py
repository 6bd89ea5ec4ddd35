"""Request and answer bodies of advocacy and of authorities' commitments
(docs/initiatives.md, "Advocacy" and "Commitments")."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from plased.initiatives.models import AdvocacyChannel, CommitmentStatus, OutcomeStatus
from plased.instants import Day
from plased.members.schemas import Name
from plased.schemas import Omittable, PatchModel, RequestModel, ResponseModel

Issue = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
DISPLAY_TEXT = "The Khmer text when the request asks for Khmer and it is set, else the English"


class AdvocacyWrite(RequestModel):
    """The authority (`target_organisation_id`: a local authority; or `target_body`: a
    national body by name; exactly one), the issue raised and the channel."""

    target_organisation_id: uuid.UUID | None = None
    target_body: Name | None = None
    issue: Issue
    issue_km: Issue | None = None
    channel: AdvocacyChannel


class OutcomeEvidence(RequestModel):
    """What shows the step: the day it happened, a note, and where it is recorded."""

    evidence_on: Day = Field(description="Not after today")
    evidence: Issue
    meeting_id: uuid.UUID | None = Field(
        default=None, description="A meeting of the platform where it happened"
    )
    commitment_id: uuid.UUID | None = Field(
        default=None, description="The commitment made (commit only): one of the platform's"
    )


class AdvocacyEventPublic(ResponseModel):
    id: uuid.UUID
    from_status: OutcomeStatus | None
    to_status: OutcomeStatus
    evidence_on: date | None
    evidence: str | None
    meeting_id: uuid.UUID | None
    commitment_id: uuid.UUID | None
    actor_id: uuid.UUID | None
    created_at: datetime


class AdvocacyPublic(ResponseModel):
    id: uuid.UUID
    initiative_id: uuid.UUID
    target_organisation_id: uuid.UUID | None
    target_body: str | None
    issue: str
    issue_km: str | None
    display_issue: str = Field(description=DISPLAY_TEXT)
    channel: AdvocacyChannel
    status: OutcomeStatus
    outcome: list[AdvocacyEventPublic] = Field(description="Each step with its evidence")
    updated_at: datetime
    version: int


class CommitmentCreate(RequestModel):
    text: Issue
    text_km: Issue | None = None
    owner_organisation_id: uuid.UUID = Field(
        description="The authority that committed: an organisation of kind local_authority"
    )
    made_on: Day = Field(description="Not after today")
    meeting_id: uuid.UUID | None = Field(
        default=None, description="The platform dialogue (a meeting) where it was made"
    )
    initiative_id: uuid.UUID | None = Field(default=None, description="An advocacy initiative")
    due_on: Day | None = None


class CommitmentUpdate(PatchModel):
    text: Omittable[Issue] = None
    text_km: Issue | None = None
    due_on: Day | None = None
    status: Omittable[CommitmentStatus] = None


class CommitmentPublic(ResponseModel):
    id: uuid.UUID
    platform_id: uuid.UUID
    text: str
    text_km: str | None
    display_text: str = Field(description=DISPLAY_TEXT)
    owner_organisation_id: uuid.UUID
    made_on: date
    meeting_id: uuid.UUID | None
    initiative_id: uuid.UUID | None
    due_on: date | None
    status: CommitmentStatus
    overdue: bool = Field(description="Pending or in progress, and due before today")
    created_at: datetime
    updated_at: datetime
    version: int
