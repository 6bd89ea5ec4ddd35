"""An initiative's work through the API: coaching sessions and their follow-ups, the
advocacy outcome with dated evidence, and authorities' commitments — who may do what, bad
input that changes nothing, illegal changes, and the happy paths."""

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.helpers import admitted, assert_problem, database_state, platform_today
from tests.initiatives.conftest import Setup, create_initiative
from tests.worlds import meeting_body

TODAY = platform_today()


def _person(client: TestClient, s: Setup, name: str, organisation: str | None = None) -> str:
    made = client.post(
        "/api/v1/people",
        json={"platform_id": str(s.w.plased.id), "full_name": name, "gender": "female"},
        headers=s.sec,
    )
    assert made.status_code == 201, made.text
    pid = str(made.json()["id"])
    if organisation is not None:
        linked = client.post(
            f"/api/v1/organisations/{organisation}/representatives",
            json={"person_id": pid, "role": "staff"},
            headers=s.sec,
        )
        assert linked.status_code == 201, linked.text
    return pid


@pytest.fixture
def authority(client: TestClient, setup: Setup) -> str:
    """The district authority of Lumphat, an active member."""
    s = setup
    districts = client.get("/api/v1/geography", params={"level": "district", "limit": 100})
    lumphat = next(u["id"] for u in districts.json()["items"] if u["code"] == "1605")
    return admitted(
        client,
        s.sec,
        [str(s.w.plased.id)],
        platform_id=str(s.w.plased.id),
        name="Lumphat District Administration",
        kind="local_authority",
        la_level="district",
        unit_id=lumphat,
    )


def test_coaching_sessions_and_follow_ups(client: TestClient, setup: Setup, engine: Engine) -> None:
    s, w = setup, setup.w
    iid = create_initiative(client, s)["id"]
    url = f"/api/v1/initiatives/{iid}/coaching-sessions"
    coach = _person(client, s, "Coach Sophal")
    coached = _person(client, s, "Srey Mom", organisation=str(w.org.id))
    loose = _person(client, s, "Not Linked")
    body = {
        "held_on": (TODAY - timedelta(days=1)).isoformat(),
        "coach_person_id": coach,
        "organisation_ids": [str(w.org.id), s.partner],
        "person_ids": [coached],
        "topics": ["Bookkeeping", "Statutes"],
        "notes": "Drafted the statutes together.",
        "follow_ups": [
            {
                "title": "Open a bank account",
                "owner_organisation_id": str(w.org.id),
                "due_on": (TODAY - timedelta(days=2)).isoformat(),
            }
        ],
    }
    before = database_state(engine)
    assert_problem(client.post(url, json=body), 401, "not_authenticated")
    for user in (w.observer, w.facilitator):
        assert_problem(client.post(url, json=body, headers=w.h(user)), 403, "forbidden")
    assert_problem(client.post(url, json=body, headers=w.h(w.stranger)), 404, "not_found")
    outsider = client.post(
        "/api/v1/organisations",
        json={"platform_id": str(w.plased.id), "name": "Outsider", "kind": "cso", "sector": "cbo"},
        headers=s.sec,
    ).json()["id"]
    before = database_state(engine)
    for bad, pointer, code in (
        ({"person_ids": [coached, loose]}, "/body/person_ids/1", "person_not_linked"),
        ({"person_ids": [outsider]}, "/body/person_ids/0", "unknown_person"),
        ({"coach_person_id": outsider}, "/body/coach_person_id", "unknown_person"),
        ({"organisation_ids": [outsider]}, "/body/organisation_ids/0", "organisation_not_member"),
        (
            {"held_on": (TODAY + timedelta(days=2)).isoformat()},
            "/body/held_on",
            "held_in_future",
        ),
        (
            {"follow_ups": [{**body["follow_ups"][0], "owner_organisation_id": outsider}]},
            "/body/follow_ups/0/owner_organisation_id",
            "organisation_not_member",
        ),
    ):
        refused = assert_problem(
            client.post(url, json={**body, **bad}, headers=s.sec), 422, "validation_failed"
        )
        assert (refused["errors"][0]["pointer"], refused["errors"][0]["code"]) == (pointer, code)
    assert database_state(engine) == before

    made = client.post(url, json=body, headers=w.h(w.staff))  # the lead's staff
    assert made.status_code == 201, made.text
    record = made.json()
    assert made.headers["Location"] == f"/api/v1/coaching-sessions/{record['id']}"
    assert record["person_ids"] == [coached] and record["topics"] == ["Bookkeeping", "Statutes"]
    (follow_up,) = record["follow_ups"]
    assert follow_up["overdue"] is True and follow_up["status"] == "open"
    listed = client.get(url, headers=w.h(w.observer))
    assert listed.status_code == 200 and listed.json()["total"] == 1
    assert "phone" not in str(listed.json()) and "email" not in str(listed.json())
    session_url = f"/api/v1/coaching-sessions/{record['id']}"
    assert_problem(client.get(session_url, headers=w.h(w.stranger)), 404, "not_found")
    edited = client.patch(
        session_url, json={"notes": "Statutes adopted."}, headers={**s.sec, "If-Match": '"1"'}
    )
    assert edited.status_code == 200 and edited.json()["notes"] == "Statutes adopted."
    assert_problem(
        client.patch(session_url, json={"notes": "x"}, headers={**s.sec, "If-Match": '"1"'}),
        412,
        "precondition_failed",
    )
    assert_problem(
        client.patch(session_url, json={"notes": "x"}, headers=w.h(w.observer)), 403, "forbidden"
    )
    done = client.patch(
        f"/api/v1/follow-ups/{follow_up['id']}", json={"status": "done"}, headers=w.h(w.staff)
    )
    assert done.status_code == 200 and done.json()["overdue"] is False
    added = client.post(
        f"{session_url}/follow-ups",
        json={"title": "Elect a board", "owner_organisation_id": s.partner, "due_on": "2030-01-01"},
        headers=s.sec,
    )
    assert added.status_code == 201, added.text
    read = client.get(f"/api/v1/follow-ups/{added.json()['id']}", headers=w.h(w.observer))
    assert read.status_code == 200 and read.json()["title"] == "Elect a board"
    assert_problem(
        client.get(f"/api/v1/follow-ups/{added.json()['id']}", headers=w.h(w.stranger)),
        404,
        "not_found",
    )
    # A closed initiative keeps its sessions as they are.
    assert client.post(
        f"/api/v1/initiatives/{iid}/abandon", json={"reason": "Merged"}, headers=s.sec
    ).is_success
    assert_problem(client.post(url, json=body, headers=s.sec), 409, "initiative_closed")


