"""``Idempotency-Key`` on creating POSTs: a retry over a flaky connection gets the first answer.

The key is scoped to the caller and the path. The same key with a different body answers
422 (`idempotency_key_reused`). The record is written in the request's own transaction, so a
request that fails leaves no record and may be retried.
"""

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import UniqueConstraint, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from plased.db import rows_changed, timestamp_field, utcnow
from plased.errors import Conflict, Unprocessable

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
    response_body: str
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False, index=True)


def _hash(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def idempotent(
    session: Session,
    *,
    key: str | None,
    actor_key: str,
    path: str,
    payload: Any,
    create: Callable[[], BaseModel],
    status_code: int = 201,
    location: Callable[[str], str] | None = None,
) -> JSONResponse:
    """Run ``create`` once per key; replay its answer (and Location) for retries with the
    same body. ``location`` maps the created id to its URL."""
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
            body = json.loads(previous.response_body)
            headers = {"Idempotent-Replayed": "true"}
            if location and "id" in body:
                headers["Location"] = location(str(body["id"]))
            return JSONResponse(body, status_code=previous.status_code, headers=headers)
    result = create()
    body_json = result.model_dump(mode="json")
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
                        response_body=json.dumps(body_json),
                    )
                )
                session.flush()
        except IntegrityError as exc:
            raise Conflict(
                "A request with this Idempotency-Key is being processed; retry shortly.",
                code="idempotency_in_progress",
            ) from exc
    created_headers = {"Location": location(str(body_json["id"]))} if location else None
    return JSONResponse(body_json, status_code=status_code, headers=created_headers)


REPLAY_WINDOW = timedelta(days=1)


def purge_expired(session: Session, *, older_than: timedelta = REPLAY_WINDOW) -> int:
    """Forget keys older than the replay window (clients retry within minutes, not days)."""
    result = session.execute(
        delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < utcnow() - older_than)
    )
    return rows_changed(result)
