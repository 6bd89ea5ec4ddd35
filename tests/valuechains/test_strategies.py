"""Participatory value-chain strategies through the API: who may do what, bad input that
changes nothing, the life cycle, versions copied from the published one, action progress by
the owner's staff, participation against a hand-computed fixture, and the one-draft race."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.helpers import assert_problem, database_state
from tests.valuechains.conftest import Chains, passed_motion
from tests.valuechains.test_focus_groups import person, prioritised
from tests.worlds import PDF, docx, meeting_body, odt


@dataclass
class Drafting:
    c: Chains
    chain: str
    group: str

    @property
    def sec(self) -> dict[str, str]:
        return self.c.sec

    @property
    def fac(self) -> dict[str, str]:
        return self.c.w.h(self.c.w.facilitator)

    @property
    def url(self) -> str:
        return f"/api/v1/value-chains/{self.chain}/strategies"


@pytest.fixture
def drafting(client: TestClient, chains: Chains) -> Drafting:
    """A prioritised chain whose focus group the world's facilitator runs."""
    chain = prioritised(client, chains)
    group = client.post(
        f"/api/v1/value-chains/{chain}/focus-group",
        json={"facilitator_ids": [str(chains.w.facilitator.id)]},
        headers=chains.sec,
    )
    assert group.status_code == 201, group.text
    return Drafting(c=chains, chain=chain, group=group.json()["id"])


def _meeting(client: TestClient, d: Drafting, present: dict[str, str], title: str) -> str:
    """A consultation of the focus group, convened, with attendance marked."""
    made = client.post(
        f"/api/v1/bodies/{d.group}/meetings",
        json=meeting_body(kind="consultation", title=title),
        headers=d.fac,
    )
    assert made.status_code == 201, made.text
    mid = str(made.json()["id"])
    assert client.post(f"/api/v1/meetings/{mid}/convene", headers=d.fac).status_code == 200
    rows = [{"person_id": p, "status": s} for p, s in present.items()]
    marked = client.post(f"/api/v1/meetings/{mid}/attendance", json={"rows": rows}, headers=d.fac)
    assert marked.status_code == 200, marked.text
    return mid


def _draft(client: TestClient, d: Drafting, **fields: Any) -> dict[str, Any]:
    made = client.post(d.url, json=fields, headers=d.fac)
    assert made.status_code == 201, made.text
    return dict(made.json())


