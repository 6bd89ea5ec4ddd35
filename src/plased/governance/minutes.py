"""Minutes (draft → approved → published) and their attachments.

Observers and members see only published minutes; the secretariat and the body's
facilitators see drafts. Attachments are PDF, ODT or DOCX, recognised by their content (not
by the name or the declared type), size-limited, and stored outside the database (in the
storage of ``plased.storage``: a directory or a bucket) under their id, never their name.
"""

import hashlib
import io
import re
import uuid
import zipfile
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, col, select

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
    PayloadTooLarge,
    Unprocessable,
)
from plased.governance import bodies, meetings
from plased.governance.models import Attachment, MeetingStatus, Minutes, MinutesStatus
from plased.storage import Storage
from plased.transitions import Machine

PDF = "application/pdf"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: ".pdf", ODT: ".odt", DOCX: ".docx"}


# An ODT's ``mimetype`` member holds 39 bytes; nothing larger is ever inflated.
_MIMETYPE_READ = 128
MAX_MEMBERS = 10_000


def sniff(data: bytes) -> str | None:
    """The document type from its bytes, or None for anything else.

    Archives are recognised from their directory of names and at most ``_MIMETYPE_READ``
    inflated bytes: a small zip that expands to gigabytes costs no memory here.
    """
    if data.startswith(b"%PDF-"):
        return PDF
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                return None
            names = {member.filename for member in members}
            if "mimetype" in names:
                with archive.open("mimetype") as handle:
                    if handle.read(_MIMETYPE_READ).strip() == ODT.encode():
                        return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError, EOFError):
        return None
    return None


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


def _safe_name(filename: str, content_type: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "_", Path(filename).stem)[:150].strip(" .") or "minutes"
    return stem + EXTENSIONS[content_type]


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
    if len(data) > settings.max_upload_bytes:
        raise PayloadTooLarge
    content_type = sniff(data)
    if content_type is None:
        raise Unprocessable(
            "Attach a PDF, ODT or DOCX document.",
            code="unsupported_file_type",
            errors=[
                {
                    "pointer": "/body",
                    "code": "unsupported_file_type",
                    "message": "Only PDF, ODT and DOCX documents are accepted.",
                }
            ],
        )
    attachment = Attachment(
        minutes_id=minutes.id,
        filename=_safe_name(filename, content_type),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    storage.put(str(attachment.id), io.BytesIO(data))
    session.add(attachment)
    try:
        session.flush()
    except Exception:
        storage.delete(str(attachment.id))  # no row will ever name it
        raise
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
    return StoredFile(
        key=str(attachment.id),
        size=attachment.size,
        media_type=attachment.content_type,
        filename=attachment.filename,
        sha256=attachment.sha256,
        stored_at=attachment.created_at,
    )
