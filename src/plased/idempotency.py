"""``Idempotency-Key`` on creating POSTs: a retry over a flaky connection gets the first answer.

The key is scoped to the caller and the path. The same key with a different body answers
422 (`idempotency_key_reused`). The record is written in the request's own transaction, so a
request that fails leaves no record and may be retried.

No answer is stored: the record keeps the status and the created record's id, and a replay
rebuilds the answer from that record as the caller may see it now. A stored answer would
keep personal data (a client's name and phone) after the record itself was erased.
"""

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any, TypeVar

from fastapi import Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import UniqueConstraint, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from plased.db import rows_changed, timestamp_field, utcnow
from plased.errors import Conflict, Unprocessable

M = TypeVar("M", bound=BaseModel)

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="Any unique string; a retry with the same key returns the first answer",
    ),
]


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("actor_key", "idempotency_key", "path"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    actor_key: str = Field(max_length=64)
    idempotency_key: str = Field(max_length=200)
    path: str = Field(max_length=300)
    request_hash: str = Field(max_length=64)
    status_code: int
    # The answer is rebuilt from the record on a replay, never stored: a stored answer would
    # keep personal data (a client's name) after the record itself is erased.
    resource_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False, index=True)


def _hash(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _record_id(model: BaseModel) -> str:
    return str(model.model_dump(mode="json")["id"])


def idempotent(
    session: Session,
    *,
    key: str | None,
    actor_key: str,
    path: str,
    payload: Any,
    create: Callable[[], M],
    replay: Callable[[str], M],
    resource_id: Callable[[M], str] = _record_id,
    status_code: int = 201,
    location: Callable[[str], str] | None = None,
) -> JSONResponse:
    """Run ``create`` once per key. A retry with the same body gets ``replay(resource_id)``:
    the record as it is now, rebuilt through the normal read path. ``payload`` is what must
    match between the first request and a retry; ``location`` maps the id to its URL."""
    if key is not None:
        previous = session.exec(
            select(IdempotencyRecord)
            .where(IdempotencyRecord.actor_key == actor_key)
            .where(IdempotencyRecord.idempotency_key == key)
            .where(IdempotencyRecord.path == path)
        ).first()
        if previous is not None:
            if previous.request_hash != _hash(payload):
                raise Unprocessable(
                    "This Idempotency-Key was used with a different request body.",
                    code="idempotency_key_reused",
                )
            headers = {"Idempotent-Replayed": "true"}
            ident = previous.resource_id or ""
            if location and ident:
                headers["Location"] = location(ident)
            body = replay(ident).model_dump(mode="json")
            return JSONResponse(body, status_code=previous.status_code, headers=headers)
    result = create()
    ident = resource_id(result)
    if key is not None:
        try:
            with session.begin_nested():
                session.add(
                    IdempotencyRecord(
                        actor_key=actor_key,
                        idempotency_key=key,
                        path=path,
                        request_hash=_hash(payload),
                        status_code=status_code,
                        resource_id=ident,
                    )
                )
                session.flush()
        except IntegrityError as exc:
            raise Conflict(
                "A request with this Idempotency-Key is being processed; retry shortly.",
                code="idempotency_in_progress",
            ) from exc
    created_headers = {"Location": location(ident)} if location else None
    return JSONResponse(
        result.model_dump(mode="json"), status_code=status_code, headers=created_headers
    )


REPLAY_WINDOW = timedelta(days=1)


def purge_expired(session: Session, *, older_than: timedelta = REPLAY_WINDOW) -> int:
    """Forget keys older than the replay window (clients retry within minutes, not days)."""
    result = session.execute(
        delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < utcnow() - older_than)
    )
    return rows_changed(result)
