"""Trainings: meetings of kind ``training`` with a topic, a trainer and an audience; their
reach (distinct people present over a period), checked against a hand-counted fixture; and
people trained counting as people engaged."""

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.factories import unit
from tests.helpers import assert_problem, database_state
from tests.worlds import World, meeting_body


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _person(
    client: TestClient, w: World, gender: str, birth_year: int | None = None, **more: Any
) -> str:
    return str(
        _ok(
            client.post(
                "/api/v1/people",
                json={
                    "platform_id": str(more.pop("platform_id", w.plased.id)),
                    "full_name": f"Trainee {uuid.uuid4().hex[:8]}",
                    "gender": gender,
                    "birth_year": birth_year,
                    **more,
                },
                headers=w.h(w.secretariat),
            ),
            201,
        )["id"]
    )


def _body(client: TestClient, w: World, platform_id: Any, user: Any) -> str:
    return str(
        _ok(
            client.post(
                f"/api/v1/platforms/{platform_id}/bodies",
                json={"kind": "committee", "name": "Capacity-building committee"},
                headers=w.h(user),
            ),
            201,
        )["id"]
    )


def _training(
    client: TestClient,
    w: World,
    body_id: str,
    day: str,
    rows: list[tuple[str, str, str | None]],
    *,
    audience: str | None = "coss_members",
    user: Any = None,
    kind: str = "training",
    cancel: bool = False,
) -> str:
    """A training held on ``day`` (08:00 in Phnom Penh) with its sign-in sheet typed in."""
    h = w.h(user or w.secretariat)
    extra = (
        {"topic": "Referral system and consent", "audience": audience} if kind == "training" else {}
    )
    meeting = _ok(
        client.post(
            f"/api/v1/bodies/{body_id}/meetings",
            json=meeting_body(
                kind=kind,
                title="Training",
                starts_at=f"{day}T08:00:00+07:00",
                ends_at=f"{day}T16:00:00+07:00",
                **extra,
            ),
            headers=h,
        ),
        201,
    )
    mid = meeting["id"]
    _ok(client.post(f"/api/v1/meetings/{mid}/convene", headers=h))
    sheet = [
        {"person_id": person, "status": status, "organisation_id": organisation}
        for person, status, organisation in rows
    ]
    _ok(client.post(f"/api/v1/meetings/{mid}/attendance", json={"rows": sheet}, headers=h))
    if cancel:
        _ok(client.post(f"/api/v1/meetings/{mid}/cancel", headers=h))
    else:
        _ok(client.post(f"/api/v1/meetings/{mid}/start", headers=h))
        _ok(client.post(f"/api/v1/meetings/{mid}/close", headers=h))
    return str(mid)


def _organisation(client: TestClient, w: World, db: Session, **values: Any) -> str:
    return str(
        _ok(
            client.post(
                "/api/v1/organisations",
                json={"platform_id": str(w.plased.id), **values},
                headers=w.h(w.secretariat),
            ),
            201,
        )["id"]
    )


@dataclass
class Trained:
    w: World
    url: str
    body_id: str


