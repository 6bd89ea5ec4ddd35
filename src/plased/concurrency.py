"""ETag / If-Match / If-None-Match based on a record's integer ``version``."""

from typing import Annotated

from fastapi import Header, Request, Response

from plased.errors import PreconditionFailed


def etag(version: int) -> str:
    return f'"{version}"'


def _tags(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


def check_if_match(if_match: str | None, version: int) -> None:
    """A client that sends If-Match must hold the current version (412 otherwise)."""
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
    header = request.headers.get("if-none-match")
    if header is not None and ("*" in _tags(header) or etag(version) in _tags(header)):
        return Response(status_code=304, headers={"ETag": etag(version)})
    return None


def with_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description="ETag of the version you read; 412 when stale"),
]
