"""A list's total is counted no further than ``COUNT_HORIZON`` rows past the page: beyond
that it is a lower bound, flagged by ``Total-Capped: true``, and the Link header has no last
page. Below it, totals are exact and nothing changes."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from plased import pagination
from tests.factories import auth, make_organisation
from tests.worlds import World


@pytest.fixture
def ten(db: Session, world: World, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setattr(pagination, "COUNT_HORIZON", 3)
    for n in range(9):  # the world's own organisation makes ten
        make_organisation(db, world.plased, name=f"Counted {n}")
    return auth(world.settings, world.admin)


def test_a_total_past_the_horizon_is_a_flagged_lower_bound(
    client: TestClient, ten: dict[str, str]
) -> None:
    first = client.get("/api/v1/organisations", params={"limit": 2}, headers=ten)
    assert first.status_code == 200
    assert first.json()["total"] == 3 and len(first.json()["items"]) == 2
    assert first.headers["total-capped"] == "true"
    assert 'rel="next"' in first.headers["link"] and 'rel="last"' not in first.headers["link"]
    later = client.get("/api/v1/organisations", params={"limit": 2, "offset": 6}, headers=ten)
    assert later.json()["total"] == 9 and later.headers["total-capped"] == "true"


def test_a_total_within_the_horizon_is_exact(client: TestClient, ten: dict[str, str]) -> None:
    near_end = client.get("/api/v1/organisations", params={"limit": 2, "offset": 8}, headers=ten)
    assert near_end.json()["total"] == 10 and "total-capped" not in near_end.headers
    assert 'rel="last"' in near_end.headers["link"]
    assert 'rel="next"' not in near_end.headers["link"]
    narrow = client.get("/api/v1/organisations", params={"limit": 2, "q": "Counted 1"}, headers=ten)
    assert narrow.json()["total"] == 1 and "total-capped" not in narrow.headers


def test_counting_without_columns_counts_the_same_rows(db: Session, world: World) -> None:
    """Totals count the statement's rows with its columns dropped (plased.pagination), except
    where the columns decide what a row is: DISTINCT and GROUP BY keep theirs."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from plased.members.models import Organisation

    for n in range(4):
        make_organisation(db, world.plased, name=f"Twin {n % 2}")
    params = pagination.PageParams(limit=50, offset=0, sort=None, updated_since=None)

    def total(statement: object, tiebreak: object) -> int:
        _items, counted = pagination.paginate(
            db, statement, params, allowed_sorts={}, default_sort=[], tiebreak=tiebreak
        )
        return int(counted)

    twins = col(Organisation.name).like("Twin %")
    assert total(select(Organisation).where(twins), col(Organisation.id)) == 4
    everyone = db.exec(select(func.count()).select_from(Organisation)).one()
    assert total(select(Organisation), col(Organisation.id)) == everyone
    names = select(Organisation.name).where(twins).distinct()
    assert total(names, col(Organisation.name)) == 2
    grouped = select(Organisation.name, func.count()).where(twins).group_by(Organisation.name)
    assert total(grouped, col(Organisation.name)) == 2