@pytest.fixture
def trained(client: TestClient, db: Session, world: World) -> Trained:
    """The hand-counted fixture (docs/trainings.md):

    T1 2026-03-10, coss_members: A, B, C, F and N1–N10 present; H absent.
    T2 2026-04-15, communities: A again, D, E, G present; I excused.
    T3 2025-12-20 (before the period): J present. T4 2026-05-05, cancelled: K present.
    A consultation 2026-05-06: M present. Another platform's training: its own person.

    Counted in 2026: A B C D E F G and N1–N10 = 17 people; 9 women, 8 men; youth 2 (A 26,
    D 22), unknown 1 (E), 14 not young (G is 31); indigenous 2 (A, D); by first training:
    CSO 3 (A F G), provider 12 (B C N1–N10), individual 2 (D E); district 1605 3,
    1602 12, unknown 2; audiences coss_members 14, communities 4.
    """
    w = world
    cso = _organisation(
        client, w, db, name="Lumphat Farmers", kind="cso", sector="agriculture",
        unit_id=str(unit(db, "160501").id),
    )  # fmt: skip
    provider = _organisation(
        client, w, db, name="Ban Lung Training Centre", kind="service_provider",
        unit_id=str(unit(db, "1602").id),
    )  # fmt: skip
    a = _person(client, w, "female", 2000, indigenous_group="Tampuan")
    b = _person(client, w, "female", 1980)
    c = _person(client, w, "male", 1990)
    d = _person(client, w, "female", 2004, indigenous_group="Jarai")
    e = _person(client, w, "male")
    f = _person(client, w, "female", 1970)
    g = _person(client, w, "male", 1995)
    h, i, j, k, m = (_person(client, w, "female", 1985) for _ in range(5))
    ns = [_person(client, w, "female" if n < 5 else "male", 1980) for n in range(10)]
    body_id = _body(client, w, w.plased.id, w.secretariat)
    _training(
        client, w, body_id, "2026-03-10",
        [(a, "present", cso), (b, "present", provider), (c, "present", provider),
         (f, "present", cso), (h, "absent", cso)]
        + [(n, "present", provider) for n in ns],
    )  # fmt: skip
    _training(
        client, w, body_id, "2026-04-15",
        [(a, "present", cso), (d, "present", None), (e, "present", None),
         (g, "present", cso), (i, "excused", None)],
        audience="communities",
    )  # fmt: skip
    _training(client, w, body_id, "2025-12-20", [(j, "present", None)])
    _training(client, w, body_id, "2026-05-05", [(k, "present", None)], cancel=True)
    _training(client, w, body_id, "2026-05-06", [(m, "present", None)], kind="consultation")
    # Another platform's training of its own people.
    other_body = _body(client, w, w.other.id, w.stranger)
    stranger_person = str(
        _ok(
            client.post(
                "/api/v1/people",
                json={"platform_id": str(w.other.id), "full_name": "Y", "gender": "female"},
                headers=w.h(w.stranger),
            ),
            201,
        )["id"]
    )
    _training(
        client, w, other_body, "2026-03-10", [(stranger_person, "present", None)], user=w.stranger
    )
    url = f"/api/v1/platforms/{w.plased.id}/trainings/reach?from=2026-01-01&to=2026-12-31"
    return Trained(w=w, url=url, body_id=body_id)


def _cells(cells: list[dict[str, Any]]) -> dict[str, int | None]:
    return {cell["key"]: cell["count"] for cell in cells}


def test_reach_hand_counted_for_the_secretariat(client: TestClient, trained: Trained) -> None:
    w = trained.w
    data = _ok(client.get(trained.url, headers=w.h(w.secretariat)))
    assert data["exact"] is True
    assert (data["period_from"], data["period_to"]) == ("2026-01-01", "2026-12-31")
    assert data["trainings"] == 2 and data["people"] == 17
    assert _cells(data["by_gender"]) == {"female": 9, "male": 8}
    assert data["women_share"] == round(9 / 17, 4)
    assert _cells(data["by_youth"]) == {"youth": 2, "not_youth": 14, "unknown": 1}
    assert _cells(data["by_indigenous"]) == {"indigenous": 2, "not_indigenous": 15}
    assert _cells(data["by_stakeholder_kind"]) == {
        "cso": 3,
        "service_provider": 12,
        "individual": 2,
    }
    assert _cells(data["by_district"]) == {"1602": 12, "1605": 3, "unknown": 2}
    names = {c["key"]: c["name"] for c in data["by_district"]}
    assert names["1605"] and names["unknown"] is None
    assert _cells(data["by_audience"]) == {"coss_members": 14, "communities": 4}
    assert (data["target_people"], data["min_women_share"]) == (110, 0.4)
    assert [x["code"] for x in data["warnings"]] == ["people_trained_below_target"]
    # One day, one training: A's first training of that period is T2 (for the CSO).
    april = _ok(
        client.get(
            f"/api/v1/platforms/{w.plased.id}/trainings/reach?from=2026-04-15&to=2026-04-15",
            headers=w.h(w.secretariat),
        )
    )
    assert april["people"] == 4 and _cells(april["by_stakeholder_kind"]) == {
        "cso": 2,
        "individual": 2,
    }
    # Without a period: every training, T3 included (not the cancelled one).
    everything = _ok(
        client.get(f"/api/v1/platforms/{w.plased.id}/trainings/reach", headers=w.h(w.secretariat))
    )
    assert everything["people"] == 18 and everything["trainings"] == 3


