"""A platform's value chains built through the API: criteria, chains, scores, a passed
motion of the board to decide on."""

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.worlds import Board, World, prepared, vote


@dataclass
class Chains:
    w: World
    board: Board
    market: str  # criterion: weight 3, scale 1–5, higher is better
    risk: str  # criterion: weight 1, scale 1–5, higher is worse

    @property
    def sec(self) -> dict[str, str]:
        return self.w.h(self.w.secretariat)

    def url(self, tail: str = "value-chains") -> str:
        return f"/api/v1/platforms/{self.w.plased.id}/{tail}"


def new_chain(client: TestClient, c: Chains, name: str, **fields: Any) -> dict[str, Any]:
    made = client.post(c.url(), json={"name": name, **fields}, headers=c.sec)
    assert made.status_code == 201, made.text
    return dict(made.json())


def score(
    client: TestClient, c: Chains, chain_id: str, scores: dict[str, float], by: str | None = None
) -> Any:
    return client.put(
        f"/api/v1/value-chains/{chain_id}/scores",
        json={
            "scorer_organisation_id": by,
            "scores": [{"criterion_id": k, "score": v} for k, v in scores.items()],
        },
        headers=c.sec,
    )


def passed_motion(client: TestClient, board: Board, passes: bool = True) -> str:
    """A motion of the executive board, voted and closed through the API."""
    h = board.h(board.facilitator)
    meeting, motion = prepared(client, board)
    assert client.post(f"/api/v1/meetings/{meeting}/start", headers=h).status_code == 200
    assert client.post(f"/api/v1/motions/{motion}/open", headers=h).status_code == 200
    for n in range(3):
        assert vote(client, board, motion, n, "yes" if passes else "no").status_code == 201
    closed = client.post(f"/api/v1/motions/{motion}/close", headers=h)
    assert closed.status_code == 200, closed.text
    return motion


@pytest.fixture
def chains(client: TestClient, board: Board) -> Chains:
    w = board.w
    sec = w.h(w.secretariat)
    url = f"/api/v1/platforms/{w.plased.id}/value-chain-criteria"
    market = client.post(
        url,
        json={"code": "market_access", "name": "Market access", "weight": 3},
        headers=sec,
    )
    assert market.status_code == 201, market.text
    risk = client.post(
        url,
        json={
            "code": "environmental_risk",
            "name": "Environmental risk",
            "name_km": "ហានិភ័យបរិស្ថាន",
            "weight": 1,
            "higher_is_better": False,
        },
        headers=sec,
    )
    assert risk.status_code == 201, risk.text
    return Chains(w=w, board=board, market=market.json()["id"], risk=risk.json()["id"])
