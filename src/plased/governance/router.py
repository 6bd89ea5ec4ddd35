"""Governance endpoints."""

import uuid
from typing import Any

from fastapi import Request, Response, status
from sqlmodel import Session

from plased.access import Access, AccessDep, action_parameters
from plased.concurrency import IfMatch, with_etag
from plased.db import SessionDep
from plased.governance import bodies, meetings, motions
from plased.governance.models import AgendaItem, Motion, Seat
from plased.governance.schemas import (
    AgendaItemCreate,
    AgendaItemPublic,
    AgendaItemUpdate,
    AgendaOrder,
    AttendanceBatch,
    AttendanceMark,
    AttendancePublic,
    AttendanceRow,
    BallotCreate,
    BallotReceipt,
    BodyComposition,
    BodyCreate,
    BodyPublic,
    MeetingCreate,
    MeetingPublic,
    MeetingUpdate,
    MotionCreate,
    MotionPublic,
    MotionResult,
    Quorum,
    SeatChange,
    SeatCreate,
    SeatEnd,
    SeatPublic,
)
from plased.idempotency import idempotent
from plased.pagination import Page, PageDep, page_list, sort_keys
from plased.routing import DomainRouter
from plased.transitions import ActionRoute, add_action_routes

router = DomainRouter(tags=["governance"])


@router.get(
    "/platforms/{platform_id}/bodies",
    operation_id="bodies-list",
    response_model=Page[BodyPublic],
    openapi_extra=sort_keys("name", "kind"),
)
def list_bodies(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    page: PageDep,
) -> Page[BodyPublic]:
    """The platform's general assembly first, then its other bodies by name."""
    found = bodies.list_bodies(session, access=access, platform_id=platform_id)
    return page_list(request, response, page, bodies.present(session, found), BodyPublic)