def test_strategy_life_cycle_and_versions(client: TestClient, drafting: Drafting) -> None:
    d, w = drafting, drafting.c.w
    made = client.post(
        d.url, json={"title": "Cashew strategy", "title_km": "យុទ្ធសាស្ត្រស្វាយចន្ទី"}, headers=d.fac
    )
    assert made.status_code == 201, made.text
    first = made.json()
    sid = first["id"]
    assert made.headers["Location"] == f"/api/v1/strategies/{sid}"
    assert first["version_number"] == 1 and first["status"] == "drafting"
    assert first["display_title"] == "Cashew strategy" and first["based_on_id"] is None
    assert_problem(client.post(d.url, json={}, headers=d.sec), 409, "draft_exists")

    url = f"/api/v1/strategies/{sid}"
    khmer = client.get(url, headers={**w.h(w.observer), "Accept-Language": "km"})
    assert khmer.status_code == 200 and khmer.headers["ETag"]
    assert khmer.json()["display_title"] == "យុទ្ធសាស្ត្រស្វាយចន្ទី"
    assert khmer.json()["title"] == "Cashew strategy"
    edited = client.patch(
        url, json={"summary": "Better prices"}, headers={**d.fac, "If-Match": '"1"'}
    )
    assert edited.status_code == 200 and edited.json()["summary"] == "Better prices"
    assert_problem(
        client.patch(url, json={"summary": "x"}, headers={**d.sec, "If-Match": '"1"'}),
        412,
        "precondition_failed",
    )

    step = client.post(f"{url}/steps", json={"kind": "diagnosis"}, headers=d.fac)
    assert step.status_code == 201, step.text
    assert_problem(
        client.post(f"{url}/steps", json={"kind": "diagnosis"}, headers=d.fac), 409, "step_exists"
    )
    objective = client.post(
        f"{url}/objectives", json={"title": "Raise farm-gate prices"}, headers=d.fac
    )
    assert objective.status_code == 201, objective.text
    action = client.post(
        f"/api/v1/objectives/{objective.json()['id']}/actions",
        json={
            "title": "Collective selling",
            "title_km": "លក់រួមគ្នា",
            "owner_organisation_id": str(w.org.id),
            "due_date": "2027-06-30",
        },
        headers=d.fac,
    )
    assert action.status_code == 201, action.text
    assert action.json()["status"] == "planned" and action.json()["progress"] == 0

    # A status that skips a state, a motion that does not decide it, one that failed.
    assert_problem(client.post(f"{url}/publish", headers=d.sec), 409, "invalid_transition")
    unknown = assert_problem(
        client.post(f"{url}/validate", json={"motion_id": sid}, headers=d.sec),
        422,
        "validation_failed",
    )
    assert unknown["errors"][0]["code"] == "unknown_motion"
    failed = passed_motion(client, d.c.board, passes=False)
    assert_problem(
        client.post(f"{url}/validate", json={"motion_id": failed}, headers=d.sec),
        409,
        "motion_not_passed",
    )
    motion = passed_motion(client, d.c.board)
    assert_problem(
        client.post(f"{url}/validate", json={"motion_id": motion}, headers=d.fac), 403, "forbidden"
    )
    validated = client.post(f"{url}/validate", json={"motion_id": motion}, headers=d.sec)
    assert validated.status_code == 200, validated.text
    assert validated.json()["status"] == "validated"
    assert validated.json()["validation_motion_id"] == motion
    assert validated.json()["validated_at"]
    assert_problem(
        client.patch(url, json={"summary": "Late"}, headers=d.sec), 409, "strategy_not_drafting"
    )
    assert_problem(
        client.post(f"{url}/validate", json={"motion_id": motion}, headers=d.sec),
        409,
        "invalid_transition",
    )
    published = client.post(f"{url}/publish", headers=d.sec)
    assert published.status_code == 200 and published.json()["published_at"]

    # The next version copies the published one.
    second = _draft(client, d)
    assert second["version_number"] == 2 and second["based_on_id"] == sid
    assert second["title"] == "Cashew strategy" and second["summary"] == "Better prices"
    assert [o["title"] for o in second["objectives"]] == ["Raise farm-gate prices"]
    copied = second["objectives"][0]["actions"]
    assert [a["title"] for a in copied] == ["Collective selling"]
    assert copied[0]["id"] != action.json()["id"] and second["steps"] == []
    listed = client.get(d.url, headers=w.h(w.staff))
    assert listed.status_code == 200 and listed.json()["total"] == 2
    assert [s["version_number"] for s in listed.json()["items"]] == [1, 2]
    newest = client.get(d.url, params={"sort": "-version_number"}, headers=d.sec).json()
    assert [s["version_number"] for s in newest["items"]] == [2, 1]


def test_action_progress_by_the_owners_staff(
    client: TestClient, drafting: Drafting, engine: Engine
) -> None:
    d, w = drafting, drafting.c.w
    sid = _draft(client, d)["id"]
    objective = client.post(
        f"/api/v1/strategies/{sid}/objectives", json={"title": "Quality"}, headers=d.sec
    ).json()["id"]
    outsider = client.post(
        "/api/v1/organisations",
        json={
            "platform_id": str(w.plased.id),
            "name": "Not A Member",
            "kind": "cso",
            "sector": "cbo",
        },
        headers=d.sec,
    )
    assert outsider.status_code == 201, outsider.text
    actions_url = f"/api/v1/objectives/{objective}/actions"
    before = database_state(engine)
    for bad, status, code in (
        (
            {"title": "Dryers", "owner_organisation_id": outsider.json()["id"]},
            422,
            "validation_failed",
        ),
        ({"title": "", "owner_organisation_id": str(w.org.id)}, 422, "validation_failed"),
        (
            {"title": "Dryers", "owner_organisation_id": str(w.org.id), "progress": 101},
            422,
            "validation_failed",
        ),
        (
            {"title": "Dryers", "owner_organisation_id": str(w.org.id), "status": "late"},
            422,
            "validation_failed",
        ),
    ):
        assert_problem(client.post(actions_url, json=bad, headers=d.sec), status, code)
    refused = client.post(
        actions_url,
        json={"title": "Dryers", "owner_organisation_id": outsider.json()["id"]},
        headers=d.sec,
    ).json()
    assert refused["errors"][0]["code"] == "owner_not_member"
    assert refused["errors"][0]["pointer"] == "/body/owner_organisation_id"
    assert database_state(engine) == before
    action = client.post(
        actions_url, json={"title": "Dryers", "owner_organisation_id": str(w.org.id)}, headers=d.sec
    ).json()
    url = f"/api/v1/strategy-actions/{action['id']}"
    staff = w.h(w.staff)
    assert_problem(client.patch(url, json={"title": "Mine"}, headers=staff), 403, "forbidden")
    assert_problem(
        client.patch(url, json={"progress": 5}, headers=w.h(w.observer)), 403, "forbidden"
    )
    assert_problem(
        client.patch(url, json={"progress": None}, headers=staff), 422, "validation_failed"
    )
    reported = client.patch(
        url, json={"status": "in_progress", "progress": 40}, headers={**staff, "If-Match": '"1"'}
    )
    assert reported.status_code == 200, reported.text
    assert reported.json()["progress"] == 40 and reported.headers["ETag"] == '"2"'
    assert_problem(
        client.patch(url, json={"progress": 50}, headers={**staff, "If-Match": '"1"'}),
        412,
        "precondition_failed",
    )
    assert_problem(client.patch(url, json={"progress": 50}), 401, "not_authenticated")
    assert_problem(
        client.patch(url, json={"progress": 50}, headers=w.h(w.stranger)), 404, "not_found"
    )
    renamed = client.patch(url, json={"title": "Solar dryers"}, headers=d.fac)
    assert renamed.status_code == 200 and renamed.json()["title"] == "Solar dryers"


