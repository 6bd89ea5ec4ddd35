"""Many concurrent requests on few threads and connections never stall (DESIGN §9)."""

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlmodel import Session

from plased.config import Settings
from plased.main import create_app
from tests.factories import auth, make_platform, make_user


def test_64_concurrent_requests_on_4_threads_all_succeed(settings: Settings, db: Session) -> None:
    """Requests hold a connection between threadpool calls. Without the database gate in
    ``get_session``, 64 requests on 4 threads and 4 + 10 connections exhaust the pool while
    every thread waits for a connection, and requests fail with a pool timeout."""
    small = settings.model_copy(update={"threadpool_size": 4, "db_pool_timeout": 3})
    user = make_user(db)
    make_platform(db)
    headers = auth(settings, user)
    with TestClient(create_app(small), raise_server_exceptions=False) as client:

        def call(_: int) -> int:
            return client.get("/api/v1/platforms", headers=headers).status_code

        with ThreadPoolExecutor(max_workers=64) as pool:
            statuses = list(pool.map(call, range(256)))
    assert statuses == [200] * 256
