"""One log format for the app, gunicorn and Celery (README, Logs; cashloan/logs.py).

gunicorn's lines and the app's are checked together in tests/test_service_timeouts.py; here the
formatter itself, the request id of a request served by Django, and a Celery worker's lines.
"""

import io
import json
import logging
import signal
import subprocess
import time
from types import SimpleNamespace

import pytest

from cashloan import celery as project_celery
from cashloan.logs import ProjectFormatter, RequestIdFilter, request_id_var
from tests.processes import BIN, ROOT, production_env

pytestmark = pytest.mark.django_db


def record(message="hello %s", args=("world",), **extra) -> logging.LogRecord:
    entry = logging.LogRecord("cashloan.test", logging.WARNING, __file__, 1, message, args, None)
    entry.created = 1764480403.5  # 2025-11-30 05:26:43.500 UTC
    entry.__dict__.update(extra)
    return entry


def test_plain_lines_carry_local_time_with_its_offset_and_the_request_id():
    token = request_id_var.set("req-1")
    try:
        line = ProjectFormatter(time_zone="Asia/Shanghai").format(record())
    finally:
        request_id_var.reset(token)
    assert line == "2025-11-30 13:26:43.500+08:00 WARNING cashloan.test [req-1] hello world"


def test_json_lines_are_one_object_each_with_the_traceback_inside():
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        import sys

        entry = record(exc_info=sys.exc_info())
    line = ProjectFormatter(log_format="json", time_zone="Asia/Shanghai").format(entry)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["time"] == "2025-11-30T13:26:43.500+08:00"
    assert (parsed["level"], parsed["logger"], parsed["request_id"], parsed["message"]) == (
        "WARNING", "cashloan.test", "-", "hello world"
    )
    assert parsed["exception"].startswith("Traceback") and "ValueError: boom" in parsed["exception"]


def test_the_request_id_comes_from_django_s_request_or_gunicorn_s_access_atoms():
    from_django = record(request=SimpleNamespace(request_id="req-django"))
    from_gunicorn = record(message="%(r)s", args=({"r": "GET /", "{x-request-id}o": "req-access"},))
    for entry in (from_django, from_gunicorn):
        RequestIdFilter().filter(entry)
    assert (from_django.request_id, from_gunicorn.request_id) == ("req-django", "req-access")


@pytest.mark.urls("tests.api.urls")
def test_log_lines_written_while_serving_a_request_carry_its_id(api):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(ProjectFormatter(log_format="json"))
    logger = logging.getLogger("cashloan.api")
    logger.addHandler(handler)
    try:
        reply = api.post("/test/boom", {})
    finally:
        logger.removeHandler(handler)
    assert reply.code == "9999"
    (line,) = stream.getvalue().splitlines()
    assert json.loads(line)["request_id"] == reply.response["X-Request-ID"]


def test_a_worker_s_task_logs_with_the_task_id():
    task = SimpleNamespace(request=SimpleNamespace(is_eager=False))
    project_celery.log_with_task_id(task_id="task-42", task=task)
    assert request_id_var.get() == "task-42"
    project_celery.stop_logging_with_task_id(task=task)
    assert request_id_var.get() == "-"


def test_the_celery_worker_logs_in_the_same_format():
    env = production_env(EMBEDDED_SERVICES="1", LOG_FORMAT="json", CELERY_BROKER_URL="memory://")
    worker = subprocess.Popen(
        [str(BIN / "celery"), "-A", "cashloan", "worker", "--pool=solo", "--without-heartbeat", "--without-gossip",
         "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    lines = []
    deadline = time.monotonic() + 60
    try:
        for line in worker.stderr:  # the banner goes to stdout; logs to stderr
            lines.append(line)
            if " ready." in line or time.monotonic() > deadline:
                break
    finally:
        worker.send_signal(signal.SIGTERM)
        _, remaining = worker.communicate(timeout=30)
    lines += remaining.splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]
    assert any(entry["message"].endswith(" ready.") for entry in entries), lines
    assert all(entry["time"].endswith("+08:00") and entry["request_id"] == "-" for entry in entries)
