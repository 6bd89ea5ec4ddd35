"""Instants and days (plased.instants): every date and date-time the API takes carries an
offset and lies between 1900 and 2999, or is refused with 422 at its pointer. Before, the
edges of what a date can hold were 500s: an offset that carries an instant past the year 1 or
9999, a meeting with no local time, a term with no end."""

from datetime import date, datetime
from typing import Annotated, Any, get_args, get_origin

import pytest
from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel

from plased import i18n
from plased.instants import Day, Instant
from tests.helpers import assert_problem
from tests.worlds import Board, Setup, meeting_body, running_meeting

EDGES = [
    "0001-01-01T00:00:00+01:00",  # no UTC time
    "9999-12-31T23:00:00-05:00",  # no UTC time
    "9999-12-31T20:00:00Z",  # no local time east of UTC
    "1899-12-31T23:59:59Z",
    "3000-01-01T00:00:00Z",
]


def _errors(answer: Any) -> list[tuple[str, str]]:
    body = assert_problem(answer, 422, "validation_failed")
    return [(e["pointer"], e["code"]) for e in body["errors"]]


@pytest.mark.parametrize("moment", EDGES)
def test_a_meeting_at_the_edge_of_time_is_refused(
    client: TestClient, board: Board, moment: str
) -> None:
    url = f"/api/v1/bodies/{board.body_id}/meetings"
    sec = board.w.h(board.w.secretariat)
    answer = client.post(url, json=meeting_body(starts_at=moment, ends_at=moment), headers=sec)
    assert _errors(answer) == [
        ("/body/starts_at", "out_of_range"),
        ("/body/ends_at", "out_of_range"),
    ]


def test_instants_arrive_in_utc_and_may_be_at_the_ends_of_the_range(
    client: TestClient, board: Board
) -> None:
    url = f"/api/v1/bodies/{board.body_id}/meetings"
    sec = board.w.h(board.w.secretariat)
    widest = meeting_body(starts_at="1900-01-01T00:00:00Z", ends_at="2999-12-31T23:59:59Z")
    assert client.post(url, json=widest, headers=sec).status_code == 201
    body = meeting_body(starts_at="2030-01-01T08:00:00+07:00", ends_at="2030-01-01T12:00:00+07:00")
    created = client.post(url, json=body, headers=sec)
    assert created.status_code == 201, created.text
    assert created.json()["starts_at"] == "2030-01-01T01:00:00Z"
    assert created.json()["local_starts_at"] == "2030-01-01T08:00:00+07:00"


def test_an_instant_needs_an_offset_and_says_so_in_khmer(client: TestClient, board: Board) -> None:
    url = f"/api/v1/bodies/{board.body_id}/meetings"
    headers = {**board.w.h(board.w.secretariat), "Accept-Language": "km"}
    naive = meeting_body(starts_at="2030-01-01T08:00:00", ends_at="2030-01-01T10:00:00")
    answer = client.post(url, json=naive, headers=headers)
    assert _errors(answer) == [
        ("/body/starts_at", "timezone_required"),
        ("/body/ends_at", "timezone_required"),
    ]
    late = meeting_body(starts_at="3000-01-01T08:00:00Z", ends_at="3000-01-01T10:00:00Z")
    errors = client.post(url, json=late, headers=headers).json()["errors"]
    assert errors[0]["message"] == i18n.FIELD_KM["out_of_range"]


def test_a_meeting_moved_past_the_range_is_refused(client: TestClient, board: Board) -> None:
    sec = board.w.h(board.w.secretariat)
    created = client.post(
        f"/api/v1/bodies/{board.body_id}/meetings", json=meeting_body(), headers=sec
    )
    url = f"/api/v1/meetings/{created.json()['id']}"
    answer = client.patch(url, json={"ends_at": "9999-12-31T23:00:00-05:00"}, headers=sec)
    assert _errors(answer) == [("/body/ends_at", "out_of_range")]


