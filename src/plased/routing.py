"""The routers every domain declares its endpoints on.

Two costs every request paid are cut here, without changing what any endpoint answers.

The framework finds a request's route by trying each router's routes in turn, every route's
pattern once to choose the router and once more inside it: with some 250 routes a request for
one of the last routers tried paid for hundreds of pattern matches (docs/performance.md).
``DomainRouter`` answers "none of mine" with a single search of one pattern joining all its
routes', so only the router that holds the route looks at its routes one by one.

An endpoint runs in a thread (it talks to the database); committing the request's
transaction took a second trip to a thread once it returned (plased.db.get_session), and
validating its answer a third. A ``DomainRouter`` endpoint that takes the request's session
commits it in its own thread as it returns, and its answer is validated in the event loop,
the session being closed there without a thread as nothing is left to send. An endpoint that
raises commits nothing: ``get_session`` rolls back (or keeps the changes an error asks it to
keep), as before.
"""

import functools
import inspect
import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import Scope

from plased.db import SessionDep

_GROUP = re.compile(r"\(\?P<[^>]+>")


def _any_of(routes: list[Any]) -> re.Pattern[str] | None:
    """One pattern that finds any of the routes' paths at the end of a request's path,
    whatever prefix the router is included under; None when a route is not a plain API route
    (the router then takes the framework's way for every request)."""
    if not routes or not all(isinstance(route, APIRoute) for route in routes):
        return None
    alternatives = [
        _GROUP.sub("(?:", route.path_regex.pattern.removeprefix("^")) for route in routes
    ]
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


def _committing(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """The endpoint, run in a thread that also commits the request's session when it
    returns; declared async, so the framework validates the answer where it already is
    rather than in a further thread (plased.idempotency wraps its endpoints the same way)."""
    if inspect.iscoroutinefunction(endpoint):
        return endpoint  # async already: it hops to a thread itself (plased.idempotency)
    parameter = inspect.signature(endpoint).parameters.get("session")
    if parameter is None or parameter.annotation is not SessionDep:
        return endpoint

    def call_and_commit(kwargs: dict[str, Any]) -> Any:  # noqa: ANN401 - the endpoint's answer
        result = endpoint(**kwargs)
        kwargs["session"].commit()
        return result

    @functools.wraps(endpoint)
    async def run(**kwargs: Any) -> Any:  # noqa: ANN401 - whatever the endpoint takes
        return await run_in_threadpool(call_and_commit, kwargs)

    return run


class DomainRouter(APIRouter):
    """An ``APIRouter`` that declines a request at once when no route of its own can match.

    Declining never changes which route answers: a route matching the whole path (any
    prefix, then the route's path) also matches its end, so a router whose joined pattern
    finds nothing has no route that could answer, not even with another method (405)."""

    _joined: tuple[int, re.Pattern[str] | None] = (-1, None)

    def _pattern(self) -> re.Pattern[str] | None:
        size, pattern = self._joined
        if size != len(self.routes):  # routes are added while the app is built
            pattern = _any_of(self.routes)
            self._joined = (len(self.routes), pattern)
        return pattern

    def add_api_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        **kwargs: Any,  # noqa: ANN401 - the framework's own options, passed on
    ) -> None:
        super().add_api_route(path, _committing(endpoint), **kwargs)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        pattern = self._pattern()
        if (
            scope["type"] == "http"
            and pattern is not None
            and pattern.search(get_route_path(scope)) is None
        ):
            return Match.NONE, {}
        return super().matches(scope)
