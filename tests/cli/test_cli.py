"""The plased command, run as a real process."""

import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, func, select

from plased.auth.models import PlatformRole, User
from plased.cli import build_parser, main
from plased.config import Settings
from plased.coss.models import Need, Service, ServiceCategory
from plased.db import make_engine, metadata, utcnow
from plased.governance.models import Attendance, Ballot, Body, Meeting, Minutes, Motion, Seat
from plased.members.models import AdminUnit, Membership, Organisation, Person
from plased.platforms.models import Platform
from plased.referrals.models import Consent, Referral
from plased.reporting import catalogue, indicators
from plased.reporting.models import IndicatorSnapshot
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
    "command", ["serve", "migrate", "create-admin", "seed-demo", "worker", "export-openapi"]
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


DEMO_LOGINS = ("admin", "secretariat", "observer", "member", "cso", "provider", "gbv")


def test_seed_demo_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    snapshots = []
    for _ in range(2):
        result = run(["seed-demo"], tmp_path, PLASED_DATABASE_URL=url)
        assert result.returncode == 0, result.stderr
        for login in DEMO_LOGINS:
            assert f"{login}@demo.plased.org" in result.stdout
        snapshots.append(_row_counts(url))
    assert snapshots[0] == snapshots[1]
    counts = snapshots[0]
    # admin, secretariat, observer, the board member, the CSO and one per provider
    assert counts["platform"] == 2 and counts["user_account"] == 15
    assert counts["organisation"] >= 110 and counts["person"] >= 200
    assert counts["membership"] > counts["organisation"]  # PLASED and COSS memberships


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    directory = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{directory / 'shape.db'}"
    result = run(["seed-demo"], directory, PLASED_DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    return url


def _active(session: Session, code: str) -> list[Organisation]:
    """The organisations with an active membership of the platform with this code."""
    return list(
        session.exec(
            select(Organisation)
            .join(Membership, col(Membership.organisation_id) == Organisation.id)
            .join(Platform, col(Platform.id) == Membership.platform_id)
            .where(Platform.code == code, Membership.status == "active")
        ).all()
    )


def test_demo_data_shape(demo_url: str) -> None:
    """The programme's numbers, live: 40 CSOs (15/3/5/12/5), 60 authorities (1/9/50) and 10
    providers, all active members of PLASED (and 8 CBOs found by community mapping, registered
    but not members); COSS with at least 20 CSOs, the 10 providers and
    10 authorities; about half women; memberships in several states."""
    engine = make_engine(Settings(database_url=demo_url))
    with Session(engine) as session:
        kinds = dict(
            session.exec(select(Organisation.kind, func.count()).group_by(Organisation.kind)).all()
        )
        plased = _active(session, "plased-ratanakiri")
        coss = _active(session, "coss-ratanakiri")
        communes = set(session.exec(select(AdminUnit.id).where(AdminUnit.level == "commune")))
        genders = dict(
            session.exec(select(Person.gender, func.count()).group_by(Person.gender)).all()
        )
        statuses = set(session.exec(select(Membership.status)).all())
        coss_applied = session.exec(
            select(func.count())
            .select_from(Membership)
            .join(Platform, col(Platform.id) == Membership.platform_id)
            .where(Platform.code == "coss-ratanakiri", Membership.status == "applied")
        ).one()
        services = session.exec(select(func.count()).select_from(Service)).one()
        needs = session.exec(select(func.count()).select_from(Need)).one()
        seats = session.exec(
            select(func.count())
            .select_from(Seat)
            .join(Body, col(Body.id) == Seat.body_id)
            .where(Body.kind == "executive_board")
        ).one()
        meetings = dict(
            session.exec(
                select(Meeting.status, func.count())
                .join(Body, col(Body.id) == Meeting.body_id)
                .where(Body.kind == "executive_board", Meeting.kind == "board")
                .group_by(Meeting.status)
            ).all()
        )
        published = session.exec(
            select(func.count()).select_from(Minutes).where(Minutes.status == "published")
        ).one()
    engine.dispose()
    assert kinds["cso"] == 48 and kinds["service_provider"] == 10
    assert kinds["local_authority"] == 60
    sectors = Counter(o.sector for o in plased if o.kind == "cso")
    assert sectors == {
        "agriculture": 15,
        "environment": 3,
        "indigenous": 5,
        "social_development": 12,
        "cbo": 5,
    }
    levels = Counter(o.la_level for o in plased if o.kind == "local_authority")
    assert levels == {"provincial": 1, "district": 9, "commune": 50}
    # Every commune and sangkat has its council.
    assert {o.unit_id for o in plased if o.la_level == "commune"} == communes
    assert sum(o.kind == "service_provider" for o in plased) == 10
    in_coss = Counter(o.kind for o in coss)
    assert in_coss["cso"] >= 20 and in_coss["service_provider"] == 10
    assert in_coss["local_authority"] >= 10 and coss_applied >= 1
    assert {o.id for o in coss} <= {o.id for o in plased}  # COSS needs PLASED
    assert 0.4 <= genders["female"] / sum(genders.values()) <= 0.6
    assert {"active", "applied", "suspended", "rejected", "withdrawn"} <= statuses
    assert 25 <= services <= 35 and needs >= 10
    assert seats == 7 and meetings == {"closed": 2, "convened": 1} and published == 2


def test_demo_data_is_bilingual_and_placed(demo_url: str) -> None:
    """Khmer names everywhere; every CSO, authority and provider in a unit its name does not
    contradict, with an address; both spellings of the provincial town."""
    engine = make_engine(Settings(database_url=demo_url))
    with Session(engine) as session:
        organisations = session.exec(select(Organisation)).all()
        people = session.exec(select(Person)).all()
        services = session.exec(select(Service)).all()
        units = {u.id: u for u in session.exec(select(AdminUnit)).all()}
    engine.dispose()
    assert all(o.name_km for o in organisations)
    assert all(p.name_km for p in people)
    assert all(s.name_km and s.description for s in services)
    assert not any("offered by" in (s.description or "") for s in services)
    programme = [
        o for o in organisations if o.kind in ("cso", "local_authority", "service_provider")
    ]
    assert all(o.unit_id in units and o.address for o in programme)
    yeak_laom = [o for o in organisations if "Yeak Laom" in o.name and o.kind == "cso"]
    assert yeak_laom
    assert all(units[o.unit_id].code.startswith("1602") for o in yeak_laom if o.unit_id)
    names = [o.name for o in organisations] + [u.name for u in units.values()]
    assert any("Banlung" in name for name in names)
    assert any("Ban Lung" in name for name in names)


def test_demo_users_and_board(demo_url: str) -> None:
    """Every provider has an active staff administrator (referrals need a receiver); the
    board member's account acts as a seat holder of an active member organisation."""
    engine = make_engine(Settings(database_url=demo_url))
    with Session(engine) as session:
        providers = session.exec(
            select(Organisation).where(Organisation.kind == "service_provider")
        ).all()
        staffed = set(
            session.exec(
                select(User.organisation_id).where(
                    col(User.is_active).is_(True), col(User.is_org_admin).is_(True)
                )
            ).all()
        )
        gbv = session.exec(select(User).where(User.email == "gbv@demo.plased.org")).one()
        gbv_org = session.get(Organisation, gbv.organisation_id)
        member = session.exec(select(User).where(User.email == "member@demo.plased.org")).one()
        roles = session.exec(select(PlatformRole).where(PlatformRole.user_id == member.id)).all()
        person = session.exec(select(Person).where(Person.user_id == member.id)).one()
        today = utcnow().date()
        seat = session.exec(
            select(Seat)
            .join(Body, col(Body.id) == Seat.body_id)
            .where(Body.kind == "executive_board", Seat.person_id == person.id)
            .where(col(Seat.term_start) <= today, col(Seat.term_end) >= today)
        ).first()
        board_seats = (
            select(Seat)
            .join(Body, col(Body.id) == Seat.body_id)
            .where(Body.kind == "executive_board")
        )
        board = {s.organisation_id for s in session.exec(board_seats).all()}
        active = {o.id for o in _active(session, "plased-ratanakiri")}
        voted = set(session.exec(select(Ballot.motion_id, Ballot.voter_person_id)).all())
        present = set(
            session.exec(
                select(Motion.id, Attendance.person_id)
                .join(Attendance, col(Attendance.meeting_id) == Motion.meeting_id)
                .where(Attendance.status == "present")
            ).all()
        )
        women = session.exec(
            select(func.count())
            .select_from(Seat)
            .join(Body, col(Body.id) == Seat.body_id)
            .join(Person, col(Person.id) == Seat.person_id)
            .where(Body.kind == "executive_board", Person.gender == "female")
        ).one()
    engine.dispose()
    assert all(p.id in staffed for p in providers)
    assert gbv_org is not None and gbv_org.name == "Women's Counselling Service"
    assert member.organisation_id is None and not roles and not member.is_admin
    assert seat is not None
    assert board <= active  # every seat votes
    assert voted and voted <= present  # only voters marked present voted
    assert women == 4


def test_demo_referrals(demo_url: str) -> None:
    """300 referrals whose services answer the clients' needs, from active members that are
    not providers, to providers active in COSS; the demo users each see a good share."""
    engine = make_engine(Settings(database_url=demo_url))
    with Session(engine) as session:
        referrals = session.exec(select(Referral)).all()
        categories = {c.id: c.code for c in session.exec(select(ServiceCategory)).all()}
        cso = session.exec(select(User).where(User.email == "cso@demo.plased.org")).one()
        provider = session.exec(select(User).where(User.email == "provider@demo.plased.org")).one()
        providers = {o.id for o in _active(session, "coss-ratanakiri")}
        kinds = {o.id: o.kind for o in session.exec(select(Organisation)).all()}
        overdue = session.exec(
            select(func.count())
            .select_from(Referral)
            .where(Referral.status == "submitted", col(Referral.respond_by) < utcnow())
        ).one()
        without_consent = session.exec(
            select(func.count())
            .select_from(Referral)
            .where(col(Referral.id).not_in(select(Consent.referral_id)))
        ).one()
    engine.dispose()
    assert 200 <= len(referrals) <= 400
    assert {r.status for r in referrals} >= {
        "submitted",
        "accepted",
        "declined",
        "completed",
        "expired",
        "in_progress",
        "closed",
        "withdrawn",
    }
    assert overdue > 0 and without_consent == 0
    assert sum(r.from_organisation_id == cso.organisation_id for r in referrals) >= 50
    assert sum(r.provider_id == provider.organisation_id for r in referrals) >= 50
    assert all(r.provider_id in providers for r in referrals)
    assert all(kinds[r.from_organisation_id] != "service_provider" for r in referrals)
    survivors = [
        categories[r.category_id] for r in referrals if "gbv_survivor" in r.vulnerabilities
    ]
    care = ("gbv_response", "counselling", "legal_representation", "legal_counselling")
    assert survivors and all(code in care for code in survivors)
    assert (
        Counter(survivors)["gbv_response"] + Counter(survivors)["counselling"] > len(survivors) / 2
    )


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


def test_worker_runs_a_round(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'worker.db'}"
    assert run(["migrate"], tmp_path, PLASED_DATABASE_URL=url).returncode == 0
    once = run(["worker", "--once"], tmp_path, PLASED_DATABASE_URL=url)
    assert once.returncode == 0, once.stderr
    assert "handled 0" in once.stdout


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


def test_demo_value_chains(demo_url: str) -> None:
    """Six chains ranked, four prioritised with focus groups, one dropped; the non-timber
    forest products group is short of women and members, so its composition warns."""
    from plased.access import load_access
    from plased.auth.models import User
    from plased.valuechains import chains, focus_groups
    from plased.valuechains.models import ValueChain

    engine = make_engine(Settings(database_url=demo_url))
    with Session(engine) as session:
        admin = session.exec(select(User).where(User.email == "admin@demo.plased.org")).one()
        access = load_access(session, admin)
        plased = session.exec(select(Platform).where(Platform.code == "plased-ratanakiri")).one()
        ranking = chains.ranking(session, access=access, platform_id=plased.id)
        groups = {
            c.name: focus_groups.composition(session, access=access, value_chain_id=c.id)
            for c in session.exec(select(ValueChain)).all()
            if c.focus_group_id is not None
        }
    engine.dispose()
    assert len(ranking.chains) == 6 and all(c.score is not None for c in ranking.chains)
    assert all(c.scorers == 4 for c in ranking.chains)
    statuses = sorted(c.status for c in ranking.chains)
    assert statuses == ["candidate", "dropped", *["prioritised"] * 4]
    assert ranking.warnings == [] and ranking.chains[0].name == "Cashew"
    assert {name: g.members for name, g in groups.items()} == {
        "Cashew": 15,
        "Cassava": 15,
        "Lowland rice": 14,
        "Non-timber forest products": 11,
    }
    short = [w.code for w in groups["Non-timber forest products"].warnings]
    assert "women_share_below_minimum" in short and "below_target_size" in short
    assert "women_share_below_minimum" not in [w.code for w in groups["Cashew"].warnings]


def test_demo_strategies(demo_url: str) -> None:
    """Two strategies drafted in their focus groups' meetings: cashew published on the
    board's motion, with 15 participants of whom 7 women; cassava drafting, short of
    participants; actions in every state."""
    from plased.access import load_access
    from plased.auth.models import User
    from plased.valuechains import strategies
    from plased.valuechains.models import Strategy, StrategyEvent

    engine = make_engine(Settings(database_url=demo_url))
    with Session(engine) as session:
        admin = session.exec(select(User).where(User.email == "admin@demo.plased.org")).one()
        access = load_access(session, admin)
        found = list(session.exec(select(Strategy).order_by(col(Strategy.title))).all())
        shown = strategies.present_all(session, found)
        history = {
            s.title: [
                e.to_status for e in strategies.history(session, access=access, strategy_id=s.id)
            ]
            for s in found
        }
        assert session.exec(select(StrategyEvent)).all()
    engine.dispose()
    cashew, cassava = shown
    assert (cashew.status, cassava.status) == ("published", "drafting")
    assert cashew.validation_motion_id is not None
    assert history[cashew.title] == ["drafting", "validated", "published"]
    assert history[cassava.title] == ["drafting"]
    assert [s.kind for s in cashew.steps] == [
        "diagnosis", "vision", "objectives", "actions", "validation"
    ]  # fmt: skip
    assert (cashew.participation.participants, cashew.participation.women) == (15, 7)
    assert cashew.participation.warnings == []
    assert cassava.participation.participants == 14
    assert [w.code for w in cassava.participation.warnings] == ["participants_below_target"]
    states = {a.status for s in shown for o in s.objectives for a in o.actions}
    assert states == {"planned", "in_progress", "done", "dropped"}


def test_demo_initiatives(demo_url: str) -> None:
    """Four initiatives in four states; the cashew association in progress with an overdue
    milestone and coaching; the feeder road's authority made a commitment."""
    from plased.access import load_access
    from plased.auth.models import User
    from plased.initiatives import advocacy, coaching, service
    from plased.initiatives.models import Commitment, Initiative

    engine = make_engine(Settings(database_url=demo_url))
    with Session(engine) as session:
        admin = session.exec(select(User).where(User.email == "admin@demo.plased.org")).one()
        access = load_access(session, admin)
        found = list(session.exec(select(Initiative).order_by(col(Initiative.title_key))).all())
        shown = {i.kind: i for i in service.present_all(session, found)}
        road = shown["advocacy"]
        record, _ = advocacy.get_advocacy(session, access, road.id)
        outcome = advocacy.present_advocacy(session, record, khmer=False)
        sessions = coaching.list_sessions(
            session, access=access, initiative_id=shown["producer_association"].id
        )
        commitments = session.exec(select(Commitment)).all()
        history = service.history(
            session, access=access, initiative_id=shown["producer_association"].id
        )
    engine.dispose()
    assert sorted(i.status for i in shown.values()) == [
        "approved", "in_progress", "in_progress", "proposed"
    ]  # fmt: skip
    cashew = shown["producer_association"]
    assert (cashew.progress, cashew.overdue_milestones) == (50, 1)
    assert [w.code for w in cashew.warnings] == ["milestones_overdue"]
    assert cashew.strategy_action_id is not None and cashew.approval_motion_id is not None
    assert [e.to_status for e in history] == ["proposed", "approved", "in_progress"]
    assert len(sessions) == 2
    assert outcome.status == "commitment_made"
    assert [e.to_status for e in outcome.outcome] == ["raised", "acknowledged", "commitment_made"]
    assert [c.initiative_id for c in commitments] == [road.id]


def test_demo_trainings(demo_url: str) -> None:
    """Six trainings for the board, COSS members, providers and communities reach the
    programme's 110 people, half of them women; a person trained twice counts once; people
    trained count as people engaged."""
    from plased.access import load_access
    from plased.auth.models import User
    from plased.governance import trainings
    from plased.reporting import composition

    engine = make_engine(Settings(database_url=demo_url))
    with Session(engine) as session:
        plased = session.exec(select(Platform).where(Platform.code == "plased-ratanakiri")).one()
        secretariat = session.exec(
            select(User).where(User.email == "secretariat@demo.plased.org")
        ).one()
        observer = session.exec(select(User).where(User.email == "observer@demo.plased.org")).one()
        exact = trainings.reach(
            session,
            access=load_access(session, secretariat),
            platform_id=plased.id,
            start=None,
            end=None,
        )
        shown = trainings.reach(
            session,
            access=load_access(session, observer),
            platform_id=plased.id,
            start=None,
            end=None,
        )
        present = session.exec(
            select(func.count())
            .select_from(Attendance)
            .join(Meeting, col(Meeting.id) == Attendance.meeting_id)
            .where(Meeting.kind == "training", Attendance.status == "present")
        ).one()
        engaged = composition.composition(
            session, access=load_access(session, secretariat), platform_id=plased.id
        )
    engine.dispose()
    assert exact.trainings == 6 and exact.people == 110 and present > 110
    assert exact.women_share is not None and exact.women_share >= 0.4
    assert exact.warnings == []
    audiences = {c.key: c.count for c in exact.by_audience}
    assert audiences == {"board": 7, "coss_members": 36, "providers": 18, "communities": 54}
    kinds = {c.key: c.count for c in exact.by_stakeholder_kind}
    assert kinds["individual"] == 10 and sum(n or 0 for n in kinds.values()) == 110
    assert sum(c.count or 0 for c in exact.by_district) == 110
    # The observer sees the totals and the large cells; the small ones are hidden.
    assert shown.people == 110 and not shown.exact
    assert any(c.suppressed for c in shown.by_district)
    # People engaged: about 230 representatives and the 10 villagers trained.
    assert engaged.people >= 230


def test_demo_mapping(demo_url: str) -> None:
    """One campaign found twelve CBOs, four in each of three districts, all profiled; seven
    advocacy plans in every status; the summary as hand-counted in mapping_demo."""
    from plased.access import load_access
    from plased.initiatives import mapping
    from plased.initiatives.mapping_models import AdvocacyPlan, MappingCampaign

    engine = make_engine(Settings(database_url=demo_url))
    with Session(engine) as session:
        admin = session.exec(select(User).where(User.email == "admin@demo.plased.org")).one()
        access = load_access(session, admin)
        plased = session.exec(select(Platform).where(Platform.code == "plased-ratanakiri")).one()
        campaigns = mapping.present_campaigns(session, list(session.exec(select(MappingCampaign))))
        statuses = Counter(session.exec(select(AdvocacyPlan.status)).all())
        summary = mapping.summary(session, access=access, platform_id=plased.id)
    engine.dispose()
    (campaign,) = campaigns
    assert (campaign.villages_visited, campaign.cbos_found, campaign.cbos_profiled) == (15, 12, 12)
    assert campaign.warnings == []
    assert statuses == {"drafted": 1, "submitted": 2, "taken_up": 3, "not_taken_up": 1}
    assert [(d.district_name, d.mapped, d.with_plans, d.advocated) for d in summary.districts] == [
        ("Bar Kaev", 4, 2, 0),
        ("Lumphat", 4, 3, 2),
        ("Veun Sai", 4, 2, 1),
    ]
    assert (summary.mapped, summary.with_plans, summary.advocated) == (12, 7, 3)


def test_demo_action_plan(demo_url: str) -> None:
    """Eight actions in order of priority, five carrying actions of the demo strategies,
    two overdue (with the warning), every status; seeding again adds nothing."""
    from plased.access import load_access
    from plased.initiatives import action_plan
    from plased.initiatives.action_plan_demo import seed_action_plan
    from plased.valuechains.models import StrategyAction

    engine = make_engine(Settings(database_url=demo_url))
    with Session(engine) as session:
        admin = session.exec(select(User).where(User.email == "admin@demo.plased.org")).one()
        access = load_access(session, admin)
        plased = session.exec(select(Platform).where(Platform.code == "plased-ratanakiri")).one()
        seed_action_plan(session, plased)
        items = action_plan.list_items(
            session,
            access=access,
            platform_id=plased.id,
            status=None,
            owner_organisation_id=None,
            overdue=None,
            khmer=False,
        )
        summary = action_plan.summary(session, access=access, platform_id=plased.id)
        owners = {a.id: a.owner_organisation_id for a in session.exec(select(StrategyAction)).all()}
        members = set(
            session.exec(
                select(Membership.organisation_id).where(
                    Membership.platform_id == plased.id, Membership.status == "active"
                )
            ).all()
        )
    engine.dispose()
    assert [i.priority for i in items] == list(range(1, 9))
    assert (summary.items, summary.overdue, summary.version) == (8, 2, 9)
    assert [w.code for w in summary.warnings] == ["action_plan_overdue"]
    assert [i.title for i in items if i.overdue] == [
        "Register the Ratanakiri cashew producers' association",
        "Publish the directory of socio-economic services in Khmer",
    ]
    linked = [i for i in items if i.strategy_action_id is not None]
    assert len(linked) == 5
    assert all(owners[i.strategy_action_id] == i.owner_organisation_id for i in linked)
    assert {i.owner_organisation_id for i in items} <= members
    assert {i.status for i in items} == {"planned", "in_progress", "done", "dropped"}
    assert all(i.title_km for i in items)


def test_demo_indicators_meet_some_targets_and_miss_others(demo_url: str) -> None:
    """The demo's secretariat set targets with a baseline and a period; the indicators show
    targets met and targets missed on both platforms; the first half of 2026 is frozen."""
    engine = make_engine(Settings(database_url=demo_url))
    with Session(engine) as session:
        for code in ("plased-ratanakiri", "coss-ratanakiri"):
            platform = session.exec(select(Platform).where(Platform.code == code)).one()
            report = indicators.compute_report(
                session, platform, None, None, catalogue.for_kind(platform.kind), fine=True
            )
            met = {row.code: row.met for row in report.indicators if row.met is not None}
            assert True in met.values() and False in met.values(), code
        plased = session.exec(select(Platform).where(Platform.code == "plased-ratanakiri")).one()
        report = indicators.compute_report(
            session, plased, None, None, catalogue.for_kind("plased"), fine=True
        )
        engaged = next(r for r in report.indicators if r.code == "people_engaged")
        assert (engaged.baseline, engaged.target, engaged.met) == (40, 110, True)
        snapshot = session.exec(select(IndicatorSnapshot)).one()
        assert (snapshot.period_from, snapshot.period_to) == (date(2026, 1, 1), date(2026, 6, 30))
