"""Request ids, security headers, caching, gzip, CORS, body size, NUL bytes, health."""

from pathlib import Path

from fastapi.testclient import TestClient

from plased.config import Settings
from plased.main import create_app
from tests.conftest import TEST_SECRET
from tests.helpers import assert_problem


def test_request_id_is_generated_or_echoed(client: TestClient) -> None:
    generated = client.get("/health/live").headers["x-request-id"]
    assert len(generated) == 32
    assert (
        client.get("/health/live", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    # A hostile id (header injection, huge) is replaced, not echoed.
    replaced = client.get("/health/live", headers={"X-Request-ID": "a b<script>"})
    assert replaced.headers["x-request-id"] != "a b<script>"


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/health/live").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in headers["content-security-policy"]


def test_token_and_signed_in_responses_are_not_stored(client: TestClient) -> None:
    assert client.post("/api/v1/auth/token", data={}).headers["cache-control"] == "no-store"
    signed = client.get("/api/v1/platforms", headers={"Authorization": "Bearer x"})
    assert signed.headers["cache-control"] == "no-store"
    assert client.get("/api/v1/platforms").headers["cache-control"] == "no-cache"


def test_gzip_for_large_answers(client: TestClient) -> None:
    response = client.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"


def test_cors_allows_configured_origin_and_exposes_headers(client: TestClient) -> None:
    response = client.options(
        "/api/v1/platforms",
        headers={"Origin": "https://app.example.org", "Access-Control-Request-Method": "GET"},
    )
    assert response.headers["access-control-allow-origin"] == "https://app.example.org"
    simple = client.get("/api/v1/platforms", headers={"Origin": "https://app.example.org"})
    exposed = {
        h.strip().lower() for h in simple.headers["access-control-expose-headers"].split(",")
    }
    assert {"etag", "link", "location", "x-request-id", "retry-after"} <= exposed


def test_cors_refuses_other_origins(client: TestClient) -> None:
    response = client.get("/api/v1/platforms", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_body_too_large_by_declared_length(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/refresh",
        content=b"x" * (65 * 1024),
        headers={"Content-Type": "application/json"},
    )
    assert_problem(response, 413, "payload_too_large")


def test_body_too_large_when_streamed_without_length(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(80):
            yield b"x" * 1024

    response = client.post(
        "/api/v1/auth/refresh", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 413, "payload_too_large")


def test_nul_byte_in_query_is_422(client: TestClient) -> None:
    assert_problem(client.get("/api/v1/platforms?q=a%00b"), 422, "validation_failed")


def test_middleware_answers_are_documented_on_operations_without_input(
    client: TestClient,
) -> None:
    """The middleware answers before an operation is chosen, so even an operation that takes
    no body and no parameter can answer 413 and 422; the document lists both everywhere (the
    run fails on an undocumented status, tests/observed.py)."""
    big = client.request("GET", "/health/live", content=b"x" * (65 * 1024))
    assert_problem(big, 413, "payload_too_large")
    assert_problem(client.get("/health/live?x=%00"), 422, "validation_failed")
    document = client.get("/openapi.json").json()
    for item in document["paths"].values():
        for operation in item.values():
            assert {"413", "422"} <= set(operation["responses"]), operation["operationId"]


def test_ready_answers_503_when_the_schema_is_behind(tmp_path: Path) -> None:
    """A database without the migrations: not ready, a documented problem."""
    empty = Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}", secret_key=TEST_SECRET)
    app = create_app(empty)
    with TestClient(app) as fresh:
        response = fresh.get("/health/ready")
        assert_problem(response, 503, "service_unavailable")
        assert "503" in app.openapi()["paths"]["/health/ready"]["get"]["responses"]


def test_health(client: TestClient) -> None:
    assert client.get("/health/live").json() == {
        "status": "ok",
        "database": None,
        "migrations": None,
    }
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["migrations"] == "head"
