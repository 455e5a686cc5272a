"""SMS backends, chosen by ``SMS_BACKEND`` like Django's e-mail backends.

``console`` prints, ``file`` appends one JSON line per message to ``SMS_FILE_PATH``
(``mobile``, ``text``, ``sent_at``), and a real gateway subclasses :class:`BaseSmsBackend`
and is named by its dotted path. A backend raises :class:`SmsGatewayError` on failure; the
sending task retries with backoff.
"""

import json
import sys
import threading
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsGatewayError(Exception):
    """The gateway did not accept the message (retryable)."""


class BaseSmsBackend:
    """What a real gateway implements: ``send`` one message or raise SmsGatewayError."""

    def send(self, mobile: str, text: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def send(self, mobile: str, text: str) -> None:
        sys.stdout.write(f"[SMS to {mobile}] {text}\n")
        sys.stdout.flush()


class FileSmsBackend(BaseSmsBackend):
    _lock = threading.Lock()

    def send(self, mobile: str, text: str) -> None:
        path = Path(settings.SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"mobile": mobile, "text": text, "sent_at": _now_text()}, ensure_ascii=False
        )
        with self._lock, path.open("a", encoding="utf-8") as file:
            file.write(line + "\n")


def _now_text() -> str:
    now: datetime = timezone.localtime()
    return now.strftime("%Y-%m-%d %H:%M:%S")


_ALIASES = {"console": ConsoleSmsBackend, "file": FileSmsBackend}


def get_backend() -> BaseSmsBackend:
    name = settings.SMS_BACKEND
    backend_class = _ALIASES.get(name) or import_string(name)
    return backend_class()
