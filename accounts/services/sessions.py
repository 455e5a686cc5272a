"""Login and sessions (§4, §18).

Business refusals raise :class:`cashloan.api.errors.ApiError` with the seed's code.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, login
from django.utils import timezone

from cashloan.api import ratelimit
from cashloan.api.errors import ApiError, MalformedRequest, RateLimited
from risk import blacklist
from risk.models import BlacklistHit

from .. import codes, lockout
from ..backends import CUSTOMER_BACKEND
from ..models import AppType, Device, Identity, User
from ..passwords import read_password
from .customers import customer_by_mobile


def limit_login_attempts(ip: str) -> None:
    """Each attempt costs a deliberately slow password hash: bound them per client address."""
    if not ratelimit.hit(f"login:ip:{ip}", settings.LOGIN_IP_PER_MINUTE, 60):
        raise RateLimited("登录请求过于频繁，请稍后再试")


def authenticate_customer(*, mobile: str, password_cipher: str) -> User:
    """The customer whose password this is, or the §4 refusal code."""
    password = read_password(password_cipher, "password")
    user = customer_by_mobile(mobile.strip())
    if user is None:
        raise ApiError("登陆授权失败，账号不存在", code=codes.LOGIN_NO_ACCOUNT)
    attempt = lockout.reserve_attempt(user.pk)
    if attempt is None:
        raise ApiError("登陆授权失败，多次密码错误，账号被锁，请15分钟后再试", code=codes.LOGIN_LOCKED)
    if not user.check_password(password):
        if lockout.record_failure(user.pk, attempt):
            raise ApiError("登陆授权失败，多次密码错误，账号被锁，请15分钟后再试", code=codes.LOGIN_LOCKED)
        raise ApiError("登陆授权失败，密码错误", code=codes.LOGIN_WRONG_PASSWORD)
    lockout.clear(user.pk)  # the right password: the count starts again
    if not user.is_active:
        raise ApiError("登陆授权失败，账号已停用", code=codes.LOGIN_FAILED)
    return user


# The device token of the login a session came from (an application records it: CONTRACT §12).
DEVICE_TOKEN_KEY = "device_token"


def start_session(request, user: User, *, app_type: str, token: str) -> str:
    """Log in (Django's session: a new key, cookie set) and remember the device."""
    if app_type not in AppType.values:
        raise MalformedRequest("请求报文传输信息有误：appType 须为 1、2 或 3")
    login(request, user, backend=CUSTOMER_BACKEND)
    request.session.set_expiry(None)  # a login lives SESSION_COOKIE_AGE, whatever getCode set
    request.session[DEVICE_TOKEN_KEY] = token
    Device.objects.update_or_create(
        user=user, token=token, defaults={"app_type": app_type, "last_login_at": timezone.now()}
    )
    # A listed customer may log in (to see and repay what they owe); an application is refused
    # (CONTRACT §15). The risk manager sees the hit.
    blacklist.consult(
        user, event=BlacklistHit.Event.LOGIN, device_token=token,
        id_digests=Identity.objects.filter(user=user).values("id_number_digest"),
    )
    return request.session.session_key


def session_device_token(request) -> str:
    """"" for a session made before the device was remembered in it (or by a staff login)."""
    return request.session.get(DEVICE_TOKEN_KEY, "")


def keep_session(request, user: User) -> None:
    """After a password change, keep this session alive (the others end with the old hash).

    Unlike Django's ``update_session_auth_hash`` the session id is kept: the app holds it as
    its bearer token and would otherwise be logged out without knowing the new one.
    """
    request.session[HASH_SESSION_KEY] = user.get_session_auth_hash()


def end_session(request, session_id: str) -> None:
    """Idempotent: an unknown or already ended session is simply gone."""
    if request.session.session_key == session_id:
        request.session.flush()
        return
    import_module(settings.SESSION_ENGINE).SessionStore().delete(session_id)
