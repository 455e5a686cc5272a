"""Load benchmark: the API served as in production, under a mix of real signed calls.

    .venv/bin/python bench/load.py [--seconds 2] [--rounds 3] [--levels 1,4,16] [--only NAME,...] [--keep-data]
    .venv/bin/python bench/load.py --soak 10 [--keep-data]

Starts gunicorn (``gunicorn.conf.py``, DEBUG off, PostgreSQL, Redis) on 127.0.0.1:8077 (``--port``) with
``ROOT_URLCONF=bench.urls``, loads the demo data and gives the demo customer a loan history
(``bench/history.py``), then for each concurrency level drives each
endpoint for a fixed time with ``wrk`` (Debian's package; installed when missing and root),
on keep-alive connections, each request carrying its own signature made in advance (a
signature is accepted once), and prints requests/s, p50 and p99 latency, the ratio to a plain
Django JSON view served by the same server in the same run, error replies, and the peak memory
of a worker. wrk is written in C, so the load generator takes little of the 2 cores.

``loanProductApply`` and ``gotoRepayment`` draw from pools: first-time applicants
(``bench/applicants.py``) and borrowers with a disbursed loan (``bench/borrowers.py``), each used
exactly once (wrk reports how far each of its threads got; what a run did not reach goes back to
the pool, kept in ``var/`` for ``--keep-data``, which reuses the database and what is left of the
pools instead of building them again).

``--soak MINUTES`` drives the mixed load instead — the logged-in reads, the catalogue, quotes,
applications and repayments, interleaved — at 16 clients for that many minutes after a
30-second warm-up, and prints per minute requests/s, p50, p99, errors, the applications and
repayments made and each worker's resident memory, then checks: no errors, the last minute's
p99 within 20 % of the first's, worker memory grown by less than 10 %.

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
# applicant of its own (bench/applicants.py); gotoRepayment: a period is repaid once, so each
# request is a borrower of its own (bench/borrowers.py). A run that used up its pool counts errors.
APPLICANTS = ROOT / "var" / "bench-applicants.txt"
BORROWERS = ROOT / "var" / "bench-borrowers.txt"
APPLICANTS_LOADED = 8000
BORROWERS_LOADED = 5000
BORROWERS_FIRST_NUMBER = 20000  # their mobiles follow the applicants' (bench/applicants.py: unique ID numbers to 40,000)

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
  bodies, sessions, paths = {}, {}, {}
  local n, i = tonumber(args[2]), 0
  -- session "@": each line is "<session id>\t<body>" (one customer a request);
  -- "@@": each line is "<path>\t<session id or empty>\t<body>" (the soak's mix)
  local per_line, mixed = args[3] == "@", args[3] == "@@"
  for line in io.lines(args[1]) do
    if i % n == id then
      if mixed then
        local first = string.find(line, "\t", 1, true)
        local second = string.find(line, "\t", first + 1, true)
        table.insert(paths, string.sub(line, 1, first - 1))
        table.insert(sessions, string.sub(line, first + 1, second - 1))
        table.insert(bodies, string.sub(line, second + 1))
      elseif per_line then
        local tab = string.find(line, "\t", 1, true)
        table.insert(sessions, string.sub(line, 1, tab - 1))
        table.insert(bodies, string.sub(line, tab + 1))
      else
        table.insert(bodies, line)
      end
    end
    i = i + 1
  end
  next_body, sent, errors = 1, 0, 0
  headers = {["Content-Type"] = "application/json"}
  if args[3] ~= "" and not per_line and not mixed then headers["Authorization"] = "Bearer " .. args[3] end
  expect_envelope = args[4] == "envelope"
end
function request()
  local body, path = bodies[next_body], paths[next_body]
  if #sessions > 0 then
    if sessions[next_body] ~= "" then headers["Authorization"] = "Bearer " .. sessions[next_body] else headers["Authorization"] = nil end
  end
  next_body = next_body % #bodies + 1
  sent = sent + 1
  return wrk.format("POST", path, headers, body)
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
  -- how many lines each thread sent (thread i took lines i, i + n, i + 2n...): the rest are unused
  for i, thread in ipairs(threads) do io.write(string.format("SENT %d %d\n", i - 1, thread:get("sent"))) end
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


class Pool:
    """Customers who may each make one request (an application, a repayment), kept in a file."""

    def __init__(self, path: Path):
        self.path = path
        self.entries = [line for line in path.read_text(encoding="utf-8").splitlines() if line] if path.exists() else []

    def __len__(self) -> int:
        return len(self.entries)

    def take(self, count: int | None = None) -> list[str]:
        taken = self.entries[:count] if count is not None else self.entries
        self.entries = self.entries[len(taken):]
        return taken

    def give_back(self, unused: list[str]) -> None:
        self.entries = unused + self.entries
        self.path.write_text("".join(f"{entry}\n" for entry in self.entries), encoding="utf-8")


def write_bodies(folder: Path, name: str, payload: dict | None, sessions: list[tuple[str, dict]] | None = None) -> Path:
    """A fresh signed body a line; with ``sessions``, one line per (session, payload): "<session>\\t<body>"."""
    path = folder / f"{name}.jsonl"
    with path.open("w", encoding="utf-8") as file:
        if sessions is not None:
            for session, own_payload in sessions:
                file.write(f"{session}\t{json.dumps(sign_request(own_payload, APP_KEY), ensure_ascii=False)}\n")
            return path
        for _ in range(BODIES_PER_RUN if payload is not None else 1):
            signed = sign_request(payload, APP_KEY) if payload is not None else {}
            file.write(json.dumps(signed, ensure_ascii=False) + "\n")
    return path


@dataclass
class WrkRun:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    sent: dict  # wrk thread → how many of its lines it sent

    def sent_lines(self, lines: int) -> set[int]:
        """The lines sent: thread t took lines t, t + n, t + 2n... (n threads), in order."""
        threads = len(self.sent)
        return {t + k * threads for t, count in self.sent.items() for k in range(count) if t + k * threads < lines}


def run_wrk(script: Path, path: str, bodies: Path, session: str, signed: bool, concurrency: int, seconds: float) -> WrkRun:
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
    sent = {int(thread): int(count) for thread, count in re.findall(r"^SENT (\d+) (\d+)$", output, re.MULTILINE)}
    return WrkRun(int(requests), float(duration), float(p50), float(p99), int(errors), sent)


def demo_payloads(password_cipher: str) -> dict:
    """The demo customer's login and the request bodies of the mix."""
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
    login = {"username": DEMO_MOBILE, "password": password_cipher, "appType": "1", "token": "bench"}
    return {"login": login, "product": product, "quote": quote, "apply": apply}


