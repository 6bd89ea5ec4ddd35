"""The HSDS 3.0 API profile of a COSS directory: public and read-only, paged as HSDS pages
(checked against hand-counted fixtures), filtered as the spec names, every answer valid
against the official schemas, bad input answered with problem+json."""

import io
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import unit
from tests.helpers import assert_problem
from tests.hsds_schemas import check_answer, require_hsds
from tests.worlds import CLIENT_NAME, CLIENT_PHONE, SERVICES, Setup, make_referral, service_body

NAMES = [
    "Advice on land titles",
    "Cashew grafting",
    "Free legal advice",
    "Loans",
    "Savings groups",
]


def _root(s: Setup) -> str:
    return f"/api/v1/platforms/{s.c.w.coss.id}/hsds"


@pytest.fixture
def directory(client: TestClient, db: Session, s: Setup) -> dict[str, str]:
    """Five published services (two in the setup), one draft; the provider has an office
    with an address, the other provider none. Their names, by id."""
    c, w = s.c, s.c.w
    sec = w.h(w.secretariat)
    added = {}
    for name, provider, category, state in [
        ("Advice on land titles", c.provider, "legal_representation", "published"),
        ("Cashew grafting", c.other_provider, "crop_production", "published"),
        ("Savings groups", c.other_provider, "savings", "published"),
        ("Hidden draft", c.provider, "legal_counselling", "draft"),
    ]:
        body = service_body(
            c,
            db,
            name=name,
            provider_id=str(provider.id),
            category_id=str(c.categories[category].id),
            status=state,
            is_free=name != "Savings groups",
            fees="Interest 1 % a month" if name == "Savings groups" else None,
            phone="+855 75 974 013" if name == "Cashew grafting" else None,
        )
        answer = client.post(SERVICES, json=body, headers=sec)
        assert answer.status_code == 201, answer.text
        added[answer.json()["id"]] = name
    office = client.patch(
        f"/api/v1/organisations/{c.provider.id}",
        json={
            "address": "Street 13, Sangkat Kachanh, Ban Lung",
            "unit_id": str(unit(db, "160201").id),
            "phone": "+855 75 974 005",
            "website": "https://legalaid.example.org",
        },
        headers=sec,
    )
    assert office.status_code == 200, office.text
    return {s.service_id: "Free legal advice", s.other_service_id: "Loans", **added}


def _get(client: TestClient, url: str, spec: str, **params: Any) -> Any:
    answer = client.get(url, params=params)
    assert answer.status_code == 200, answer.text
    check_answer(spec, answer.json())
    return answer.json()


PAGING = ("total_items", "total_pages", "page", "per_page", "page_number", "size")
FLAGS = ("first_page", "last_page", "empty")


