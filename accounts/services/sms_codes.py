"""SMS codes of the register and reset flows (§8, §9, §11, §12).

Business refusals raise :class:`cashloan.api.errors.ApiError` with the seed's code.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY

from cashloan.api import ratelimit
from cashloan.api.errors import RateLimited
from messaging.code_messages import CodeMessage
from messaging.services import send_sms

from ..challenges import (
    Flow,
    check_send_limits,
    consume_captcha,
    consume_sms_code,
    grant_proof,
    issue_captcha,
    issue_sms_code,
)
from .customers import require_mobile_format, require_registered, require_unregistered

SMS_PURPOSES = {Flow.REGISTER: "register", Flow.RESET: "reset_password"}


def new_captcha(session, *, client_ip: str) -> str:
    """§7: a captcha bound to the caller's session; a caller without one gets an anonymous
    session that lives ``ANONYMOUS_SESSION_SECONDS`` (minutes, not the 30 days of a login)."""
    if not ratelimit.hit(f"captcha:ip:{client_ip}", settings.CAPTCHA_IP_PER_MINUTE, 60):
        raise RateLimited("获取验证码过于频繁，请稍后再试")
    if SESSION_KEY not in session:
        session.set_expiry(settings.ANONYMOUS_SESSION_SECONDS)
    session["captcha_session"] = True  # a non-empty session, so the cookie is set
    if session.session_key is None:
        session.save()
    return issue_captcha(session.session_key)


def code_message(flow: Flow, mobile: str) -> CodeMessage:
    """A new code of ``flow`` for ``mobile`` (replacing any earlier one) and its SMS text.

    Also what messaging calls when a code message is sent again (registered in ``apps.py``).
    """
    code = issue_sms_code(flow, mobile)
    minutes = settings.SMS_CODE_TTL_SECONDS // 60
    action = "注册" if flow is Flow.REGISTER else "找回密码"
    return CodeMessage(f"您正在{action}，验证码{code}，{minutes}分钟内有效。如非本人操作，请忽略本短信。", code)


def _send_code(flow: Flow, mobile: str, client_ip: str) -> None:
    check_send_limits(mobile, client_ip)
    message = code_message(flow, mobile)
    send_sms(mobile, message.text, purpose=SMS_PURPOSES[flow], code=message.code)


def send_register_code(*, mobile: str, session_key: str | None, captcha: str, client_ip: str) -> None:
    mobile = require_mobile_format(mobile)
    consume_captcha(session_key, captcha)
    require_unregistered(mobile)
    _send_code(Flow.REGISTER, mobile, client_ip)


def send_reset_code(*, mobile: str, session_key: str | None, captcha: str, client_ip: str) -> None:
    mobile = require_mobile_format(mobile)
    consume_captcha(session_key, captcha)
    require_registered(mobile)
    _send_code(Flow.RESET, mobile, client_ip)


def check_register_code(*, mobile: str, sms_code: str) -> None:
    mobile = require_mobile_format(mobile)
    require_unregistered(mobile)
    consume_sms_code(Flow.REGISTER, mobile, sms_code)
    grant_proof(Flow.REGISTER, mobile)


def check_reset_code(*, mobile: str, sms_code: str) -> None:
    mobile = require_mobile_format(mobile)
    require_registered(mobile)
    consume_sms_code(Flow.RESET, mobile, sms_code)
    grant_proof(Flow.RESET, mobile)
