"""Errors are types; one set of handlers renders them as RFC 9457 problem+json."""

import logging
import traceback
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from plased import i18n

log = logging.getLogger("plased.errors")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://plased.org/problems/"


class PlasedError(Exception):
    status: int = 400
    code: str = "bad_request"
    default_headers: ClassVar[dict[str, str]] = {}
    # When True, the session dependency commits what the request wrote before the error.
    keeps_changes: bool = False

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        detail_km: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        self.detail_km = detail_km
        if code:
            self.code = code
        self.extra = extra or {}
        self.headers = dict(self.default_headers)


class NotAuthenticated(PlasedError):
    status, code = 401, "not_authenticated"
    default_headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": "Bearer"}


class InvalidToken(NotAuthenticated):
    code = "invalid_token"


class InvalidCredentials(NotAuthenticated):
    code = "invalid_credentials"
    keeps_changes = True


class Forbidden(PlasedError):
    status, code = 403, "forbidden"


class NotFound(PlasedError):
    """Also the answer for records outside what the caller may see (DESIGN §5)."""

    status, code = 404, "not_found"


class Conflict(PlasedError):
    status, code = 409, "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"

    def __init__(self, *, current: str, action: str) -> None:
        super().__init__(
            f"Cannot {action} while the status is '{current}'.",
            extra={"current_status": current, "action": action},
        )


class PreconditionFailed(PlasedError):
    status, code = 412, "precondition_failed"


class PayloadTooLarge(PlasedError):
    status, code = 413, "payload_too_large"


class Unprocessable(PlasedError):
    """A business-rule validation failure; ``errors`` name the fields."""

    status, code = 422, "validation_failed"

    def __init__(
        self, detail: str | None = None, *, errors: list[dict[str, str]] | None = None, **kw: Any
    ) -> None:
        super().__init__(detail, **kw)
        if errors is not None:
            self.extra["errors"] = errors


def field_error(pointer: str, code: str, message: str) -> Unprocessable:
    """A 422 naming one field. ``message`` is the English text (also ``detail``, and what an
    English caller reads); a Khmer caller reads the text ``i18n.FIELD_KM`` has for ``code``,
    or ``i18n.FIELD_GENERIC_KM`` where it has none."""
    return Unprocessable(message, errors=[{"pointer": pointer, "code": code, "message": message}])


class RateLimited(PlasedError):
    status, code = 429, "rate_limited"

    def __init__(self, retry_after: int, **kw: Any) -> None:
        super().__init__(**kw)
        self.headers["Retry-After"] = str(max(1, retry_after))


class ServiceUnavailable(PlasedError):
    status, code = 503, "service_unavailable"


def problem_response(
    request: Request,
    *,
    status: int,
    code: str,
    detail: str | None = None,
    detail_km: str | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    language = i18n.negotiate(request.headers.get("accept-language"))
    title, generic = i18n.message(code, language)
    text = (detail_km if language == "km" else detail) or generic
    body: dict[str, Any] = {
        "type": TYPE_BASE + code.replace("_", "-"),
        "title": title,
        "status": status,
        "detail": text,
        "code": code,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", None),
    }
    body.update(extra or {})
    if "errors" in body:
        body["errors"] = [_localised(item, language) for item in body["errors"]]
    response = JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)
    response.headers["Content-Language"] = language
    return response


def _localised(item: dict[str, str], language: i18n.Language) -> dict[str, str]:
    """One ``errors[]`` item in the caller's language: only ``message`` changes. An item may
    bring its own Khmer (``message_km``); otherwise Khmer is looked up by ``code``."""
    message = item.get("message_km") if language == "km" else None
    if message is None:
        message = i18n.field_message(item["code"], language, english=item["message"])
    return {"pointer": item["pointer"], "code": item["code"], "message": message}


# Pydantic error types whose default message quotes part of the submitted value.
_ECHOING_TYPES = {
    "uuid_parsing": "Must be a UUID.",
    "json_invalid": "The body is not valid JSON.",
    "url_parsing": "Must be a valid URL.",
    "value_error": "Invalid value.",
}


def _validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    """Pydantic's errors as ``errors[]`` items, in English and in Khmer (``message_km``,
    which may quote a limit from ``ctx`` but never the submitted value)."""
    errors = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        pointer = "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in loc)
        kind = str(err.get("type", "invalid"))
        msg = str(err.get("msg", "Invalid value."))
        ctx = err.get("ctx") or {}
        khmer_key = kind
        if kind == "value_error":
            # Our own validators raise ValueError with a safe, written message.
            msg = msg.removeprefix("Value error, ")
            if msg.startswith("value is not a valid email address"):
                khmer_key = "email"
        elif kind in _ECHOING_TYPES:
            msg = _ECHOING_TYPES[kind]
        khmer = i18n.field_message(khmer_key, "km", english=msg, ctx=ctx)
        errors.append({"pointer": pointer, "code": kind, "message": msg, "message_km": khmer})
    return errors


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(PlasedError)
    async def _plased(request: Request, exc: PlasedError) -> JSONResponse:
        return problem_response(
            request,
            status=exc.status,
            code=exc.code,
            detail=exc.detail,
            detail_km=exc.detail_km,
            extra=exc.extra,
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(
            request,
            status=422,
            code="validation_failed",
            extra={"errors": _validation_errors(exc)},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "route_not_found", 405: "method_not_allowed", 413: "payload_too_large"}
        code = codes.get(exc.status_code, "http_error")
        headers = dict(exc.headers or {})
        return problem_response(request, status=exc.status_code, code=code, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log_unexpected(
            exc, request.method, request.url.path, getattr(request.state, "request_id", None)
        )
        return problem_response(request, status=500, code="internal_error")


def log_unexpected(exc: BaseException, method: str, path: str, request_id: str | None) -> None:
    """Log the exception type and the stack, never its message: it may quote personal data."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error(
        "unhandled %s on %s %s (request %s)\n%s",
        type(exc).__name__,
        method,
        path,
        request_id,
        frames,
    )
