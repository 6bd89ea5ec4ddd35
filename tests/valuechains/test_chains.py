"""Value chains and their prioritisation, through the API: who may do what, bad input that
changes nothing, the ranking against a hand-computed fixture, decisions by motion or reason."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.helpers import assert_problem, database_state
from tests.valuechains.conftest import Chains, new_chain, passed_motion, score


def _district(client: TestClient) -> str:
    units = client.get("/api/v1/geography", params={"level": "district", "limit": 1}).json()
    return str(units["items"][0]["code"])


def test_value_chains_are_created_listed_read_and_edited(
    client: TestClient, chains: Chains
) -> None:
    c, w = chains, chains.w
    district = _district(client)
    made = client.post(
        c.url(),
        json={
            "name": "Cashew",
            "name_km": "ស្វាយចន្ទី",
            "description": "Cashew nuts from smallholders",
            "district_codes": [district, district],
        },
        headers=c.sec,
    )
    assert made.status_code == 201, made.text
    chain = made.json()
    assert made.headers["Location"] == f"/api/v1/value-chains/{chain['id']}"
    assert chain["status"] == "candidate" and chain["district_codes"] == [district]
    assert chain["name_km"] == "ស្វាយចន្ទី" and chain["focus_group_id"] is None
    new_chain(client, c, "Rice")

    # Everyone with a role in the platform reads: observer, organisation staff.
    for user in (w.observer, w.staff, w.facilitator):
        page = client.get(c.url(), headers=w.h(user))
        assert page.status_code == 200 and page.json()["total"] == 2
        assert [i["name"] for i in page.json()["items"]] == ["Cashew", "Rice"]
        assert page.headers["ETag"] and page.headers["Link"]
    by_district = client.get(c.url(), params={"district_code": district}, headers=c.sec).json()
    assert [i["name"] for i in by_district["items"]] == ["Cashew"]
    found = client.get(c.url(), params={"q": "cash"}, headers=c.sec).json()
    assert [i["name"] for i in found["items"]] == ["Cashew"]
    assert client.get(c.url(), params={"status": "dropped"}, headers=c.sec).json()["total"] == 0
    newest = client.get(c.url(), params={"sort": "-name"}, headers=c.sec).json()["items"]
    assert [i["name"] for i in newest] == ["Rice", "Cashew"]

    url = f"/api/v1/value-chains/{chain['id']}"
    read = client.get(url, headers=w.h(w.observer))
    assert read.status_code == 200 and read.headers["ETag"] == '"1"'
    assert client.get(url, headers={**c.sec, "If-None-Match": '"1"'}).status_code == 304
    edited = client.patch(
        url, json={"description": None, "name": "Cashew nuts"}, headers={**c.sec, "If-Match": '"1"'}
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["description"] is None and edited.headers["ETag"] == '"2"'
    stale = client.patch(url, json={"name": "Cashews"}, headers={**c.sec, "If-Match": '"1"'})
    assert_problem(stale, 412, "precondition_failed")


def test_who_may_touch_value_chains(client: TestClient, chains: Chains) -> None:
    c, w = chains, chains.w
    chain = new_chain(client, c, "Pepper")
    url = f"/api/v1/value-chains/{chain['id']}"
    assert_problem(client.get(c.url()), 401, "not_authenticated")
    assert_problem(client.get(url), 401, "not_authenticated")
    body = {"name": "Rubber"}
    for user in (w.observer, w.staff, w.facilitator):
        assert_problem(client.post(c.url(), json=body, headers=w.h(user)), 403, "forbidden")
        assert_problem(client.patch(url, json=body, headers=w.h(user)), 403, "forbidden")
        assert_problem(
            client.post(f"{url}/drop", json={"reason": "No"}, headers=w.h(user)), 403, "forbidden"
        )
        assert_problem(
            client.put(
                f"{url}/scores",
                json={"scores": [{"criterion_id": c.market, "score": 3}]},
                headers=w.h(user),
            ),
            403,
            "forbidden",
        )
    # Another platform's secretariat: the chain, its criteria and its ranking do not exist.
    stranger = w.h(w.stranger)
    for path in (
        url,
        f"{url}/scores",
        f"{url}/history",
        f"/api/v1/value-chain-criteria/{c.market}",
        c.url(),
        c.url("value-chains/ranking"),
        c.url("value-chain-criteria"),
    ):
        assert_problem(client.get(path, headers=stranger), 404, "not_found")
    assert_problem(client.patch(url, json=body, headers=stranger), 404, "not_found")
    assert_problem(
        client.post(f"{url}/prioritise", json={"reason": "x"}, headers=stranger), 404, "not_found"
    )
    # The other platform's secretariat makes its own chains; ours never show there.
    other = client.post(
        f"/api/v1/platforms/{w.other.id}/value-chains", json={"name": "Pepper"}, headers=stranger
    )
    assert other.status_code == 201, other.text
    assert client.get(c.url(), headers=c.sec).json()["total"] == 1


def test_bad_value_chains_are_refused_and_change_nothing(
    client: TestClient, chains: Chains, engine: Engine
) -> None:
    c = chains
    chain = new_chain(client, c, "Cassava")
    before = database_state(engine)
    for bad, status, code in (
        ({"name": ""}, 422, "validation_failed"),
        ({"name": "x" * 121}, 422, "validation_failed"),
        ({"name": "Rice", "district_codes": ["9999"]}, 422, "validation_failed"),
        ({"name": "Rice", "district_codes": ["not-a-code"]}, 422, "validation_failed"),
        ({"name": "Rice", "status": "prioritised"}, 422, "validation_failed"),
        ({"name": " CASSAVA "}, 409, "value_chain_exists"),
    ):
        assert_problem(client.post(c.url(), json=bad, headers=c.sec), status, code)
    unknown = client.post(c.url(), json={"name": "Rice", "district_codes": ["9999"]}, headers=c.sec)
    assert unknown.json()["errors"][0]["code"] == "unknown_district"
    assert unknown.json()["errors"][0]["pointer"] == "/body/district_codes/0"
    url = f"/api/v1/value-chains/{chain['id']}"
    assert_problem(client.patch(url, json={"name": None}, headers=c.sec), 422, "validation_failed")
    assert_problem(
        client.patch(url, json={"district_codes": None}, headers=c.sec), 422, "validation_failed"
    )
    assert database_state(engine) == before


def test_criteria_weights_and_scales(client: TestClient, chains: Chains, engine: Engine) -> None:
    c, w = chains, chains.w
    url = c.url("value-chain-criteria")
    listed = client.get(url, headers=w.h(w.observer)).json()
    assert [i["code"] for i in listed["items"]] == ["environmental_risk", "market_access"]
    before = database_state(engine)
    for bad, status, code in (
        ({"code": "women", "name": "Women", "weight": -1}, 422, "validation_failed"),
        ({"code": "Women!", "name": "Women", "weight": 1}, 422, "validation_failed"),
        (
            {"code": "women", "name": "Women", "weight": 1, "scale_min": 5, "scale_max": 5},
            422,
            "validation_failed",
        ),
        ({"code": "market_access", "name": "Again", "weight": 1}, 409, "criterion_exists"),
    ):
        assert_problem(client.post(url, json=bad, headers=c.sec), status, code)
    assert_problem(
        client.post(url, json={"code": "x1", "name": "X", "weight": 1}, headers=w.h(w.observer)),
        403,
        "forbidden",
    )
    # Weights must sum to more than zero: both at zero is refused, one at zero is fine.
    market = f"/api/v1/value-chain-criteria/{c.market}"
    risk = f"/api/v1/value-chain-criteria/{c.risk}"
    assert client.patch(market, json={"weight": 0}, headers=c.sec).status_code == 200
    refused = client.patch(risk, json={"weight": 0}, headers=c.sec)
    assert_problem(refused, 422, "validation_failed")
    assert refused.json()["errors"][0]["code"] == "weights_not_positive"
    assert client.get(risk, headers=c.sec).json()["weight"] == 1
    assert client.patch(market, json={"weight": 3}, headers=c.sec).status_code == 200
    assert database_state(engine) != before  # the two accepted edits, and nothing else:
    assert client.get(market, headers=c.sec).json()["version"] == 3


def test_a_first_criterion_of_weight_zero_is_refused(client: TestClient, chains: Chains) -> None:
    w = chains.w
    refused = client.post(
        f"/api/v1/platforms/{w.other.id}/value-chain-criteria",
        json={"code": "market_access", "name": "Market access", "weight": 0},
        headers=w.h(w.stranger),
    )
    assert_problem(refused, 422, "validation_failed")
    assert refused.json()["errors"][0]["code"] == "weights_not_positive"


def test_bad_scores_are_refused_and_change_nothing(
    client: TestClient, chains: Chains, engine: Engine
) -> None:
    c, w = chains, chains.w
    chain = new_chain(client, c, "Rubber")["id"]
    other_criterion = client.post(
        f"/api/v1/platforms/{w.other.id}/value-chain-criteria",
        json={"code": "market_access", "name": "Market access", "weight": 1},
        headers=w.h(w.stranger),
    ).json()["id"]
    outsider = make_organisation_in_other(client, c)
    before = database_state(engine)
    for scores, by, pointer, code in (
        ({c.market: 6}, None, "/body/scores/0/score", "score_out_of_scale"),
        ({c.market: 3, c.risk: 0}, None, "/body/scores/1/score", "score_out_of_scale"),
        ({other_criterion: 3}, None, "/body/scores/0/criterion_id", "unknown_criterion"),
        ({c.market: 3}, outsider, "/body/scorer_organisation_id", "unknown_organisation"),
    ):
        answer = score(client, c, chain, scores, by)
        assert_problem(answer, 422, "validation_failed")
        assert answer.json()["errors"][0] == {
            "pointer": pointer,
            "code": code,
            "message": answer.json()["errors"][0]["message"],
        }
    twice = client.put(
        f"/api/v1/value-chains/{chain}/scores",
        json={"scores": [{"criterion_id": c.market, "score": 2}] * 2},
        headers=c.sec,
    )
    assert twice.json()["errors"][0]["code"] == "duplicate_criterion"
    assert database_state(engine) == before


def make_organisation_in_other(client: TestClient, c: Chains) -> str:
    w = c.w
    made = client.post(
        "/api/v1/organisations",
        json={
            "platform_id": str(w.other.id),
            "name": "Far Away Cooperative",
            "kind": "cso",
            "sector": "cbo",
        },
        headers=w.h(w.stranger),
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def test_the_ranking_matches_a_hand_computed_fixture(client: TestClient, chains: Chains) -> None:
    """Market access: weight 3, 1–5; environmental risk: weight 1, 1–5, high is bad.

    A: market 5 (secretariat) and 3 (a CSO) → mean 4 → 0.75 → 0.75 × 3/4 × 100 = 56.25;
       risk 2 → 0.25 → reversed 0.75 → 0.75 × 1/4 × 100 = 18.75; total 75.00.
    B: market 1 → 0; risk 1 → 0 → reversed 1 → 25.00; total 25.00.
    D: market 5 → 1 → 75.00; risk unscored → 0; total 75.00 (ties with A: both rank 1).
    C: unscored: no rank, no score, last.
    """
    c = chains
    cso = client.post(
        "/api/v1/organisations",
        json={
            "platform_id": str(c.w.plased.id),
            "name": "Farmers Network",
            "kind": "cso",
            "sector": "agriculture",
        },
        headers=c.sec,
    ).json()["id"]
    a, b, cc, d = (new_chain(client, c, n)["id"] for n in ("Alpha", "Beta", "Gamma", "Delta"))
    assert score(client, c, a, {c.market: 5, c.risk: 2}).status_code == 200
    assert score(client, c, a, {c.market: 3}, by=cso).status_code == 200
    assert score(client, c, b, {c.market: 1, c.risk: 1}).status_code == 200
    assert score(client, c, d, {c.market: 5}).status_code == 200
    # Scoring again replaces the scorer's score: the same sheet twice changes nothing.
    assert score(client, c, b, {c.market: 1, c.risk: 1}).status_code == 200
    assert client.get(f"/api/v1/value-chains/{b}/scores", headers=c.sec).json()["total"] == 2

    ranking = client.get(c.url("value-chains/ranking"), headers=c.w.h(c.w.observer))
    assert ranking.status_code == 200, ranking.text
    body = ranking.json()
    rows = {r["name"]: r for r in body["chains"]}
    assert [(r["name"], r["rank"], r["score"]) for r in body["chains"]] == [
        ("Alpha", 1, 75.0),
        ("Delta", 1, 75.0),
        ("Beta", 3, 25.0),
        ("Gamma", None, None),
    ]
    alpha = {x["code"]: x for x in rows["Alpha"]["criteria"]}
    assert alpha["market_access"] == {
        "criterion_id": c.market,
        "code": "market_access",
        "weight": 3.0,
        "scorers": 2,
        "mean": 4.0,
        "normalised": 0.75,
        "contribution": 56.25,
    }
    assert alpha["environmental_risk"]["contribution"] == 18.75
    assert rows["Alpha"]["scorers"] == 2 and rows["Delta"]["scorers"] == 1
    assert rows["Delta"]["missing_criteria"] == ["environmental_risk"]
    assert rows["Gamma"]["missing_criteria"] == ["environmental_risk", "market_access"]
    assert body["total_weight"] == 4.0 and body["prioritised"] == 0
    assert [x["code"] for x in body["warnings"]] == ["prioritised_below_target"]
    assert cc


def test_decisions_by_motion_or_reason(client: TestClient, chains: Chains, engine: Engine) -> None:
    c, w = chains, chains.w
    chain = new_chain(client, c, "Cashew")["id"]
    url = f"/api/v1/value-chains/{chain}"
    before = database_state(engine)
    assert_problem(
        client.post(f"{url}/prioritise", json={"reason": "Top"}, headers=c.sec),
        409,
        "value_chain_not_scored",
    )
    assert database_state(engine) == before
    assert score(client, c, chain, {c.market: 4, c.risk: 2}).status_code == 200
    # Neither a motion nor a reason; a motion that did not pass; a motion of another body.
    no_basis = client.post(f"{url}/prioritise", json={}, headers=c.sec)
    assert_problem(no_basis, 422, "validation_failed")
    assert no_basis.json()["errors"][0]["code"] == "decision_required"
    assert_problem(client.post(f"{url}/prioritise", headers=c.sec), 422, "validation_failed")
    rejected = passed_motion(client, c.board, passes=False)
    assert_problem(
        client.post(f"{url}/prioritise", json={"motion_id": rejected}, headers=c.sec),
        409,
        "motion_not_passed",
    )
    focus = client.post(
        f"/api/v1/platforms/{w.plased.id}/bodies",
        json={"kind": "working_group", "name": "Working group"},
        headers=c.sec,
    ).json()["id"]
    unknown = client.post(f"{url}/prioritise", json={"motion_id": focus}, headers=c.sec)
    assert_problem(unknown, 422, "validation_failed")
    assert unknown.json()["errors"][0]["code"] == "unknown_motion"
    motion = passed_motion(client, c.board)
    decided = client.post(f"{url}/prioritise", json={"motion_id": motion}, headers=c.sec)
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "prioritised"
    assert decided.json()["decision_motion_id"] == motion and decided.json()["decided_at"]
    # Decided once: a second decision answers 409 with the current status.
    again = client.post(f"{url}/drop", json={"reason": "Changed our minds"}, headers=c.sec)
    assert_problem(again, 409, "invalid_transition")
    assert again.json()["current_status"] == "prioritised"
    history = client.get(f"{url}/history", headers=w.h(w.observer)).json()
    assert [(e["from_status"], e["to_status"], e["motion_id"]) for e in history["items"]] == [
        ("candidate", "prioritised", motion)
    ]
    # A dropped chain, on the secretariat's reason; it is no longer scored.
    other = new_chain(client, c, "Rubber")["id"]
    dropped = client.post(
        f"/api/v1/value-chains/{other}/drop", json={"reason": "No local market"}, headers=c.sec
    )
    assert dropped.status_code == 200 and dropped.json()["decision_reason"] == "No local market"
    assert_problem(score(client, c, other, {c.market: 3}), 409, "value_chain_dropped")


def test_the_warning_stays_until_enough_chains_are_prioritised(
    client: TestClient, chains: Chains
) -> None:
    c = chains
    regulations = client.get(c.url("regulations"), headers=c.sec).json()
    fields = {
        k: v
        for k, v in regulations.items()
        if k not in ("id", "platform_id", "version", "created_by_id", "created_at")
    }
    changed = client.put(
        c.url("regulations"), json={**fields, "min_prioritised_value_chains": 2}, headers=c.sec
    )
    assert changed.status_code == 200, changed.text
    for n, name in enumerate(("Rice", "Cassava")):
        chain = new_chain(client, c, name)["id"]
        score(client, c, chain, {c.market: 3})
        warnings = client.get(c.url("value-chains/ranking"), headers=c.sec).json()["warnings"]
        assert [x["code"] for x in warnings] == ["prioritised_below_target"]
        decided = client.post(
            f"/api/v1/value-chains/{chain}/prioritise", json={"reason": f"Rank {n}"}, headers=c.sec
        )
        assert decided.status_code == 200, decided.text
    ranking = client.get(c.url("value-chains/ranking"), headers=c.sec).json()
    assert ranking["prioritised"] == 2 and ranking["warnings"] == []


def test_concurrent_decisions_have_one_winner(
    client: TestClient, chains: Chains, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    c = chains
    chain = new_chain(client, c, "Livestock")["id"]
    score(client, c, chain, {c.market: 3})

    def decide(n: int) -> int:
        action = "prioritise" if n % 2 else "drop"
        return client.post(
            f"/api/v1/value-chains/{chain}/{action}",
            json={"reason": f"Decision {n}"},
            headers=c.sec,
        ).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(decide, range(10)))
    assert statuses.count(200) == 1 and statuses.count(409) == 9
    history = client.get(f"/api/v1/value-chains/{chain}/history", headers=c.sec).json()
    assert history["total"] == 1