def test_who_may_touch_strategies(client: TestClient, drafting: Drafting, engine: Engine) -> None:
    d, w = drafting, drafting.c.w
    assert_problem(client.get(d.url), 401, "not_authenticated")
    assert_problem(client.post(d.url, json={}), 401, "not_authenticated")
    for user in (w.observer, w.staff):
        assert_problem(client.post(d.url, json={}, headers=w.h(user)), 403, "forbidden")
    # The executive board's facilitator does not run this focus group.
    board_facilitator = d.c.board.h(d.c.board.facilitator)
    assert_problem(client.post(d.url, json={}, headers=board_facilitator), 403, "forbidden")
    assert_problem(client.post(d.url, json={}, headers=w.h(w.stranger)), 404, "not_found")
    sid = _draft(client, d)["id"]
    url = f"/api/v1/strategies/{sid}"
    stranger = w.h(w.stranger)
    assert_problem(client.get(url, headers=stranger), 404, "not_found")
    assert_problem(client.get(d.url, headers=stranger), 404, "not_found")
    assert_problem(client.patch(url, json={"title": "X"}, headers=stranger), 404, "not_found")
    for user in (w.observer, w.staff):
        h = w.h(user)
        assert client.get(url, headers=h).status_code == 200
        assert_problem(client.patch(url, json={"title": "X"}, headers=h), 403, "forbidden")
        assert_problem(
            client.post(f"{url}/steps", json={"kind": "vision"}, headers=h), 403, "forbidden"
        )
        assert_problem(
            client.post(f"{url}/objectives", json={"title": "X"}, headers=h), 403, "forbidden"
        )
        assert_problem(client.post(f"{url}/publish", headers=h), 403, "forbidden")
    # Bad input changes nothing.
    before = database_state(engine)
    board_meeting = client.post(
        f"/api/v1/bodies/{d.c.board.body_id}/meetings", json=meeting_body(), headers=d.sec
    ).json()["id"]
    before = database_state(engine)
    refused = assert_problem(
        client.post(
            f"{url}/steps", json={"kind": "vision", "meeting_ids": [board_meeting]}, headers=d.fac
        ),
        422,
        "validation_failed",
    )
    assert refused["errors"][0]["code"] == "meeting_not_of_focus_group"
    assert refused["errors"][0]["pointer"] == "/body/meeting_ids/0"
    for bad in ({"kind": "dreaming"}, {"kind": "vision", "status": "validated"}, {}):
        assert_problem(
            client.post(f"{url}/steps", json=bad, headers=d.fac), 422, "validation_failed"
        )
    assert_problem(client.patch(url, json={"title": None}, headers=d.sec), 422, "validation_failed")
    assert_problem(client.post(f"{url}/validate", json={}, headers=d.sec), 422, "validation_failed")
    assert database_state(engine) == before


