"""Every list is the same list: the ``{items, total, limit, offset}`` envelope with a Link
header, limit/offset, and the sort keys its document names (each one works both ways, any
other answers 422 naming exactly those); ``updated_since`` honoured or refused, never
ignored. No GET answers a bare array."""

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import auth
from tests.sweeps import operations, records, resolve, url_of
from tests.worlds import Board, Setup

FAR_FUTURE = "2100-01-01T00:00:00+00:00"


def _lists(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any], list[str]]]:
    found = []
    for method, path, operation, params in operations(spec):
        if method != "GET":
            continue
        answer = operation["responses"]["200"].get("content", {}).get("application/json")
        if answer is None:
            continue
        schema = answer["schema"]
        assert resolve(spec, schema).get("type") != "array", f"{path} answers a bare array"
        if schema.get("$ref", "").rsplit("/", 1)[-1].startswith("Page_"):
            found.append((path, operation, params))
    return found


def test_every_list_documents_its_page_and_sort_keys(app: FastAPI) -> None:
    spec = app.openapi()
    lists = _lists(spec)
    assert len(lists) >= 26
    for path, operation, _ in lists:
        names = {p["name"] for p in operation.get("parameters", [])}
        assert {"limit", "offset", "sort", "updated_since"} <= names, path
        keys = operation.get("x-sort-keys")
        assert keys, f"{path}: no x-sort-keys"
        sort = next(p for p in operation["parameters"] if p["name"] == "sort")
        assert all(key in sort["description"] for key in keys), path
        assert "Link" in operation["responses"]["200"]["headers"], path


def test_every_list_pages_and_sorts_by_what_it_documents(
    app: FastAPI, client: TestClient, db: Session, board: Board, s: Setup
) -> None:
    found = records(client, db, board, s)
    w = board.w
    callers = [auth(w.settings, user) for user in (w.admin, w.secretariat, s.referrer)]
    callers.append(auth(w.settings, s.provider_staff))
    spec = app.openapi()
    checked = honoured = 0
    for path, operation, params in _lists(spec):
        url = url_of(path, params, found)
        headers = next((h for h in callers if client.get(url, headers=h).status_code == 200), None)
        assert headers is not None, f"{path}: nobody may read it in the sweep's world"
        whole = client.get(url, headers=headers)
        body = whole.json()
        assert set(body) == {"items", "total", "limit", "offset"}, path
        assert 'rel="first"' in whole.headers["link"] and "etag" in whole.headers, path
        keys = operation["x-sort-keys"]
        for key in keys:
            for order in (key, f"-{key}"):
                answer = client.get(url, params={"sort": order}, headers=headers)
                assert answer.status_code == 200, (path, order, answer.text)
                assert answer.json()["total"] == body["total"], (path, order)
        refused = client.get(url, params={"sort": "no_such_key"}, headers=headers)
        assert refused.status_code == 422, path
        assert refused.json()["errors"][0]["code"] == "unknown_sort_key"
        assert (
            refused.json()["errors"][0]["message"] == f"Sort by one of: {', '.join(sorted(keys))}."
        )
        one = client.get(url, params={"limit": 1}, headers=headers).json()
        assert len(one["items"]) <= 1 and one["total"] == body["total"], path
        # updated_since is honoured (nothing changed after 2100) or refused, never ignored.
        later = client.get(url, params={"updated_since": FAR_FUTURE}, headers=headers)
        if later.status_code == 422:
            assert later.json()["errors"][0]["code"] == "unsupported", path
        else:
            assert later.status_code == 200, (path, later.text)
            assert later.json()["items"] == [], f"{path} ignores updated_since"
            honoured += 1
        checked += 1
    assert checked >= 26
    assert honoured >= 20
