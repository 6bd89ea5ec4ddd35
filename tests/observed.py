"""What the suite observed: every (method, path, status) the shared test client was answered,
checked at the end of the run against the OpenAPI document. An operation that answers a
status its document does not list fails the run, so generated clients never meet an
undocumented answer."""

import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

OBSERVED: set[tuple[str, str, int]] = set()


class Recorder:
    """ASGI wrapper around the app under test: records each answer's status."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                OBSERVED.add((scope["method"].lower(), scope["path"], message["status"]))
            await send(message)

        await self.app(scope, receive, record)


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
