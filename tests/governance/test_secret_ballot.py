"""Who may vote (voters marked present) and what a secret ballot leaves behind (nothing that
links a voter to a choice), read from the stored rows themselves."""

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from plased.db import metadata
from tests.helpers import assert_problem
from tests.worlds import Board, prepared, vote

CHOICES = ("yes", "no", "abstain")


def _rows(engine: Engine) -> dict[str, list[dict[str, str]]]:
    """Every stored row of every table, each value as lower-case text without dashes (SQLite
    stores UUIDs as bare hex, PostgreSQL with dashes)."""
    dump = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            names = [c.name for c in table.columns]
            result = connection.execute(
                text(
                    "SELECT "
                    + ", ".join(f'CAST("{n}" AS TEXT)' for n in names)
                    + f' FROM "{table.name}"'
                )
            )
            dump[table.name] = [
                {
                    n: str(v).lower().replace("-", "")
                    for n, v in zip(names, row, strict=True)
                    if v is not None
                }
                for row in result
            ]
    return dump


def test_only_voters_marked_present_vote(client: TestClient, board: Board) -> None:
    """B8: an absent or excused member cannot vote; present members can."""
    h = board.h(board.facilitator)
    mid, motion = prepared(client, board, present=3)
    client.put(
        f"/api/v1/meetings/{mid}/attendance/{board.voters[3][1].id}",
        json={"status": "excused"},
        headers=h,
    )
    client.put(
        f"/api/v1/meetings/{mid}/attendance/{board.voters[4][1].id}",
        json={"status": "absent"},
        headers=h,
    )
    client.post(f"/api/v1/meetings/{mid}/start", headers=h)
    assert client.post(f"/api/v1/motions/{motion}/open", headers=h).status_code == 200
    for n in (3, 4):
        assert_problem(vote(client, board, motion, n, "no"), 403, "not_present")
    assert vote(client, board, motion, 0, "yes").status_code == 201
    # Arriving late and being checked in gives the vote back.
    client.put(
        f"/api/v1/meetings/{mid}/attendance/{board.voters[4][1].id}",
        json={"status": "present"},
        headers=h,
    )
    assert vote(client, board, motion, 4, "no").status_code == 201


def test_secret_ballot_leaves_no_link_between_voter_and_choice(
    client: TestClient, db: Session, engine: Engine, board: Board
) -> None:
    """B9: after a secret vote (with Idempotency-Keys, as a flaky phone would retry), no stored
    row holds both something that identifies a voter and a choice; no row order or time can
    line ballots up with voters, because there are no ballot rows."""
    h = board.h(board.facilitator)
    mid, motion = prepared(client, board, secret=True)
    client.post(f"/api/v1/meetings/{mid}/start", headers=h)
    client.post(f"/api/v1/motions/{motion}/open", headers=h)
    cast = {0: "yes", 1: "no", 2: "abstain", 3: "yes"}
    for n, choice in cast.items():
        key = {"Idempotency-Key": f"ballot-{n}"}
        first = vote(client, board, motion, n, choice, **key)
        again = vote(client, board, motion, n, choice, **key)
        assert first.status_code == again.status_code == 201
        assert (
            first.json() == again.json() == {"motion_id": motion, "recorded": True, "choice": None}
        )
    dump = _rows(engine)
    motion_key = motion.replace("-", "")
    assert [r for r in dump["ballot"] if r["motion_id"] == motion_key] == []
    tallies = {
        r["choice"]: int(r["votes"]) for r in dump["motion_tally"] if r["motion_id"] == motion_key
    }
    assert tallies == {"yes": 2, "no": 1, "abstain": 1}
    voters = set()
    for user, person in (board.voters[n] for n in cast):
        voters |= {user.id.hex, person.id.hex}
    for table, rows in dump.items():
        for row in rows:
            identifies = any(v in voters for v in row.values())
            chooses = any(v in CHOICES for v in row.values())
            assert not (identifies and chooses), (table, row)
    # The idempotency records cannot tell the choices apart either.
    ballots = [r for r in dump["idempotency_record"] if r["path"].endswith("/ballots")]
    assert len(ballots) == 4 and len({r["request_hash"] for r in ballots}) == 1
    assert [r for r in ballots if "body" in r] == []  # receipts are rebuilt, never stored
    client.post(f"/api/v1/motions/{motion}/close", headers=h)
    result = client.get(
        f"/api/v1/motions/{motion}/result", headers=board.h(board.w.observer)
    ).json()
    assert (result["yes"], result["no"], result["abstain"], result["named_votes"]) == (
        2,
        1,
        1,
        None,
    )
