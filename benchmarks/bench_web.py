"""Benchmark the web app (``fairhire serve``) over HTTP, on 127.0.0.1 only.

Starts ``fairhire serve`` in a subprocess on a free loopback port, then measures, as a client
would see them:

- ``POST /api/scan`` on a 600-word job ad: latency percentiles over ``--n`` requests, one
  client and then ``--clients`` concurrent clients (target: p95 < 50 ms with one client);
- ``POST /api/audit`` of a ``--rows``-row CSV funnel, by sex and by race, HTML report (upload,
  reading, two analyses and the report included; target: < 5 s).

Every request goes to 127.0.0.1; the loops are bounded and the server is stopped at the end.

Run:  python benchmarks/bench_web.py [--n 300] [--clients 4] [--rows 100000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import fairhire as fh
from fairhire.datasets.job_ads import make_job_ads

HOST = "127.0.0.1"  # never anything else: the load stays on this machine
ROOT = Path(__file__).resolve().parent.parent
CONFIG = """
[report]
title = "Benchmark funnel"
[[analysis]]
type = "adverse_impact"
title = "Hiring funnel by sex"
group = "sex"
stages = ["screened", "interviewed", "offered", "hired"]
[[analysis]]
type = "adverse_impact"
title = "Hiring funnel by race"
group = "race"
stages = ["screened", "interviewed", "offered", "hired"]
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "fairhire.cli", "serve", "--host", HOST, "--port", str(port),
         "--max-upload", "200"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "GET", "/api/health")
            if status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start: " + proc.communicate()[1].decode()[-2000:])


def request(port: int, method: str, path: str, body: bytes = b"",
            headers: dict[str, str] | None = None, conn: http.client.HTTPConnection | None = None
            ) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        if own:
            conn.close()


def percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": ordered[-1] * 1000}


def scan_latency(port: int, text: str, n: int) -> list[float]:
    body = json.dumps({"text": text}).encode()
    headers = {"content-type": "application/json"}
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    times = []
    try:
        for i in range(n):
            t0 = time.perf_counter()
            status, _ = request(port, "POST", "/api/scan", body, headers, conn)
            times.append(time.perf_counter() - t0)
            assert status == 200, (i, status)
    finally:
        conn.close()
    return times


def multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode() + data + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def audit_time(port: int, csv: bytes) -> float:
    body, content_type = multipart({"config": CONFIG, "format": "html"}, "funnel.csv", csv)
    t0 = time.perf_counter()
    status, reply = request(port, "POST", "/api/audit", body, {"content-type": content_type})
    elapsed = time.perf_counter() - t0
    assert status == 200, reply[:500]
    assert b"Hiring funnel by race" in reply
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="scan requests per measurement")
    parser.add_argument("--clients", type=int, default=4, help="concurrent scan clients")
    parser.add_argument("--words", type=int, default=600, help="words in the job ad")
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the audited CSV")
    parser.add_argument("--repeats", type=int, default=3, help="timed audit runs")
    args = parser.parse_args(argv)
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} "
          f"CPU(s); fairhire {fh.__version__}; server and client on {HOST}")
    text = make_job_ads(1, words=args.words, random_state=0).text.iloc[0]
    csv = fh.datasets.make_hiring_funnel(args.rows, random_state=0).to_csv(index=False).encode()
    port = _free_port()
    proc = start_server(port)
    try:
        scan_latency(port, text, 20)  # warm up: imports, the lexicon, the first connections
        one = percentiles(scan_latency(port, text, args.n))
        print(f"POST /api/scan, {len(text.split())}-word ad, 1 client, {args.n} requests: "
              + ", ".join(f"{k} {v:.1f} ms" for k, v in one.items()))
        with ThreadPoolExecutor(args.clients) as pool:
            runs = pool.map(lambda _: scan_latency(port, text, args.n // args.clients),
                            range(args.clients))
            many = percentiles([t for run in runs for t in run])
        print(f"POST /api/scan, {args.clients} concurrent clients: "
              + ", ".join(f"{k} {v:.1f} ms" for k, v in many.items()))
        target = "met" if one["p95"] < 50 else "MISSED"
        print(f"target p95 < 50 ms (1 client): {target}")
        audit_time(port, csv[: 200_000].rsplit(b"\n", 1)[0] + b"\n")  # warm up
        times = sorted(audit_time(port, csv) for _ in range(args.repeats))
        print(f"POST /api/audit, {args.rows:,}-row CSV ({len(csv) / 1e6:.1f} MB), funnel by sex "
              f"and by race, HTML report: best {times[0]:.2f} s, median "
              f"{times[len(times) // 2]:.2f} s over {args.repeats} runs")
        print(f"target < 5 s (median): {'met' if times[len(times) // 2] < 5 else 'MISSED'}")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
