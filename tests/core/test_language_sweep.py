"""Field messages in Khmer, on every operation of the API.

Every operation is sent requests that break each of its inputs in every way its OpenAPI
document allows (wrong type, out of bounds, too long, not a choice, missing, unknown field,
not an object, not JSON), once with ``Accept-Language: km`` and once in English. Every
``errors[]`` message of the Khmer answer must be Khmer, the two answers must name the same
pointers and codes, and neither may quote what was sent.
"""

import json
import re
import uuid
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.factories import auth
from tests.helpers import assert_problem
from tests.sweeps import example, operations, resolve
from tests.worlds import World

KHMER = re.compile("[\u1780-\u17ff]")
# In every invalid text the sweep sends: no answer may quote it.
MARK = "ZQXW"

Schema = dict[str, Any]
# Longer texts are refused by the body size limit (413) before validation.
LONGEST = 10_000


def _bounds(schema: Schema) -> list[Any]:
    values: list[Any] = []
    if "minimum" in schema:
        values.append(schema["minimum"] - 1)
    if "maximum" in schema:
        values.append(schema["maximum"] + 1)
    if "exclusiveMinimum" in schema:
        values.append(schema["exclusiveMinimum"])
    if "exclusiveMaximum" in schema:
        values.append(schema["exclusiveMaximum"])
    return values


def _text(schema: Schema) -> list[Any]:
    fmt = schema.get("format")
    if fmt in ("uuid", "email"):
        return [f"{MARK}-not-a-{fmt}"]
    if fmt == "date":
        return [f"{MARK}-date", "2026-02-30", "2026-01-31T08:30:00+07:00"]
    if fmt == "date-time":
        return [f"{MARK}-time", "2026-02-30T08:00:00+07:00"]
    values: list[Any] = []
    if schema.get("minLength", 0) > 0:
        values.append("")
    if schema.get("maxLength", LONGEST) < LONGEST:
        values.append(MARK + "x" * schema["maxLength"])
    if "pattern" in schema:
        values.append(f"{MARK} !")
    return values


