"""Story 1, through the HTTP API alone: the secretariat registers a CSO, admits it to PLASED
then COSS, seats its representative on the board, convenes a meeting, records attendance,
checks the quorum, runs a secret ballot that members cast through their own accounts, and
publishes the minutes."""

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient

from tests.helpers import admitted, created, login, new_user, platforms_with_secretariat


def test_a_board_votes_in_secret(client: TestClient, database_url: str) -> None:
    admin, sec, plased, coss = platforms_with_secretariat(client, database_url, "story-one")
    board = created(
        client.post(
            f"/api/v1/platforms/{plased}/bodies",
            json={"kind": "executive_board", "name": "Executive Board"},
            headers=sec,
        )
    )["id"]
    members = []
    for n, (name, kind, extra) in enumerate(
        (
            ("Highland Farmers Association", "cso", {"sector": "agriculture"}),
            ("Women's Rights Network", "cso", {"sector": "social_development"}),
            ("Rural Credit", "service_provider", {}),
        )
    ):
        # The CSO is registered and admitted to PLASED, then to COSS (which needs PLASED).
        org = admitted(
            client,
            sec,
            [plased, coss],
            platform_id=plased,
            name=name,
            kind=kind,
            **extra,
        )
        person = created(
            client.post(
                "/api/v1/people",
                json={
                    "platform_id": plased,
                    "full_name": f"Representative {n}",
                    "gender": "female" if n != 2 else "male",
                    "consent_to_be_listed": True,
                },
                headers=sec,
            )
        )["id"]
        created(
            client.post(
                f"/api/v1/organisations/{org}/representatives",
                json={"person_id": person, "role": "primary"},
                headers=sec,
            )
        )
        seat = created(
            client.post(
                f"/api/v1/bodies/{board}/seats",
                json={
                    "position": ["chair", "secretary", "member"][n],
                    "person_id": person,
                    "organisation_id": org,
                    "term_start": str(date.today() - timedelta(days=1)),
                },
                headers=sec,
            )
        )
        assert seat["seat"]["organisation_is_member"] is True
        # The member's own account, named by the secretariat as the account acting as them.
        email = f"member{n}@story-one.org"
        user = new_user(client, admin, email, f"Representative {n}")
        created(client.put(f"/api/v1/people/{person}/user", json={"user_id": user}, headers=sec))
        members.append((email, person))
    me = client.get("/api/v1/me", headers=login(client, members[0][0])).json()
    assert me["people"][0]["person_id"] == members[0][1]

    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    meeting = created(
        client.post(
            f"/api/v1/bodies/{board}/meetings",
            json={
                "kind": "board",
                "title": "Board meeting",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat(),
            },
            headers=sec,
        )
    )["id"]
    item = created(
        client.post(f"/api/v1/meetings/{meeting}/agenda", json={"title": "Budget"}, headers=sec)
    )["id"]
    created(client.post(f"/api/v1/meetings/{meeting}/convene", headers=sec))
    invited = client.get(f"/api/v1/meetings/{meeting}/attendance", headers=sec).json()["items"]
    assert {a["person_id"] for a in invited} == {p for _, p in members}
    created(
        client.post(
            f"/api/v1/meetings/{meeting}/attendance",
            json={"rows": [{"person_id": p, "status": "present"} for _, p in members[:2]]},
            headers=sec,
        )
    )
    quorum = client.get(f"/api/v1/meetings/{meeting}/quorum", headers=sec).json()
    assert (quorum["eligible_voters"], quorum["present_voters"], quorum["quorate"]) == (3, 2, True)
    created(client.post(f"/api/v1/meetings/{meeting}/start", headers=sec))
    motion = created(
        client.post(
            f"/api/v1/meetings/{meeting}/motions",
            json={"agenda_item_id": item, "text": "Adopt the budget", "is_secret": True},
            headers=sec,
        )
    )["id"]
    created(client.post(f"/api/v1/motions/{motion}/open", headers=sec))
    for (email, _), choice in zip(members[:2], ("yes", "no"), strict=True):
        receipt = created(
            client.post(
                f"/api/v1/motions/{motion}/ballots",
                json={"choice": choice},
                headers={**login(client, email), "Idempotency-Key": f"vote-{email}"},
            )
        )
        assert receipt["choice"] is None  # secret: not even echoed
    absent = client.post(
        f"/api/v1/motions/{motion}/ballots",
        json={"choice": "yes"},
        headers=login(client, members[2][0]),
    )
    assert absent.status_code == 403 and absent.json()["code"] == "not_present"
    created(client.post(f"/api/v1/motions/{motion}/close", headers=sec))
    result = client.get(f"/api/v1/motions/{motion}/result", headers=login(client, members[0][0]))
    assert result.status_code == 200
    outcome = result.json()
    assert (outcome["yes"], outcome["no"], outcome["named_votes"]) == (1, 1, None)
    assert outcome["passed"] is False  # a tie never passes

    created(
        client.put(
            f"/api/v1/meetings/{meeting}/minutes",
            json={"text": "The board debated the budget; the motion was not adopted."},
            headers=sec,
        )
    )
    created(client.post(f"/api/v1/meetings/{meeting}/close", headers=sec))
    created(client.post(f"/api/v1/meetings/{meeting}/minutes/approve", headers=sec))
    published = created(client.post(f"/api/v1/meetings/{meeting}/minutes/publish", headers=sec))
    assert published["status"] == "published"
    observer = new_user(client, admin, "observer@story-one.org", "Observer")
    created(
        client.post(
            f"/api/v1/users/{observer}/roles",
            json={"platform_id": plased, "role": "observer"},
            headers=admin,
        )
    )
    read = client.get(
        f"/api/v1/meetings/{meeting}/minutes", headers=login(client, "observer@story-one.org")
    )
    assert read.status_code == 200 and "not adopted" in read.json()["text"]
