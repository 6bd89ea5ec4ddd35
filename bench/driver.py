"""The load driver, always a process of its own (``python -m bench.driver SPEC``, or ``-`` to
read SPEC from stdin): wrk when it is
installed and the workload is a plain GET, this asyncio httpx loop otherwise.

SPEC is JSON: ``{"base", "path", "headers", "seconds", "connections", "mode"}`` where ``mode``
is ``get``, ``referral`` (create a referral, then submit it: one pair per iteration; the
body is ``body``) or ``ballot`` (cast one ballot per iteration, each with the next of
``ballots``, [token, motion id] pairs that are castable once; the run ends early when they
run out). Prints one JSON line: requests, errors, seconds, latencies' p50 and p99 in
milliseconds (one latency per pair for ``referral``).
"""

import asyncio
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Any

import httpx


def percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


OK = (200, 201)


async def send(
    client: httpx.AsyncClient, spec: dict[str, Any], ballots: Iterator[Sequence[str]]
) -> httpx.Response | None:
    """One iteration of the workload ``spec`` describes; its last answer (the first that
    failed, for a pair), or None when no ballot is left to cast. The profile
    (bench/profile.py) sends the same requests."""
    headers = spec.get("headers", {})
    if spec["mode"] == "get":
        return await client.get(spec["path"], headers=headers)
    if spec["mode"] == "ballot":
        ballot = next(ballots, None)
        if ballot is None:
            return None
        token, motion = ballot
        return await client.post(
            f"/api/v1/motions/{motion}/ballots",
            json={"choice": "yes"},
            headers={"Authorization": f"Bearer {token}"},
        )
    created = await client.post("/api/v1/referrals", json=spec["body"], headers=headers)
    if created.status_code not in OK:
        return created
    referral = created.json()["id"]
    return await client.post(f"/api/v1/referrals/{referral}/submit", headers=headers)


async def _loop(spec: dict[str, Any]) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    first_error: str | None = None
    connections = int(spec["connections"])
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    stop_at = time.perf_counter() + float(spec["seconds"])
    ballots = iter(spec.get("ballots") or [])
    async with httpx.AsyncClient(base_url=spec["base"], limits=limits, timeout=30) as client:

        async def once() -> bool | None:
            nonlocal first_error, stop_at
            answer = await send(client, spec, ballots)
            if answer is None:
                stop_at = 0.0  # every ballot cast: the round ends here
                return None
            ok = answer.status_code in OK
            if not ok and first_error is None:
                first_error = f"{answer.status_code} {answer.text[:200]}"
            return ok

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                try:
                    ok = await once()
                except httpx.HTTPError:
                    ok = False
                if ok is None:
                    break  # nothing left to send
                if ok:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        seconds = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": errors,
        "first_error": first_error,
        "seconds": seconds,
        "rps": len(latencies) / seconds,
        "p50": percentile(ordered, 0.5),
        "p99": percentile(ordered, 0.99),
        "tool": "httpx",
    }


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def _wrk(spec: dict[str, Any]) -> dict[str, Any]:
    command = [
        "wrk",
        "-t2",
        f"-c{spec['connections']}",
        f"-d{max(1, round(float(spec['seconds'])))}s",
        "--latency",
        "--timeout",
        "30s",
    ]
    for name, value in spec.get("headers", {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(spec["base"] + spec["path"])
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    requests = int(re.search(r"(\d+) requests in ([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    seconds = _ms(re.search(r"requests in ([\d.]+\w+)", out).group(1)) / 1000  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {
        "requests": requests - (int(bad.group(1)) if bad else 0),
        "errors": errors,
        "first_error": None if not errors else "see wrk",
        "seconds": seconds,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        # The distribution's own lines: "75.50%" in the +/- Stdev column must not be read.
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        "tool": "wrk",
    }


def drive(spec: dict[str, Any]) -> dict[str, Any]:
    """wrk when it is installed, else the asyncio driver. A failed wrk run is tried again
    rather than replaced by the far slower asyncio driver: one round measured by each tool
    would make the rounds incomparable (a past run's 42x spread on the ceiling was that)."""
    if spec["mode"] == "get" and shutil.which("wrk") and not spec.get("python"):
        for attempt in range(3):
            try:
                return _wrk(spec)
            except (AttributeError, subprocess.CalledProcessError) as exc:  # no usable output
                output = (getattr(exc, "stdout", "") or "") + (getattr(exc, "stderr", "") or "")
                print(f"wrk failed ({exc!r}, try {attempt + 1}): {output[-500:]}", file=sys.stderr)
                time.sleep(1)
        raise SystemExit("wrk failed three times: this round is not measured")
    return asyncio.run(_loop(spec))


if __name__ == "__main__":
    argument = sys.argv[1]
    print(json.dumps(drive(json.loads(sys.stdin.read() if argument == "-" else argument))))
