"""Field messages (``errors[].message``) in Khmer with ``Accept-Language: km``: the same
pointers and codes as in English, limits from the contract, never what was sent."""

import re
import string
from pathlib import Path
from typing import Any, Literal

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from pydantic import AwareDatetime, Field, HttpUrl, field_validator

import plased
from plased import i18n
from plased.config import Settings
from plased.main import create_app
from plased.schemas import RequestModel
from tests.helpers import assert_problem
from tests.worlds import Board, World, meeting_body

KHMER = re.compile("[\u1780-\u17ff]")
KM = {"Accept-Language": "km"}
EN = {"Accept-Language": "en"}
MARK = "ZQXW"


def _both(client: TestClient, method: str, url: str, headers: dict[str, str], **kw: Any) -> Any:
    """The Khmer and the English answer to one request, checked alike; the Khmer errors."""
    km = client.request(method, url, headers={**headers, **KM}, **kw)
    en = client.request(method, url, headers={**headers, **EN}, **kw)
    km_body = assert_problem(km, 422, "validation_failed")
    en_body = assert_problem(en, 422, "validation_failed")
    assert km.headers["content-language"] == "km" and en.headers["content-language"] == "en"
    assert [(e["pointer"], e["code"]) for e in km_body["errors"]] == [
        (e["pointer"], e["code"]) for e in en_body["errors"]
    ]
    assert all(KHMER.search(e["message"]) for e in km_body["errors"]), km_body["errors"]
    told = [e["message"] for e in km_body["errors"] + en_body["errors"]]
    assert not [m for m in told if MARK in m], told
    return km_body["errors"], en_body["errors"]


