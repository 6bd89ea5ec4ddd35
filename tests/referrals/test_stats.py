"""Statistics: counts for the secretariat, small cells suppressed, no client identifiable."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.helpers import assert_problem
from tests.worlds import CLIENT_NAME, CLIENT_PHONE, Setup, act, make_referral


def test_stats_suppress_small_cells(client: TestClient, db: Session, s: Setup) -> None:
    made = [make_referral(client, s) for _ in range(6)]
    for referral in made[:5]:
        act(client, s, referral["id"], "accept", s.provider_staff)
    act(client, s, made[5]["id"], "decline", s.provider_staff, {"reason": "out_of_area"})
    emergency = make_referral(client, s, urgency="emergency")
    no_reporting = make_referral(
        client,
        s,
        consent={
            "given_by": "self",
            "given_on": "2026-11-20",
            "share_with_provider": True,
            "reporting": False,
        },
    )
    url = f"/api/v1/platforms/{s.c.w.coss.id}/referral-stats"
    response = client.get(url, headers=s.h(s.c.w.secretariat))
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["total"] == 7  # the one without consent to reporting is not counted
    # Declined 1 and submitted 1: two hidden cells holding 2 people would be 1 and 1, so the
    # accepted cell is hidden with them (the hidden cells must hold at least 5).
    statuses = {c["key"]: c["count"] for c in data["by_status"]}
    assert statuses == {"accepted": None, "declined": None, "submitted": None}
    assert all(c["suppressed"] is (c["count"] is None) for c in data["by_status"])
    # One emergency of seven: hiding it alone would leave 7 - 6 = 1 in plain sight, so the
    # other cell is hidden with it (complementary suppression).
    urgencies = {c["key"]: c["count"] for c in data["by_urgency"]}
    assert urgencies == {"emergency": None, "urgent": None}
    assert {c["key"]: c["count"] for c in data["by_gender"]} == {"female": 7}
    assert {c["key"]: c["count"] for c in data["by_vulnerability"]}["indigenous"] == 7
    assert data["acceptance_rate"] == round(5 / 6, 3)
    assert data["median_hours_to_respond"] is not None
    assert data["median_hours_to_complete"] is None  # fewer than 5 completed
    text = response.text
    assert CLIENT_NAME not in text and CLIENT_PHONE not in text and "ស្រីនាង" not in text
    for referral in (*made, emergency, no_reporting):
        assert referral["id"] not in text


def test_stats_access(client: TestClient, s: Setup) -> None:
    url = f"/api/v1/platforms/{s.c.w.coss.id}/referral-stats"
    assert_problem(client.get(url), 401, "not_authenticated")
    for user in (s.c.w.observer, s.referrer, s.provider_staff):
        assert_problem(client.get(url, headers=s.h(user)), 403, "forbidden")
    assert_problem(client.get(url, headers=s.h(s.c.w.stranger)), 404, "not_found")
    empty = client.get(url, headers=s.h(s.c.w.secretariat)).json()
    assert empty["total"] == 0 and empty["acceptance_rate"] is None