def test_participation_against_a_hand_computed_fixture(
    client: TestClient, drafting: Drafting
) -> None:
    """Diagnosis in meeting A: Sokha (woman) and Dara present, Vicheka absent. Vision in
    meeting B: Sokha again, Bopha (woman) and Vicheka present. Meeting C (Dara and Vicheka
    present) is not linked yet. Distinct present: Sokha, Dara, Bopha, Vicheka = 4, women 2,
    share 0.5 ≥ 0.40. Then the vision step moves from B to C: Sokha, Dara, Vicheka = 3,
    women 1, share 0.3333 < 0.40."""
    d, w = drafting, drafting.c.w
    sokha = person(client, d.c, "Sokha", gender="female")
    dara = person(client, d.c, "Dara", gender="male")
    vicheka = person(client, d.c, "Vicheka", gender="male")
    bopha = person(client, d.c, "Bopha", gender="female")
    a = _meeting(client, d, {sokha: "present", dara: "present", vicheka: "absent"}, "Diagnosis")
    b = _meeting(client, d, {sokha: "present", bopha: "present", vicheka: "present"}, "Vision")
    c = _meeting(client, d, {dara: "present", vicheka: "present"}, "Vision again")
    sid = _draft(client, d)["id"]
    url = f"/api/v1/strategies/{sid}"
    empty = client.get(url, headers=w.h(w.observer)).json()["participation"]
    assert empty["participants"] == 0 and empty["women_share"] is None
    assert [x["code"] for x in empty["warnings"]] == ["participants_below_target"]
    assert (
        client.post(
            f"{url}/steps", json={"kind": "diagnosis", "meeting_ids": [a]}, headers=d.fac
        ).status_code
        == 201
    )
    vision = client.post(f"{url}/steps", json={"kind": "vision", "meeting_ids": [b]}, headers=d.fac)
    assert vision.status_code == 201 and vision.json()["meeting_ids"] == [b]
    read = client.get(url, headers=w.h(w.staff)).json()
    assert {
        k: read["participation"][k]
        for k in (
            "meetings",
            "participants",
            "target_participants",
            "women",
            "women_share",
            "min_women_share",
        )
    } == {
        "meetings": 2,
        "participants": 4,
        "target_participants": 15,
        "women": 2,
        "women_share": 0.5,
        "min_women_share": 0.4,
    }
    assert [x["code"] for x in read["participation"]["warnings"]] == ["participants_below_target"]
    assert [s["kind"] for s in read["steps"]] == ["diagnosis", "vision"]
    step_url = f"/api/v1/strategy-steps/{vision.json()['id']}/meetings"
    assert_problem(
        client.put(step_url, json={"meeting_ids": [c]}, headers=w.h(w.observer)), 403, "forbidden"
    )
    moved = client.put(step_url, json={"meeting_ids": [c, c]}, headers={**d.fac, "If-Match": '"1"'})
    assert moved.status_code == 200, moved.text
    assert moved.json()["meeting_ids"] == [c] and moved.headers["ETag"] == '"2"'
    after = client.get(url, headers=d.sec).json()["participation"]
    assert (after["participants"], after["women"], after["women_share"]) == (3, 1, 0.3333)
    assert [x["code"] for x in after["warnings"]] == [
        "participants_below_target",
        "women_share_below_minimum",
    ]


def test_concurrent_drafts_have_one_winner(
    client: TestClient, drafting: Drafting, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    d = drafting

    def create(n: int) -> int:
        return client.post(d.url, json={"title": f"Draft {n}"}, headers=d.sec).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(create, range(8)))
    assert statuses.count(201) == 1 and statuses.count(409) == 7
    assert client.get(d.url, headers=d.sec).json()["total"] == 1


def _upload(client: TestClient, sid: str, data: bytes, headers: dict[str, str], name: str) -> Any:
    return client.post(
        f"/api/v1/strategies/{sid}/documents",
        params={"filename": name},
        content=data,
        headers={**headers, "Content-Type": "application/octet-stream"},
    )