def test_reach_is_suppressed_for_observers_and_staff(client: TestClient, trained: Trained) -> None:
    w = trained.w
    for user in (w.observer, w.staff):
        data = _ok(client.get(trained.url, headers=w.h(user)))
        assert data["exact"] is False and data["people"] == 17
        assert _cells(data["by_gender"]) == {"female": 9, "male": 8}
        assert data["women_share"] == round(9 / 17, 4)
        # Youth 2 and unknown 1 hide 3 people: the 14 are hidden too.
        assert _cells(data["by_youth"]) == {"youth": None, "not_youth": None, "unknown": None}
        assert all(c["suppressed"] for c in data["by_youth"])
        assert _cells(data["by_indigenous"]) == {"indigenous": None, "not_indigenous": None}
        assert _cells(data["by_stakeholder_kind"]) == {
            "cso": None,
            "service_provider": 12,
            "individual": None,
        }
        assert _cells(data["by_district"]) == {"1602": 12, "1605": None, "unknown": None}
        # Per audience (no total to subtract from): only the small cell is hidden.
        assert _cells(data["by_audience"]) == {"coss_members": 14, "communities": None}


def test_reach_access_and_input(client: TestClient, engine: Engine, trained: Trained) -> None:
    w = trained.w
    assert_problem(client.get(trained.url), 401, "not_authenticated")
    hidden = assert_problem(client.get(trained.url, headers=w.h(w.stranger)), 404, "not_found")
    missing = assert_problem(
        client.get(f"/api/v1/platforms/{uuid.uuid4()}/trainings/reach", headers=w.h(w.secretariat)),
        404,
        "not_found",
    )
    assert (hidden["title"], hidden["detail"]) == (missing["title"], missing["detail"])
    # The facilitator reads it too (a role in the platform).
    assert _ok(client.get(trained.url, headers=w.h(w.facilitator)))["exact"] is False
    before = database_state(engine)
    inverted = assert_problem(
        client.get(
            f"/api/v1/platforms/{w.plased.id}/trainings/reach?from=2026-05-01&to=2026-04-01",
            headers=w.h(w.secretariat),
        ),
        422,
        "validation_failed",
    )
    assert [(e["pointer"], e["code"]) for e in inverted["errors"]] == [
        ("/query/to", "period_inverted")
    ]
    bad = assert_problem(
        client.get(
            f"/api/v1/platforms/{w.plased.id}/trainings/reach?from=not-a-day",
            headers=w.h(w.secretariat),
        ),
        422,
        "validation_failed",
    )
    assert bad["errors"][0]["pointer"] == "/query/from"
    assert database_state(engine) == before