def _paging(body: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(body[k] for k in PAGING + FLAGS)


def test_services_page_as_counted_by_hand(
    client: TestClient, s: Setup, directory: dict[str, str]
) -> None:
    require_hsds()
    url = f"{_root(s)}/services"
    pages = [_get(client, url, "/services", per_page=2, page=n) for n in (1, 2, 3, 4)]
    assert [_paging(p) for p in pages] == [
        (5, 3, 1, 2, 1, 2, True, False, False),
        (5, 3, 2, 2, 2, 2, False, False, False),
        (5, 3, 3, 2, 3, 1, False, True, False),
        (5, 3, 4, 2, 4, 0, False, True, True),
    ]
    assert [x["name"] for p in pages for x in p["contents"]] == NAMES
    whole = _get(client, url, "/services")
    assert _paging(whole) == (5, 1, 1, 50, 1, 5, True, True, False)
    nothing = _get(client, url, "/services", search="no such thing")
    assert _paging(nothing) == (0, 0, 1, 50, 1, 0, True, True, True)
    # List items carry one-to-one fields and their organization; full=true nests the rest.
    first = whole["contents"][0]
    assert first["organization"]["name"] == "Legal Aid Ratanakiri"
    assert "service_at_locations" not in first
    nested = _get(client, url, "/services", full="true")["contents"][0]
    check_answer("/services/{id}", nested)
    assert nested["service_at_locations"][0]["location"]["addresses"][0]["city"] == "Ban Lung"


def test_services_filter_as_the_spec_names(
    client: TestClient, s: Setup, directory: dict[str, str]
) -> None:
    require_hsds()
    url, c = f"{_root(s)}/services", s.c

    def names(**params: Any) -> list[str]:
        return [x["name"] for x in _get(client, url, "/services", **params)["contents"]]

    legal = c.categories["legal_aid"].id
    assert names(taxonomy_term_id=legal) == ["Advice on land titles", "Free legal advice"]
    assert names(taxonomy_term_id=c.categories["savings"].id) == ["Savings groups"]
    theirs = ["Cashew grafting", "Loans", "Savings groups"]
    assert names(organization_id=c.other_provider.id) == theirs
    assert names(search="legal") == ["Free legal advice"]
    assert names(search="CASHEW") == ["Cashew grafting"]
    taxonomy = _get(client, f"{_root(s)}/taxonomies", "/taxonomies")["contents"][0]["id"]
    assert names(taxonomy_id=taxonomy) == NAMES
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert names(modified_after=future) == []
    assert names(modified_after=past) == NAMES
    # The same filters choose the services at locations: only the provider has an office.
    at = _get(client, f"{_root(s)}/service_at_locations", "/service_at_locations")
    offices = ["Advice on land titles", "Free legal advice"]
    assert [x["service"]["name"] for x in at["contents"]] == offices
    assert _paging(at)[:2] == (2, 1)
    counselling = _get(
        client,
        f"{_root(s)}/service_at_locations",
        "/service_at_locations",
        taxonomy_term_id=c.categories["legal_counselling"].id,
    )
    assert [x["service_id"] for x in counselling["contents"]] == [s.service_id]


def test_a_service_with_its_related_records(
    client: TestClient, s: Setup, directory: dict[str, str]
) -> None:
    require_hsds()
    ids = {name: i for i, name in directory.items()}
    advice = _get(client, f"{_root(s)}/services/{s.service_id}", "/services/{id}")
    assert advice["organization"]["id"] == str(s.c.provider.id)
    assert advice["organization"]["website"] == "https://legalaid.example.org"
    (at,) = advice["service_at_locations"]
    assert at["location"]["organization_id"] == str(s.c.provider.id)
    address = at["location"]["addresses"][0]
    assert (address["address_1"], address["postal_code"]) == (
        "Street 13, Sangkat Kachanh, Ban Lung",
        "160201",
    )
    assert {(x["code"], x["name"]) for x in advice["languages"]} == {
        ("km", "Khmer"),
        ("tpu", "Tampuan"),
    }
    assert [a["name"] for a in advice["service_areas"]] == ["Ban Lung"]
    term = advice["attributes"][0]["taxonomy_term"]
    assert (term["code"], term["language"]) == ("legal_counselling", "en")
    assert advice["cost_options"][0]["option"] == "Free of charge"
    assert advice["eligibility_description"] == "Indigenous people and women, aged 15 to 80"
    assert "phones" not in advice or advice["phones"] == []
    cashew = _get(client, f"{_root(s)}/services/{ids['Cashew grafting']}", "/services/{id}")
    assert cashew["phones"][0]["number"] == "+855 75 974 013"
    assert cashew["service_at_locations"] == []  # its provider has no address
    savings = _get(client, f"{_root(s)}/services/{ids['Savings groups']}", "/services/{id}")
    assert savings["cost_options"][0]["amount_description"] == "Interest 1 % a month"
    assert savings["fees_description"] == "Interest 1 % a month"
    for missing in (ids["Hidden draft"], uuid.uuid4()):
        assert_problem(client.get(f"{_root(s)}/services/{missing}"), 404, "not_found")


def test_organizations_and_taxonomy(
    client: TestClient, s: Setup, directory: dict[str, str]
) -> None:
    require_hsds()
    root, c = _root(s), s.c
    organizations = _get(client, f"{root}/organizations", "/organizations")
    names = [o["name"] for o in organizations["contents"]]
    assert names == ["Legal Aid Ratanakiri", "Rural Credit"]
    assert _paging(_get(client, f"{root}/organizations", "/organizations", per_page=1, page=2)) == (
        2, 2, 2, 1, 2, 1, False, True, False,
    )  # fmt: skip
    found = _get(client, f"{root}/organizations", "/organizations", search="credit")
    assert [o["id"] for o in found["contents"]] == [str(c.other_provider.id)]
    provider = _get(client, f"{root}/organizations/{c.provider.id}", "/organizations/{id}")
    offered = [x["name"] for x in provider["services"]]
    assert offered == ["Advice on land titles", "Free legal advice"]
    assert provider["phones"][0]["number"] == "+855 75 974 005"
    assert provider["locations"][0]["addresses"][0]["state_province"] == "Ratanak Kiri"
    assert provider["description"] != provider["name"]
    # An organisation that provides nothing in the directory is not in it.
    assert_problem(client.get(f"{root}/organizations/{c.w.org.id}"), 404, "not_found")

    (taxonomy,) = _get(client, f"{root}/taxonomies", "/taxonomies")["contents"]
    assert _get(client, f"{root}/taxonomies/{taxonomy['id']}", "/taxonomies/{id}") == taxonomy
    assert_problem(client.get(f"{root}/taxonomies/{uuid.uuid4()}"), 404, "not_found")
    terms = _get(client, f"{root}/taxonomy_terms", "/taxonomy_terms")
    # The five categories used and their three parents; the other seventeen are left out.
    assert sorted(t["code"] for t in terms["contents"]) == sorted(
        ["agriculture_extension", "crop_production", "legal_aid", "legal_counselling",
         "legal_representation", "microfinance", "credit", "savings"]
    )  # fmt: skip
    assert {t["taxonomy_id"] for t in terms["contents"]} == {taxonomy["id"]}
    top = _get(client, f"{root}/taxonomy_terms", "/taxonomy_terms", top_only="true")
    assert sorted(t["code"] for t in top["contents"]) == [
        "agriculture_extension",
        "legal_aid",
        "microfinance",
    ]
    microfinance = c.categories["microfinance"].id
    children = _get(client, f"{root}/taxonomy_terms", "/taxonomy_terms", parent_id=microfinance)
    assert [t["code"] for t in children["contents"]] == ["credit", "savings"]
    savings = c.categories["savings"].id
    one = _get(client, f"{root}/taxonomy_terms/{savings}", "/taxonomy_terms/{id}")
    assert one["parent_id"] == str(microfinance)
    unused = c.categories["fisheries"].id
    assert_problem(client.get(f"{root}/taxonomy_terms/{unused}"), 404, "not_found")
    index = _get(client, f"{root}/", "/")
    assert index["version"] == "3.0"


@pytest.mark.parametrize(
    ("path", "params", "code"),
    [
        ("/services", {"page": 0}, "greater_than_equal"),
        ("/services", {"per_page": 0}, "greater_than_equal"),
        ("/services", {"per_page": 201}, "less_than_equal"),
        ("/organizations", {"page": "first"}, "int_parsing"),
        ("/taxonomy_terms", {"page": 100_001}, "less_than_equal"),
        ("/services", {"format": "ndjson"}, "literal_error"),
        ("/services", {"taxonomy_term_id": "fisheries"}, "uuid_parsing"),
        ("/services", {"taxonomy_term_id": "unused"}, "unknown_category"),
        ("/services", {"taxonomy_id": "random"}, "unknown_taxonomy"),
        ("/services", {"organization_id": "cso"}, "unknown_organisation"),
        ("/services", {"modified_after": "2026-01-01T00:00:00"}, "timezone_required"),
        ("/service_at_locations", {"organization_id": "cso"}, "unknown_organisation"),
        ("/service_at_locations", {"taxonomy_term_id": "random"}, "unknown_category"),
        ("/taxonomy_terms", {"taxonomy_id": "random"}, "unknown_taxonomy"),
        ("/taxonomy_terms", {"parent_id": "unused"}, "unknown_category"),
    ],
)
def test_bad_input_answers_422(
    client: TestClient,
    s: Setup,
    directory: dict[str, str],
    path: str,
    params: dict[str, Any],
    code: str,
) -> None:
    meaning = {
        "unused": str(s.c.categories["fisheries"].id),
        "random": str(uuid.uuid4()),
        "cso": str(s.c.w.org.id),
    }
    params = {k: meaning.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
    (name,) = params
    problem = assert_problem(client.get(_root(s) + path, params=params), 422, "validation_failed")
    assert [(e["pointer"], e["code"]) for e in problem["errors"]] == [(f"/query/{name}", code)]


PATHS = [
    "/",
    "/services",
    "/services/{service_id}",
    "/organizations",
    "/organizations/{organization_id}",
    "/taxonomies",
    "/taxonomy_terms",
    "/service_at_locations",
    "/datapackage.zip",
]


def _urls(s: Setup, platform: Any) -> list[str]:
    ids = {"service_id": s.service_id, "organization_id": s.c.provider.id}
    return [f"/api/v1/platforms/{platform}/hsds{p.format(**ids)}" for p in PATHS]


def test_only_an_active_coss_platform_publishes(
    client: TestClient, s: Setup, directory: dict[str, str]
) -> None:
    w = s.c.w
    for url in _urls(s, w.coss.id):
        assert client.get(url).status_code == 200, url
    for platform in (uuid.uuid4(), w.plased.id, w.other.id):
        for url in _urls(s, platform):
            assert_problem(client.get(url), 404, "not_found")
    assert client.delete(f"/api/v1/platforms/{w.coss.id}", headers=w.h(w.admin)).status_code == 204
    for url in _urls(s, w.coss.id):
        assert_problem(client.get(url), 404, "not_found")
        # Not even to its own secretariat: a feed publishes to everyone or no one.
        assert_problem(client.get(url, headers=w.h(w.secretariat)), 404, "not_found")


def test_a_provider_leaving_takes_its_services_out(
    client: TestClient, s: Setup, directory: dict[str, str]
) -> None:
    w = s.c.w
    memberships = client.get(
        f"/api/v1/platforms/{w.coss.id}/memberships?limit=200", headers=w.h(w.secretariat)
    ).json()["items"]
    membership = next(m for m in memberships if m["organisation_id"] == str(s.c.other_provider.id))
    suspended = client.post(
        f"/api/v1/memberships/{membership['id']}/suspend",
        json={"reason": "Audit"},
        headers=w.h(w.secretariat),
    )
    assert suspended.status_code == 200, suspended.text
    body = client.get(f"{_root(s)}/services").json()
    assert [x["name"] for x in body["contents"]] == ["Advice on land titles", "Free legal advice"]
    assert_problem(
        client.get(f"{_root(s)}/organizations/{s.c.other_provider.id}"), 404, "not_found"
    )


def test_answers_are_tagged_and_compressed_like_every_other(
    client: TestClient, s: Setup, directory: dict[str, str]
) -> None:
    url = f"{_root(s)}/services"
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip"
    assert first.headers["cache-control"] == "no-cache"
    tag = first.headers["etag"]
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
    client.patch(
        f"/api/v1/services/{s.service_id}",
        json={"description": "Advice on land, family and labour law"},
        headers=s.h(s.c.w.secretariat),
    )
    changed = client.get(url, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    package = client.get(f"{_root(s)}/datapackage.zip", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in package.headers  # a zip is compressed already
    assert package.content[:2] == b"PK"


def test_no_client_data_is_ever_exported(
    client: TestClient, s: Setup, directory: dict[str, str]
) -> None:
    make_referral(client, s)
    texts = [client.get(url).text for url in _urls(s, s.c.w.coss.id)[:-1]]
    texts.append(client.get(f"{_root(s)}/services", params={"full": "true"}).text)
    package = client.get(f"{_root(s)}/datapackage.zip").content
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        texts += [archive.read(name).decode("utf-8") for name in archive.namelist()]
    for text in texts:
        assert CLIENT_NAME not in text and CLIENT_PHONE not in text
        assert "Land dispute" not in text
