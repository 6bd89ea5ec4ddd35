"""The directory as HSDS 3.0's tabular Data Package: a zip of ``datapackage.json`` and one
UTF-8 CSV per HSDS table (empty cells for absent values, empty tables with their header)."""

import csv
import io
import json
import uuid
import zipfile
from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, select

from plased.coss import hsds
from plased.coss.hsds_tables import TABLES
from plased.coss.models import ServiceCategory

# A fixed time in every entry: the same directory makes the same bytes (and the same ETag).
ZIP_TIME = (2024, 5, 16, 0, 0, 0)


def descriptor() -> dict[str, Any]:
    """HSDS's own ``datapackage.json``: its tables, columns, types, constraints and keys."""
    resources = []
    for name, path, columns, foreign_keys in TABLES:
        fields = []
        for column, kind, fmt, required, unique, enum in columns:
            constraints: dict[str, Any] = {"required": required, "unique": unique}
            if enum:
                constraints["enum"] = list(enum)
            typed = {"name": column, "type": kind, **({"format": fmt} if fmt else {})}
            fields.append({**typed, "constraints": constraints})
        schema: dict[str, Any] = {"primaryKey": "id", "fields": fields}
        if foreign_keys:
            schema["foreignKeys"] = [
                {"fields": column, "reference": {"resource": table, "fields": "id"}}
                for column, table in foreign_keys
            ]
        resources.append(
            {
                "name": name,
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": schema,
            }
        )
    return {
        "name": "human_services_data",
        "title": "Human Services Data Specification",
        "profile": "tabular-data-package",
        "version": "3.0.0",
        "homepage": "http://docs.openreferral.org",
        "license": {
            "url": "https://creativecommons.org/licenses/by-sa/4.0/",
            "type": "CC-BY-SA-4.0",
            "name": "Creative Commons Attribution-ShareAlike 4.0",
        },
        "resources": resources,
    }


def tables(session: Session, *, platform_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    """Every record of the directory, flat, by HSDS table."""
    platform = hsds.coss_platform(session, platform_id)
    listed = list(session.exec(hsds.directory(platform.id).order_by(*hsds.SERVICE_ORDER)).all())
    found = hsds.load(session, platform, listed)
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for o in sorted(found.providers.values(), key=lambda o: (o.name, str(o.id))):
        rows["organization"].append(hsds.organization(found, o))
        if o.phone:
            rows["phone"].append(hsds.organisation_phone(o))
        place = hsds.location(found, o)
        if place:
            rows["location"].append(place)
            at = hsds.address(found, o)
            if at:
                rows["address"].append(at)
    for s in listed:
        provider = found.providers[s.provider_id]
        rows["service"].append(hsds.service(found, s))
        if s.phone:
            rows["phone"].append(hsds.service_phone(s))
        at_location = hsds.service_at_location(s, provider)
        if at_location:
            rows["service_at_location"].append(at_location)
        rows["service_area"].extend(hsds.service_areas(found, s))
        rows["language"].extend(hsds.languages(found, s))
        rows["cost_option"].extend(hsds.cost_options(found, s))
        rows["attribute"].append(hsds.attribute(s))
    rows["taxonomy"].append(hsds.taxonomy(platform))
    used = session.exec(
        select(ServiceCategory)
        .where(ServiceCategory.platform_id == platform.id)
        .where(hsds.used_categories(platform.id))
        .order_by(col(ServiceCategory.code))
    )
    rows["taxonomy_term"] = [hsds.taxonomy_term(found, c) for c in used]
    return rows


def _csv(columns: list[str], records: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({c: record.get(c, "") for c in columns})
    return out.getvalue().encode("utf-8")


def datapackage(session: Session, *, platform_id: uuid.UUID) -> bytes:
    records = tables(session, platform_id=platform_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        package = json.dumps(descriptor(), ensure_ascii=False, indent=2).encode("utf-8")
        archive.writestr(
            zipfile.ZipInfo("datapackage.json", ZIP_TIME),
            package,
            compress_type=zipfile.ZIP_DEFLATED,
        )
        for name, path, columns, _ in TABLES:
            content = _csv([c[0] for c in columns], records.get(name, []))
            archive.writestr(
                zipfile.ZipInfo(path, ZIP_TIME), content, compress_type=zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()
