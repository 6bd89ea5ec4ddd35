"""A COSS's indicators: member organisations by kind, services published and the referral
indicators, against referrals made through the API and counted by hand."""

from fastapi.testclient import TestClient

from tests.helpers import assert_problem
from tests.reporting.conftest import assert_no_cell_recoverable, by_code, cells, ok
from tests.worlds import Setup, act, make_referral

NO_REPORTING = {
    "given_by": "self",
    "given_on": "2026-11-20",
    "share_with_provider": True,
    "reporting": False,
}


def test_referral_indicators_hand_counted(client: TestClient, s: Setup) -> None:
    """12 referrals consented for reporting: 7 accepted (5 of them completed), 5 declined.
    One more without consent to reporting and a draft are not counted."""
    made = [make_referral(client, s) for _ in range(12)]
    for referral in made[:7]:
        assert act(client, s, referral["id"], "accept", s.provider_staff).status_code == 200
    for referral in made[:5]:
        assert act(client, s, referral["id"], "start", s.provider_staff).status_code == 200
        done = {"outcome": "Advice given", "services_delivered": "Legal advice"}
        assert act(client, s, referral["id"], "complete", s.provider_staff, done).status_code == 200
    for referral in made[7:]:
        declined = act(
            client, s, referral["id"], "decline", s.provider_staff, {"reason": "out_of_area"}
        )
        assert declined.status_code == 200, declined.text
    make_referral(client, s, consent=NO_REPORTING)
    make_referral(client, s, submit=False)
    w = s.c.w
    url = f"/api/v1/platforms/{w.coss.id}/indicators"
    report = ok(client.get(url, headers=w.h(w.observer)))
    rows = by_code(report)
    assert rows["referrals_made"]["value"] == 12
    assert cells(rows["referrals_made"], "gender") == {"female": 12}
    assert cells(rows["referrals_made"], "district") == {"1605": 12}
    assert cells(rows["referrals_made"], "stakeholder_kind") == {"cso": 12}
    assert rows["referrals_accepted"]["value"] == 7
    assert rows["referrals_completed"]["value"] == 5
    assert rows["referral_acceptance_rate"]["value"] == round(7 / 12, 4)
    assert rows["referral_median_response_hours"]["value"] == 0.0
    overdue = rows["referrals_overdue"]
    assert (overdue["value"], overdue["direction"]) == (0, "down")
    # Two published services (the setup), two providers active in the COSS.
    assert rows["services_published"]["value"] == 2
    assert rows["coss_member_sesps"]["value"] == 2
    assert (rows["coss_member_sesps"]["target"], rows["coss_member_sesps"]["met"]) == (10, False)
    assert rows["coss_member_csos"]["value"] == 0
    assert_no_cell_recoverable(report)
    # The referral statistics honour the same period (it used to be ignored).
    stats = f"/api/v1/platforms/{w.coss.id}/referral-stats"
    assert ok(client.get(f"{stats}?to=2026-11-30", headers=w.h(w.secretariat)))["total"] == 0
    assert_problem(
        client.get(f"{stats}?from=2026-12-31&to=2026-01-01", headers=w.h(w.secretariat)),
        422,
        "validation_failed",
    )


def test_small_referral_parts_are_suppressed(client: TestClient, s: Setup) -> None:
    """6 referrals, 4 accepted and 2 declined: 4 accepted would show 2 declined by
    subtraction, so neither the count nor the rate is published."""
    made = [make_referral(client, s) for _ in range(6)]
    for referral in made[:4]:
        act(client, s, referral["id"], "accept", s.provider_staff)
    for referral in made[4:]:
        act(client, s, referral["id"], "decline", s.provider_staff, {"reason": "out_of_area"})
    w = s.c.w
    rows = by_code(
        ok(client.get(f"/api/v1/platforms/{w.coss.id}/indicators", headers=w.h(w.secretariat)))
    )
    assert rows["referrals_made"]["value"] == 6
    assert rows["referrals_accepted"]["value"] is None and rows["referrals_accepted"]["suppressed"]
    assert rows["referral_acceptance_rate"]["value"] is None
    assert rows["referrals_completed"]["value"] == 0
    assert rows["referral_median_response_hours"]["value"] == 0.0


def test_an_empty_period_is_zero(client: TestClient, s: Setup) -> None:
    make_referral(client, s)
    w = s.c.w
    url = f"/api/v1/platforms/{w.coss.id}/indicators?from=2020-01-01&to=2020-12-31"
    rows = by_code(ok(client.get(url, headers=w.h(w.secretariat))))
    assert rows["referrals_made"]["value"] == 0 and not rows["referrals_made"]["suppressed"]
    assert rows["referral_acceptance_rate"]["value"] is None
    assert rows["referral_median_response_hours"]["value"] is None
