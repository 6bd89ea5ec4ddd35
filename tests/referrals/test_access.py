"""The access matrix: caller × endpoint → status and presence of client data."""

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from plased.referrals.models import ClientDataAccess
from tests.helpers import assert_problem
from tests.worlds import CLIENT_NAME, CLIENT_PHONE, Setup, act, make_referral


def callers(s: Setup) -> dict[str, object]:
    w = s.c.w
    return {
        "referrer": s.referrer,
        "provider": s.provider_staff,
        "other_cso": s.other_cso_staff,
        "other_provider": s.other_provider_staff,
        "secretariat": w.secretariat,
        "observer": w.observer,
        "admin": w.admin,
        "anonymous": None,
    }


# caller -> (GET status, client data visible, in list, list status)
EXPECTED = {
    "referrer": (200, True, True, 200),
    "provider": (200, True, True, 200),
    "other_cso": (404, False, False, 200),
    "other_provider": (404, False, False, 200),
    "secretariat": (404, False, False, 403),
    "observer": (404, False, False, 403),
    "admin": (404, False, False, 403),
    "anonymous": (401, False, False, 401),
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_matrix_read(client: TestClient, s: Setup, who: str) -> None:
    referral = make_referral(client, s)
    user = callers(s)[who]
    headers = s.h(user) if user else {}  # type: ignore[arg-type]
    get_status, sees_client, listed, list_status = EXPECTED[who]
    single = client.get(f"/api/v1/referrals/{referral['id']}", headers=headers)
    assert single.status_code == get_status, single.text
    assert (CLIENT_NAME in single.text) is sees_client
    assert (CLIENT_PHONE in single.text) is sees_client
    if get_status == 404:
        missing = client.get(f"/api/v1/referrals/{uuid.uuid4()}", headers=headers)
        strip = lambda r: {k: v for k, v in r.json().items() if k not in ("request_id", "instance")}  # noqa: E731
        assert strip(single) == strip(missing)  # no hint that it exists
    events = client.get(f"/api/v1/referrals/{referral['id']}/events", headers=headers)
    assert events.status_code == get_status
    assert CLIENT_NAME not in events.text
    listing = client.get("/api/v1/referrals", headers=headers)
    assert listing.status_code == list_status
    if list_status == 200:
        ids = [r["id"] for r in listing.json()["items"]]
        assert (referral["id"] in ids) is listed
        assert (CLIENT_NAME in listing.text) is sees_client
        # Filters never widen what one may see.
        for direction in ("sent", "received"):
            widened = client.get(f"/api/v1/referrals?direction={direction}", headers=headers).json()
            assert {r["id"] for r in widened["items"]} <= set(ids)


@pytest.mark.parametrize(
    ("who", "action", "expected"),
    [
        ("referrer", "accept", 403),
        ("other_cso", "accept", 404),
        ("other_provider", "accept", 404),
        ("secretariat", "accept", 404),
        ("observer", "accept", 404),
        ("admin", "withdraw", 404),
        ("anonymous", "accept", 401),
        ("provider", "withdraw", 403),
        ("other_provider", "withdraw", 404),
        ("provider", "accept", 200),
        ("referrer", "withdraw", 200),
    ],
)
def test_matrix_actions(client: TestClient, s: Setup, who: str, action: str, expected: int) -> None:
    referral = make_referral(client, s)
    user = callers(s)[who]
    response = client.post(
        f"/api/v1/referrals/{referral['id']}/{action}",
        headers=s.h(user) if user else {},  # type: ignore[arg-type]
    )
    assert response.status_code == expected, response.text
    assert CLIENT_NAME not in response.text or expected == 200


def test_provider_never_sees_drafts(client: TestClient, s: Setup) -> None:
    draft = make_referral(client, s, submit=False)
    assert_problem(
        client.get(f"/api/v1/referrals/{draft['id']}", headers=s.h(s.provider_staff)),
        404,
        "not_found",
    )
    assert client.get("/api/v1/referrals", headers=s.h(s.provider_staff)).json()["total"] == 0


def test_reads_of_client_data_are_recorded(client: TestClient, db: Session, s: Setup) -> None:
    referral = make_referral(client, s)
    db.expire_all()
    before = len(db.exec(select(ClientDataAccess)).all())
    client.get(f"/api/v1/referrals/{referral['id']}", headers=s.h(s.provider_staff))
    client.get("/api/v1/referrals", headers=s.h(s.referrer))
    client.get(f"/api/v1/referrals/{referral['id']}", headers=s.h(s.other_cso_staff))  # 404
    db.expire_all()
    rows = db.exec(select(ClientDataAccess).order_by(ClientDataAccess.accessed_at)).all()[before:]
    assert [(r.user_id, r.via) for r in rows] == [
        (s.provider_staff.id, "read"),
        (s.referrer.id, "list"),
    ]


def test_consent_withdrawal_hides_client_from_provider(client: TestClient, s: Setup) -> None:
    referral = make_referral(client, s)
    assert act(client, s, referral["id"], "accept", s.provider_staff).status_code == 200
    withdrawn = client.post(
        f"/api/v1/referrals/{referral['id']}/consent/withdraw", headers=s.h(s.referrer)
    )
    assert withdrawn.status_code == 200
    assert (
        withdrawn.json()["status"] == "withdrawn"
        and withdrawn.json()["client"]["full_name"] == CLIENT_NAME
    )
    seen = client.get(f"/api/v1/referrals/{referral['id']}", headers=s.h(s.provider_staff))
    assert (
        seen.status_code == 200
        and seen.json()["client"] is None
        and seen.json()["client_visible"] is False
    )
    assert CLIENT_NAME not in seen.text and CLIENT_PHONE not in seen.text
    assert_problem(
        client.post(
            f"/api/v1/referrals/{referral['id']}/consent/withdraw", headers=s.h(s.referrer)
        ),
        422,
        "no_consent",
    )
    assert_problem(
        client.post(
            f"/api/v1/referrals/{referral['id']}/consent/withdraw", headers=s.h(s.provider_staff)
        ),
        403,
        "forbidden",
    )


def test_consent_withdrawal_during_delivery_closes(client: TestClient, s: Setup) -> None:
    referral = make_referral(client, s)
    act(client, s, referral["id"], "accept", s.provider_staff)
    act(client, s, referral["id"], "start", s.provider_staff)
    ended = client.post(
        f"/api/v1/referrals/{referral['id']}/consent/withdraw", headers=s.h(s.referrer)
    )
    assert ended.json()["status"] == "closed"