def test_training_fields(client: TestClient, engine: Engine, db: Session, world: World) -> None:
    """Topic, trainer and audience: only on trainings; the trainer is a person of the
    platform; the meeting answer carries them."""
    w = world
    sec = w.h(w.secretariat)
    body_id = _body(client, w, w.plased.id, w.secretariat)
    trainer = _person(client, w, "female", 1988)
    url = f"/api/v1/bodies/{body_id}/meetings"
    training = meeting_body(
        kind="training",
        title="Financial literacy for CSOs",
        topic="Financial literacy",
        topic_km="អក្ខរកម្មហិរញ្ញវត្ថុ",
        trainer_person_id=trainer,
        audience="providers",
    )
    assert_problem(client.post(url, json=training), 401, "not_authenticated")
    assert_problem(client.post(url, json=training, headers=w.h(w.observer)), 403, "forbidden")
    assert_problem(client.post(url, json=training, headers=w.h(w.stranger)), 404, "not_found")
    outsider = str(
        _ok(
            client.post(
                "/api/v1/people",
                json={"platform_id": str(w.other.id), "full_name": "Z", "gender": "male"},
                headers=w.h(w.stranger),
            ),
            201,
        )["id"]
    )
    before = database_state(engine)
    for body, pointer, code in (
        ({**training, "kind": "board"}, "/body/topic", "training_only"),
        (
            {**meeting_body(kind="consultation"), "audience": "communities"},
            "/body/audience",
            "training_only",
        ),
        ({**training, "trainer_person_id": outsider}, "/body/trainer_person_id", "unknown_person"),
        ({**training, "audience": "everyone"}, "/body/audience", "enum"),
    ):
        refused = assert_problem(client.post(url, json=body, headers=sec), 422, "validation_failed")
        assert [(e["pointer"], e["code"]) for e in refused["errors"]] == [(pointer, code)]
    assert database_state(engine) == before
    created = _ok(client.post(url, json=training, headers=sec), 201)
    assert (created["topic"], created["topic_km"], created["audience"]) == (
        "Financial literacy",
        "អក្ខរកម្មហិរញ្ញវត្ថុ",
        "providers",
    )
    assert created["trainer_person_id"] == trainer
    mid = created["id"]
    changed = _ok(
        client.patch(
            f"/api/v1/meetings/{mid}",
            json={"audience": "communities", "trainer_person_id": None},
            headers=sec,
        )
    )
    assert (changed["audience"], changed["trainer_person_id"]) == ("communities", None)
    board_meeting = _ok(client.post(url, json=meeting_body(kind="assembly"), headers=sec), 201)
    assert board_meeting["topic"] is None and board_meeting["audience"] is None
    before = database_state(engine)
    refused = assert_problem(
        client.patch(
            f"/api/v1/meetings/{board_meeting['id']}", json={"topic": "Budgets"}, headers=sec
        ),
        422,
        "validation_failed",
    )
    assert refused["errors"][0]["code"] == "training_only"
    refused = assert_problem(
        client.patch(f"/api/v1/meetings/{mid}", json={"trainer_person_id": outsider}, headers=sec),
        422,
        "validation_failed",
    )
    assert refused["errors"][0]["pointer"] == "/body/trainer_person_id"
    assert database_state(engine) == before


def test_people_trained_count_as_people_engaged(
    client: TestClient, db: Session, world: World
) -> None:
    """A representative of an active member who is also trained counts once; people trained
    outside any organisation are engaged too; absent people are not."""
    w = world
    sec = w.h(w.secretariat)
    org = _organisation(client, w, db, name="Veun Sai Women", kind="cso", sector="cbo")
    membership = _ok(
        client.post(
            f"/api/v1/platforms/{w.plased.id}/memberships",
            json={"organisation_id": org},
            headers=sec,
        ),
        201,
    )
    _ok(client.post(f"/api/v1/memberships/{membership['id']}/approve", headers=sec))
    rep = _person(client, w, "female", 1990)
    _ok(
        client.post(
            f"/api/v1/organisations/{org}/representatives",
            json={"person_id": rep, "role": "primary"},
            headers=sec,
        ),
        201,
    )
    url = f"/api/v1/platforms/{w.plased.id}/composition"
    assert _ok(client.get(url, headers=sec))["people"] == 1
    villager, youth, absent = (
        _person(client, w, "female", 1985),
        _person(client, w, "male", 2005),
        _person(client, w, "male", 1980),
    )
    body_id = _body(client, w, w.plased.id, w.secretariat)
    _training(
        client,
        w,
        body_id,
        "2026-02-02",
        [
            (rep, "present", org),
            (villager, "present", None),
            (youth, "present", None),
            (absent, "absent", None),
        ],
        audience="communities",
    )
    data = _ok(client.get(url, headers=sec))
    assert data["people"] == 3
    assert data["people_by_gender"] == {"female": 2, "male": 1}
    engaged = next(t for t in data["targets"] if t["indicator_code"] == "people_engaged")
    assert engaged["actual"] == 3
    # The COSS branch's people engaged are its own: PLASED's trainings do not count there.
    assert _ok(client.get(f"/api/v1/platforms/{w.coss.id}/composition", headers=sec))["people"] == 0
