"""A database or cache that stops answering (CONTRACT §11): "clean errors (9999 envelope,
/healthz 503) within the timeout settings (default 5 s), never a hung worker".

Each test serves the project with gunicorn (gunicorn.conf.py, DEBUG off) in front of a server
that accepts connections and never answers, with short timeouts, and logs in JSON (README,
Logs): one object per line, one time zone, the request id on the app's and gunicorn's lines.
"""

import http.client
import json
import signal
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from cashloan.api.signing import sign_request, signature_matches
from tests.processes import BIN, ROOT, VALID_SECRETS, SilentServer, free_port, production_env

API_CALL = "/openCommonApi/getLoanProductList"


@contextmanager
def gunicorn(env: dict):
    """Serve until the block ends; yields the base URL and, once stopped, the log lines."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "4"}
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--no-control-socket", "cashloan.wsgi"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    logs: list[str] = []
    try:
        wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}", logs
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
        logs.extend(line for line in output.splitlines() if line.strip())


def wait_for_port(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    """Until the worker has booted and serves a page that needs neither database nor cache, so
    that the timings below measure the requests alone."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited: {server.communicate()[0]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/ready-probe", timeout=5)
        except urllib.error.HTTPError:
            return  # the site's 404 page: Django answers
        except OSError:
            time.sleep(0.05)
    raise AssertionError("gunicorn did not start")


def fetch(url: str, body: dict | None = None) -> tuple[int, dict, str, float]:
    """(status, headers, text, seconds) of one request, whatever its status."""
    data = json.dumps(sign_request(body, VALID_SECRETS["APP_KEY"])).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, error.headers, error.read()
    return status, dict(headers), raw.decode("utf-8"), time.monotonic() - started


def fetch_together(base: str) -> dict:
    """The API call, /healthz and an H5 page at the same time (the worker has 4 threads)."""
    calls = {"api": (base + API_CALL, {}), "healthz": (base + "/healthz", None), "h5": (base + "/open/loanHelp", None)}
    with ThreadPoolExecutor(len(calls)) as pool:
        futures = {name: pool.submit(fetch, url, body) for name, (url, body) in calls.items()}
        return {name: future.result() for name, future in futures.items()}


def assert_clean_9999(reply) -> dict:
    status, headers, text, _ = reply
    body = json.loads(text)
    assert status == 200 and signature_matches(body, VALID_SECRETS["APP_KEY"])
    assert (body["exceptionFlag"], body["responseCode"]) == ("9999", "9999")
    assert headers["X-Request-ID"] in body["responseMessage"]
    return body


def assert_json_log_lines(logs: list[str]) -> list[dict]:
    """README: LOG_FORMAT=json writes one JSON object per line, all in the project's time zone."""
    entries = [json.loads(line) for line in logs]
    assert entries and all(entry["time"].endswith("+08:00") for entry in entries), logs
    assert {"gunicorn.error", "gunicorn.access", "cashloan"} <= {entry["logger"] for entry in entries}
    return entries


def test_a_silent_database_gives_9999_and_503_within_the_connect_timeout(tmp_path):
    with SilentServer() as database:
        env = production_env(
            EMBEDDED_SERVICES="1", LOG_FORMAT="json", DB_CONNECT_TIMEOUT="2",
            DATABASE_URL=f"postgres://cashloan@127.0.0.1:{database.port}/cashloan",
        )
        with gunicorn(env) as (base, logs):
            replies = fetch_together(base)

    assert_clean_9999(replies["api"])
    status, _, text, _ = replies["healthz"]
    assert (status, json.loads(text)) == (503, {"status": "error", "database": "error", "cache": "ok"})
    status, _, text, _ = replies["h5"]
    assert status == 500 and "服务暂时不可用" in text  # the site's Chinese page, not Django's plain one
    assert max(seconds for *_, seconds in replies.values()) < 2 + 3, replies

    entries = assert_json_log_lines(logs)
    request_id = replies["api"][1]["X-Request-ID"]
    about_the_call = [entry for entry in entries if entry["request_id"] == request_id]
    assert {entry["logger"] for entry in about_the_call} == {"cashloan.api", "gunicorn.access"}
    assert "OperationalError" in next(entry["exception"] for entry in about_the_call if entry["logger"] == "cashloan.api")


def test_a_silent_cache_gives_9999_and_503_within_the_socket_timeout(tmp_path):
    with SilentServer() as cache:
        env = production_env(
            EMBEDDED_SERVICES="1", LOG_FORMAT="json", REDIS_TIMEOUT="1",
            REDIS_URL=f"redis://127.0.0.1:{cache.port}/0", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        )
        with gunicorn(env) as (base, logs):
            replies = {"api": fetch(base + API_CALL, {}), "healthz": fetch(base + "/healthz")}

    assert_clean_9999(replies["api"])
    status, _, text, _ = replies["healthz"]
    assert (status, json.loads(text)) == (503, {"status": "error", "database": "ok", "cache": "error"})
    assert max(seconds for *_, seconds in replies.values()) < 1 + 3, replies
    assert_json_log_lines(logs)


def test_a_request_stuck_past_the_worker_timeout_gets_its_worker_replaced():
    """gunicorn's timeout means "a request ran too long" with gthread workers too
    (cashloan/web_server.py): with the database timeout set far above it, the stuck worker is
    aborted and replaced, and the server answers again."""
    with SilentServer() as database:
        env = production_env(
            EMBEDDED_SERVICES="1", GUNICORN_TIMEOUT="2", DB_CONNECT_TIMEOUT="60",
            DATABASE_URL=f"postgres://cashloan@127.0.0.1:{database.port}/cashloan",
        )
        with gunicorn(env) as (base, logs):
            started = time.monotonic()
            with pytest.raises((urllib.error.URLError, ConnectionError, http.client.HTTPException)):
                fetch(base + "/healthz")
            dropped_after = time.monotonic() - started
            status_after = fetch(base + "/open/no-such-page")[0]

    assert dropped_after < 2 + 5
    assert status_after == 404  # a fresh worker serves
    assert any("WORKER TIMEOUT" in line for line in logs), logs



@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_connections_carry_both_timeouts(settings):
    """The defaults (README): 5 s to connect, 5 s per statement (enforced by the server)."""
    from django.db import connection

    assert connection.get_connection_params()["connect_timeout"] == 5
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "5s"
