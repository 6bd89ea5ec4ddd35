"""Story 2, through the HTTP API alone (and `plased purge`, as an operator runs it): a CSO
refers a woman to GBV support with her consent, the provider accepts and completes, the
secretariat sees suppressed statistics only, and the purge later erases her everywhere."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.helpers import (
    accept,
    admitted,
    created,
    invite,
    personal_data_in_database,
    platforms_with_secretariat,
    purge,
)

NAME, NAME_KM, PHONE = "Nary Sev", "ណារី សេវ", "+855 12 909 808"
NOTE = "She fled her husband's house with two children"


def _staff(client: TestClient, sec: dict[str, str], org: str, email: str) -> dict[str, str]:
    """The secretariat invites the organisation's first staff member, who sets a password."""
    return accept(client, invite(client, org, sec, email=email, full_name=email.split("@")[0]))


def test_a_survivor_is_referred_served_and_forgotten(
    client: TestClient, engine: Engine, database_url: str
) -> None:
    _admin, sec, plased, coss = platforms_with_secretariat(client, database_url, "story-two")
    cso = admitted(
        client,
        sec,
        [plased, coss],
        platform_id=plased,
        name="Women's Development Centre",
        kind="cso",
        sector="social_development",
    )
    provider = admitted(
        client,
        sec,
        [plased, coss],
        platform_id=plased,
        name="Women's Counselling Service",
        kind="service_provider",
    )
    caseworker = _staff(client, sec, cso, "caseworker@wdc.org")
    counsellor = _staff(client, sec, provider, "counsellor@wcs.org")
    categories = client.get(f"/api/v1/platforms/{coss}/service-categories").json()["items"]
    gbv = next(c["id"] for c in categories if c["code"] == "gbv_response")
    ban_lung = client.get("/api/v1/geography?q=Banlung&level=district").json()["items"][0]
    village = client.get("/api/v1/geography?level=village&q=Labansiek").json()["items"]
    village = village or client.get(f"/api/v1/geography?parent={ban_lung['id']}").json()["items"]
    service = created(
        client.post(
            "/api/v1/services",
            json={
                "platform_id": coss,
                "provider_id": provider,
                "category_id": gbv,
                "name": "Counselling for survivors of violence",
                "target_groups": ["women"],
                "gender": "female",
                "coverage_unit_ids": [ban_lung["id"]],
                "status": "published",
            },
            headers=counsellor,
        )
    )
    listed = client.get(f"/api/v1/services?platform_id={coss}&q=survivors").json()["items"]
    assert [s["id"] for s in listed] == [service["id"]] and listed[0]["accepts_referrals"]

    referral = created(
        client.post(
            "/api/v1/referrals",
            json={
                "service_id": service["id"],
                "urgency": "emergency",
                "reason": NOTE,
                "client": {
                    "full_name": NAME,
                    "name_km": NAME_KM,
                    "gender": "female",
                    "birth_year": 1998,
                    "phone": PHONE,
                    "village_id": village[0]["id"],
                    "vulnerabilities": ["women", "gbv_survivor"],
                },
                "consent": {
                    "given_by": "self",
                    "given_on": "2026-11-20",
                    "share_with_provider": True,
                    "reporting": True,
                },
            },
            headers={**caseworker, "Idempotency-Key": "nary-referral"},
        )
    )
    rid = referral["id"]
    created(client.post(f"/api/v1/referrals/{rid}/submit", headers=caseworker))
    seen = client.get(f"/api/v1/referrals/{rid}", headers=counsellor).json()
    assert seen["client"]["full_name"] == NAME  # the receiving provider, with consent
    for action, body in (
        ("accept", None),
        ("start", None),
        (
            "complete",
            {"outcome": "Safe shelter and counselling", "services_delivered": "6 sessions"},
        ),
    ):
        created(client.post(f"/api/v1/referrals/{rid}/{action}", json=body, headers=counsellor))

    # The secretariat sees counts only, and a count of one is hidden, with its complements.
    assert client.get(f"/api/v1/referrals/{rid}", headers=sec).status_code == 404
    stats = client.get(f"/api/v1/platforms/{coss}/referral-stats", headers=sec)
    assert stats.status_code == 200
    data: dict[str, Any] = stats.json()
    assert data["total"] is None
    assert all(c["count"] is None for c in data["by_category"] + data["by_gender"])
    assert NAME not in stats.text and PHONE not in stats.text

    assert personal_data_in_database(engine, NAME, NAME_KM, PHONE, NOTE)
    purge(database_url)
    assert personal_data_in_database(engine, NAME, NAME_KM, PHONE, NOTE) == []
    for headers in (caseworker, counsellor):
        after = client.get(f"/api/v1/referrals/{rid}", headers=headers).json()
        assert (
            after["status"] == "completed" and after["client"] is None and after["reason"] is None
        )
    replay = client.post(
        "/api/v1/referrals",
        json={"service_id": service["id"], "client": {"full_name": NAME, "gender": "female"}},
        headers={**caseworker, "Idempotency-Key": "nary-referral"},
    )
    assert replay.status_code == 422  # a different body under the same key
