"""Bulk import of organisations and people from CSV (UTF-8, Khmer allowed).

All or nothing: one bad row answers 422 with every row's errors and writes nothing.
``dry_run`` answers the same report without writing. Rows are matched to existing records
by a stable key, so re-importing a file creates no duplicates:

- organisations: the name, ignoring case and repeated spaces, within the platform family;
- people: the full name (same normalisation) and birth year, within the platform family.

Cells are stored as text exactly as given; a cell starting with ``=``, ``+``, ``-`` or ``@``
is never evaluated (exports escape such cells).
"""

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, SQLModel, col, select

from plased.access import Access, platform_in_reach, root_of
from plased.db import bump
from plased.errors import PlasedError, Unprocessable
from plased.members import organisations as orgs
from plased.members.models import (
    AdminUnit,
    Organisation,
    Person,
    Representative,
    RepresentativeRole,
)
from plased.members.schemas import ImportReport, ImportRowReport, OrganisationCreate, PersonCreate
from plased.text import name_key

MAX_ROWS = 5000
ORGANISATION_COLUMNS = {"name", "kind"}
ORGANISATION_OPTIONAL = {
    "name_km",
    "acronym",
    "sector",
    "la_level",
    "unit_code",
    "email",
    "phone",
    "website",
    "address",
}
PEOPLE_COLUMNS = {"full_name", "gender"}
PEOPLE_OPTIONAL = {
    "name_km",
    "birth_year",
    "indigenous_group",
    "has_disability",
    "phone",
    "email",
    "consent_to_be_listed",
    "organisation",
    "role",
}
_TRUE = {"yes", "true", "1", "y"}
_FALSE = {"no", "false", "0", "n"}


@dataclass
class ImportRow:
    number: int
    action: str = "unchanged"
    errors: list[str] = field(default_factory=list)
    apply: Any = None


def read_csv(body: bytes, required: set[str], optional: set[str]) -> list[dict[str, str]]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unprocessable("The file is not UTF-8 text.", code="bad_encoding") from exc
    if "\x00" in text:
        raise Unprocessable("The file contains NUL bytes.", code="bad_encoding")
    try:
        return _rows(text, required, optional)
    except csv.Error as exc:
        raise Unprocessable(
            "The file is not well-formed CSV (an unterminated quote?).", code="malformed_csv"
        ) from exc


def _rows(text: str, required: set[str], optional: set[str]) -> list[dict[str, str]]:
    # newline="": lines end at CRLF, LF or a lone CR alike; a quoted cell may hold any of them.
    # A cell may be as long as the whole body the server accepted.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = {c.strip() for c in (reader.fieldnames or []) if c}
    missing = sorted(required - columns)
    if missing:
        raise Unprocessable(
            f"Missing columns: {', '.join(missing)}.",
            code="missing_columns",
            extra={"missing_columns": missing},
        )
    unknown = sorted(columns - required - optional)
    if unknown:
        raise Unprocessable(
            f"Unknown columns: {', '.join(unknown)}.",
            code="unknown_columns",
            extra={"unknown_columns": unknown},
        )
    rows = []
    for row in reader:
        cleaned = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        if any(cleaned.values()):
            rows.append(cleaned)
        if len(rows) > MAX_ROWS:
            raise Unprocessable(f"At most {MAX_ROWS} rows per file.", code="too_many_rows")
    if not rows:
        raise Unprocessable("The file has no rows.", code="empty_file")
    return rows


def _blank_to_none(row: dict[str, str]) -> dict[str, Any]:
    return {k: (v if v != "" else None) for k, v in row.items()}


def _bool(value: str | None, column: str, errors: list[str]) -> bool | None:
    if value is None:
        return None
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    errors.append(f"{column}: use yes or no")
    return None


def _messages(exc: ValidationError) -> list[str]:
    messages = []
    for error in exc.errors():
        column = ".".join(str(part) for part in error["loc"]) or "row"
        messages.append(f"{column}: {str(error['msg']).removeprefix('Value error, ')}")
    return messages


def _report(rows: list[ImportRow], dry_run: bool) -> ImportReport:
    return ImportReport(
        dry_run=dry_run,
        created=sum(r.action == "create" for r in rows),
        updated=sum(r.action == "update" for r in rows),
        unchanged=sum(r.action == "unchanged" for r in rows),
        rows=[
            ImportRowReport(
                row=r.number, action=r.action if not r.errors else "error", errors=r.errors
            )
            for r in rows
        ],
    )


def finish(session: Session, rows: list[ImportRow], dry_run: bool) -> ImportReport:
    report = _report(rows, dry_run)
    if any(r.errors for r in rows):
        bad = [r.model_dump() for r in report.rows if r.errors]
        if dry_run:
            return report
        raise Unprocessable(
            f"{len(bad)} row(s) have errors; nothing was imported.",
            code="import_failed",
            extra={"rows": bad},
        )
    if not dry_run:
        for row in rows:
            if row.apply is not None:
                row.apply()
        session.flush()
    return report


def _changes(record: SQLModel, values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if getattr(record, k) != v}


