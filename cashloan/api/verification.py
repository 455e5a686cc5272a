"""Refusing unsigned, wrongly signed, stale and replayed requests (CONTRACT §3)."""

import time

from django.conf import settings
from django.core.cache import cache

from .errors import BadSignature, MalformedRequest, ReplayedRequest, StaleTimestamp
from .signing import SIGN_FIELD, signature_matches

NONCE_DIGITS = 8
MAX_TIMESTAMP_DIGITS = 16  # milliseconds: 13 digits until the year 2286


def verify_request(payload: dict) -> str:
    """Checks in order: signature fields present, nonce 8 digits, sign right, timestamp fresh;
    returns the sign, which :func:`remember_sign` (or ``cashloan.api.trip``) then refuses to see twice."""
    sign, timestamp, nonce = (payload.get(name) for name in (SIGN_FIELD, "timestamp", "nonce"))
    if not all(isinstance(value, str) and value for value in (sign, timestamp)) or nonce in (None, ""):
        raise BadSignature("签名参数（timestamp、nonce、sign）缺失或格式错误")
    if not _is_nonce(nonce):
        raise MalformedRequest("请求报文传输信息有误：nonce 必须是 8 位数字")
    if not signature_matches(payload, settings.APP_KEY):
        raise BadSignature()
    sent_at_ms = _timestamp_ms(timestamp)
    if sent_at_ms is None or abs(time.time_ns() // 1_000_000 - sent_at_ms) > settings.SIGN_WINDOW_SECONDS * 1000:
        raise StaleTimestamp()
    return sign.lower()


def replay_key(sign: str) -> str:
    return f"api:sign:{sign}"


def replay_seconds() -> int:
    """A sign is remembered for twice the window: outside it the timestamp check refuses the request anyway."""
    return 2 * settings.SIGN_WINDOW_SECONDS


def remember_sign(sign: str) -> None:
    if not cache.add(replay_key(sign), 1, timeout=replay_seconds()):
        raise ReplayedRequest()


def _is_nonce(value) -> bool:
    return isinstance(value, str) and len(value) == NONCE_DIGITS and value.isascii() and value.isdigit()


def _timestamp_ms(value: str) -> int | None:
    """Milliseconds since the epoch, or None: ASCII digits only ("¹".isdigit() is true), and
    short enough that no arithmetic on it can overflow."""
    if len(value) <= MAX_TIMESTAMP_DIGITS and value.isascii() and value.isdigit():
        return int(value)
    return None
