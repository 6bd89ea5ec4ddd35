"""ETag / If-Match / If-None-Match based on a record's integer ``version``."""

from typing import Annotated

from fastapi import Header, Request, Response

from plased.errors import PreconditionFailed
from plased.middleware import none_match


def etag(version: int) -> str:
    return f'"{version}"'


def _tags(header: str) -> set[str]:
    return {part.strip() for part in header.split(",") if part.strip()}


def check_if_match(if_match: str | None, version: int) -> None:
    """A client that sends If-Match must hold the current version (412 otherwise). The
    comparison is strong (RFC 9110 §13.1.1): a weak ``W/`` tag never matches."""
    if if_match is None:
        return
    tags = _tags(if_match)
    if "*" in tags or etag(version) in tags:
        return
    raise PreconditionFailed(
        "The record changed since you read it; fetch it again and retry.",
        extra={"current_etag": etag(version)},
    )


def cached(request: Request, response: Response, version: int) -> Response | None:
    """Set the ETag; return a 304 answer when the client's If-None-Match already holds it."""
    response.headers["ETag"] = etag(version)
    if none_match(request.headers.get("if-none-match"), etag(version)):
        return Response(status_code=304, headers={"ETag": etag(version)})
    return None


def with_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description="ETag of the version you read; 412 when stale"),
]
