"""Meetings: scheduling in local time, the state machine, agenda, attendance, quorum."""

import uuid
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from plased.auth.models import PlatformRoleName
from tests.factories import grant, make_organisation, make_person, make_user
from tests.helpers import assert_problem
from tests.worlds import Board, meeting_body, running_meeting


def test_schedule_and_state_machine(client: TestClient, db: Session, board: Board) -> None:
    h = board.h(board.facilitator)
    url = f"/api/v1/bodies/{board.body_id}/meetings"
    local = datetime(2026, 12, 15, 8, 30).isoformat() + "+07:00"
    body = meeting_body(
        starts_at=local, ends_at=datetime(2026, 12, 15, 11, 0).isoformat() + "+07:00"
    )
    created = client.post(url, json=body, headers=h)
    assert created.status_code == 201, created.text
    meeting = created.json()
    assert meeting["starts_at"] == "2026-12-15T01:30:00Z"  # stored in UTC
    assert meeting["local_starts_at"] == "2026-12-15T08:30:00+07:00"
    assert meeting["time_zone"] == "Asia/Phnom_Penh" and meeting["status"] == "planned"
    mid = meeting["id"]
    assert_problem(
        client.post(f"/api/v1/meetings/{mid}/start", headers=h), 409, "invalid_transition"
    )
    stale = client.patch(
        f"/api/v1/meetings/{mid}", json={"place": "Online"}, headers={**h, "If-Match": '"9"'}
    )
    assert_problem(stale, 412, "precondition_failed")
    assert (
        client.patch(f"/api/v1/meetings/{mid}", json={"place": "Online"}, headers=h).json()["place"]
        == "Online"
    )
    convened = client.post(f"/api/v1/meetings/{mid}/convene", headers=h)
    assert convened.json()["status"] == "convened"
    invited = client.get(
        f"/api/v1/meetings/{mid}/attendance", headers=board.h(board.w.observer)
    ).json()["items"]
    assert len(invited) == 5 and all(a["status"] == "invited" and a["is_voter"] for a in invited)
    assert client.post(f"/api/v1/meetings/{mid}/start", headers=h).json()["status"] == "in_progress"
    assert_problem(
        client.patch(f"/api/v1/meetings/{mid}", json={"place": "X"}, headers=h),
        409,
        "invalid_transition",
    )
    assert_problem(
        client.post(f"/api/v1/meetings/{mid}/cancel", headers=h), 409, "invalid_transition"
    )
    assert client.post(f"/api/v1/meetings/{mid}/close", headers=h).json()["status"] == "closed"
    listed = client.get(url, headers=board.h(board.w.observer)).json()["items"]
    assert [m["id"] for m in listed] == [mid]


def test_meeting_bad_input_and_access(client: TestClient, db: Session, board: Board) -> None:
    w = board.w
    url = f"/api/v1/bodies/{board.body_id}/meetings"
    start = datetime.now(UTC) + timedelta(days=1)
    for bad in (
        meeting_body(ends_at=(start - timedelta(days=2)).isoformat()),
        meeting_body(starts_at="2026-12-01T09:00:00", ends_at="2026-12-01T10:00:00"),
        meeting_body(kind="party"),
        meeting_body(title=""),
        meeting_body(time_zone="Asia/Nowhere"),
        meeting_body(online_link="http://insecure.example"),
        meeting_body(status="closed"),
    ):
        assert_problem(
            client.post(url, json=bad, headers=board.h(board.facilitator)), 422, "validation_failed"
        )
    other_facilitator = make_user(db)
    grant(db, other_facilitator, w.plased, PlatformRoleName.facilitator)
    assert_problem(
        client.post(url, json=meeting_body(), headers=w.h(other_facilitator)), 403, "forbidden"
    )
    assert_problem(client.post(url, json=meeting_body(), headers=w.h(w.observer)), 403, "forbidden")
    assert_problem(client.post(url, json=meeting_body(), headers=w.h(w.stranger)), 404, "not_found")
    assert_problem(client.post(url, json=meeting_body()), 401, "not_authenticated")
    assert client.post(url, json=meeting_body(), headers=w.h(w.secretariat)).status_code == 201
    assert_problem(
        client.get(f"/api/v1/meetings/{uuid.uuid4()}", headers=w.h(w.observer)), 404, "not_found"
    )


