"""What the suite observed, checked at the end of the run.

* Every (method, path, status) the shared test client was answered, against the OpenAPI
  document: an operation that answers a status its document does not list fails the run, so
  generated clients never meet an undocumented answer.
* Retries: the first POST of every kind the suite sends, and every other one after it, is
  sent with an ``Idempotency-Key`` and, when it succeeds, sent again. The retry must be
  marked ``Idempotent-Replayed`` and carry the same status, ``Location`` and body; any
  difference fails the run. So every creating POST and every transition is retried in the
  very state the tests put it in.
"""

import gzip
import json
import re
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

OBSERVED: set[tuple[str, str, int]] = set()
RETRIED: set[str] = set()  # kinds of POST whose retry was checked after a success
RETRY_FAILURES: list[str] = []

# POSTs that take no Idempotency-Key (tests/core/test_idempotency_sweep.WITHOUT_KEY).
_NO_KEY = re.compile(
    r"^/api/v1/(auth/|me/password|staff-invitations/|organisations/[^/]+/staff-|webhooks$)"
)
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


async def _answer(app: ASGIApp, scope: Scope, body: bytes) -> list[Message]:
    sent = False
    messages: list[Message] = []

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def keep(message: Message) -> None:
        messages.append(message)

    await app(scope, receive, keep)
    return messages


def _parts(messages: list[Message]) -> tuple[int, dict[str, str], Any]:
    start = next(m for m in messages if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start.get("headers", [])}
    raw = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    if headers.get("content-encoding") == "gzip":
        raw = gzip.decompress(raw)
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = raw
    return start["status"], headers, body


class Recorder:
    """ASGI wrapper around the app under test: records each answer's status and retries
    POSTs with an Idempotency-Key (``retry = False`` in tests that count requests)."""

    retry = True

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.sent: dict[str, int] = {}

    def _retried(self, scope: Scope) -> bool:
        path = scope["path"]
        if not self.retry or scope["method"] != "POST" or not path.startswith("/api/v1/"):
            return False
        if _NO_KEY.match(path) or any(k == b"idempotency-key" for k, _ in scope["headers"]):
            return False
        kind = _ID.sub("{id}", path)
        self.sent[kind] = self.sent.get(kind, 0) + 1
        return kind not in RETRIED or self.sent[kind] % 2 == 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                OBSERVED.add((scope["method"].lower(), scope["path"], message["status"]))
            await send(message)

        if not self._retried(scope):
            await self.app(scope, receive, record)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        key = f"retry-{uuid.uuid4()}".encode()
        keyed = {**scope, "headers": [*scope["headers"], (b"idempotency-key", key)]}
        first = await _answer(self.app, keyed, body)
        status, headers, content = _parts(first)
        if 200 <= status < 300:
            again, again_headers, again_content = _parts(await _answer(self.app, keyed, body))
            OBSERVED.add(("post", scope["path"], again))
            kind = _ID.sub("{id}", scope["path"])
            if again_headers.get("idempotent-replayed") != "true" or (
                again,
                again_headers.get("location"),
                again_content,
            ) != (status, headers.get("location"), content):
                changed = (
                    {k for k in content if content[k] != again_content.get(k)}
                    if isinstance(content, dict) and isinstance(again_content, dict)
                    else again_content
                )
                RETRY_FAILURES.append(f"POST {kind}: {status} then {again}, changed: {changed}")
            RETRIED.add(kind)
        for message in first:
            await record(message)


def undocumented(document: dict[str, Any]) -> list[str]:
    """``METHOD template: status`` for every observed answer its operation does not list."""
    templates = [
        (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), path, item)
        for path, item in document["paths"].items()
    ]
    # Fixed segments win over parameters (/platforms/roles before /platforms/{id}).
    templates.sort(key=lambda t: t[1].count("{"))
    missing = set()
    for method, path, status in OBSERVED:
        for pattern, template, item in templates:
            if pattern.match(path) and method in item:
                if str(status) not in item[method]["responses"]:
                    missing.add(f"{method.upper()} {template}: {status}")
                break
    return sorted(missing)
