"""Needs versus supply, per unit and top-level category.

- Needs roll up to the unit at the requested level that contains them (a village's need is
  its commune's and its district's). Needs recorded above that level are left out.
- A service counts for a unit when it covers the unit or a unit above it (a service covering
  a district covers its communes); its full monthly capacity is counted for every such unit,
  so capacity is an upper bound. A service covering only part of the unit (one of its
  communes) is counted in ``partial_services``, without capacity.
- Categories roll up to their top-level category.
- gap = people in need - monthly capacity; rows are ordered by gap, largest first.
- ``unserved_referrals`` (district level only: a referral keeps its district, nothing finer)
  counts referrals declined for want of capacity or eligibility, with the client's consent
  to anonymous reporting, suppressed as every count of people is (plased.disclosure). They
  are shown beside the gap, never added into it.
"""

import csv
import io
import uuid
from collections import defaultdict
from typing import Literal

from sqlmodel import Session, col, select

from plased import disclosure
from plased.access import Access, platform_in_reach
from plased.coss import services as directory
from plased.coss import taxonomy
from plased.coss.models import Need, Service, ServiceArea, ServiceCategory
from plased.coss.schemas import GapReport, GapRow, MissingCompetence
from plased.members.models import AdminUnit
from plased.referrals import stats

Level = Literal["district", "commune"]
_CODE_LENGTH = {"district": 4, "commune": 6}


def gap_report(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    level: Level,
    category_id: uuid.UUID | None,
) -> GapReport:
    platform_in_reach(session, access, platform_id)
    width = _CODE_LENGTH[level]
    categories = {c.id: c for c in taxonomy.categories(session, platform_id)}
    if category_id is not None:
        taxonomy.get_category(session, platform_id, category_id, pointer="/query/category_id")
    wanted = taxonomy.top_level(categories, category_id).id if category_id else None

    need: dict[tuple[str, uuid.UUID], int] = defaultdict(int)
    for unit_code, cat_id, people in session.exec(
        select(AdminUnit.code, Need.category_id, Need.people_count)
        .join(AdminUnit, col(AdminUnit.id) == Need.unit_id)
        .where(Need.platform_id == platform_id)
    ):
        top = taxonomy.top_level(categories, cat_id).id
        if len(unit_code) >= width and (wanted is None or top == wanted):
            need[(unit_code[:width], top)] += people

    full: dict[tuple[str, uuid.UUID], list[int]] = defaultdict(list)
    partial: dict[tuple[str, uuid.UUID], set[uuid.UUID]] = defaultdict(set)
    units = {u.code: u for u in session.exec(select(AdminUnit).where(AdminUnit.level == level))}
    services = session.exec(
        select(Service.id, Service.category_id, Service.capacity_per_month, AdminUnit.code)
        .join(ServiceArea, col(ServiceArea.service_id) == Service.id)
        .join(AdminUnit, col(AdminUnit.id) == ServiceArea.unit_id)
        .where(Service.platform_id == platform_id)
        .where(directory.in_directory())
    ).all()
    counted: set[tuple[uuid.UUID, str]] = set()
    for service_id, cat_id, capacity, area_code in services:
        top = taxonomy.top_level(categories, cat_id).id
        if wanted is not None and top != wanted:
            continue
        if len(area_code) <= width:  # covers whole units at this level
            for code in units:
                if code.startswith(area_code) and (service_id, code) not in counted:
                    counted.add((service_id, code))
                    full[(code, top)].append(capacity or 0)
        else:
            partial[(area_code[:width], top)].add(service_id)

    keys = set(need) | set(full) | set(partial)
    rows = []
    for code, top in keys:
        unit = units.get(code)
        if unit is None:
            continue
        capacity = sum(full[(code, top)])
        rows.append(
            GapRow(
                unit_id=unit.id,
                unit_code=code,
                unit_name=unit.name,
                unit_name_km=unit.name_km,
                category_code=categories[top].code,
                category_name=categories[top].name,
                people_in_need=need[(code, top)],
                services=len(full[(code, top)]),
                monthly_capacity=capacity,
                partial_services=len(partial[(code, top)]),
                gap=need[(code, top)] - capacity,
            )
        )
    if level == "district":
        _add_unserved(session, platform_id, categories, rows)
    rows.sort(key=lambda r: (-r.gap, r.unit_code, r.category_code))

    supplied = {taxonomy.top_level(categories, cat).id for _, cat, _, _ in services}
    need_by_category: dict[uuid.UUID, int] = defaultdict(int)
    for (_, top), people in need.items():
        need_by_category[top] += people
    missing = [
        MissingCompetence(
            category_code=categories[top].code,
            category_name=categories[top].name,
            people_in_need=people,
        )
        for top, people in sorted(need_by_category.items(), key=lambda kv: -kv[1])
        if top not in supplied and people > 0
    ]
    return GapReport(platform_id=platform_id, level=level, rows=rows, competences_to_build=missing)


def _add_unserved(
    session: Session,
    platform_id: uuid.UUID,
    categories: dict[uuid.UUID, ServiceCategory],
    rows: list[GapRow],
) -> None:
    """Unserved referrals per district and top-level category, beside the gap."""
    counts: dict[tuple[uuid.UUID, str], int] = defaultdict(int)
    for (district_id, category_id), n in stats.unserved_by_district(session, platform_id).items():
        if category_id in categories:
            counts[(district_id, taxonomy.top_level(categories, category_id).code)] += n
    by_key = {(r.unit_id, r.category_code): r for r in rows}
    for district_id, code in counts:
        unit = session.get(AdminUnit, district_id)
        if (district_id, code) in by_key or unit is None:
            continue
        top = next(c for c in categories.values() if c.code == code)
        row = GapRow(
            unit_id=unit.id,
            unit_code=unit.code,
            unit_name=unit.name,
            unit_name_km=unit.name_km,
            category_code=code,
            category_name=top.name,
            people_in_need=0,
            services=0,
            monthly_capacity=0,
            partial_services=0,
            gap=0,
        )
        rows.append(row)
        by_key[(district_id, code)] = row
    labels = {f"{unit_id}/{code}": (unit_id, code) for unit_id, code in by_key}
    cells, _ = disclosure.suppress({label: counts.get(key, 0) for label, key in labels.items()})
    for cell in cells:
        row = by_key[labels[cell.key]]
        row.unserved_referrals = cell.count
        row.unserved_suppressed = cell.suppressed


def _cell(value: object) -> str:
    """Spreadsheets must show text, never run it: formula-like text cells are quoted.
    Numbers (a negative gap) stay numbers."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def to_csv(report: GapReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = list(GapRow.model_fields)
    writer.writerow(columns)
    for row in report.rows:
        data = row.model_dump()
        writer.writerow([_cell(data[c]) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