def pool_payloads(name: str, entries: list[str], payloads: dict) -> list[tuple[str, dict]]:
    """(session, body) for each pool entry: an applicant's application, a borrower's repayment."""
    if name == "loanProductApply":
        return [(entry, payloads["apply"]) for entry in entries]
    return [(session, {"id": period, "repayType": "current"}) for session, period in (entry.split("\t") for entry in entries)]


def scenario(folder: Path, args, password_cipher: str) -> list[Result]:
    payloads = demo_payloads(password_cipher)
    session = call("/security/login", payloads["login"])["resultSet"]
    pools = {"loanProductApply": Pool(APPLICANTS), "gotoRepayment": Pool(BORROWERS)}
    mix = [  # name, path, body (None: unsigned), logged in (a Pool: one customer of the pool a request)
        ("plain view", "/bench/plain", None, False),
        ("signed ping", "/bench/ping", {}, False),
        ("signed ping + session", "/bench/session-ping", {}, True),
        ("getLoanProductList", "/openCommonApi/getLoanProductList", {}, False),
        ("getLoanProductDetails", "/openCommonApi/getLoanProductDetails", {"productId": payloads["product"]["id"]}, False),
        ("getLoanApplyConfirmInfo", "/appCommonApi/getLoanApplyConfirmInfo", payloads["quote"], True),
        ("login", "/security/login", payloads["login"], False),
        ("getUserCenterInfo", "/appCommonApi/getUserCenterInfo", {}, True),
        ("getRepayInfoList", "/appCommonApi/getRepayInfoList", {"pageNum": 1, "pageSize": 10, "condition": "0"}, True),
        ("loanProductApply", "/appCommonApi/loanProductApply", payloads["apply"], pools["loanProductApply"]),
        ("gotoRepayment", "/appCommonApi/gotoRepayment", {}, pools["gotoRepayment"]),
    ]
    only = set(filter(None, args.only.split(",")))
    mix = [entry for entry in mix if entry[0] == "plain view" or not only or entry[0] in only]
    script = folder / "signed.lua"
    script.write_text(WRK_SCRIPT)

    def measure(entry, level: int, seconds: float) -> Result:
        name, path, payload, logged_in = entry
        pool = logged_in if isinstance(logged_in, Pool) else None
        entries = pool.take() if pool is not None else None  # all that is left; what the run does not reach goes back
        sessions = pool_payloads(name, entries, payloads) if pool is not None else None
        bodies = write_bodies(folder, name.replace(" ", "_").replace("+", ""), payload, sessions)  # fresh signatures every run
        run = run_wrk(script, path, bodies, "@" if pool is not None else session if logged_in else "", payload is not None, level, seconds)
        if pool is not None:
            sent = run.sent_lines(len(entries))
            pool.give_back([entry for index, entry in enumerate(entries) if index not in sent])
        # Requests still queued in the server when wrk stops would be measured with the next run.
        time.sleep(0.2 + 2 * run.p99_ms / 1000)
        return Result(name, level, run.requests, run.seconds, run.p50_ms, run.p99_ms, run.errors)

    for entry in mix:  # warm-up, not reported: imports, connections, caches, the interpreter's specialisation
        measure(entry, max(args.levels), 1)
    results = []
    for level in args.levels:
        # Rounds interleave the endpoints, so a slow spell of the machine hits all of them alike.
        rounds = [[measure(entry, level, args.seconds) for entry in mix] for _ in range(args.rounds)]
        results += [median_round([one_round[i] for one_round in rounds]) for i in range(len(mix))]
    print(f"left in the pools: {len(pools['loanProductApply'])} applicants, {len(pools['gotoRepayment'])} borrowers\n")
    return results


