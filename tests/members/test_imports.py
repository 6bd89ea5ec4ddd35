"""CSV imports: all or nothing, dry runs, stable keys, hostile files."""

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from plased.main import create_app
from plased.members.models import Organisation, Person, Representative
from tests.helpers import assert_problem
from tests.worlds import World

ORGS = (
    "name,name_km,kind,sector,la_level,unit_code,phone\n"
    "Lumphat Farmers Network,បណ្ដាញកសិករលំផាត់,cso,agriculture,,,+855 12 000 111\n"
    "Ta Veaeng District Administration,,local_authority,,district,1608,\n"
    '"=HYPERLINK(""http://evil"")",,other,,,,\n'
)


def post(client: TestClient, world: World, kind: str, text: str | bytes, user=None, dry_run=False):  # type: ignore[no-untyped-def]
    data = text.encode() if isinstance(text, str) else text
    suffix = "?dry_run=true" if dry_run else ""
    return client.post(
        f"/api/v1/platforms/{world.plased.id}/imports/{kind}{suffix}",
        content=data,
        headers={**world.h(user or world.secretariat), "Content-Type": "text/csv"},
    )


def count(db: Session, model: type) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(model)).one()


def test_dry_run_then_import_then_reimport(client: TestClient, db: Session, world: World) -> None:
    dry = post(client, world, "organisations", ORGS, dry_run=True)
    assert dry.status_code == 200, dry.text
    assert dry.json()["created"] == 3 and dry.json()["dry_run"] is True
    assert count(db, Organisation) == 1  # only world.org
    real = post(client, world, "organisations", ORGS)
    assert real.json()["created"] == 3
    assert count(db, Organisation) == 4
    formula = db.exec(select(Organisation).where(col_name("=HYPERLINK"))).one()
    assert formula.name == '=HYPERLINK("http://evil")'  # stored as text, never evaluated
    khmer = db.exec(
        select(Organisation).where(Organisation.name == "Lumphat Farmers Network")
    ).one()
    assert khmer.name_km == "បណ្ដាញកសិករលំផាត់"
    again = post(client, world, "organisations", ORGS.replace("+855 12 000 111", "+855 12 000 222"))
    assert (
        again.json()["created"] == 0
        and again.json()["updated"] == 1
        and again.json()["unchanged"] == 2
    )
    assert count(db, Organisation) == 4


def col_name(prefix: str):  # type: ignore[no-untyped-def]
    from sqlmodel import col

    return col(Organisation.name).startswith(prefix)


def test_one_bad_row_writes_nothing(client: TestClient, db: Session, world: World) -> None:
    bad = (
        ORGS
        + "Bad Authority,,local_authority,,provincial,1608,\n"
        + "No Kind,,,,,,\n"
        + "Bad Unit,,cso,cbo,,9999,\n"
    )
    response = post(client, world, "organisations", bad)
    problem = assert_problem(response, 422, "import_failed")
    rows = {r["row"]: r["errors"] for r in problem["rows"]}
    assert set(rows) == {5, 6, 7}
    assert any("la_level" in e for e in rows[5])
    assert any("kind" in e for e in rows[6])
    assert any("unit_code" in e for e in rows[7])
    assert count(db, Organisation) == 1
    report = post(client, world, "organisations", bad, dry_run=True).json()
    assert [r["action"] for r in report["rows"]] == [
        "create",
        "create",
        "create",
        "error",
        "error",
        "error",
    ]


def test_hostile_files(client: TestClient, db: Session, world: World) -> None:
    assert_problem(
        post(client, world, "organisations", "name,kind\n\xff\xfe".encode("latin-1")),
        422,
        "bad_encoding",
    )
    assert_problem(post(client, world, "organisations", "name\nX\n"), 422, "missing_columns")
    assert_problem(
        post(client, world, "organisations", "name,kind,secret\nX,cso,1\n"), 422, "unknown_columns"
    )
    assert_problem(post(client, world, "organisations", "name,kind\n"), 422, "empty_file")
    assert_problem(
        post(client, world, "organisations", "name,kind\nA,cso\nA,cso\n"), 422, "import_failed"
    )
    big = b"name,kind\n" + b"x" * (10 * 1024 * 1024)
    assert_problem(post(client, world, "organisations", big), 413, "payload_too_large")
    assert count(db, Organisation) == 1


