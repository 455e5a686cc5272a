"""Short-lived secrets kept in the shared cache (CONTRACT §7): captchas, SMS codes and the
server-side proofs that an SMS code was checked.

Every "use once" is made safe against two concurrent requests by relying on the cache's
``delete`` answering whether *this* call removed the key.

Captchas and SMS codes are never kept in clear (CONTRACT §11): the cache holds a keyed hash
(HMAC under a key derived from ``FIELD_ENCRYPTION_KEY``, bound to the session or the flow and
mobile), and an answer is checked by hashing it the same way. Whoever reads the cache cannot
read a code, nor try the million codes offline without the server's key.
"""

import secrets
import time
from enum import Enum

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import constant_time_compare

from cashloan.api import ratelimit
from cashloan.api.errors import ApiError, RateLimited
from cashloan.crypto import keyed_digest

from . import codes

CAPTCHA_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i look-alikes
CAPTCHA_LENGTH = 4
SMS_CODE_LENGTH = 6
SMS_MAX_ATTEMPTS = 5


class Flow(str, Enum):
    """Register-flow and reset-flow codes and proofs never mix."""

    REGISTER = "register"
    RESET = "reset"


# --- captcha (§7) ----------------------------------------------------------------------------

def _captcha_key(session_key: str) -> str:
    return f"captcha:{session_key}"


def _captcha_hash(session_key: str, captcha: str) -> str:
    return keyed_digest("captcha", f"{session_key}:{captcha}")


def issue_captcha(session_key: str) -> str:
    captcha = "".join(secrets.choice(CAPTCHA_ALPHABET) for _ in range(CAPTCHA_LENGTH))
    cache.set(_captcha_key(session_key), _captcha_hash(session_key, captcha), timeout=settings.CAPTCHA_TTL_SECONDS)
    return captcha


def consume_captcha(session_key: str | None, answer: str) -> None:
    """Right answer or not, the captcha is used up: a wrong guess needs a new one."""
    key = _captcha_key(session_key) if session_key else None
    expected = cache.get(key) if key else None
    if expected is None or not cache.delete(key):
        raise ApiError("图形验证码已过期，请重新获取", code=codes.CAPTCHA_EXPIRED)
    if not constant_time_compare(expected, _captcha_hash(session_key, answer.strip().lower())):
        raise ApiError("图形验证码错误", code=codes.CAPTCHA_WRONG)


# --- SMS codes (§8, §9, §11, §12) -------------------------------------------------------------

def _code_key(flow: Flow, mobile: str) -> str:
    return f"smscode:{flow.value}:{mobile}"


def _tries_key(flow: Flow, mobile: str) -> str:
    return f"smscode:{flow.value}:{mobile}:tries"


def check_send_limits(mobile: str, client_ip: str) -> None:
    """Per IP per hour, then per mobile: one every 60 s and a daily cap (90005000)."""
    if not ratelimit.hit(f"sms:ip:{client_ip}", settings.SMS_IP_HOURLY_LIMIT, 3600):
        raise RateLimited("该网络请求短信过于频繁，请稍后再试")
    interval = settings.SMS_MOBILE_INTERVAL_SECONDS
    if not cache.add(f"sms:gap:{mobile}", 1, timeout=interval):
        raise RateLimited(f"短信发送过于频繁，请{interval}秒后再试")
    if not ratelimit.hit(f"sms:day:{mobile}", settings.SMS_MOBILE_DAILY_LIMIT, 24 * 3600):
        raise RateLimited("该手机号今日短信次数已达上限")


def _sms_code_hash(flow: Flow, mobile: str, code: str) -> str:
    return keyed_digest("sms_code", f"{flow.value}:{mobile}:{code}")


def issue_sms_code(flow: Flow, mobile: str) -> str:
    """A new 6-digit code replaces any earlier one of the same flow, with a fresh try count.

    Returns the code for the message; only its keyed hash is kept."""
    code = f"{secrets.randbelow(10 ** SMS_CODE_LENGTH):0{SMS_CODE_LENGTH}d}"
    ttl = settings.SMS_CODE_TTL_SECONDS
    cache.set_many({_code_key(flow, mobile): _sms_code_hash(flow, mobile, code), _tries_key(flow, mobile): 0}, timeout=ttl)
    return code


def consume_sms_code(flow: Flow, mobile: str, answer: str) -> None:
    """Every attempt counts; the 6th and later are refused even with the right code."""
    expected = cache.get(_code_key(flow, mobile))
    if expected is None:
        raise ApiError("手机短信验证码已过期，请重新获取", code=codes.SMS_CODE_TIMEOUT)
    try:
        attempt = cache.incr(_tries_key(flow, mobile))
    except ValueError:  # the try counter expired together with the code
        raise ApiError("手机短信验证码已过期，请重新获取", code=codes.SMS_CODE_TIMEOUT) from None
    if attempt > SMS_MAX_ATTEMPTS:
        raise ApiError("手机短信验证码错误次数过多，请重新获取", code=codes.SMS_CODE_WRONG)
    if not constant_time_compare(expected, _sms_code_hash(flow, mobile, answer.strip())):
        left = SMS_MAX_ATTEMPTS - attempt
        message = f"手机短信验证码错误，还可尝试{left}次" if left else "手机短信验证码错误次数过多，请重新获取"
        raise ApiError(message, code=codes.SMS_CODE_WRONG)
    if not cache.delete(_code_key(flow, mobile)):  # a concurrent request used it first
        raise ApiError("手机短信验证码已过期，请重新获取", code=codes.SMS_CODE_TIMEOUT)
    cache.delete(_tries_key(flow, mobile))


# --- proofs that an SMS code was checked (§10, §13, §14) -------------------------------------

def _proof_key(flow: Flow, mobile: str) -> str:
    return f"smsproof:{flow.value}:{mobile}"


def grant_proof(flow: Flow, mobile: str) -> None:
    ttl = settings.SMS_PROOF_TTL_SECONDS
    proof = {"expires": time.time() + ttl, "identity_ok": False, "identity_failures": 0}
    cache.set(_proof_key(flow, mobile), proof, timeout=ttl)


def read_proof(flow: Flow, mobile: str) -> dict | None:
    return cache.get(_proof_key(flow, mobile))


def update_proof(flow: Flow, mobile: str, proof: dict) -> None:
    """Rewrite a proof without extending its life."""
    remaining = int(proof["expires"] - time.time())
    if remaining > 0:
        cache.set(_proof_key(flow, mobile), proof, timeout=remaining)
    else:
        cache.delete(_proof_key(flow, mobile))


def consume_proof(flow: Flow, mobile: str) -> bool:
    return bool(cache.delete(_proof_key(flow, mobile)))


def discard_proof(flow: Flow, mobile: str) -> None:
    cache.delete(_proof_key(flow, mobile))
