"""Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
``{webhook-id}.{webhook-timestamp}.{body}`` with the secret's bytes, sent as
``webhook-signature: v1,<base64>``. Secrets are ``whsec_`` and the base64 of 24–64 bytes."""

import base64
import binascii
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def generate_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_bytes(secret: str) -> bytes | None:
    """The key a secret stands for, or None when it is not a valid secret."""
    if not secret.startswith(PREFIX):
        return None
    try:
        key = base64.b64decode(secret[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        return None
    return key if 24 <= len(key) <= 64 else None


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = secret_bytes(secret)
    if key is None:
        raise ValueError("not a webhook secret")
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
        "content-type": "application/json",
        "user-agent": "PLASED-Webhooks/1",
    }
