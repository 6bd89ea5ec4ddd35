"""The indicators as CSV, XLSX and a printable page: the files open, hold what the JSON
holds (suppression included), escape what a spreadsheet or a browser would run, and an
empty period is a file of zero values."""

import csv
import io
import uuid
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from plased.reporting import exports
from plased.reporting.schemas import (
    IndicatorBreakdown,
    IndicatorCell,
    IndicatorReport,
    IndicatorValue,
)
from tests.helpers import assert_problem
from tests.reporting.conftest import People, ok

PERIOD = "?from=2026-01-01&to=2026-12-31"


def _csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv(client: TestClient, people: People) -> None:
    w = people.w
    url = f"/api/v1/platforms/{w.plased.id}/indicators.csv{PERIOD}"
    response = client.get(url, headers=w.h(w.secretariat))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="indicators-2026-01-01-to-2026-12-31.csv"'
    )
    rows = _csv(response.content)
    totals = {r["indicator_code"]: r for r in rows if r["dimension"] == "total"}
    assert totals["people_engaged"]["value"] == "19.0"
    assert totals["people_engaged"]["target"] == "110.0"
    assert totals["people_engaged"]["met"] == "false"
    gender = {
        r["key"]: r["value"]
        for r in rows
        if r["indicator_code"] == "people_engaged" and r["dimension"] == "gender"
    }
    assert gender == {"female": "10", "male": "9"}
    youth = [
        r for r in rows if r["indicator_code"] == "people_engaged" and r["dimension"] == "youth"
    ]
    assert youth and all(r["value"] == "" and r["suppressed"] == "true" for r in youth)
    assert {r["title_km"] for r in rows} >= {"ចំនួនមនុស្សចូលរួមក្នុងវេទិកា"}


def test_xlsx_has_a_sheet_per_breakdown(client: TestClient, people: People) -> None:
    w = people.w
    url = f"/api/v1/platforms/{w.plased.id}/indicators.xlsx{PERIOD}"
    response = client.get(url, headers=w.h(w.observer))
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].endswith(
        'indicators-2026-01-01-to-2026-12-31.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "indicators", "gender", "youth", "indigenous", "disability", "stakeholder_kind",
        "district", "commune", "strategy",
    ]  # fmt: skip
    main = {row[0]: row for row in book["indicators"].iter_rows(min_row=2, values_only=True)}
    assert main["people_engaged"][5] == 19 and main["people_engaged"][9] is False
    gender = list(book["gender"].iter_rows(min_row=2, values_only=True))
    assert ("people_engaged", "female", None, None, 10, False) in gender
    assert [r[1] for r in book["commune"].iter_rows(min_row=2, values_only=True)] == ["160501"]
    # Organisation staff: no sheet below district level.
    staff = client.get(url, headers=w.h(w.staff))
    assert "commune" not in load_workbook(io.BytesIO(staff.content)).sheetnames


def test_html_page(client: TestClient, people: People) -> None:
    w = people.w
    renamed = client.patch(
        f"/api/v1/platforms/{w.plased.id}",
        json={"name": "<script>alert(1)</script> & Co"},
        headers=w.h(w.admin),
    )
    assert renamed.status_code == 200, renamed.text
    url = f"/api/v1/platforms/{w.plased.id}/indicators.html{PERIOD}"
    response = client.get(url, headers=w.h(w.secretariat))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'inline; filename="indicators-2026-01-01-to-2026-12-31.html"'
    )
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert exports.STYLE_HASH in policy
    page = response.text
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert "សូចនាករលទ្ធផល" in page and "Results indicators" in page
    assert "People engaged in the platform" in page and "ចំនួនមនុស្សចូលរួមក្នុងវេទិកា" in page
    assert '<rect class="bar"' in page  # value against target


def test_an_empty_period_is_a_valid_file_of_zeros(client: TestClient, people: People) -> None:
    w = people.w
    base = f"/api/v1/platforms/{w.plased.id}/indicators"
    period = "?from=2020-01-01&to=2020-01-31"
    h = w.h(w.secretariat)
    rows = _csv(ok_bytes(client.get(f"{base}.csv{period}", headers=h)))
    totals = {r["indicator_code"]: r["value"] for r in rows if r["dimension"] == "total"}
    assert totals["people_engaged"] == "0.0" and totals["member_organisations"] == "0.0"
    book = load_workbook(io.BytesIO(ok_bytes(client.get(f"{base}.xlsx{period}", headers=h))))
    assert book["gender"].max_row == 1  # the header only
    page = ok_bytes(client.get(f"{base}.html{period}", headers=h)).decode()
    assert "2020-01-01" in page


def ok_bytes(response: object) -> bytes:
    assert getattr(response, "status_code", None) == 200
    return bytes(getattr(response, "content", b""))


def test_export_access_and_bad_input(client: TestClient, people: People) -> None:
    w = people.w
    for ext in ("csv", "xlsx", "html"):
        url = f"/api/v1/platforms/{w.plased.id}/indicators.{ext}"
        assert_problem(client.get(url), 401, "not_authenticated")
        assert_problem(client.get(url, headers=w.h(w.stranger)), 404, "not_found")
        assert_problem(client.get(url, headers=w.h(w.facilitator)), 403, "forbidden")
        assert_problem(
            client.get(f"{url}?from=2026-02-01&to=2026-01-01", headers=w.h(w.secretariat)),
            422,
            "validation_failed",
        )
        assert_problem(
            client.get(f"{url}?indicator=x", headers=w.h(w.secretariat)), 422, "validation_failed"
        )
        assert_problem(
            client.get(f"{url}?format=pdf", headers=w.h(w.secretariat)), 422, "validation_failed"
        )
    assert ok(client.get(f"/api/v1/platforms/{w.plased.id}/indicators", headers=w.h(w.staff)))


def test_formula_like_text_is_quoted() -> None:
    """A strategy's title is free text: in a spreadsheet it stays text."""
    cell = IndicatorCell(
        key="s1", label='=HYPERLINK("http://x")', label_km="@SUM(A1)", count=7, suppressed=False
    )
    row = IndicatorValue(
        code="strategy_participants_min", title="-2+3", title_km="+1", unit="people",
        direction="up", value=-1.0, suppressed=False, baseline=None, target=15.0,
        target_period_start=None, target_period_end=None, met=False,
        breakdowns=[IndicatorBreakdown(dimension="strategy", cells=[cell])],
    )  # fmt: skip
    report = IndicatorReport(
        platform_id=uuid.uuid4(),
        period_from=date(2026, 1, 1),
        period_to=None,
        indicators=[row],
    )
    rows = _csv(exports.to_csv(report))
    assert rows[0]["title"] == "'-2+3" and rows[0]["title_km"] == "'+1"
    assert rows[0]["value"] == "-1.0"  # a number stays a number
    assert rows[1]["label"] == '\'=HYPERLINK("http://x")'
    book = load_workbook(io.BytesIO(exports.to_xlsx(report, ["strategy"])))
    main = next(iter(book["indicators"].iter_rows(min_row=2, values_only=True)))
    assert main[1] == "'-2+3" and main[5] == -1
    strategy = next(iter(book["strategy"].iter_rows(min_row=2, values_only=True)))
    assert strategy[2] == '\'=HYPERLINK("http://x")' and strategy[3] == "'@SUM(A1)"
    assert exports.filename(report, "csv") == "indicators-2026-01-01-to-now.csv"
