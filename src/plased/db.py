"""Engine, metadata naming convention, column types and the per-request session."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, Session, SQLModel, create_engine

from plased.config import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always returns an aware UTC datetime (SQLite forgets the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def timestamp_field(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class IdMixin(SQLModel):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)


class TimestampMixin(SQLModel):
    created_at: datetime = timestamp_field(default_factory=utcnow, nullable=False)
    updated_at: datetime = timestamp_field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class VersionMixin(SQLModel):
    """Optimistic concurrency: bumped by every service that changes the record."""

    version: int = Field(default=1, nullable=False)


def bump(record: VersionMixin) -> None:
    record.version += 1


def rows_changed(result: Any) -> int:
    """How many rows an UPDATE or DELETE touched (conditional updates read it to know
    whether they won; the typed Result does not declare ``rowcount``)."""
    return int(result.rowcount)


def make_engine(settings: Settings) -> Engine:
    """One engine per process; the pool is at least as large as the threadpool (DESIGN §9).
    Callers import ``plased.models`` first, so that every table is mapped before the first
    query resolves a foreign key (this module sits below the domains and imports none)."""
    if settings.is_sqlite:
        in_memory = settings.database_url in ("sqlite://", "sqlite:///:memory:")
        pool_args: dict[str, Any] = (
            {}
            if in_memory
            else {
                "pool_size": settings.threadpool_size,
                "max_overflow": 10,
                "pool_timeout": settings.db_pool_timeout,
            }
        )
        engine = create_engine(
            settings.database_url,
            connect_args={"check_same_thread": False, "timeout": 30},
            hide_parameters=True,
            **pool_args,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        settings.database_url,
        pool_size=settings.threadpool_size,
        max_overflow=10,
        pool_timeout=settings.db_pool_timeout,
        pool_pre_ping=True,
        pool_recycle=1800,
        hide_parameters=True,  # bound values may be personal data: never in logs
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _finish(session: Session, *, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: commit on success, roll back on error.

    A request holds its connection across several threadpool calls (dependencies, the
    endpoint) without holding a thread in between, so the number of requests that may use
    the database at once is bounded here, in the event loop, by ``db_slots`` (no larger than
    the connection pool). A thread therefore never waits for a connection held by a request
    that is itself waiting for a thread: the deadlock of DESIGN §9 cannot form.

    An error that sets ``keeps_changes`` (a failed login counted, a stolen refresh token
    family revoked) is committed before it propagates.
    """
    engine: Engine = request.app.state.engine
    slots: anyio.Semaphore = request.app.state.db_slots
    async with slots:
        session = Session(engine, expire_on_commit=False)
        try:
            yield session
        except BaseException as exc:
            await run_in_threadpool(
                _finish, session, commit=bool(getattr(exc, "keeps_changes", False))
            )
            raise
        if session.in_transaction() or session.new or session.dirty or session.deleted:
            await run_in_threadpool(_finish, session, commit=True)
        else:
            # The endpoint committed in its own thread (plased.routing): no connection is
            # held and nothing is left to send, so closing costs no trip to a thread.
            session.close()


# scope="function": commit happens before the response is sent, so a failed commit
# can never be reported to the client as a success.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
