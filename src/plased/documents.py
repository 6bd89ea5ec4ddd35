"""Documents attached to records (minutes, strategies): PDF, ODT or DOCX, recognised by their
content (not by the name or the declared type), size-limited, and stored outside the
database (in the storage of ``plased.storage``: a directory or a bucket) under their row's id,
never their name. One way for every kind of record that carries documents."""

import hashlib
import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from sqlmodel import Session, SQLModel

from plased.config import Settings
from plased.downloads import StoredFile
from plased.errors import PayloadTooLarge, Unprocessable
from plased.storage import Storage

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


@dataclass(frozen=True)
class Document:
    """An accepted upload: the name we store it under, its type, size and digest."""

    filename: str
    content_type: str
    size: int
    sha256: str


class DocumentRow(Protocol):
    """A stored document's row: its id names the file in the storage."""

    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


def stored_file(row: DocumentRow) -> StoredFile:
    """What ``plased.downloads.file_response`` needs to send the row's file."""
    return StoredFile(
        key=str(row.id),
        size=row.size,
        media_type=row.content_type,
        filename=row.filename,
        sha256=row.sha256,
        stored_at=row.created_at,
    )


def safe_name(filename: str, content_type: str, default: str) -> str:
    """The uploader's name reduced to safe characters, with the extension of its real type."""
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "_", Path(filename).stem)[:150].strip(" .") or default
    return stem + EXTENSIONS[content_type]


def accept(settings: Settings, *, filename: str, data: bytes, default_name: str) -> Document:
    """The upload as a document, or 413 (over ``max_upload_bytes``) or 422
    ``unsupported_file_type`` (not a PDF, ODT or DOCX)."""
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
    return Document(
        filename=safe_name(filename, content_type, default_name),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def store(session: Session, storage: Storage, row: SQLModel, key: str, data: bytes) -> None:
    """The file in the storage under ``key`` (the row's id), then the row: a row that cannot
    be written leaves no file behind."""
    storage.put(key, io.BytesIO(data))
    session.add(row)
    try:
        session.flush()
    except Exception:
        storage.delete(key)  # no row will ever name it
        raise
