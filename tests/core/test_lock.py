"""The lock files hold every dependency pyproject.toml names, pinned and hashed: adding or
changing a dependency without `make lock` fails here, before an install can differ."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import REPO_ROOT

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME = [Requirement(line) for line in PYPROJECT["project"]["dependencies"]]
TEST = [Requirement(line) for line in PYPROJECT["project"]["optional-dependencies"]["test"]]

# One pinned requirement: `name==version [; marker] \` then its `--hash=sha256:` lines.
_PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>\S+)"
    r"(?P<marker>[^\\\n]*)\\\n(?P<hashes>(?:[ \t]+--hash=sha256:[0-9a-f]{64}[ \t]*\\?\n)+)",
    re.M,
)


def _pins(lock: str) -> dict[str, list[Version]]:
    """Package name -> the versions the lock pins (one per Python or platform it forks on)."""
    text = (REPO_ROOT / lock).read_text(encoding="utf-8")
    pins: dict[str, list[Version]] = {}
    for match in _PIN.finditer(text):
        pins.setdefault(canonicalize_name(match["name"]), []).append(Version(match["version"]))
    # Every requirement line of the file was read as a hashed pin: nothing is left unhashed.
    named = re.findall(r"^[A-Za-z0-9]", text, re.M)
    assert len(named) == sum(len(v) for v in pins.values()), f"{lock}: a line without hashes"
    return pins


@pytest.mark.parametrize(
    ("lock", "required"),
    [("requirements.lock", RUNTIME), ("requirements-test.lock", RUNTIME + TEST)],
)
def test_every_dependency_is_pinned_with_hashes(lock: str, required: list[Requirement]) -> None:
    pins = _pins(lock)
    missing = [str(r) for r in required if canonicalize_name(r.name) not in pins]
    assert missing == [], f"not in {lock}; run `make lock`"
    outside = [
        f"{r.name} {version}"
        for r in required
        for version in pins[canonicalize_name(r.name)]
        if not r.specifier.contains(version, prereleases=True)
    ]
    assert outside == [], f"{lock} pins versions pyproject.toml excludes; run `make lock`"


def test_the_runtime_lock_holds_no_test_tool() -> None:
    runtime = {canonicalize_name(r.name) for r in RUNTIME}
    tools = {canonicalize_name(r.name) for r in TEST} - runtime
    assert tools & set(_pins("requirements.lock")) == set()


def test_installs_use_the_locks() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    stamp = re.search(r"^\$\(STAMP\):(.*)$", makefile, re.M)
    assert stamp is not None and "requirements-test.lock" in stamp[1]
    assert "pip install --quiet --require-hashes -r requirements-test.lock" in makefile
    assert "pip install --quiet --no-deps -e ." in makefile
    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --no-cache-dir --require-hashes -r requirements.lock" in dockerfile
    assert "--no-deps ." in dockerfile


def test_lock_headers_name_make_lock() -> None:
    for lock in ("requirements.lock", "requirements-test.lock"):
        assert "#    make lock" in Path(REPO_ROOT / lock).read_text(encoding="utf-8")
