"""Web benchmark, run by hand: `.venv/bin/python bench/web.py [--seconds 15]`.

Seeds a fresh SQLite database with 10,000 filings, starts the service under
gunicorn with 2 workers, and measures requests per second and p50/p99
latency for the queue page, a filing page and a submission (the API call that
files a document; its check runs in the background). The load comes from a
separate process with 8 threads and keep-alive connections. Writes
bench/results/web.json and web.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This file is bench/web.py: the script's own folder must not shadow the `web` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))
from bench.common import git_commit, table, write_results  # noqa: E402

N_FILINGS = 10_000


def seed(url: str) -> tuple[str, int]:
    from web.auth import create_user, issue_token
    from web.db import make_engine, session_factory, upgrade
    from web.models import Filing, Material

    upgrade(url)
    factory = session_factory(make_engine(url))
    text = (ROOT / "fixtures" / "shanghai_measures.txt").read_bytes()
    with factory() as s:
        create_user(s, "reviewer", "bench-password", "reviewer")
        sub = create_user(s, "sub", "bench-password", "submitter", "上海市交通委员会")
        token = issue_token(s, sub)
        org = sub.organisation_id
        s.commit()
        rng = random.Random(1)
        statuses = ["prechecked"] * 6 + [
            "in_review",
            "filed",
            "returned_for_materials",
            "correction_requested",
        ]
        today = dt.date.today()
        for start in range(0, N_FILINGS, 1000):
            batch = []
            for i in range(start, start + 1000):
                f = Filing(
                    receipt=f"备B-{i:06d}", organisation_id=org, submitter_id=sub.id,
                    title=f"上海市测试管理办法 {i}", number=f"沪府规〔2024〕{i}号", status=rng.choice(statuses),
                    due=today + dt.timedelta(days=rng.randint(-10, 40)), errors=rng.randint(0, 3),
                    warnings=rng.randint(0, 5), worst_severity=rng.choice(["error", "warning", None]),
                )  # fmt: skip
                f.materials = [
                    Material(
                        kind="document", filename="m.txt", content=text, sha256="-", size=len(text)
                    )
                ]
                batch.append(f)
            s.add_all(batch)
            s.commit()
    return token, N_FILINGS // 2


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _login_cookie(base: str) -> str:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    html = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    data = urllib.parse.urlencode(
        {"csrf_token": token, "username": "reviewer", "password": "bench-password"}
    ).encode()
    opener.open(f"{base}/login", data=data)
    jar = opener.handlers[-1]
    for handler in opener.handlers:
        if isinstance(handler, urllib.request.HTTPCookieProcessor):
            jar = handler
    return "; ".join(f"{c.name}={c.value}" for c in jar.cookiejar)  # type: ignore[attr-defined]


def load(port: int, name: str, request: Any, seconds: float, threads: int = 8) -> dict[str, Any]:
    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def run() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while time.monotonic() < stop:
            method, path, body, headers = request()
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status < 400
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            mine.append(time.perf_counter() - t0)
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=run) for _ in range(threads)]
    t0 = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    return {
        "endpoint": name,
        "requests": len(latencies),
        "errors": errors[0],
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1) if latencies else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=15)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    url = f"sqlite:///{tmp / 'bench.db'}"
    token, some_id = seed(url)
    port = _port()
    env = {**os.environ, "REVIEWER_DATABASE_URL": url, "REVIEWER_SECRET_KEY": "bench"}
    env.pop("REVIEWER_BROKER_URL", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-w", "2", "-b", f"127.0.0.1:{port}", "--threads", "4",
         "web:create_app()"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    try:
        cookie = _login_cookie(base)
        doc = (ROOT / "fixtures" / "shanghai_measures.txt").read_bytes()
        boundary = "benchboundary"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="m.txt"\r\n'
                "Content-Type: text/plain\r\n\r\n"
            ).encode()
            + doc
            + f"\r\n--{boundary}--\r\n".encode()
        )
        results = [
            load(
                port,
                "GET /queue (reviewer, 10,000 filings)",
                lambda: ("GET", "/queue", None, {"Cookie": cookie}),
                args.seconds,
            ),
            load(
                port,
                "GET /filings/<id>",
                lambda: (
                    "GET",
                    f"/filings/{random.randint(1, N_FILINGS)}",
                    None,
                    {"Cookie": cookie},
                ),
                args.seconds,
            ),
            load(
                port,
                "POST /api/v1/filings",
                lambda: (
                    "POST",
                    "/api/v1/filings",
                    body,
                    {
                        "Authorization": f"Bearer {token}",
                        "Content-Type": f"multipart/form-data; boundary={boundary}",
                    },
                ),
                args.seconds,
            ),
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {
        "date": dt.date.today().isoformat(),
        "commit": git_commit(),
        "filings": N_FILINGS,
        "server": "gunicorn, 2 workers x 4 threads, SQLite (WAL)",
        "load": "8 client threads, keep-alive, separate process",
        "seconds_per_endpoint": args.seconds,
        "results": results,
    }
    md = [
        "# Web benchmark",
        "",
        f"{result['date']}, commit {result['commit']}; {result['server']}; {result['load']}; "
        f"{N_FILINGS:,} filings in the database; {args.seconds:.0f} s per endpoint.",
        "",
        *table(
            ("endpoint", "requests", "errors", "req/s", "p50 ms", "p99 ms"),
            (
                (r["endpoint"], r["requests"], r["errors"], r["rps"], r["p50_ms"], r["p99_ms"])
                for r in results
            ),
        ),
        "",
    ]
    write_results("web", result, md)
    del some_id


if __name__ == "__main__":
    main()
