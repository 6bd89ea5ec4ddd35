"""People, trainings and member organisations built through the API, counted by hand."""

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from plased import disclosure
from tests.factories import unit
from tests.helpers import admitted
from tests.worlds import World, meeting_body


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def person(
    client: TestClient, w: World, gender: str, birth_year: int | None = None, **more: Any
) -> str:
    body = {
        "platform_id": str(w.plased.id),
        "full_name": f"Person {uuid.uuid4().hex[:8]}",
        "gender": gender,
        "birth_year": birth_year,
        **more,
    }
    return str(ok(client.post("/api/v1/people", json=body, headers=w.h(w.secretariat)), 201)["id"])


def body(client: TestClient, w: World, platform_id: Any, user: Any) -> str:
    return str(
        ok(
            client.post(
                f"/api/v1/platforms/{platform_id}/bodies",
                json={"kind": "committee", "name": "Capacity-building committee"},
                headers=w.h(user),
            ),
            201,
        )["id"]
    )


def meeting(
    client: TestClient,
    w: World,
    body_id: str,
    day: str,
    rows: list[tuple[str, str, str | None]],
    *,
    kind: str = "training",
    user: Any = None,
    cancel: bool = False,
) -> str:
    """A meeting held on ``day`` (08:00 in Phnom Penh) with its sign-in sheet."""
    h = w.h(user or w.secretariat)
    extra = {"topic": "Referral system", "audience": "coss_members"} if kind == "training" else {}
    made = ok(
        client.post(
            f"/api/v1/bodies/{body_id}/meetings",
            json=meeting_body(
                kind=kind,
                title="Session",
                starts_at=f"{day}T08:00:00+07:00",
                ends_at=f"{day}T16:00:00+07:00",
                **extra,
            ),
            headers=h,
        ),
        201,
    )
    mid = made["id"]
    ok(client.post(f"/api/v1/meetings/{mid}/convene", headers=h))
    sheet = [{"person_id": p, "status": s, "organisation_id": o} for p, s, o in rows]
    ok(client.post(f"/api/v1/meetings/{mid}/attendance", json={"rows": sheet}, headers=h))
    if cancel:
        ok(client.post(f"/api/v1/meetings/{mid}/cancel", headers=h))
    else:
        ok(client.post(f"/api/v1/meetings/{mid}/start", headers=h))
        ok(client.post(f"/api/v1/meetings/{mid}/close", headers=h))
    return str(mid)


@dataclass
class People:
    w: World
    url: str  # the indicators of 2026
    cso: str


@pytest.fixture
def people(client: TestClient, db: Session, world: World) -> People:
    """The hand-counted fixture (docs/indicators.md):

    An agriculture CSO of commune 160501 (district 1605) is admitted; R (male, 1999)
    represents it. T1 2026-03-10 training: A, B, C, F, N1–N10 present, H absent. T2
    2026-04-15 training: A again, D, E, G present, I excused. T3 2025-12-20 training: J.
    T4 2026-05-05 training, cancelled: K. A consultation 2026-05-06: M. Another platform's
    training of its own person.

    2026: trained A–G, N1–N10 = 17 (women A B D F N1–N5 = 9, men 8); engaged = trained + M + R
    = 19 (women 10, men 9; youth A D R = 3, unknown E, 15 not young; indigenous A D = 2).
    Member organisations: 1 (cso, agriculture, district 1605, commune 160501).
    """
    w = world
    sec = w.h(w.secretariat)
    cso = admitted(
        client, sec, [str(w.plased.id)], platform_id=str(w.plased.id), name="Lumphat Farmers",
        kind="cso", sector="agriculture", unit_id=str(unit(db, "160501").id),
    )  # fmt: skip
    r = person(client, w, "male", 1999)
    ok(
        client.post(
            f"/api/v1/organisations/{cso}/representatives",
            json={"person_id": r, "role": "primary"},
            headers=sec,
        ),
        201,
    )
    a = person(client, w, "female", 2000, indigenous_group="Tampuan")
    b = person(client, w, "female", 1980)
    c = person(client, w, "male", 1990)
    d = person(client, w, "female", 2004, indigenous_group="Jarai")
    e = person(client, w, "male")
    f = person(client, w, "female", 1970)
    g = person(client, w, "male", 1995)
    h, i, j, k, m = (person(client, w, "female", 1985) for _ in range(5))
    ns = [person(client, w, "female" if n < 5 else "male", 1980) for n in range(10)]
    body_id = body(client, w, w.plased.id, w.secretariat)
    meeting(
        client, w, body_id, "2026-03-10",
        [(a, "present", cso), (b, "present", None), (c, "present", None),
         (f, "present", cso), (h, "absent", cso)] + [(n, "present", None) for n in ns],
    )  # fmt: skip
    meeting(
        client, w, body_id, "2026-04-15",
        [(a, "present", cso), (d, "present", None), (e, "present", None),
         (g, "present", cso), (i, "excused", None)],
    )  # fmt: skip
    meeting(client, w, body_id, "2025-12-20", [(j, "present", None)])
    meeting(client, w, body_id, "2026-05-05", [(k, "present", None)], cancel=True)
    meeting(client, w, body_id, "2026-05-06", [(m, "present", None)], kind="consultation")
    other_body = body(client, w, w.other.id, w.stranger)
    stranger = ok(
        client.post(
            "/api/v1/people",
            json={"platform_id": str(w.other.id), "full_name": "Y", "gender": "female"},
            headers=w.h(w.stranger),
        ),
        201,
    )["id"]
    meeting(client, w, other_body, "2026-03-10", [(stranger, "present", None)], user=w.stranger)
    url = f"/api/v1/platforms/{w.plased.id}/indicators?from=2026-01-01&to=2026-12-31"
    return People(w=w, url=url, cso=cso)


def by_code(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in report["indicators"]}


def cells(row: dict[str, Any], dimension: str) -> dict[str, int | None]:
    for breakdown in row["breakdowns"]:
        if breakdown["dimension"] == dimension:
            return {cell["key"]: cell["count"] for cell in breakdown["cells"]}
    raise AssertionError(f"no breakdown {dimension}")


def assert_no_cell_recoverable(report: dict[str, Any]) -> None:
    """DESIGN §9: no hidden cell is a subtraction away. Where a value is published, the
    hidden cells of each additive breakdown are none, or at least two holding 5 or more."""
    for row in report["indicators"]:
        if row["unit"] not in ("people", "referrals"):
            continue
        for breakdown in row["breakdowns"]:
            shown = [c["count"] for c in breakdown["cells"] if not c["suppressed"]]
            hidden = [c for c in breakdown["cells"] if c["suppressed"]]
            assert all(c["count"] is None for c in hidden)
            assert all(n == 0 or n >= disclosure.THRESHOLD for n in shown), row["code"]
            if breakdown["dimension"] == "strategy" or not hidden or row["value"] is None:
                continue
            assert len(hidden) >= 2, (row["code"], breakdown)
            assert row["value"] - sum(shown) >= disclosure.THRESHOLD, (row["code"], breakdown)