def test_import_access(client: TestClient, world: World) -> None:
    for user, status in ((world.observer, 403), (world.staff, 403), (world.stranger, 404)):
        response = post(client, world, "organisations", ORGS, user=user)
        assert response.status_code == status
    response = client.post(f"/api/v1/platforms/{world.plased.id}/imports/people", content=b"x")
    assert_problem(response, 401, "not_authenticated")


def test_people_import_with_representation(client: TestClient, db: Session, world: World) -> None:
    csv_text = (
        "full_name,name_km,gender,birth_year,indigenous_group,has_disability,phone,organisation,role\n"
        "Nhel Sophal,ញ៉ែល សុផល,female,2001,Tampuan,no,+855 97 555 0101,"
        "Highlanders Association,primary\n"
        "Rmam Thy,,male,1984,Jarai,yes,,Highlanders Association,alternate\n"
        "Sok Dara,,male,1979,,,,,\n"
    )
    response = post(client, world, "people", csv_text)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 3
    assert count(db, Person) == 3 and count(db, Representative) == 2
    again = post(client, world, "people", csv_text)
    assert again.json()["created"] == 0 and again.json()["unchanged"] == 3
    assert count(db, Person) == 3 and count(db, Representative) == 2
    conflicting = (
        "full_name,gender,organisation,role\nNew Primary,female,Highlanders Association,primary\n"
    )
    problem = assert_problem(post(client, world, "people", conflicting), 422, "import_failed")
    assert "primary" in problem["rows"][0]["errors"][0]
    unknown = "full_name,gender,organisation\nX Y,male,No Such Org\n"
    assert_problem(post(client, world, "people", unknown), 422, "import_failed")
    bad_values = "full_name,gender,birth_year,has_disability\nA,robot,1800,maybe\n"
    problem = assert_problem(post(client, world, "people", bad_values), 422, "import_failed")
    assert len(problem["rows"][0]["errors"]) >= 2
    assert count(db, Person) == 3


def test_any_line_ending_and_any_cell_size(client: TestClient, db: Session, world: World) -> None:
    """D16: CRLF, LF and a lone CR (old spreadsheet exports) all end a row; a cell as long as
    the body limit is a clear 422 for that row, never a 500; malformed files are 422."""
    rows = [
        "name,kind,sector",
        "Lone CR Network,cso,cbo",
        "Unix Network,cso,cbo",
        "Dos Network,cso,cbo",
    ]
    mixed = rows[0] + "\r" + rows[1] + "\n" + rows[2] + "\r\n" + rows[3] + "\r"
    report = post(client, world, "organisations", mixed, dry_run=True)
    assert report.status_code == 200, report.text
    assert report.json()["created"] == 3
    quoted = 'name,kind,sector\n"Multi\rline\nname",cso,cbo\n'
    assert post(client, world, "organisations", quoted, dry_run=True).json()["created"] == 1
    huge_cell = "name,kind,sector\n" + "x" * 60_000 + ",cso,cbo\n"
    problem = assert_problem(post(client, world, "organisations", huge_cell), 422, "import_failed")
    assert "200" in str(problem["rows"]) and "x" * 100 not in str(problem)  # no echo
    # Past the csv module's own 128 KiB field limit, under a production-sized body limit.
    roomy = create_app(world.settings.model_copy(update={"max_body_bytes": 1_048_576}))
    with TestClient(roomy, raise_server_exceptions=False) as big_client:
        over_csv_limit = 'name,kind,sector\n"' + "y" * 300_000 + '",cso,cbo\n'
        answer = post(big_client, world, "organisations", over_csv_limit)
        assert_problem(answer, 422, "import_failed")
    assert_problem(
        post(client, world, "organisations", 'name,kind\n"unterminated,cso\n'), 422, "import_failed"
    )
    assert count(db, Organisation) == 1  # the world's own organisation: nothing was written
