"""Writes of accounts: sessions, registration and passwords, verification, personal data.

Business refusals raise :class:`cashloan.api.errors.ApiError` with the seed's code.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, login
from django.db import IntegrityError, transaction
from django.utils import timezone

from cashloan.api import ratelimit
from cashloan.api.errors import ApiError, MalformedRequest, RateLimited
from messaging.services import send_sms

from . import codes, lockout, validators
from .challenges import (
    Flow,
    check_send_limits,
    consume_captcha,
    consume_proof,
    consume_sms_code,
    discard_proof,
    grant_proof,
    issue_sms_code,
    read_proof,
    update_proof,
)
from .crypto import keyed_digest
from .models import AppType, BankCard, Contact, Device, Feedback, Identity, PersonalInfo, User
from .passwords import check_new_password, read_password
from .providers import get_provider

IDENTITY_MAX_FAILURES = 5
MAX_CONTACTS = 10
SMS_PURPOSES = {Flow.REGISTER: "register", Flow.RESET: "reset_password"}


# --- looking up customers by mobile ---------------------------------------------------------

def require_mobile_format(mobile: str) -> str:
    mobile = (mobile or "").strip()
    if not validators.is_mobile(mobile):
        raise ApiError(codes.MESSAGE_MOBILE_FORMAT, code=codes.MALFORMED_REQUEST)
    return mobile


def customer_by_mobile(mobile: str) -> User | None:
    return User.objects.filter(mobile=mobile).first()


def require_unregistered(mobile: str) -> None:
    if User.objects.filter(mobile=mobile).exists():
        raise ApiError(codes.MESSAGE_MOBILE_REGISTERED, code=codes.MALFORMED_REQUEST)


def require_registered(mobile: str, message: str = codes.MESSAGE_MOBILE_NOT_REGISTERED) -> User:
    user = customer_by_mobile(mobile)
    if user is None:
        raise ApiError(message, code=codes.MALFORMED_REQUEST)
    return user


# --- login and sessions (§4, §18) -----------------------------------------------------------

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
    if lockout.is_locked(user.pk):
        raise ApiError("登陆授权失败，多次密码错误，账号被锁，请15分钟后再试", code=codes.LOGIN_LOCKED)
    if not user.check_password(password):
        if lockout.record_failure(user.pk):
            raise ApiError("登陆授权失败，多次密码错误，账号被锁，请15分钟后再试", code=codes.LOGIN_LOCKED)
        raise ApiError("登陆授权失败，密码错误", code=codes.LOGIN_WRONG_PASSWORD)
    if not user.is_active:
        raise ApiError("登陆授权失败，账号已停用", code=codes.LOGIN_FAILED)
    lockout.clear(user.pk)
    return user


def start_session(request, user: User, *, app_type: str, token: str) -> str:
    """Log in (Django's session: a new key, cookie set) and remember the device."""
    if app_type not in AppType.values:
        raise MalformedRequest("请求报文传输信息有误：appType 须为 1、2 或 3")
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    Device.objects.update_or_create(
        user=user, token=token, defaults={"app_type": app_type, "last_login_at": timezone.now()}
    )
    return request.session.session_key


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


# --- SMS codes (§8, §9, §11, §12) -------------------------------------------------------------

def _send_code(flow: Flow, mobile: str, client_ip: str) -> None:
    check_send_limits(mobile, client_ip)
    code = issue_sms_code(flow, mobile)
    minutes = settings.SMS_CODE_TTL_SECONDS // 60
    action = "注册" if flow is Flow.REGISTER else "找回密码"
    text = f"您正在{action}，验证码{code}，{minutes}分钟内有效。如非本人操作，请忽略本短信。"
    send_sms(mobile, text, purpose=SMS_PURPOSES[flow])


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


# --- registration and passwords (§10, §13, §14, §15) ---------------------------------------------

def register(*, mobile: str, password_cipher: str, confirm_cipher: str) -> User:
    password = read_password(password_cipher, "password")
    confirm = read_password(confirm_cipher, "confirmPassword")
    mobile = require_mobile_format(mobile)
    require_unregistered(mobile)
    if read_proof(Flow.REGISTER, mobile) is None:
        raise ApiError("密码设置失败，请先完成手机短信验证码校验", code=codes.REGISTER_FAILED)
    check_new_password(password, confirm=confirm, failure_code=codes.REGISTER_FAILED)
    if not consume_proof(Flow.REGISTER, mobile):
        raise ApiError("密码设置失败，请先完成手机短信验证码校验", code=codes.REGISTER_FAILED)
    try:
        with transaction.atomic():
            return User.objects.create_user(username=mobile, mobile=mobile, password=password)
    except IntegrityError:
        raise ApiError(codes.MESSAGE_MOBILE_REGISTERED, code=codes.MALFORMED_REQUEST) from None


def verify_reset_identity(*, mobile: str, real_name: str, id_number: str) -> None:
    """§13: the name and ID number must match the account's verified identity."""
    mobile = require_mobile_format(mobile)
    user = require_registered(mobile)
    proof = read_proof(Flow.RESET, mobile)
    if proof is None:
        raise ApiError("身份认证失败，请先完成手机短信验证码校验", code=codes.IDENTITY_FAILED)
    if user.real_name_verified and not _identity_matches(user, real_name, id_number):
        proof["identity_failures"] += 1
        if proof["identity_failures"] >= IDENTITY_MAX_FAILURES:
            discard_proof(Flow.RESET, mobile)
            raise ApiError("身份认证失败次数过多，请重新获取短信验证码", code=codes.IDENTITY_FAILED)
        update_proof(Flow.RESET, mobile, proof)
        raise ApiError("身份认证失败，姓名或身份证号码与认证信息不符", code=codes.IDENTITY_FAILED)
    proof["identity_ok"] = True
    update_proof(Flow.RESET, mobile, proof)


def _identity_matches(user: User, real_name: str, id_number: str) -> bool:
    identity = Identity.objects.filter(user=user).first()
    if identity is None:
        return False
    same_name = identity.real_name == validators.normalise_name(real_name)
    return same_name and identity.id_number == validators.normalise_id_number(id_number)


def reset_password(*, mobile: str, password_cipher: str, confirm_cipher: str) -> User:
    password = read_password(password_cipher, "password")
    confirm = read_password(confirm_cipher, "confirmPassword")
    mobile = require_mobile_format(mobile)
    user = require_registered(mobile)
    proof = read_proof(Flow.RESET, mobile)
    if proof is None:
        raise ApiError("密码重置失败，请先完成手机短信验证码校验", code=codes.RESET_FAILED)
    if user.real_name_verified and not proof["identity_ok"]:
        raise ApiError("密码重置失败，请先完成身份认证", code=codes.RESET_FAILED)
    check_new_password(password, confirm=confirm, failure_code=codes.RESET_FAILED)
    if not consume_proof(Flow.RESET, mobile):
        raise ApiError("密码重置失败，请先完成手机短信验证码校验", code=codes.RESET_FAILED)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)  # a new session auth hash: every existing session ends
        user.save(update_fields=["password"])
    lockout.clear(user.pk)  # the owner proved control of the mobile
    return user


