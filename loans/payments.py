"""Where a repayment's money comes from: the payment-provider interface.

The provider is chosen by the ``PAYMENT_PROVIDER`` setting (a dotted path), like Django's
e-mail backends. The default, :class:`ImmediatePaymentProvider`, records the payment as
received at once (development, tests, and a back office that collects offline); a real one
debits the borrower's bank card through a gateway and returns the gateway's reference.

``collect`` is called inside the repayment transaction, with the loan row locked: a provider
must answer (or time out) promptly, and must never raise for a refused payment -- it returns
``PaymentResult(ok=False, error=...)``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string

@dataclass(frozen=True)
class PaymentResult:
    ok: bool
    reference: str = ""
    error: str = ""


class PaymentProvider:
    """Collects ``amount`` from the borrower of ``application``.

    ``reference`` is our id of the repayment (unique): a provider should pass it to its
    gateway as the idempotency key, so a retried collection never debits twice.
    """

    name = "base"

    def collect(self, application, amount: Decimal, reference: str) -> PaymentResult:
        raise NotImplementedError


class ImmediatePaymentProvider(PaymentProvider):
    """Records the payment as received at once."""

    name = "immediate"

    def collect(self, application, amount: Decimal, reference: str) -> PaymentResult:
        return PaymentResult(ok=True, reference=reference)


def get_payment_provider() -> PaymentProvider:
    return import_string(settings.PAYMENT_PROVIDER)()
