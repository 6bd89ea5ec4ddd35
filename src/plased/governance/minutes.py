"""Minutes (draft → approved → published) and their attachments.

Observers and members see only published minutes; the secretariat and the body's
facilitators see drafts. Attachments follow ``plased.documents``: PDF, ODT or DOCX,
recognised by their content, size-limited, stored under their id, never their name.
"""

import uuid

from sqlalchemy import update
from sqlmodel import Session, col, select

from plased import documents
from plased import transitions as engine
from plased.access import Access
from plased.concurrency import check_if_match
from plased.config import Settings
from plased.db import rows_changed, utcnow
from plased.downloads import StoredFile
from plased.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
)
from plased.governance import bodies, meetings
from plased.governance.models import Attachment, MeetingStatus, Minutes, MinutesStatus
from plased.storage import Storage
from plased.transitions import Machine


def _load(session: Session, access: Access, meeting_id: uuid.UUID) -> tuple[Minutes | None, bool]:
    meeting, body = meetings.get_meeting(session, access, meeting_id)
    editor = bodies.facilitates(session, access, body)
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).first()
    return minutes, editor


def read(session: Session, *, access: Access, meeting_id: uuid.UUID) -> Minutes:
    minutes, editor = _load(session, access, meeting_id)
    if minutes is None or (minutes.status != MinutesStatus.published and not editor):
        raise NotFound
    return minutes


SECRETARIAT = "the platform's secretariat"
MACHINE: Machine[Minutes] = Machine(
    model=Minutes,
    actions=engine.actions(
        ("approve", {MinutesStatus.draft}, MinutesStatus.approved, SECRETARIAT),
        ("publish", {MinutesStatus.approved}, MinutesStatus.published, SECRETARIAT),
    ),
)


def write(
    session: Session,
    *,
    access: Access,
    meeting_id: uuid.UUID,
    text: str,
    if_match: str | None,
) -> Minutes:
    """Write the draft. Rewriting is one conditional UPDATE on the draft status, so a draft
    approved at the same moment is never changed afterwards."""
    meeting, body = meetings.get_meeting(session, access, meeting_id)
    bodies.require_facilitator(session, access, body)
    if meeting.status not in (MeetingStatus.in_progress, MeetingStatus.closed):
        raise InvalidTransition(current=meeting.status, action="write minutes")
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).first()
    if minutes is None:
        minutes = Minutes(meeting_id=meeting.id, text=text)
        session.add(minutes)
        session.flush()
        return minutes
    check_if_match(if_match, minutes.version)
    result = session.execute(
        update(Minutes)
        .where(col(Minutes.id) == minutes.id)
        .where(col(Minutes.status) == MinutesStatus.draft)
        .values(text=text, version=col(Minutes.version) + 1, updated_at=utcnow())
    )
    session.refresh(minutes)
    if not rows_changed(result):
        raise InvalidTransition(current=minutes.status, action="edit the minutes")
    return minutes


def transition(session: Session, *, access: Access, meeting_id: uuid.UUID, action: str) -> Minutes:
    meeting, body = meetings.get_meeting(session, access, meeting_id)
    if not access.manages(body.platform_id):
        raise Forbidden("Only the platform's secretariat approves and publishes minutes.")
    access.require_writable(body.platform_id)
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).first()
    if minutes is None:
        raise NotFound
    if not MACHINE.allows(minutes, action):
        raise InvalidTransition(current=minutes.status, action=action)
    if action == "approve" and meeting.status != MeetingStatus.closed:
        raise Conflict("Minutes are approved after the meeting closes.", code="meeting_not_closed")
    moment = "approved_at" if action == "approve" else "published_at"
    return engine.apply(
        session, MACHINE, minutes, action, actor_id=access.user.id, values={moment: utcnow()}
    )


def add_attachment(
    session: Session,
    settings: Settings,
    *,
    storage: Storage,
    access: Access,
    meeting_id: uuid.UUID,
    filename: str,
    data: bytes,
) -> Attachment:
    meeting, body = meetings.get_meeting(session, access, meeting_id)
    bodies.require_facilitator(session, access, body)
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).first()
    if minutes is None:
        raise Conflict("Write the minutes before attaching files.", code="no_minutes")
    if minutes.status == MinutesStatus.published:
        raise InvalidTransition(current=minutes.status, action="attach files")
    document = documents.accept(settings, filename=filename, data=data, default_name="minutes")
    attachment = Attachment(minutes_id=minutes.id, **vars(document))
    documents.store(session, storage, attachment, str(attachment.id), data)
    return attachment


def attachments(session: Session, *, access: Access, meeting_id: uuid.UUID) -> list[Attachment]:
    minutes = read(session, access=access, meeting_id=meeting_id)
    return list(
        session.exec(
            select(Attachment)
            .where(Attachment.minutes_id == minutes.id)
            .order_by(col(Attachment.created_at))
        ).all()
    )


def attachment_file(session: Session, *, access: Access, attachment_id: uuid.UUID) -> StoredFile:
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound
    minutes = session.get(Minutes, attachment.minutes_id)
    assert minutes is not None
    read(session, access=access, meeting_id=minutes.meeting_id)  # same visibility as the minutes
    return documents.stored_file(attachment)
