"""The committed OpenAPI document, operation ids, and the Dockerfile."""

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from plased.cli import openapi_document
from tests.conftest import REPO_ROOT

OPERATION_ID = re.compile(r"^[a-z]+(-[a-z]+)+$")


def test_openapi_document_is_current() -> None:
    committed = (REPO_ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8")
    assert committed == openapi_document(), (
        "openapi/openapi.json is stale: run `plased export-openapi` and commit it"
    )


def test_every_operation_has_a_readable_stable_id(app: FastAPI) -> None:
    ids = [
        operation["operationId"]
        for path in app.openapi()["paths"].values()
        for operation in path.values()
    ]
    assert ids and len(ids) == len(set(ids))
    assert [i for i in ids if not OPERATION_ID.match(i)] == []


def _schemas_under(document: dict[str, Any], node: Any, found: set[str]) -> set[str]:
    """Names of the component schemas ``node`` refers to, directly or through others."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] not in found:
            name = ref.rsplit("/", 1)[1]
            found.add(name)
            _schemas_under(document, document["components"]["schemas"][name], found)
        for value in node.values():
            _schemas_under(document, value, found)
    elif isinstance(node, list):
        for value in node:
            _schemas_under(document, value, found)
    return found


def _objects(document: dict[str, Any], names: set[str]) -> dict[str, dict[str, Any]]:
    schemas = document["components"]["schemas"]
    return {n: schemas[n] for n in sorted(names) if "properties" in schemas[n]}


def test_request_fields_with_a_default_are_optional(app: FastAPI) -> None:
    """A request field the server fills in when it is left out is never required."""
    document = app.openapi()
    operations = [op for item in document["paths"].values() for op in item.values()]
    names: set[str] = set()
    for operation in operations:
        _schemas_under(document, operation.get("requestBody", {}), names)
        _schemas_under(document, operation.get("parameters", []), names)
    requests = _objects(document, names)
    assert len(requests) > 40
    wrong = [
        f"{name}.{field}"
        for name, schema in requests.items()
        for field, spec in schema["properties"].items()
        if "default" in spec and field in schema.get("required", [])
    ]
    wrong += [
        f"{p['in']} {p['name']}"
        for operation in operations
        for p in operation.get("parameters", [])
        if "default" in p["schema"] and p.get("required")
    ]
    assert wrong == []


def test_answer_fields_are_all_required(app: FastAPI) -> None:
    """Every field of an answer is always sent (null when empty), defaults included: the
    document says so, and generated clients need not test for a missing field."""
    document = app.openapi()
    names: set[str] = set()
    for item in document["paths"].values():
        for operation in item.values():
            for status, answer in operation["responses"].items():
                if status.startswith("2"):
                    _schemas_under(document, answer, names)
    answers = _objects(document, names)
    assert len(answers) > 40 and "TokenPair" in answers
    optional = [
        f"{name}.{field}"
        for name, schema in answers.items()
        for field in schema["properties"]
        if field not in schema.get("required", [])
    ]
    assert optional == []


def test_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    result = subprocess.run(
        [hadolint, "--failure-threshold", "warning", "Dockerfile"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_as_non_root_with_healthcheck() -> None:
    text = (REPO_ROOT / "Dockerfile").read_text()
    assert re.search(r"^USER (?!root|0\b)\S+", text, re.M)
    assert "HEALTHCHECK" in text and text.count("FROM ") >= 2
    assert "plased migrate" in text


def test_every_data_file_ships_in_the_package() -> None:
    """The image installs the package (not the checkout): data files must be package data."""
    import fnmatch
    import tomllib

    patterns = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["plased"]
    package = REPO_ROOT / "src" / "plased"
    data_files = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert data_files
    assert [f for f in data_files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)] == []


# Headers a browser may read without being told (the CORS-safelisted response headers).
SAFELISTED = {
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
}


def test_every_documented_header_is_readable_by_a_browser(app: FastAPI) -> None:
    from plased.main import EXPOSED_HEADERS

    exposed = {name.lower() for name in EXPOSED_HEADERS} | SAFELISTED
    hidden = {
        f"{method.upper()} {path} {status}: {name}"
        for path, item in app.openapi()["paths"].items()
        for method, operation in item.items()
        for status, answer in operation["responses"].items()
        for name in answer.get("headers", {})
        if name.lower() not in exposed
    }
    assert hidden == set()


def test_every_file_answer_documents_its_name(app: FastAPI) -> None:
    files = 0
    for path, item in app.openapi()["paths"].items():
        for method, operation in item.items():
            for status, answer in operation["responses"].items():
                if status.startswith("2") and any(
                    media != "application/json" for media in answer.get("content", {})
                ):
                    files += 1
                    assert "Content-Disposition" in answer["headers"], (method, path, status)
    assert files >= 8
