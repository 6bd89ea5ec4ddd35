"""The indicators as files: CSV (one table), XLSX (a sheet of indicators and one per
breakdown) and a printable HTML page. Each holds exactly what the JSON answer holds, so
suppression carries over; an empty period is a valid file of zero values.

Text that a spreadsheet could run (``=``, ``+``, ``-``, ``@``, tab, carriage return first) is
written with a leading apostrophe, in CSV and XLSX alike; numbers stay numbers.
"""

import base64
import csv
import hashlib
import io
import re
import zipfile
from datetime import date
from html import escape
from typing import Any

from openpyxl import Workbook

from plased.reporting.schemas import IndicatorReport, IndicatorValue

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "indicator_code",
    "title",
    "title_km",
    "unit",
    "direction",
    "dimension",
    "key",
    "label",
    "value",
    "suppressed",
    "baseline",
    "target",
    "met",
)
CELL_COLUMNS = ("indicator_code", "key", "label", "label_km", "count", "suppressed")


def text_cell(value: Any) -> Any:
    """A value as a spreadsheet may hold it: formula-like text quoted, numbers kept."""
    if isinstance(value, str) and value[:1] in _FORMULA_START:
        return "'" + value
    return value


def filename(report: IndicatorReport, extension: str) -> str:
    def day(d: date | None, open_end: str) -> str:
        return d.isoformat() if d else open_end

    return (
        f"indicators-{day(report.period_from, 'start')}-to-{day(report.period_to, 'now')}"
        f".{extension}"
    )


def _rows(report: IndicatorReport) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for row in report.indicators:
        head = [row.code, row.title, row.title_km, row.unit, row.direction]
        rows.append(
            [*head, "total", "", "", row.value, row.suppressed, row.baseline, row.target, row.met]
        )
        for breakdown in row.breakdowns:
            for cell in breakdown.cells:
                rows.append(
                    [
                        *head,
                        breakdown.dimension,
                        cell.key,
                        cell.label or "",
                        cell.count,
                        cell.suppressed,
                        None,
                        None,
                        None,
                    ]
                )
    return rows


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(text_cell(value))


def to_csv(report: IndicatorReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in _rows(report):
        writer.writerow([_csv_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: IndicatorReport, dimensions: list[str]) -> bytes:
    """A sheet ``indicators`` and one per breakdown the caller may see (named after it)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "indicators"
    sheet.append([*COLUMNS[:5], "value", "suppressed", "baseline", "target", "met"])
    for row in report.indicators:
        sheet.append(
            [
                text_cell(v)
                for v in (
                    row.code,
                    row.title,
                    row.title_km,
                    row.unit,
                    row.direction,
                    row.value,
                    row.suppressed,
                    row.baseline,
                    row.target,
                    row.met,
                )
            ]
        )
    for dimension in dimensions:
        page = book.create_sheet(dimension[:31])
        page.append(list(CELL_COLUMNS))
        for row in report.indicators:
            for breakdown in row.breakdowns:
                if breakdown.dimension != dimension:
                    continue
                for cell in breakdown.cells:
                    page.append(
                        [
                            text_cell(v)
                            for v in (
                                row.code,
                                cell.key,
                                cell.label,
                                cell.label_km,
                                cell.count,
                                cell.suppressed,
                            )
                        ]
                    )
    buffer = io.BytesIO()
    book.save(buffer)
    return _steady(buffer.getvalue())


_EPOCH = (1980, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def _steady(workbook: bytes) -> bytes:
    """The same workbook for the same values: openpyxl stamps the time of saving (in the
    document's properties and on each file of the archive), which would change the ETag of
    every download. The stamps are set to a fixed time."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _STAMP.sub(b"", data)
            steady = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            steady.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(steady, data)
    return out.getvalue()


_STYLE = (
    "body{font-family:sans-serif;margin:2em;color:#111}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top}"
    "td.n{text-align:right}.km{color:#444;font-size:.9em}"
    "svg .bar{fill:#2b6cb0}svg .track{fill:#e2e8f0}svg .goal{stroke:#c53030;stroke-width:2}"
    "@media print{body{margin:0}}"
)
# The page's only style, allowed by its hash: no inline script, nothing from elsewhere.
STYLE_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode() + "'"
HTML_POLICY = f"default-src 'none'; style-src {STYLE_HASH}; img-src 'none'; frame-ancestors 'none'"


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "share":
        return f"{value:.0%}"
    return f"{value:g}"


def _bar(row: IndicatorValue) -> str:
    """Value against target on one scale (the larger of the two is the full width)."""
    if row.value is None or row.target is None:
        return ""
    scale = max(row.value, row.target) or 1
    width = round(200 * row.value / scale)
    goal = round(200 * row.target / scale)
    return (
        '<svg width="204" height="16" role="img" aria-label="value against target">'
        '<rect class="track" x="0" y="3" width="200" height="10"/>'
        f'<rect class="bar" x="0" y="3" width="{width}" height="10"/>'
        f'<line class="goal" x1="{goal}" y1="0" x2="{goal}" y2="16"/></svg>'
    )


def to_html(report: IndicatorReport, platform_name: str, platform_name_km: str | None) -> str:
    e = escape
    period = (
        f"{report.period_from.isoformat() if report.period_from else '…'} – "
        f"{report.period_to.isoformat() if report.period_to else '…'}"
    )
    rows = []
    for row in report.indicators:
        met = "—" if row.met is None else ("✓ met / សម្រេច" if row.met else "✗ not met / មិនទាន់")
        rows.append(
            "<tr>"
            f'<td>{e(row.title)}<div class="km" lang="km">{e(row.title_km)}</div></td>'
            f'<td class="n">{e(_number(row.value, row.unit))}</td>'
            f'<td class="n">{e(_number(row.target, row.unit))}</td>'
            f"<td>{e(met)}</td><td>{_bar(row)}</td></tr>"
        )
    details = []
    for row in report.indicators:
        for breakdown in row.breakdowns:
            cells = "".join(
                f"<tr><td>{e(c.label or c.key)}</td>"
                f'<td class="n">{"&lt;5 / suppressed" if c.suppressed else e(str(c.count))}'
                "</td></tr>"
                for c in breakdown.cells
            )
            details.append(
                f"<h3>{e(row.title)} — {e(breakdown.dimension)}</h3>"
                f"<table><tr><th>Group / ក្រុម</th><th>Count / ចំនួន</th></tr>{cells}</table>"
            )
    name = e(platform_name) + (
        f' <span lang="km">{e(platform_name_km)}</span>' if platform_name_km else ""
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Indicators — {e(platform_name)}</title><style>{_STYLE}</style></head><body>"
        f'<h1>Results indicators <span lang="km">សូចនាករលទ្ធផល</span></h1>'
        f"<p>{name}</p><p>Period / រយៈពេល: {e(period)}</p>"
        "<table><tr><th>Indicator / សូចនាករ</th><th>Value / តម្លៃ</th>"
        "<th>Target / គោលដៅ</th><th>Met / សម្រេច</th>"
        "<th>Value against target / តម្លៃធៀបគោលដៅ</th></tr>"
        + "".join(rows)
        + "</table>"
        + '<h2>Breakdowns <span lang="km">ការបែងចែក</span></h2>'
        + "".join(details)
        + "<p>Cells under 5 people, and cells that would reveal them, are shown as suppressed."
        ' <span lang="km">ក្រឡាតិចជាង ៥ នាក់ ត្រូវបានលាក់។</span></p></body></html>'
    )
