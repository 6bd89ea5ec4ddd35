"""``python -m bench`` (or ``make bench``): the project's benchmark, docs/performance.md.

Builds the large and the small data set in fresh databases (a SQLite file and PostgreSQL
databases ``bench_large`` / ``bench_small``), serves the API and the ceiling app with 1 and 2
workers on loopback, drives each workload from a separate process (wrk, or the asyncio
driver) with a warm-up and several rounds, and writes bench/results.json and the table in
docs/performance.md. Nothing here is a test: read the ratios, measured in one run.

``python -m bench pool`` runs the older connection-pool comparison (bench/run.py);
``python -m bench profile W3`` times one workload in-process, database against the rest
(bench/profile.py).
"""

import argparse
import json
import os
import platform
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from bench.data import SECRET, DataSet, build

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOC = ROOT / "docs" / "performance.md"
RESULTS = HERE / "results.json"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432"
CONNECTIONS = 32
BALLOTS_PER_ROUND = 2_000  # a round at more than 200 ballots/s ends when they run out


@dataclass
class Workload:
    name: str
    title: str
    path: str
    token: str | None = None
    mode: str = "get"
    body: dict[str, Any] | None = None
    ballots: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Measure:
    workload: str
    config: str
    rounds: list[dict[str, Any]]
    rss_mb: list[float] = field(default_factory=list)
    tool: str = ""

    def _values(self, key: str) -> list[float]:
        return [r[key] for r in self.rounds]

    @property
    def rps(self) -> float:
        return statistics.median(self._values("rps"))

    @property
    def p50(self) -> float:
        return statistics.median(self._values("p50"))

    @property
    def p99(self) -> float:
        return statistics.median(self._values("p99"))

    @property
    def errors(self) -> int:
        return sum(int(r["errors"]) for r in self.rounds)

    def spread(self, key: str) -> float:
        """(max − min) / median over the rounds."""
        values = self._values(key)
        middle = statistics.median(values)
        return (max(values) - min(values)) / middle if middle else float("nan")

    def summary(self) -> dict[str, Any]:
        return {
            "workload": self.workload,
            "config": self.config,
            "rps": self.rps,
            "rps_spread": self.spread("rps"),
            "p50_ms": self.p50,
            "p50_spread": self.spread("p50"),
            "p99_ms": self.p99,
            "p99_spread": self.spread("p99"),
            "errors": self.errors,
            "peak_rss_mb": self.rss_mb,
            "tool": self.tool,
            "rounds": self.rounds,
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def peak_rss_mb(pid: int) -> list[float]:
    """VmHWM (the kernel's peak resident set) of each worker process: the server's children,
    or the server itself when it runs one worker in-process."""
    pids = [p for p in _children(pid) if "resource_tracker" not in _cmdline(p)] or [pid]
    peaks = []
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(round(int(line.split()[1]) / 1024, 1))
        except OSError:
            continue
    return peaks


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class Server:
    """``uvicorn`` with N workers: the API (``plased.main:create_app``) or the ceiling app."""

    def __init__(self, target: str, workers: int, url: str | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(ROOT)])),
            "PLASED_SECRET_KEY": SECRET,
            "PLASED_LOG_LEVEL": "WARNING",
            "PLASED_RATE_LIMIT_PER_ADDRESS": "100000000/minute",
            "PLASED_RATE_LIMIT_LOGIN_PER_ADDRESS": "100000000/minute",
            "PLASED_RATE_LIMIT_WRITES_PER_USER": "100000000/minute",
            "PLASED_RATE_LIMIT_REFERRALS_PER_USER": "100000000/minute",
        }
        if url:
            env["PLASED_DATABASE_URL"] = url
        command = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--workers", str(workers)]
        command += ["--log-level", "warning", "--no-access-log", "--no-server-header"]
        if target.endswith("create_app"):
            command.append("--factory")
        self.process = subprocess.Popen(  # noqa: S603 - our interpreter
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.workers = workers
        self.ceiling = target.startswith("bench.ceiling")
        try:
            self._wait()
        except BaseException:
            self.stop()
            raise

    def _wait(self) -> None:
        deadline = time.monotonic() + 180  # a busy machine starts slowly
        ready = 0
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the server exited at start")
            try:
                path = "/ceiling" if self.ceiling else "/health/live"
                if httpx.get(self.base + path, timeout=2).status_code == 200:
                    ready += 1
                    workers = len(peak_rss_mb(self.process.pid)) if self.workers > 1 else 1
                    if ready >= 3 and workers >= self.workers:
                        time.sleep(1)  # the last worker's first answers
                        return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)


