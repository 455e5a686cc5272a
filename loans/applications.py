"""Applying for a loan (seed §23, CONTRACT §4, §8).

:func:`apply_for_loan` runs the quote's checks and figures (``loans.quotes.quote_loan``), then,
with the customer's row locked, the eligibility checks in this order:

1. ``20005002`` the four verification steps are not all done;
2. ``20005003`` the account is blacklisted or risk-flagged, or its verified ID number, its
   mobile or the device token of the session's login is on the identity blacklist
   (``risk.blacklist``; the hit is recorded);
3. ``20005004`` an unfinished loan (status 0, 1, 2 or 4) exists;
4. ``20005005`` the amount is above the available credit (when a total credit is set).

The lock serialises one customer's concurrent applications, so the unfinished-loan check
sees the loan a parallel request has just written; the partial unique constraint
``one_unfinished_loan_per_user`` is the last line of defence.

Then the risk rules decide (``loans.decisions``, CONTRACT §12), in the same transaction: the
application is written with the resulting status (0 for a loan officer, 2 approved or 3
rejected by the system), the decision and the facts it read; its history says the customer
submitted it and, for 2 and 3, that the system decided; the customer gets the message of the
resulting status (in the app only: they are looking at it).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from cashloan.api.errors import ApiError
from risk import blacklist
from risk.models import BlacklistHit

from . import codes, decisions
from .credit import available_credit
from .models import UNFINISHED_STATUSES, Actor, ApplicationStatus, LoanApplication, StatusChange
from .notifications import LoanEvent, notify_loan_event
from .quotes import Quote, quote_loan

SUBMITTED_NOTE = "客户提交申请"
BLOCKED_MESSAGE = "您的账户暂不符合借款条件"
CODE_ATTEMPTS = 5

DECIDED_NOTES = {ApplicationStatus.APPROVED: "风控规则自动通过", ApplicationStatus.REJECTED: "风控规则自动拒绝"}
EVENT_OF_STATUS = {
    ApplicationStatus.PENDING: LoanEvent.SUBMITTED,
    ApplicationStatus.APPROVED: LoanEvent.APPROVED,
    ApplicationStatus.REJECTED: LoanEvent.REJECTED,
}


class ApplicationRefused(ApiError):
    pass


class ListedIdentity(ApplicationRefused):
    """The applicant's identity is on the blacklist (the customer sees the flags' refusal)."""

    def __init__(self, entries: list):
        super().__init__(BLOCKED_MESSAGE, code=codes.BLOCKED)
        self.entries = entries


@dataclass(frozen=True)
class ApplicantDetails:
    """The §23 fields beyond the loan's terms, already validated by the API."""

    longitude: str
    latitude: str
    operator_order_id: str
    purpose: str  # "15" … "22"
    other_channels: str  # "01" … "03"
    phonebook: list[dict] = field(default_factory=list)  # [{"contactName", "contactPhone"}]
    remark: str = ""
    contact_name: str = ""
    contact_phone: str = ""


def check_eligibility(user: User, amount, today: date, device_token: str = "") -> None:
    """The four refusals, in the module's order; ``user`` must be the locked, fresh row (from
    ``decisions.lock_applicant``, which reads the verified ID number with it)."""
    if not user.verifications_complete:
        raise ApplicationRefused("请先完成身份、银行卡、手机和个人信息认证", code=codes.NOT_VERIFIED)
    if user.is_blacklisted or user.is_risk:
        raise ApplicationRefused(BLOCKED_MESSAGE, code=codes.BLOCKED)
    id_number = getattr(user, "risk_id_number", "")
    listed = blacklist.listed_entries(
        id_digests=[blacklist.id_digest(id_number)] if id_number else [], mobile=user.mobile or "", device_token=device_token,
        today=today,
    )
    if listed:
        raise ListedIdentity(listed)
    if has_unfinished_loan(user):
        raise ApplicationRefused("您有未结清的借款，结清后才能再次申请", code=codes.UNFINISHED_LOAN)
    if user.total_credit is None:
        # Unlimited. Only a period of a disbursed loan can freeze it, and a disbursed loan is
        # unfinished (20005004 above): nothing to count.
        return
    credit = available_credit(user, today)
    if amount > credit:
        raise ApplicationRefused(f"借款金额超出可用额度（{credit:.2f} 元）", code=codes.ABOVE_CREDIT)