def test_advocacy_outcome_with_evidence(
    client: TestClient, setup: Setup, authority: str, engine: Engine
) -> None:
    s, w = setup, setup.w
    iid = create_initiative(client, s, title="Feeder roads", kind="advocacy")["id"]
    url = f"/api/v1/initiatives/{iid}/advocacy"
    write = {
        "target_organisation_id": authority,
        "issue": "Repair the feeder road to the cashew collection point",
        "issue_km": "ជួសជុលផ្លូវលំ",
        "channel": "dialogue_meeting",
    }
    assert_problem(client.get(url, headers=s.sec), 404, "not_found")
    not_advocacy = create_initiative(client, s, title="Rice bank")["id"]
    assert_problem(
        client.put(f"/api/v1/initiatives/{not_advocacy}/advocacy", json=write, headers=s.sec),
        409,
        "not_advocacy",
    )
    before = database_state(engine)
    for bad, code in (
        ({"target_organisation_id": s.partner}, "not_a_local_authority"),
        ({"target_body": "Ministry of Rural Development"}, "target_exactly_one"),
        ({"target_organisation_id": None}, "target_exactly_one"),
        ({"channel": "carrier_pigeon"}, "enum"),
    ):
        refused = assert_problem(
            client.put(url, json={**write, **bad}, headers=s.sec), 422, "validation_failed"
        )
        assert refused["errors"][0]["code"] == code
    assert_problem(client.put(url, json=write, headers=w.h(w.observer)), 403, "forbidden")
    assert_problem(client.put(url, json=write, headers=w.h(w.stranger)), 404, "not_found")
    assert database_state(engine) == before

    made = client.put(url, json=write, headers=w.h(w.staff))
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "raised" and made.json()["display_issue"] == write["issue"]
    national = client.put(
        url,
        json={
            **write,
            "target_organisation_id": None,
            "target_body": "Ministry of Rural Development",
        },
        headers={**s.sec, "If-Match": '"1"'},
    )
    assert national.status_code == 200 and national.json()["target_body"]
    assert_problem(
        client.put(url, json=write, headers={**s.sec, "If-Match": '"1"'}),
        412,
        "precondition_failed",
    )

    meeting = client.post(
        f"/api/v1/bodies/{s.board.body_id}/meetings",
        json=meeting_body(kind="consultation", title="Budget forum"),
        headers=s.sec,
    ).json()["id"]
    evidence = {"evidence_on": TODAY.isoformat(), "evidence": "Minutes of the forum"}
    assert_problem(
        client.post(f"{url}/implement", json=evidence, headers=s.sec), 409, "invalid_transition"
    )
    for bad, code in (
        ({"evidence_on": (TODAY + timedelta(days=1)).isoformat()}, "evidence_in_future"),
        ({"meeting_id": iid}, "unknown_meeting"),
        ({"commitment_id": iid}, "unknown_commitment"),
    ):
        refused = assert_problem(
            client.post(f"{url}/acknowledge", json={**evidence, **bad}, headers=s.sec),
            422,
            "validation_failed",
        )
        assert refused["errors"][0]["code"] == code
    assert_problem(
        client.post(f"{url}/acknowledge", json=evidence, headers=w.h(w.observer)), 403, "forbidden"
    )
    acknowledged = client.post(
        f"{url}/acknowledge", json={**evidence, "meeting_id": meeting}, headers=w.h(w.staff)
    )
    assert acknowledged.status_code == 200, acknowledged.text
    commitment = client.post(
        f"/api/v1/platforms/{w.plased.id}/commitments",
        json={
            "text": "Repair the road before the rains",
            "owner_organisation_id": authority,
            "made_on": TODAY.isoformat(),
            "meeting_id": meeting,
            "initiative_id": iid,
            "due_on": (TODAY + timedelta(days=90)).isoformat(),
        },
        headers=s.sec,
    ).json()["id"]
    committed = client.post(
        f"{url}/commit", json={**evidence, "commitment_id": commitment}, headers=s.sec
    )
    assert committed.status_code == 200 and committed.json()["status"] == "commitment_made"
    read = client.get(url, headers={**w.h(w.observer), "Accept-Language": "km"}).json()
    assert read["display_issue"] == "ជួសជុលផ្លូវលំ"
    assert [(e["from_status"], e["to_status"]) for e in read["outcome"]] == [
        (None, "raised"),
        ("raised", "acknowledged"),
        ("acknowledged", "commitment_made"),
    ]
    assert read["outcome"][1]["meeting_id"] == meeting
    assert read["outcome"][2]["commitment_id"] == commitment
    assert read["outcome"][2]["evidence_on"] == TODAY.isoformat()