@router.post(
    "/platforms/{platform_id}/bodies",
    operation_id="bodies-create",
    response_model=BodyPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_body(
    session: SessionDep, access: AccessDep, platform_id: uuid.UUID, body: BodyCreate
) -> BodyPublic:
    """An executive board, working group, focus group or committee (the general assembly is
    created with the platform)."""
    return bodies.present_one(
        session, bodies.create_body(session, access=access, platform_id=platform_id, data=body)
    )


@router.get("/bodies/{body_id}", operation_id="bodies-get", response_model=BodyPublic)
def get_body(session: SessionDep, access: AccessDep, body_id: uuid.UUID) -> BodyPublic:
    return bodies.present_one(session, bodies.get_body(session, access, body_id))


@router.get(
    "/bodies/{body_id}/seats",
    operation_id="seats-list",
    response_model=Page[SeatPublic],
    openapi_extra=sort_keys("term_start", "position", "person_name"),
)
def list_seats(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    body_id: uuid.UUID,
    page: PageDep,
    current: bool = False,
) -> Page[SeatPublic]:
    """Current and past holders (``current=true``: today's)."""
    found = bodies.list_seats(session, access=access, body_id=body_id, current_only=current)
    return page_list(request, response, page, found, SeatPublic)


def _seat_change(arguments: dict[str, Any], seat_id: uuid.UUID) -> SeatChange:
    """A replayed seat answer, rebuilt (it names the seat holder)."""
    session: Session = arguments["session"]
    return bodies.seat_change(session, arguments["access"], session.get_one(Seat, seat_id))


@router.post(
    "/bodies/{body_id}/seats",
    operation_id="seats-create",
    response_model=SeatChange,
    status_code=status.HTTP_201_CREATED,
)
@idempotent(replay=lambda arguments, seat_id: _seat_change(arguments, uuid.UUID(seat_id)))
def add_seat(
    session: SessionDep, access: AccessDep, body_id: uuid.UUID, body: SeatCreate
) -> SeatChange:
    """Returns the composition warnings that result."""
    seat = bodies.add_seat(session, access=access, body_id=body_id, data=body)
    return bodies.seat_change(session, access, seat)


@router.post("/seats/{seat_id}/end", operation_id="seats-end", response_model=SeatChange)
@idempotent(replay=lambda arguments, _id: _seat_change(arguments, arguments["seat_id"]))
def end_seat(
    session: SessionDep, access: AccessDep, seat_id: uuid.UUID, body: SeatEnd
) -> SeatChange:
    seat = bodies.end_seat(session, access=access, seat_id=seat_id, end_date=body.end_date)
    return bodies.seat_change(session, access, seat)


@router.get(
    "/bodies/{body_id}/composition",
    operation_id="bodies-composition",
    response_model=BodyComposition,
)
def body_composition(session: SessionDep, access: AccessDep, body_id: uuid.UUID) -> BodyComposition:
    return bodies.composition(session, access=access, body_id=body_id)


@router.get(
    "/bodies/{body_id}/meetings",
    operation_id="meetings-list",
    response_model=Page[MeetingPublic],
    openapi_extra=sort_keys("starts_at", "title", "status"),
)
def list_meetings(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    body_id: uuid.UUID,
    page: PageDep,
) -> Page[MeetingPublic]:
    found = meetings.list_meetings(session, access=access, body_id=body_id)
    shown = [meetings.present(m) for m in found]
    return page_list(request, response, page, shown, MeetingPublic)


@router.post(
    "/bodies/{body_id}/meetings",
    operation_id="meetings-create",
    response_model=MeetingPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_meeting(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    body_id: uuid.UUID,
    body: MeetingCreate,
) -> MeetingPublic:
    meeting = meetings.create(session, access=access, body_id=body_id, data=body)
    with_etag(response, meeting.version)
    return meetings.present(meeting)


@router.get("/meetings/{meeting_id}", operation_id="meetings-get", response_model=MeetingPublic)
def get_meeting(
    response: Response, session: SessionDep, access: AccessDep, meeting_id: uuid.UUID
) -> MeetingPublic:
    meeting, _ = meetings.get_meeting(session, access, meeting_id)
    with_etag(response, meeting.version)
    return meetings.present(meeting)


@router.patch(
    "/meetings/{meeting_id}", operation_id="meetings-update", response_model=MeetingPublic
)
def update_meeting(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    meeting_id: uuid.UUID,
    body: MeetingUpdate,
    if_match: IfMatch = None,
) -> MeetingPublic:
    meeting = meetings.update_meeting(
        session, access=access, meeting_id=meeting_id, data=body, if_match=if_match
    )
    with_etag(response, meeting.version)
    return meetings.present(meeting)


@router.get(
    "/meetings/{meeting_id}/agenda",
    operation_id="agenda-list",
    response_model=Page[AgendaItemPublic],
    openapi_extra=sort_keys("position", "title"),
)
def list_agenda(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    meeting_id: uuid.UUID,
    page: PageDep,
) -> Page[AgendaItemPublic]:
    """In agenda order."""
    found = meetings.agenda(session, access=access, meeting_id=meeting_id)
    return page_list(request, response, page, found, AgendaItemPublic)


@router.post(
    "/meetings/{meeting_id}/agenda",
    operation_id="agenda-create",
    response_model=AgendaItemPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def add_agenda_item(
    session: SessionDep, access: AccessDep, meeting_id: uuid.UUID, body: AgendaItemCreate
) -> AgendaItem:
    return meetings.add_item(session, access=access, meeting_id=meeting_id, data=body)


@router.put(
    "/meetings/{meeting_id}/agenda/order",
    operation_id="agenda-reorder",
    response_model=list[AgendaItemPublic],
)
def reorder_agenda(
    session: SessionDep, access: AccessDep, meeting_id: uuid.UUID, body: AgendaOrder
) -> list[AgendaItem]:
    return meetings.reorder(session, access=access, meeting_id=meeting_id, item_ids=body.item_ids)


@router.patch(
    "/agenda-items/{item_id}", operation_id="agenda-update", response_model=AgendaItemPublic
)
def edit_agenda_item(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    item_id: uuid.UUID,
    body: AgendaItemUpdate,
    if_match: IfMatch = None,
) -> AgendaItem:
    item = meetings.edit_item(session, access=access, item_id=item_id, data=body, if_match=if_match)
    with_etag(response, item.version)
    return item


@router.delete(
    "/agenda-items/{item_id}", operation_id="agenda-delete", status_code=status.HTTP_204_NO_CONTENT
)
def remove_agenda_item(
    session: SessionDep, access: AccessDep, item_id: uuid.UUID, if_match: IfMatch = None
) -> None:
    meetings.remove_item(session, access=access, item_id=item_id, if_match=if_match)


@router.get(
    "/meetings/{meeting_id}/attendance",
    operation_id="attendance-list",
    response_model=Page[AttendancePublic],
    openapi_extra=sort_keys("person_name", "status"),
)
def list_attendance(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    meeting_id: uuid.UUID,
    page: PageDep,
) -> Page[AttendancePublic]:
    found = meetings.attendance(session, access=access, meeting_id=meeting_id)
    return page_list(request, response, page, found, AttendancePublic)


@router.put(
    "/meetings/{meeting_id}/attendance/{person_id}",
    operation_id="attendance-set",
    response_model=list[AttendancePublic],
)
def set_attendance(
    session: SessionDep,
    access: AccessDep,
    meeting_id: uuid.UUID,
    person_id: uuid.UUID,
    body: AttendanceMark,
) -> list[AttendancePublic]:
    row = AttendanceRow(person_id=person_id, **body.model_dump())
    return meetings.record_attendance(
        session, access=access, meeting_id=meeting_id, rows=[row], one_person=True
    )


@router.post(
    "/meetings/{meeting_id}/attendance",
    operation_id="attendance-batch",
    response_model=list[AttendancePublic],
)
@idempotent(
    replay=lambda arguments, _id: meetings.attendance(
        arguments["session"], access=arguments["access"], meeting_id=arguments["meeting_id"]
    )
)
def batch_attendance(
    session: SessionDep, access: AccessDep, meeting_id: uuid.UUID, body: AttendanceBatch
) -> list[AttendancePublic]:
    """A paper sign-in sheet typed in afterwards: every row or none."""
    return meetings.record_attendance(session, access=access, meeting_id=meeting_id, rows=body.rows)


@router.get("/meetings/{meeting_id}/quorum", operation_id="meetings-quorum", response_model=Quorum)
def meeting_quorum(session: SessionDep, access: AccessDep, meeting_id: uuid.UUID) -> Quorum:
    return meetings.quorum(session, access=access, meeting_id=meeting_id)


@router.get(
    "/meetings/{meeting_id}/motions",
    operation_id="motions-list",
    response_model=Page[MotionPublic],
    openapi_extra=sort_keys("opened_at", "status"),
)
def list_motions(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    meeting_id: uuid.UUID,
    page: PageDep,
) -> Page[MotionPublic]:
    """In the order they were moved."""
    found = motions.list_motions(session, access=access, meeting_id=meeting_id)
    return page_list(request, response, page, found, MotionPublic)


@router.post(
    "/meetings/{meeting_id}/motions",
    operation_id="motions-create",
    response_model=MotionPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_motion(
    session: SessionDep, access: AccessDep, meeting_id: uuid.UUID, body: MotionCreate
) -> Motion:
    return motions.create(session, access=access, meeting_id=meeting_id, data=body)


@router.post(
    "/motions/{motion_id}/ballots",
    operation_id="ballots-cast",
    response_model=BallotReceipt,
    status_code=status.HTTP_201_CREATED,
)
@idempotent(
    replay=lambda arguments, _id: motions.receipt(
        arguments["session"], user=arguments["access"].user, motion_id=arguments["motion_id"]
    ),
    ignore=frozenset({"choice"}),
)
def cast_ballot(
    session: SessionDep, access: AccessDep, motion_id: uuid.UUID, body: BallotCreate
) -> BallotReceipt:
    """The caller's own ballot; a second ballot answers 409. With ``Idempotency-Key`` a retry
    gets the first receipt; the choice is not compared (nothing stored may depend on it)."""
    return motions.cast(session, access=access, motion_id=motion_id, choice=body.choice)


@router.get(
    "/motions/{motion_id}/result",
    operation_id="motions-result",
    response_model=MotionResult,
    responses={409: {"description": "The motion is not closed yet (invalid_transition)"}},
)
def motion_result(session: SessionDep, access: AccessDep, motion_id: uuid.UUID) -> MotionResult:
    return motions.result(session, user=access.user, access=access, motion_id=motion_id)


def _meeting_act(
    *, session: Session, access: Access, meeting_id: uuid.UUID, action: str, body: None
) -> MeetingPublic:
    return meetings.present(
        meetings.transition(session, access=access, meeting_id=meeting_id, action=action)
    )


def _motion_act(
    *, session: Session, access: Access, motion_id: uuid.UUID, action: str, body: None
) -> MotionPublic:
    return MotionPublic.model_validate(
        motions.transition(session, access=access, motion_id=motion_id, action=action)
    )


add_action_routes(
    router,
    path="/meetings/{meeting_id}",
    resource="meetings",
    parameters=action_parameters("meeting_id"),
    run=_meeting_act,
    response_model=MeetingPublic,
    routes=[
        ActionRoute(
            "convene", "Convene a meeting", "Convene the meeting: the body's voters are invited."
        ),
        ActionRoute("start", "Start a meeting", "Start the meeting (agenda edits end here)."),
        ActionRoute("close", "Close a meeting", "Close the meeting."),
        ActionRoute("cancel", "Cancel a meeting", "Cancel a planned or convened meeting."),
    ],
)
add_action_routes(
    router,
    path="/motions/{motion_id}",
    resource="motions",
    parameters=action_parameters("motion_id"),
    run=_motion_act,
    response_model=MotionPublic,
    routes=[
        ActionRoute(
            "open", "Open a motion", "Open the vote: the meeting must be in progress and quorate."
        ),
        ActionRoute(
            "close", "Close a motion", "Close the vote: the result is computed and frozen."
        ),
        ActionRoute("withdraw", "Withdraw a motion", "Withdraw a draft motion."),
    ],
)
