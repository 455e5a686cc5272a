"""One log format for the app, gunicorn and Celery (README, Logs).

Every line carries the time in the project's time zone (``TIME_ZONE``, with its offset), the
level, the logger, the request id and the message; ``LOG_FORMAT=json`` writes the same as one
JSON object per line. The request id is the web request's (``X-Request-ID``, set by
``RequestIdMiddleware``) or the Celery task's id; ``-`` outside both.

Wired in two places: ``LOGGING`` in the settings (the app, and the Celery worker through
``cashloan/celery.py``) and ``cashloan/web_server.py`` (gunicorn's error and access logs).
"""

import json
import logging
import logging.config
from contextvars import ContextVar
from datetime import datetime
from zoneinfo import ZoneInfo

LOG_FORMATS = ("plain", "json")
request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

_ACCESS_REQUEST_ID = "{x-request-id}o"  # gunicorn's atom for the response's X-Request-ID header


class RequestIdFilter(logging.Filter):
    """Stamps each record with the request id of the request or task being served."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id_of(record)
        return True


def _request_id_of(record: logging.LogRecord) -> str:
    # Django logs a 4xx/5xx response after the middleware has returned, naming the request.
    request_id = getattr(getattr(record, "request", None), "request_id", None)
    if request_id is None and isinstance(record.args, dict):  # a gunicorn access line
        request_id = record.args.get(_ACCESS_REQUEST_ID)
    return request_id if request_id not in (None, "-") else request_id_var.get()


class ProjectFormatter(logging.Formatter):
    """``2025-11-30 13:06:43.102+08:00 INFO name [request id] message``, or the same as JSON."""

    def __init__(self, *, log_format: str = "plain", time_zone: str = "UTC"):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        self.json_lines = log_format == "json"
        self.zone = ZoneInfo(time_zone)

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's name)
        moment = datetime.fromtimestamp(record.created, self.zone)
        return moment.isoformat(sep=" " if not self.json_lines else "T", timespec="milliseconds")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            RequestIdFilter().filter(record)
        if not self.json_lines:
            return super().format(record)
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": record.request_id,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(config: dict) -> None:
    """``LOGGING_CONFIG``: Python warnings go through the same handler as everything else."""
    logging.config.dictConfig(config)
    logging.captureWarnings(True)


def logging_config(*, level: str, log_format: str, time_zone: str) -> dict:
    """The ``LOGGING`` dict: everything to stderr through one formatter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "project": {"()": ProjectFormatter, "log_format": log_format, "time_zone": time_zone},
        },
        "filters": {"request_id": {"()": RequestIdFilter}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "project", "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's defaults give these their own handlers (a second copy of each line with
            # DEBUG on, runserver's own format): everything goes through the root handler instead.
            "django": {"handlers": [], "level": level, "propagate": True},
            "django.server": {"handlers": [], "level": level, "propagate": True},
        },
    }