def change_password(*, mobile: str, old_cipher: str, new_cipher: str, session_user) -> User:
    """§15 needs no login; when a session is present it must be the same account's."""
    old = read_password(old_cipher, "oldPassword")
    new = read_password(new_cipher, "newPassword")
    mobile = require_mobile_format(mobile)
    user = require_registered(mobile, codes.MESSAGE_NO_ACCOUNT)
    if session_user is not None and session_user.is_authenticated and session_user.pk != user.pk:
        raise ApiError("密码修改失败，只能修改当前登录账号的密码", code=codes.MODIFY_FAILED)
    if lockout.is_locked(user.pk):
        raise ApiError("多次密码错误，账号被锁，请15分钟后再试", code=codes.LOGIN_LOCKED)
    if not user.check_password(old):
        locked = lockout.record_failure(user.pk)
        suffix = "，多次密码错误，账号被锁，请15分钟后再试" if locked else ""
        raise ApiError(f"当前密码错误{suffix}", code=codes.MODIFY_WRONG_OLD_PASSWORD)
    if not user.is_active:
        raise ApiError("密码修改失败，账号已停用", code=codes.MODIFY_FAILED)
    check_new_password(new, failure_code=codes.MODIFY_FAILED)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(new)
        user.save(update_fields=["password"])
    lockout.clear(user.pk)
    return user


# --- feedback (§16) ---------------------------------------------------------------------------------

MAX_SUGGESTION_LENGTH = 1000


def submit_feedback(*, mobile: str, source: str, suggestion: str, user) -> Feedback:
    mobile = require_mobile_format(mobile)
    suggestion = suggestion.strip()
    if not suggestion or len(suggestion) > MAX_SUGGESTION_LENGTH:
        raise ApiError(f"意见反馈失败，内容须为1-{MAX_SUGGESTION_LENGTH}字", code=codes.SUGGESTION_FAILED)
    logged_in = user if user is not None and user.is_authenticated else None
    return Feedback.objects.create(mobile=mobile, source=source.strip(), suggestion=suggestion, user=logged_in)


# --- verification (§30–§32) -------------------------------------------------------------------------

def _refuse(message: str):
    return ApiError(message, code=codes.VERIFICATION_FAILED)


