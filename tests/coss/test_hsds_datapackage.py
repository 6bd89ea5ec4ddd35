"""The directory as HSDS's tabular Data Package: frictionless accepts it, foreign keys
included, and its datapackage.json is the official one's structure."""

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from frictionless import Package, system
from sqlmodel import Session

from plased.config import Settings
from plased.demo import seed_demo
from tests.helpers import assert_problem
from tests.hsds_schemas import require_hsds
from tests.worlds import SERVICES, Catalogue, service_body


def _structure(package: dict[str, Any]) -> list[Any]:
    """What a tool reads of a descriptor: tables, files, columns, types, constraints, keys."""
    return [
        (
            r["name"],
            r["path"],
            r["format"],
            r["profile"],
            r["schema"]["primaryKey"],
            r["schema"].get("foreignKeys") or [],
            [
                (f["name"], f["type"], f.get("format"), f.get("constraints"))
                for f in r["schema"]["fields"]
            ],
        )
        for r in package["resources"]
    ]


def _extract(content: bytes, into: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(into)
    return into / "datapackage.json"


def _validate(descriptor: Path) -> list[str]:
    with system.use_context(trusted=True):
        report = Package(str(descriptor)).validate()
    return [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors]


def _rows(root: Path, name: str) -> list[dict[str, str]]:
    with (root / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_descriptor_is_the_official_one(client: TestClient, cat: Catalogue) -> None:
    official = json.loads((require_hsds() / "datapackage.json").read_text("utf-8"))
    answer = client.get(f"/api/v1/platforms/{cat.w.coss.id}/hsds/datapackage.zip")
    assert answer.status_code == 200
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        ours = json.loads(archive.read("datapackage.json"))
        files = set(archive.namelist())
    assert _structure(ours) == _structure(official)
    assert {k: ours[k] for k in ("name", "profile", "version", "license")} == {
        k: official[k] for k in ("name", "profile", "version", "license")
    }
    assert files == {"datapackage.json"} | {r["path"] for r in official["resources"]}


def test_the_demo_package_passes_frictionless(
    client: TestClient, db: Session, settings: Settings, tmp_path: Path
) -> None:
    require_hsds()
    seed_demo(db, settings)
    db.commit()
    coss = client.get("/api/v1/platforms", params={"q": "coss-ratanakiri"}).json()["items"][0]
    answer = client.get(f"/api/v1/platforms/{coss['id']}/hsds/datapackage.zip")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    assert answer.headers["etag"].startswith('W/"')
    again = client.get(answer.url, headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304
    descriptor = _extract(answer.content, tmp_path / "good")
    assert _validate(descriptor) == []
    root = descriptor.parent
    services = _rows(root, "services.csv")
    assert len(services) > 20
    assert len(_rows(root, "service_at_location.csv")) == len(services)
    assert len(_rows(root, "addresses.csv")) == len(_rows(root, "locations.csv")) == 10
    assert (
        _rows(root, "taxonomies.csv")[0]["id"]
        == _rows(root, "taxonomy_terms.csv")[0]["taxonomy_id"]
    )
    assert _rows(root, "contacts.csv") == [] and _rows(root, "metadata.csv") == []
    # Absent values are empty cells, never "None" or "null".
    text = (root / "services.csv").read_text("utf-8")
    assert "None" not in text and "null" not in text

    # The checks are real: a service whose organisation is not in the package fails them.
    broken = tmp_path / "broken"
    _extract(answer.content, broken)
    services[0]["organization_id"] = "00000000-0000-4000-8000-000000000000"
    with (broken / "services.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(services[0]))
        writer.writeheader()
        writer.writerows(services)
    assert any(e.startswith("foreign-key") for e in _validate(broken / "datapackage.json"))


@pytest.mark.parametrize("which", ["unknown", "plased", "archived"])
def test_only_an_active_coss_platform_has_a_package(
    client: TestClient, db: Session, cat: Catalogue, which: str
) -> None:
    w = cat.w
    client.post(
        SERVICES, json=service_body(cat, db, status="published"), headers=w.h(w.secretariat)
    )
    platform = {"unknown": "3a1e0f6c-0000-4000-8000-000000000000", "plased": str(w.plased.id)}
    if which == "archived":
        assert (
            client.delete(f"/api/v1/platforms/{w.coss.id}", headers=w.h(w.admin)).status_code == 204
        )
    url = f"/api/v1/platforms/{platform.get(which, w.coss.id)}/hsds/datapackage.zip"
    assert_problem(client.get(url), 404, "not_found")
