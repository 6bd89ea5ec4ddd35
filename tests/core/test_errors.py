"""Every error is RFC 9457 problem+json with a stable code, in English or Khmer."""

import logging

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from plased.config import Settings
from plased.main import create_app
from tests.helpers import assert_problem


def test_unknown_route_is_a_problem(client: TestClient) -> None:
    assert_problem(client.get("/api/v1/no-such-thing"), 404, "route_not_found")


def test_wrong_method_is_a_problem(client: TestClient) -> None:
    assert_problem(client.delete("/api/v1/me"), 405, "method_not_allowed")


def test_validation_error_names_fields_without_echoing_values(client: TestClient) -> None:
    secret = "sup3r-secret-value-do-not-echo"
    response = client.post("/api/v1/auth/refresh", json={"refresh_token": 5, "extra": secret})
    body = assert_problem(response, 422, "validation_failed")
    pointers = {e["pointer"] for e in body["errors"]}
    assert pointers == {"/body/refresh_token", "/body/extra"}
    assert all({"pointer", "code", "message"} <= set(e) for e in body["errors"])
    assert secret not in response.text


def test_bad_uuid_message_does_not_quote_input(client: TestClient) -> None:
    response = client.get("/api/v1/platforms/not-a-uuid-xyz")
    body = assert_problem(response, 422, "validation_failed")
    assert "xyz" not in str(body["errors"]) and "xyz" not in body["detail"]
    assert body["errors"][0]["pointer"] == "/path/platform_id"


def test_invalid_json_body(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/refresh",
        content=b'{"refresh_token": "abc',
        headers={"Content-Type": "application/json"},
    )
    assert_problem(response, 422, "validation_failed")


@pytest.mark.parametrize(
    ("language", "title"),
    [("km", "រកមិនឃើញ"), ("km-KH,en;q=0.5", "រកមិនឃើញ"), ("en", "Not found"), (None, "Not found")],
)
def test_accept_language_chooses_texts_not_codes(
    client: TestClient, language: str | None, title: str
) -> None:
    headers = {"Accept-Language": language} if language else {}
    response = client.get("/api/v1/nothing-here", headers=headers)
    body = assert_problem(response, 404, "route_not_found")
    assert body["title"] == title
    assert response.headers["content-language"] == ("km" if "km" in (language or "") else "en")


def test_english_preferred_by_quality(client: TestClient) -> None:
    response = client.get("/api/v1/x", headers={"Accept-Language": "km;q=0.3, en;q=0.9"})
    assert response.json()["title"] == "Not found"


def test_khmer_validation_and_auth_errors(client: TestClient) -> None:
    km = {"Accept-Language": "km"}
    assert client.get("/api/v1/me", headers=km).json()["title"] == "តម្រូវឱ្យផ្ទៀងផ្ទាត់អត្តសញ្ញាណ"
    response = client.post("/api/v1/auth/refresh", json={}, headers=km)
    assert response.json()["code"] == "validation_failed"
    assert response.json()["title"] == "សំណើមិនត្រឹមត្រូវ"


def test_unexpected_error_is_generic_500_without_trace(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(settings)
    boom = APIRouter()

    client_name = "".join(["Srey", " ", "Pov"])

    @boom.get("/boom")
    def explode() -> None:
        raise RuntimeError(f"client {client_name}, phone 012 345 678")

    app.include_router(boom)
    with (
        TestClient(app, raise_server_exceptions=False) as client,
        caplog.at_level(logging.ERROR),
    ):
        response = client.get("/boom", headers={"X-Request-ID": "req-500-test"})
    body = assert_problem(response, 500, "internal_error")
    assert body["request_id"] == "req-500-test"
    assert "Srey Pov" not in response.text and "Traceback" not in response.text
    # The log names the error type and request, never the message (it may be personal data).
    assert "RuntimeError" in caplog.text and "req-500-test" in caplog.text
    assert "Srey Pov" not in caplog.text