def spec_of(w: Workload) -> dict[str, Any]:
    """What bench.driver sends for the workload (bench/profile.py sends the same)."""
    return {
        "path": w.path,
        "headers": {"Authorization": f"Bearer {w.token}"} if w.token else {},
        "mode": w.mode,
        "body": w.body,
    }


def drive(base: str, w: Workload, seconds: float, python: bool = False) -> dict[str, Any]:
    spec = {
        **spec_of(w),
        "base": base,
        "seconds": seconds,
        "connections": CONNECTIONS if w.mode == "get" else 16,
        "python": python,
    }
    if w.mode == "ballot":
        # Each round casts ballots of its own: a ballot is castable once.
        spec["ballots"], w.ballots[:BALLOTS_PER_ROUND] = w.ballots[:BALLOTS_PER_ROUND], []
    out = subprocess.run(
        [sys.executable, "-m", "bench.driver", "-"],
        input=json.dumps(spec),  # on stdin: the ballots' tokens are too long for arguments
        stdout=subprocess.PIPE,  # the driver's complaints go to the run's own output
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
        timeout=seconds + 120,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def measure(
    server: Server, w: Workload, config: str, rounds: int, seconds: float, warmup: float
) -> Measure:
    check = (
        httpx.get(
            server.base + w.path,
            headers={"Authorization": f"Bearer {w.token}"} if w.token else {},
            timeout=30,
        )
        if w.mode == "get"
        else None
    )
    if check is not None and check.status_code != 200:
        raise RuntimeError(f"{w.name}: {check.status_code} {check.text[:300]}")
    drive(server.base, w, warmup)
    results = []
    for _ in range(rounds):
        try:
            results.append(drive(server.base, w, seconds))
        except subprocess.CalledProcessError:
            print(f"  {config} {w.name}: a round failed to measure; left out", flush=True)
    if not results:
        raise RuntimeError(f"{w.name}: no round could be measured")
    m = Measure(w.name, config, results, peak_rss_mb(server.process.pid), results[0]["tool"])
    print(
        f"  {config:<18}{w.name:<10}{m.rps:>9.1f} req/s  p50 {m.p50:>7.1f} ms  "
        f"p99 {m.p99:>7.1f} ms  spread {m.spread('rps'):.2f}  errors {m.errors}  "
        f"rss {m.rss_mb}",
        flush=True,
    )
    if m.errors:
        print(f"    first error: {results[0].get('first_error')}", flush=True)
    return m


def workloads(d: DataSet, *, deep: bool = True) -> dict[str, Workload]:
    last_received = max(0, (d.received - 1) // 50 * 50)
    last_matching = max(0, (d.organisations_matching - 1) // 50 * 50)
    orgs = f"/api/v1/organisations?kind=cso&unit_id={d.district_id}&limit=50"
    found = {
        "W1": Workload(
            "W1",
            "GET one organisation",
            f"/api/v1/organisations/{d.organisation_id}",
            d.secretariat_token,
        ),
        "W2": Workload(
            "W2", "organisation list, 50 + total, kind + district", orgs, d.secretariat_token
        ),
        "W2-last": Workload(
            "W2-last", "the same, last page", f"{orgs}&offset={last_matching}", d.secretariat_token
        ),
        "W3": Workload(
            "W3",
            "provider's received referrals, 50",
            "/api/v1/referrals?direction=received&limit=50",
            d.provider_token,
        ),
        "W3-last": Workload(
            "W3-last",
            "the same, last page",
            f"/api/v1/referrals?direction=received&limit=50&offset={last_received}",
            d.provider_token,
        ),
        "W4": Workload(
            "W4",
            "anonymous directory, commune + category",
            f"/api/v1/services?unit_id={d.commune_id}&category_id={d.category_id}&limit=50",
        ),
        "W5": Workload(
            "W5",
            "create + submit a referral (pairs/s)",
            "/api/v1/referrals",
            d.referrer_token,
            mode="referral",
            body={
                "service_id": d.service_id,
                "urgency": "routine",
                "reason": "Benchmark",
                "client": {"full_name": "Bench Client", "gender": "female", "birth_year": 1990},
                "consent": {
                    "given_by": "self",
                    "given_on": "2026-01-01",
                    "share_with_provider": True,
                    "follow_up_contact": True,
                    "reporting": True,
                },
            },
        ),
        "W5-ballot": Workload(
            "W5-ballot",
            "cast a ballot (ballots/s)",
            "/api/v1/motions/{motion_id}/ballots",
            mode="ballot",
            ballots=d.ballots,
        ),
        # The reporting issue's indicators: measured when the route exists.
        "W6": Workload(
            "W6",
            "a platform's indicators",
            f"/api/v1/platforms/{d.platform_id}/indicators",
            d.secretariat_token,
        ),
    }
    if not deep:
        found = {k: v for k, v in found.items() if not k.endswith("-last")}
    return found


def has_indicators() -> bool:
    from plased.config import Settings
    from plased.main import create_app

    app = create_app(Settings(secret_key=SECRET))
    # The served document, not app.routes: included routers are not flattened into it.
    return "/api/v1/platforms/{platform_id}/indicators" in app.openapi()["paths"]


def machine(pg_url: str | None) -> dict[str, Any]:
    info: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average": os.getloadavg(),
        "packages": {
            p: version(p)
            for p in (
                "fastapi",
                "starlette",
                "pydantic",
                "sqlalchemy",
                "sqlmodel",
                "uvicorn",
                "psycopg",
            )
        },
        "driver": "wrk" if shutil.which("wrk") else "httpx (asyncio)",
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        ).stdout.strip(),
    }
    if pg_url:
        engine = create_engine(f"{pg_url}/postgres")
        with engine.connect() as connection:
            info["postgresql"] = connection.execute(text("SHOW server_version")).scalar()
        engine.dispose()
    return info


def ratio(a: Measure | None, b: Measure | None, key: str) -> float | None:
    if a is None or b is None or not getattr(b, key):
        return None
    return float(getattr(a, key) / getattr(b, key))


def main() -> None:
    if sys.argv[1:2] == ["profile"]:
        from bench import profile

        profile.main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("what", nargs="?", default="run", choices=["run", "pool"])
    parser.add_argument("--quick", action="store_true", help="a short run for development")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--scale", type=float, default=1.0, help="the large set's scale")
    parser.add_argument("--pg", default=os.environ.get("PLASED_BENCH_PG", PG_DEFAULT))
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="leave docs/ and results alone")
    args = parser.parse_args()
    if args.what == "pool":
        sys.argv = [sys.argv[0]]
        from bench import run as pool

        pool.main()
        return
    if args.quick:
        args.rounds, args.seconds, args.warmup = 3, 2.0, 1.0
        args.scale = min(args.scale, 0.1)
    began = time.monotonic()
    pg = None if args.no_pg else args.pg
    timing = (args.rounds, args.seconds, args.warmup)
    results: list[Measure] = []
    builds: dict[str, Any] = {}
    indicators = has_indicators()
    print(
        f"bench: {args.rounds} rounds of {args.seconds:g} s after {args.warmup:g} s, "
        f"{CONNECTIONS} connections, large scale {args.scale:g}",
        flush=True,
    )

    def run(config: str, url: str, d: DataSet, workers: int, names: list[str]) -> None:
        server = Server("plased.main:create_app", workers, url)
        try:
            found = workloads(d)
            for name in names:
                if name == "W6" and not indicators:
                    continue
                results.append(measure(server, found[name], config, *timing))
        finally:
            server.stop()

    def ceiling(workers: int) -> None:
        server = Server("bench.ceiling:app", workers)
        try:
            w = Workload("ceiling", "the ceiling app", "/ceiling")
            results.append(measure(server, w, f"ceiling {workers}w", *timing))
        finally:
            server.stop()

    with tempfile.TemporaryDirectory() as tmp:
        if pg:
            large = build(f"{pg}/bench_large", args.scale)
            small = build(f"{pg}/bench_small", args.scale / 100)
            builds["pg_large"], builds["pg_small"] = large.seconds, small.seconds
            print(
                f"built PostgreSQL sets in {large.seconds:.0f} s + {small.seconds:.0f} s: "
                f"{large.counts}",
                flush=True,
            )
            ceiling(2)
            run(
                "pg large 2w",
                large.url,
                large,
                2,
                ["W1", "W2", "W3", "W3-last", "W4", "W5", "W5-ballot", "W6"],
            )
            run("pg small 2w", small.url, small, 2, ["W2", "W3", "W4"])
            ceiling(1)
            run("pg large 1w", large.url, large, 1, ["W1"])
        if not args.no_sqlite:
            lite = build(f"sqlite:///{tmp}/bench_large.db", args.scale)
            builds["sqlite_large"] = lite.seconds
            print(f"built the SQLite set in {lite.seconds:.0f} s", flush=True)
            if not pg:
                ceiling(2)
            run("sqlite large 2w", lite.url, lite, 2, ["W3", "W4"])
    report = {
        "machine": machine(pg),
        "settings": {
            "rounds": args.rounds,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "connections": CONNECTIONS,
            "scale": args.scale,
            "quick": args.quick,
        },
        "builds_seconds": builds,
        "total_seconds": round(time.monotonic() - began),
        "results": [m.summary() for m in results],
        "ratios": ratios(results),
    }
    print(f"done in {report['total_seconds']} s")
    for line in table(report):
        print(line)
    if not args.no_write:
        RESULTS.write_text(json.dumps(report, indent=1) + "\n")
        write_doc(report)


