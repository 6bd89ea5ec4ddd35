"""The plased command, run as a real process."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, func, select

from plased.cli import build_parser, main
from plased.config import Settings
from plased.coss.models import Need, Service
from plased.db import make_engine, metadata, utcnow
from plased.governance.models import Meeting, Minutes, Seat
from plased.members.models import Membership, Organisation, Person
from plased.referrals.models import Consent, Referral
from tests.conftest import REPO_ROOT

PLASED = str(Path(sys.executable).with_name("plased"))


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    environment.pop("PLASED_DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [PLASED, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    "command", ["serve", "migrate", "create-admin", "seed-demo", "export-openapi"]
)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: plased" in capsys.readouterr().out


def test_serve_options() -> None:
    args = build_parser().parse_args(["serve", "--demo", "--port", "9000", "--workers", "2"])
    assert (args.demo, args.port, args.workers, args.host) == (True, 9000, 2, "127.0.0.1")


def _row_counts(url: str) -> dict[str, int]:
    engine = make_engine(Settings(database_url=url))
    with Session(engine) as session:
        counts = {
            table.name: session.exec(select(func.count()).select_from(table)).one()
            for table in metadata.sorted_tables
        }
    engine.dispose()
    return counts


def test_seed_demo_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    snapshots = []
    for _ in range(2):
        result = run(["seed-demo"], tmp_path, PLASED_DATABASE_URL=url)
        assert result.returncode == 0, result.stderr
        for login in ("admin", "secretariat", "observer", "cso", "provider"):
            assert f"{login}@demo.plased.org" in result.stdout
        snapshots.append(_row_counts(url))
    assert snapshots[0] == snapshots[1]
    counts = snapshots[0]
    assert counts["platform"] == 2 and counts["user_account"] == 5
    assert counts["organisation"] >= 80 and counts["person"] >= 100
    assert counts["membership"] > counts["organisation"]  # PLASED and COSS memberships


def test_demo_data_shape(tmp_path: Path) -> None:
    """About 40 CSOs in five sectors, about 10 providers, the 10 authorities above communes,
    about half women, memberships in several states."""
    url = f"sqlite:///{tmp_path / 'shape.db'}"
    assert run(["seed-demo"], tmp_path, PLASED_DATABASE_URL=url).returncode == 0
    engine = make_engine(Settings(database_url=url))
    with Session(engine) as session:
        kinds = dict(
            session.exec(select(Organisation.kind, func.count()).group_by(Organisation.kind)).all()
        )
        sectors = session.exec(select(func.count(func.distinct(Organisation.sector)))).one()
        levels = dict(
            session.exec(
                select(Organisation.la_level, func.count()).group_by(Organisation.la_level)
            ).all()
        )
        genders = dict(
            session.exec(select(Person.gender, func.count()).group_by(Person.gender)).all()
        )
        statuses = set(session.exec(select(Membership.status)).all())
        services = session.exec(select(func.count()).select_from(Service)).one()
        needs = session.exec(select(func.count()).select_from(Need)).one()
        referral_statuses = dict(
            session.exec(select(Referral.status, func.count()).group_by(Referral.status)).all()
        )
        overdue = session.exec(
            select(func.count())
            .select_from(Referral)
            .where(Referral.status == "submitted", col(Referral.respond_by) < utcnow())
        ).one()
        seats = session.exec(select(func.count()).select_from(Seat)).one()
        meetings = dict(
            session.exec(select(Meeting.status, func.count()).group_by(Meeting.status)).all()
        )
        published = session.exec(
            select(func.count()).select_from(Minutes).where(Minutes.status == "published")
        ).one()
        without_consent = session.exec(
            select(func.count())
            .select_from(Referral)
            .where(col(Referral.id).not_in(select(Consent.referral_id)))
        ).one()
    engine.dispose()
    assert kinds["cso"] == 40 and kinds["service_provider"] == 10
    assert sectors == 5
    assert levels["provincial"] == 1 and levels["district"] == 9 and levels["commune"] >= 20
    assert 0.4 <= genders["female"] / sum(genders.values()) <= 0.6
    assert {"active", "applied", "suspended", "rejected", "withdrawn"} <= statuses
    assert 25 <= services <= 35 and needs >= 10
    assert 200 <= sum(referral_statuses.values()) <= 400
    assert {"submitted", "accepted", "declined", "completed", "expired"} <= set(referral_statuses)
    assert overdue > 0 and without_consent == 0
    assert seats == 7 and meetings == {"closed": 2, "convened": 1} and published == 2


def test_create_admin(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    assert run(["migrate"], tmp_path, PLASED_DATABASE_URL=url).returncode == 0
    no_password = run(
        ["create-admin", "--email", "a@example.org"], tmp_path, PLASED_DATABASE_URL=url
    )
    assert no_password.returncode != 0 and "PLASED_ADMIN_PASSWORD" in no_password.stderr
    weak = run(
        ["create-admin", "--email", "a@example.org"],
        tmp_path,
        PLASED_DATABASE_URL=url,
        PLASED_ADMIN_PASSWORD="short",
    )
    assert weak.returncode != 0
    ok = run(
        ["create-admin", "--email", "Boss@Example.org"],
        tmp_path,
        PLASED_DATABASE_URL=url,
        PLASED_ADMIN_PASSWORD="a long admin password",
    )
    assert ok.returncode == 0, ok.stderr
    again = run(
        ["create-admin", "--email", "boss@example.org"],
        tmp_path,
        PLASED_DATABASE_URL=url,
        PLASED_ADMIN_PASSWORD="a long admin password",
    )
    assert again.returncode != 0 and "exists" in again.stderr
    assert "a long admin password" not in again.stderr + again.stdout


def test_export_openapi_is_sorted_and_stable(tmp_path: Path) -> None:
    target = tmp_path / "out" / "openapi.json"
    first = run(["export-openapi", "--output", str(target)], tmp_path)
    assert first.returncode == 0, first.stderr
    text = target.read_text(encoding="utf-8")
    assert text == (REPO_ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8")
    assert list(json.loads(text)) == sorted(json.loads(text))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_demo_on_a_fresh_directory(tmp_path: Path) -> None:
    """The README's first command: a fresh directory, demo data, a token that /me accepts."""
    port = _free_port()
    env = {**os.environ}
    env.pop("PLASED_DATABASE_URL", None)
    process = subprocess.Popen(
        [PLASED, "serve", "--demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            pytest.fail("the demo server did not become ready")
        token = httpx.post(
            f"{base}/api/v1/auth/token",
            data={"username": "admin@demo.plased.org", "password": "plased-demo-2024"},
        )
        assert token.status_code == 200, token.text
        me = httpx.get(
            f"{base}/api/v1/me",
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
        )
        assert me.status_code == 200 and me.json()["is_admin"] is True
        assert httpx.get(f"{base}/docs").status_code == 200
        assert (tmp_path / "plased.db").exists()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "admin@demo.plased.org" in output and "/docs" in output
