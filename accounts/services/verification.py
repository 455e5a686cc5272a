"""Verification of the identity, the bank card and the mobile (§30–§32).

Business refusals raise :class:`cashloan.api.errors.ApiError` with the seed's code.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from cashloan.api.errors import ApiError

from .. import codes, validators
from cashloan.crypto import keyed_digest
from ..models import BankCard, Identity, User
from ..providers import get_provider


def refused(message: str) -> ApiError:
    """The verification refusal (``VERIFICATION_FAILED``, §30–§35) saying ``message``."""
    return ApiError(message, code=codes.VERIFICATION_FAILED)


def verify_real_name(user: User, *, real_name: str, id_number: str) -> User:
    """§32. A later verification must repeat the earlier identity; one identity per account."""
    real_name = validators.normalise_name(real_name)
    id_number = validators.normalise_id_number(id_number)
    digest = keyed_digest("id_number", id_number)
    existing = Identity.objects.filter(user=user).first()
    if existing is not None:
        if existing.id_number_digest != digest or existing.real_name != real_name:
            raise refused("身份认证失败，与已认证的身份信息不一致")
        return _mark_real_name_verified(user, real_name)
    if Identity.objects.filter(id_number_digest=digest).exists():
        raise refused("身份认证失败，该身份证号已被其他账号认证")
    verdict = get_provider().verify_identity(real_name=real_name, id_number=id_number)
    if not verdict.ok:
        raise refused(f"身份认证失败，{verdict.reason}")
    try:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            if Identity.objects.filter(user=locked).exists():  # a concurrent request won
                raise refused("身份认证失败，请勿重复提交")
            Identity.objects.create(
                user=locked, real_name=real_name, id_number=id_number, id_number_digest=digest, verified_at=timezone.now()
            )
            return _mark_real_name_verified(locked, real_name)
    except IntegrityError:
        raise refused("身份认证失败，该身份证号已被其他账号认证") from None


def _mark_real_name_verified(user: User, real_name: str) -> User:
    User.objects.filter(pk=user.pk).update(real_name=real_name, real_name_verified=True)
    user.refresh_from_db()
    return user


def _verified_identity(user: User) -> tuple[str, str]:
    """The verified name and ID number, read fresh (one query: the account with its identity)."""
    fresh = User.objects.select_related("identity").get(pk=user.pk)
    if not fresh.real_name_verified:
        raise refused("请先完成身份信息认证")
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
        raise refused(f"银行卡认证失败，{verdict.reason}")
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
        raise refused(f"手机实名认证失败，{verdict.reason}")
    User.objects.filter(pk=user.pk).update(mobile_verified=True)
