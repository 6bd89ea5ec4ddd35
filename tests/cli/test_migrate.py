"""`plased migrate`: as before on SQLite; one at a time on PostgreSQL (an advisory lock), so
replicas starting together do not run the same migration twice."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import Connection

from plased.cli import MIGRATION_LOCK_KEY, migrate
from plased.health import current_revisions, head_revisions

PLASED = str(Path(sys.executable).with_name("plased"))
KEY = {"key": MIGRATION_LOCK_KEY}


def test_migrate_reaches_head_and_runs_again_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    for _ in range(2):  # the second run finds nothing to do
        result = subprocess.run(
            [PLASED, "migrate"],
            env={**os.environ, "PLASED_DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, result.stderr
        assert "database migrated to head" in result.stdout
    migrate(url)  # and in process
    engine = create_engine(url)
    try:
        assert current_revisions(engine) == head_revisions()
    finally:
        engine.dispose()


def _waiting_for_the_lock(connection: Connection) -> int:
    """Sessions waiting for the migration lock (pg_locks splits a bigint key in two)."""
    waiting = connection.execute(
        text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = :key"
        ),
        KEY,
    ).scalar_one()
    connection.commit()
    return int(waiting)


def test_a_second_migrate_waits_for_the_first(database_url: str, is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip("advisory locks are PostgreSQL's; SQLite has one writer at a time anyway")
    failures: list[BaseException] = []

    def run() -> None:
        try:
            migrate(database_url)
        except BaseException as exc:
            failures.append(exc)

    engine = create_engine(database_url, poolclass=pool.NullPool)
    worker = threading.Thread(target=run, daemon=True)
    try:
        with engine.connect() as holder:
            # This session plays the first replica, in the middle of its migration.
            holder.execute(text("SELECT pg_advisory_lock(:key)"), KEY)
            holder.commit()
            worker.start()
            try:
                deadline = time.monotonic() + 30
                while _waiting_for_the_lock(holder) == 0:
                    assert worker.is_alive(), f"migrate did not wait for the lock: {failures}"
                    if time.monotonic() > deadline:
                        pytest.fail("the second migrate never asked for the lock")
                    time.sleep(0.1)
                assert worker.is_alive()  # blocked, not finished
            finally:
                holder.execute(text("SELECT pg_advisory_unlock(:key)"), KEY)
                holder.commit()
            worker.join(timeout=120)
            assert not worker.is_alive(), "migrate still waits after the lock was released"
            assert failures == []
            # ... and it let go of the lock when done.
            assert holder.execute(text("SELECT pg_try_advisory_lock(:key)"), KEY).scalar_one()
            holder.execute(text("SELECT pg_advisory_unlock(:key)"), KEY)
            holder.commit()
    finally:
        engine.dispose()