@pytest.mark.parametrize("moment", EDGES[:3])
def test_a_check_in_at_the_edge_of_time_is_refused(
    client: TestClient, board: Board, moment: str
) -> None:
    mid = running_meeting(client, board, present=0)
    person = board.voters[0][1]
    answer = client.put(
        f"/api/v1/meetings/{mid}/attendance/{person.id}",
        json={"status": "present", "checked_in_at": moment},
        headers=board.h(board.facilitator),
    )
    assert _errors(answer) == [("/body/checked_in_at", "out_of_range")]


@pytest.mark.parametrize("moment", EDGES[:2])
def test_filters_at_the_edge_of_time_are_refused(client: TestClient, s: Setup, moment: str) -> None:
    w = s.c.w
    for url, headers, name in (
        ("/api/v1/people", w.h(w.secretariat), "updated_since"),
        ("/api/v1/deletions", w.h(w.secretariat), "updated_since"),
        (f"/api/v1/platforms/{w.plased.id}/memberships", w.h(w.secretariat), "updated_since"),
        ("/api/v1/referrals", s.h(s.referrer), "created_from"),
        ("/api/v1/referrals", s.h(s.referrer), "created_to"),
    ):
        answer = client.get(url, params={name: moment}, headers=headers)
        assert _errors(answer) == [(f"/query/{name}", "out_of_range")], url
        naive = client.get(url, params={name: "2026-01-01T00:00:00"}, headers=headers)
        assert _errors(naive) == [(f"/query/{name}", "timezone_required")], url


@pytest.mark.parametrize("day", ["9999-12-01", "9999-12-31", "0001-01-01", "3000-01-01"])
def test_days_outside_the_range_are_refused(
    client: TestClient, board: Board, s: Setup, day: str
) -> None:
    w = board.w
    sec = w.h(w.secretariat)
    person = board.voters[0][1]
    seat = client.post(
        f"/api/v1/bodies/{board.body_id}/seats",
        json={"position": "member", "person_id": str(person.id), "term_start": day},
        headers=sec,
    )
    assert _errors(seat) == [("/body/term_start", "out_of_range")]
    consent = {"given_by": "self", "given_on": day, "share_with_provider": True}
    referral = client.post(
        "/api/v1/referrals",
        json={"service_id": s.service_id, "client": {"full_name": "A", "gender": "female"}}
        | {"consent": consent},
        headers=s.h(s.referrer),
    )
    assert _errors(referral) == [("/body/consent/given_on", "out_of_range")]


# -- every date the API takes is one of the two types -------------------------------------

CHECKED = {id(check) for check in get_args(Instant)[1:] + get_args(Day)[1:]}


def _unchecked(annotation: Any, metadata: Any = (), seen: set[type] | None = None) -> bool:
    """Whether a date or datetime hides in ``annotation`` without Instant's or Day's check."""
    seen = set() if seen is None else seen
    if get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        return _unchecked(base, [*metadata, *extra], seen)
    if annotation in (datetime, date):
        return not any(id(item) in CHECKED for item in metadata)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return False
        seen.add(annotation)
        return any(
            _unchecked(field.annotation, field.metadata, seen)
            for field in annotation.model_fields.values()
        )
    return any(_unchecked(arg, (), seen) for arg in get_args(annotation))


def _inputs(dependant: Dependant) -> list[Any]:
    params = [*dependant.query_params, *dependant.body_params, *dependant.path_params]
    for sub in dependant.dependencies:
        params += _inputs(sub)
    return params


def test_every_date_and_instant_the_api_takes_is_checked(app: FastAPI) -> None:
    routes = [c for c in routing.iter_route_contexts(app.routes) if c.original_route]
    inputs = {
        f"{context.path_format} {param.name}": param.field_info
        for context in routes
        if isinstance(context.original_route, APIRoute)
        for param in _inputs(context.dependant)
    }
    assert "/api/v1/referrals created_from" in inputs
    assert [name for name, f in inputs.items() if _unchecked(f.annotation, f.metadata)] == []