def has_unfinished_loan(user: User) -> bool:
    return LoanApplication.objects.filter(user=user, status__in=UNFINISHED_STATUSES).exists()


def new_application_code(today: date) -> str:
    """``CL`` + yyyymmdd + 6 random digits (unique by constraint; a clash is retried)."""
    return f"CL{today:%Y%m%d}{secrets.randbelow(10**6):06d}"


def apply_for_loan(
    *, user: User, product_id, terms: Mapping, details: ApplicantDetails, device_token: str = "", today: date | None = None
) -> LoanApplication:
    """Check, decide and record a loan application with its status history.

    ``terms`` carries the quote's fields (``amount``, ``interestRate``, ``termCount``…);
    ``device_token`` is the one of the login the caller's session came from.
    """
    today = today or timezone.localdate()
    quote = quote_loan(product_id, terms, today=today)
    try:
        with transaction.atomic():
            applicant = decisions.lock_applicant(user.pk, device_token)
            check_eligibility(applicant, quote.request.amount, today, device_token)
            made = decisions.Application(quote.request.amount, len(details.phonebook), device_token, timezone.now(), today)
            decided = decisions.decide_application(applicant, made)
            application = _insert_application(applicant, quote, details, today, decided, device_token)
            _record_history(application, decided)
            notify_loan_event(application, EVENT_OF_STATUS[application.status], sms=False)
    except ListedIdentity as refusal:  # the refusal rolled back; the hit is kept
        blacklist.record_hits(refusal.entries, user, BlacklistHit.Event.APPLICATION)
        raise
    return application


def _record_history(application: LoanApplication, decided: decisions.Decided) -> None:
    """The customer submitted it (0); the system then decided, unless it waits for an officer."""
    changes = [
        StatusChange(application=application, from_status=None, to_status=ApplicationStatus.PENDING, actor=Actor.CUSTOMER, note=SUBMITTED_NOTE)
    ]
    if application.status != ApplicationStatus.PENDING:
        rules = "、".join(hit.name for hit in decided.decision.hits if hit.outcome == decided.decision.outcome)
        note = f"{DECIDED_NOTES[application.status]}：{rules}"[:200]
        changes.append(
            StatusChange(application=application, from_status=ApplicationStatus.PENDING, to_status=application.status, actor=Actor.SYSTEM, note=note)
        )
    StatusChange.objects.bulk_create(changes)


def _insert_application(
    user: User, quote: Quote, details: ApplicantDetails, today: date, decided: decisions.Decided, device_token: str
) -> LoanApplication:
    for _ in range(CODE_ATTEMPTS):
        application = _application(user, quote, details, decided, device_token, code=new_application_code(today))
        try:
            with transaction.atomic():
                application.save(force_insert=True)
            return application
        except IntegrityError:
            if has_unfinished_loan(user):
                raise ApplicationRefused("您有未结清的借款，结清后才能再次申请", code=codes.UNFINISHED_LOAN) from None
            # Otherwise the random code clashed with another loan's: draw again.
    raise ApplicationRefused("贷款申请失败，请稍后再试", code=codes.APPLY_FAILED)


def _application(
    user: User, quote: Quote, details: ApplicantDetails, decided: decisions.Decided, device_token: str, *, code: str
) -> LoanApplication:
    request, product = quote.request, quote.product
    decided_now = decided.status != ApplicationStatus.PENDING
    return LoanApplication(
        code=code,
        user=user,
        product=product,
        status=decided.status,
        reviewed_at=timezone.now() if decided_now else None,
        device_token=device_token,
        risk_outcome=decided.decision.outcome,
        risk_hits=decided.decision.hits_json(),
        risk_facts=decided.facts.to_json(),
        apply_amount=request.amount,
        service_fee=quote.service_fee,
        reply_amount=quote.reply_amount,
        interest_rate=request.rate,
        penalty_rate=product.penalty_rate,
        period_fee=product.period_fee,
        term_count=request.term_count,
        term_unit=request.term_unit,
        repay_term_count=request.interval_count,
        repay_term_unit=request.interval_unit,
        repay_type=request.repay_type,
        annualized_cost_rate=quote.annualized_cost_rate,
        purpose=details.purpose,
        other_channels=details.other_channels,
        longitude=details.longitude,
        latitude=details.latitude,
        operator_order_id=details.operator_order_id,
        contact_name=details.contact_name,
        contact_phone=details.contact_phone,
        remark=details.remark,
        phonebook=list(details.phonebook),
    )