# The soak's mix, one cycle: 81 requests, one application and one repayment among them (an odd
# length: wrk's 2 threads take alternate lines, so each thread gets both kinds in turn).
SOAK_CYCLE = (
    ["getUserCenterInfo"] * 20 + ["getRepayInfoList"] * 20 + ["getLoanProductList"] * 17
    + ["getLoanProductDetails"] * 8 + ["getLoanApplyConfirmInfo"] * 14 + ["loanProductApply", "gotoRepayment"]
)
SOAK_CLIENTS = 16
SOAK_LINES_PER_MINUTE = 60_000  # more than 16 clients send in a minute here: no line is sent twice


def soak(folder: Path, args, password_cipher: str, server: subprocess.Popen) -> None:
    payloads = demo_payloads(password_cipher)
    session = call("/security/login", payloads["login"])["resultSet"]
    pools = {"loanProductApply": Pool(APPLICANTS), "gotoRepayment": Pool(BORROWERS)}
    requests = {
        "getUserCenterInfo": ("/appCommonApi/getUserCenterInfo", {}),
        "getRepayInfoList": ("/appCommonApi/getRepayInfoList", {"pageNum": 1, "pageSize": 10, "condition": "0"}),
        "getLoanProductList": ("/openCommonApi/getLoanProductList", {}),
        "getLoanProductDetails": ("/openCommonApi/getLoanProductDetails", {"productId": payloads["product"]["id"]}),
        "getLoanApplyConfirmInfo": ("/appCommonApi/getLoanApplyConfirmInfo", payloads["quote"]),
        "loanProductApply": ("/appCommonApi/loanProductApply", payloads["apply"]),
        "gotoRepayment": ("/appCommonApi/gotoRepayment", None),
    }
    public = {"getLoanProductList", "getLoanProductDetails"}
    script = folder / "signed.lua"
    script.write_text(WRK_SCRIPT)

    def minute(seconds: float) -> tuple[WrkRun, int, int]:
        lines, pooled = [], {}  # pooled: line number → (pool name, entry)
        cycles = SOAK_LINES_PER_MINUTE // len(SOAK_CYCLE)
        taken = {name: pool.take(cycles) for name, pool in pools.items()}
        for cycle in range(cycles):
            for name in SOAK_CYCLE:
                path, payload = requests[name]
                if name in pools:
                    if cycle >= len(taken[name]):
                        name, (path, payload) = "getUserCenterInfo", requests["getUserCenterInfo"]  # the pool ran dry
                    else:
                        entry = taken[name][cycle]
                        pooled[len(lines)] = (name, entry)
                        line_session, payload = pool_payloads(name, [entry], payloads)[0]
                        lines.append(f"{path}\t{line_session}\t{json.dumps(sign_request(payload, APP_KEY), ensure_ascii=False)}")
                        continue
                line_session = "" if name in public else session
                lines.append(f"{path}\t{line_session}\t{json.dumps(sign_request(payload, APP_KEY), ensure_ascii=False)}")
        bodies = folder / "soak.txt"
        bodies.write_text("\n".join(lines) + "\n", encoding="utf-8")
        run = run_wrk(script, "/", bodies, "@@", True, SOAK_CLIENTS, seconds)
        sent = run.sent_lines(len(lines))
        made = {name: 0 for name in pools}
        for index, (name, entry) in pooled.items():
            if index in sent:
                made[name] += 1
        for name, pool in pools.items():
            unused = [entry for index, (pool_name, entry) in sorted(pooled.items()) if pool_name == name and index not in sent]
            pool.give_back(unused)
        time.sleep(0.2 + 2 * run.p99_ms / 1000)
        return run, made["loanProductApply"], made["gotoRepayment"]

    minute(30)  # warm-up, not reported
    print(f"soak: {SOAK_CLIENTS} clients for {args.soak} minutes, a mix of {len(SOAK_CYCLE)}: "
          + ", ".join(f"{SOAK_CYCLE.count(name)} {name}" for name in dict.fromkeys(SOAK_CYCLE)))
    print(f"{'minute':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'applied':>7} {'repaid':>6}  worker memory (VmRSS)")
    rows = []
    for number in range(1, args.soak + 1):
        run, applied, repaid = minute(60)
        memory = worker_memory_kib(server.pid, "VmRSS")
        rows.append((run, memory))
        print(f"{number:>6} {run.requests / run.seconds:>8.0f} {run.p50_ms:>8.2f} {run.p99_ms:>8.2f} {run.errors:>6} {applied:>7} {repaid:>6}  "
              + ", ".join(f"{kib / 1024:.1f} MiB" for kib in memory), flush=True)
    first, last = rows[0], rows[-1]
    errors = sum(run.errors for run, _ in rows)
    p99_change = last[0].p99_ms / first[0].p99_ms - 1
    growth = max(after / before - 1 for before, after in zip(first[1], last[1]))
    print()
    print(f"errors: {errors} ({'ok' if errors == 0 else 'NOT OK'})")
    print(f"p99, last minute against the first: {p99_change:+.1%} ({'ok' if abs(p99_change) <= 0.2 else 'NOT OK'}: within 20 %)")
    print(f"worker memory growth, largest: {growth:+.1%} ({'ok' if growth < 0.1 else 'NOT OK'}: under 10 %)")
    print(f"left in the pools: {len(pools['loanProductApply'])} applicants, {len(pools['gotoRepayment'])} borrowers")


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


