"""Minutes, their attachments, and the calendar feed of a body's meetings."""

import uuid
from typing import Annotated

from fastapi import Body, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from plased import documents
from plased.access import Access, AccessDep, action_parameters
from plased.auth.deps import SettingsDep
from plased.concurrency import IfMatch, with_etag
from plased.db import SessionDep
from plased.downloads import file_response, file_responses
from plased.governance import calendar, minutes
from plased.governance.models import Attachment, Minutes
from plased.governance.schemas import AttachmentPublic, MinutesPublic, MinutesUpdate
from plased.idempotency import idempotent
from plased.pagination import Page, PageDep, page_list, sort_keys
from plased.routing import DomainRouter
from plased.storage import StorageDep
from plased.transitions import ActionRoute, add_action_routes

router = DomainRouter(tags=["governance"])


@router.get(
    "/meetings/{meeting_id}/minutes", operation_id="minutes-get", response_model=MinutesPublic
)
def get_minutes(
    response: Response, session: SessionDep, access: AccessDep, meeting_id: uuid.UUID
) -> Minutes:
    """Published minutes for everyone with a role; drafts for the secretariat and facilitators."""
    record = minutes.read(session, access=access, meeting_id=meeting_id)
    with_etag(response, record.version)
    return record


@router.put(
    "/meetings/{meeting_id}/minutes", operation_id="minutes-write", response_model=MinutesPublic
)
def write_minutes(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    meeting_id: uuid.UUID,
    body: MinutesUpdate,
    if_match: IfMatch = None,
) -> Minutes:
    """Write or rewrite the draft (during or after the meeting)."""
    record = minutes.write(
        session, access=access, meeting_id=meeting_id, text=body.text, if_match=if_match
    )
    with_etag(response, record.version)
    return record


def _minutes_act(
    *, session: Session, access: Access, meeting_id: uuid.UUID, action: str, body: None
) -> MinutesPublic:
    return MinutesPublic.model_validate(
        minutes.transition(session, access=access, meeting_id=meeting_id, action=action)
    )


add_action_routes(
    router,
    path="/meetings/{meeting_id}/minutes",
    resource="minutes",
    parameters=action_parameters("meeting_id"),
    run=_minutes_act,
    response_model=MinutesPublic,
    routes=[
        ActionRoute(
            "approve",
            "Approve the minutes",
            "The secretariat approves the draft (after the meeting closes).",
        ),
        ActionRoute(
            "publish",
            "Publish the minutes",
            "The secretariat publishes approved minutes: observers and members see them.",
        ),
    ],
)


@router.get(
    "/meetings/{meeting_id}/minutes/attachments",
    operation_id="attachments-list",
    response_model=Page[AttachmentPublic],
    openapi_extra=sort_keys("created_at", "filename", "size"),
)
def list_attachments(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    meeting_id: uuid.UUID,
    page: PageDep,
) -> Page[AttachmentPublic]:
    found = minutes.attachments(session, access=access, meeting_id=meeting_id)
    return page_list(request, response, page, found, AttachmentPublic)


@router.post(
    "/meetings/{meeting_id}/minutes/attachments",
    operation_id="attachments-upload",
    response_model=AttachmentPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def upload_attachment(
    session: SessionDep,
    settings: SettingsDep,
    storage: StorageDep,
    access: AccessDep,
    meeting_id: uuid.UUID,
    data: Annotated[
        bytes, Body(media_type="application/octet-stream", description="PDF, ODT or DOCX")
    ],
    filename: Annotated[str, Query(min_length=1, max_length=200)] = "minutes",
) -> Attachment:
    """The file is the request body; its type is recognised from its content."""
    return minutes.add_attachment(
        session,
        settings,
        storage=storage,
        access=access,
        meeting_id=meeting_id,
        filename=filename,
        data=data,
    )


@router.get(
    "/attachments/{attachment_id}",
    operation_id="attachments-download",
    response_class=StreamingResponse,
    responses=file_responses(documents.EXTENSIONS),
)
def download_attachment(
    request: Request,
    session: SessionDep,
    storage: StorageDep,
    access: AccessDep,
    attachment_id: uuid.UUID,
) -> Response:
    """The file, whole or one byte range of it (`Range: bytes=N-`), so a slow connection can
    resume a broken download; send `If-Range` with the ETag you have to be sure the rest
    belongs to the same file."""
    stored = minutes.attachment_file(session, access=access, attachment_id=attachment_id)
    return file_response(request, storage, stored)


@router.get(
    "/bodies/{body_id}/meetings.ics",
    operation_id="meetings-calendar",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def meetings_calendar(session: SessionDep, body_id: uuid.UUID) -> Response:
    """An iCalendar feed a phone's calendar can subscribe to (public: titles, times, places)."""
    return Response(
        calendar.feed(session, body_id=body_id),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="meetings.ics"'},
    )
