"""Lists: limit/offset pages, whitelisted sorting, ``updated_since``, and the Link header."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar, overload

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import func, literal_column
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from plased.errors import field_error
from plased.instants import Instant
from plased.text import compact_key

T = TypeVar("T")
M = TypeVar("M")
S = TypeVar("S", bound=BaseModel)

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000
# Rows counted beyond the page's offset: a total above ``offset + COUNT_HORIZON`` is not
# counted (the count would scan the whole filtered set on every page); the answer then says
# ``total = offset + COUNT_HORIZON`` and ``Total-Capped: true`` (docs/decisions.md).
COUNT_HORIZON = 1_000


class Total(int):
    """A list's total; ``capped``: more rows exist than it says (a lower bound)."""

    capped: bool = False

    @classmethod
    def lower_bound(cls, value: int) -> "Total":
        total = cls(value)
        total.capped = True
        return total


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int
    sort: str | None
    updated_since: datetime | None


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")] = 0,
    sort: Annotated[
        str | None,
        Query(max_length=200, description="Comma-separated keys; '-' prefix sorts descending"),
    ] = None,
    updated_since: Annotated[
        Instant | None, Query(description="Only records changed at or after (RFC 3339)")
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, offset=offset, sort=sort, updated_since=updated_since)


PageDep = Annotated[PageParams, Depends(page_params)]


def order_by(
    sort: str | None,
    allowed: Mapping[str, ColumnElement[Any] | Any],
    default: Sequence[str],
    tiebreak: Any,
) -> list[Any]:
    """Translate ``sort=-created_at,name`` into ORDER BY clauses from a whitelist.

    Every key offered here must have a matching index (DESIGN §9). A unique tie-break
    column is always appended so pages never overlap.
    """
    clauses: list[Any] = []
    for name, descending in sort_fields(sort, allowed) if sort else _fields(default):
        column = allowed[name]
        clauses.append(column.desc() if descending else column.asc())
    clauses.append(tiebreak)
    return clauses


def sort_fields(sort: str, allowed: Iterable[str]) -> list[tuple[str, bool]]:
    """``sort=-created_at,name`` as ``[("created_at", True), ("name", False)]``; a key
    outside ``allowed`` answers 422 ``unknown_sort_key`` naming the keys there are."""
    fields = _fields(sort.split(","))
    known = set(allowed)
    if any(name not in known for name, _ in fields):
        choices = ", ".join(sorted(known))
        raise field_error("/query/sort", "unknown_sort_key", f"Sort by one of: {choices}.")
    return fields


def _fields(keys: Iterable[str]) -> list[tuple[str, bool]]:
    return [(key.strip().removeprefix("-"), key.strip().startswith("-")) for key in keys]


@overload
def paginate(
    session: Session,
    statement: SelectOfScalar[M],
    params: PageParams,
    *,
    allowed_sorts: Mapping[str, Any],
    default_sort: Sequence[str],
    tiebreak: Any,
    updated_column: Any | None = None,
) -> tuple[list[M], int]: ...


@overload
def paginate(
    session: Session,
    statement: Any,  # a select of row tuples
    params: PageParams,
    *,
    allowed_sorts: Mapping[str, Any],
    default_sort: Sequence[str],
    tiebreak: Any,
    updated_column: Any | None = None,
) -> tuple[list[Any], int]: ...


def paginate(
    session: Session,
    statement: Any,
    params: PageParams,
    *,
    allowed_sorts: Mapping[str, Any],
    default_sort: Sequence[str],
    tiebreak: Any,
    updated_column: Any | None = None,
) -> tuple[list[Any], int]:
    """One page of ``statement`` (entities or row tuples) and the total count, counted no
    further than ``COUNT_HORIZON`` rows past the page's offset (a ``Total`` then ``capped``)."""
    if params.updated_since is not None:
        # Honoured or refused, never ignored: a sync client must not take the whole list for
        # what changed since its last visit.
        if updated_column is None:
            raise field_error(
                "/query/updated_since", "unsupported", "This list has no update times."
            )
        statement = statement.where(updated_column >= params.updated_since)
    horizon = params.offset + COUNT_HORIZON
    counted = int(
        session.exec(
            select(func.count()).select_from(_rows_only(statement).limit(horizon + 1).subquery())
        ).one()
    )
    total = Total.lower_bound(horizon) if counted > horizon else Total(counted)
    ordered = (
        statement.order_by(*order_by(params.sort, allowed_sorts, default_sort, tiebreak))
        .limit(params.limit)
        .offset(params.offset)
    )
    return list(session.exec(ordered).all()), total


def _rows_only(statement: Any) -> Any:
    """The statement's rows without their columns, for counting: the database may then count
    from an index alone, and nothing is built per column. A DISTINCT or grouped statement
    counts its own columns, as they decide what a row is."""
    if statement._distinct or statement._group_by_clauses or statement._having_criteria:
        return statement
    return statement.with_only_columns(literal_column("1"), maintain_column_froms=True)


