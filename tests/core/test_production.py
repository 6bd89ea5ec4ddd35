"""Production: no interactive docs unless asked for, HSTS, no server banner, proxy headers."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from plased.cli import migrate
from plased.config import Settings
from plased.main import create_app

SECRET = "a-production-secret-that-is-long-enough-0123456789"
PLASED = str(Path(sys.executable).with_name("plased"))


def _production(database_url: str, **changes: object) -> TestClient:
    settings = Settings(
        environment="production", secret_key=SECRET, database_url=database_url, **changes
    )
    return TestClient(create_app(settings), raise_server_exceptions=False)


def test_no_docs_in_production_unless_public(database_url: str) -> None:
    with _production(database_url) as client:
        for path in ("/docs", "/redoc", "/openapi.json", "/static/swagger-ui/swagger-ui.css"):
            assert client.get(path).status_code == 404, path
        live = client.get("/health/live")
        assert live.headers["strict-transport-security"].startswith("max-age=")
        assert client.get("/api/v1/no-such").headers["strict-transport-security"]
    with _production(database_url, public_docs=True) as client:
        assert client.get("/docs").status_code == 200
        assert client.get("/static/swagger-ui/swagger-ui.css").status_code == 200
        assert client.get("/openapi.json").status_code == 200


def test_development_has_docs_and_no_hsts(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200 and "strict-transport-security" not in response.headers


def test_served_answers_carry_no_server_banner_and_trust_the_proxy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'banner.db'}"
    migrate(url)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PLASED_DATABASE_URL": url, "PLASED_FORWARDED_ALLOW_IPS": "127.0.0.1"}
    process = subprocess.Popen(
        [PLASED, "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail("the server did not start")
                time.sleep(0.2)
        assert response.status_code == 200
        assert "server" not in response.headers
        # The test connects from 127.0.0.1, the trusted proxy here: links follow its scheme.
        listed = httpx.get(
            f"http://127.0.0.1:{port}/api/v1/platforms",
            headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"},
            timeout=10,
        )
        assert listed.headers["link"].startswith(f"<https://127.0.0.1:{port}/api/v1/platforms?")
    finally:
        process.terminate()
        process.wait(timeout=30)