def import_organisations(
    session: Session, *, access: Access, platform_id: uuid.UUID, body: bytes, dry_run: bool
) -> ImportReport:
    platform = platform_in_reach(session, access, platform_id)
    root = root_of(platform)
    access.require_manage_root(root)
    access.require_writable(root)
    raw_rows = read_csv(body, ORGANISATION_COLUMNS, ORGANISATION_OPTIONAL)
    units = {u.code: u.id for u in session.exec(select(AdminUnit)).all()}
    existing = {
        o.name_key: o
        for o in session.exec(select(Organisation).where(Organisation.platform_id == root)).all()
    }
    seen: set[str] = set()
    rows: list[ImportRow] = []
    for number, raw in enumerate(raw_rows, start=2):  # row 1 is the header
        row = ImportRow(number)
        rows.append(row)
        values = _blank_to_none(raw)
        unit_code = values.pop("unit_code", None)
        unit_id = None
        if unit_code is not None:
            unit_id = units.get(unit_code)
            if unit_id is None:
                row.errors.append("unit_code: unknown geographic unit")
        try:
            data = OrganisationCreate(platform_id=platform.id, unit_id=unit_id, **values)
        except ValidationError as exc:
            row.errors.extend(_messages(exc))
            continue
        try:
            orgs.check_shape(
                session,
                kind=data.kind,
                sector=data.sector,
                la_level=data.la_level,
                unit_id=data.unit_id,
            )
        except PlasedError as exc:
            row.errors.append(f"{exc.extra['errors'][0]['pointer'].split('/')[-1]}: {exc.detail}")
        key = name_key(data.name)
        if key in seen:
            row.errors.append("name: appears twice in this file")
        seen.add(key)
        if row.errors:
            continue
        fields = data.model_dump(exclude={"platform_id"})
        current = existing.get(key)
        if current is None:
            row.action = "create"
            row.apply = lambda fields=fields, key=key: session.add(
                Organisation(platform_id=root, name_key=key, **fields)
            )
        elif changes := _changes(current, fields):
            row.action = "update"

            def apply_update(
                record: Organisation = current, changes: dict[str, Any] = changes
            ) -> None:
                record.sqlmodel_update(changes)
                bump(record)
                session.add(record)

            row.apply = apply_update
    return finish(session, rows, dry_run)


def import_people(
    session: Session, *, access: Access, platform_id: uuid.UUID, body: bytes, dry_run: bool
) -> ImportReport:
    platform = platform_in_reach(session, access, platform_id)
    root = root_of(platform)
    access.require_manage_root(root)
    access.require_writable(root)
    raw_rows = read_csv(body, PEOPLE_COLUMNS, PEOPLE_OPTIONAL)
    organisations = {
        o.name_key: o
        for o in session.exec(select(Organisation).where(Organisation.platform_id == root)).all()
    }
    existing = {
        (p.name_key, p.birth_year): p
        for p in session.exec(select(Person).where(Person.platform_id == root)).all()
    }
    current_reps = session.exec(
        select(Representative)
        .join(Organisation, col(Organisation.id) == Representative.organisation_id)
        .where(Organisation.platform_id == root)
        .where(col(Representative.end_date).is_(None))
    ).all()
    held = {(r.organisation_id, r.person_id, r.role) for r in current_reps}
    primaries = {
        r.organisation_id: r.person_id for r in current_reps if r.role == RepresentativeRole.primary
    }
    seen: set[tuple[str, int | None]] = set()
    rows: list[ImportRow] = []
    for number, raw in enumerate(raw_rows, start=2):
        row = ImportRow(number)
        rows.append(row)
        values = _blank_to_none(raw)
        organisation_name = values.pop("organisation", None)
        role_text = values.pop("role", None)
        for column in ("has_disability", "consent_to_be_listed"):
            values[column] = _bool(values.get(column), column, row.errors)
        if values.get("consent_to_be_listed") is None:
            values.pop("consent_to_be_listed")
        try:
            data = PersonCreate(platform_id=platform.id, **values)
        except ValidationError as exc:
            row.errors.extend(_messages(exc))
            continue
        organisation = None
        role = None
        if organisation_name is not None:
            organisation = organisations.get(name_key(organisation_name))
            if organisation is None:
                row.errors.append("organisation: no organisation with this name")
            try:
                role = RepresentativeRole(role_text or RepresentativeRole.staff)
            except ValueError:
                row.errors.append("role: use primary, alternate or staff")
        elif role_text is not None:
            row.errors.append("role: give the organisation too")
        key = (name_key(data.full_name), data.birth_year)
        if key in seen:
            row.errors.append("full_name: the same person appears twice in this file")
        seen.add(key)
        current = existing.get(key)
        if organisation is not None and role == RepresentativeRole.primary:
            holder = primaries.get(organisation.id)
            if holder is not None and (current is None or holder != current.id):
                row.errors.append("role: the organisation already has a primary representative")
        if row.errors:
            continue
        fields = data.model_dump(exclude={"platform_id"}, exclude_none=True)
        person = current or Person(platform_id=root, name_key=key[0], **fields)
        if current is None:
            row.action = "create"
        elif changes := _changes(current, fields):
            row.action = "update"
        else:
            changes = {}
        needs_rep = (
            organisation is not None
            and role is not None
            and (current is None or (organisation.id, current.id, role) not in held)
        )
        if needs_rep and row.action == "unchanged":
            row.action = "update"

        def apply(
            person: Person = person,
            is_new: bool = current is None,
            changes: dict[str, Any] = {} if current is None else changes,
            organisation: Organisation | None = organisation if needs_rep else None,
            role: RepresentativeRole | None = role,
        ) -> None:
            if not is_new and changes:
                person.sqlmodel_update(changes)
                bump(person)
            session.add(person)
            if organisation is not None and role is not None:
                session.flush()
                session.add(
                    Representative(
                        organisation_id=organisation.id,
                        person_id=person.id,
                        role=role,
                        start_date=date.today(),
                    )
                )

        row.apply = apply
    return finish(session, rows, dry_run)