def invalid(spec: dict[str, Any], schema: Schema, *, as_text: bool = False) -> list[Any]:
    """Values the schema refuses, each for another reason; ``as_text`` for what travels as
    text (query, header, form, path), where only text can be sent."""
    schema = resolve(spec, schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return invalid(spec, options[0], as_text=as_text) if len(options) == 1 else []
    kind = schema.get("type")
    if "enum" in schema or "const" in schema:
        values: list[Any] = [f"{MARK}-not-a-choice", 12345]
    elif kind == "object" or "properties" in schema:
        values = [MARK, *_broken_objects(spec, schema)]
        if schema.get("required"):
            values.append({})
        if schema.get("additionalProperties") is False:
            values.append({**example(spec, schema), MARK.lower(): MARK})
    elif kind == "array":
        items = schema.get("items", {})
        values = [MARK] + [[bad] for bad in invalid(spec, items)[:1]]
        if schema.get("minItems"):
            values.append([])
        if "maxItems" in schema:
            values.append([example(spec, items)] * (schema["maxItems"] + 1))
    elif kind == "integer":
        values = [MARK, 1.5, [MARK], *_bounds(schema)]
    elif kind == "number":
        values = [MARK, [MARK], *_bounds(schema)]
    elif kind == "boolean":
        values = [MARK, [MARK]]
    elif kind == "string":
        values = ([12345] if schema.get("format") != "binary" else []) + _text(schema)
    else:
        values = []
    if as_text:
        # Text for the other types; a string field takes any text, so only its own limits.
        return [str(v) for v in values if isinstance(v, str | int | float) and v != 12345]
    return values


def _broken_objects(spec: dict[str, Any], schema: Schema) -> list[Schema]:
    """A nested object whose fields are broken, round by round."""
    bad = {n: invalid(spec, p) for n, p in schema.get("properties", {}).items()}
    valid = example(spec, schema)
    rounds = max((len(v) for v in bad.values()), default=0)
    return [{**valid, **{n: v[i] for n, v in bad.items() if i < len(v)}} for i in range(rounds)]


def _requests(spec: dict[str, Any], path: str, operation: Schema) -> list[Schema]:
    """The invalid requests for one operation: round ``i`` breaks every input that has an
    ``i``-th way to break, so each round is refused and together they try every way."""
    params = {p: str(uuid.uuid4()) for p in re.findall(r"\{([^}]+)\}", path)}
    bad: dict[tuple[str, str], list[Any]] = {}
    for parameter in operation.get("parameters", []):
        values = invalid(spec, parameter["schema"], as_text=True)
        if values:
            bad[(parameter["in"], parameter["name"])] = values
    content = operation.get("requestBody", {}).get("content", {})
    media = next(iter(content), None)
    body: Schema = {}
    if media in ("application/json", "application/x-www-form-urlencoded"):
        body_schema = resolve(spec, content[media]["schema"])
        body = example(spec, body_schema)
        for name, prop in body_schema.get("properties", {}).items():
            values = invalid(spec, prop, as_text=media != "application/json")
            if values:
                bad[("body", name)] = values
    rounds: list[Schema] = []
    for i in range(max((len(v) for v in bad.values()), default=0)):
        chosen = {where: values[i] for where, values in bad.items() if i < len(values)}
        url = path.format(**{**params, **{n: v for (w, n), v in chosen.items() if w == "path"}})
        request: Schema = {
            "url": url,
            "params": {n: v for (w, n), v in chosen.items() if w == "query"},
            "headers": {n: v for (w, n), v in chosen.items() if w == "header"},
        }
        if media == "application/json":
            request["json"] = {**body, **{n: v for (w, n), v in chosen.items() if w == "body"}}
        elif media == "application/x-www-form-urlencoded":
            request["data"] = {**body, **{n: v for (w, n), v in chosen.items() if w == "body"}}
        rounds.append(request)
    if media == "application/json":
        url = path.format(**params)
        rounds += [
            {"url": url, "json": {}},
            {"url": url, "json": {**body, MARK.lower(): MARK}},
            {"url": url, "json": [MARK]},
            {"url": url, "json": MARK},
            {"url": url, "content": b'{"' + MARK.encode(), "headers": {}},
        ]
    # Only requests that break something: a body of {} breaks nothing when all is optional.
    required = resolve(spec, content[media]["schema"]).get("required") if media else None
    return [r for r in rounds if r.get("json") != {} or required]


def _answer(client: TestClient, method: str, request: Schema, headers: dict[str, str]) -> Any:
    sent = dict(request)
    if "content" in sent:
        sent["headers"] = {**sent["headers"], "Content-Type": "application/json"}
    sent["headers"] = {**sent.get("headers", {}), **headers}
    response = client.request(method, **sent)
    # ``instance`` is the path, which holds what was sent in a path parameter.
    told = {k: v for k, v in response.json().items() if k != "instance"}
    assert MARK not in json.dumps(told, ensure_ascii=False), (method, request, response.text)
    return response


def test_every_field_message_follows_accept_language(
    app: FastAPI, client: TestClient, world: World
) -> None:
    spec = app.openapi()
    admin = auth(world.settings, world.admin)
    seen: set[str] = set()
    sent = 0
    for method, path, operation, _ in operations(spec):
        for request in _requests(spec, path, operation):
            km = _answer(client, method, request, {**admin, "Accept-Language": "km"})
            en = _answer(client, method, request, {**admin, "Accept-Language": "en"})
            where = (method, path, request)
            body = assert_problem(km, 422, "validation_failed")
            english = assert_problem(en, 422, "validation_failed")
            assert km.headers["content-language"] == "km"
            assert en.headers["content-language"] == "en"
            assert KHMER.search(body["title"]) and KHMER.search(body["detail"])
            assert body["errors"], where
            for error in body["errors"]:
                assert KHMER.search(error["message"]), (where, error)
            assert [(e["pointer"], e["code"]) for e in body["errors"]] == [
                (e["pointer"], e["code"]) for e in english["errors"]
            ], where
            assert not any(KHMER.search(e["message"]) for e in english["errors"]), where
            seen |= {e["code"] for e in body["errors"]}
            sent += 1
    assert sent > 300
    # The kinds of refusal the API's own inputs can produce, all reached by the sweep.
    assert seen >= {
        "missing",
        "extra_forbidden",
        "string_type",
        "string_too_short",
        "string_too_long",
        "string_pattern_mismatch",
        "int_parsing",
        "int_type",
        "int_from_float",
        "float_parsing",
        "bool_parsing",
        "bool_type",
        "greater_than",
        "greater_than_equal",
        "less_than_equal",
        "list_type",
        "too_short",
        "too_long",
        "enum",
        "literal_error",
        "uuid_parsing",
        "uuid_type",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
        "datetime_from_date_parsing",
        "json_invalid",
        "model_attributes_type",
        "value_error",
    }, sorted(seen)
