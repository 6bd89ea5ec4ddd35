"""Cross-cutting HTTP concerns as plain ASGI middleware (no per-request threads)."""

import hashlib
import re
import uuid
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plased.audit import context as audit_context
from plased.errors import log_unexpected, problem_response

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
UPLOAD_SUFFIX = "/attachments"  # routes taking file uploads get PLASED_MAX_UPLOAD_BYTES
_PRIVATE_PREFIXES = ("/api/v1/auth", "/api/v1/me")


class _BodyTooLarge(HTTPException):
    """An HTTPException so the framework's body parsing passes it through untouched."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


class RequestContextMiddleware:
    """Request id, security headers, caching policy, body size limit and the last-resort 500.

    Rejecting a NUL byte in the URL here keeps it away from PostgreSQL, which refuses it
    with an error rather than a clean 422.
    """

    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int, hsts: bool = False
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        incoming = headers.get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        client = scope.get("client")
        token = audit_context.begin(
            audit_context.AuditContext(
                request_id=request_id, client_ip=client[0] if client else None
            )
        )
        try:
            await self._handle(scope, receive, send, headers, request_id)
        finally:
            audit_context.end(token)

    async def _handle(
        self, scope: Scope, receive: Receive, send: Send, headers: Headers, request_id: str
    ) -> None:
        request = Request(scope)
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                self._decorate(message, scope, headers, request_id)
                if self.hsts:
                    # Served behind TLS in production: browsers must never fall back to HTTP.
                    MutableHeaders(scope=message)["Strict-Transport-Security"] = HSTS
            await send(message)

        if "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b""):
            await self._problem(request, send_wrapper, 422, "validation_failed", _NUL_ERRORS)
            return
        limit = self.max_body_bytes
        if scope.get("path", "").endswith(UPLOAD_SUFFIX) and scope.get("method") == "POST":
            limit = self.max_upload_bytes
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._problem(request, send_wrapper, 413, "payload_too_large")
            return

        received = 0

        async def receive_wrapper() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, receive_wrapper, send_wrapper)
        except _BodyTooLarge:
            if not started:
                await self._problem(request, send_wrapper, 413, "payload_too_large")
        except Exception as exc:
            log_unexpected(exc, scope["method"], scope["path"], request_id)
            if not started:
                await self._problem(request, send_wrapper, 500, "internal_error")

    @staticmethod
    async def _problem(
        request: Request, send: Send, status: int, code: str, extra: dict[str, Any] | None = None
    ) -> None:
        response = problem_response(request, status=status, code=code, extra=extra)
        await response(request.scope, request.receive, send)

    @staticmethod
    def _decorate(message: Message, scope: Scope, request_headers: Headers, rid: str) -> None:
        out = MutableHeaders(scope=message)
        out["X-Request-ID"] = rid
        out.setdefault("X-Content-Type-Options", "nosniff")
        out.setdefault("X-Frame-Options", "DENY")
        out.setdefault("Referrer-Policy", "no-referrer")
        path: str = scope.get("path", "")
        # Nothing the API answers is a page to render; the docs pages send their own policy.
        out.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        if "cache-control" not in out:
            private = "authorization" in request_headers or path.startswith(_PRIVATE_PREFIXES)
            # Anything answered to a signed-in caller may hold personal data: never stored.
            # Public answers may be stored but are revalidated with their ETag.
            out["Cache-Control"] = "no-store" if private else "no-cache"
        out.add_vary_header("Accept-Language")


def _opaque(tag: str) -> str:
    return tag.strip().removeprefix("W/")


def none_match(header: str | None, tag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 §13.1.2)."""
    if header is None:
        return False
    tags = {_opaque(part) for part in header.split(",") if part.strip()}
    return "*" in tags or _opaque(tag) in tags


_TAGGED_TYPES = (
    "application/json",
    "text/csv",
    "text/calendar",
    "text/html",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


class ConditionalGetMiddleware:
    """Every successful ``GET`` answers with an ``ETag`` and honours ``If-None-Match``.

    A route that knows its record's version sets a strong ``"<version>"`` tag itself (and may
    answer 304 before doing the work); every other answer (lists, reports, feeds) gets a weak
    tag over its bytes here. A matching ``If-None-Match`` turns the answer into a bodiless 304,
    so a client on a slow link re-reads a page only when it changed.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        chunks: list[bytes] = []
        not_modified = False

        async def send_304(message: Message) -> None:
            kept = [
                (name, value)
                for name, value in message["headers"]
                if name.lower() not in (b"content-length", b"content-type")
            ]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})

        async def send_wrapper(message: Message) -> None:
            nonlocal start, not_modified
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                tag = headers.get("etag")
                if message["status"] != 200:
                    await send(message)
                elif tag is not None:
                    # The route tagged it (a record's version, a file): no need to buffer.
                    if none_match(if_none_match, tag):
                        not_modified = True
                        await send_304(message)
                    else:
                        await send(message)
                elif headers.get("content-type", "").startswith(_TAGGED_TYPES):
                    start = message
                else:
                    await send(message)
                return
            if not_modified:
                return  # the 304 was sent; the body is dropped
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            tag = f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
            MutableHeaders(scope=start)["ETag"] = tag
            if none_match(if_none_match, tag):
                await send_304(start)
                return
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_wrapper)


HSTS = "max-age=63072000; includeSubDomains"
_NUL_ERRORS = {
    "errors": [
        {"pointer": "/query", "code": "nul_character", "message": "NUL characters are not allowed."}
    ]
}
