"""Every record of every HSDS answer about the demo directory validates against Open
Referral's official HSDS 3.0 schemas (Draft 2020-12, formats checked), on both databases."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from plased.config import Settings
from plased.demo import seed_demo
from plased.members.models import CsoSector
from plased.platforms.models import Platform
from tests.hsds_schemas import check_answer, require_hsds

KHMER = re.compile("[\u1780-\u17ff]")


@pytest.fixture
def demo(db: Session, settings: Settings) -> dict[str, str]:
    require_hsds()
    seed_demo(db, settings)
    db.commit()
    return {p.code: str(p.id) for p in db.exec(select(Platform))}


def _pages(client: TestClient, url: str, per_page: int) -> list[dict[str, Any]]:
    """Every page of a list, each checked against the spec, and the paging fields held."""
    answers, page = [], 1
    while True:
        answer = client.get(url, params={"page": page, "per_page": per_page})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        answers.append(body)
        if body["last_page"]:
            break
        page += 1
    assert sum(len(b["contents"]) for b in answers) == answers[0]["total_items"]
    assert len(answers) == max(answers[0]["total_pages"], 1)
    return answers


def test_every_record_of_the_demo_directory_conforms(
    client: TestClient, demo: dict[str, str]
) -> None:
    root = f"/api/v1/platforms/{demo['coss-ratanakiri']}/hsds"
    check_answer("/", client.get(f"{root}/").json())

    services = [
        s for body in _pages(client, f"{root}/services", 7) for s in body["contents"]
    ]  # fmt: skip
    for body in _pages(client, f"{root}/services", 7):
        check_answer("/services", body)
    directory = client.get(
        "/api/v1/services", params={"platform_id": demo["coss-ratanakiri"], "limit": 200}
    ).json()
    assert {s["id"] for s in services} == {s["id"] for s in directory["items"]}
    assert len(services) == directory["total"] > 20
    full = []
    for s in services:
        answer = client.get(f"{root}/services/{s['id']}")
        assert answer.status_code == 200, answer.text
        check_answer("/services/{id}", answer.json())
        full.append(answer.json())

    organizations = [
        o for body in _pages(client, f"{root}/organizations", 4) for o in body["contents"]
    ]
    for body in _pages(client, f"{root}/organizations", 4):
        check_answer("/organizations", body)
    assert {o["id"] for o in organizations} == {s["organization_id"] for s in services}
    for o in organizations:
        answer = client.get(f"{root}/organizations/{o['id']}")
        check_answer("/organizations/{id}", answer.json())

    taxonomies = client.get(f"{root}/taxonomies").json()
    check_answer("/taxonomies", taxonomies)
    for t in taxonomies["contents"]:
        check_answer("/taxonomies/{id}", client.get(f"{root}/taxonomies/{t['id']}").json())
    terms = [t for body in _pages(client, f"{root}/taxonomy_terms", 10) for t in body["contents"]]
    for body in _pages(client, f"{root}/taxonomy_terms", 10):
        check_answer("/taxonomy_terms", body)
    for t in terms:
        check_answer("/taxonomy_terms/{id}", client.get(f"{root}/taxonomy_terms/{t['id']}").json())
    for body in _pages(client, f"{root}/service_at_locations", 9):
        check_answer("/service_at_locations", body)

    _faithful(full, organizations, terms, taxonomies["contents"])


def _faithful(
    services: list[dict[str, Any]],
    organizations: list[dict[str, Any]],
    terms: list[dict[str, Any]],
    taxonomies: list[dict[str, Any]],
) -> None:
    """What the records say is true of the demo, not only well-formed."""
    # Every service is delivered somewhere: its provider's office, with a real address.
    sectors = {s.value for s in CsoSector}
    for s in services:
        assert len(s["service_at_locations"]) == 1, s["name"]
        place = s["service_at_locations"][0]["location"]
        address = place["addresses"][0]
        assert address["country"] == "KH" and address["state_province"] == "Ratanak Kiri"
        assert address["address_1"] not in sectors and re.search(r"\w+ \w+", address["address_1"])
        assert address["postal_code"].isdigit() and len(address["postal_code"]) == 6
        assert s["attributes"][0]["taxonomy_term"]["id"] == s["attributes"][0]["taxonomy_term_id"]
        assert s["languages"] and s["service_areas"] and s["last_modified"].endswith("Z")
        assert s["cost_options"] or s["fees_description"] == "Fees apply"
        assert s["organization"]["id"] == s["organization_id"]
    assert any(lang["code"] == "km" for s in services for lang in s["languages"])
    # Organisations are described, not named again.
    for o in organizations:
        assert o["description"] not in (o["name"], o.get("alternate_name")), o
        assert o["description"].startswith("A ")
    # Terms point to the taxonomy, say the language they are in, and are all in use.
    used = {s["attributes"][0]["taxonomy_term_id"] for s in services}
    parents = {t.get("parent_id") for t in terms if t["id"] in used} - {None}
    assert {t["id"] for t in terms} == used | parents
    assert {t["taxonomy_id"] for t in terms} == {t["id"] for t in taxonomies}
    for t in terms:
        assert t["language"] == "en" and not KHMER.search(t["name"] + t["description"])


def test_only_coss_platforms_publish_a_directory(client: TestClient, demo: dict[str, str]) -> None:
    root = f"/api/v1/platforms/{demo['plased-ratanakiri']}/hsds"
    for path in ("/", "/services", "/organizations", "/taxonomies", "/taxonomy_terms",
                 "/service_at_locations", "/datapackage.zip"):  # fmt: skip
        answer = client.get(root + path)
        assert answer.status_code == 404, path
        assert answer.json()["code"] == "not_found"
