"""Shared test helpers: assertions and the HTTP steps many stories need."""

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from plased.db import metadata
from tests.factories import PASSWORD

PLASED = str(Path(sys.executable).with_name("plased"))

PROBLEM = "application/problem+json"

# (method, path) pairs anyone may call without signing in.
PUBLIC = {
    ("GET", "/health/live"),
    ("GET", "/health/ready"),
    ("POST", "/api/v1/auth/token"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/staff-invitations/accept"),
    ("GET", "/api/v1/platforms"),
    ("GET", "/api/v1/platforms/{platform_id}"),
    ("GET", "/api/v1/geography"),
    ("GET", "/api/v1/platforms/{platform_id}/directory"),
    ("GET", "/api/v1/platforms/{platform_id}/service-categories"),
    ("GET", "/api/v1/services"),
    ("GET", "/api/v1/services/{service_id}"),
    ("GET", "/api/v1/platforms/{platform_id}/hsds/"),
    ("GET", "/api/v1/platforms/{platform_id}/hsds/services"),
    ("GET", "/api/v1/platforms/{platform_id}/hsds/services/{service_id}"),
    ("GET", "/api/v1/platforms/{platform_id}/hsds/organizations"),
    ("GET", "/api/v1/platforms/{platform_id}/hsds/organizations/{organization_id}"),
    ("GET", "/api/v1/platforms/{platform_id}/hsds/taxonomies"),
    ("GET", "/api/v1/platforms/{platform_id}/hsds/taxonomies/{taxonomy_id}"),
    ("GET", "/api/v1/platforms/{platform_id}/hsds/taxonomy_terms"),
    ("GET", "/api/v1/platforms/{platform_id}/hsds/taxonomy_terms/{term_id}"),
    ("GET", "/api/v1/platforms/{platform_id}/hsds/service_at_locations"),
    ("GET", "/api/v1/platforms/{platform_id}/hsds/datapackage.zip"),
    ("GET", "/api/v1/bodies/{body_id}/meetings.ics"),
}


def platform_today(zone: str = "Asia/Phnom_Penh") -> date:
    """Today where the platform is: services judge past and future by the platform's day,
    which is tomorrow in UTC from 17:00."""
    return datetime.now(ZoneInfo(zone)).date()


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


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    """The raw answer of the OAuth2 password form."""
    return client.post("/api/v1/auth/token", data={"username": email, "password": password})


def refresh(client: TestClient, token: str) -> Any:
    return client.post("/api/v1/auth/refresh", json={"refresh_token": token})


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


# -- a platform from nothing, as an operator and a secretariat set it up through the API ----

ADMIN_EMAIL = "root@story.example.org"
ADMIN_PASSWORD = "an administrator's long password"


def create_admin(database_url: str) -> None:
    """`plased create-admin`, the one step an operator takes outside the API."""
    result = subprocess.run(
        [PLASED, "create-admin", "--email", ADMIN_EMAIL],
        env={
            **os.environ,
            "PLASED_DATABASE_URL": database_url,
            "PLASED_ADMIN_PASSWORD": ADMIN_PASSWORD,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr


def created(response: Any) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


def new_user(client: TestClient, admin: dict[str, str], email: str, name: str) -> str:
    """An account made by the administrator (an id); its owner signs in with PASSWORD."""
    return str(
        created(
            client.post(
                "/api/v1/users",
                json={"email": email, "full_name": name, "password": PASSWORD},
                headers=admin,
            )
        )["id"]
    )


def platforms_with_secretariat(
    client: TestClient, database_url: str, code: str
) -> tuple[dict[str, str], dict[str, str], str, str]:
    """An administrator creates a PLASED and its COSS and a secretariat for both: the
    administrator's and the secretariat's headers, the two platform ids."""
    create_admin(database_url)
    admin = login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    plased = created(
        client.post(
            "/api/v1/platforms",
            json={
                "code": code,
                "name": f"PLASED {code}",
                "kind": "plased",
                "province": "Ratanakiri",
            },
            headers=admin,
        )
    )["id"]
    coss = created(
        client.post(
            "/api/v1/platforms",
            json={
                "code": f"{code}-coss",
                "name": f"COSS {code}",
                "kind": "coss",
                "parent_id": plased,
                "province": "Ratanakiri",
            },
            headers=admin,
        )
    )["id"]
    secretariat = new_user(client, admin, f"secretariat@{code}.org", "Secretariat")
    for platform in (plased, coss):
        created(
            client.post(
                f"/api/v1/users/{secretariat}/roles",
                json={"platform_id": platform, "role": "secretariat"},
                headers=admin,
            )
        )
    return admin, login(client, f"secretariat@{code}.org"), plased, coss


def admitted(
    client: TestClient, sec: dict[str, str], platforms: list[str], **organisation: Any
) -> str:
    """The secretariat registers an organisation and admits it to each platform in turn."""
    org = created(client.post("/api/v1/organisations", json=organisation, headers=sec))["id"]
    for platform in platforms:
        membership = created(
            client.post(
                f"/api/v1/platforms/{platform}/memberships",
                json={"organisation_id": org},
                headers={**sec, "Idempotency-Key": f"apply-{org}-{platform}"},
            )
        )
        created(client.post(f"/api/v1/memberships/{membership['id']}/approve", headers=sec))
    return str(org)


# -- the database ------------------------------------------------------------------------

# Reference data shipped by the migrations: kept between tests, never written by them.
REFERENCE_TABLES = {"admin_unit"}


AUDIT_NO_DELETE = (
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit events are never changed or deleted'); END"
)


def delete_all_rows(engine: Engine) -> None:
    """Empty every table but the reference data (the app's commits are real commits)."""
    tables = [t for t in reversed(metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
    if engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} CASCADE"))
        return
    with engine.connect() as connection:
        # Self-references (a COSS and its parent) make row order matter; switch checks off.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        # Audit rows refuse DELETE (a trigger): lift it for the clean-up only.
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_delete")
        for table in tables:
            connection.execute(table.delete())
        connection.exec_driver_sql(AUDIT_NO_DELETE)
        connection.commit()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def database_state(engine: Engine) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table but the sign-in bookkeeping, as text: compare two to show that
    a refused request changed nothing."""
    with engine.connect() as connection:
        return {
            table.name: sorted(
                tuple(str(v) for v in row) for row in connection.execute(table.select())
            )
            for table in metadata.sorted_tables
            if table.name not in ("login_throttle", "refresh_token")
        }


# -- personal data ----------------------------------------------------------------------


def personal_data_in_database(engine: Engine, *needles: str) -> list[str]:
    """Every column of every table that holds one of the needles ("table.column")."""
    found = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for column in table.columns:
                values = connection.execute(
                    text(f'SELECT CAST("{column.name}" AS TEXT) FROM "{table.name}"')
                ).scalars()
                if any(v and any(n in v for n in needles) for v in values):
                    found.append(f"{table.name}.{column.name}")
    return found


def purge(database_url: str) -> str:
    """`plased purge`, run as the operator runs it."""
    result = subprocess.run(
        [PLASED, "purge", "--older-than-days", "0"],
        env={**os.environ, "PLASED_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
