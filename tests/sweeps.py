"""Sweeps over every operation of the API: sample records of every kind, request bodies that
pass validation, and answers compared without their request ids."""

import re
import uuid
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from plased.notifications.worker import Worker
from tests.factories import auth, make_organisation, make_person
from tests.helpers import PUBLIC, admitted
from tests.worlds import PDF, Board, Setup, make_referral, meeting_body, prepared, upload

# Paths whose records are public: a stranger may learn they exist.
PUBLIC_RECORDS = {path for _, path in PUBLIC}
PATTERNS = {
    r"^[a-z0-9][a-z0-9-]{1,39}$": "sweep-code",
    r"^[a-z][a-z0-9_]{1,59}$": "sweep_code",
    r"^[a-z][a-z0-9_]{1,39}$": "sweep_code",
    r"^https://\S{3,490}$": "https://meet.example.org/x",
    r"^\+?[0-9 ()-]{6,30}$": "+855 12 345 678",
    r"^https?://\S{3,290}$": "https://example.org",
    r"^(elected|appointed)$": "appointed",
}


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def example(spec: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A small valid value for a JSON schema (required fields only)."""
    schema = resolve(spec, schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return example(spec, options[0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {name: example(spec, properties[name]) for name in schema.get("required", [])}
    if kind == "array":
        return [example(spec, schema["items"])] if schema.get("minItems") else []
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return min(float(schema.get("maximum", 0.5)), 0.5)
    if kind == "boolean":
        return False
    fmt = schema.get("format")
    if fmt == "uuid":
        return str(uuid.uuid4())
    if fmt == "date":
        return str(date.today())
    if fmt == "date-time":
        return f"{date.today() + timedelta(days=1)}T08:00:00+07:00"
    if fmt == "email":
        return "sweep@example.org"
    if "pattern" in schema:
        return PATTERNS.get(schema["pattern"], "x")
    return "x" * max(int(schema.get("minLength", 1)), 1)


def request_body(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return {"json": example(spec, content["application/json"]["schema"])}
    if "application/x-www-form-urlencoded" in content:
        return {"data": {"username": "sweep@example.org", "password": "a-password"}}
    if content:
        return {"content": b"name,kind\nX,cso\n"}
    return {}


def comparable(response: Any) -> tuple[int, Any]:
    try:
        body = response.json()
    except ValueError:
        return response.status_code, response.content
    if isinstance(body, dict):
        body = {k: v for k, v in body.items() if k not in ("request_id", "instance")}
    return response.status_code, body


def _created(response: Any) -> str:
    assert response.status_code in (200, 201), response.text
    return str(response.json()["id"])


def records(client: TestClient, db: Session, board: Board, s: Setup) -> dict[str, str]:
    """One record of every kind, none of them public, in PLASED X or its COSS."""
    w = board.w
    sec = w.h(w.secretariat)
    mid, motion = prepared(client, board)
    assert client.post(f"/api/v1/meetings/{mid}/start", headers=sec).status_code == 200
    planned = _created(
        client.post(f"/api/v1/bodies/{board.body_id}/meetings", json=meeting_body(), headers=sec)
    )
    planned_item = _created(
        client.post(f"/api/v1/meetings/{planned}/agenda", json={"title": "T"}, headers=sec)
    )
    client.put(f"/api/v1/meetings/{mid}/minutes", json={"text": "Draft"}, headers=sec)
    attachment = _created(upload(client, board, mid, PDF))
    seats = client.get(f"/api/v1/bodies/{board.body_id}/seats", headers=sec).json()
    seat = seats["items"][0]["id"]
    person = make_person(db, w.plased)
    representative = _created(
        client.post(
            f"/api/v1/organisations/{w.org.id}/representatives",
            json={"person_id": str(person.id), "role": "staff"},
            headers=sec,
        )
    )
    membership = client.get(f"/api/v1/platforms/{w.plased.id}/memberships", headers=sec).json()[
        "items"
    ][0]["id"]
    draft_service = _created(
        client.post(
            "/api/v1/services",
            json={
                "platform_id": str(w.coss.id),
                "provider_id": str(s.c.provider.id),
                "category_id": str(s.c.categories["credit"].id),
                "name": "Draft service",
            },
            headers=sec,
        )
    )
    quiet = make_organisation(db, w.plased, name="Organisation without staff")
    invitation = _created(
        client.post(
            f"/api/v1/organisations/{quiet.id}/staff-invitations",
            json={"email": "sweep-invitee@example.org", "full_name": "Invitee"},
            headers=sec,
        )
    )
    referral = make_referral(client, s)["id"]
    notification = client.get("/api/v1/me/notifications", headers=s.h(s.provider_staff)).json()
    grant_id = client.get(f"/api/v1/users/{w.observer.id}", headers=w.h(w.admin)).json()
    criterion = _created(
        client.post(
            f"/api/v1/platforms/{w.plased.id}/value-chain-criteria",
            json={"code": "market_access", "name": "Market access", "weight": 1},
            headers=sec,
        )
    )
    chain = _created(
        client.post(
            f"/api/v1/platforms/{w.plased.id}/value-chains", json={"name": "Cashew"}, headers=sec
        )
    )
    scored = client.put(
        f"/api/v1/value-chains/{chain}/scores",
        json={"scores": [{"criterion_id": criterion, "score": 4}]},
        headers=sec,
    )
    assert scored.status_code == 200, scored.text
    _created(
        client.post(
            f"/api/v1/value-chains/{chain}/prioritise", json={"reason": "First"}, headers=sec
        )
    )
    _created(client.post(f"/api/v1/value-chains/{chain}/focus-group", json={}, headers=sec))
    strategy = _created(
        client.post(f"/api/v1/value-chains/{chain}/strategies", json={}, headers=sec)
    )
    step = _created(
        client.post(f"/api/v1/strategies/{strategy}/steps", json={"kind": "diagnosis"}, headers=sec)
    )
    objective = _created(
        client.post(
            f"/api/v1/strategies/{strategy}/objectives", json={"title": "Prices"}, headers=sec
        )
    )
    action = _created(
        client.post(
            f"/api/v1/objectives/{objective}/actions",
            json={"title": "Collective selling", "owner_organisation_id": str(w.org.id)},
            headers=sec,
        )
    )
    document = _created(
        client.post(
            f"/api/v1/strategies/{strategy}/documents",
            content=PDF,
            headers={**sec, "Content-Type": "application/octet-stream"},
        )
    )
    initiative = _created(
        client.post(
            f"/api/v1/platforms/{w.plased.id}/initiatives",
            json={
                "title": "Feeder roads to the cashew collection points",
                "kind": "advocacy",
                "lead_organisation_id": str(w.org.id),
                "value_chain_id": chain,
            },
            headers=sec,
        )
    )
    milestone = _created(
        client.post(
            f"/api/v1/initiatives/{initiative}/milestones",
            json={"title": "Statutes", "due_on": "2030-01-01"},
            headers=sec,
        )
    )
    coach = _created(
        client.post(
            "/api/v1/people",
            json={
                "platform_id": str(w.plased.id),
                "full_name": "Coach Sophal",
                "gender": "male",
            },
            headers=sec,
        )
    )
    coaching = client.post(
        f"/api/v1/initiatives/{initiative}/coaching-sessions",
        json={
            "held_on": "2026-01-15",
            "coach_person_id": coach,
            "follow_ups": [
                {
                    "title": "Bank account",
                    "owner_organisation_id": str(w.org.id),
                    "due_on": "2030-01-01",
                }
            ],
        },
        headers=sec,
    )
    assert coaching.status_code == 201, coaching.text
    districts = client.get("/api/v1/geography", params={"level": "district", "limit": 100})
    authority = admitted(
        client,
        sec,
        [str(w.plased.id)],
        platform_id=str(w.plased.id),
        name="Lumphat District Administration",
        kind="local_authority",
        la_level="district",
        unit_id=next(u["id"] for u in districts.json()["items"] if u["code"] == "1605"),
    )
    advocacy = client.put(
        f"/api/v1/initiatives/{initiative}/advocacy",
        json={"target_organisation_id": authority, "issue": "Feeder roads", "channel": "letter"},
        headers=sec,
    )
    assert advocacy.status_code == 201, advocacy.text
    commitment = _created(
        client.post(
            f"/api/v1/platforms/{w.plased.id}/commitments",
            json={
                "text": "Grade the road",
                "owner_organisation_id": authority,
                "made_on": "2026-01-15",
                "initiative_id": initiative,
            },
            headers=sec,
        )
    )
    cbo = _created(
        client.post(
            "/api/v1/organisations",
            json={
                "platform_id": str(w.plased.id),
                "name": "Sweep Village Savings Group",
                "kind": "cso",
                "sector": "cbo",
            },
            headers=sec,
        )
    )
    profiled = client.put(
        f"/api/v1/organisations/{cbo}/cbo-profile",
        json={"village_id": s.village_id, "members_count": 20, "women_members": 12},
        headers=sec,
    )
    assert profiled.status_code == 200, profiled.text
    campaign = _created(
        client.post(
            f"/api/v1/platforms/{w.plased.id}/mapping-campaigns",
            json={
                "name": "Lumphat mapping",
                "starts_on": "2026-01-05",
                "village_ids": [s.village_id],
                "cbo_ids": [cbo],
            },
            headers=sec,
        )
    )
    plan = _created(
        client.post(
            f"/api/v1/organisations/{cbo}/advocacy-plans",
            json={
                "issue": "A well for the village",
                "target_body": "Ministry of Rural Development",
            },
            headers=sec,
        )
    )
    plan_item = _created(
        client.post(
            f"/api/v1/platforms/{w.plased.id}/action-plan",
            json={
                "title": "Train cashew producer groups",
                "owner_organisation_id": str(w.org.id),
                "due_on": "2030-01-01",
                "strategy_action_id": action,
            },
            headers=sec,
        )
    )
    snapshot = _created(
        client.post(
            f"/api/v1/platforms/{w.plased.id}/indicator-snapshots",
            json={"title": "Sweep snapshot", "period_from": "2026-01-01"},
            headers=sec,
        )
    )
    subscription = _created(
        client.post(
            "/api/v1/webhooks",
            json={
                "url": "http://127.0.0.1:9/sweep",  # never called: no worker delivers here
                "event_types": ["meeting.convened", "meeting.in_progress"],
                "platform_id": str(w.plased.id),
            },
            headers=sec,
        )
    )
    dispatcher = Worker(db.get_bind())  # type: ignore[arg-type]
    try:
        dispatcher.dispatch()  # deliveries are made by the worker, never through the API
    finally:
        dispatcher.close()
    delivery = client.get(f"/api/v1/webhooks/{subscription}/deliveries", headers=sec).json()
    hsds = f"/api/v1/platforms/{w.coss.id}/hsds"
    return {
        "subscription_id": subscription,
        "delivery_id": delivery["items"][0]["id"],
        # The HSDS profile publishes only a COSS platform's directory: its own sample records.
        "hsds_platform_id": str(w.coss.id),
        "hsds_service_id": s.service_id,
        "hsds_organization_id": str(s.c.provider.id),
        "hsds_taxonomy_id": client.get(f"{hsds}/taxonomies").json()["contents"][0]["id"],
        "hsds_term_id": client.get(f"{hsds}/taxonomy_terms").json()["contents"][0]["id"],
        "platform_id": str(w.plased.id),
        "organisation_id": str(w.org.id),
        "person_id": str(person.id),
        "representative_id": representative,
        "membership_id": membership,
        "body_id": board.body_id,
        "seat_id": seat,
        "meeting_id": mid,
        "item_id": planned_item,
        "motion_id": motion,
        "attachment_id": attachment,
        "service_id": draft_service,
        "category_id": str(s.c.categories["credit"].id),
        "referral_id": referral,
        "user_id": str(w.observer.id),
        "grant_id": grant_id["roles"][0]["id"],
        "invitation_id": invitation,
        "notification_id": notification["items"][0]["id"],
        "value_chain_id": chain,
        "criterion_id": criterion,
        "strategy_id": strategy,
        "step_id": step,
        "objective_id": objective,
        "action_id": action,
        "document_id": document,
        "initiative_id": initiative,
        "milestone_id": milestone,
        "session_id": coaching.json()["id"],
        "follow_up_id": coaching.json()["follow_ups"][0]["id"],
        "commitment_id": commitment,
        "cbo_id": cbo,
        "campaign_id": campaign,
        "plan_id": plan,
        "plan_item_id": plan_item,
        "snapshot_id": snapshot,
    }


def valid_bodies(client: TestClient, found: dict[str, str], s: Setup) -> dict[str, dict[str, Any]]:
    """Bodies for the creating POSTs whose platform is in the body, not the path, and for
    writes whose body the generic example cannot make valid."""
    w = s.c.w
    regulations = client.get(
        f"/api/v1/platforms/{found['platform_id']}/regulations",
        headers=auth(w.settings, w.secretariat),
    ).json()
    fields = [
        "quorum",
        "majority_rules",
        "board_term_months",
        "min_women_share",
        "membership_requires_approval",
        "referral_response_hours",
        "data_retention_days",
        "youth_min_age",
        "youth_max_age",
    ]
    return {
        "/api/v1/platforms/{platform_id}/regulations": {f: regulations[f] for f in fields},
        "/api/v1/organisations": {
            "platform_id": found["platform_id"],
            "name": "Archived Times Network",
            "kind": "cso",
            "sector": "cbo",
        },
        "/api/v1/people": {
            "platform_id": found["platform_id"],
            "full_name": "Archived Person",
            "gender": "female",
        },
        "/api/v1/services": {
            "platform_id": str(w.coss.id),
            "provider_id": str(s.c.provider.id),
            "category_id": found["category_id"],
            "name": "Archived service",
        },
        "/api/v1/referrals": {
            "service_id": s.service_id,
            "client": {"full_name": "Someone", "gender": "female"},
        },
        # Exactly one target: the generic example names both or neither.
        "/api/v1/initiatives/{initiative_id}/advocacy": {
            "target_body": "Ministry of Rural Development",
            "issue": "Feeder roads",
            "channel": "letter",
        },
    }


# Path parameters that are not record ids.
FIXED = {"indicator_code": "people_engaged"}


def url_of(path: str, params: list[str], found: dict[str, str]) -> str:
    """The path with each parameter filled from ``records`` (``x`` where none fits)."""
    if "/hsds/" in path:
        return path.format(**{p: found.get(f"hsds_{p}", "x") for p in params})
    return path.format(**{p: FIXED.get(p, found.get(p, "x")) for p in params})


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], list[str]]]:
    """(method, path, operation, path parameters) of every operation."""
    return [
        (method.upper(), path, operation, re.findall(r"\{([^}]+)\}", path))
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    ]
