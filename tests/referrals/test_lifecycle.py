"""Deadlines and expiry, retention and purge."""

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col, select

from plased.db import utcnow
from plased.referrals import retention, workflow
from plased.referrals.models import Client, Referral, ReferralEvent
from tests.helpers import assert_problem
from tests.worlds import CLIENT_NAME, Setup, act, make_referral


def shift(db: Session, referral_id: str, **values: object) -> None:
    db.execute(update(Referral).where(col(Referral.id) == uuid.UUID(referral_id)).values(**values))
    db.commit()


def test_response_deadline_follows_urgency(client: TestClient, s: Setup) -> None:
    for urgency, hours in (("emergency", 24), ("urgent", 72), ("routine", 336)):
        referral = make_referral(client, s, urgency=urgency)
        from datetime import datetime

        gap = datetime.fromisoformat(referral["respond_by"]) - datetime.fromisoformat(
            referral["submitted_at"]
        )
        assert gap == timedelta(hours=hours)


def test_overdue_and_expiry_is_idempotent(client: TestClient, db: Session, s: Setup) -> None:
    late = make_referral(client, s)
    on_time = make_referral(client, s)
    shift(db, late["id"], respond_by=utcnow() - timedelta(hours=1))
    overdue = client.get("/api/v1/referrals?overdue=true", headers=s.h(s.referrer)).json()
    assert [r["id"] for r in overdue["items"]] == [late["id"]]
    assert workflow.expire_overdue(db) == 1
    db.commit()
    assert workflow.expire_overdue(db) == 0
    db.commit()
    got = client.get(f"/api/v1/referrals/{late['id']}", headers=s.h(s.referrer)).json()
    assert got["status"] == "expired"
    assert (
        client.get(f"/api/v1/referrals/{on_time['id']}", headers=s.h(s.referrer)).json()["status"]
        == "submitted"
    )
    notes = client.get("/api/v1/me/notifications", headers=s.h(s.referrer)).json()
    assert [n["kind"] for n in notes["items"]] == ["referral_expired"]
    assert_problem(
        act(client, s, late["id"], "accept", s.provider_staff), 409, "invalid_transition"
    )
    events = db.exec(select(ReferralEvent).where(ReferralEvent.to_status == "expired")).all()
    assert len(events) == 1 and events[0].actor_id is None


def test_purge_erases_client_keeps_facts(client: TestClient, db: Session, s: Setup) -> None:
    old = make_referral(client, s)
    act(client, s, old["id"], "withdraw", s.referrer)
    recent = make_referral(client, s)
    act(client, s, recent["id"], "withdraw", s.referrer)
    still_open = make_referral(client, s)
    shift(db, old["id"], ended_at=utcnow() - timedelta(days=800))
    shift(db, still_open["id"], created_at=utcnow() - timedelta(days=900))
    assert retention.purge(db) == 1  # default: 730 days from the regulations
    db.commit()
    assert retention.purge(db) == 0
    erased = client.get(f"/api/v1/referrals/{old['id']}", headers=s.h(s.referrer)).json()
    assert erased["client"] is None and erased["client_erased_at"]
    assert CLIENT_NAME not in str(erased)
    assert erased["client_gender"] == "female" and erased["client_age_band"] == "18-24"
    assert (
        set(erased["vulnerabilities"]) == {"women", "indigenous", "youth"} and erased["district_id"]
    )
    db.expire_all()
    assert len(db.exec(select(Client)).all()) == 2
    assert retention.purge(db, older_than_days=0) == 1  # the recent one; the open one stays
    db.commit()


def test_cli_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "PLASED_DATABASE_URL": url}
    plased = str(Path(sys.executable).with_name("plased"))
    assert (
        subprocess.run([plased, "migrate"], env=env, capture_output=True, check=False).returncode
        == 0
    )
    expire = subprocess.run(
        [plased, "expire-referrals"], env=env, capture_output=True, text=True, check=False
    )
    assert expire.returncode == 0 and "expired 0 referral(s)" in expire.stdout
    purge = subprocess.run(
        [plased, "purge", "--older-than-days", "30"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert purge.returncode == 0 and "erased the client data of 0 referral(s)" in purge.stdout
    assert "forgot 0 idempotency key(s)" in purge.stdout
