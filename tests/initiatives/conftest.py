"""Initiatives built through the API: a platform with its executive board (to pass
motions), the world's member organisation as lead, and a second member as partner."""

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers import admitted
from tests.valuechains.conftest import chains
from tests.worlds import Board, World

__all__ = ["chains"]


@dataclass
class Setup:
    w: World
    board: Board
    partner: str  # a second active member organisation

    @property
    def sec(self) -> dict[str, str]:
        return self.w.h(self.w.secretariat)

    @property
    def url(self) -> str:
        return f"/api/v1/platforms/{self.w.plased.id}/initiatives"


@pytest.fixture
def setup(client: TestClient, board: Board) -> Setup:
    w = board.w
    partner = admitted(
        client,
        w.h(w.secretariat),
        [str(w.plased.id)],
        platform_id=str(w.plased.id),
        name="Cashew Producers Union",
        kind="cso",
        sector="agriculture",
    )
    return Setup(w=w, board=board, partner=partner)


def initiative_body(s: Setup, **fields: Any) -> dict[str, Any]:
    return {
        "title": "Cashew producers' association",
        "title_km": "សមាគមអ្នកផលិតស្វាយចន្ទី",
        "kind": "producer_association",
        "lead_organisation_id": str(s.w.org.id),
        "partner_organisation_ids": [s.partner],
        **fields,
    }


def create_initiative(client: TestClient, s: Setup, **fields: Any) -> dict[str, Any]:
    made = client.post(s.url, json=initiative_body(s, **fields), headers=s.sec)
    assert made.status_code == 201, made.text
    return dict(made.json())