def _find(results: list[Measure], workload: str, config: str) -> Measure | None:
    return next((m for m in results if m.workload == workload and m.config == config), None)


def ratios(results: list[Measure]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for config, ceiling in (
        ("pg large 2w", "ceiling 2w"),
        ("pg large 1w", "ceiling 1w"),
        ("sqlite large 2w", "ceiling 2w"),
    ):
        for w in ("W1", "W2", "W3", "W4"):
            value = ratio(_find(results, w, config), _find(results, "ceiling", ceiling), "rps")
            if value is not None:
                out[f"{w} / ceiling ({config})"] = value
    for w in ("W2", "W3", "W4"):
        value = ratio(_find(results, w, "pg large 2w"), _find(results, w, "pg small 2w"), "p50")
        if value is not None:
            out[f"{w} large / small p50 (pg 2w)"] = value
    value = ratio(
        _find(results, "W3-last", "pg large 2w"), _find(results, "W3", "pg large 2w"), "p50"
    )
    if value is not None:
        out["W3 last / first page p50 (pg 2w)"] = value
    return out


def table(report: dict[str, Any]) -> list[str]:
    lines = [
        "| config | workload | req/s (spread) | p50 ms (spread) | p99 ms | errors "
        "| peak RSS MB per worker |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in report["results"]:
        lines.append(
            f"| {r['config']} | {r['workload']} | {r['rps']:.0f} (±{r['rps_spread']:.0%}) "
            f"| {r['p50_ms']:.1f} (±{r['p50_spread']:.0%}) | {r['p99_ms']:.1f} | {r['errors']} "
            f"| {', '.join(f'{v:.0f}' for v in r['peak_rss_mb'])} |"
        )
    lines += ["", "| ratio (same run) | value |", "|---|---|"]
    lines += [f"| {k} | {v:.3f} |" for k, v in report["ratios"].items() if v is not None]
    return lines


def write_doc(report: dict[str, Any]) -> None:
    m = report["machine"]
    s = report["settings"]
    head = [
        START,
        f"Run of {m['date']} at commit `{m['commit']}`"
        + (" (**--quick**: not comparable)" if s["quick"] else "")
        + f", {report['total_seconds']} s in all.",
        f"Machine: {m['cpus']} CPUs, {m['platform']}, load average at the end "
        f"{', '.join(f'{x:.1f}' for x in m['load_average'])}; Python {m['python']}, "
        f"PostgreSQL {m.get('postgresql', '–')}, SQLite {m['sqlite']}; "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items())
        + f"; load from {m['driver']}, {s['connections']} connections; "
        f"{s['rounds']} rounds of {s['seconds']:g} s after {s['warmup']:g} s of warm-up; "
        f"large set at scale {s['scale']:g}, small set 1 % of it.",
        "",
    ]
    body = "\n".join([*head, *table(report), END])
    doc = DOC.read_text()
    start, end = doc.index(START), doc.index(END) + len(END)
    DOC.write_text(doc[:start] + body + doc[end:])


if __name__ == "__main__":
    main()
