"""Every operation answers a record outside the caller's reach exactly as a missing one.

One record of every kind is made in PLASED X (and its COSS); callers with roles only in
another platform family, or none at all, then call every operation of the API twice: with
the real ids and with random ones. Status and body must be the same (but for the request id
and the path echoed in ``instance``), so no answer reveals that a record exists. Records
that are public by design (active platforms, published services, the geography, calendar
feeds) are left out: their existence is no secret.
"""

import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from plased.auth.models import PlatformRoleName
from tests.factories import auth, grant, make_organisation, make_user
from tests.helpers import PUBLIC
from tests.sweeps import PUBLIC_RECORDS, comparable, operations, records, request_body
from tests.worlds import Board, Setup


def test_outside_reach_answers_as_missing(
    app: FastAPI,
    client: TestClient,
    db: Session,
    board: Board,
    s: Setup,
) -> None:
    w = board.w
    found = records(client, db, board, s)
    spec = app.openapi()
    outsider_org = make_organisation(db, w.other, name="Outsider CSO")
    callers = {
        "secretariat elsewhere": auth(w.settings, w.stranger),
        "staff elsewhere": auth(w.settings, make_user(db, organisation_id=outsider_org.id)),
        "no role": auth(w.settings, make_user(db)),
    }
    grant(db, make_user(db), w.other, PlatformRoleName.observer)
    fixed = {"indicator_code": "people_engaged", "action": "approve"}
    checked = reached = 0
    for method, path, operation, params in operations(spec):
        if not params or ((method, path) in PUBLIC and path in PUBLIC_RECORDS):
            continue
        missing_ids = {p: fixed.get(p, str(uuid.uuid4())) for p in params}
        real_ids = {p: fixed.get(p, found.get(p, missing_ids[p])) for p in params}
        real = path.format(**real_ids)
        missing = path.format(**missing_ids)
        extra = request_body(spec, operation)
        for name, headers in callers.items():
            first = client.request(method, real, headers=headers, **extra)
            second = client.request(method, missing, headers=headers, **extra)
            assert first.status_code < 500, (name, method, path, first.text)
            assert comparable(first) == comparable(second), (
                name,
                method,
                path,
                first.text,
                second.text,
            )
            checked += 1
            reached += first.status_code != 422
    assert checked > 150
    assert reached > checked // 2  # most calls pass validation and reach the access checks
