"""Import administrative units from CSV, so another province can be added.

Columns: ``level`` (province | district | commune | village), ``code`` (the official code, its
parent's code followed by two digits), ``parent_code`` (empty for a province), ``name``,
``name_km``. A unit is matched by its code: a known code is updated (names only), a new one
created. Parents may come from the database or earlier in the same file. All or nothing, as
the other imports; ``dry_run`` reports without writing. Administrators only: the units are
shared by every platform.
"""

import re

from sqlmodel import Session, select

from plased.members.geography import unit_id
from plased.members.imports import ImportRow, finish, read_csv
from plased.members.models import AdminUnit, UnitLevel
from plased.members.schemas import ImportReport

COLUMNS = {"level", "code", "name"}
OPTIONAL = {"parent_code", "name_km"}
PARENT_LEVEL = {
    UnitLevel.district: UnitLevel.province,
    UnitLevel.commune: UnitLevel.district,
    UnitLevel.village: UnitLevel.commune,
}
CODE_LENGTH = {
    UnitLevel.province: 2,
    UnitLevel.district: 4,
    UnitLevel.commune: 6,
    UnitLevel.village: 8,
}
_CODE = re.compile(r"^[0-9]{2,8}$")
NAME_LENGTH = 120


def _check(values: dict[str, str], levels: dict[str, str], row: ImportRow) -> None:
    code, parent = values.get("code", ""), values.get("parent_code", "")
    try:
        level = UnitLevel(values.get("level", ""))
    except ValueError:
        row.errors.append("level: use province, district, commune or village")
        return
    if not _CODE.match(code) or len(code) != CODE_LENGTH[level]:
        row.errors.append(f"code: a {level} has a code of {CODE_LENGTH[level]} digits")
    if level == UnitLevel.province:
        if parent:
            row.errors.append("parent_code: a province has no parent")
    elif levels.get(parent) != PARENT_LEVEL[level]:
        row.errors.append(f"parent_code: must be a known {PARENT_LEVEL[level]}")
    elif not code.startswith(parent):
        row.errors.append("code: must start with the parent's code")
    for column in ("name", "name_km"):
        if len(values.get(column, "")) > NAME_LENGTH:
            row.errors.append(f"{column}: at most {NAME_LENGTH} characters")
    if not values.get("name"):
        row.errors.append("name: required")


def import_units(session: Session, *, body: bytes, dry_run: bool) -> ImportReport:
    raw_rows = read_csv(body, COLUMNS, OPTIONAL)
    existing = {u.code: u for u in session.exec(select(AdminUnit)).all()}
    levels = {code: unit.level for code, unit in existing.items()}
    rows: list[ImportRow] = []
    seen: set[str] = set()
    for number, values in enumerate(raw_rows, start=2):
        row = ImportRow(number)
        rows.append(row)
        _check(values, levels, row)
        code = values.get("code", "")
        if code in seen:
            row.errors.append("code: appears twice in this file")
        seen.add(code)
        if row.errors:
            continue
        levels[code] = values["level"]
        name, name_km = values["name"], values.get("name_km") or None
        current = existing.get(code)
        if current is None:
            row.action = "create"
            parent = values.get("parent_code") or None
            unit = AdminUnit(
                id=unit_id(code),
                code=code,
                level=values["level"],
                name=name,
                name_km=name_km,
                parent_id=unit_id(parent) if parent else None,
            )
            row.apply = lambda unit=unit: session.add(unit)
        elif current.level != values["level"]:
            row.errors.append("level: a known code keeps its level")
        elif (current.name, current.name_km) != (name, name_km):
            row.action = "update"

            def rename(
                unit: AdminUnit = current, name: str = name, km: str | None = name_km
            ) -> None:
                unit.name, unit.name_km = name, km
                session.add(unit)

            row.apply = rename
    return finish(session, rows, dry_run)