def test_agenda_until_start(client: TestClient, board: Board) -> None:
    h = board.h(board.facilitator)
    mid = client.post(
        f"/api/v1/bodies/{board.body_id}/meetings", json=meeting_body(), headers=h
    ).json()["id"]
    url = f"/api/v1/meetings/{mid}/agenda"
    ids = [
        client.post(url, json={"title": t}, headers=h).json()["id"]
        for t in ("Opening", "Budget", "AOB")
    ]
    assert (
        client.patch(
            f"/api/v1/agenda-items/{ids[1]}", json={"title_km": "ថវិកា"}, headers=h
        ).status_code
        == 200
    )
    reordered = client.put(
        f"{url}/order", json={"item_ids": [ids[2], ids[0], ids[1]]}, headers=h
    ).json()
    assert [i["id"] for i in reordered] == [ids[2], ids[0], ids[1]] and [
        i["position"] for i in reordered
    ] == [1, 2, 3]
    assert_problem(
        client.put(f"{url}/order", json={"item_ids": [ids[0]]}, headers=h), 422, "validation_failed"
    )
    assert client.delete(f"/api/v1/agenda-items/{ids[2]}", headers=h).status_code == 204
    assert [i["position"] for i in client.get(url, headers=h).json()["items"]] == [1, 2]
    assert_problem(
        client.post(url, json={"title": "X"}, headers=board.h(board.w.observer)), 403, "forbidden"
    )
    client.post(f"/api/v1/meetings/{mid}/convene", headers=h)
    client.post(f"/api/v1/meetings/{mid}/start", headers=h)
    assert_problem(
        client.post(url, json={"title": "Late item"}, headers=h), 409, "invalid_transition"
    )
    assert_problem(
        client.patch(f"/api/v1/agenda-items/{ids[0]}", json={"title": "X"}, headers=h),
        409,
        "invalid_transition",
    )
    assert_problem(
        client.delete(f"/api/v1/agenda-items/{ids[0]}", headers=h), 409, "invalid_transition"
    )


def test_attendance_and_quorum(client: TestClient, db: Session, board: Board) -> None:
    h = board.h(board.facilitator)
    mid = client.post(
        f"/api/v1/bodies/{board.body_id}/meetings", json=meeting_body(), headers=h
    ).json()["id"]
    person = str(board.voters[0][1].id)
    assert_problem(
        client.put(
            f"/api/v1/meetings/{mid}/attendance/{person}", json={"status": "present"}, headers=h
        ),
        409,
        "invalid_transition",
    )  # not convened yet
    client.post(f"/api/v1/meetings/{mid}/convene", headers=h)
    quorum = client.get(f"/api/v1/meetings/{mid}/quorum", headers=board.h(board.w.observer)).json()
    assert quorum == {
        **quorum,
        "eligible_voters": 5,
        "present_voters": 0,
        "required_fraction": 0.5,
        "required_present": 3,
        "quorate": False,
    }
    one = client.put(
        f"/api/v1/meetings/{mid}/attendance/{person}", json={"status": "present"}, headers=h
    )
    assert one.status_code == 200
    assert next(a for a in one.json() if a["person_id"] == person)["checked_in_at"]
    outsider = make_person(db, board.w.plased)
    sheet = {
        "rows": [
            {"person_id": str(board.voters[1][1].id), "status": "present"},
            {"person_id": str(outsider.id), "status": "present"},
        ]
    }
    problem = assert_problem(
        client.post(f"/api/v1/meetings/{mid}/attendance", json=sheet, headers=h),
        422,
        "validation_failed",
    )
    assert problem["errors"][0]["pointer"] == "/body/rows/1/person_id"
    assert (
        client.get(f"/api/v1/meetings/{mid}/quorum", headers=h).json()["present_voters"] == 1
    )  # nothing written
    sheet["rows"] = [
        *sheet["rows"][:1],
        {"person_id": str(board.voters[2][1].id), "status": "present"},
        {"person_id": str(board.voters[3][1].id), "status": "excused"},
    ]
    assert (
        client.post(f"/api/v1/meetings/{mid}/attendance", json=sheet, headers=h).status_code == 200
    )
    quorum = client.get(f"/api/v1/meetings/{mid}/quorum", headers=h).json()
    assert quorum["present_voters"] == 3 and quorum["quorate"] is True
    assert_problem(
        client.put(
            f"/api/v1/meetings/{mid}/attendance/{person}", json={"status": "asleep"}, headers=h
        ),
        422,
        "validation_failed",
    )
    assert_problem(
        client.put(
            f"/api/v1/meetings/{mid}/attendance/{person}",
            json={"status": "absent"},
            headers=board.h(board.w.observer),
        ),
        403,
        "forbidden",
    )


