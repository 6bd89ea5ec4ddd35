"""Value-chain focus groups through the API: one per prioritised chain, run by its
facilitators as any body, and its composition against a hand-computed fixture."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.helpers import assert_problem, database_state
from tests.valuechains.conftest import Chains, new_chain, score
from tests.worlds import meeting_body


def prioritised(client: TestClient, c: Chains, name: str = "Cashew") -> str:
    chain = new_chain(client, c, name)["id"]
    assert score(client, c, chain, {c.market: 4}).status_code == 200
    decided = client.post(
        f"/api/v1/value-chains/{chain}/prioritise", json={"reason": "Ranked"}, headers=c.sec
    )
    assert decided.status_code == 200, decided.text
    return chain


def person(client: TestClient, c: Chains, name: str, **fields: Any) -> str:
    made = client.post(
        "/api/v1/people",
        json={"platform_id": str(c.w.plased.id), "full_name": name, **fields},
        headers=c.sec,
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def test_one_focus_group_per_prioritised_chain(
    client: TestClient, chains: Chains, engine: Engine
) -> None:
    c, w = chains, chains.w
    candidate = new_chain(client, c, "Rice")["id"]
    before = database_state(engine)
    assert_problem(
        client.post(f"/api/v1/value-chains/{candidate}/focus-group", json={}, headers=c.sec),
        409,
        "value_chain_not_prioritised",
    )
    chain = prioritised(client, c)
    url = f"/api/v1/value-chains/{chain}/focus-group"
    assert_problem(client.post(url, json={}), 401, "not_authenticated")
    for user in (w.observer, w.staff, w.facilitator):
        assert_problem(client.post(url, json={}, headers=w.h(user)), 403, "forbidden")
    assert_problem(client.post(url, json={}, headers=w.h(w.stranger)), 404, "not_found")
    assert_problem(
        client.post(url, json={"facilitator_ids": [str(w.observer.id)]}, headers=c.sec),
        422,
        "validation_failed",
    )
    assert_problem(client.get(f"{url}/composition", headers=c.sec), 409, "no_focus_group")
    made = client.post(url, json={"facilitator_ids": [str(w.facilitator.id)]}, headers=c.sec)
    assert made.status_code == 201, made.text
    group = made.json()
    assert group["kind"] == "focus_group" and group["name"] == "Focus group: Cashew"
    assert group["facilitator_ids"] == [str(w.facilitator.id)]
    assert made.headers["Location"] == f"/api/v1/bodies/{group['id']}"
    assert (
        client.get(f"/api/v1/value-chains/{chain}", headers=c.sec).json()["focus_group_id"]
        == group["id"]
    )
    assert_problem(client.post(url, json={}, headers=c.sec), 409, "focus_group_exists")
    # Its meetings work as for any body, run by its facilitator.
    meeting = client.post(
        f"/api/v1/bodies/{group['id']}/meetings",
        json=meeting_body(kind="focus_group", title="Diagnosis workshop"),
        headers=w.h(w.facilitator),
    )
    assert meeting.status_code == 201, meeting.text
    assert before != database_state(engine)


def test_composition_against_the_targets(client: TestClient, chains: Chains) -> None:
    """Four members: Sokha (woman, 25: young, Tampuan, farmer), Dara (man, 50, farmer),
    Vicheka (man, 40, CSO), Bopha (man, no birth year, no group). Women 1 of 4 = 0.25 <
    0.40; youth 1; indigenous 1; target 15."""
    c, w = chains, chains.w
    chain = prioritised(client, c)
    group = client.post(
        f"/api/v1/value-chains/{chain}/focus-group",
        json={"facilitator_ids": [str(w.facilitator.id)]},
        headers=c.sec,
    ).json()["id"]
    url = f"/api/v1/value-chains/{chain}/focus-group/composition"
    empty = client.get(url, headers=w.h(w.observer)).json()
    assert empty["members"] == 0
    assert [x["code"] for x in empty["warnings"]] == [
        "no_members",
        "below_target_size",
        "stakeholder_groups_missing",
    ]
    year = datetime.now(UTC).year
    sokha = person(
        client, c, "Sokha", gender="female", birth_year=year - 25, indigenous_group="Tampuan"
    )
    dara = person(client, c, "Dara", gender="male", birth_year=year - 50)
    vicheka = person(client, c, "Vicheka", gender="male", birth_year=year - 40)
    bopha = person(client, c, "Bopha", gender="male")
    start = str(date.today() - timedelta(days=10))
    seats = [
        (sokha, "chair", "farmer"),
        (dara, "member", "farmer"),
        (vicheka, "secretary", "cso"),
        (bopha, "member", None),
    ]
    facilitator = w.h(w.facilitator)
    for person_id, position, stakeholder in seats:
        seat = client.post(
            f"/api/v1/bodies/{group}/seats",
            json={
                "position": position,
                "person_id": person_id,
                "term_start": start,
                "stakeholder_group": stakeholder,
            },
            headers=facilitator,
        )
        assert seat.status_code == 201, seat.text
        assert seat.json()["seat"]["stakeholder_group"] == stakeholder
    # The executive board's facilitator does not run this group's membership.
    assert_problem(
        client.post(
            f"/api/v1/bodies/{group}/seats",
            json={"position": "member", "person_id": dara, "term_start": start},
            headers=c.board.h(c.board.facilitator),
        ),
        403,
        "forbidden",
    )
    assert_problem(
        client.post(
            f"/api/v1/bodies/{group}/seats",
            json={
                "position": "member",
                "person_id": dara,
                "term_start": start,
                "stakeholder_group": "bankers",
            },
            headers=facilitator,
        ),
        422,
        "validation_failed",
    )
    composition = client.get(url, headers=w.h(w.staff))
    assert composition.status_code == 200, composition.text
    body = composition.json()
    assert {
        k: body[k]
        for k in (
            "members",
            "target_size",
            "women",
            "women_share",
            "min_women_share",
            "youth",
            "indigenous",
            "without_stakeholder_group",
        )
    } == {
        "members": 4,
        "target_size": 15,
        "women": 1,
        "women_share": 0.25,
        "min_women_share": 0.4,
        "youth": 1,
        "indigenous": 1,
        "without_stakeholder_group": 1,
    }
    assert body["stakeholder_groups"]["farmer"] == 2 and body["stakeholder_groups"]["cso"] == 1
    assert body["missing_stakeholder_groups"] == [
        "producer_group",
        "local_authority",
        "education",
        "service_provider",
        "private_sector",
        "financial_institution",
    ]
    assert [x["code"] for x in body["warnings"]] == [
        "below_target_size",
        "women_share_below_minimum",
        "stakeholder_groups_missing",
    ]
    assert_problem(client.get(url, headers=w.h(w.stranger)), 404, "not_found")
    assert_problem(client.get(url), 401, "not_authenticated")


def test_concurrent_focus_groups_have_one_winner(
    client: TestClient, chains: Chains, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    c = chains
    chain = prioritised(client, c)

    def create(_: int) -> int:
        return client.post(
            f"/api/v1/value-chains/{chain}/focus-group", json={}, headers=c.sec
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(create, range(8)))
    assert statuses.count(201) == 1 and statuses.count(409) == 7
    bodies = client.get(f"/api/v1/platforms/{c.w.plased.id}/bodies", headers=c.sec).json()
    assert sum(1 for b in bodies["items"] if b["kind"] == "focus_group") == 1


def test_the_longest_names_are_stored(client: TestClient, chains: Chains) -> None:
    """At the contract's limits, on both databases; the focus group's derived name fits."""
    c = chains
    chain = new_chain(client, c, "V" * 120, name_km="ក" * 120, description="d" * 2000)
    assert len(chain["name"]) == 120
    assert score(client, c, chain["id"], {c.market: 1}).status_code == 200
    decided = client.post(
        f"/api/v1/value-chains/{chain['id']}/prioritise",
        json={"reason": "R" * 1000},
        headers=c.sec,
    )
    assert decided.status_code == 200, decided.text
    group = client.post(
        f"/api/v1/value-chains/{chain['id']}/focus-group",
        json={"name_km": "ក" * 200},
        headers=c.sec,
    )
    assert group.status_code == 201, group.text
    assert group.json()["name"] == "Focus group: " + "V" * 120
