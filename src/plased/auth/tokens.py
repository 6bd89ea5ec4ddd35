"""Access tokens: HS256 JWTs via python-jose, wrapped here so the library can be swapped."""

import functools
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from jose import jwt

from plased.config import Settings
from plased.errors import InvalidToken

ALGORITHM = "HS256"
_REQUIRED = ("exp", "iat", "sub", "iss", "aud", "jti")


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    token_version: int
    jti: str


def create_access_token(settings: Settings, *, user_id: uuid.UUID, token_version: int) -> str:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "tv": token_version,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=settings.access_token_minutes)).timestamp()),
        "iss": settings.token_issuer,
        "aud": settings.token_audience,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def decode_access_token(settings: Settings, token: str) -> AccessClaims:
    """Any malformed, forged, expired or foreign token raises InvalidToken, never anything else.

    A token seen before skips the signature check (the same bytes, the same key, the same
    verdict) but never the clock: its expiry is compared with now on every request."""
    if len(token) > _LONGEST:
        raise InvalidToken
    claims, expires = _verified(
        settings.secret_key, settings.token_audience, settings.token_issuer, token
    )
    if expires <= time.time():
        raise InvalidToken
    return claims


_LONGEST = 2048  # ours are about 300 characters; a longer one is not worth remembering


@functools.lru_cache(maxsize=4096)
def _verified(secret: str, audience: str, issuer: str, token: str) -> tuple[AccessClaims, int]:
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != ALGORITHM:
            raise InvalidToken
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=issuer,
            options={f"require_{claim}": True for claim in _REQUIRED}
            | {"verify_exp": True, "verify_iat": True, "verify_aud": True, "verify_iss": True},
        )
        claims = AccessClaims(
            user_id=uuid.UUID(str(payload["sub"])),
            token_version=_as_int(payload["tv"]),
            jti=str(payload["jti"]),
        )
        return claims, _as_int(payload["exp"])
    except InvalidToken:
        raise
    except Exception as exc:  # jose, base64, JSON, UUID and key errors alike
        raise InvalidToken from exc


def _as_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidToken
    return value
