"""Open Referral's own HSDS 3.0 schemas, to check our answers against (tests only).

They live beside the repository, in ``../shared/hsds-3.0`` (present on developer machines and
in CI; see its README for source, commit and licence). Where it is absent (a fresh clone
elsewhere) the tests that need it skip, saying so."""

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO_ROOT = Path(__file__).resolve().parents[1]
HSDS = REPO_ROOT.parent / "shared" / "hsds-3.0"
# The address the HSDS OpenAPI document gives its schemas; files resolve their $refs by name.
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def require_hsds() -> Path:
    if not (HSDS / "schema" / "service.json").is_file():
        pytest.skip(f"the official HSDS 3.0 schemas are absent ({HSDS}): nothing to check with")
    return HSDS


@cache
def _registry() -> Registry:
    schemas = require_hsds() / "schema"
    resources = [
        (
            BASE + path.relative_to(schemas).as_posix(),
            Resource.from_contents(json.loads(path.read_text("utf-8")), DRAFT202012),
        )
        for path in sorted(schemas.rglob("*.json"))
        if path.name != "openapi.json"
    ]
    return Registry().with_resources(resources)


@cache
def openapi() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        (require_hsds() / "schema" / "openapi.json").read_text("utf-8")
    )
    return document


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(
        schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _no_nulls(value: Any, where: str = "") -> list[str]:
    if value is None:
        return [where or "/"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _no_nulls(v, f"{where}/{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _no_nulls(v, f"{where}/{i}")]
    return []


def _errors(schema: dict[str, Any], record: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in _validator(schema).iter_errors(record)
    ]


def check(name: str, record: Any) -> None:
    """``record`` validates against the official schema ``name`` (e.g. ``service.json``,
    ``compiled/service_list.json``), formats included, and carries no null anywhere."""
    assert _errors({"$ref": BASE + name}, record) == [], name
    assert _no_nulls(record) == [], (name, _no_nulls(record))


def answer_schema(path: str) -> tuple[bool, dict[str, Any]]:
    """What the HSDS OpenAPI document says ``GET path`` answers: whether it is a ``Page``, and
    the schema of the record or of each item of ``contents``. The fully nested compiled
    schemas the shared copy leaves out are checked through their source schema, which nests
    the same records by $ref."""
    content = openapi()["paths"][path]["get"]["responses"]["200"]["content"]
    schema: dict[str, Any] = content["application/json"]["schema"]
    paged = "contents" in schema.get("properties", {})
    if paged:
        schema = schema["properties"]["contents"]["items"]
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(BASE)
        if not (HSDS / "schema" / name).is_file():
            name = name.removeprefix("compiled/")
        schema = {"$ref": BASE + name}
    return paged, schema


def check_answer(path: str, body: Any) -> None:
    """An answer of the API profile, as the HSDS OpenAPI document describes ``GET path``;
    no null anywhere in it."""
    paged, schema = answer_schema(path)
    assert _no_nulls(body) == [], (path, _no_nulls(body))
    if not paged:
        assert _errors(schema, body) == [], path
        return
    assert _errors(openapi()["components"]["schemas"]["Page"], body) == [], path
    for item in body["contents"]:
        assert _errors(schema, item) == [], (path, item.get("id"))
