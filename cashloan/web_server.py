"""gunicorn integration (``gunicorn.conf.py``): the project's log format and a request watchdog.

gunicorn's ``timeout`` only watches a worker's main loop; with gthread workers a request
thread stuck on a silent database or cache never trips it. The watchdog makes it mean "a
request has run longer than ``timeout``": the worker's heartbeat is never newer than the start
of its oldest request in flight, so gunicorn aborts and replaces a worker holding one. The
database and cache timeouts (5 s by default) end requests cleanly long before that.
"""

import os
import threading
import time

from gunicorn.glogging import Logger

from .logs import ProjectFormatter, RequestIdFilter


class GunicornLogger(Logger):
    """gunicorn's error and access logs in the project's format (``logger_class``)."""

    def setup(self, cfg):
        super().setup(cfg)
        from django.conf import settings  # the settings, not Django: gunicorn starts first

        formatter = ProjectFormatter(log_format=settings.LOG_FORMAT, time_zone=settings.TIME_ZONE)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)
                handler.addFilter(RequestIdFilter())


def watch_requests(worker) -> None:
    """``post_worker_init``: the heartbeat follows the oldest request in flight."""
    worker.requests_in_flight = {}

    def notify():
        now = time.monotonic()
        oldest = min(list(worker.requests_in_flight.values()), default=now)
        os.utime(worker.tmp.fileno(), (min(now, oldest),) * 2)

    worker.notify = notify


def request_started(worker, req) -> None:
    """``pre_request``, in the thread that serves it."""
    worker.requests_in_flight[threading.get_ident()] = time.monotonic()


def request_finished(worker, req, environ, resp) -> None:
    """``post_request``, in the same thread."""
    worker.requests_in_flight.pop(threading.get_ident(), None)
