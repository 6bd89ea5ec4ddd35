"""Partial updates, on every PATCH of the API: a field left out keeps its value, a field that
cannot be empty refuses an explicit ``null`` (422, code ``required``, its pointer) and the
database does not change; a field the document marks nullable may be cleared."""

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.factories import auth
from tests.helpers import assert_problem, database_state
from tests.sweeps import operations, records, resolve, url_of
from tests.worlds import Board, Setup


def _nullable(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "null" or any(
        branch.get("type") == "null" for branch in schema.get("anyOf", [])
    )


def test_no_patch_empties_a_field_that_cannot_be_empty(
    app: FastAPI, client: TestClient, db: Session, engine: Engine, board: Board, s: Setup
) -> None:
    w = board.w
    found = records(client, db, board, s)
    admin = auth(w.settings, w.admin)
    spec = app.openapi()
    state = database_state(engine)
    refused: dict[str, list[str]] = {}
    for method, path, operation, params in operations(spec):
        if method != "PATCH":
            continue
        schema = resolve(spec, operation["requestBody"]["content"]["application/json"]["schema"])
        url = url_of(path, params, found)
        for name, field in schema["properties"].items():
            if _nullable(field):
                continue
            answer = client.patch(url, json={name: None}, headers=admin)
            body = assert_problem(answer, 422, "validation_failed")
            assert {"pointer": f"/body/{name}", "code": "required"} in [
                {k: e[k] for k in ("pointer", "code")} for e in body["errors"]
            ], (path, name, body)
            refused.setdefault(path, []).append(name)
    assert database_state(engine) == state
    # The sweep reached every partial update of the API, and the fields named in the contract.
    patches = {path for method, path, _, _ in operations(spec) if method == "PATCH"}
    assert set(refused) == patches
    assert "name" in refused["/api/v1/organisations/{organisation_id}"]
    assert "consent_to_be_listed" in refused["/api/v1/people/{person_id}"]
    assert "title" in refused["/api/v1/meetings/{meeting_id}"]


def test_a_nullable_field_may_be_cleared_and_a_left_out_field_keeps_its_value(
    client: TestClient, board: Board
) -> None:
    w = board.w
    sec = auth(w.settings, w.secretariat)
    url = f"/api/v1/organisations/{w.org.id}"
    before = client.get(url, headers=sec)
    set_acronym = client.patch(
        url, json={"acronym": "RCN"}, headers={**sec, "If-Match": before.headers["ETag"]}
    )
    assert set_acronym.status_code == 200, set_acronym.text
    cleared = client.patch(
        url, json={"acronym": None}, headers={**sec, "If-Match": set_acronym.headers["ETag"]}
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["acronym"] is None
    assert cleared.json()["name"] == before.json()["name"]
    assert cleared.json()["kind"] == before.json()["kind"]
