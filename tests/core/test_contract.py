"""The committed OpenAPI document, operation ids, and the Dockerfile."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

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
