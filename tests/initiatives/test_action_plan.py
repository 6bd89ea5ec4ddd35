"""The priority action plan through the API: who may do what, bad input that changes
nothing, priorities and the reorder under If-Match, status rules, overdue flags against a
hand-made fixture, links to initiatives and strategy actions, and the one-winner reorder."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.helpers import admitted, assert_problem, database_state
from tests.valuechains.conftest import Chains, new_chain, score
from tests.worlds import Board, World


@dataclass
class Plan:
    w: World
    partner: str  # a second active member organisation, without staff

    @property
    def sec(self) -> dict[str, str]:
        return self.w.h(self.w.secretariat)

    @property
    def url(self) -> str:
        return f"/api/v1/platforms/{self.w.plased.id}/action-plan"

    def item(self, item_id: str) -> str:
        return f"/api/v1/action-plan-items/{item_id}"


@pytest.fixture
def plan(client: TestClient, board: Board) -> Plan:
    world = board.w  # the board makes the world's organisation an active member
    partner = admitted(
        client,
        world.h(world.secretariat),
        [str(world.plased.id)],
        platform_id=str(world.plased.id),
        name="Cashew Producers Union",
        kind="cso",
        sector="agriculture",
    )
    return Plan(w=world, partner=partner)


def _body(p: Plan, **fields: Any) -> dict[str, Any]:
    return {
        "title": "Train producer groups in cashew grading",
        "title_km": "បណ្តុះបណ្តាលក្រុមអ្នកផលិតស្វាយចន្ទី",
        "owner_organisation_id": str(p.w.org.id),
        "due_on": (date.today() + timedelta(days=30)).isoformat(),
        **fields,
    }


def _add(client: TestClient, p: Plan, **fields: Any) -> dict[str, Any]:
    made = client.post(p.url, json=_body(p, **fields), headers=p.sec)
    assert made.status_code == 201, made.text
    return dict(made.json())


def _summary(client: TestClient, p: Plan) -> dict[str, Any]:
    found = client.get(f"{p.url}/summary", headers=p.sec)
    assert found.status_code == 200, found.text
    return dict(found.json())


def _titles(client: TestClient, p: Plan, **params: Any) -> list[tuple[int, str]]:
    found = client.get(p.url, params=params, headers=p.sec)
    assert found.status_code == 200, found.text
    return [(i["priority"], i["title"]) for i in found.json()["items"]]


def test_who_may_touch_the_plan(client: TestClient, plan: Plan) -> None:
    p, w = plan, plan.w
    order = f"{p.url}/order"
    for method, path in (("GET", p.url), ("GET", f"{p.url}/summary"), ("POST", p.url)):
        assert_problem(client.request(method, path, json=_body(p)), 401, "not_authenticated")
    assert_problem(client.put(order, json={"item_ids": []}), 401, "not_authenticated")
    for user in (w.observer, w.staff, w.facilitator):
        assert_problem(client.post(p.url, json=_body(p), headers=w.h(user)), 403, "forbidden")
        assert_problem(
            client.put(order, json={"item_ids": []}, headers=w.h(user)), 403, "forbidden"
        )
    stranger = w.h(w.stranger)
    for method, path in (("GET", p.url), ("GET", f"{p.url}/summary"), ("POST", p.url)):
        assert_problem(
            client.request(method, path, json=_body(p), headers=stranger), 404, "not_found"
        )
    assert_problem(client.put(order, json={"item_ids": []}, headers=stranger), 404, "not_found")

    mine = _add(client, p)  # owned by the staff's organisation
    theirs = _add(client, p, title="Feeder road advocacy", owner_organisation_id=p.partner)
    url = p.item(mine["id"])
    for method in ("GET", "PATCH", "DELETE"):
        assert_problem(client.request(method, url, json={}), 401, "not_authenticated")
        # Another platform's item answers exactly as a missing one.
        hidden = assert_problem(
            client.request(method, url, json={}, headers=stranger), 404, "not_found"
        )
        missing = assert_problem(
            client.request(method, p.item(p.partner), json={}, headers=p.sec), 404, "not_found"
        )
        assert (hidden["title"], hidden["detail"]) == (missing["title"], missing["detail"])
    for user in (w.observer, w.staff, w.facilitator):
        assert client.get(url, headers=w.h(user)).status_code == 200
        assert client.get(p.url, headers=w.h(user)).json()["total"] == 2
        assert_problem(client.delete(url, headers=w.h(user)), 403, "forbidden")

    # The owner's staff report status and progress of their own items, nothing else.
    staff = w.h(w.staff)
    reported = client.patch(url, json={"status": "in_progress", "progress": 30}, headers=staff)
    assert reported.status_code == 200, reported.text
    assert (reported.json()["status"], reported.json()["progress"]) == ("in_progress", 30)
    assert reported.headers["ETag"] == '"2"'
    assert_problem(client.patch(url, json={"title": "Mine"}, headers=staff), 403, "forbidden")
    assert_problem(
        client.patch(p.item(theirs["id"]), json={"progress": 10}, headers=staff), 403, "forbidden"
    )
    for user in (w.observer, w.facilitator):
        assert_problem(
            client.patch(url, json={"progress": 40}, headers=w.h(user)), 403, "forbidden"
        )
    edited = client.patch(
        url, json={"title": "Grading training", "due_on": "2031-01-31"}, headers=p.sec
    )
    assert edited.status_code == 200 and edited.json()["title"] == "Grading training"


def test_bad_input_changes_nothing(client: TestClient, plan: Plan, engine: Engine) -> None:
    p, w = plan, plan.w
    first = _add(client, p)
    second = _add(client, p, title="Second")
    outsider = client.post(
        "/api/v1/organisations",
        json={
            "platform_id": str(w.plased.id),
            "name": "Not A Member",
            "kind": "cso",
            "sector": "cbo",
        },
        headers=p.sec,
    ).json()["id"]
    initiative = client.post(
        f"/api/v1/platforms/{w.plased.id}/initiatives",
        json={
            "title": "Rice bank",
            "kind": "production_support",
            "lead_organisation_id": p.partner,
        },
        headers=p.sec,
    ).json()["id"]
    before = database_state(engine)
    for bad, pointer, code in (
        (
            {"owner_organisation_id": outsider},
            "/body/owner_organisation_id",
            "organisation_not_member",
        ),
        ({"initiative_id": first["id"]}, "/body/initiative_id", "unknown_initiative"),
        ({"strategy_action_id": initiative}, "/body/strategy_action_id", "unknown_strategy_action"),
        (
            {"initiative_id": initiative, "strategy_action_id": initiative},
            "/body/strategy_action_id",
            "one_link_only",
        ),
        ({"due_on": "2027-02-30"}, "/body/due_on", "date_from_datetime_parsing"),
        ({"due_on": "0999-01-01"}, "/body/due_on", "out_of_range"),
        ({"title": ""}, "/body/title", "string_too_short"),
        ({"title": "x" * 301}, "/body/title", "string_too_long"),
        ({"status": "done"}, "/body/status", "extra_forbidden"),
        ({"priority": 1}, "/body/priority", "extra_forbidden"),
    ):
        refused = assert_problem(
            client.post(p.url, json=_body(p, **bad), headers=p.sec), 422, "validation_failed"
        )
        assert (refused["errors"][0]["pointer"], refused["errors"][0]["code"]) == (pointer, code)
    url = p.item(first["id"])
    for bad, pointer, code in (
        ({"title": None}, "/body/title", "required"),
        ({"status": None}, "/body/status", "required"),
        ({"status": "finished"}, "/body/status", "enum"),
        ({"progress": 101}, "/body/progress", "less_than_equal"),
        (
            {"owner_organisation_id": outsider},
            "/body/owner_organisation_id",
            "organisation_not_member",
        ),
        (
            {"initiative_id": initiative, "strategy_action_id": initiative},
            "/body/strategy_action_id",
            "one_link_only",
        ),
    ):
        refused = assert_problem(
            client.patch(url, json=bad, headers=p.sec), 422, "validation_failed"
        )
        assert (refused["errors"][0]["pointer"], refused["errors"][0]["code"]) == (pointer, code)
    order = f"{p.url}/order"
    for ids in (
        [first["id"]],
        [first["id"], first["id"]],
        [first["id"], second["id"], first["id"]],
        [first["id"], initiative],
        [],
    ):
        refused = assert_problem(
            client.put(order, json={"item_ids": ids}, headers=p.sec), 422, "validation_failed"
        )
        assert refused["errors"][0] == {
            "pointer": "/body/item_ids",
            "code": "not_a_permutation",
            "message": refused["errors"][0]["message"],
        }
    assert_problem(
        client.put(order, json={"item_ids": ["not-an-id"]}, headers=p.sec), 422, "validation_failed"
    )
    assert database_state(engine) == before


def test_priorities_and_the_reorder_under_if_match(
    client: TestClient, plan: Plan, engine: Engine
) -> None:
    p, w = plan, plan.w
    assert _summary(client, p)["version"] == 1  # an empty plan
    made = client.post(p.url, json=_body(p, title="A"), headers=p.sec)
    assert made.status_code == 201 and made.json()["priority"] == 1
    assert made.headers["Location"] == f"/api/v1/action-plan-items/{made.json()['id']}"
    a = made.json()["id"]
    b = _add(client, p, title="B")["id"]
    c = _add(client, p, title="C")["id"]
    assert _titles(client, p) == [(1, "A"), (2, "B"), (3, "C")]
    summary = _summary(client, p)
    assert (summary["version"], summary["items"]) == (4, 3)

    order = f"{p.url}/order"
    moved = client.put(order, json={"item_ids": [c, a, b]}, headers={**p.sec, "If-Match": '"4"'})
    assert moved.status_code == 200, moved.text
    assert moved.headers["ETag"] == '"5"' and moved.json()["version"] == 5
    assert _titles(client, p) == [(1, "C"), (2, "A"), (3, "B")]
    assert _titles(client, p, sort="-priority") == [(3, "B"), (2, "A"), (1, "C")]
    before = database_state(engine)
    for stale in ('"4"', 'W/"5"'):
        refused = assert_problem(
            client.put(order, json={"item_ids": [a, b, c]}, headers={**p.sec, "If-Match": stale}),
            412,
            "precondition_failed",
        )
        assert refused["current_etag"] == '"5"'
    # Editing an item leaves the plan's version alone; its own version moves.
    assert client.patch(p.item(a), json={"title": "A2"}, headers=p.sec).status_code == 200
    assert_problem(
        client.delete(p.item(b), headers={**p.sec, "If-Match": '"9"'}), 412, "precondition_failed"
    )
    assert database_state(engine)["action_plan"] == before["action_plan"]
    assert _summary(client, p)["version"] == 5

    # Removing an item moves the ones after it up, moves the plan's version and leaves a
    # tombstone for syncing clients.
    version = client.get(p.item(a), headers=p.sec).json()["version"]
    removed = client.delete(p.item(a), headers={**p.sec, "If-Match": f'"{version}"'})
    assert removed.status_code == 204
    assert _titles(client, p) == [(1, "C"), (2, "B")]
    assert _summary(client, p)["version"] == 6
    assert_problem(client.get(p.item(a), headers=p.sec), 404, "not_found")
    gone = client.get(
        "/api/v1/deletions", params={"kind": "action_plan_item"}, headers=w.h(w.observer)
    ).json()["items"]
    assert [(d["record_id"], d["platform_id"]) for d in gone] == [(a, str(w.plased.id))]
    # Without If-Match a reorder applies to the current version.
    assert client.put(order, json={"item_ids": [b, c]}, headers=p.sec).json()["version"] == 7
    assert _titles(client, p) == [(1, "B"), (2, "C")]


def test_status_moves_forward_and_the_secretariat_reopens(client: TestClient, plan: Plan) -> None:
    p, w = plan, plan.w
    staff = w.h(w.staff)
    item = _add(client, p)
    url = p.item(item["id"])
    assert client.patch(url, json={"status": "in_progress"}, headers=staff).status_code == 200
    back = assert_problem(
        client.patch(url, json={"status": "planned"}, headers=p.sec), 409, "invalid_transition"
    )
    assert back["current_status"] == "in_progress"
    done = client.patch(url, json={"status": "done"}, headers={**staff, "If-Match": '"2"'})
    assert done.status_code == 200 and (done.json()["status"], done.json()["progress"]) == (
        "done",
        100,
    )
    assert_problem(
        client.patch(url, json={"progress": 50}, headers={**staff, "If-Match": '"2"'}),
        412,
        "precondition_failed",
    )
    closed = assert_problem(
        client.patch(url, json={"progress": 50}, headers=p.sec), 409, "plan_item_closed"
    )
    assert closed["current_status"] == "done"
    for target in ("planned", "dropped"):
        refused = assert_problem(
            client.patch(url, json={"status": target}, headers=p.sec), 409, "invalid_transition"
        )
        assert refused["current_status"] == "done"
    # Taking a done item up again is the secretariat's alone.
    assert_problem(
        client.patch(url, json={"status": "in_progress"}, headers=staff), 403, "forbidden"
    )
    reopened = client.patch(url, json={"status": "in_progress", "progress": 80}, headers=p.sec)
    assert reopened.status_code == 200
    assert (reopened.json()["status"], reopened.json()["progress"]) == ("in_progress", 80)
    dropped = client.patch(url, json={"status": "dropped"}, headers=staff)
    assert dropped.status_code == 200 and dropped.json()["progress"] == 80
    # A done item is not overdue, nor a dropped one.
    assert dropped.json()["overdue"] is False


def test_overdue_flags_count_and_warning(client: TestClient, plan: Plan) -> None:
    """Six items against the platform's today: planned and due yesterday (overdue), in
    progress and due last week (overdue), due today (not yet), due tomorrow, done last week,
    dropped last week. Two overdue, one warning."""
    p, w = plan, plan.w
    today = date.fromisoformat(_summary(client, p)["today"])
    fixture = [
        ("Yesterday", -1, None, True),
        ("Last week", -7, "in_progress", True),
        ("Today", 0, None, False),
        ("Tomorrow", 1, None, False),
        ("Done", -7, "done", False),
        ("Dropped", -7, "dropped", False),
    ]
    for title, days, status, _ in fixture:
        item = _add(client, p, title=title, due_on=(today + timedelta(days=days)).isoformat())
        assert item["overdue"] is (days < 0)  # planned until changed
        if status:
            changed = client.patch(p.item(item["id"]), json={"status": status}, headers=p.sec)
            assert changed.status_code == 200, changed.text
    listed = client.get(p.url, headers=w.h(w.observer)).json()
    assert [(i["title"], i["overdue"]) for i in listed["items"]] == [
        (title, overdue) for title, _, _, overdue in fixture
    ]
    summary = _summary(client, p)
    assert (summary["items"], summary["overdue"]) == (6, 2)
    assert [x["code"] for x in summary["warnings"]] == ["action_plan_overdue"]
    assert _titles(client, p, overdue="true") == [(1, "Yesterday"), (2, "Last week")]
    assert [t for _, t in _titles(client, p, status="dropped")] == ["Dropped"]
    by_due = [t for _, t in _titles(client, p, sort="due_on,priority")]
    assert by_due == ["Last week", "Done", "Dropped", "Yesterday", "Today", "Tomorrow"]
    khmer = client.get(p.url, headers={**p.sec, "Accept-Language": "km"}).json()["items"][0]
    assert khmer["display_title"] == "បណ្តុះបណ្តាលក្រុមអ្នកផលិតស្វាយចន្ទី"
    one = client.get(p.item(listed["items"][0]["id"]), headers=w.h(w.staff))
    assert one.status_code == 200 and one.json()["overdue"] is True
    assert one.headers["ETag"].startswith("W/")  # overdue changes with the day


def _strategy_action(client: TestClient, c: Chains, owner: str) -> str:
    """An action of a strategy of a prioritised chain, built through the API."""
    chain = new_chain(client, c, "Cashew")["id"]
    assert score(client, c, chain, {c.market: 4}).status_code == 200
    assert client.post(
        f"/api/v1/value-chains/{chain}/prioritise", json={"reason": "Ranked"}, headers=c.sec
    ).is_success
    assert client.post(
        f"/api/v1/value-chains/{chain}/focus-group", json={}, headers=c.sec
    ).is_success
    strategy = client.post(
        f"/api/v1/value-chains/{chain}/strategies", json={}, headers=c.sec
    ).json()["id"]
    objective = client.post(
        f"/api/v1/strategies/{strategy}/objectives", json={"title": "Prices"}, headers=c.sec
    ).json()["id"]
    action = client.post(
        f"/api/v1/objectives/{objective}/actions",
        json={"title": "Collective selling", "owner_organisation_id": owner},
        headers=c.sec,
    )
    assert action.status_code == 201, action.text
    return str(action.json()["id"])


def test_links_to_an_initiative_or_a_strategy_action(client: TestClient, chains: Chains) -> None:
    w = chains.w
    p = Plan(w=w, partner=str(w.org.id))
    action = _strategy_action(client, chains, str(w.org.id))
    initiative = client.post(
        f"/api/v1/platforms/{w.plased.id}/initiatives",
        json={
            "title": "Rice bank",
            "kind": "production_support",
            "lead_organisation_id": str(w.org.id),
        },
        headers=p.sec,
    ).json()["id"]
    linked = _add(client, p, strategy_action_id=action)
    assert (linked["strategy_action_id"], linked["initiative_id"]) == (action, None)
    other = _add(client, p, initiative_id=initiative)
    assert other["initiative_id"] == initiative
    # Switching links: the old one is cleared in the same change, else both would be set.
    url = p.item(linked["id"])
    assert_problem(
        client.patch(url, json={"initiative_id": initiative}, headers=p.sec),
        422,
        "validation_failed",
    )
    switched = client.patch(
        url, json={"initiative_id": initiative, "strategy_action_id": None}, headers=p.sec
    )
    assert switched.status_code == 200, switched.text
    assert (switched.json()["initiative_id"], switched.json()["strategy_action_id"]) == (
        initiative,
        None,
    )
    # Another platform's strategy action is unknown here.
    refused = assert_problem(
        client.post(
            f"/api/v1/platforms/{w.other.id}/action-plan",
            json={**_body(p), "strategy_action_id": action},
            headers=w.h(w.stranger),
        ),
        422,
        "validation_failed",
    )
    assert refused["errors"][0]["code"] in ("organisation_not_member", "unknown_strategy_action")


def test_concurrent_reorders_have_one_winner(
    client: TestClient, plan: Plan, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    p = plan
    ids = [_add(client, p, title=f"Item {n}")["id"] for n in range(4)]
    version = _summary(client, p)["version"]

    def reorder(n: int) -> int:
        order = ids[n % 4 :] + ids[: n % 4]
        return client.put(
            f"{p.url}/order",
            json={"item_ids": order},
            headers={**p.sec, "If-Match": f'"{version}"'},
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(reorder, range(1, 9)))
    assert statuses.count(200) == 1 and statuses.count(412) == 7, statuses
    assert _summary(client, p)["version"] == version + 1
    priorities = [i["priority"] for i in client.get(p.url, headers=p.sec).json()["items"]]
    assert priorities == [1, 2, 3, 4]


def test_an_item_carries_a_commitment(client: TestClient, plan: Plan, engine: Engine) -> None:
    """An authority's commitment can be an item of the plan: the platform's own (422
    `unknown_commitment` otherwise), and one link only."""
    p, w = plan, plan.w
    districts = client.get("/api/v1/geography", params={"level": "district", "limit": 100})
    authority = admitted(
        client,
        p.sec,
        [str(w.plased.id)],
        platform_id=str(w.plased.id),
        name="Lumphat District Administration",
        kind="local_authority",
        la_level="district",
        unit_id=next(u["id"] for u in districts.json()["items"] if u["code"] == "1605"),
    )
    commitment = client.post(
        f"/api/v1/platforms/{w.plased.id}/commitments",
        json={
            "text": "Grade the Kachon road",
            "owner_organisation_id": authority,
            "made_on": date.today().isoformat(),
        },
        headers=p.sec,
    )
    assert commitment.status_code == 201, commitment.text
    cid = commitment.json()["id"]
    other = _add(client, p)
    before = database_state(engine)
    for bad, pointer, code in (
        ({"commitment_id": other["id"]}, "/body/commitment_id", "unknown_commitment"),
        (
            {"strategy_action_id": cid, "commitment_id": cid},
            "/body/commitment_id",
            "one_link_only",
        ),
    ):
        refused = assert_problem(
            client.post(p.url, json=_body(p, **bad), headers=p.sec), 422, "validation_failed"
        )
        assert (refused["errors"][0]["pointer"], refused["errors"][0]["code"]) == (pointer, code)
    assert database_state(engine) == before
    item = _add(client, p, title="Follow up the road grading", commitment_id=cid)
    assert item["commitment_id"] == cid and item["initiative_id"] is None
    moved = client.patch(p.item(other["id"]), json={"commitment_id": cid}, headers=p.sec)
    assert moved.status_code == 200 and moved.json()["commitment_id"] == cid
    listed = client.get(p.url, headers=w.h(w.observer)).json()["items"]
    assert [i["commitment_id"] for i in listed] == [cid, cid]
