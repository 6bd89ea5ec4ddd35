"""Memberships: apply, decide, withdraw; the state machine holds under concurrency."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from plased.members.models import Membership, MembershipEvent
from plased.platforms.defaults import DEFAULT_REGULATIONS
from tests.factories import make_membership, make_organisation, make_user
from tests.helpers import assert_problem
from tests.worlds import World


def apply(client: TestClient, world: World, platform_id: uuid.UUID, user=None, **headers):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/platforms/{platform_id}/memberships",
        json={"organisation_id": str(world.org.id), "reason": "We work with farmers"},
        headers={**world.h(user or world.staff), **headers},
    )


def act(client: TestClient, world: World, membership_id: str, action: str, user=None, reason=None):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/memberships/{membership_id}/{action}",
        json={"reason": reason} if reason else None,
        headers=world.h(user or world.secretariat),
    )


def test_full_lifecycle_with_history(client: TestClient, db: Session, world: World) -> None:
    applied = apply(client, world, world.plased.id)
    assert applied.status_code == 201, applied.text
    membership = applied.json()
    assert membership["status"] == "applied"
    assert applied.headers["location"] == f"/api/v1/memberships/{membership['id']}"
    mid = membership["id"]
    # The organisation cannot approve itself.
    assert_problem(act(client, world, mid, "approve", world.staff), 403, "forbidden")
    assert act(client, world, mid, "approve").json()["status"] == "active"
    problem = assert_problem(act(client, world, mid, "approve"), 409, "invalid_transition")
    assert problem["current_status"] == "active"
    assert_problem(act(client, world, mid, "suspend"), 422, "validation_failed")  # needs a reason
    assert act(client, world, mid, "suspend", reason="Unpaid dues").json()["status"] == "suspended"
    assert act(client, world, mid, "reinstate").json()["status"] == "active"
    assert act(client, world, mid, "withdraw", world.staff).json()["status"] == "withdrawn"
    assert_problem(act(client, world, mid, "reinstate"), 409, "invalid_transition")
    history = client.get(
        f"/api/v1/memberships/{mid}/history", headers=world.h(world.observer)
    ).json()
    steps = [(e["from_status"], e["to_status"]) for e in history["items"]]
    assert steps == [
        (None, "applied"),
        ("applied", "active"),
        ("active", "suspended"),
        ("suspended", "active"),
        ("active", "withdrawn"),
    ]
    assert history["items"][2]["reason"] == "Unpaid dues"
    # Withdrawn is final, so the organisation may apply again.
    assert apply(client, world, world.plased.id).status_code == 201


@pytest.mark.parametrize(
    ("start", "action", "legal"),
    [
        ("applied", "reject", True),
        ("applied", "suspend", False),
        ("applied", "withdraw", False),
        ("active", "expire", True),
        ("active", "reinstate", False),
        ("suspended", "withdraw", True),
        ("suspended", "approve", False),
        ("rejected", "approve", False),
        ("expired", "reinstate", False),
        ("withdrawn", "withdraw", False),
    ],
)
def test_transition_table(
    client: TestClient, db: Session, world: World, start: str, action: str, legal: bool
) -> None:
    membership = make_membership(db, world.org, world.plased, start)
    response = act(client, world, str(membership.id), action, reason="Because")
    if legal:
        assert response.status_code == 200, response.text
    else:
        assert_problem(response, 409, "invalid_transition")
        db.expire_all()
        assert db.get(Membership, membership.id).status == start  # type: ignore[union-attr]
        assert db.exec(select(MembershipEvent)).all() == []


def test_who_may_apply_and_see(client: TestClient, db: Session, world: World) -> None:
    url = f"/api/v1/platforms/{world.plased.id}/memberships"
    assert_problem(
        client.post(url, json={"organisation_id": str(world.org.id)}), 401, "not_authenticated"
    )
    assert_problem(apply(client, world, world.plased.id, world.observer), 403, "forbidden")
    assert_problem(apply(client, world, world.other.id, world.stranger), 422, "validation_failed")
    other_staff = make_user(db, organisation_id=make_organisation(db, world.plased).id)
    assert_problem(apply(client, world, world.plased.id, other_staff), 403, "forbidden")
    assert_problem(apply(client, world, uuid.uuid4()), 404, "not_found")
    mid = apply(client, world, world.plased.id, world.secretariat).json()["id"]
    assert_problem(apply(client, world, world.plased.id), 409, "membership_exists")
    assert (
        client.get(f"/api/v1/memberships/{mid}", headers=world.h(world.observer)).status_code == 200
    )
    assert_problem(
        client.get(f"/api/v1/memberships/{mid}", headers=world.h(world.stranger)), 404, "not_found"
    )
    assert_problem(act(client, world, mid, "approve", world.stranger), 404, "not_found")
    assert_problem(act(client, world, mid, "approve", world.observer), 403, "forbidden")
    # Each action is its own route, as for every machine: an unknown one is no address.
    assert_problem(act(client, world, mid, "promote"), 404, "route_not_found")
    assert_problem(act(client, world, str(uuid.uuid4()), "approve"), 404, "not_found")
    listing = client.get(f"{url}?status=applied", headers=world.h(world.staff)).json()
    assert [m["id"] for m in listing["items"]] == [mid]
    assert client.get(f"{url}?status=active", headers=world.h(world.staff)).json()["total"] == 0
    assert_problem(client.get(url, headers=world.h(world.stranger)), 404, "not_found")
    assert_problem(
        client.get(f"{url}?status=dormant", headers=world.h(world.staff)), 422, "validation_failed"
    )


def test_coss_needs_active_plased_membership(client: TestClient, db: Session, world: World) -> None:
    problem = assert_problem(apply(client, world, world.coss.id), 422, "validation_failed")
    assert problem["errors"][0]["code"] == "parent_membership_required"
    parent = make_membership(db, world.org, world.plased, "active")
    coss = apply(client, world, world.coss.id)
    assert coss.status_code == 201
    # If the PLASED membership lapses before approval, the COSS approval is refused.
    parent.status = "suspended"
    db.add(parent)
    db.commit()
    assert_problem(act(client, world, coss.json()["id"], "approve"), 422, "validation_failed")
    db.expire_all()
    assert db.get(Membership, uuid.UUID(coss.json()["id"])).status == "applied"  # type: ignore[union-attr]


def test_idempotent_apply(client: TestClient, db: Session, world: World) -> None:
    first = apply(client, world, world.plased.id, **{"Idempotency-Key": "apply-1"})
    retry = apply(client, world, world.plased.id, **{"Idempotency-Key": "apply-1"})
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.headers["location"] == first.headers["location"]  # the same resource
    other_body = client.post(
        f"/api/v1/platforms/{world.plased.id}/memberships",
        json={"organisation_id": str(world.org.id)},
        headers={**world.h(world.staff), "Idempotency-Key": "apply-1"},
    )
    assert_problem(other_body, 422, "idempotency_key_reused")
    assert len(db.exec(select(Membership)).all()) == 1
    assert_problem(
        apply(client, world, world.plased.id, **{"Idempotency-Key": "x" * 201}),
        422,
        "validation_failed",
    )


def test_no_approval_needed(client: TestClient, world: World) -> None:
    rules = {**DEFAULT_REGULATIONS, "membership_requires_approval": False}
    url = f"/api/v1/platforms/{world.plased.id}/regulations"
    assert client.put(url, json=rules, headers=world.h(world.secretariat)).status_code == 200
    response = apply(client, world, world.plased.id)
    assert response.json()["status"] == "active"


def test_concurrent_approvals_have_one_winner(
    client: TestClient, db: Session, world: World, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    membership = make_membership(db, world.org, world.plased, "applied")
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(
            pool.map(
                lambda _: act(client, world, str(membership.id), "approve").status_code, range(20)
            )
        )
    assert statuses.count(200) == 1 and statuses.count(409) == 19
    events = db.exec(
        select(MembershipEvent).where(MembershipEvent.membership_id == membership.id)
    ).all()
    assert len(events) == 1


def test_old_idempotency_keys_are_forgotten(client: TestClient, db: Session, world: World) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from plased.db import utcnow
    from plased.idempotency import IdempotencyRecord, purge_expired

    apply(client, world, world.plased.id, **{"Idempotency-Key": "old-key"})
    assert purge_expired(db) == 0
    db.execute(update(IdempotencyRecord).values(created_at=utcnow() - timedelta(days=2)))
    db.commit()
    assert purge_expired(db) == 1
    db.commit()
    assert db.exec(select(IdempotencyRecord)).all() == []
