"""Referrals: client data reaches only the two organisations, and nothing outlives its erasure;
referrals only go where someone can receive them."""

import io
import zipfile
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from plased.coss.models import Need
from plased.idempotency import IdempotencyRecord
from tests.factories import unit
from tests.helpers import accept, assert_problem, invite, personal_data_in_database, purge
from tests.worlds import (
    CLIENT_NAME,
    CLIENT_PHONE,
    Setup,
    act,
    make_referral,
    referral_body,
)

KHMER_NAME = "ស្រីនាង"


def test_an_account_invited_from_outside_never_opens_the_past(
    client: TestClient, db: Session, s: Setup
) -> None:
    """A1: the secretariat can give an organisation whose staff all left a new first account,
    but that account (and every colleague it invites) sees no client of the referrals that
    existed before it."""
    w = s.c.w
    old = make_referral(client, s)  # the CSO's referral, addressed to the provider
    for staff in (s.referrer, s.provider_staff):
        assert (
            client.post(f"/api/v1/users/{staff.id}/deactivate", headers=w.h(w.admin)).status_code
            == 200
        )
    # Neither organisation has active staff now: the secretariat may invite a first member.
    referrer = accept(client, invite(client, w.org.id, w.h(w.secretariat), email="new@cso.org"))
    provider = accept(
        client, invite(client, s.c.provider.id, w.h(w.secretariat), email="new@provider.org")
    )
    for headers in (referrer, provider):
        seen = client.get(f"/api/v1/referrals/{old['id']}", headers=headers)
        assert seen.status_code == 200  # the facts, for the organisation's work …
        assert seen.json()["client"] is None and seen.json()["client_visible"] is False
        assert CLIENT_NAME not in seen.text and CLIENT_PHONE not in seen.text  # … not the client
        listing = client.get("/api/v1/referrals", headers=headers)
        assert CLIENT_NAME not in listing.text
    # A colleague invited by that account inherits its horizon.
    colleague = accept(client, invite(client, w.org.id, referrer, email="colleague@cso.org"))
    assert client.get(f"/api/v1/referrals/{old['id']}", headers=colleague).json()["client"] is None
    # New referrals are theirs in full, on both sides.
    fresh = client.post("/api/v1/referrals", json=referral_body(s), headers=referrer).json()
    assert fresh["client"]["full_name"] == CLIENT_NAME
    client.post(f"/api/v1/referrals/{fresh['id']}/submit", headers=referrer)
    received = client.get(f"/api/v1/referrals/{fresh['id']}", headers=provider).json()
    assert received["client"]["full_name"] == CLIENT_NAME


def test_unserved_referrals_are_counted_not_copied(
    client: TestClient, db: Session, s: Setup
) -> None:
    """A3: referrals declined for want of capacity feed the gap analysis as a count per
    district and category, suppressed when small, and never as a need at the client's
    village naming a vulnerability."""
    url = f"/api/v1/platforms/{s.c.w.coss.id}/service-gaps"
    made = [make_referral(client, s) for _ in range(5)]
    for referral in made[:4]:
        act(client, s, referral["id"], "decline", s.provider_staff, {"reason": "no_capacity"})
    assert db.exec(select(Need)).all() == []
    rows = client.get(url, headers=s.h(s.c.w.observer)).json()["rows"]
    unserved = [r for r in rows if r["unserved_suppressed"] or r["unserved_referrals"]]
    assert [(r["unit_code"], r["unserved_referrals"]) for r in unserved] == [("1605", None)]
    act(client, s, made[4]["id"], "decline", s.provider_staff, {"reason": "not_eligible"})
    report = client.get(url, headers=s.h(s.c.w.observer))
    counted = [r for r in report.json()["rows"] if r["unserved_referrals"]]
    assert [(r["unit_code"], r["category_code"], r["unserved_referrals"]) for r in counted] == [
        ("1605", "legal_aid", 5)
    ]
    assert s.village_id not in report.text and CLIENT_NAME not in report.text
    # Commune level: a referral keeps only its district, so nothing is reported there.
    communes = client.get(f"{url}?level=commune", headers=s.h(s.c.w.observer)).json()["rows"]
    assert all(r["unserved_referrals"] is None for r in communes)


