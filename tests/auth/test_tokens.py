"""Any malformed or forged token answers 401 problem+json with WWW-Authenticate, never 500."""

import base64
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jose import jwt
from sqlmodel import Session

from plased.auth.models import User
from plased.config import Settings
from tests.factories import PASSWORD, auth, make_user
from tests.helpers import assert_problem


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(settings: Settings, user: User, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": str(user.id),
        "tv": user.token_version,
        "iat": now,
        "exp": now + 600,
        "iss": settings.token_issuer,
        "aud": settings.token_audience,
        "jti": uuid.uuid4().hex,
    }
    for key, value in changes.items():
        if value is None:
            claims.pop(key, None)
        else:
            claims[key] = value
    return claims


def _sign(settings: Settings, claims: dict[str, Any], **kw: Any) -> str:
    return jwt.encode(claims, kw.pop("key", settings.secret_key), algorithm=kw.pop("alg", "HS256"))


Forge = Callable[[Settings, User], str]

FORGERIES: dict[str, Forge] = {
    "alg_none": lambda s, u: f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(s, u))}.",
    "alg_none_with_signature": lambda s, u: (
        _b64({"alg": "none", "typ": "JWT"})
        + "."
        + _b64(_claims(s, u))
        + "."
        + _sign(s, _claims(s, u)).split(".")[2]
    ),
    "other_algorithm_hs512": lambda s, u: _sign(s, _claims(s, u), alg="HS512"),
    "rs256_header": lambda s, u: (
        f"{_b64({'alg': 'RS256', 'typ': 'JWT'})}.{_b64(_claims(s, u))}.c2lnbmF0dXJl"
    ),
    "bad_signature": lambda s, u: _sign(s, _claims(s, u), key="another-secret-" * 4),
    "expired": lambda s, u: _sign(
        s, _claims(s, u, iat=int(time.time()) - 3600, exp=int(time.time()) - 60)
    ),
    "missing_exp": lambda s, u: _sign(s, _claims(s, u, exp=None)),
    "missing_aud": lambda s, u: _sign(s, _claims(s, u, aud=None)),
    "missing_iat": lambda s, u: _sign(s, _claims(s, u, iat=None)),
    "missing_sub": lambda s, u: _sign(s, _claims(s, u, sub=None)),
    "missing_iss": lambda s, u: _sign(s, _claims(s, u, iss=None)),
    "missing_jti": lambda s, u: _sign(s, _claims(s, u, jti=None)),
    "missing_token_version": lambda s, u: _sign(s, _claims(s, u, tv=None)),
    "wrong_issuer": lambda s, u: _sign(s, _claims(s, u, iss="someone-else")),
    "wrong_audience": lambda s, u: _sign(s, _claims(s, u, aud="another-api")),
    "tampered_payload": lambda s, u: ".".join(
        [
            _sign(s, _claims(s, u)).split(".")[0],
            _b64(_claims(s, u, sub=str(uuid.uuid4()))),
            _sign(s, _claims(s, u)).split(".")[2],
        ]
    ),
    "sub_not_a_uuid": lambda s, u: _sign(s, _claims(s, u, sub="admin")),
    "sub_unknown_user": lambda s, u: _sign(s, _claims(s, u, sub=str(uuid.uuid4()))),
    "token_version_as_string": lambda s, u: _sign(s, _claims(s, u, tv="1")),
    "stale_token_version": lambda s, u: _sign(s, _claims(s, u, tv=u.token_version - 1)),
    "garbage": lambda s, u: "not.a.jwt",
    "two_parts": lambda s, u: "abc.def",
    "punctuation_noise": lambda s, u: "%%%.$$$.***",
    "huge": lambda s, u: "a" * 5000,
}


@pytest.mark.parametrize("case", sorted(FORGERIES))
def test_forged_tokens_are_401(
    client: TestClient, db: Session, settings: Settings, case: str
) -> None:
    user = make_user(db, token_version=2)
    token = FORGERIES[case](settings, user)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    body = assert_problem(response, 401, "invalid_token")
    assert response.headers["www-authenticate"] == "Bearer"
    assert token not in response.text or len(token) < 4
    assert body["detail"]


def test_valid_token_is_accepted(client: TestClient, db: Session, settings: Settings) -> None:
    user = make_user(db)
    token = _sign(settings, _claims(settings, user))
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_missing_token_is_401_not_authenticated(client: TestClient) -> None:
    response = client.get("/api/v1/me")
    assert_problem(response, 401, "not_authenticated")
    assert response.headers["www-authenticate"] == "Bearer"


def test_deactivated_users_token_is_401(
    client: TestClient, db: Session, settings: Settings
) -> None:
    user = make_user(db, is_active=False)
    assert_problem(client.get("/api/v1/me", headers=auth(settings, user)), 401, "invalid_token")


def test_non_bearer_scheme_is_401(client: TestClient) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert_problem(response, 401, "not_authenticated")


def test_a_token_accepted_before_is_refused_once_it_expires(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """Verified tokens are remembered (plased.auth.tokens), but the clock is read every time."""
    user = make_user(db)
    now = int(time.time())
    token = _sign(settings, _claims(settings, user, iat=now - 60, exp=now + 2))
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    time.sleep(max(0.0, now + 2.1 - time.time()))
    assert_problem(client.get("/api/v1/me", headers=headers), 401, "invalid_token")


def test_a_remembered_token_is_refused_once_its_user_changes_password(
    client: TestClient, db: Session, settings: Settings
) -> None:
    user = make_user(db)
    headers = {"Authorization": f"Bearer {_sign(settings, _claims(settings, user))}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    changed = client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a much newer passphrase 42"},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    assert_problem(client.get("/api/v1/me", headers=headers), 401, "invalid_token")
