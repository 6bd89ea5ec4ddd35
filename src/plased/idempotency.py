"""``Idempotency-Key`` on every creating POST and every transition, through one decorator.

A retry over a flaky connection gets the first answer instead of doing the work twice::

    @router.post("/people", ...)
    @idempotent()
    def create_person(...): ...

The key is scoped to the caller and to the method and path. The same key with a different
request answers 422 (``idempotency_key_reused``); a second request with the key while the
first is still running answers 409 (``idempotency_in_progress``). The record is written in
the request's own transaction, so a request that fails leaves no record and may be retried;
only successful answers (2xx) are remembered, for a day (``REPLAY_WINDOW``).

What is kept of the answer depends on what it holds:

* *stored* (the default): the status, the ``Location`` and the JSON body, replayed as they
  were. Only for answers that hold no personal data.
* *rebuilt* (``replay=``): the status, the ``Location`` and the id of the record, never the
  body. A replay reads the record again as the caller may see it now, so personal data (a
  client's name, a person's phone) is never kept beside the record, and what was erased or
  hidden since (consent withdrawn) stays erased.

The request is compared by an HMAC of its path, query and body under the server's secret key,
so the record cannot be used to guess what was sent (a secret ballot's choice, a password).
``tests/core/test_idempotency_sweep.py`` holds every POST to this.
"""

import functools
import hashlib
import hmac
import inspect
import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any, TypeVar

from fastapi import Header, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Text, UniqueConstraint, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Field, Session, SQLModel, col, select

from plased.db import SessionDep, rows_changed, timestamp_field, utcnow
from plased.errors import Conflict, Unprocessable

E = TypeVar("E", bound=Callable[..., Any])

REPLAY_WINDOW = timedelta(days=1)

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description=(
            "Any unique string (a UUID is a good choice). A retry with the same key and the "
            "same request within a day gets the first answer with `Idempotent-Replayed: true`."
        ),
    ),
]

# The answer rebuilt for a replay: (the endpoint's own arguments, the record's id) → the
# record as the endpoint would return it.
Replay = Callable[[dict[str, Any], str], Any]


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("actor_key", "idempotency_key", "path"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    actor_key: str = Field(max_length=64)
    idempotency_key: str = Field(max_length=200)
    # "POST /api/v1/…": the method and the concrete path.
    path: str = Field(max_length=300)
    request_hash: str = Field(max_length=64)
    status_code: int
    resource_id: str | None = Field(default=None, max_length=64)
    location: str | None = Field(default=None, max_length=300)
    # Stored answers only (no personal data); None when the answer is rebuilt or empty.
    body: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False, index=True)


_KEY = "idempotency_key"
_REQUEST = "idempotency_request__"
_RESPONSE = "idempotency_response__"
_SESSION = "idempotency_session__"


def idempotent(
    *,
    replay: Replay | None = None,
    ignore: frozenset[str] = frozenset(),
) -> Callable[[E], E]:
    """Accept ``Idempotency-Key`` on this endpoint (see the module). ``replay`` rebuilds the
    answer from the record instead of storing it: required when the answer holds personal
    data. ``ignore`` names body fields left out of the comparison (and so out of anything
    stored): a secret ballot's choice."""

    def decorate(endpoint: E) -> E:
        signature = inspect.signature(endpoint)
        own = {p.annotation: name for name, p in signature.parameters.items()}
        # FastAPI hands the request and the response to one parameter each: reuse the
        # endpoint's own when it has them.
        request_name = own.get(Request, _REQUEST)
        response_name = own.get(Response, _RESPONSE)
        extra = [
            inspect.Parameter(
                _KEY, inspect.Parameter.KEYWORD_ONLY, annotation=IdempotencyKey, default=None
            ),
            inspect.Parameter(_SESSION, inspect.Parameter.KEYWORD_ONLY, annotation=SessionDep),
        ]
        for name, annotation in ((request_name, Request), (response_name, Response)):
            if name not in signature.parameters:
                extra.append(
                    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)
                )
        parameters = [
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in signature.parameters.values()
        ]
        is_async = inspect.iscoroutinefunction(endpoint)

        def in_one_thread(
            kwargs: dict[str, Any], session: Session, guard: "_Guard | None"
        ) -> tuple[IdempotencyRecord | None, Any]:
            """A sync endpoint's whole work in one trip to a thread: the record looked up,
            the endpoint, the record written and the commit (plased.routing says why)."""
            if guard is not None:
                previous = guard.previous()
                if previous is not None:
                    return previous, None
            result = endpoint(**kwargs)
            if guard is not None:
                result = _rendered(guard.request, guard.response, result)
                guard.remember(result, stored=replay is None)
            session.commit()
            return None, result

        async def call(kwargs: dict[str, Any]) -> Any:
            return await endpoint(**kwargs)

        @functools.wraps(endpoint)
        async def wrapper(**kwargs: Any) -> Any:
            key: str | None = kwargs.pop(_KEY)
            session: Session = kwargs.pop(_SESSION)
            request: Request = kwargs[request_name]
            response: Response = kwargs[response_name]
            for name in (_REQUEST, _RESPONSE):
                kwargs.pop(name, None)
            guard = None
            if key is not None:
                digest = await _digest(request, kwargs, ignore)
                guard = _Guard(request, session, key, digest, response)
            if not is_async:
                previous, result = await run_in_threadpool(in_one_thread, kwargs, session, guard)
                if previous is not None:
                    return await _replayed(request, response, kwargs, previous, replay)
                return result
            if guard is None:
                return await call(kwargs)
            previous = await run_in_threadpool(guard.previous)
            if previous is not None:
                return await _replayed(request, response, kwargs, previous, replay)
            answer = _rendered(request, response, await call(kwargs))
            await run_in_threadpool(guard.remember, answer, stored=replay is None)
            return answer

        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[*parameters, *extra]
        )
        wrapper.__idempotency__ = "rebuilt" if replay else "stored"  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