def worker_memory_kib(master_pid: int, field: str = "VmHWM") -> list[int]:
    """Each worker's peak (VmHWM) or current (VmRSS) resident memory."""
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split()
    sizes = []
    for pid in sorted(children, key=int):
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(next(int(line.split()[1]) for line in status.splitlines() if line.startswith(field)))
    return sizes


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
    if args.keep_data:
        if not (APPLICANTS.exists() and BORROWERS.exists()):
            raise SystemExit(f"--keep-data: no pools in {APPLICANTS.parent}; run once without it")
        print(f"reusing the database and the pools ({len(Pool(APPLICANTS))} applicants, {len(Pool(BORROWERS))} borrowers left)")
        return env
    database = args.database_url.rsplit("/", 1)[-1]
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {database}"], check=True, capture_output=True)
    subprocess.run([*psql, f"CREATE DATABASE {database}"], check=True)
    subprocess.run(["redis-cli", "-u", args.redis_url, "flushdb"], check=True, capture_output=True)
    history = ["shell", "-c", "import bench.history; bench.history.load()"]
    APPLICANTS.parent.mkdir(exist_ok=True)
    applicants = ["shell", "-c", f"import bench.applicants; bench.applicants.load({APPLICANTS_LOADED}, {str(APPLICANTS)!r})"]
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"], ["loaddemo"], history, applicants):
        # loaddemo refuses DEBUG off (published passwords); this throwaway database may have them.
        step_env = {**env, "DEBUG": "1"} if command == ["loaddemo"] else env
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=step_env, check=True, capture_output=True)
    load_borrowers(env)
    return env


