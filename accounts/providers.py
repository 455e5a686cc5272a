"""The pluggable verification provider (CONTRACT §7), chosen by ``VERIFICATION_PROVIDER``.

A production provider subclasses :class:`VerificationProvider` and calls the third party
(e.g. a police-database identity check, a four-element bank-card check, an operator check).
The default :class:`LocalVerificationProvider` performs only the local format checks.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from . import validators


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""

    @classmethod
    def passed(cls) -> "Verdict":
        return cls(True)

    @classmethod
    def failed(cls, reason: str) -> "Verdict":
        return cls(False, reason)


class VerificationProvider:
    """What a third-party verifier implements; every method answers a :class:`Verdict`."""

    def verify_identity(self, *, real_name: str, id_number: str) -> Verdict:
        raise NotImplementedError

    def verify_bank_card(self, *, real_name: str, id_number: str, card_number: str, reserved_mobile: str) -> Verdict:
        raise NotImplementedError

    def verify_mobile(self, *, real_name: str, id_number: str, mobile: str) -> Verdict:
        raise NotImplementedError


class LocalVerificationProvider(VerificationProvider):
    """Format checks only: GB 11643 checksum and birth date, Luhn, mainland mobile formats."""

    def verify_identity(self, *, real_name: str, id_number: str) -> Verdict:
        if not validators.is_person_name(real_name):
            return Verdict.failed("姓名格式错误")
        problem = validators.id_number_problem(id_number, timezone.localdate())
        return Verdict.failed(problem) if problem else Verdict.passed()

    def verify_bank_card(self, *, real_name: str, id_number: str, card_number: str, reserved_mobile: str) -> Verdict:
        if not validators.is_bank_card(card_number):
            return Verdict.failed("银行卡号校验失败")
        if not validators.is_mobile(reserved_mobile):
            return Verdict.failed("银行预留手机号格式错误")
        return Verdict.passed()

    def verify_mobile(self, *, real_name: str, id_number: str, mobile: str) -> Verdict:
        if not validators.is_mobile(mobile):
            return Verdict.failed("手机号码格式错误")
        return Verdict.passed()


@lru_cache(maxsize=8)
def _provider_class(path: str):
    return import_string(path)


def get_provider() -> VerificationProvider:
    return _provider_class(settings.VERIFICATION_PROVIDER)()
