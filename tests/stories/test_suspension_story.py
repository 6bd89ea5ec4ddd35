"""Story 3, through the HTTP API alone: suspending a member cascades as documented. Its COSS
membership is suspended with it (with an event naming the cause), its board seat is flagged
and no longer counts for the quorum, it can no longer send referrals, and a suspended
provider's services leave the public directory and receive nothing."""

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient

from tests.helpers import (
    accept,
    admitted,
    assert_problem,
    created,
    invite,
    platforms_with_secretariat,
)


def _membership(client: TestClient, sec: dict[str, str], platform: str, org: str) -> str:
    items = client.get(f"/api/v1/platforms/{platform}/memberships?limit=200", headers=sec).json()
    return str(next(m["id"] for m in items["items"] if m["organisation_id"] == org))


def test_suspension_cascades(client: TestClient, database_url: str) -> None:
    _admin, sec, plased, coss = platforms_with_secretariat(client, database_url, "story-three")
    cso = admitted(
        client,
        sec,
        [plased, coss],
        platform_id=plased,
        name="Lumphat CBO",
        kind="cso",
        sector="cbo",
    )
    provider = admitted(
        client, sec, [plased, coss], platform_id=plased, name="Legal Aid", kind="service_provider"
    )
    cso_staff = accept(client, invite(client, cso, sec, email="staff@lumphat-cbo.org"))
    provider_staff = accept(client, invite(client, provider, sec, email="desk@legal-aid.org"))
    categories = client.get(f"/api/v1/platforms/{coss}/service-categories").json()["items"]
    legal = next(c["id"] for c in categories if c["code"] == "legal_counselling")
    service = created(
        client.post(
            "/api/v1/services",
            json={
                "platform_id": coss,
                "provider_id": provider,
                "category_id": legal,
                "name": "Land rights advice",
                "status": "published",
            },
            headers=provider_staff,
        )
    )["id"]
    board = created(
        client.post(
            f"/api/v1/platforms/{plased}/bodies",
            json={"kind": "executive_board", "name": "Board"},
            headers=sec,
        )
    )["id"]
    for org, name in ((cso, "CBO Leader"), (provider, "Lawyer")):
        person = created(
            client.post(
                "/api/v1/people",
                json={"platform_id": plased, "full_name": name, "gender": "female"},
                headers=sec,
            )
        )["id"]
        created(
            client.post(
                f"/api/v1/bodies/{board}/seats",
                json={
                    "position": "member",
                    "person_id": person,
                    "organisation_id": org,
                    "term_start": str(date.today() - timedelta(days=1)),
                },
                headers=sec,
            )
        )
    referral = {
        "service_id": service,
        "client": {"full_name": "A client", "gender": "male"},
        "consent": {"given_by": "self", "given_on": "2026-11-20", "share_with_provider": True},
    }
    assert client.post("/api/v1/referrals", json=referral, headers=cso_staff).status_code == 201

    # The secretariat suspends the CSO's PLASED membership: COSS follows, with its own event.
    plased_membership = _membership(client, sec, plased, cso)
    created(
        client.post(
            f"/api/v1/memberships/{plased_membership}/suspend",
            json={"reason": "Annual report missing"},
            headers=sec,
        )
    )
    coss_membership = _membership(client, sec, coss, cso)
    assert client.get(f"/api/v1/memberships/{coss_membership}", headers=sec).json()["status"] == (
        "suspended"
    )
    history = client.get(f"/api/v1/memberships/{coss_membership}/history", headers=sec).json()
    assert history["items"][-1]["to_status"] == "suspended"
    assert "PLASED membership was suspended" in history["items"][-1]["reason"]
    # Its seat is flagged and does not count for the quorum any more.
    seats = client.get(f"/api/v1/bodies/{board}/seats", headers=sec).json()["items"]
    assert sorted(s["organisation_is_member"] for s in seats) == [False, True]
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    meeting = created(
        client.post(
            f"/api/v1/bodies/{board}/meetings",
            json={
                "kind": "board",
                "title": "Board",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=1)).isoformat(),
            },
            headers=sec,
        )
    )["id"]
    created(client.post(f"/api/v1/meetings/{meeting}/convene", headers=sec))
    assert (
        client.get(f"/api/v1/meetings/{meeting}/quorum", headers=sec).json()["eligible_voters"] == 1
    )
    # It can no longer refer anyone.
    assert_problem(
        client.post("/api/v1/referrals", json=referral, headers=cso_staff),
        403,
        "not_an_active_member",
    )

    # A suspended provider leaves the directory and receives nothing.
    created(
        client.post(
            f"/api/v1/memberships/{_membership(client, sec, plased, provider)}/suspend",
            json={"reason": "Licence lapsed"},
            headers=sec,
        )
    )
    assert client.get(f"/api/v1/services?platform_id={coss}").json()["total"] == 0
    assert_problem(client.get(f"/api/v1/services/{service}"), 404, "not_found")
    other = admitted(
        client, sec, [plased, coss], platform_id=plased, name="Other CSO", kind="cso", sector="cbo"
    )
    other_staff = accept(client, invite(client, other, sec, email="staff@other-cso.org"))
    refused = assert_problem(
        client.post("/api/v1/referrals", json=referral, headers=other_staff),
        422,
        "validation_failed",
    )
    assert refused["errors"][0]["code"] == "service_not_available"