def test_strategy_documents_follow_the_minutes_rules(
    client: TestClient, drafting: Drafting, engine: Engine
) -> None:
    """The secretariat or the facilitators attach PDF, ODT or DOCX until publication; whoever
    reads the strategy downloads it, by ranges too; nothing else is written on a refusal."""
    d, w = drafting, drafting.c.w
    sid = _draft(client, d)["id"]
    url = f"/api/v1/strategies/{sid}/documents"
    before = database_state(engine)
    assert_problem(
        client.post(url, content=PDF, headers={"Content-Type": "application/octet-stream"}),
        401,
        "not_authenticated",
    )
    for user in (w.observer, w.staff):
        assert_problem(_upload(client, sid, PDF, w.h(user), "s.pdf"), 403, "forbidden")
    assert_problem(_upload(client, sid, PDF, w.h(w.stranger), "s.pdf"), 404, "not_found")
    board_facilitator = d.c.board.h(d.c.board.facilitator)
    assert_problem(_upload(client, sid, PDF, board_facilitator, "s.pdf"), 403, "forbidden")
    assert_problem(_upload(client, sid, b"", d.fac, "s.pdf"), 422, "validation_failed")
    for hostile in (b"MZ\x90\x00 not a document", b"<html><script>"):
        assert_problem(_upload(client, sid, hostile, d.fac, "s.pdf"), 422, "unsupported_file_type")
    assert_problem(
        _upload(client, sid, b"%PDF-" + b"x" * 300_000, d.fac, "s.pdf"), 413, "payload_too_large"
    )
    assert database_state(engine) == before

    made = _upload(client, sid, PDF, d.fac, "../Strategy ស្វាយចន្ទី.pdf")
    assert made.status_code == 201, made.text
    document = made.json()
    assert document["strategy_id"] == sid and document["content_type"] == "application/pdf"
    assert document["filename"] == "Strategy _.pdf" and document["size"] == len(PDF)
    assert made.headers["Location"] == f"/api/v1/strategy-documents/{document['id']}"
    annex = _upload(client, sid, docx(), d.sec, "annex.pdf")
    assert annex.status_code == 201 and annex.json()["filename"] == "annex.docx"

    listed = client.get(url, headers=w.h(w.observer))
    assert listed.status_code == 200 and listed.json()["total"] == 2
    assert [x["filename"] for x in listed.json()["items"]] == ["Strategy _.pdf", "annex.docx"]
    assert_problem(client.get(url, headers=w.h(w.stranger)), 404, "not_found")
    file_url = f"/api/v1/strategy-documents/{document['id']}"
    whole = client.get(file_url, headers=w.h(w.staff))
    assert whole.status_code == 200 and whole.content == PDF
    assert whole.headers["content-type"] == "application/pdf"
    part = client.get(file_url, headers={**w.h(w.observer), "Range": "bytes=0-8"})
    assert part.status_code == 206 and part.content == PDF[:9]
    assert_problem(client.get(file_url, headers=w.h(w.stranger)), 404, "not_found")
    assert_problem(client.get(file_url), 401, "not_authenticated")
    assert_problem(client.get(f"/api/v1/strategy-documents/{sid}", headers=d.sec), 404, "not_found")

    # Validated: still attachable (the final text); published: no more.
    motion = passed_motion(client, d.c.board)
    strategy = f"/api/v1/strategies/{sid}"
    assert client.post(f"{strategy}/validate", json={"motion_id": motion}, headers=d.sec).is_success
    assert _upload(client, sid, odt(), d.sec, "final").status_code == 201
    assert client.post(f"{strategy}/publish", headers=d.sec).is_success
    late = assert_problem(_upload(client, sid, PDF, d.sec, "late.pdf"), 409, "invalid_transition")
    assert late["current_status"] == "published"
    assert client.get(url, headers=d.sec).json()["total"] == 3


