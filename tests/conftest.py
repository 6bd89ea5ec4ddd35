"""Real databases, no mocks: SQLite by default, PostgreSQL when PLASED_TEST_DATABASE_URL is set.

The schema is built once per run by the real migrations; every test starts from empty
tables (rows are deleted after each test, so the app's own commits are real commits).
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from plased.cli import migrate
from plased.config import Settings
from plased.main import create_app
from tests.helpers import delete_all_rows
from tests.observed import RETRY_FAILURES, Recorder, undocumented

# Shared worlds (PLASED X, catalogue, board, referrals) for every test package.
pytest_plugins = ["tests.worlds"]

TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256-0123456789"


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("PLASED_TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    migrate(url)
    return url


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=TEST_SECRET,
        environment="development",
        cors_origins=["https://app.example.org"],
        login_max_failures=3,
        login_lock_minutes=15,
        max_body_bytes=64 * 1024,
        max_upload_bytes=256 * 1024,
        attachments_dir=str(tmp_path_factory.mktemp("attachments")),
        # Generous limits for the suite; tests/core/test_rate_limits.py sets its own.
        rate_limit_per_address="100000/minute",
        rate_limit_login_per_address="100000/minute",
        rate_limit_writes_per_user="100000/minute",
        rate_limit_referrals_per_user="100000/minute",
    )


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture(scope="session")
def engine(app: FastAPI) -> Engine:
    engine: Engine = app.state.engine
    return engine


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(Recorder(app), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    uses_database = {"engine", "client", "db"} & set(request.fixturenames)
    engine = request.getfixturevalue("engine") if uses_database else None
    yield
    if engine is not None:
        delete_all_rows(engine)


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session for building fixtures; factories commit so the app sees the rows."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


REPO_ROOT = Path(__file__).resolve().parents[1]

# Credentials and a region for boto3 that reach only the S3 server below: never a file in
# the home directory, never a real account.
S3_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "plased-test",
    "AWS_SECRET_ACCESS_KEY": "plased-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3-compatible HTTP server (moto's) on 127.0.0.1 and a free port, for this run."""
    try:
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
    except Exception as exc:  # moto missing or unable to listen: nothing else can stand in
        pytest.skip(f"no S3-compatible server could start: {exc!r}")
    host, port = server.get_host_and_port()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in S3_ENVIRONMENT.items():
            patch.setenv(name, value)
        yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> str:
    """A new, empty bucket on the test server."""
    import boto3

    name = f"plased-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=name)
    return name


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when an operation answered a status its OpenAPI document does not list."""
    missing = undocumented(create_app(Settings(secret_key=TEST_SECRET)).openapi())
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    for title, lines in (
        ("Statuses answered but not documented in the OpenAPI document:", missing),
        ("Retries with an Idempotency-Key that did not get the first answer:", RETRY_FAILURES),
    ):
        if lines:
            if reporter is not None:
                reporter.write_line(title)
                for line in lines:
                    reporter.write_line(f"  {line}")
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
