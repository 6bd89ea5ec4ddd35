"""Routing: every domain router declines at once a request none of its routes can match
(plased.routing.DomainRouter), and declining never hides a route — checked over HTTP for every
operation of the served document, with a method the path does not offer and with a near miss."""

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from plased.members.models import Organisation
from plased.routing import DomainRouter
from tests.conftest import REPO_ROOT
from tests.factories import auth
from tests.worlds import World

T = TypeVar("T")

_PARAM = re.compile(r"\{[^}]+\}")
METHODS = ("get", "post", "put", "patch", "delete")


def _concrete(path: str) -> str:
    return _PARAM.sub(lambda _: str(uuid.uuid4()), path)


def test_every_domain_router_is_a_domain_router() -> None:
    declared = []
    for path in sorted((REPO_ROOT / "src" / "plased").rglob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("router = "):
                declared.append((Path(path).relative_to(REPO_ROOT).as_posix(), line))
    assert len(declared) >= 20
    assert [d for d in declared if "DomainRouter(" not in d[1]] == []


def test_every_operation_is_found_and_a_wrong_method_or_a_near_miss_is_not(
    client: TestClient, app: FastAPI
) -> None:
    paths = app.openapi()["paths"]
    assert len(paths) > 150
    for path, operations in paths.items():
        url = _concrete(path)
        for method in operations:
            if method not in METHODS:
                continue
            answer = client.request(method, url)
            assert answer.status_code not in (404, 405) or answer.json()["code"] not in (
                "route_not_found",
                "method_not_allowed",
            ), (method, path, answer.status_code)
        missing = next((m for m in METHODS if m not in operations), None)
        if missing is not None:
            answer = client.request(missing, url)
            assert answer.status_code == 405, (missing, path, answer.status_code)
            assert answer.json()["code"] == "method_not_allowed"
        answer = client.get(url + "/no/such/thing/here")
        assert answer.status_code == 404, (path, answer.status_code)
        assert answer.json()["code"] == "route_not_found"


def test_a_router_with_a_route_it_cannot_join_takes_the_framework_way() -> None:
    router = DomainRouter(prefix="/things")

    @router.get("/{thing_id}")
    def thing(thing_id: uuid.UUID) -> dict[str, str]:
        return {"id": str(thing_id)}

    router.add_route("/plain", lambda request: None)
    assert router._pattern() is None  # a Starlette route: never declined early


def test_a_request_takes_one_trip_to_a_thread_for_the_caller_and_one_for_the_endpoint(
    client: TestClient, db: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The endpoint commits in its own thread (plased.routing), so the session is closed
    without another trip; knowing the caller is one trip (plased.access)."""
    trips: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(func: Callable[..., T], *args: object, **kwargs: Any) -> T:
        trips.append(getattr(getattr(func, "func", func), "__name__", "?"))
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    url = f"/api/v1/organisations/{world.org.id}"
    assert client.get(url, headers=auth(world.settings, world.secretariat)).status_code == 200
    assert trips == ["_caller", "call_and_commit"]
    trips.clear()
    assert client.get(f"/api/v1/platforms/{world.plased.id}").status_code == 200
    assert trips == ["call_and_commit"]  # anonymous: no trip to learn there is no token
    trips.clear()
    created = client.post(
        "/api/v1/organisations",
        json={
            "platform_id": str(world.plased.id),
            "name": "Committed In Its Thread",
            "kind": "cso",
            "sector": "agriculture",
        },
        headers=auth(world.settings, world.secretariat),
    )
    assert created.status_code == 201, created.text
    # An endpoint taking Idempotency-Key does its whole work in one trip as well: the caller,
    # then the record looked up, the endpoint, the record written and the commit.
    assert trips[:2] == ["_caller", "in_one_thread"], trips
    db.expire_all()
    assert db.get(Organisation, uuid.UUID(created.json()["id"])) is not None
