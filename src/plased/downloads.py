"""Stored files answered whole or in one piece: Range and If-Range (RFC 9110 §14, §13.1.5).

A slow connection that breaks off a download asks for the rest with ``Range: bytes=N-``
(and ``If-Range`` with the tag it has, so that it never splices two different files). The
tag is the file's SHA-256, the same on every replica and for every storage, and the bytes
are read from the storage in chunks, never whole.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import StreamingResponse

from plased.errors import NotFound, PlasedError
from plased.middleware import none_match
from plased.storage import Storage, StoredFileMissing

_TEXT = {"schema": {"type": "string"}}


def file_responses(media_types: Iterable[str]) -> dict[int | str, dict[str, Any]]:
    """What the OpenAPI document lists for a route answering with ``file_response``."""
    content = {media: {"schema": {"type": "string", "format": "binary"}} for media in media_types}
    return {
        200: {
            "description": "The whole file",
            "content": content,
            "headers": {
                "Accept-Ranges": {**_TEXT, "description": "bytes: a range may be asked for"},
                "Content-Disposition": {**_TEXT, "description": "attachment; filename"},
                "Last-Modified": {**_TEXT, "description": "When the file was stored"},
            },
        },
        206: {
            "description": "One byte range of the file, as asked for with Range",
            "content": content,
            "headers": {"Content-Range": {**_TEXT, "description": "bytes FIRST-LAST/SIZE"}},
        },
        416: {
            "description": "Range not satisfiable: no byte of the range is in the file",
            "headers": {"Content-Range": {**_TEXT, "description": "bytes */SIZE"}},
        },
    }


class RangeNotSatisfiable(PlasedError):
    status, code = 416, "range_not_satisfiable"

    def __init__(self, size: int) -> None:
        super().__init__(f"The file has {size} bytes; no byte of that range exists.")
        self.headers["Content-Range"] = f"bytes */{size}"


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    media_type: str
    filename: str
    sha256: str
    stored_at: datetime

    @property
    def etag(self) -> str:
        return f'"{self.sha256}"'

    @property
    def last_modified(self) -> str:
        return format_datetime(self.stored_at, usegmt=True)


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(offset, length)`` of the one range asked for, or None to send the whole file.

    A header that is not one well-formed byte range is ignored (the whole file is sent), as
    RFC 9110 allows; several ranges are too, since resuming asks for one. A range that is
    well formed but holds no byte of the file raises ``RangeNotSatisfiable``.
    """
    if header is None:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash or not (first.isdigit() or last.isdigit()):
        return None
    if not first:  # a suffix: the last N bytes
        if not last.isdigit():
            return None
        wanted = min(int(last), size)
        if wanted == 0:
            raise RangeNotSatisfiable(size)
        return size - wanted, wanted
    if not first.isdigit() or (last and not last.isdigit()):
        return None
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None
    if start >= size:
        raise RangeNotSatisfiable(size)
    return start, end - start + 1


def _if_range_holds(if_range: str | None, file: StoredFile) -> bool:
    """If-Range names this file by its strong tag or its exact Last-Modified date; a weak
    tag never does (RFC 9110 §13.1.5). When it does not, the whole file is sent."""
    if if_range is None:
        return True
    value = if_range.strip()
    if value.startswith('"'):
        return value == file.etag
    return not value.startswith("W/") and value == file.last_modified


def _disposition(filename: str) -> str:
    quoted = quote(filename)
    if quoted != filename:
        return f"attachment; filename*=utf-8''{quoted}"
    return f'attachment; filename="{filename}"'


def file_response(request: Request, storage: Storage, file: StoredFile) -> Response:
    """200 with the file, 206 with one range of it, 304, or 416 (a problem)."""
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": file.etag,
        "Last-Modified": file.last_modified,
        "Content-Disposition": _disposition(file.filename),
        "X-Content-Type-Options": "nosniff",
    }
    if none_match(request.headers.get("if-none-match"), file.etag):
        return Response(status_code=304, headers={"ETag": file.etag})
    wanted = None
    if _if_range_holds(request.headers.get("if-range"), file):
        wanted = byte_range(request.headers.get("range"), file.size)
    offset, length = wanted or (0, file.size)
    try:
        chunks = storage.open(file.key, offset=offset, length=length if wanted else None)
    except StoredFileMissing as exc:
        raise NotFound from exc
    headers["Content-Length"] = str(length)
    if wanted is not None:
        headers["Content-Range"] = f"bytes {offset}-{offset + length - 1}/{file.size}"
    return StreamingResponse(
        chunks,
        status_code=206 if wanted is not None else 200,
        media_type=file.media_type,
        headers=headers,
    )
