"""Load benchmark: the API served as in production, under a mix of real signed calls.

    bench/run            # or: .venv/bin/python bench/load.py [--seconds 3] [--levels 1,4,16]

Starts gunicorn (DEBUG off, PostgreSQL, Redis) on 127.0.0.1:8077 with ``ROOT_URLCONF=bench.urls``,
loads the demo data, then for each concurrency level drives each endpoint for a fixed time
with keep-alive connections and bodies signed in advance (the client's signing is not
counted), and prints requests/s, p50 and p99 latency, the ratio to the plain Django JSON
view served by the same server in the same run, and the peak memory of a worker.

Only loopback traffic; every loop is bounded in time.
"""

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cashloan.api.signing import sign_request  # noqa: E402  (standard library only)

HOST, PORT = "127.0.0.1", 8077
APP_KEY = "12345678"
DEMO_MOBILE, DEMO_PASSWORD = "13800000000", "demo1234"


@dataclass
class Result:
    name: str
    concurrency: int
    count: int
    errors: int
    seconds: float
    latencies: list

    @property
    def rate(self) -> float:
        return self.count / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000 if ordered else float("nan")


def http_request(path: str, body: bytes, session: str | None = None) -> bytes:
    headers = [
        f"POST {path} HTTP/1.1",
        f"Host: {HOST}:{PORT}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Connection: keep-alive",
    ]
    if session:
        headers.append(f"Authorization: Bearer {session}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + body


async def read_response(reader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return status, await reader.readexactly(length)


async def one_call(path: str, payload: dict | None, session: str | None = None) -> dict:
    reader, writer = await asyncio.open_connection(HOST, PORT)
    body = json.dumps(sign_request(payload or {}, APP_KEY)).encode()
    writer.write(http_request(path, body, session))
    await writer.drain()
    _, raw = await read_response(reader)
    writer.close()
    return json.loads(raw)


async def drive(name: str, make_request, concurrency: int, seconds: float) -> Result:
    """``concurrency`` keep-alive connections send requests back to back for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker():
        nonlocal errors
        reader, writer = await asyncio.open_connection(HOST, PORT)
        while time.perf_counter() < deadline:
            request = make_request()
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status, body = await read_response(reader)
            latencies.append(time.perf_counter() - started)
            if status != 200 or (b'"exceptionFlag":"9999"' in body and name != "login"):
                errors += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Result(name, concurrency, len(latencies), errors, time.perf_counter() - started, latencies)


def signed(path: str, payload: dict, session: str | None = None):
    """A factory of fresh signed requests (each signature is accepted once)."""
    pool = [http_request(path, json.dumps(sign_request(payload, APP_KEY)).encode(), session) for _ in range(20000)]
    iterator = iter(pool)
    return lambda: next(iterator)


async def scenario(seconds: float, levels: list[int], password_cipher: str) -> list[Result]:
    login = await one_call(
        "/security/login", {"username": DEMO_MOBILE, "password": password_cipher, "appType": "1", "token": "bench"}
    )
    session = login["resultSet"]
    products = (await one_call("/openCommonApi/getLoanProductList", {}))["resultSet"]
    product = next(item for item in products if item["name"] == "新现金贷")
    quote = {
        "productId": product["id"], "amount": "500.00", "termCount": "14", "termUnit": "1",
        "repayTermCount": "14", "repayTermUnit": "1", "repayType": "1", "interestRate": "0.36",
    }
    plain_request = http_request("/bench/plain", b"{}")
    mix = {
        "plain view": lambda: (lambda: plain_request),
        "getLoanProductList": lambda: signed("/openCommonApi/getLoanProductList", {}),
        "getLoanProductDetails": lambda: signed("/openCommonApi/getLoanProductDetails", {"productId": product["id"]}),
        "getLoanApplyConfirmInfo": lambda: signed("/appCommonApi/getLoanApplyConfirmInfo", quote, session),
        "login": lambda: signed(
            "/security/login", {"username": DEMO_MOBILE, "password": password_cipher, "appType": "1", "token": "bench"}
        ),
        "getUserCenterInfo": lambda: signed("/appCommonApi/getUserCenterInfo", {}, session),
        "getRepayInfoList": lambda: signed("/appCommonApi/getRepayInfoList", {"pageNum": 1, "pageSize": 10, "condition": "0"}, session),
    }
    results = []
    for level in levels:
        for name, factory in mix.items():
            results.append(await drive(name, factory(), level, seconds))
    return results


def report(results: list[Result]) -> None:
    plain = {r.concurrency: r.rate for r in results if r.name == "plain view"}
    print(f"{'endpoint':26} {'conc':>4} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs plain':>8} {'errors':>6}")
    for r in results:
        ratio = r.rate / plain[r.concurrency]
        print(
            f"{r.name:26} {r.concurrency:>4} {r.rate:>8.0f} {r.percentile(0.50):>8.2f} "
            f"{r.percentile(0.99):>8.2f} {ratio:>8.2f} {r.errors:>6}"
        )


def worker_peak_memory_kib(master_pid: int) -> dict[int, int]:
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split()
    peaks = {}
    for pid in map(int, children):
        status = Path(f"/proc/{pid}/status").read_text()
        peaks[pid] = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    return peaks


def prepare_environment(args) -> dict:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 40,
        "APP_KEY": APP_KEY,
        "FIELD_ENCRYPTION_KEY": "YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtMzI=",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "ROOT_URLCONF": "bench.urls",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESSLOG": "",  # no access log: its formatting would be measured too
    }
    python = sys.executable
    database = args.database_url.rsplit("/", 1)[-1]
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {database}"], check=True)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"CREATE DATABASE {database}"], check=True)
    subprocess.run(["redis-cli", "-u", args.redis_url, "flushdb"], check=True, capture_output=True)
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"], ["loaddemo"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


def start_gunicorn(env: dict, workers: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "cashloan.wsgi", "-c", str(ROOT / "gunicorn.conf.py"),
            "-b", f"{HOST}:{PORT}", "-w", str(workers), "--threads", str(threads),
            "--log-level", "warning",
        ],
        cwd=ROOT, env=env,
    )
    for _ in range(100):
        try:
            subprocess.run(["curl", "-sf", f"http://{HOST}:{PORT}/healthz"], check=True, capture_output=True)
            return server
        except subprocess.CalledProcessError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(description="Load benchmark of the signed API under gunicorn.")
    parser.add_argument("--seconds", type=float, default=3.0, help="per endpoint and level")
    parser.add_argument("--levels", default="1,4,16")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/cashloan_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    args = parser.parse_args()

    env = prepare_environment(args)
    password_cipher = subprocess.run(
        [sys.executable, "-c", "from accounts.crypto import encrypt_password; print(encrypt_password('demo1234'))"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "cashloan.settings"}, capture_output=True, text=True,
    ).stdout.strip()
    server = start_gunicorn(env, args.workers, args.threads)
    try:
        levels = [int(level) for level in args.levels.split(",")]
        print(f"gunicorn: {args.workers} workers × {args.threads} threads (gthread), DEBUG off, PostgreSQL + Redis")
        print(f"{args.seconds:.0f} s per endpoint and level; latencies of whole requests on keep-alive connections\n")
        results = asyncio.run(scenario(args.seconds, levels, password_cipher))
        report(results)
        peaks = worker_peak_memory_kib(server.pid)
        print("\npeak memory (VmHWM) per worker: " + ", ".join(f"{kib / 1024:.1f} MiB" for kib in peaks.values()))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
