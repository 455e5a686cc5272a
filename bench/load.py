"""Load benchmark: the API served as in production, under a mix of real signed calls.

    .venv/bin/python bench/load.py [--seconds 2] [--rounds 3] [--levels 1,4,16] [--only NAME,...]

Starts gunicorn (``gunicorn.conf.py``, DEBUG off, PostgreSQL, Redis) on 127.0.0.1:8077 (``--port``) with
``ROOT_URLCONF=bench.urls``, loads the demo data and gives the demo customer a loan history
(``bench/history.py``), then for each concurrency level drives each
endpoint for a fixed time with ``wrk`` (Debian's package; installed when missing and root),
on keep-alive connections, each request carrying its own signature made in advance (a
signature is accepted once), and prints requests/s, p50 and p99 latency, the ratio to a plain
Django JSON view served by the same server in the same run, error replies, and the peak memory
of a worker. wrk is written in C, so the load generator takes little of the 2 cores.

Only loopback traffic; every run is bounded in time.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cashloan.api.signing import sign_request  # noqa: E402  (standard library only)

HOST = "127.0.0.1"
BASE = f"http://{HOST}:8077"  # --port changes it
APP_KEY = "12345678"
DEMO_MOBILE, DEMO_PASSWORD = "13800000000", "demo1234"
BODIES_PER_RUN = 20000  # more than any endpoint serves in one run: no signature is reused
# loanProductApply: a customer may have one unfinished loan, so each request is a first-time
# applicant of its own (bench/applicants.py); a run that used up its share would count errors.
APPLICANTS = ROOT / "var" / "bench-applicants.txt"
APPLICANTS_PER_RUN = 1500
APPLICANT_RUNS = 12  # the warm-up and 3 rounds at each of 3 levels, with room to spare

# Each wrk thread takes every n-th pre-signed body, so no two requests carry the same sign;
# a reply other than 200 with a success envelope counts as an error (a reused signature would).
WRK_SCRIPT = r"""
local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  bodies, sessions = {}, {}
  local n, i = tonumber(args[2]), 0
  -- session "@": each line is "<session id>\t<body>" (one customer a request)
  local per_line = args[3] == "@"
  for line in io.lines(args[1]) do
    if i % n == id then
      if per_line then
        local tab = string.find(line, "\t", 1, true)
        table.insert(sessions, string.sub(line, 1, tab - 1))
        table.insert(bodies, string.sub(line, tab + 1))
      else
        table.insert(bodies, line)
      end
    end
    i = i + 1
  end
  next_body, errors = 1, 0
  headers = {["Content-Type"] = "application/json"}
  if args[3] ~= "" and not per_line then headers["Authorization"] = "Bearer " .. args[3] end
  expect_envelope = args[4] == "envelope"
end
function request()
  local body = bodies[next_body]
  if #sessions > 0 then headers["Authorization"] = "Bearer " .. sessions[next_body] end
  next_body = next_body % #bodies + 1
  return wrk.format("POST", nil, headers, body)
end
function response(status, hdrs, body)
  if status ~= 200 or (expect_envelope and not string.find(body, '"exceptionFlag":"0000"', 1, true)) then
    errors = errors + 1
  end
