"""Shared test helpers: assertions and the HTTP steps many stories need."""

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import PASSWORD

PROBLEM = "application/problem+json"


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    """An RFC 9457 answer with this status and stable code."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["title"] and body["detail"] and body["type"].endswith(code.replace("_", "-"))
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def login(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    """Sign in through the API; the headers of the new session."""
    response = client.post("/api/v1/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return bearer(response.json())


def invite(
    client: TestClient,
    organisation_id: Any,
    headers: dict[str, str],
    *,
    email: str,
    full_name: str = "Staff Member",
    is_org_admin: bool = False,
) -> str:
    """An invitation to the organisation's staff; its one-time token."""
    response = client.post(
        f"/api/v1/organisations/{organisation_id}/staff-invitations",
        json={"email": email, "full_name": full_name, "is_org_admin": is_org_admin},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


def accept(client: TestClient, token: str, password: str = PASSWORD) -> dict[str, str]:
    """The invitee chooses a password; the headers of their new session."""
    response = client.post(
        "/api/v1/staff-invitations/accept", json={"token": token, "password": password}
    )
    assert response.status_code == 201, response.text
    return bearer(response.json())


def staff_account(
    client: TestClient,
    organisation_id: Any,
    inviter: dict[str, str],
    email: str,
    *,
    is_org_admin: bool = False,
) -> dict[str, str]:
    """Invite and accept in one step: the new staff member's headers."""
    return accept(
        client, invite(client, organisation_id, inviter, email=email, is_org_admin=is_org_admin)
    )
