"""/docs and /redoc load nothing from elsewhere: every script, style and icon comes from this
service, answers 200 with its type, and the pages' policy allows this origin only."""

import base64
import hashlib
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from plased.apidocs import STATIC_DIR
from tests.conftest import REPO_ROOT

TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".png": "image/png",
}


class _Assets(HTMLParser):
    """The URLs a page loads, and the text of any inline script or style."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.urls.append(str(found["src"]))
        elif tag == "link" and found.get("href"):
            self.urls.append(str(found["href"]))
        elif tag in ("script", "style"):
            self._open = tag
        if any(name == "style" or name.startswith("on") for name, _ in attrs):
            self.inline.append(f"{tag} attribute")

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.inline.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_load_only_local_assets(client: TestClient, page: str) -> None:
    answer = client.get(page)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assets = _Assets()
    assets.feed(answer.text)
    assert assets.urls, "the page loads its scripts and styles"
    assert assets.inline == []  # the policy below would refuse them
    assert "cdn." not in answer.text and "https://" not in answer.text
    assert "http://" not in answer.text
    for url in assets.urls:
        assert url.startswith("/static/"), url
        got = client.get(url)
        assert got.status_code == 200, url
        assert got.headers["content-type"].startswith(TYPES[Path(url).suffix]), url
        assert got.content, url
    directives = dict(
        part.strip().split(" ", 1) for part in answer.headers["content-security-policy"].split(";")
    )
    assert directives["default-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'"
    # Styles from here; for ReDoc also empty inline style elements (the hash of nothing).
    empty = base64.b64encode(hashlib.sha256(b"").digest()).decode()
    assert directives["style-src"] in ("'self'", f"'self' 'sha256-{empty}'")
    for value in directives.values():
        assert "unsafe" not in value and "http" not in value and "*" not in value


def test_swagger_ui_reads_the_document_from_here(client: TestClient) -> None:
    page = client.get("/docs").text
    assert 'data-openapi-url="/openapi.json"' in page
    start = client.get("/static/docs/swagger-ui-init.js").text
    assert "root.dataset.openapiUrl" in start and "validatorUrl: null" in start
    assert client.get("/openapi.json").status_code == 200
    assert '<redoc spec-url="/openapi.json" native-scrollbars>' in client.get("/redoc").text


def test_style_sheets_pull_nothing_from_elsewhere() -> None:
    """No font or further style sheet is imported from another site by the CSS the pages load
    (the policy would refuse it, and a slow connection would wait for it)."""
    for name in ("swagger-ui/swagger-ui.css", "docs/redoc.css"):
        css = (STATIC_DIR / name).read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", css), name


def test_every_vendored_file_has_its_licence() -> None:
    for folder in ("swagger-ui", "redoc"):
        assert (STATIC_DIR / folder / "LICENSE").is_file()
    readme = (STATIC_DIR / "README.md").read_text(encoding="utf-8")
    assert "swagger-ui-dist" in readme and "redoc" in readme and "npm pack" in readme


def test_api_answers_keep_the_strict_policy(client: TestClient) -> None:
    for path in ("/openapi.json", "/health/live", "/static/swagger-ui/swagger-ui.css"):
        policy = client.get(path).headers["content-security-policy"]
        assert policy == "default-src 'none'; frame-ancestors 'none'", path
    assert client.get("/static/../pyproject.toml").status_code == 404


def test_the_package_carries_the_docs_files(tmp_path: Path) -> None:
    """The image installs the package, not the checkout: its wheel must hold every file the
    pages load, and the licences."""
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), "."],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("plased-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        f"plased/static/{path.relative_to(STATIC_DIR).as_posix()}"
        for path in STATIC_DIR.rglob("*")
        if path.is_file()
    }
    assert shipped <= names, sorted(shipped - names)