def set_link_header(request: Request, response: Response, params: PageParams, total: int) -> None:
    """RFC 8288 Link header with first, prev, next and last pages; a capped total has no
    last page to link to, and says so in ``Total-Capped``."""
    links: list[str] = []

    def url(offset: int) -> str:
        return str(request.url.include_query_params(limit=params.limit, offset=offset))

    links.append(f'<{url(0)}>; rel="first"')
    if params.offset > 0:
        links.append(f'<{url(max(0, params.offset - params.limit))}>; rel="prev"')
    if params.offset + params.limit < total:
        links.append(f'<{url(params.offset + params.limit)}>; rel="next"')
    if isinstance(total, Total) and total.capped:
        response.headers["Total-Capped"] = "true"
    else:
        last = max(0, ((total - 1) // params.limit) * params.limit) if total else 0
        links.append(f'<{url(last)}>; rel="last"')
    response.headers["Link"] = ", ".join(links)


def page_of(
    request: Request,
    response: Response,
    params: PageParams,
    rows: tuple[Sequence[Any], int],
    schema: type[S],
) -> Page[S]:
    """Build the ``{items, total, limit, offset}`` body and set the Link header."""
    items, total = rows
    return page_with(
        request, response, params, [schema.model_validate(item) for item in items], total
    )


def page_with(
    request: Request, response: Response, params: PageParams, items: list[S], total: int
) -> Page[S]:
    """The same for items already in their public form (with per-caller presentation)."""
    set_link_header(request, response, params, total)
    return Page(items=items, total=total, limit=params.limit, offset=params.offset)


def like_escape(text: str) -> str:
    """Search text taken literally in LIKE patterns (use with ``escape="\\\\"``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# What ``text.compact_key`` drops, and zero-width spaces (Khmer word breaks) in stored text.
_SQL_SEPARATORS = (
    " ", "-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014",
    "'", "\u2019", "`", ".", "\u00b7", "\u200b",
)  # fmt: skip


def _compacted(column: Any) -> Any:
    expression = column
    for separator in _SQL_SEPARATORS:
        expression = func.replace(expression, separator, "")
    return expression


def text_contains(column: Any, q: str, *, lower: bool = False) -> ColumnElement[bool]:
    """Search a name: case, width, invisible characters and separators do not matter, so
    "Banlung" finds "Ban Lung". ``column`` holds a ``name_key``, or raw text (``lower``)."""
    target = _compacted(func.lower(column) if lower else column)
    pattern = f"%{like_escape(compact_key(q))}%"
    condition: ColumnElement[bool] = target.like(pattern, escape="\\")
    return condition


def page_list(
    request: Request,
    response: Response,
    params: PageParams,
    items: Sequence[Any],
    schema: type[S],
) -> Page[S]:
    """A page of a sub-collection of one record (a meeting's agenda, a referral's events).

    Such a set is bounded by its parent, so it is read whole in its natural order (the
    service's), then sorted by the keys its route documents (``sort_keys``: fields of
    ``schema``, so what the document says is what is accepted), filtered by
    ``updated_since`` where the items have ``updated_at``, and cut to the page. The answer is
    the same ``{items, total, limit, offset}`` envelope with a Link header as every list.
    """
    shown = [schema.model_validate(item, from_attributes=True) for item in items]
    if params.updated_since is not None:
        if "updated_at" not in schema.model_fields:
            raise field_error(
                "/query/updated_since", "unsupported", "This list has no update times."
            )
        since = params.updated_since
        shown = [item for item in shown if getattr(item, "updated_at") >= since]  # noqa: B009
    if params.sort:
        documented = (getattr(request.scope.get("route"), "openapi_extra", None) or {}).get(
            "x-sort-keys", []
        )
        for name, descending in reversed(sort_fields(params.sort, documented)):
            shown.sort(key=_sort_key(name), reverse=descending)  # stable: last key first
    total = len(shown)
    return page_with(
        request, response, params, shown[params.offset : params.offset + params.limit], total
    )


def _sort_key(name: str) -> Callable[[BaseModel], tuple[bool, Any]]:
    """Absent values first, then the values themselves (enums by their value)."""

    def key(item: BaseModel) -> tuple[bool, Any]:
        value = getattr(item, name)
        return (value is not None, getattr(value, "value", value) if value is not None else 0)

    return key


def sort_keys(*keys: str) -> dict[str, Any]:
    """``openapi_extra`` for a list route: the keys its ``sort`` takes, documented on the
    operation as ``x-sort-keys`` and in the ``sort`` parameter's description."""
    return {"x-sort-keys": list(keys)}
