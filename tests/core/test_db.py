"""Database settings: SQLite pragmas, UTC timestamps, optimistic versions."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import StatementError
from sqlmodel import Session

from plased.auth.models import User
from tests.factories import make_user


def test_sqlite_pragmas(engine: Engine, is_postgres: bool) -> None:
    if is_postgres:
        pytest.skip("SQLite only")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_timestamps_come_back_in_utc(db: Session) -> None:
    phnom_penh = timezone(timedelta(hours=7))
    user = make_user(db, last_login_at=datetime(2026, 5, 1, 9, 30, tzinfo=phnom_penh))
    db.expire_all()
    loaded = db.get(User, user.id)
    assert loaded is not None and loaded.last_login_at is not None
    assert loaded.last_login_at.tzinfo is not None
    assert loaded.last_login_at == datetime(2026, 5, 1, 2, 30, tzinfo=UTC)
    assert loaded.created_at.tzinfo is not None


def test_naive_datetimes_are_refused(db: Session) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        make_user(db, last_login_at=datetime(2026, 5, 1, 9, 30))
    db.rollback()


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with pytest.raises(Exception, match=r"(?i)foreign key"), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO platform_role (id, user_id, platform_id, role, created_at) "
                "VALUES ('00000000000000000000000000000001', '00000000000000000000000000000002',"
                " '00000000000000000000000000000003', 'observer', '2026-01-01')"
            )
        )