def load_borrowers(env: dict, parts: int = 4) -> None:
    """The borrowers' disbursements wait mostly on PostgreSQL: a few loaders side by side."""
    share = BORROWERS_LOADED // parts
    files = [BORROWERS.with_suffix(f".{part}") for part in range(parts)]
    loaders = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c",
             f"import bench.borrowers; bench.borrowers.load({share}, {str(path)!r}, first_number={BORROWERS_FIRST_NUMBER + part * share})"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for part, path in enumerate(files)
    ]
    if any(loader.wait() for loader in loaders):
        raise SystemExit("loading the borrowers failed")
    BORROWERS.write_text("".join(path.read_text(encoding="utf-8") for path in files), encoding="utf-8")
    for path in files:
        path.unlink()
        Path(f"{path}.sessions").unlink()


def start_gunicorn(env: dict, workers: int, threads: int, log: Path) -> subprocess.Popen:
    """The server, its output (warnings, the console SMS of the mix) in ``log``."""
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "cashloan.wsgi", "-c", str(ROOT / "gunicorn.conf.py"),
            "-b", BASE.removeprefix("http://"), "-w", str(workers), "--threads", str(threads), "--log-level", "warning",
        ],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
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
    parser.add_argument("--keep-data", action="store_true", help="reuse the database and what is left of the pools")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var", help="where the pools are kept")
    parser.add_argument("--soak", type=int, default=0, metavar="MINUTES", help="run the mixed soak load instead")
    args = parser.parse_args()
    global BASE, APPLICANTS, BORROWERS
    BASE = f"http://{HOST}:{args.port}"
    APPLICANTS, BORROWERS = args.data_dir / APPLICANTS.name, args.data_dir / BORROWERS.name

    ensure_wrk()
    env = prepare_environment(args)
    password_cipher = subprocess.run(
        [sys.executable, "-c", f"from accounts.crypto import encrypt_password; print(encrypt_password({DEMO_PASSWORD!r}))"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "cashloan.settings"}, capture_output=True, text=True, check=True,
    ).stdout.strip()
    log = args.data_dir / "bench-gunicorn.log"
    server = start_gunicorn(env, args.workers, args.threads, log)
    try:
        print(f"gunicorn: {args.workers} workers × {args.threads} threads (gthread), DEBUG off, PostgreSQL + Redis; load: wrk (server output: {log})")
        if args.soak:
            with tempfile.TemporaryDirectory() as folder:
                soak(Path(folder), args, password_cipher, server)
            return
        print(
            f"{args.rounds} rounds of {args.seconds:g} s per endpoint and level (median round shown), "
            "keep-alive connections, a fresh signature per request\n"
        )
        with tempfile.TemporaryDirectory() as folder:
            results = scenario(Path(folder), args, password_cipher)
        report(results)
        peaks = worker_memory_kib(server.pid)
        print("\npeak memory (VmHWM) per worker: " + ", ".join(f"{kib / 1024:.1f} MiB" for kib in peaks))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
