"""Where a request's time goes: the hot endpoints under cProfile, in this process.

    .venv/bin/python bench/profile_endpoints.py [--requests 500] [--top 25] [--only NAME,...]

Run it after ``bench/load.py``, against the database that left (the demo customer with its
loan history, the same settings: DEBUG off, PostgreSQL, Redis). Each endpoint is served
through Django's WSGI handler (all middleware), bodies signed in advance, first without the
profiler (the wall time and this process's CPU time a request takes) and then under cProfile
with a CPU-time clock, whose top functions by own time and by cumulative time are printed.
The CPU clock leaves out the waits for PostgreSQL and Redis (their own CPU is spent in their
processes): on a shared machine the wall clock mostly measures the other programs.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    DEBUG="0", SECRET_KEY="bench-" + "x" * 40, APP_KEY="12345678", ALLOWED_HOSTS="127.0.0.1,localhost",
    FIELD_ENCRYPTION_KEY="YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtMzI=", ROOT_URLCONF="bench.urls", LOG_LEVEL="WARNING",
    STATIC_ROOT=str(ROOT / "var" / "bench-static"), EMBEDDED_SERVICES="1", LOGIN_IP_PER_MINUTE="1000000",
)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cashloan_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cashloan.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from accounts.crypto import encrypt_password  # noqa: E402
from cashloan.api.signing import sign_request  # noqa: E402

handler = WSGIHandler()
DEMO_MOBILE, DEMO_PASSWORD = "13800000000", "demo1234"


def environ_for(path: str, body: bytes, session: str = "") -> dict:
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    if session:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {session}"
    return environ


def serve(environ: dict) -> dict:
    statuses = []
    body = b"".join(handler(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    reply = json.loads(body)
    assert statuses[0].startswith("200") and reply["exceptionFlag"] == "0000", (statuses, body[:300])
    return reply


def signed(path: str, payload: dict, session: str = "") -> dict:
    return environ_for(path, json.dumps(sign_request(payload, settings.APP_KEY), ensure_ascii=False).encode(), session)


def endpoints(session: str) -> dict:
    products = serve(signed("/openCommonApi/getLoanProductList", {}))["resultSet"]
    product = next(item for item in products if item["name"] == "新现金贷")
    quote = {
        "productId": product["id"], "amount": "500.00", "termCount": "14", "termUnit": "1",
        "repayTermCount": "14", "repayTermUnit": "1", "repayType": "1", "interestRate": "0.36",
    }
    return {
        "signed ping": ("/bench/ping", {}, ""),
        "signed ping + session": ("/bench/session-ping", {}, session),
        "getLoanProductList": ("/openCommonApi/getLoanProductList", {}, ""),
        "getLoanApplyConfirmInfo": ("/appCommonApi/getLoanApplyConfirmInfo", quote, session),
        "getUserCenterInfo": ("/appCommonApi/getUserCenterInfo", {}, session),
        "getRepayInfoList": ("/appCommonApi/getRepayInfoList", {"pageNum": 1, "pageSize": 10, "condition": "0"}, session),
    }


def profile_repayments(pool: Path, count: int, top: int) -> None:
    """``count`` repayments, each of a borrower taken from ``bench/load.py``'s pool (and removed from it)."""
    entries = pool.read_text(encoding="utf-8").split("\n")
    taken, rest = [entry for entry in entries[:count] if entry], entries[count:]
    pool.write_text("\n".join(rest), encoding="utf-8")
    batch = [signed("/appCommonApi/gotoRepayment", {"id": period, "repayType": "current"}, session)
             for session, period in (entry.split("\t") for entry in taken)]
    for environ in batch[:10]:  # warm-up
        serve(environ)
    started, cpu_started = time.perf_counter(), time.process_time()
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for environ in batch[10:]:
        serve(environ)
    profiler.disable()
    done = len(batch) - 10
    print(f"=== gotoRepayment: {(time.perf_counter() - started) / done * 1e6:.0f} µs a request, "
          f"{(time.process_time() - cpu_started) / done * 1e6:.0f} µs of it this process's CPU (with the profiler), {done} requests")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        print(f"--- by {order}")
        print("\n".join(lines[start : start + top + 1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--only", default="")
    parser.add_argument("--repayments", type=int, default=0, help="profile this many repayments from --pool instead")
    parser.add_argument("--pool", type=Path, default=ROOT / "var" / "bench-borrowers.txt")
    args = parser.parse_args()
    if args.repayments:
        profile_repayments(args.pool, args.repayments, args.top)
        return
    login = {"username": DEMO_MOBILE, "password": encrypt_password(DEMO_PASSWORD), "appType": "1", "token": "profile"}
    session = serve(signed("/security/login", login))["resultSet"]
    only = set(filter(None, args.only.split(",")))
    for name, (path, payload, sess) in endpoints(session).items():
        if only and name not in only:
            continue
        for environ in [signed(path, payload, sess) for _ in range(100)]:  # warm-up
            serve(environ)
        batch = [signed(path, payload, sess) for _ in range(args.requests)]
        started, cpu_started = time.perf_counter(), time.process_time()
        for environ in batch:
            serve(environ)
        per_request = (time.perf_counter() - started) / args.requests * 1e6
        cpu_per_request = (time.process_time() - cpu_started) / args.requests * 1e6
        batch = [signed(path, payload, sess) for _ in range(args.requests)]
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for environ in batch:
            serve(environ)
        profiler.disable()
        print(f"=== {name}: {per_request:.0f} µs a request, {cpu_per_request:.0f} µs of it this process's CPU (without the profiler), {args.requests} requests")
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
            lines = out.getvalue().splitlines()
            start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
            print(f"--- by {order}")
            print("\n".join(lines[start : start + args.top + 1]))
        print()


if __name__ == "__main__":
    main()
