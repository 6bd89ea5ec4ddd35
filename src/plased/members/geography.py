"""Cambodian administrative units: shipped seed data, listing, and "this unit or below"."""

import uuid

from sqlalchemy import or_
from sqlmodel import Session, col
from sqlmodel import select as sm_select

from plased.errors import field_error
from plased.members.models import AdminUnit, UnitLevel
from plased.pagination import PageParams, like_escape, paginate, text_contains

# A stable id per official code, so every database names a unit the same way (the migration
# that ships the units, migrations/versions/2026-11-23_members.py, uses the same namespace).
NAMESPACE = uuid.UUID("6f0f7b7e-4c43-4b8e-9a51-1f3bb3a8e0c1")


def unit_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, code)


UNIT_SORTS = {"code": col(AdminUnit.code), "name": col(AdminUnit.name)}


def list_units(
    session: Session,
    *,
    params: PageParams,
    level: UnitLevel | None,
    parent_id: uuid.UUID | None,
    q: str | None,
) -> tuple[list[AdminUnit], int]:
    statement = sm_select(AdminUnit)
    if level is not None:
        statement = statement.where(AdminUnit.level == level)
    if parent_id is not None:
        statement = statement.where(AdminUnit.parent_id == parent_id)
    if q:
        statement = statement.where(
            or_(
                text_contains(AdminUnit.name, q, lower=True),
                text_contains(AdminUnit.name_km, q),
                col(AdminUnit.code).like(f"{like_escape(q)}%", escape="\\"),
            )
        )
    return paginate(
        session,
        statement,
        params,
        allowed_sorts=UNIT_SORTS,
        default_sort=["code"],
        tiebreak=col(AdminUnit.id),
    )


def get_unit(session: Session, unit_id_: uuid.UUID, *, pointer: str) -> AdminUnit:
    unit = session.get(AdminUnit, unit_id_)
    if unit is None:
        raise field_error(pointer, "unknown_unit", "No such geographic unit.")
    return unit


def codes_within(unit: AdminUnit) -> str:
    """A LIKE pattern matching the unit and every unit below it (codes nest by prefix)."""
    return f"{unit.code}%"
