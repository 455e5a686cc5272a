"""Where a loan's money goes out: the disbursement-provider interface (``DISBURSEMENT_PROVIDER``).

Like the repayments' :mod:`loans.payments`: the provider is chosen by a dotted path; the
default, :class:`ImmediateDisbursementProvider`, records the payout as made at once (development,
tests, a back office that pays by bank transfer by hand); a real one asks the bank or a payment
gateway to pay the borrower's card and returns its reference.

``pay_out`` is called inside the disbursement transaction, with the loan row locked: a provider
must answer (or time out) promptly, and must never raise for a refused payout -- it returns
``PayoutResult(ok=False, error=...)``. Each attempt is kept as a :class:`~loans.models.Disbursement`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string

from .models import Disbursement, LoanApplication


@dataclass(frozen=True)
class PayoutResult:
    ok: bool
    reference: str = ""
    error: str = ""


class DisbursementProvider:
    """Pays ``amount`` to the borrower of ``application``.

    ``reference`` is our id of the attempt (unique): a provider should pass it to its gateway
    as the idempotency key, so a retried payout never pays twice.
    """

    name = "base"

    def pay_out(self, application: LoanApplication, amount: Decimal, reference: str) -> PayoutResult:
        raise NotImplementedError


class ImmediateDisbursementProvider(DisbursementProvider):
    """Records the payout as made at once."""

    name = "immediate"

    def pay_out(self, application: LoanApplication, amount: Decimal, reference: str) -> PayoutResult:
        return PayoutResult(ok=True, reference=reference)


PROVIDER_LABELS = {"immediate": "即时记账"}


def provider_label(name: str) -> str:
    """A provider's name as staff read it (the default's is ``immediate``)."""
    return PROVIDER_LABELS.get(name, name)


def get_disbursement_provider() -> DisbursementProvider:
    return import_string(settings.DISBURSEMENT_PROVIDER)()


def pay_out(loan: LoanApplication, by) -> Disbursement:
    """Ask the provider to pay the loan's net amount (``reply_amount``) and keep the attempt."""
    provider = get_disbursement_provider()
    attempt = Disbursement(application=loan, amount=loan.reply_amount, provider=provider.name, requested_by=by)
    result = provider.pay_out(loan, loan.reply_amount, str(attempt.pk))
    attempt.succeeded = result.ok
    attempt.provider_reference = result.reference[:100]
    attempt.error = "" if result.ok else (result.error or "放款渠道未说明原因")[:200]
    attempt.save()
    return attempt