def _by_pointer(errors: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {e["pointer"]: e for e in errors}


def test_missing_fields_and_limits(client: TestClient, board: Board) -> None:
    sec = board.w.h(board.w.secretariat)
    url = f"/api/v1/bodies/{board.body_id}/meetings"
    km, en = _both(client, "POST", url, sec, json={})
    assert {e["code"] for e in km} == {"missing"}
    assert {e["message"] for e in km} == {"ត្រូវការវាលនេះ។"}
    assert {e["message"] for e in en} == {"Field required"}

    km, en = _both(client, "POST", url, sec, json=meeting_body(title=MARK + "M" * 200))
    assert km == [
        {"pointer": "/body/title", "code": "string_too_long", "message": "ត្រូវមានយ៉ាងច្រើន 200 តួអក្សរ។"}
    ]
    assert en[0]["message"] == "String should have at most 200 characters"


def test_choices_types_and_unknown_fields(client: TestClient, world: World) -> None:
    sec = world.h(world.secretariat)
    body = {"platform_id": "not-a-uuid", "name": "", "kind": MARK, "email": 5, MARK: MARK}
    km, _ = _both(client, "POST", "/api/v1/organisations", sec, json=body)
    found = _by_pointer(km)
    assert found["/body/platform_id"] == {
        "pointer": "/body/platform_id",
        "code": "uuid_parsing",
        "message": "ត្រូវតែជា UUID។",
    }
    assert found["/body/name"]["message"] == "ត្រូវមានយ៉ាងតិច 1 តួអក្សរ។"
    choices = found["/body/kind"]["message"]
    assert found["/body/kind"]["code"] == "enum"
    assert "'cso'" in choices and " ឬ " in choices and " or " not in choices
    assert found["/body/email"]["code"] == "string_type"
    assert found[f"/body/{MARK}"]["code"] == "extra_forbidden"


def test_email_and_json_errors(client: TestClient, world: World) -> None:
    admin = world.h(world.admin)
    body = {"email": f"{MARK}@@example.org", "full_name": "A", "password": "a-long-password-1"}
    km, en = _both(client, "POST", "/api/v1/users", admin, json=body)
    assert km == [
        {"pointer": "/body/email", "code": "value_error", "message": "អាសយដ្ឋានអ៊ីមែលមិនត្រឹមត្រូវ។"}
    ]
    assert en[0]["message"].startswith("value is not a valid email address")

    json_headers = {**admin, "Content-Type": "application/json"}
    broken = b'{"email": "' + MARK.encode()
    km, en = _both(client, "POST", "/api/v1/users", json_headers, content=broken)
    assert [e["code"] for e in km] == ["json_invalid"]
    assert km[0]["message"] == "តួសំណើមិនមែនជា JSON ត្រឹមត្រូវទេ។"
    assert en[0]["message"] == "The body is not valid JSON."


_REGULATION_FIELDS = {
    "quorum",
    "majority_rules",
    "board_term_months",
    "min_women_share",
    "membership_requires_approval",
    "referral_response_hours",
    "data_retention_days",
    "youth_min_age",
    "youth_max_age",
}


def test_written_validator_messages_have_khmer(client: TestClient, world: World) -> None:
    sec = world.h(world.secretariat)
    url = f"/api/v1/platforms/{world.plased.id}/regulations"
    current = client.get(url, headers=sec).json()
    body = {k: v for k, v in current.items() if k in _REGULATION_FIELDS}
    km, en = _both(client, "PUT", url, sec, json={**body, "youth_min_age": 30, "youth_max_age": 20})
    assert km == [
        {
            "pointer": "/body",
            "code": "value_error",
            "message": "youth_min_age មិនត្រូវធំជាង youth_max_age ទេ។",
        }
    ]
    assert en[0]["message"] == "youth_min_age must not exceed youth_max_age."

    km, _ = _both(client, "PUT", url, sec, json={**body, "majority_rules": [MARK]})
    assert km[0]["message"] == i18n.WRITTEN_KM["Unknown majority rule;"]

    nul = {"platform_id": str(world.plased.id), "name": "A\x00B", "kind": "cso", "sector": "cbo"}
    km, en = _both(client, "POST", "/api/v1/organisations", sec, json=nul)
    assert km[0]["message"] == "មិនអនុញ្ញាតតួអក្សរ NUL ទេ។"
    assert en[0]["message"] == "NUL characters are not allowed."


def test_explicit_null_in_a_partial_update(client: TestClient, world: World) -> None:
    sec = world.h(world.secretariat)
    km, en = _both(
        client, "PATCH", f"/api/v1/organisations/{world.org.id}", sec, json={"name": None}
    )
    assert km == [
        {"pointer": "/body/name", "code": "required", "message": "មិនអាចទុកវាលនេះឱ្យទទេបានទេ។"}
    ]
    assert en[0]["message"] == "This field cannot be emptied."


def test_field_errors_of_our_own(client: TestClient, board: Board, world: World) -> None:
    """``field_error``: Khmer for its code (every code has one, see below; a code without
    falls back to the generic text); English keeps the written message (also the
    ``detail``)."""
    sec = world.h(world.secretariat)
    naive = meeting_body(starts_at="2030-01-01T08:00:00", ends_at="2030-01-01T10:00:00")
    km, en = _both(client, "POST", f"/api/v1/bodies/{board.body_id}/meetings", sec, json=naive)
    assert km == [
        {
            "pointer": f"/body/{name}",
            "code": "timezone_required",
            "message": i18n.FIELD_KM["timezone_required"],
        }
        for name in ("starts_at", "ends_at")
    ]
    assert en[0]["message"] == "Give an offset, e.g. +07:00."

    cso = {"platform_id": str(world.plased.id), "name": "No Sector", "kind": "cso"}
    km, en = _both(client, "POST", "/api/v1/organisations", sec, json=cso)
    assert km == [
        {
            "pointer": "/body/sector",
            "code": "sector_required",
            "message": i18n.FIELD_KM["sector_required"],
        }
    ]
    assert en == [
        {"pointer": "/body/sector", "code": "sector_required", "message": "A CSO needs a sector."}
    ]
    answer = client.post("/api/v1/organisations", json=cso, headers=sec)
    assert answer.json()["detail"] == "A CSO needs a sector."


def test_nul_in_the_query_is_refused_in_khmer(client: TestClient) -> None:
    km, _ = _both(client, "GET", "/api/v1/platforms?q=a%00b", {})
    assert km == [
        {"pointer": "/query", "code": "nul_character", "message": i18n.FIELD_KM["nul_character"]}
    ]


class _Probe(RequestModel):
    """Inputs of kinds no operation of the API has yet."""

    at: AwareDatetime | None = None
    site: HttpUrl | None = None
    share: float = Field(default=0.5, lt=1)
    tags: dict[str, str] | None = None
    size: Literal["small", "large"] | None = None
    note: str | None = None

    @field_validator("note")
    @classmethod
    def _written(cls, value: str | None) -> str | None:
        if value == MARK:
            raise ValueError("A written message with no Khmer text yet.")
        return value


def test_kinds_the_api_does_not_use_yet(settings: Settings) -> None:
    app = create_app(settings)
    probe = APIRouter()

    @probe.post("/probe")
    def take(body: _Probe) -> None:
        """Nothing to do: validation is what is probed."""

    app.include_router(probe)
    body = {
        "at": "2030-01-01T08:00:00",
        "site": f"{MARK} not a url",
        "share": 1,
        "tags": MARK,
        "size": MARK,
        "note": MARK,
    }
    with TestClient(app) as client:
        km, en = _both(client, "POST", "/probe", {}, json=body)
    found = {e["code"]: e["message"] for e in km}
    assert found == {
        "timezone_aware": i18n.FIELD_KM["timezone_aware"],
        "url_parsing": i18n.FIELD_KM["url_parsing"],
        "less_than": "ត្រូវតែតូចជាង 1។",
        "dict_type": i18n.FIELD_KM["dict_type"],
        "literal_error": "ត្រូវតែជាតម្លៃមួយក្នុងចំណោម 'small' ឬ 'large'។",
        "value_error": i18n.FIELD_KM["value_error"],
    }
    assert {
        "pointer": "/body/note",
        "code": "value_error",
        "message": "A written message with no Khmer text yet.",
    } in en


# The error types pydantic raises for the inputs this API takes or may take soon.
COMMON = [
    "missing",
    "extra_forbidden",
    "string_type",
    "string_too_short",
    "string_too_long",
    "string_pattern_mismatch",
    "int_type",
    "int_parsing",
    "float_parsing",
    "bool_parsing",
    "greater_than",
    "greater_than_equal",
    "less_than",
    "less_than_equal",
    "too_short",
    "too_long",
    "enum",
    "literal_error",
    "uuid_parsing",
    "uuid_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "datetime_parsing",
    "datetime_from_date_parsing",
    "timezone_aware",
    "json_invalid",
    "model_type",
    "dict_type",
    "value_error",
    "url_parsing",
    "email",
]


@pytest.mark.parametrize("code", COMMON)
def test_every_common_type_has_its_own_khmer_text(code: str) -> None:
    assert code in i18n.FIELD_KM


def test_khmer_texts_quote_only_constraints() -> None:
    for code, text in [*i18n.FIELD_KM.items(), *i18n.WRITTEN_KM.items()]:
        assert KHMER.search(text), code
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        assert names <= i18n.CONSTRAINTS, code
    assert KHMER.search(i18n.FIELD_GENERIC_KM)


def test_field_message_never_takes_the_input_from_ctx() -> None:
    ctx = {"max_length": 3, "input": MARK, "error": f"found `{MARK}`", "reason": MARK}
    text = i18n.field_message("string_too_long", "km", english="…", ctx=ctx)
    assert text == "ត្រូវមានយ៉ាងច្រើន 3 តួអក្សរ។"
    # A limit pydantic did not give: the generic text, never a half-filled one.
    assert i18n.field_message("string_too_long", "km", english="…") == i18n.FIELD_GENERIC_KM
    assert i18n.field_message("no_such_code", "km", english="…") == i18n.FIELD_GENERIC_KM
    assert i18n.field_message("greater_than_equal", "km", english="…", ctx={"ge": 0.0}) == (
        "ត្រូវតែធំជាង ឬស្មើ 0។"
    )
    assert i18n.field_message("missing", "en", english="Field required") == "Field required"


# ``field_error(pointer, "code", …)`` as the source spells it; the pointer may be an f-string.
_RAISED = re.compile(r'field_error\(\s*(?:f?"[^"]*"|[A-Za-z_.]+)\s*,\s*"([a-z_]+)"')


def test_every_field_code_we_raise_has_its_khmer_text() -> None:
    """A code written where an error is raised gets its own Khmer text (FIELD_KM), so a
    field error never falls back to the generic message in Khmer. Read from the source, so a
    new code cannot skip it."""
    source = Path(plased.__file__).parent
    raised: dict[str, str] = {}
    for path in source.rglob("*.py"):
        for match in _RAISED.finditer(path.read_text(encoding="utf-8")):
            raised.setdefault(match.group(1), path.name)
    assert len(raised) > 40  # the pattern still finds what it should
    missing = {code: where for code, where in raised.items() if code not in i18n.FIELD_KM}
    assert not missing, missing