def verify_real_name(user: User, *, real_name: str, id_number: str) -> User:
    """§32. A later verification must repeat the earlier identity; one identity per account."""
    real_name = validators.normalise_name(real_name)
    id_number = validators.normalise_id_number(id_number)
    digest = keyed_digest("id_number", id_number)
    existing = Identity.objects.filter(user=user).first()
    if existing is not None:
        if existing.id_number_digest != digest or existing.real_name != real_name:
            raise _refuse("身份认证失败，与已认证的身份信息不一致")
        return _mark_real_name_verified(user, real_name)
    if Identity.objects.filter(id_number_digest=digest).exists():
        raise _refuse("身份认证失败，该身份证号已被其他账号认证")
    verdict = get_provider().verify_identity(real_name=real_name, id_number=id_number)
    if not verdict.ok:
        raise _refuse(f"身份认证失败，{verdict.reason}")
    try:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            if Identity.objects.filter(user=locked).exists():  # a concurrent request won
                raise _refuse("身份认证失败，请勿重复提交")
            Identity.objects.create(
                user=locked, real_name=real_name, id_number=id_number, id_number_digest=digest, verified_at=timezone.now()
            )
            return _mark_real_name_verified(locked, real_name)
    except IntegrityError:
        raise _refuse("身份认证失败，该身份证号已被其他账号认证") from None


def _mark_real_name_verified(user: User, real_name: str) -> User:
    User.objects.filter(pk=user.pk).update(real_name=real_name, real_name_verified=True)
    user.refresh_from_db()
    return user


def _verified_identity(user: User) -> tuple[str, str]:
    """The verified name and ID number, read fresh (one query: the account with its identity)."""
    fresh = User.objects.select_related("identity").get(pk=user.pk)
    if not fresh.real_name_verified:
        raise _refuse("请先完成身份信息认证")
    try:
        identity = fresh.identity
    except Identity.DoesNotExist:  # verified by staff in the admin, without an identity row
        return fresh.real_name, ""
    return identity.real_name, identity.id_number


def verify_bank_card(user: User, *, card_number: str, reserved_mobile: str) -> BankCard:
    """§30: needs a verified identity; a new card replaces the earlier one."""
    real_name, id_number = _verified_identity(user)
    card_number = "".join(card_number.split())
    reserved_mobile = reserved_mobile.strip()
    verdict = get_provider().verify_bank_card(
        real_name=real_name, id_number=id_number, card_number=card_number, reserved_mobile=reserved_mobile
    )
    if not verdict.ok:
        raise _refuse(f"银行卡认证失败，{verdict.reason}")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        card, _ = BankCard.objects.update_or_create(
            user=locked,
            defaults={"card_number": card_number, "reserved_mobile": reserved_mobile, "verified_at": timezone.now()},
        )
        User.objects.filter(pk=user.pk).update(bank_card_verified=True)
    return card


def verify_mobile(user: User) -> None:
    """§31: no input; the account's own mobile, checked against the verified identity."""
    real_name, id_number = _verified_identity(user)
    verdict = get_provider().verify_mobile(real_name=real_name, id_number=id_number, mobile=user.mobile or "")
    if not verdict.ok:
        raise _refuse(f"手机实名认证失败，{verdict.reason}")
    User.objects.filter(pk=user.pk).update(mobile_verified=True)


# --- personal information and contacts (§34, §35) ---------------------------------------------------

def save_personal_info(user: User, fields: dict) -> PersonalInfo:
    """``fields`` are model field values, already parsed by :mod:`accounts.inputs`."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        info, _ = PersonalInfo.objects.update_or_create(user=locked, defaults=fields)
        _refresh_info_completed(locked)
    return info


def save_contact(user: User, *, oper_type: str, contact_id, rel_type: int, real_name: str, phone_num: str) -> Contact:
    if phone_num == user.mobile:
        raise _refuse("联系人手机号不能是本人手机号")
    values = {"rel_type": rel_type, "real_name": real_name, "phone_num": phone_num}
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if oper_type == "add":
            if Contact.objects.filter(user=locked).count() >= MAX_CONTACTS:
                raise _refuse(f"联系人最多{MAX_CONTACTS}个")
            contact = Contact.objects.create(user=locked, **values)
        else:
            contact = Contact.objects.filter(user=locked, pk=contact_id).first()
            if contact is None:
                raise _refuse("联系人不存在")
            for name, value in values.items():
                setattr(contact, name, value)
            contact.save(update_fields=[*values, "updated_at"])
        _refresh_info_completed(locked)
    return contact


def _refresh_info_completed(user: User) -> None:
    """Only ever raises the flag: staff may set it by hand, and nothing here deletes data."""
    if user.info_completed:
        return
    if PersonalInfo.objects.filter(user=user).exists() and Contact.objects.filter(user=user).exists():
        User.objects.filter(pk=user.pk).update(info_completed=True)
