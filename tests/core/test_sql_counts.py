"""No list costs more statements for a longer page: every list endpoint of the API is asked
for pages of 1, 10 and 200 items, with a dozen copies of every record behind it, and the SQL
statements each request sends are counted on the app's engine. The counts must be equal — a
count that grows with the page is a query per row (N+1). Not a timing: deterministic."""

import enum
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Integer, Table, event, insert, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from plased.db import metadata
from tests.core.test_list_sweep import _lists
from tests.factories import auth
from tests.helpers import REFERENCE_TABLES
from tests.sweeps import records, url_of
from tests.worlds import Board, Setup, World

COPIES = 11  # every record and its copies: 12 rows where there was one, more than 10
SIZES = (1, 10, 200)


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _unique_columns(connection: Connection, table: Table) -> set[str]:
    """Columns of the table's unique constraints and indexes, as the database has them."""
    found = inspect(connection)
    names: set[str] = {c.name for c in table.columns if c.unique}
    for constraint in found.get_unique_constraints(table.name):
        names |= {n for n in constraint["column_names"] if n}
    for index in found.get_indexes(table.name):
        if index["unique"]:
            names |= {n for n in index["column_names"] if n}
    return names


def _enum_values() -> set[str]:
    """Every value of every enumeration of the project (some are stored as plain strings):
    text that is one of them is left alone."""
    values: set[str] = set()
    for name, module in list(sys.modules.items()):
        if name.startswith("plased"):
            for member in vars(module).values():
                if isinstance(member, type) and issubclass(member, enum.Enum):
                    values |= {str(item.value) for item in member}
    return values


def _copy(
    table: Table, row: dict[str, Any], n: int, unique: set[str], enums: set[str]
) -> dict[str, Any]:
    """The row again under a new key: unique text and numbers changed, parents kept (so the
    copy lands in the same lists as the original)."""
    copy = dict(row)
    for column in table.columns:
        name = column.name
        value = row.get(name)
        if value is None:
            continue
        if column.primary_key and isinstance(value, uuid.UUID):
            copy[name] = uuid.uuid4()
        elif name in unique and not column.foreign_keys:
            if isinstance(value, str) and value not in enums:
                length = getattr(column.type, "length", None) or 200
                copy[name] = f"{value}"[: max(1, length - 4)] + f"-c{n:02d}"
            elif isinstance(column.type, Integer) and not isinstance(value, bool):
                copy[name] = value + 1000 * n
            elif isinstance(value, uuid.UUID):
                copy[name] = uuid.uuid4()
    return copy


def _parent_swaps(
    table: Table, row: dict[str, Any], n: int, unique: set[str], copies: "Copies"
) -> Iterable[dict[str, Any]]:
    """Where a constraint binds a row to its parents (one membership per organisation and
    platform), the copy may take the n-th copy of one parent instead: the parents that
    scope lists (platforms) last."""
    scoped = sorted(
        (c for c in table.columns if c.foreign_keys and c.name in unique and row.get(c.name)),
        key=lambda c: next(iter(c.foreign_keys)).column.table.name == "platform",
    )
    for column in scoped:
        parent = next(iter(column.foreign_keys)).column.table.name
        made = copies.get(parent, {}).get(row[column.name], [])
        if len(made) >= n:
            yield {column.name: made[n - 1]}


Copies = dict[str, dict[Any, list[Any]]]


def _insert(connection: Connection, table: Table, values: dict[str, Any]) -> bool:
    savepoint = connection.begin_nested()
    try:
        connection.execute(insert(table).values(values))
    except IntegrityError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def multiply(engine: Engine) -> int:
    """``COPIES`` more of every row of every table whose key is a UUID, parents first, but
    the reference data the suite keeps between tests (the geography); a copy no constraint
    allows (a second open meeting of a body) is left out."""
    added = 0
    copies: Copies = {}
    enums = _enum_values()
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            key = list(table.primary_key.columns)
            if len(key) != 1 or table.name in REFERENCE_TABLES:  # kept between tests
                continue
            rows = [dict(r._mapping) for r in connection.execute(select(table))]
            if not rows or not isinstance(rows[0][key[0].name], uuid.UUID):
                continue
            unique = _unique_columns(connection, table) - {key[0].name}
            made = copies.setdefault(table.name, {})
            for row in rows:
                for n in range(1, COPIES + 1):
                    values = _copy(table, row, n, unique, enums)
                    ok = _insert(connection, table, values)
                    for swap in [] if ok else _parent_swaps(table, row, n, unique, copies):
                        values = {**values, **swap}
                        if ok := _insert(connection, table, values):
                            break
                    if ok:
                        made.setdefault(row[key[0].name], []).append(values[key[0].name])
                        added += 1
        connection.commit()
    return added


def test_every_list_sends_as_many_statements_for_200_items_as_for_one(
    app: FastAPI, client: TestClient, db: Session, board: Board, s: Setup, engine: Engine
) -> None:
    found = records(client, db, board, s)
    w = board.w
    callers = [auth(w.settings, user) for user in (w.admin, w.secretariat, s.referrer)]
    callers.append(auth(w.settings, s.provider_staff))
    assert multiply(engine) > 300
    growing: list[str] = []
    short: list[str] = []
    lists = _lists(app.openapi())
    for path, _operation, params in lists:
        url = url_of(path, params, found)
        headers = next((h for h in callers if client.get(url, headers=h).status_code == 200), None)
        assert headers is not None, (path, client.get(url, headers=callers[0]).text)
        client.get(url, params={"limit": 200}, headers=headers)  # anything cached, cached
        counts: dict[int, int] = {}
        sizes: dict[int, int] = {}
        for limit in SIZES:
            with counted(engine) as statements:
                answer = client.get(url, params={"limit": limit}, headers=headers)
            assert answer.status_code == 200, (path, answer.text)
            counts[limit] = len(statements)
            sizes[limit] = len(answer.json()["items"])
        if len(set(counts.values())) != 1:
            growing.append(f"{path}: {counts} statements for pages of {sizes}")
        if sizes[200] <= 10:
            short.append(f"{path}: {sizes[200]} items")
    assert not growing, "statements grow with the page:\n" + "\n".join(growing)
    # The copies must make the pages differ, or the comparison proves little: a few lists
    # stay empty in this world (notifications, deletions, a membership's history).
    assert len(short) <= len(lists) // 4, "lists too short to compare pages:\n" + "\n".join(short)


def test_knowing_the_caller_costs_one_primary_key_lookup_and_one_query(
    client: TestClient, world: World, engine: Engine
) -> None:
    """The user by primary key, one query for their roles with the platforms' statuses and
    (for staff) their organisation's family, then the record: nothing else per request."""
    url = f"/api/v1/organisations/{world.org.id}"
    for user, expected in ((world.secretariat, 3), (world.staff, 3), (world.admin, 3)):
        headers = auth(world.settings, user)
        assert client.get(url, headers=headers).status_code == 200
        with counted(engine) as statements:
            assert client.get(url, headers=headers).status_code == 200
        assert len(statements) == expected, statements
        assert "WHERE user_account.id = " in " ".join(statements[0].split())