end
function done(summary, latency, requests)
  local errors = 0
  for _, thread in ipairs(threads) do errors = errors + thread:get("errors") end
  io.write(string.format("RESULT %d %.3f %.3f %.3f %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
"""


@dataclass
class Result:
    name: str
    concurrency: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def call(path: str, payload: dict, session: str | None = None) -> dict:
    """One signed call, to prepare the run."""
    body = json.dumps(sign_request(payload, APP_KEY)).encode()
    headers = {"Content-Type": "application/json"}
    if session:
        headers["Authorization"] = f"Bearer {session}"
    request = urllib.request.Request(BASE + path, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def write_bodies(folder: Path, name: str, payload: dict | None, sessions: list[str] | None = None) -> Path:
    """A fresh signed body a line; with ``sessions``, one line per session: "<session>\\t<body>"."""
    path = folder / f"{name}.jsonl"
    with path.open("w", encoding="utf-8") as file:
        if sessions is not None:
            for session in sessions:
                file.write(f"{session}\t{json.dumps(sign_request(payload, APP_KEY), ensure_ascii=False)}\n")
            return path
        for _ in range(BODIES_PER_RUN if payload is not None else 1):
            signed = sign_request(payload, APP_KEY) if payload is not None else {}
            file.write(json.dumps(signed, ensure_ascii=False) + "\n")
    return path


def run_wrk(script: Path, path: str, bodies: Path, session: str, signed: bool, concurrency: int, seconds: float) -> tuple:
    threads = min(concurrency, 2)
    output = subprocess.run(
        [
            "wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{seconds:g}s", "--timeout", "10s",
            "-s", str(script), BASE + path, "--", str(bodies), str(threads), session or "", "envelope" if signed else "",
        ],
        capture_output=True, text=True, check=True,
    ).stdout
    match = re.search(r"^RESULT (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+)$", output, re.MULTILINE)
    if not match:
        raise SystemExit(f"wrk printed no result:\n{output}")
    requests, duration, p50, p99, errors = match.groups()
    return int(requests), float(duration), float(p50), float(p99), int(errors)


def scenario(folder: Path, args, password_cipher: str) -> list[Result]:
    login_payload = {"username": DEMO_MOBILE, "password": password_cipher, "appType": "1", "token": "bench"}
    session = call("/security/login", login_payload)["resultSet"]
    products = call("/openCommonApi/getLoanProductList", {})["resultSet"]
    product = next(item for item in products if item["name"] == "新现金贷")
    quote = {
        "productId": product["id"], "amount": "500.00", "termCount": "14", "termUnit": "1",
        "repayTermCount": "14", "repayTermUnit": "1", "repayType": "1", "interestRate": "0.36",
    }
    apply = {
        **quote, "longitude": "116.397128", "latitude": "39.916527", "orderId": "bench", "purpose": "21",
        "otherChannels": "01", "phonebookList": [{"contactName": f"联系人{n:03d}", "contactPhone": f"139{n:08d}"} for n in range(50)],
    }
    applicants = APPLICANTS.read_text().split()
    mix = [  # name, path, body (None: unsigned), logged in (APPLICANTS: one first-time applicant a request)
        ("plain view", "/bench/plain", None, False),
        ("signed ping", "/bench/ping", {}, False),
        ("signed ping + session", "/bench/session-ping", {}, True),
        ("getLoanProductList", "/openCommonApi/getLoanProductList", {}, False),
        ("getLoanProductDetails", "/openCommonApi/getLoanProductDetails", {"productId": product["id"]}, False),
        ("getLoanApplyConfirmInfo", "/appCommonApi/getLoanApplyConfirmInfo", quote, True),
        ("login", "/security/login", login_payload, False),
        ("getUserCenterInfo", "/appCommonApi/getUserCenterInfo", {}, True),
        ("getRepayInfoList", "/appCommonApi/getRepayInfoList", {"pageNum": 1, "pageSize": 10, "condition": "0"}, True),
        ("loanProductApply", "/appCommonApi/loanProductApply", apply, APPLICANTS),
    ]
    only = set(filter(None, args.only.split(",")))
    mix = [entry for entry in mix if entry[0] == "plain view" or not only or entry[0] in only]
    script = folder / "signed.lua"
    script.write_text(WRK_SCRIPT)

    def measure(entry, level: int, seconds: float) -> Result:
        name, path, payload, logged_in = entry
        pool = None
        if logged_in is APPLICANTS:  # each applicant applies once: take the next unused ones
            pool, applicants[:] = applicants[:APPLICANTS_PER_RUN], applicants[APPLICANTS_PER_RUN:]
        bodies = write_bodies(folder, name.replace(" ", "_").replace("+", ""), payload, pool)  # fresh signatures every run
        requests, duration, p50, p99, errors = run_wrk(
            script, path, bodies, "@" if pool is not None else session if logged_in else "", payload is not None, level, seconds
        )
        # Requests still queued in the server when wrk stops would be measured with the next run.
        time.sleep(0.2 + 2 * p99 / 1000)
        return Result(name, level, requests, duration, p50, p99, errors)

    for entry in mix:  # warm-up, not reported: imports, connections, caches, the interpreter's specialisation
        measure(entry, max(args.levels), 1)
    results = []
    for level in args.levels:
        # Rounds interleave the endpoints, so a slow spell of the machine hits all of them alike.
        rounds = [[measure(entry, level, args.seconds) for entry in mix] for _ in range(args.rounds)]
        results += [median_round([one_round[i] for one_round in rounds]) for i in range(len(mix))]
    return results


def median_round(runs: list[Result]) -> Result:
    """The run with the median rate, reported whole (its own p50 and p99)."""
    return sorted(runs, key=lambda run: run.rate)[len(runs) // 2]


def report(results: list[Result]) -> None:
    plain = {r.concurrency: r.rate for r in results if r.name == "plain view"}
    print(f"{'endpoint':26} {'conc':>4} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs plain':>8} {'errors':>6}")
    for r in results:
        print(
            f"{r.name:26} {r.concurrency:>4} {r.rate:>8.0f} {r.p50_ms:>8.2f} "
            f"{r.p99_ms:>8.2f} {r.rate / plain[r.concurrency]:>8.2f} {r.errors:>6}"
        )


def worker_peak_memory_kib(master_pid: int) -> list[int]:
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")))
    return peaks


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")


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
        "EMBEDDED_SERVICES": "1",  # no broker: the few SMS the mix sends are handed over in-process
        "ROOT_URLCONF": "bench.urls",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESSLOG": "",  # no access log: its formatting would be measured too
        "GUNICORN_MAX_REQUESTS": "0",  # no worker recycling in the middle of a measurement
        "LOGIN_IP_PER_MINUTE": "1000000",  # every request comes from 127.0.0.1: measure the login itself
    }
    database = args.database_url.rsplit("/", 1)[-1]
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {database}"], check=True, capture_output=True)
    subprocess.run([*psql, f"CREATE DATABASE {database}"], check=True)
    subprocess.run(["redis-cli", "-u", args.redis_url, "flushdb"], check=True, capture_output=True)
    history = ["shell", "-c", "import bench.history; bench.history.load()"]
    APPLICANTS.parent.mkdir(exist_ok=True)
    applicants = ["shell", "-c", f"import bench.applicants; bench.applicants.load({APPLICANTS_PER_RUN * APPLICANT_RUNS}, {str(APPLICANTS)!r})"]
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"], ["loaddemo"], history, applicants):
        # loaddemo refuses DEBUG off (published passwords); this throwaway database may have them.
        step_env = {**env, "DEBUG": "1"} if command == ["loaddemo"] else env
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=step_env, check=True, capture_output=True)
    return env


def start_gunicorn(env: dict, workers: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "cashloan.wsgi", "-c", str(ROOT / "gunicorn.conf.py"),
            "-b", BASE.removeprefix("http://"), "-w", str(workers), "--threads", str(threads), "--log-level", "warning",
        ],
        cwd=ROOT, env=env,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{BASE}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(description="Load benchmark of the signed API under gunicorn.")
    parser.add_argument("--seconds", type=float, default=2.0, help="per endpoint, level and round")
    parser.add_argument("--rounds", type=int, default=3, help="per level; the median round is reported")
    parser.add_argument("--levels", default="1,4,16", type=lambda text: [int(level) for level in text.split(",")])
    parser.add_argument("--only", default="", help="comma-separated endpoint names (the plain view always runs)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/cashloan_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--port", type=int, default=8077, help="loopback port of the server under test")
    args = parser.parse_args()
    global BASE
    BASE = f"http://{HOST}:{args.port}"

    ensure_wrk()
    env = prepare_environment(args)
    password_cipher = subprocess.run(
        [sys.executable, "-c", f"from accounts.crypto import encrypt_password; print(encrypt_password({DEMO_PASSWORD!r}))"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "cashloan.settings"}, capture_output=True, text=True, check=True,
    ).stdout.strip()
    server = start_gunicorn(env, args.workers, args.threads)
    try:
        print(f"gunicorn: {args.workers} workers × {args.threads} threads (gthread), DEBUG off, PostgreSQL + Redis; load: wrk")
        print(
            f"{args.rounds} rounds of {args.seconds:g} s per endpoint and level (median round shown), "
            "keep-alive connections, a fresh signature per request\n"
        )
        with tempfile.TemporaryDirectory() as folder:
            results = scenario(Path(folder), args, password_cipher)
        report(results)
        peaks = worker_peak_memory_kib(server.pid)
        print("\npeak memory (VmHWM) per worker: " + ", ".join(f"{kib / 1024:.1f} MiB" for kib in peaks))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
