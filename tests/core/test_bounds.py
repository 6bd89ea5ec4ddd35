"""Every number a request may send is bounded, and the bounds fit the column that stores it.

An unbounded integer passes validation and then overflows PostgreSQL's 32-bit INTEGER (a 500
there; SQLite stores it silently), and a float past what a column holds does the same. So
every integer and number in the OpenAPI document's request schemas (bodies and parameters,
through every ``$ref``) must have a minimum and a maximum; integers must fit 32 bits; and
where a request field is stored (tests/core/test_lengths.STORED), its bounds must fit the
column's own type.
"""

from typing import Any

from fastapi import FastAPI
from sqlalchemy import Float, Integer, Numeric, SmallInteger

from plased.db import metadata
from tests.core.test_lengths import STORED, _request_models

INT32 = (-(2**31), 2**31 - 1)
INT16 = (-(2**15), 2**15 - 1)
# Integers beyond 2**53 are no longer exact in a double (a JSON number in most clients).
DOUBLE = (-(2**53), 2**53)


def _bounds(schema: dict[str, Any]) -> tuple[float | None, float | None]:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    return low, high


def _numbers(schema: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    """(where, schema) of every integer or number inside a schema, refs not followed."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(schema, dict):
        kinds = schema.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if {"integer", "number"} & set(kinds):
            found.append((where, schema))
        for key, value in schema.items():
            found += _numbers(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            found += _numbers(value, f"{where}/{index}")
    return found


def _refs(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        own = {schema["$ref"].rsplit("/", 1)[1]} if "$ref" in schema else set()
        return own.union(*(_refs(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_refs(v) for v in schema))
    return set()


def request_numbers(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every integer and number a request may carry: parameters and bodies."""
    components = document["components"]["schemas"]
    found: list[tuple[str, dict[str, Any]]] = []
    bodies: set[str] = set()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                where = f"{label} {parameter['in']} {parameter['name']}"
                found += _numbers(parameter.get("schema", {}), where)
            body = operation.get("requestBody", {})
            found += _numbers(body, f"{label} body")
            bodies |= _refs(body)
    seen: set[str] = set()
    while bodies - seen:
        name = (bodies - seen).pop()
        seen.add(name)
        found += _numbers(components[name], name)
        bodies |= _refs(components[name])
    return found


def test_every_number_a_request_may_send_is_bounded_within_32_bits(app: FastAPI) -> None:
    numbers = request_numbers(app.openapi())
    assert len(numbers) > 20  # the walk reaches bodies and parameters
    unbounded = []
    for where, schema in numbers:
        low, high = _bounds(schema)
        if low is None or high is None:
            unbounded.append(f"{where}: no {'minimum' if low is None else 'maximum'}")
            continue
        allowed = INT32 if schema.get("type") == "integer" else DOUBLE
        if low < allowed[0] or high > allowed[1]:
            unbounded.append(f"{where}: {low}..{high} outside {allowed}")
    assert unbounded == []


def _fits(column_type: Any, low: float, high: float) -> bool:
    if isinstance(column_type, SmallInteger):
        return INT16[0] <= low and high <= INT16[1]
    if isinstance(column_type, Integer):  # INTEGER on PostgreSQL (BigInteger is 64 bits)
        limit = 2**63 - 1 if "big" in type(column_type).__name__.lower() else INT32[1]
        return -limit - 1 <= low and high <= limit
    if isinstance(column_type, Numeric) and not isinstance(column_type, Float):
        if column_type.precision is None:
            return True
        whole = 10 ** (column_type.precision - (column_type.scale or 0))
        return -whole < low and high < whole
    return True  # double precision: any bounded number within DOUBLE


def test_bounds_fit_the_columns_that_store_them() -> None:
    """A request field stored in a column fits its type: INTEGER, SMALLINT, NUMERIC(p, s)."""
    checked = 0
    misfits = []
    for name, model in _request_models().items():
        tables, renamed = STORED[name]
        for field, schema in model.model_json_schema()["properties"].items():
            for where, number in _numbers(schema, f"{name}.{field}"):
                low, high = _bounds(number)
                if low is None or high is None:
                    continue  # reported by the test above
                places = renamed.get(field, [f"{t}.{field}" for t in tables])
                for place in places:
                    table, column_name = place.split(".")
                    column = metadata.tables[table].columns.get(column_name)
                    if column is None:
                        continue
                    checked += 1
                    if not _fits(column.type, low, high):
                        misfits.append(f"{where}: {low}..{high} > {place} {column.type}")
    assert checked > 10  # the fields are found in their columns
    assert misfits == []


def test_the_walk_finds_numbers_behind_refs_and_in_parameters() -> None:
    document = {
        "paths": {
            "/x": {
                "post": {
                    "parameters": [{"in": "query", "name": "n", "schema": {"type": "integer"}}],
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/c/s/Outer"}}}
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Outer": {"properties": {"inner": {"$ref": "#/c/s/Inner"}}},
                "Inner": {"properties": {"v": {"anyOf": [{"type": "number"}, {"type": "null"}]}}},
            }
        },
    }
    assert [where for where, _ in request_numbers(document)] == [
        "POST /x query n",
        "Inner/properties/v/anyOf/0",
    ]