def test_commitments(client: TestClient, setup: Setup, authority: str, engine: Engine) -> None:
    s, w = setup, setup.w
    url = f"/api/v1/platforms/{w.plased.id}/commitments"
    body: dict[str, Any] = {
        "text": "Budget a water point for Kachon",
        "text_km": "ថវិកាសម្រាប់ទឹកស្អាត",
        "owner_organisation_id": authority,
        "made_on": (TODAY - timedelta(days=40)).isoformat(),
        "due_on": (TODAY - timedelta(days=10)).isoformat(),
    }
    before = database_state(engine)
    assert_problem(client.post(url, json=body), 401, "not_authenticated")
    for user in (w.observer, w.staff):
        assert_problem(client.post(url, json=body, headers=w.h(user)), 403, "forbidden")
    assert_problem(client.post(url, json=body, headers=w.h(w.stranger)), 404, "not_found")
    for bad, pointer, code in (
        (
            {"owner_organisation_id": str(w.org.id)},
            "/body/owner_organisation_id",
            "not_a_local_authority",
        ),
        ({"made_on": (TODAY + timedelta(days=1)).isoformat()}, "/body/made_on", "made_in_future"),
        ({"initiative_id": authority}, "/body/initiative_id", "unknown_initiative"),
        ({"meeting_id": authority}, "/body/meeting_id", "unknown_meeting"),
    ):
        refused = assert_problem(
            client.post(url, json={**body, **bad}, headers=s.sec), 422, "validation_failed"
        )
        assert (refused["errors"][0]["pointer"], refused["errors"][0]["code"]) == (pointer, code)
    assert database_state(engine) == before

    made = client.post(url, json=body, headers=s.sec)
    assert made.status_code == 201, made.text
    cid = made.json()["id"]
    assert made.json()["overdue"] is True and made.json()["status"] == "pending"
    later = client.post(
        url, json={**body, "text": "Grade the road", "due_on": "2030-01-01"}, headers=s.sec
    ).json()
    assert later["overdue"] is False
    listed = client.get(url, headers=w.h(w.observer))
    assert listed.status_code == 200 and listed.json()["total"] == 2
    overdue = client.get(url, params={"sort": "due_on"}, headers=s.sec).json()["items"]
    assert [c["id"] for c in overdue] == [cid, later["id"]]
    assert_problem(client.get(url, headers=w.h(w.stranger)), 404, "not_found")
    one = f"/api/v1/commitments/{cid}"
    khmer = client.get(one, headers={**w.h(w.staff), "Accept-Language": "km"})
    assert khmer.status_code == 200 and khmer.json()["display_text"] == "ថវិកាសម្រាប់ទឹកស្អាត"
    assert_problem(client.get(one, headers=w.h(w.stranger)), 404, "not_found")
    assert_problem(
        client.patch(one, json={"status": "in_progress"}, headers=w.h(w.staff)), 403, "forbidden"
    )
    moving = client.patch(one, json={"status": "in_progress"}, headers={**s.sec, "If-Match": '"1"'})
    assert moving.status_code == 200 and moving.json()["status"] == "in_progress"
    assert_problem(
        client.patch(one, json={"status": "pending"}, headers=s.sec), 409, "invalid_transition"
    )
    kept = client.patch(one, json={"status": "fulfilled"}, headers=s.sec)
    assert kept.status_code == 200 and kept.json()["overdue"] is False
    refused = assert_problem(
        client.patch(one, json={"status": "not_fulfilled"}, headers=s.sec),
        409,
        "invalid_transition",
    )
    assert refused["current_status"] == "fulfilled"
    done = client.get(url, params={"status": "fulfilled"}, headers=s.sec).json()
    assert [c["id"] for c in done["items"]] == [cid]