def test_history_and_single_reads(client: TestClient, drafting: Drafting) -> None:
    """The history names the draft's creation and each change with its actor and motion; a
    step, an objective and an action read on their own, as their strategy's readers see
    them, and 404 to anyone else."""
    d, w = drafting, drafting.c.w
    sid = _draft(client, d, title="Rice", title_km="ស្រូវ")["id"]
    strategy = f"/api/v1/strategies/{sid}"
    step = client.post(f"{strategy}/steps", json={"kind": "vision"}, headers=d.fac).json()
    objective = client.post(
        f"{strategy}/objectives", json={"title": "Yields", "title_km": "ទិន្នផល"}, headers=d.fac
    ).json()
    action = client.post(
        f"/api/v1/objectives/{objective['id']}/actions",
        json={"title": "Seed bank", "owner_organisation_id": str(w.org.id)},
        headers=d.fac,
    ).json()

    read_step = client.get(f"/api/v1/strategy-steps/{step['id']}", headers=w.h(w.observer))
    assert read_step.status_code == 200 and read_step.json()["kind"] == "vision"
    assert read_step.headers["ETag"] == '"1"'
    read_objective = client.get(
        f"/api/v1/objectives/{objective['id']}",
        headers={**w.h(w.staff), "Accept-Language": "km"},
    )
    assert read_objective.status_code == 200
    assert read_objective.json()["display_title"] == "ទិន្នផល"
    assert [a["id"] for a in read_objective.json()["actions"]] == [action["id"]]
    read_action = client.get(f"/api/v1/strategy-actions/{action['id']}", headers=w.h(w.staff))
    assert read_action.status_code == 200 and read_action.json()["title"] == "Seed bank"
    assert read_action.headers["ETag"] == '"1"'
    again = client.get(
        f"/api/v1/strategy-actions/{action['id']}",
        headers={**w.h(w.staff), "If-None-Match": '"1"'},
    )
    assert again.status_code == 304
    for path in (
        f"/api/v1/strategy-steps/{step['id']}",
        f"/api/v1/objectives/{objective['id']}",
        f"/api/v1/strategy-actions/{action['id']}",
        f"{strategy}/history",
    ):
        assert_problem(client.get(path), 401, "not_authenticated")
        assert_problem(client.get(path, headers=w.h(w.stranger)), 404, "not_found")
    for path in ("strategy-steps", "objectives", "strategy-actions"):
        assert_problem(client.get(f"/api/v1/{path}/{sid}", headers=d.sec), 404, "not_found")

    motion = passed_motion(client, d.c.board)
    assert client.post(f"{strategy}/validate", json={"motion_id": motion}, headers=d.sec).is_success
    assert client.post(f"{strategy}/publish", headers=d.sec).is_success
    history = client.get(f"{strategy}/history", headers=w.h(w.observer))
    assert history.status_code == 200, history.text
    events = history.json()["items"]
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        (None, "drafting"),
        ("drafting", "validated"),
        ("validated", "published"),
    ]
    assert events[0]["actor_id"] == str(w.facilitator.id)
    assert [e["actor_id"] for e in events[1:]] == [str(w.secretariat.id)] * 2
    assert [e["motion_id"] for e in events] == [None, motion, None]


def test_the_participant_target_is_the_regulations(client: TestClient, drafting: Drafting) -> None:
    d = drafting
    url = f"/api/v1/platforms/{d.c.w.plased.id}/regulations"
    regulations = client.get(url, headers=d.sec).json()
    assert regulations["strategy_participants"] == 15
    fields = {
        k: v
        for k, v in regulations.items()
        if k not in ("id", "platform_id", "version", "created_by_id", "created_at")
    }
    for bad in (0, 501, "many"):
        assert_problem(
            client.put(url, json={**fields, "strategy_participants": bad}, headers=d.sec),
            422,
            "validation_failed",
        )
    changed = client.put(url, json={**fields, "strategy_participants": 1}, headers=d.sec)
    assert changed.status_code == 200, changed.text
    dara = person(client, d.c, "Dara", gender="male")
    meeting = _meeting(client, d, {dara: "present"}, "Diagnosis")
    sid = _draft(client, d)["id"]
    step = client.post(
        f"/api/v1/strategies/{sid}/steps",
        json={"kind": "diagnosis", "meeting_ids": [meeting]},
        headers=d.fac,
    )
    assert step.status_code == 201, step.text
    read = client.get(f"/api/v1/strategies/{sid}", headers=d.sec).json()["participation"]
    assert (read["participants"], read["target_participants"]) == (1, 1)
    # One man: the women's share, not the count, falls short.
    assert [x["code"] for x in read["warnings"]] == ["women_share_below_minimum"]


def test_concurrent_publications_have_one_winner(
    client: TestClient, drafting: Drafting, is_postgres: bool
) -> None:
    """Eight secretariat requests publish the same validated strategy at once: one 200, seven
    409 with the status they found, and one event in its history."""
    if not is_postgres:
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    d = drafting
    sid = _draft(client, d)["id"]
    url = f"/api/v1/strategies/{sid}"
    motion = passed_motion(client, d.c.board)
    assert client.post(f"{url}/validate", json={"motion_id": motion}, headers=d.sec).is_success

    def publish(_: int) -> int:
        return client.post(f"{url}/publish", headers=d.sec).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(publish, range(8)))
    assert statuses.count(200) == 1 and statuses.count(409) == 7
    events = client.get(f"{url}/history", headers=d.sec).json()["items"]
    assert [e["to_status"] for e in events] == ["drafting", "validated", "published"]
