"""Property-based fuzzing of the served OpenAPI document (schemathesis), in-process, against
the run's real database (SQLite or PostgreSQL).

One record of every kind is made through the API first (``tests/sweeps.records``), so path
ids and the ids a body names hit real rows more often than random ones. Generated requests
are sent by callers in turn: anonymous, an administrator, the secretariat, an organisation's
staff and a provider's staff, through the suite's own client (so ``tests/observed.py`` sees
every answer too). Every operation is fuzzed; every answer must be:

* no 5xx (``not_a_server_error``);
* a status the operation documents (``status_code_conformance``);
* of a content type the operation documents for that status (``content_type_conformance``);
* shaped as the operation's schema for that status says (``response_schema_conformance``).

Generation is derandomised, so a run is repeatable, and each operation gets a small number of
examples valid and invalid (``PLASED_FUZZ_EXAMPLES``, default 4 of each), so this runs in
``make test`` on both databases in a minute or two. ``make fuzz`` runs it alone with many
more examples (docs/conventions.md, "Fuzzing").
"""

import itertools
import os
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session

from tests.sweeps import records
from tests.worlds import Board, Setup

EXAMPLES = int(os.environ.get("PLASED_FUZZ_EXAMPLES", "4"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Body fields naming a record under another name than the path parameter of its kind.
ALIASES = {
    "provider_id": "organisation_id",
    "owner_organisation_id": "organisation_id",
    "lead_organisation_id": "organisation_id",
    "target_organisation_id": "organisation_id",
    "coach_person_id": "person_id",
    "strategy_action_id": "action_id",
    "parent_id": "platform_id",
}
STATUSES: dict[tuple[str, int], int] = {}
FIXED = {"indicator_code": "people_engaged"}


def _known(found: dict[str, str], name: str) -> str | None:
    return FIXED.get(name) or found.get(ALIASES.get(name, name))


def _send(client: TestClient, case: Any, headers: dict[str, str]) -> Any:
    """The case through the suite's client (httpx), with the caller's token."""
    kwargs = case.as_transport_kwargs(base_url=str(client.base_url))
    sent = {k: str(v) for k, v in (kwargs.get("headers") or {}).items()}
    sent.pop("Authorization", None)
    sent.update(headers)
    data = kwargs.get("data")
    extra: dict[str, Any] = {}
    if "json" in kwargs:
        extra["json"] = kwargs["json"]
    elif isinstance(data, bytes | str):
        extra["content"] = data
    elif data is not None:
        extra["data"] = data
    if kwargs.get("files"):
        extra["files"] = kwargs["files"]
    return client.request(
        kwargs["method"],
        kwargs["url"],
        params=kwargs.get("params"),
        headers=sent,
        **extra,
    )


def _fuzz(
    client: TestClient,
    operation: Any,
    mode: GenerationMode,
    callers: dict[str, Callable[[], dict[str, str]]],
    found: dict[str, str],
    turns: Iterator[int],
    failures: list[str],
) -> None:
    names = list(callers)
    path_names = re.findall(r"\{([^}]+)\}", operation.path)

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        # Callers in turn (a drawn caller would shrink towards the first one); every fourth
        # request keeps the generated ids (a record that is not there, or not an id at all),
        # the others name the records made for the run (in the caller's reach or not).
        turn = next(turns)
        who = names[turn % len(names)]
        if turn % 4 != 3:
            for name in path_names:
                known = _known(found, name)
                if known is not None:
                    case.path_parameters[name] = known
            if isinstance(case.body, dict):
                for key in list(case.body):
                    known = _known(found, key)
                    if known is not None and key.endswith("_id"):
                        case.body[key] = known
        response = _send(client, case, callers[who]())
        STATUSES[(who, response.status_code)] = STATUSES.get((who, response.status_code), 0) + 1
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as failure:  # kept, not shrunk: every operation is still tried
            failures.append(f"{operation.label} as {who}: {failure}")

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid: an operation without any input
        assert mode is GenerationMode.NEGATIVE, operation.label


def test_the_served_document_holds_under_fuzzing(
    app: FastAPI, client: TestClient, db: Session, board: Board, s: Setup
) -> None:
    w = board.w
    found = records(client, db, board, s)
    # A token made for each request: a long `make fuzz` outlives an access token.
    callers: dict[str, Callable[[], dict[str, str]]] = {
        "anonymous": dict,
        "admin": lambda: w.h(w.admin),
        "secretariat": lambda: w.h(w.secretariat),
        "organisation staff": lambda: w.h(w.staff),
        "provider staff": lambda: s.h(s.provider_staff),
    }
    schema = schemathesis.openapi.from_dict(app.openapi())
    failures: list[str] = []
    turns = itertools.count()
    timings: list[tuple[float, str]] = []
    client.app.retry = False  # type: ignore[attr-defined]
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            started = time.monotonic()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _fuzz(client, operation, mode, callers, found, turns, failures)
            timings.append((time.monotonic() - started, operation.label))
    finally:
        client.app.retry = True  # type: ignore[attr-defined]
    if os.environ.get("PLASED_FUZZ_TIMINGS"):
        for seconds, label in sorted(timings, reverse=True)[:15]:
            print(f"{seconds:6.2f}s {label}")
        print(sorted(STATUSES.items()))
    assert not failures, "\n".join(failures[:20])
    # Not a walk past closed doors: every operation was tried, and the records made for the
    # run were reached (read, changed, made) by callers in their reach.
    assert len(timings) == sum(len(item) for item in app.openapi()["paths"].values())
    assert sum(n for (_, status), n in STATUSES.items() if 200 <= status < 300) > 100
