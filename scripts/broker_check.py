"""A real Celery worker consumes an SMS task through each broker named on the command line.

    python scripts/broker_check.py redis://127.0.0.1:6379/4 amqp://guest:guest@127.0.0.1:5672//

Run by ``scripts/check-brokers`` in a fresh virtualenv (what ``requirements.txt`` installs must
be enough). For each broker: a throwaway SQLite database, a worker on a queue of its own (other
runs on the same broker never take its task), one ``send_sms`` from ``manage.py shell``, and the
file SMS backend's line as the proof of delivery. Exits 1 naming each broker that failed.
"""

import base64
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import kombu

ROOT = Path(__file__).resolve().parent.parent
DELIVERY_SECONDS = 60
SEND = (
    "from messaging.services import send_sms\n"
    "sms = send_sms('13800000000', 'broker check', purpose='broker-check')\n"
    "sms.refresh_from_db()\n"
    "assert not sms.last_error, sms.last_error\n"
)


def environment(broker: str, workdir: Path, queue: str) -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "APP_KEY": secrets.token_hex(8),
        "FIELD_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode(),
        "EMBEDDED_SERVICES": "1",  # the cache in memory: only the broker is under test
        "CELERY_BROKER_URL": broker,
        "CELERY_QUEUE": queue,
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "SMS_BACKEND": "file",
        "SMS_FILE_PATH": str(workdir / "sms.jsonl"),
        "SMS_QUIET_HOURS": "",  # else, run from 21:00 to 08:00 Asia/Shanghai, the SMS is held till morning
    }


def check(broker: str) -> str | None:
    """None when the task went through, else what went wrong."""
    queue = f"broker-check-{uuid.uuid4().hex}"
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        env = environment(broker, workdir, queue)
        manage = [sys.executable, "manage.py"]
        quiet = {**env, "LOG_LEVEL": "ERROR"}  # the trial's start warning, once per command, is noise here
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=quiet, check=True)
        log = (workdir / "worker.log").open("w+")
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cashloan", "worker", "--pool=solo",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            sent = subprocess.run([*manage, "shell", "-c", SEND], cwd=ROOT, env=quiet, capture_output=True, text=True)
            if sent.returncode != 0:
                return "enqueue failed:\n" + sent.stderr[-2000:]
            if not delivered(workdir / "sms.jsonl", worker):
                log.seek(0)
                return f"no delivery within {DELIVERY_SECONDS} s; worker log:\n" + log.read()[-3000:]
            return None
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            forget_queue(broker, queue)


def delivered(sms_file: Path, worker: subprocess.Popen) -> bool:
    deadline = time.monotonic() + DELIVERY_SECONDS
    while time.monotonic() < deadline and worker.poll() is None:
        if sms_file.exists() and "broker check" in sms_file.read_text(encoding="utf-8"):
            return True
        time.sleep(0.2)
    return False


def forget_queue(broker: str, queue: str) -> None:
    """Leave nothing behind on a shared broker (a durable queue would outlive the check)."""
    try:
        with kombu.Connection(broker, connect_timeout=5) as connection:
            kombu.Queue(queue, channel=connection.default_channel).delete()
    except Exception as error:  # the verdict is already known; this is housekeeping
        print(f"  (could not delete queue {queue}: {error})")


def main(brokers: list[str]) -> int:
    failures = 0
    for broker in brokers:
        shown = broker.split("@")[-1]
        problem = check(broker)
        print(f"{'ok  ' if problem is None else 'FAIL'} a worker consumed a task through {shown}")
        if problem:
            failures += 1
            print("  " + problem.replace("\n", "\n  "))
    return 1 if failures or not brokers else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