def test_attendance_names_an_organisation_of_the_platform(
    client: TestClient, db: Session, board: Board
) -> None:
    """An attendee represents one of the platform's organisations; another platform's or
    one that is not there is refused at its pointer, not a 500, and nothing is written."""
    h = board.h(board.facilitator)
    mid = running_meeting(client, board, present=0)
    person = str(board.voters[0][1].id)
    elsewhere = make_organisation(db, board.w.other)
    before = client.get(f"/api/v1/meetings/{mid}/attendance", headers=h).json()
    for organisation in (str(uuid.uuid4()), str(elsewhere.id)):
        mark = {"status": "present", "organisation_id": organisation}
        problem = assert_problem(
            client.put(f"/api/v1/meetings/{mid}/attendance/{person}", json=mark, headers=h),
            422,
            "validation_failed",
        )
        assert [(e["pointer"], e["code"]) for e in problem["errors"]] == [
            ("/body/organisation_id", "unknown_organisation")
        ]
        sheet = {"rows": [{"person_id": person, **mark}]}
        problem = assert_problem(
            client.post(f"/api/v1/meetings/{mid}/attendance", json=sheet, headers=h),
            422,
            "validation_failed",
        )
        assert [(e["pointer"], e["code"]) for e in problem["errors"]] == [
            ("/body/rows/0/organisation_id", "unknown_organisation")
        ]
    assert client.get(f"/api/v1/meetings/{mid}/attendance", headers=h).json() == before
    # A sheet of one row names its person in the body, not the path.
    outsider = str(make_person(db, board.w.plased).id)
    sheet = {"rows": [{"person_id": outsider, "status": "present"}]}
    problem = client.post(f"/api/v1/meetings/{mid}/attendance", json=sheet, headers=h).json()
    assert problem["errors"][0]["pointer"] == "/body/rows/0/person_id"
    mark = {"status": "present", "organisation_id": str(board.w.org.id)}
    answer = client.put(f"/api/v1/meetings/{mid}/attendance/{person}", json=mark, headers=h)
    assert answer.status_code == 200, answer.text
    assert {"person_id": person, "organisation_id": str(board.w.org.id)}.items() <= next(
        a for a in answer.json() if a["person_id"] == person
    ).items()


def test_training_is_open_to_non_members(client: TestClient, db: Session, board: Board) -> None:
    mid = running_meeting(
        client, board, present=0, kind="training", title="Financial literacy training"
    )
    villager = make_person(db, board.w.plased, full_name="Village participant")
    response = client.put(
        f"/api/v1/meetings/{mid}/attendance/{villager.id}",
        json={"status": "present"},
        headers=board.h(board.facilitator),
    )
    assert response.status_code == 200
    assert any(
        a["person_name"] == "Village participant" and not a["is_voter"] for a in response.json()
    )


def test_agenda_item_changes_honour_if_match(client: TestClient, board: Board) -> None:
    """PATCH and DELETE of an agenda item compare If-Match with its version (strongly)."""
    h = board.h(board.facilitator)
    mid = client.post(
        f"/api/v1/bodies/{board.body_id}/meetings", json=meeting_body(), headers=h
    ).json()["id"]
    item = client.post(f"/api/v1/meetings/{mid}/agenda", json={"title": "Budget"}, headers=h)
    url = f"/api/v1/agenda-items/{item.json()['id']}"
    tag = f'"{item.json()["version"]}"'
    stale = client.patch(url, json={"title": "Late"}, headers={**h, "If-Match": '"999"'})
    assert assert_problem(stale, 412, "precondition_failed")["current_etag"] == tag
    weak = client.patch(url, json={"title": "Weak"}, headers={**h, "If-Match": f"W/{tag}"})
    assert_problem(weak, 412, "precondition_failed")
    edited = client.patch(url, json={"title": "Budget 2027"}, headers={**h, "If-Match": tag})
    assert edited.status_code == 200, edited.text
    assert edited.json()["title"] == "Budget 2027"
    new_tag = edited.headers["ETag"]
    assert new_tag != tag
    assert_problem(client.delete(url, headers={**h, "If-Match": tag}), 412, "precondition_failed")
    agenda = client.get(f"/api/v1/meetings/{mid}/agenda", headers=h).json()["items"]
    assert [i["title"] for i in agenda] == ["Budget 2027"]
    assert client.delete(url, headers={**h, "If-Match": new_tag}).status_code == 204
