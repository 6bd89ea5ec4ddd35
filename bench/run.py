"""Load benchmark: 256 concurrent connections against one server process.

Prints throughput, latency and failures for the service as ``create_app`` builds it
(threads, database slots and connection pool sized together) and for the naive setup of
DESIGN §9 (default 5 + 10 pool, no bound on requests using the database), and their ratios,
all measured in this one run. Each variant stops after ``PLASED_BENCH_SECONDS``.

Usage: ``make bench`` (SQLite) or
``PLASED_BENCH_DATABASE_URL=postgresql+psycopg://… make bench``
(the benchmark database is emptied first).
No timing is asserted anywhere: read the ratios.
"""

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlmodel import Session

import plased.models  # noqa: F401 - every table mapped before the first query
from plased import provisioning
from plased.auth.models import User
from plased.auth.tokens import create_access_token
from plased.cli import migrate
from plased.config import Settings
from plased.db import make_engine
from plased.platforms.models import PlatformKind
from plased.platforms.schemas import PlatformCreate

CONNECTIONS = 256
REQUESTS = int(os.environ.get("PLASED_BENCH_REQUESTS", "3000"))
TIMEOUT = 20.0
DEADLINE = float(os.environ.get("PLASED_BENCH_SECONDS", "60"))
HERE = Path(__file__).resolve().parent


@dataclass
class Result:
    variant: str
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def prepare(url: str) -> str:
    if url.startswith("postgresql"):
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    migrate(url)
    settings = Settings(database_url=url, secret_key="bench-" * 8)
    engine = make_engine(settings)
    with Session(engine) as session:
        user = User(email="bench@example.org", full_name="Bench", password_hash="unusable")  # noqa: S106
        session.add(user)
        for n in range(120):
            provisioning.create_platform(
                session,
                actor=None,
                data=PlatformCreate(
                    code=f"bench-{n:03d}",
                    name=f"Bench {n}",
                    kind=PlatformKind.plased,
                    province="Ratanakiri",
                ),
            )
        session.commit()
        token = create_access_token(settings, user_id=user.id, token_version=user.token_version)
    engine.dispose()
    return token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def load(base: str, token: str) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    errors = 0
    first_error: dict[str, object] = {}
    remaining = REQUESTS
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)

    stop_at = 0.0
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=TIMEOUT) as client:

        async def worker() -> None:
            nonlocal remaining, errors
            while remaining > 0 and time.perf_counter() < stop_at:
                remaining -= 1
                started = time.perf_counter()
                try:
                    response = await client.get("/api/v1/platforms?limit=20", headers=headers)
                    if response.status_code == 200:
                        latencies.append(time.perf_counter() - started)
                    else:
                        errors += 1
                        first_error.setdefault("status", response.status_code)
                except httpx.HTTPError as exc:
                    errors += 1
                    first_error.setdefault("exception", type(exc).__name__)

        started = time.perf_counter()
        stop_at = started + DEADLINE
        await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
        if first_error:
            print(f"  first error: {first_error}")
        return time.perf_counter() - started, latencies, errors


def run_variant(variant: str, url: str, token: str) -> Result:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(HERE / "server.py"), str(port), url, variant],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/health/live", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        httpx.get(f"{base}/api/v1/platforms", headers={"Authorization": f"Bearer {token}"})
        seconds, latencies, errors = asyncio.run(load(base, token))
    finally:
        server.kill()
        server.wait(timeout=30)
    return Result(variant, seconds, latencies, errors)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("PLASED_BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
        token = prepare(url)
        kind = url.split(":", 1)[0]
        print(f"{REQUESTS} authenticated list requests, {CONNECTIONS} connections, {kind}")
        results = [run_variant(v, url, token) for v in ("plased", "naive")]
    print(f"{'pool':<10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for r in results:
        print(
            f"{r.variant:<10}{r.throughput:>10.1f}{r.percentile(0.5):>10.1f}"
            f"{r.percentile(0.99):>10.1f}{r.errors:>8}"
        )
    ours, naive = results
    if naive.latencies:
        print(f"throughput plased/naive: {ours.throughput / naive.throughput:.2f}x")
    else:
        print("throughput plased/naive: naive completed no request (stalled)")
    if naive.latencies and ours.latencies:
        print(f"p99 naive/plased:        {naive.percentile(0.99) / ours.percentile(0.99):.2f}x")
    print(f"failed requests plased: {ours.errors}, naive: {naive.errors}")


if __name__ == "__main__":
    main()
