"""Conventions that hold on every operation of their kind, walked over the whole API:
every successful GET has an ETag and answers 304 to it; If-Match compares strongly; a
browser can read every answer, the middleware's own errors included."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import auth
from tests.helpers import PUBLIC
from tests.sweeps import operations, records, url_of
from tests.worlds import Board, Setup

ORIGIN = {"Origin": "https://app.example.org"}


def test_every_get_has_an_etag_and_answers_304_to_it(
    app: FastAPI, client: TestClient, db: Session, board: Board, s: Setup
) -> None:
    w = board.w
    found = records(client, db, board, s)
    callers = [auth(w.settings, u) for u in (w.admin, w.secretariat, s.referrer, s.provider_staff)]
    tagged, missed = [], []
    for method, path, _, params in operations(app.openapi()):
        if method != "GET" or path.startswith("/health"):
            continue
        url = url_of(path, params, found)
        # The first caller who may read it: client data only reaches the referral's two sides.
        for headers in [{}, *callers] if ("GET", path) in PUBLIC else callers:
            first = client.get(url, headers=headers)
            if first.status_code == 200:
                break
        if first.status_code != 200:
            missed.append(f"{path}: {first.status_code}")
            continue
        tag = first.headers.get("ETag")
        assert tag, path
        again = client.get(url, headers={**headers, "If-None-Match": tag})
        assert again.status_code == 304, (path, again.status_code)
        assert again.content == b""
        assert again.headers["ETag"] == tag
        # Another tag (or the weak form of a strong one) is compared weakly: W/"x" matches "x".
        other = client.get(url, headers={**headers, "If-None-Match": '"not-it"'})
        assert other.status_code == 200, path
        tagged.append(path)
    # A motion's result exists once the motion is closed; every other GET was read.
    assert missed == ["/api/v1/motions/{motion_id}/result: 409"]
    assert "/api/v1/platforms/{platform_id}/memberships" in tagged
    assert "/api/v1/services" in tagged
    assert "/api/v1/referrals/{referral_id}" in tagged


# Changes that take no If-Match, and why: the record they change has no version.
WITHOUT_IF_MATCH = {
    # The agenda's order names every item exactly once (422 otherwise), so a reorder made on
    # a stale agenda is refused without a version.
    ("PUT", "/api/v1/meetings/{meeting_id}/agenda/order"),
    # A mark of attendance and a score sheet are replaced whole; the last one is the record.
    ("PUT", "/api/v1/meetings/{meeting_id}/attendance/{person_id}"),
    ("PUT", "/api/v1/value-chains/{value_chain_id}/scores"),
    # Consent, a person's account link, a role grant and an invitation are made or ended,
    # never edited: their rows carry no version.
    ("PUT", "/api/v1/referrals/{referral_id}/consent"),
    ("PUT", "/api/v1/people/{person_id}/user"),
    ("DELETE", "/api/v1/people/{person_id}/user"),
    ("DELETE", "/api/v1/users/{user_id}/roles/{grant_id}"),
    ("DELETE", "/api/v1/organisations/{organisation_id}/staff-invitations/{invitation_id}"),
}


def test_every_change_of_a_versioned_record_takes_if_match(app: FastAPI) -> None:
    """Every PATCH, PUT and DELETE documents If-Match and its 412, but the few above."""
    missing = []
    for method, path, operation, _ in operations(app.openapi()):
        if method not in ("PATCH", "PUT", "DELETE") or (method, path) in WITHOUT_IF_MATCH:
            continue
        names = {p["name"] for p in operation.get("parameters", [])}
        if "If-Match" not in names or "412" not in operation["responses"]:
            missing.append(f"{method} {path}")
    assert missing == []
    changes = {
        (method, path)
        for method, path, _, _ in operations(app.openapi())
        if method in ("PATCH", "PUT", "DELETE")
    }
    assert changes >= WITHOUT_IF_MATCH, "an exemption names an operation that is gone"


def test_if_match_compares_strongly(client: TestClient, board: Board) -> None:
    w = board.w
    sec = auth(w.settings, w.secretariat)
    url = f"/api/v1/organisations/{w.org.id}"
    tag = client.get(url, headers=sec).headers["ETag"]
    weak = client.patch(url, json={"acronym": "W"}, headers={**sec, "If-Match": f"W/{tag}"})
    assert weak.status_code == 412, weak.text
    strong = client.patch(url, json={"acronym": "S"}, headers={**sec, "If-Match": tag})
    assert strong.status_code == 200, strong.text


def test_a_browser_can_read_every_answer_the_middleware_errors_included(
    client: TestClient, board: Board
) -> None:
    w = board.w
    sec = auth(w.settings, w.secretariat)
    answers = {
        "413": client.post(
            "/api/v1/people",
            content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
            headers={**sec, **ORIGIN, "Content-Type": "application/json"},
        ),
        "NUL in the URL": client.get("/api/v1/platforms?q=%00", headers=ORIGIN),
        "404": client.get("/api/v1/nowhere", headers=ORIGIN),
        "200": client.get("/api/v1/platforms", headers=ORIGIN),
    }
    for name, answer in answers.items():
        assert answer.headers.get("access-control-allow-origin") == ORIGIN["Origin"], name
        exposed = answer.headers.get("access-control-expose-headers", "")
        for header in ("ETag", "Link", "Retry-After", "X-Request-ID", "Idempotent-Replayed"):
            assert header in exposed, (name, header)
    assert answers["413"].status_code == 413
    assert answers["NUL in the URL"].status_code == 422
