"""Strategic initiatives through the API: who may do what, bad input that changes nothing,
the life cycle on a passed motion, milestones with progress and overdue flags against
hand-computed fixtures, history, and the one-winner race."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.helpers import assert_problem, database_state, platform_today
from tests.initiatives.conftest import Setup, create_initiative, initiative_body
from tests.valuechains.conftest import Chains, passed_motion


def test_life_cycle_on_a_passed_motion(client: TestClient, setup: Setup) -> None:
    s, w = setup, setup.w
    made = client.post(s.url, json=initiative_body(s, budget_usd=12000, funder="EU"), headers=s.sec)
    assert made.status_code == 201, made.text
    initiative = made.json()
    iid = initiative["id"]
    assert made.headers["Location"] == f"/api/v1/initiatives/{iid}"
    assert initiative["status"] == "proposed" and initiative["progress"] is None
    assert initiative["partner_organisation_ids"] == [s.partner]
    url = f"/api/v1/initiatives/{iid}"
    khmer = client.get(url, headers={**w.h(w.observer), "Accept-Language": "km"})
    assert khmer.status_code == 200 and khmer.json()["display_title"] == "សមាគមអ្នកផលិតស្វាយចន្ទី"
    assert khmer.headers["ETag"]

    # A status that skips a state; approval without a (passed) motion.
    for action in ("start", "complete"):
        refused = assert_problem(
            client.post(f"{url}/{action}", headers=s.sec), 409, "invalid_transition"
        )
        assert refused["current_status"] == "proposed"
    assert_problem(client.post(f"{url}/approve", json={}, headers=s.sec), 422, "validation_failed")
    unknown = assert_problem(
        client.post(f"{url}/approve", json={"motion_id": iid}, headers=s.sec),
        422,
        "validation_failed",
    )
    assert unknown["errors"][0]["code"] == "unknown_motion"
    failed = passed_motion(client, s.board, passes=False)
    assert_problem(
        client.post(f"{url}/approve", json={"motion_id": failed}, headers=s.sec),
        409,
        "motion_not_passed",
    )
    motion = passed_motion(client, s.board)
    for user in (w.observer, w.staff, w.facilitator):
        assert_problem(
            client.post(f"{url}/approve", json={"motion_id": motion}, headers=w.h(user)),
            403,
            "forbidden",
        )
    assert_problem(
        client.post(f"{url}/approve", json={"motion_id": motion}, headers=w.h(w.stranger)),
        404,
        "not_found",
    )
    approved = client.post(f"{url}/approve", json={"motion_id": motion}, headers=s.sec)
    assert approved.status_code == 200, approved.text
    assert approved.json()["approval_motion_id"] == motion and approved.json()["approved_at"]
    assert client.post(f"{url}/start", headers=s.sec).json()["status"] == "in_progress"
    completed = client.post(f"{url}/complete", headers=s.sec)
    assert completed.status_code == 200 and completed.json()["ended_at"]
    assert_problem(
        client.post(f"{url}/abandon", json={"reason": "Late"}, headers=s.sec),
        409,
        "invalid_transition",
    )
    assert_problem(client.patch(url, json={"funder": "X"}, headers=s.sec), 409, "initiative_closed")
    history = client.get(f"{url}/history", headers=w.h(w.staff)).json()["items"]
    assert [(e["from_status"], e["to_status"]) for e in history] == [
        (None, "proposed"),
        ("proposed", "approved"),
        ("approved", "in_progress"),
        ("in_progress", "completed"),
    ]
    assert [e["motion_id"] for e in history] == [None, motion, None, None]

    other = create_initiative(client, s, title="Pepper advocacy", kind="advocacy")
    ended = client.post(
        f"/api/v1/initiatives/{other['id']}/abandon", json={"reason": "No funder"}, headers=s.sec
    )
    assert ended.status_code == 200 and ended.json()["end_reason"] == "No funder"
    assert_problem(
        client.post(f"/api/v1/initiatives/{other['id']}/abandon", json={}, headers=s.sec),
        422,
        "validation_failed",
    )
    events = client.get(f"/api/v1/initiatives/{other['id']}/history", headers=s.sec).json()
    assert events["items"][-1]["reason"] == "No funder"


def test_who_may_touch_initiatives(client: TestClient, setup: Setup, engine: Engine) -> None:
    s, w = setup, setup.w
    assert_problem(client.get(s.url), 401, "not_authenticated")
    assert_problem(client.post(s.url, json=initiative_body(s)), 401, "not_authenticated")
    for user in (w.observer, w.staff, w.facilitator):
        assert_problem(
            client.post(s.url, json=initiative_body(s), headers=w.h(user)), 403, "forbidden"
        )
    assert_problem(
        client.post(s.url, json=initiative_body(s), headers=w.h(w.stranger)), 404, "not_found"
    )
    assert_problem(client.get(s.url, headers=w.h(w.stranger)), 404, "not_found")
    iid = create_initiative(client, s)["id"]
    url = f"/api/v1/initiatives/{iid}"
    for path in (url, f"{url}/history"):
        assert_problem(client.get(path), 401, "not_authenticated")
        assert_problem(client.get(path, headers=w.h(w.stranger)), 404, "not_found")
    assert_problem(client.get(f"/api/v1/initiatives/{s.partner}", headers=s.sec), 404, "not_found")
    for user in (w.observer, w.staff):
        assert client.get(url, headers=w.h(user)).status_code == 200
        assert_problem(client.patch(url, json={"funder": "X"}, headers=w.h(user)), 403, "forbidden")
    assert_problem(
        client.patch(url, json={"funder": "X"}, headers=w.h(w.stranger)), 404, "not_found"
    )
    edited = client.patch(url, json={"funder": "EU"}, headers={**s.sec, "If-Match": '"1"'})
    assert edited.status_code == 200 and edited.json()["funder"] == "EU"
    assert edited.headers["ETag"] == '"2"'
    assert_problem(
        client.patch(url, json={"funder": "UN"}, headers={**s.sec, "If-Match": '"1"'}),
        412,
        "precondition_failed",
    )

    # Bad input changes nothing.
    outsider = client.post(
        "/api/v1/organisations",
        json={
            "platform_id": str(w.plased.id),
            "name": "Not A Member",
            "kind": "cso",
            "sector": "cbo",
        },
        headers=s.sec,
    ).json()["id"]
    other_chain = client.post(
        f"/api/v1/platforms/{w.other.id}/value-chains",
        json={"name": "Rubber"},
        headers=w.h(w.stranger),
    ).json()["id"]
    before = database_state(engine)
    for bad, pointer, code in (
        (
            {"lead_organisation_id": outsider},
            "/body/lead_organisation_id",
            "organisation_not_member",
        ),
        (
            {"partner_organisation_ids": [s.partner, outsider]},
            "/body/partner_organisation_ids/1",
            "organisation_not_member",
        ),
        ({"value_chain_id": other_chain}, "/body/value_chain_id", "unknown_value_chain"),
        ({"strategy_action_id": iid}, "/body/strategy_action_id", "unknown_strategy_action"),
        ({"kind": "lobbying"}, "/body/kind", "enum"),
        ({"budget_usd": -1}, "/body/budget_usd", "greater_than_equal"),
        ({"budget_usd": 10**12}, "/body/budget_usd", "less_than_equal"),
        ({"title": ""}, "/body/title", "string_too_short"),
        ({"status": "completed"}, "/body/status", "extra_forbidden"),
    ):
        refused = assert_problem(
            client.post(s.url, json=initiative_body(s, **bad), headers=s.sec),
            422,
            "validation_failed",
        )
        assert (refused["errors"][0]["pointer"], refused["errors"][0]["code"]) == (pointer, code)
    assert_problem(
        client.patch(url, json={"lead_organisation_id": outsider}, headers=s.sec),
        422,
        "validation_failed",
    )
    assert_problem(client.patch(url, json={"title": None}, headers=s.sec), 422, "validation_failed")
    assert database_state(engine) == before


def test_links_to_a_value_chain_and_its_strategy_action(
    client: TestClient, setup: Setup, chains: Chains
) -> None:
    """A strategy action given alone names its chain; with another chain it is refused."""
    from tests.valuechains.test_focus_groups import prioritised

    s, w = setup, setup.w
    chain = prioritised(client, chains)
    assert client.post(
        f"/api/v1/value-chains/{chain}/focus-group", json={}, headers=s.sec
    ).is_success
    sid = client.post(f"/api/v1/value-chains/{chain}/strategies", json={}, headers=s.sec).json()[
        "id"
    ]
    objective = client.post(
        f"/api/v1/strategies/{sid}/objectives", json={"title": "Prices"}, headers=s.sec
    ).json()["id"]
    action = client.post(
        f"/api/v1/objectives/{objective}/actions",
        json={"title": "Collective selling", "owner_organisation_id": str(w.org.id)},
        headers=s.sec,
    ).json()["id"]
    linked = create_initiative(client, s, strategy_action_id=action)
    assert linked["value_chain_id"] == chain and linked["strategy_action_id"] == action
    other_chain = client.post(
        f"/api/v1/platforms/{w.plased.id}/value-chains", json={"name": "Pepper"}, headers=s.sec
    ).json()["id"]
    refused = assert_problem(
        client.post(
            s.url,
            json=initiative_body(s, value_chain_id=other_chain, strategy_action_id=action),
            headers=s.sec,
        ),
        422,
        "validation_failed",
    )
    assert refused["errors"][0]["code"] == "unknown_strategy_action"
    found = client.get(s.url, params={"value_chain_id": chain}, headers=s.sec).json()
    assert [i["id"] for i in found["items"]] == [linked["id"]]


def test_milestones_progress_and_overdue(client: TestClient, setup: Setup, engine: Engine) -> None:
    """Four milestones: one done, one due yesterday (overdue), one due in ten days, one due
    last week but done today. Progress: 2 done of 4 = 50; overdue: 1, with a warning."""
    s, w = setup, setup.w
    iid = create_initiative(client, s)["id"]
    url = f"/api/v1/initiatives/{iid}/milestones"
    today = platform_today()
    staff = w.h(w.staff)  # the lead organisation's staff

    def add(title: str, due: date, headers: dict[str, str], **extra: Any) -> Any:
        return client.post(
            url, json={"title": title, "due_on": due.isoformat(), **extra}, headers=headers
        )

    before = database_state(engine)
    for user in (w.observer, w.facilitator):
        assert_problem(add("Statutes", today, w.h(user)), 403, "forbidden")
    assert_problem(add("Statutes", today, w.h(w.stranger)), 404, "not_found")
    for bad, code in (
        ({"done_on": (today - timedelta(days=2)).isoformat()}, "done_before_created"),
        ({"done_on": (today + timedelta(days=2)).isoformat()}, "done_in_future"),
    ):
        refused = assert_problem(add("Statutes", today, staff, **bad), 422, "validation_failed")
        assert refused["errors"][0] == {
            "pointer": "/body/done_on",
            "code": code,
            "message": refused["errors"][0]["message"],
        }
    assert_problem(
        client.post(url, json={"title": "X", "due_on": "2027-02-30"}, headers=staff),
        422,
        "validation_failed",
    )
    assert database_state(engine) == before

    done = add("Statutes drafted", today - timedelta(days=3), staff, done_on=today.isoformat())
    assert done.status_code == 201, done.text
    assert done.headers["Location"] == f"/api/v1/milestones/{done.json()['id']}"
    late = add("General assembly", today - timedelta(days=1), s.sec).json()
    soon = add("Registration", today + timedelta(days=10), staff).json()
    assert soon["overdue"] is False and late["overdue"] is True
    last = add("Bank account", today - timedelta(days=7), staff).json()
    marked = client.patch(
        f"/api/v1/milestones/{last['id']}",
        json={"done_on": today.isoformat()},
        headers={**staff, "If-Match": '"1"'},
    )
    assert marked.status_code == 200 and marked.json()["overdue"] is False
    assert_problem(
        client.patch(
            f"/api/v1/milestones/{last['id']}",
            json={"done_on": (today - timedelta(days=1)).isoformat()},
            headers=staff,
        ),
        422,
        "validation_failed",
    )
    assert_problem(
        client.patch(
            f"/api/v1/milestones/{last['id']}",
            json={"title": "X"},
            headers={**staff, "If-Match": '"1"'},
        ),
        412,
        "precondition_failed",
    )
    assert_problem(
        client.patch(
            f"/api/v1/milestones/{last['id']}", json={"title": "X"}, headers=w.h(w.observer)
        ),
        403,
        "forbidden",
    )
    read = client.get(f"/api/v1/initiatives/{iid}", headers=w.h(w.observer)).json()
    assert [m["title"] for m in read["milestones"]] == [
        "Bank account",
        "Statutes drafted",
        "General assembly",
        "Registration",
    ]
    assert (read["progress"], read["overdue_milestones"]) == (50, 1)
    assert [x["code"] for x in read["warnings"]] == ["milestones_overdue"]
    single = client.get(f"/api/v1/milestones/{late['id']}", headers=w.h(w.observer))
    assert single.status_code == 200 and single.json()["overdue"] is True
    assert_problem(
        client.get(f"/api/v1/milestones/{late['id']}", headers=w.h(w.stranger)), 404, "not_found"
    )
    assert_problem(client.get(f"/api/v1/milestones/{iid}", headers=s.sec), 404, "not_found")

    # Closed: milestones no longer change.
    assert client.post(
        f"/api/v1/initiatives/{iid}/abandon", json={"reason": "Merged"}, headers=s.sec
    ).is_success
    assert_problem(add("After", today, staff), 409, "initiative_closed")
    closed = client.get(f"/api/v1/initiatives/{iid}", headers=s.sec).json()
    assert closed["warnings"] == [] and closed["overdue_milestones"] == 1


def test_list_filters_and_sorts(client: TestClient, setup: Setup) -> None:
    s, w = setup, setup.w
    first = create_initiative(client, s, title="Rice bank")
    second = create_initiative(
        client,
        s,
        title="Advocacy for feeder roads",
        kind="advocacy",
        lead_organisation_id=s.partner,
        partner_organisation_ids=[],
    )
    listed = client.get(s.url, headers=w.h(w.observer))
    assert listed.status_code == 200 and listed.json()["total"] == 2
    assert [i["id"] for i in listed.json()["items"]] == [second["id"], first["id"]]
    by_title = client.get(s.url, params={"sort": "title"}, headers=s.sec).json()["items"]
    assert [i["title"] for i in by_title] == ["Advocacy for feeder roads", "Rice bank"]
    kinds = client.get(s.url, params={"kind": "advocacy"}, headers=s.sec).json()["items"]
    assert [i["id"] for i in kinds] == [second["id"]]
    # The partner leads one and partners in the other.
    mine = client.get(s.url, params={"organisation_id": s.partner}, headers=s.sec).json()
    assert mine["total"] == 2
    lead_only = client.get(s.url, params={"organisation_id": str(w.org.id)}, headers=s.sec).json()
    assert [i["id"] for i in lead_only["items"]] == [first["id"]]
    found = client.get(s.url, params={"q": "rice"}, headers=s.sec).json()["items"]
    assert [i["id"] for i in found] == [first["id"]]
    assert_problem(
        client.get(s.url, params={"sort": "budget"}, headers=s.sec), 422, "validation_failed"
    )
    assert_problem(
        client.get(s.url, params={"status": "finished"}, headers=s.sec), 422, "validation_failed"
    )


def test_concurrent_approvals_have_one_winner(
    client: TestClient, setup: Setup, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    s = setup
    iid = create_initiative(client, s)["id"]
    motion = passed_motion(client, s.board)

    def approve(_: int) -> int:
        return client.post(
            f"/api/v1/initiatives/{iid}/approve", json={"motion_id": motion}, headers=s.sec
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(approve, range(8)))
    assert statuses.count(200) == 1 and statuses.count(409) == 7
    events = client.get(f"/api/v1/initiatives/{iid}/history", headers=s.sec).json()["items"]
    assert [e["to_status"] for e in events] == ["proposed", "approved"]
