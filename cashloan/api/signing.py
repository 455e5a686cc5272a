"""Request and response signatures (seed §3, CONTRACT §3).

    sign = lowercase hex SHA-1(app_key + timestamp + nonce + canonical(body without "sign"))

``canonical`` is compact JSON with keys sorted by code point at every depth and non-ASCII
characters written as themselves, UTF-8 encoded: what the seed's fastjson client produces.

Standard library only, so that ``client.py`` and this file can be copied to an integrator's
machine; on the server orjson (when installed: requirements.txt) writes the same form byte for
byte (``tests/api/test_protocol.py`` compares them on the seed's sample and on random values),
several times faster; what it refuses (an integer beyond 64 bits, a key that is not a string)
the standard library writes. Floats never reach it: requests refuse them, replies carry money
and rates as strings.
"""

import hashlib
import hmac
import json
import secrets
import time
from typing import Any

try:
    import orjson
except ImportError:  # an integrator's copy
    orjson = None

SIGN_FIELD = "sign"


def canonical_json(value: Any) -> str:
    if orjson is not None:
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            pass
    return stdlib_canonical_json(value)


def stdlib_canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def compute_sign(app_key: str, timestamp: str, nonce: str, canonical_body: str) -> str:
    message = f"{app_key}{timestamp}{nonce}{canonical_body}".encode("utf-8")
    return hashlib.sha1(message).hexdigest()


def payload_sign(payload: dict, app_key: str) -> str:
    """The sign of ``payload`` under its own timestamp and nonce; any "sign" key is ignored."""
    unsigned = {key: value for key, value in payload.items() if key != SIGN_FIELD}
    return compute_sign(app_key, str(unsigned.get("timestamp", "")), str(unsigned.get("nonce", "")), canonical_json(unsigned))


def signature_matches(payload: dict, app_key: str) -> bool:
    sign = payload.get(SIGN_FIELD)
    if not isinstance(sign, str):
        return False
    return hmac.compare_digest(payload_sign(payload, app_key).encode(), sign.lower().encode())


def new_timestamp() -> str:
    return str(int(time.time() * 1000))


def new_nonce() -> str:
    return f"{secrets.randbelow(10**8):08d}"


def sign_request(payload: dict, app_key: str, *, timestamp: str | None = None, nonce: str | None = None) -> dict:
    """A copy of ``payload`` with timestamp, nonce and sign filled in."""
    signed = {key: value for key, value in payload.items() if key != SIGN_FIELD}
    signed["timestamp"] = timestamp or new_timestamp()
    signed["nonce"] = nonce or new_nonce()
    signed[SIGN_FIELD] = payload_sign(signed, app_key)
    return signed


def signed_json(payload: dict, app_key: str) -> str:
    """Serialise ``payload`` with a fresh timestamp, nonce and sign in one JSON pass.

    The signed text is the canonical form without "sign"; the sign is appended as the last
    member (member order means nothing to a JSON reader).
    """
    unsigned = {**payload, "timestamp": new_timestamp(), "nonce": new_nonce()}
    unsigned.pop(SIGN_FIELD, None)
    canonical = canonical_json(unsigned)
    sign = compute_sign(app_key, unsigned["timestamp"], unsigned["nonce"], canonical)
    return canonical[:-1] + f',"{SIGN_FIELD}":"{sign}"}}'
