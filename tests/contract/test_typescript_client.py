"""A TypeScript client generated from the OpenAPI document compiles under ``tsc --strict``.

openapi-typescript turns the document into types, and ``client/referral-flow.ts`` (sign in,
create a referral with an Idempotency-Key, read it, list a page, branch on a Problem's
``code``) is compiled against them with openapi-fetch. The tools are pinned in
``client/package-lock.json`` and installed with ``npm ci`` into a cache keyed by that lock.
Needs ``node`` and ``npm`` (``.ci/run`` installs them when it can); skipped without them.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi import FastAPI

CLIENT = Path(__file__).with_name("client")
MIN_NODE = (18, 17)  # openapi-typescript 7 and its parser need Node.js 18.17 or newer


def _node_version(node: str) -> tuple[int, int]:
    out = subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    match = re.match(r"v(\d+)\.(\d+)", out.strip())
    return (int(match[1]), int(match[2])) if match else (0, 0)


def _run(args: list[str], cwd: Path, timeout: int) -> None:
    result = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """The pinned tools, installed once per lock file."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are not installed (`.ci/run` installs them from Debian)")
    if _node_version(node) < MIN_NODE:
        pytest.skip(f"Node.js {'.'.join(map(str, MIN_NODE))} or newer is needed")
    lock = (CLIENT / "package-lock.json").read_bytes()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "plased-contract"
    target = cache / hashlib.sha256(lock).hexdigest()[:16]
    if not (target / "node_modules" / ".bin" / "tsc").exists():
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(CLIENT / name, partial / name)
        _run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=partial, timeout=600)
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
    return target / "node_modules"


def test_generated_client_compiles_strictly(
    app: FastAPI, node_modules: Path, tmp_path: Path
) -> None:
    (tmp_path / "openapi.json").write_text(json.dumps(app.openapi()), encoding="utf-8")
    for name in ("referral-flow.ts", "tsconfig.json"):
        shutil.copy(CLIENT / name, tmp_path / name)
    (tmp_path / "node_modules").symlink_to(node_modules, target_is_directory=True)
    bin_dir = node_modules / ".bin"
    # The document marks every field an answer always carries as required; defaults say
    # nothing about presence, so request fields with a default stay optional.
    _run(
        [
            str(bin_dir / "openapi-typescript"),
            "openapi.json",
            "--output",
            "schema.d.ts",
            "--default-non-nullable",
            "false",
        ],
        cwd=tmp_path,
        timeout=300,
    )
    _run(
        [str(bin_dir / "tsc"), "--project", "tsconfig.json", "--strict", "--noEmit"],
        cwd=tmp_path,
        timeout=300,
    )