class _Guard:
    """The record of one (caller, key, method and path)."""

    def __init__(
        self, request: Request, session: Session, key: str, digest: str, response: Response
    ) -> None:
        self.request = request
        self.response = response
        self.session = session
        self.key = key
        self.digest = digest
        self.actor = str(getattr(request.state, "user_id", None) or "anonymous")
        self.path = f"{request.method} {request.url.path}"[:300]

    def _same_key(self) -> list[ColumnElement[bool]]:
        return [
            col(IdempotencyRecord.actor_key) == self.actor,
            col(IdempotencyRecord.idempotency_key) == self.key,
            col(IdempotencyRecord.path) == self.path,
        ]

    def previous(self) -> IdempotencyRecord | None:
        record = self.session.exec(
            select(IdempotencyRecord)
            .where(*self._same_key())
            .where(col(IdempotencyRecord.created_at) >= utcnow() - REPLAY_WINDOW)
        ).first()
        if record is not None and not hmac.compare_digest(record.request_hash, self.digest):
            raise Unprocessable(
                "This Idempotency-Key was used with a different request.",
                code="idempotency_key_reused",
            )
        return record

    def remember(self, answer: Response, *, stored: bool) -> None:
        if not 200 <= answer.status_code < 300:
            return
        content = getattr(answer, "body", b"")
        body = bytes(content).decode() if content else None
        resource_id = _resource_id(body)
        # An expired record with the same key makes way for the new one.
        self.session.execute(
            delete(IdempotencyRecord)
            .where(*self._same_key())
            .where(col(IdempotencyRecord.created_at) < utcnow() - REPLAY_WINDOW)
        )
        try:
            with self.session.begin_nested():
                self.session.add(
                    IdempotencyRecord(
                        actor_key=self.actor,
                        idempotency_key=self.key,
                        path=self.path,
                        request_hash=self.digest,
                        status_code=answer.status_code,
                        resource_id=resource_id,
                        location=answer.headers.get("Location"),
                        body=body if stored else None,
                    )
                )
                self.session.flush()
        except IntegrityError as exc:
            raise Conflict(
                "A request with this Idempotency-Key is being processed; retry shortly.",
                code="idempotency_in_progress",
            ) from exc


def _resource_id(body: str | None) -> str | None:
    try:
        content = json.loads(body) if body else None
    except ValueError:
        return None
    if not isinstance(content, dict):
        return None
    # The answer's own id, or the id of the one record it wraps ({"seat": {...}, ...}).
    for name in ("id", "motion_id"):
        if isinstance(content.get(name), str):
            return str(content[name])[:64]
    wrapped = [v["id"] for v in content.values() if isinstance(v, dict) and "id" in v]
    return str(wrapped[0])[:64] if len(wrapped) == 1 else None


async def _digest(request: Request, kwargs: dict[str, Any], ignore: frozenset[str]) -> str:
    """An HMAC of what the caller sent: path, query and the endpoint's body arguments."""
    sent: dict[str, Any] = {"path": request.url.path, "query": sorted(request.query_params.items())}
    for name, value in sorted(kwargs.items()):
        if isinstance(value, BaseModel):
            sent[name] = {k: v for k, v in value.model_dump(mode="json").items() if k not in ignore}
        elif isinstance(value, UploadFile):
            content = await value.read()
            await value.seek(0)
            sent[name] = [value.filename, hashlib.sha256(content).hexdigest()]
    secret = request.app.state.settings.secret_key.encode()
    message = json.dumps(sent, sort_keys=True, default=str).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _route_model(request: Request) -> Any:
    route = request.scope.get("route")
    return getattr(route, "response_model", None), getattr(route, "status_code", None)


@functools.lru_cache(maxsize=256)
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def _rendered(request: Request, response: Response, result: Any) -> Response:
    """The answer FastAPI would send for ``result``, as a Response the record can keep."""
    if isinstance(result, Response):
        return result
    model, route_status = _route_model(request)
    status_code = response.status_code or route_status or 200
    headers = {
        k: v for k, v in response.headers.items() if k not in ("content-length", "content-type")
    }
    if status_code == 204 or (result is None and model is None):
        return Response(status_code=status_code, headers=headers)
    if model is not None:
        adapter = _adapter(model)
        content = adapter.dump_python(
            adapter.validate_python(result, from_attributes=True), mode="json", by_alias=True
        )
    else:
        content = jsonable_encoder(result)
    return JSONResponse(content, status_code=status_code, headers=headers)


async def _replayed(
    request: Request,
    response: Response,
    kwargs: dict[str, Any],
    previous: IdempotencyRecord,
    replay: Replay | None,
) -> Response:
    headers = {"Idempotent-Replayed": "true"}
    if previous.location:
        headers["Location"] = previous.location
    if replay is not None:
        rebuilt = await run_in_threadpool(replay, kwargs, previous.resource_id or "")
        answer = _rendered(request, response, rebuilt)
        answer.status_code = previous.status_code
        answer.headers.update(headers)
        return answer
    if previous.body is None:
        return Response(status_code=previous.status_code, headers=headers)
    return Response(
        previous.body,
        status_code=previous.status_code,
        headers=headers,
        media_type="application/json",
    )


def purge_expired(session: Session, *, older_than: timedelta = REPLAY_WINDOW) -> int:
    """Forget keys older than the replay window (clients retry within minutes, not days)."""
    result = session.execute(
        delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < utcnow() - older_than)
    )
    return rows_changed(result)
