"""Bodies and seats: who manages them, terms, overlaps, the composition check."""

import uuid
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import make_person
from tests.helpers import assert_problem
from tests.worlds import Board, World


def test_general_assembly_comes_with_the_platform(client: TestClient, world: World) -> None:
    bodies = client.get(
        f"/api/v1/platforms/{world.plased.id}/bodies", headers=world.h(world.observer)
    ).json()["items"]
    assembly = [b for b in bodies if b["kind"] == "general_assembly"]
    assert len(assembly) == 1 and assembly[0]["voting"] == "member_organisations"
    again = client.post(
        f"/api/v1/platforms/{world.plased.id}/bodies",
        json={"kind": "general_assembly", "name": "Another"},
        headers=world.h(world.secretariat),
    )
    assert_problem(again, 409, "assembly_exists")


def test_body_access(client: TestClient, world: World) -> None:
    url = f"/api/v1/platforms/{world.plased.id}/bodies"
    body = {"kind": "committee", "name": "Audit committee"}
    assert_problem(client.post(url, json=body), 401, "not_authenticated")
    assert_problem(client.post(url, json=body, headers=world.h(world.observer)), 403, "forbidden")
    assert_problem(client.post(url, json=body, headers=world.h(world.stranger)), 404, "not_found")
    for bad in (
        {"kind": "club", "name": "X"},
        {"kind": "committee", "name": ""},
        {"kind": "committee", "name": "X", "facilitator_ids": [str(world.observer.id)]},
        {"kind": "committee", "name": "X", "voting": "everyone"},
    ):
        assert_problem(
            client.post(url, json=bad, headers=world.h(world.secretariat)), 422, "validation_failed"
        )
    assert client.post(url, json=body, headers=world.h(world.secretariat)).status_code == 201
    assert_problem(client.get(url, headers=world.h(world.stranger)), 404, "not_found")


def test_seats_terms_and_overlaps(client: TestClient, db: Session, board: Board) -> None:
    w = board.w
    h = w.h(w.secretariat)
    url = f"/api/v1/bodies/{board.body_id}/seats"
    seats = client.get(f"{url}?current=true", headers=w.h(w.observer)).json()["items"]
    assert len(seats) == 5 and all(s["is_current"] for s in seats)
    chair = next(s for s in seats if s["position"] == "chair")
    start = date.fromisoformat(chair["term_start"])
    assert date.fromisoformat(chair["term_end"]) > start + timedelta(
        days=700
    )  # 24 months by default
    newcomer = make_person(db, w.plased)
    second_chair = {
        "position": "chair",
        "person_id": str(newcomer.id),
        "term_start": str(date.today()),
    }
    assert_problem(client.post(url, json=second_chair, headers=h), 409, "seat_overlap")
    same_person = {
        "position": "member",
        "person_id": chair["person_id"],
        "term_start": str(date.today()),
    }
    assert_problem(client.post(url, json=same_person, headers=h), 409, "seat_overlap")
    for bad in (
        {"position": "king", "person_id": str(newcomer.id), "term_start": "2026-01-01"},
        {"position": "member", "person_id": str(uuid.uuid4()), "term_start": "2026-01-01"},
        {
            "position": "member",
            "person_id": str(make_person(db, w.other).id),
            "term_start": "2026-01-01",
        },
        {
            "position": "member",
            "person_id": str(newcomer.id),
            "term_start": "2026-01-01",
            "term_end": "2025-01-01",
        },
    ):
        assert_problem(client.post(url, json=bad, headers=h), 422, "validation_failed")
    assert_problem(client.post(url, json=second_chair, headers=w.h(w.observer)), 403, "forbidden")
    assert_problem(
        client.post(url, json=second_chair, headers=board.h(board.facilitator)), 403, "forbidden"
    )
    assert_problem(client.post(url, json=second_chair, headers=w.h(w.stranger)), 404, "not_found")
    ended = client.post(
        f"/api/v1/seats/{chair['id']}/end", json={"end_date": str(date.today())}, headers=h
    )
    assert ended.status_code == 200
    assert any(warning["code"] == "terms_ending_soon" for warning in ended.json()["warnings"])
    assert_problem(
        client.post(f"/api/v1/seats/{chair['id']}/end", json={}, headers=h),
        409,
        "seat_already_ending",
    )
    next_chair = {
        "position": "chair",
        "person_id": str(newcomer.id),
        "term_start": str(date.today() + timedelta(days=1)),
    }
    created = client.post(url, json=next_chair, headers=h)
    assert created.status_code == 201 and "warnings" in created.json()
    history = client.get(url, headers=w.h(w.observer)).json()["items"]
    assert len(history) == 6  # past and future holders are kept


def test_composition_warnings(client: TestClient, db: Session, board: Board) -> None:
    composition = client.get(
        f"/api/v1/bodies/{board.body_id}/composition", headers=board.h(board.w.observer)
    ).json()
    assert composition["seats"] == 5 and composition["women"] == 3
    assert composition["women_share"] == 0.6 and composition["min_women_share"] == 0.4
    codes = {w["code"] for w in composition["warnings"]}
    assert "women_share_below_minimum" not in codes
    assert {"no_local_authority", "no_service_provider", "no_indigenous"} <= codes
    assert composition["represented"]["cso"] is True
    # Ending two women's seats drops the share below the minimum.
    seats = client.get(
        f"/api/v1/bodies/{board.body_id}/seats?current=true", headers=board.h(board.w.observer)
    ).json()["items"]
    women = [s for s in seats if s["person_id"] in {str(p.id) for _, p in board.voters[::2]}][:2]
    for seat in women:
        client.post(
            f"/api/v1/seats/{seat['id']}/end",
            json={"end_date": str(date.today() - timedelta(days=1))},
            headers=board.h(board.w.secretariat),
        )
    after = client.get(
        f"/api/v1/bodies/{board.body_id}/composition", headers=board.h(board.w.observer)
    ).json()
    assert after["women_share"] == round(1 / 3, 4)
    assert "women_share_below_minimum" in {w["code"] for w in after["warnings"]}
