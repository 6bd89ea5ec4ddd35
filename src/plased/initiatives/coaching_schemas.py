"""Request and answer bodies of coaching sessions and their follow-up actions
(docs/initiatives.md, "Coaching")."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from plased.governance.schemas import Title
from plased.initiatives.models import FollowUpStatus
from plased.initiatives.schemas import DISPLAY, Description
from plased.instants import Day
from plased.schemas import Omittable, PatchModel, RequestModel, ResponseModel

Topic = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Organisations = Annotated[
    list[uuid.UUID],
    Field(max_length=30, description="Active member organisations of the platform"),
]
People = Annotated[
    list[uuid.UUID],
    Field(
        max_length=100,
        description="People of the platform who represent one of its member organisations",
    ),
]


class FollowUpCreate(RequestModel):
    title: Title
    title_km: Title | None = None
    owner_organisation_id: uuid.UUID = Field(description="An active member organisation")
    due_on: Day


class FollowUpUpdate(PatchModel):
    title: Omittable[Title] = None
    title_km: Title | None = None
    owner_organisation_id: Omittable[uuid.UUID] = None
    due_on: Omittable[Day] = None
    status: Omittable[FollowUpStatus] = None


class FollowUpPublic(ResponseModel):
    id: uuid.UUID
    session_id: uuid.UUID
    title: str
    title_km: str | None
    display_title: str = Field(description=DISPLAY)
    owner_organisation_id: uuid.UUID
    due_on: date
    status: FollowUpStatus
    overdue: bool = Field(description="Open and due before today")
    updated_at: datetime
    version: int


class CoachingSessionCreate(RequestModel):
    held_on: Day = Field(description="Not after today")
    coach_person_id: uuid.UUID = Field(description="A person of the platform")
    organisation_ids: Organisations = Field(default_factory=list)
    person_ids: People = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list, max_length=20)
    notes: Description | None = None
    notes_km: Description | None = None
    follow_ups: list[FollowUpCreate] = Field(default_factory=list, max_length=30)


class CoachingSessionUpdate(PatchModel):
    held_on: Omittable[Day] = None
    coach_person_id: Omittable[uuid.UUID] = None
    organisation_ids: Omittable[Organisations] = None
    person_ids: Omittable[People] = None
    topics: Omittable[list[Topic]] = Field(default=None, max_length=20)
    notes: Description | None = None
    notes_km: Description | None = None


class CoachingSessionPublic(ResponseModel):
    id: uuid.UUID
    initiative_id: uuid.UUID
    held_on: date
    coach_person_id: uuid.UUID
    organisation_ids: list[uuid.UUID]
    person_ids: list[uuid.UUID]
    topics: list[str]
    notes: str | None
    notes_km: str | None
    follow_ups: list[FollowUpPublic]
    created_at: datetime
    updated_at: datetime
    version: int
