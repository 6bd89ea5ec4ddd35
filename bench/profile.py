"""``python -m bench profile W3 [W1 …]``: workloads, one request at a time, in-process.

Builds a data set (PostgreSQL ``bench_profile``, or a SQLite file with ``--sqlite``), serves
the app in this process (no server, no threads of the load driver) and sends the workload's
request over and over. Prints the time per request and how it splits between the database
(each statement, timed at the driver) and everything else (Python: routing, dependencies,
the ORM, validation, the threads). For a profile of that Python time, run the same command
under a sampling profiler::

    py-spy record -o w3.svg -- .venv/bin/python -m bench profile W3 --requests 2000

Writes nothing; compare runs of the same command before and after a change.
"""

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bench import driver
from bench.data import SECRET, build

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432"


@contextmanager
def timed_statements(engine: Engine) -> Iterator[list[float]]:
    times: list[float] = []

    def before(conn: Any, *_: Any) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def after(conn: Any, *_: Any) -> None:
        times.append(time.perf_counter() - conn.info.pop("bench_started", time.perf_counter()))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield times
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


async def _run(app: Any, send: Any, requests: int) -> tuple[float, list[float]]:
    engine: Engine = app.state.engine
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for _ in range(20):  # caches, prepared statements, the pool
                await send(client)
            with timed_statements(engine) as statements:
                started = time.perf_counter()
                for _ in range(requests):
                    await send(client)
                elapsed = time.perf_counter() - started
    return elapsed, statements


def main(argv: list[str] | None = None) -> None:
    from bench.__main__ import workloads

    parser = argparse.ArgumentParser(prog="python -m bench profile", description=__doc__)
    parser.add_argument("workload", nargs="+", help="W1 … W6, W3-last, W5-ballot")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file, not PostgreSQL")
    parser.add_argument("--pg", default=os.environ.get("PLASED_BENCH_PG", PG_DEFAULT))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/profile.db" if args.sqlite else f"{args.pg}/bench_profile"
        data = build(url, args.scale)
        found = workloads(data)
        unknown = [name for name in args.workload if name not in found]
        if unknown:
            parser.error(f"unknown workload {unknown[0]}; one of {', '.join(found)}")
        for name, value in {
            "PLASED_SECRET_KEY": SECRET,
            "PLASED_DATABASE_URL": url,
            "PLASED_LOG_LEVEL": "WARNING",
            "PLASED_RATE_LIMIT_PER_ADDRESS": "100000000/minute",
            "PLASED_RATE_LIMIT_WRITES_PER_USER": "100000000/minute",
            "PLASED_RATE_LIMIT_REFERRALS_PER_USER": "100000000/minute",
        }.items():
            os.environ[name] = value
        from plased.config import get_settings
        from plased.main import create_app

        get_settings.cache_clear()
        app = create_app()
        for name in args.workload:
            _profile(app, found[name], args.requests, "SQLite" if args.sqlite else "PostgreSQL")


def _profile(app: Any, w: Any, requests: int, database_name: str) -> None:
    from bench.__main__ import spec_of

    spec = spec_of(w)
    ballots = iter(w.ballots)

    async def send(client: httpx.AsyncClient) -> None:
        answer = await driver.send(client, spec, ballots)
        assert answer is not None, "no ballot left to cast: ask for fewer requests"
        assert answer.status_code in driver.OK, answer.text[:300]

    elapsed, statements = asyncio.run(_run(app, send, requests))
    per = 1000 * elapsed / requests
    database = 1000 * sum(statements) / requests
    unit = "pair" if w.mode == "referral" else "request"
    print(f"{w.name} ({w.title}) on {database_name}, {requests} in a row")
    print(f"  {per:8.2f} ms per {unit}")
    print(f"  {database:8.2f} ms in {len(statements) / requests:.1f} statements (database)")
    print(f"  {per - database:8.2f} ms elsewhere (Python, threads, commits)")


if __name__ == "__main__":
    main()
