"""Registration and passwords (§10, §13, §14, §15).

Business refusals raise :class:`cashloan.api.errors.ApiError` with the seed's code.
"""

from django.db import IntegrityError, transaction

from cashloan.api.errors import ApiError
from risk import blacklist
from risk.models import BlacklistHit

from .. import codes, lockout, validators
from ..credit_limits import initial_limit, record_initial_limit
from ..challenges import Flow, consume_proof, discard_proof, read_proof, update_proof
from ..models import Identity, User
from ..passwords import check_new_password, read_password
from .customers import require_mobile_format, require_registered, require_unregistered

IDENTITY_MAX_FAILURES = 5


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
            user = User.objects.create_user(username=mobile, mobile=mobile, password=password, total_credit=initial_limit())
            record_initial_limit(user)
            # A listed mobile may register (the refusal is the application's, CONTRACT §15); the
            # risk manager sees the hit.
            blacklist.consult(user, event=BlacklistHit.Event.REGISTRATION)
            return user
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
    attempt = lockout.reserve_attempt(user.pk)
    if attempt is None:
        raise ApiError("多次密码错误，账号被锁，请15分钟后再试", code=codes.LOGIN_LOCKED)
    if not user.check_password(old):
        locked = lockout.record_failure(user.pk, attempt)
        suffix = "，多次密码错误，账号被锁，请15分钟后再试" if locked else ""
        raise ApiError(f"当前密码错误{suffix}", code=codes.MODIFY_WRONG_OLD_PASSWORD)
    lockout.clear(user.pk)  # the right old password: the count starts again
    if not user.is_active:
        raise ApiError("密码修改失败，账号已停用", code=codes.MODIFY_FAILED)
    check_new_password(new, failure_code=codes.MODIFY_FAILED)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(new)
        user.save(update_fields=["password"])
    return user
