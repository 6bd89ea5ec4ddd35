"""Every endpoint that is not explicitly public answers anonymous callers 401 problem+json."""

import re
import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.helpers import PUBLIC


def test_anonymous_gets_401_everywhere_else(app: FastAPI, client: TestClient) -> None:
    operations = [
        (method.upper(), path) for path, item in app.openapi()["paths"].items() for method in item
    ]
    assert len(operations) > 100
    checked = 0
    for method, path in operations:
        if (method, path) in PUBLIC:
            continue
        url = re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path)
        response = client.request(method, url, json={})
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.headers["www-authenticate"] == "Bearer"
        checked += 1
    assert checked > 90


def test_public_list_is_really_public(app: FastAPI) -> None:
    paths = {(m.upper(), p) for p, item in app.openapi()["paths"].items() for m in item}
    assert paths >= PUBLIC  # no stale entries
