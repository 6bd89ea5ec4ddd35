"""The OpenAPI document as the server really behaves: problem+json on every error an operation
can answer, the headers it sends, a token only where one is needed, binary uploads as binary.

The statuses come from what every operation of a kind can answer (docs/conventions.md);
``tests/conftest.py`` checks at the end of every test run that no operation answered a status
its document does not list.
"""

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from plased.access import get_access, get_optional_access
from plased.auth.deps import get_current_user, get_optional_user

PROBLEM = "application/problem+json"
BEARER = "OAuth2PasswordBearer"

_PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; branch on `code`, never on `title` or `detail`.",
    "type": "object",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "Stable, machine-readable"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "Field errors (422)",
            "items": {"$ref": "#/components/schemas/ProblemFieldError"},
        },
        "current_status": {"type": "string", "description": "409 invalid_transition"},
        "current_etag": {"type": "string", "description": "412 precondition_failed"},
    },
    "additionalProperties": True,
}
_FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "title": "ProblemFieldError",
    "type": "object",
    "required": ["pointer", "code", "message"],
    "properties": {
        "pointer": {"type": "string", "description": "JSON pointer: /body/…, /query/…"},
        "code": {"type": "string", "description": "Stable, the same in every language"},
        "message": {
            "type": "string",
            "description": "For people, in the Content-Language; never quotes the input",
        },
    },
}
_DESCRIPTIONS = {
    "304": "Not modified: your If-None-Match holds the current ETag",
    "400": "Bad request",
    "401": "No valid access token",
    "403": "Your role may not do this",
    "404": "Not found, or not yours to see",
    "409": "Conflict: illegal state change, duplicate, or archived platform",
    "412": "If-Match does not hold the current ETag",
    "413": "Request body too large",
    "416": "Range not satisfiable",
    "422": "Invalid input; see errors[]",
    "429": "Too many requests; retry after Retry-After seconds",
    "500": "Unexpected error; quote request_id",
    "503": "Not ready: the database does not answer or its schema is not at the latest migration",
}
_HEADER = {"schema": {"type": "string"}}
_HEADERS = {
    "ETag": {**_HEADER, "description": "Strong version tag of a record, weak tag of a list"},
    "Link": {**_HEADER, "description": "RFC 8288 first, prev, next, last"},
    "Total-Capped": {
        **_HEADER,
        "description": "true when total is a lower bound: the list has more rows than counted",
    },
    "Location": {**_HEADER, "description": "URL of the created record"},
    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"},
    "X-Request-ID": {**_HEADER, "description": "Quote it when reporting a problem"},
    "Idempotent-Replayed": {**_HEADER, "description": "true when a retry got the first answer"},
    "Content-Disposition": {
        **_HEADER,
        "description": "The file's name (attachment or inline), for answers that are files",
    },
}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _auth(dependant: Dependant) -> str:
    calls = set(_calls(dependant))
    if calls & {get_current_user, get_access}:
        return "required"
    if calls & {get_optional_user, get_optional_access}:
        return "optional"
    return "none"


def _operations(app: FastAPI) -> Iterator[tuple[tuple[str, str], Dependant]]:
    """((method, path), dependant) of every operation, routers included."""
    for context in routing.iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            for method in context.methods or ():
                yield (method.lower(), str(context.path_format)), context.dependant


def _problem(status: str) -> dict[str, Any]:
    return {
        "description": _DESCRIPTIONS[status],
        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        "headers": {"X-Request-ID": _HEADERS["X-Request-ID"]},
    }


def _statuses(method: str, operation: dict[str, Any], auth: str) -> set[str]:
    params = {p["in"] for p in operation.get("parameters", [])}
    names = {p["name"].lower() for p in operation.get("parameters", [])}
    # Every request passes the middleware first: a body over the limit (or a Content-Length
    # that is not a number) answers 413 and a NUL byte in the path or query string 422,
    # whatever the operation takes.
    statuses = {"413", "422", "429", "500"}
    if auth == "required":
        statuses |= {"401", "403"}
    if auth == "optional":
        statuses |= {"401"}  # a token that is sent must be valid
    if "path" in params:
        statuses.add("404")
    if "requestBody" in operation:
        statuses |= {"400", "404"}  # a body may name a record that is not there
    if method != "get":
        statuses.add("409")
    if "if-match" in names:
        statuses.add("412")
    return statuses


def contract(app: FastAPI) -> dict[str, Any]:
    """The document ``/openapi.json`` serves and ``plased export-openapi`` writes."""
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Problem"] = _PROBLEM_SCHEMA
    schemas["ProblemFieldError"] = _FIELD_ERROR_SCHEMA
    dependants = dict(_operations(app))
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            dependant = dependants[(method, path)]
            auth = _auth(dependant)
            replays = getattr(dependant.call, "__idempotency__", None)
            if replays is not None:
                # "stored": a replay sends the stored answer; "rebuilt": the record as now.
                operation["x-idempotency"] = replays
            if auth == "none":
                operation.pop("security", None)
            elif auth == "optional":
                operation["security"] = [{}, {BEARER: []}]
            _document(method, operation, auth)
            _describe_sort(operation)
    return document


def _describe_sort(operation: dict[str, Any]) -> None:
    """A list's ``sort`` parameter names the keys it takes (``x-sort-keys``)."""
    keys = operation.get("x-sort-keys")
    for parameter in operation.get("parameters", []):
        if keys and parameter["name"] == "sort":
            parameter["description"] = (
                f"Comma-separated keys from: {', '.join(keys)}; a '-' prefix sorts descending "
                "(e.g. `-" + keys[0] + "`). Without it, the list's natural order."
            )


def _document(method: str, operation: dict[str, Any], auth: str) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    responses.pop("422", None)
    names = {p["name"].lower() for p in operation.get("parameters", [])}
    for status in sorted(_statuses(method, operation, auth)):
        responses.setdefault(status, _problem(status))
    for status, answer in responses.items():
        if status[0] in "45":
            # Declared by the route (with its own description) or by the rules above: the
            # body is always a problem.
            problem = _problem(status)
            answer["content"] = problem["content"]
            answer["headers"] = {**answer.get("headers", {}), **problem["headers"]}
            answer["description"] = answer.get("description") or _DESCRIPTIONS[status]
    for status, answer in responses.items():
        if not status.startswith("2"):
            continue
        headers = answer.setdefault("headers", {})
        headers["X-Request-ID"] = _HEADERS["X-Request-ID"]
        if method == "get" or "ETag" in headers:
            headers["ETag"] = _HEADERS["ETag"]
        schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
        if schema.get("$ref", "").split("/")[-1].startswith("Page_"):
            headers["Link"] = _HEADERS["Link"]
            headers["Total-Capped"] = _HEADERS["Total-Capped"]
        if status == "201":
            headers["Location"] = _HEADERS["Location"]
        if "idempotency-key" in names:
            headers["Idempotent-Replayed"] = _HEADERS["Idempotent-Replayed"]
        if any(media != "application/json" for media in answer.get("content", {})):
            headers.setdefault("Content-Disposition", _HEADERS["Content-Disposition"])
    if method == "get":
        responses.setdefault(
            "304",
            {"description": _DESCRIPTIONS["304"], "headers": {"ETag": _HEADERS["ETag"]}},
        )
    responses["429"]["headers"] = {
        "Retry-After": _HEADERS["Retry-After"],
        "X-Request-ID": _HEADERS["X-Request-ID"],
    }
    body = operation.get("requestBody", {}).get("content", {})
    for media, content in body.items():
        if media == "application/octet-stream":
            content["schema"] = {"type": "string", "format": "binary"}