def test_nothing_keeps_a_client_after_purge(
    client: TestClient, db: Session, engine: Engine, database_url: str, s: Setup
) -> None:
    """A5: an Idempotency-Key replay is rebuilt from the record, so after `plased purge` it
    shows the erased client; no side table keeps the name, the phone or the notes."""
    body = referral_body(s, reason=f"{CLIENT_NAME} needs help with a land claim")
    key = {"Idempotency-Key": "referral-retry-1"}
    first = client.post("/api/v1/referrals", json=body, headers={**s.h(s.referrer), **key})
    assert first.status_code == 201
    referral_id = first.json()["id"]
    replay = client.post("/api/v1/referrals", json=body, headers={**s.h(s.referrer), **key})
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["client"]["full_name"] == CLIENT_NAME
    stored = db.exec(
        select(IdempotencyRecord).where(IdempotencyRecord.idempotency_key == "referral-retry-1")
    ).scalar_one()
    assert stored.resource_id == referral_id and CLIENT_NAME not in str(stored.model_dump())
    client.post(
        f"/api/v1/referrals/{referral_id}/submit",
        json={"note": f"Call {CLIENT_PHONE}"},
        headers=s.h(s.referrer),
    )
    act(
        client,
        s,
        referral_id,
        "decline",
        s.provider_staff,
        {"reason": "no_capacity", "note": f"{CLIENT_NAME} is not eligible"},
    )
    assert personal_data_in_database(engine, CLIENT_NAME, CLIENT_PHONE, KHMER_NAME)
    assert "erased the client data of 1 referral" in purge(database_url)
    assert personal_data_in_database(engine, CLIENT_NAME, CLIENT_PHONE, KHMER_NAME) == []
    after = client.post("/api/v1/referrals", json=body, headers={**s.h(s.referrer), **key})
    assert after.status_code == 201 and after.json()["client"] is None
    assert after.json()["client_erased_at"] is not None and after.json()["reason"] is None
    for headers in (s.h(s.referrer), s.h(s.provider_staff)):
        for path in (
            f"/api/v1/referrals/{referral_id}",
            f"/api/v1/referrals/{referral_id}/events",
            "/api/v1/me/notifications",
            "/api/v1/referrals",
        ):
            answer = client.get(path, headers=headers).text
            assert CLIENT_NAME not in answer and CLIENT_PHONE not in answer


def _service(client: TestClient, s: Setup, headers: dict[str, str] | None = None) -> Any:
    return client.get(f"/api/v1/services/{s.service_id}", headers=headers or {})


def test_a_suspended_provider_receives_nothing(client: TestClient, db: Session, s: Setup) -> None:
    """C11: once the provider's COSS membership is suspended its services leave the directory
    and no referral can be created or submitted to them; its staff still see them."""
    w = s.c.w
    draft = make_referral(client, s, submit=False)
    memberships = client.get(
        f"/api/v1/platforms/{w.coss.id}/memberships?limit=200", headers=w.h(w.secretariat)
    ).json()["items"]
    membership = next(m for m in memberships if m["organisation_id"] == str(s.c.provider.id))
    suspended = client.post(
        f"/api/v1/memberships/{membership['id']}/suspend",
        json={"reason": "Licence lapsed"},
        headers=w.h(w.secretariat),
    )
    assert suspended.status_code == 200
    assert_problem(_service(client, s), 404, "not_found")
    directory = client.get(f"/api/v1/services?platform_id={w.coss.id}").json()["items"]
    assert s.service_id not in {item["id"] for item in directory}
    hsds = f"/api/v1/platforms/{w.coss.id}/hsds"
    assert s.service_id not in client.get(f"{hsds}/services").text
    assert client.get(f"{hsds}/services/{s.service_id}").status_code == 404
    package = zipfile.ZipFile(io.BytesIO(client.get(f"{hsds}/datapackage.zip").content))
    assert s.service_id.encode() not in package.read("services.csv")
    assert _service(client, s, s.h(s.provider_staff)).json()["accepts_referrals"] is False
    problem = assert_problem(
        client.post("/api/v1/referrals", json=referral_body(s), headers=s.h(s.referrer)),
        422,
        "validation_failed",
    )
    assert problem["errors"][0]["code"] == "service_not_available"
    assert_problem(
        client.post(f"/api/v1/referrals/{draft['id']}/submit", headers=s.h(s.referrer)),
        422,
        "validation_failed",
    )
    assert (
        client.get(f"/api/v1/referrals/{draft['id']}", headers=s.h(s.referrer)).json()["status"]
        == "draft"
    )


def test_a_provider_without_staff_receives_nothing(
    client: TestClient, db: Session, s: Setup
) -> None:
    """C13: a referral nobody can read would expire unseen: refused until the provider has an
    active staff account (the secretariat invites one)."""
    w = s.c.w
    assert _service(client, s).json()["accepts_referrals"] is True
    draft = make_referral(client, s, submit=False)
    assert (
        client.post(
            f"/api/v1/users/{s.provider_staff.id}/deactivate", headers=w.h(w.admin)
        ).status_code
        == 200
    )
    assert _service(client, s).json()["accepts_referrals"] is False
    for response in (
        client.post("/api/v1/referrals", json=referral_body(s), headers=s.h(s.referrer)),
        client.post(f"/api/v1/referrals/{draft['id']}/submit", headers=s.h(s.referrer)),
    ):
        problem = assert_problem(response, 422, "validation_failed")
        assert problem["errors"][0]["code"] == "provider_unreachable"
    accept(client, invite(client, s.c.provider.id, w.h(w.secretariat), email="desk@provider.org"))
    assert (
        client.post(f"/api/v1/referrals/{draft['id']}/submit", headers=s.h(s.referrer)).status_code
        == 200
    )


def test_a_client_outside_the_coverage_is_referred_with_a_warning(
    client: TestClient, db: Session, s: Setup
) -> None:
    outside = client.post("/api/v1/referrals", json=referral_body(s), headers=s.h(s.referrer))
    assert [w["code"] for w in outside.json()["warnings"]] == ["outside_coverage"]
    village = client.get(f"/api/v1/geography?parent={unit(db, '160201').id}&limit=1").json()
    inside = referral_body(s)
    inside["client"]["village_id"] = village["items"][0]["id"]
    covered = client.post("/api/v1/referrals", json=inside, headers=s.h(s.referrer))
    assert covered.status_code == 201 and covered.json()["warnings"] == []
