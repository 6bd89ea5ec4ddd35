"""Deletions leave tombstones: a client syncing with ``updated_since`` learns what to drop,
and only from the platforms it may see."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.helpers import assert_problem
from tests.worlds import Board, meeting_body

DELETIONS = "/api/v1/deletions"


def test_a_removed_agenda_item_is_a_tombstone_for_its_platform_only(
    client: TestClient, board: Board
) -> None:
    w = board.w
    sec = w.h(w.secretariat)
    mid = client.post(
        f"/api/v1/bodies/{board.body_id}/meetings", json=meeting_body(), headers=sec
    ).json()["id"]
    item = client.post(f"/api/v1/meetings/{mid}/agenda", json={"title": "Drop me"}, headers=sec)
    before = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    assert (
        client.delete(f"/api/v1/agenda-items/{item.json()['id']}", headers=sec).status_code == 204
    )

    seen = client.get(DELETIONS, params={"updated_since": before}, headers=w.h(w.observer))
    assert seen.status_code == 200 and "link" in seen.headers
    assert [(d["kind"], d["record_id"], d["parent_id"]) for d in seen.json()["items"]] == [
        ("agenda_item", item.json()["id"], mid)
    ]
    later = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    assert client.get(DELETIONS, params={"updated_since": later}, headers=sec).json()["total"] == 0
    # Another platform's caller learns nothing of it.
    assert client.get(DELETIONS, headers=w.h(w.stranger)).json()["total"] == 0
    assert_problem(client.get(DELETIONS), 401, "not_authenticated")
    assert_problem(
        client.get(DELETIONS, params={"kind": "meeting"}, headers=sec), 422, "validation_failed"
    )


def test_a_revoked_role_is_a_tombstone_for_administrators_only(
    client: TestClient, board: Board
) -> None:
    w = board.w
    admin = w.h(w.admin)
    detail = client.get(f"/api/v1/users/{w.observer.id}", headers=admin).json()
    grant = detail["roles"][0]["id"]
    revoked = client.delete(f"/api/v1/users/{w.observer.id}/roles/{grant}", headers=admin)
    assert revoked.status_code == 204
    mine = client.get(DELETIONS, params={"kind": "role_grant"}, headers=admin).json()["items"]
    assert [(d["record_id"], d["parent_id"], d["platform_id"]) for d in mine] == [
        (grant, str(w.observer.id), None)
    ]
    secretariat = client.get(DELETIONS, params={"kind": "role_grant"}, headers=w.h(w.secretariat))
    assert secretariat.json()["total"] == 0
