"""Refusing unsigned, wrongly signed, stale and replayed requests (CONTRACT §3)."""

import time

from django.conf import settings
from django.core.cache import cache

from .errors import BadSignature, ReplayedRequest, StaleTimestamp
from .signing import SIGN_FIELD, signature_matches


def verify_request(payload: dict) -> None:
    """Checks in order: signature fields present, sign right, timestamp fresh, sign unseen."""
    sign, timestamp, nonce = (payload.get(name) for name in (SIGN_FIELD, "timestamp", "nonce"))
    if not all(isinstance(value, str) and value for value in (sign, timestamp, nonce)):
        raise BadSignature("签名参数（timestamp、nonce、sign）缺失或格式错误")
    if not signature_matches(payload, settings.APP_KEY):
        raise BadSignature()
    window = settings.SIGN_WINDOW_SECONDS
    if not (timestamp.isascii() and timestamp.isdigit()) or abs(time.time() * 1000 - int(timestamp)) > window * 1000:
        raise StaleTimestamp()
    # Kept for twice the window: outside it the timestamp check refuses the request anyway.
    if not cache.add(f"api:sign:{sign.lower()}", 1, timeout=2 * window):
        raise ReplayedRequest()
