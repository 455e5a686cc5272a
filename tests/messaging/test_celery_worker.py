"""A real Celery worker and broker (CONTRACT §10): an SMS and the overdue job through Redis.

The rest of the suite runs tasks eagerly; here a worker thread consumes from the Redis broker
CI provides, with committed data (the worker has its own database connection). Each test
uses a queue of its own, in the Redis database ``TEST_BROKER_REDIS_DB`` (default 3).
"""

import json
import os
import time
import uuid
from datetime import date, timedelta

import kombu.pools
import pytest
import redis
from celery.contrib.testing.worker import start_worker

from cashloan.celery import app as celery_app
from loans.tasks import mark_overdue_task
from messaging import services
from messaging.models import SmsMessage
from tests.factories import disbursed_loan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a Redis broker; set REDIS_URL (CI does)"),
]


def broker_url() -> str:
    """REDIS_URL's server, database TEST_BROKER_REDIS_DB (3): runs sharing a Redis pick their own."""
    return os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/" + os.environ.get("TEST_BROKER_REDIS_DB", "3")


@pytest.fixture
def redis_worker(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    previous = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}
    forget_broker_connections()
    # a queue of its own: another test process on the same broker never takes these tasks
    queue = f"test-{uuid.uuid4().hex}"
    celery_app.conf.update(broker_url=broker_url(), task_always_eager=False, task_default_queue=queue)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield tmp_path / "sms.jsonl"
    finally:
        forget_broker_connections()
        celery_app.conf.update(previous)
        redis.Redis.from_url(broker_url()).delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def forget_broker_connections() -> None:
    """The app caches its producer pool for the broker it first used; start from none."""
    kombu.pools.reset()  # closes and forgets every pooled connection
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


def wait_until(check, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_sms_goes_through_the_broker_to_the_backend(redis_worker):
    sms = services.send_sms("13800000001", "您的验证码是 123456", purpose="test")  # queued on commit

    def delivered():
        sms.refresh_from_db()
        return sms.status == SmsMessage.Status.SENT

    assert wait_until(delivered)
    lines = [json.loads(line) for line in redis_worker.read_text(encoding="utf-8").splitlines()]
    assert lines[-1]["mobile"] == "13800000001" and "123456" in lines[-1]["text"]


def test_overdue_job_runs_on_the_worker(redis_worker):
    loan = disbursed_loan(periods=[date(2025, 12, 20)])
    mark_overdue_task.delay(as_of=(date(2025, 12, 20) + timedelta(days=10)).isoformat())
    period = loan.periods.get()

    def marked():
        period.refresh_from_db()
        return period.is_overdue

    assert wait_until(marked)
    assert str(period.penalty) == "15.00"  # 1000.00 × 0.54 × 10 / 360
